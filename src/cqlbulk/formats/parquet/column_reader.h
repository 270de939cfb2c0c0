// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/buffer.h"
#include "cqlbulk/formats/io/block_codec.h"
#include "cqlbulk/formats/parquet/encoding/byte_arrays.h"
#include "cqlbulk/formats/parquet/format/metadata.h"
#include "cqlbulk/formats/parquet/schema.h"
#include "cqlbulk/formats/parquet/shred.h"

namespace cqlbulk::formats::parquet {

/// Bytes of one decoded fixed-width value of `leaf` in LeafData::fixed (BOOLEAN: one byte 0 /
/// 1; INT96: 12), 0 for BYTE_ARRAY.
int DecodedValueWidth(const LeafColumn& leaf);

/// How many of n levels equal `level`.
size_t CountLevel(const int16_t* levels, size_t n, int16_t level);

/// \brief Decodes one leaf's column chunk, page by page, into LeafData: its levels and its
/// non-null values in the leaf's physical type.
///
/// Pages: a dictionary page (PLAIN), data pages v1 and v2; values in PLAIN, PLAIN_DICTIONARY /
/// RLE_DICTIONARY, RLE (booleans), DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY,
/// DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT; every codec of io/block_codec.h. Index pages are
/// skipped. Errors are kCorrupt (kUnimplemented for an encoding or codec it does not read)
/// and start with `where` ("<file>: row group 2, column a.b") and the page's byte offset.
class ColumnChunkReader {
 public:
  /// \brief A reader of `chunk`: the chunk's bytes from its first page on (the dictionary page
  /// if there is one), which must outlive the reader.
  static Result<std::unique_ptr<ColumnChunkReader>> Make(const LeafColumn& leaf,
                                                         const ColumnMetaData& metadata,
                                                         BytesView chunk, std::string where);
  ~ColumnChunkReader();

  /// Appends the next data page's level entries and values to `out`; false at the end of the
  /// chunk (after `num_values` level entries, as the metadata says).
  Result<bool> ReadPage(LeafData& out);

 private:
  ColumnChunkReader(const LeafColumn& leaf, const ColumnMetaData& metadata, BytesView chunk,
                    std::string where, std::unique_ptr<BlockDecompressor> decompressor);
  Error Corrupt(const std::string& what) const;
  Result<BytesView> Decompress(BytesView body, size_t uncompressed_size, size_t levels_bytes,
                               bool compressed);
  Status ReadDictionary(const PageHeader& header, BytesView body);
  Status DecodeLevels(BytesView data, int16_t max_level, size_t n, std::vector<int16_t>& out);
  Status DecodeValues(Encoding encoding, BytesView data, size_t n, LeafData& out);
  Status DecodeDictionaryValues(BytesView data, size_t n, LeafData& out);

  const LeafColumn& leaf_;
  const ColumnMetaData& metadata_;
  BytesView chunk_;
  std::string where_;
  std::unique_ptr<BlockDecompressor> decompressor_;
  size_t position_ = 0;           // next page header in chunk_
  size_t page_offset_ = 0;        // the page being decoded, for errors
  int64_t levels_read_ = 0;       // level entries of the pages read
  data::Buffer page_;             // the decompressed page
  bool has_dictionary_ = false;
  uint32_t dictionary_size_ = 0;
  data::Buffer dictionary_fixed_;  // fixed-width entries
  ByteArrays dictionary_strings_;  // BYTE_ARRAY entries
  std::vector<uint32_t> indices_;
};

}  // namespace cqlbulk::formats::parquet
