// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/buffer.h"
#include "cqlbulk/formats/io/block_codec.h"
#include "cqlbulk/formats/parquet/format/metadata.h"
#include "cqlbulk/formats/parquet/schema.h"
#include "cqlbulk/formats/parquet/shred.h"
#include "cqlbulk/formats/parquet/statistics.h"
#include "cqlbulk/formats/parquet/writer.h"

namespace cqlbulk::formats::parquet {

class DictionaryState;

/// \brief Appends a page to `out`: `header` (its two sizes set here), then `levels` as they
/// are and `body` compressed by `compressor` (no compressor: `body` as it is).
///
/// The body is compressed straight into `out`, after room for a header sized by a guess (the
/// compressed size taken to be the uncompressed one); the header is written into that room
/// afterwards, and only when its varints came out shorter or longer than guessed are the
/// compressed bytes moved. The bytes are those of the header serialized and then the levels
/// and the compressed body appended; no scratch buffer the size of a page is kept.
Status AppendPage(PageHeader& header, BytesView levels, BytesView body,
                  BlockCompressor* compressor, data::Buffer& out);

/// \brief Encodes one leaf's column chunk of a row group: takes shredded slices, cuts data
/// pages by size, compresses each, and at the end lays out the chunk (dictionary page first).
///
/// Values go to a dictionary while it stays under WriterOptions::dictionary_page_bytes
/// (BOOLEAN never does); past it the page in progress ends and the rest of the chunk is PLAIN,
/// as Arrow does. Levels are RLE/bit-packed hybrid. The chunk's bytes stay in memory until
/// Finish: a column chunk is contiguous in the file.
class ColumnChunkWriter {
 public:
  /// `page_scratch` is shared by the columns of a file: each page is compressed into it and
  /// then copied into the chunk (whose bytes thus take no room a page's worst case would).
  ColumnChunkWriter(const LeafColumn& leaf, const WriterOptions& options,
                    BlockCompressor& compressor, data::Buffer& page_scratch);
  ~ColumnChunkWriter();
  ColumnChunkWriter(ColumnChunkWriter&&) noexcept;

  /// Adds a slice of whole records; ends the page in progress once it passes
  /// WriterOptions::data_page_bytes.
  Status Add(const LeafData& data);
  /// The chunk's encoded size so far (compressed pages, plus the page and dictionary in
  /// progress before compression).
  size_t EstimatedBytes() const noexcept;
  /// Writes bytes of the file, in order.
  using ChunkSink = std::function<Status(BytesView)>;
  /// \brief Ends the chunk: writes its pages (dictionary page first) with `write`, from
  /// `file_offset` on, and fills `chunk`'s metadata. The writer is then empty for the next row
  /// group.
  Status Finish(int64_t file_offset, const ChunkSink& write, ColumnChunk& chunk);
  /// Frees the buffers kept for the next row group (after Finish): an idle writer then holds
  /// almost nothing.
  void ReleaseMemory();

 private:
  Status EndPage();
  Status WritePage(PageHeader& header, BytesView uncompressed_levels, BytesView body);
  void AddValues(const LeafData& data);
  void EncodePlain(const LeafData& data);

  const LeafColumn* leaf_;
  const WriterOptions* options_;
  BlockCompressor* compressor_;
  std::unique_ptr<DictionaryState> dictionary_;  // null when PLAIN
  bool make_dictionary_ = false;  // by the next Add (at first, and after ReleaseMemory)
  bool fell_back_ = false;
  bool probed_ = false;              // WriterOptions::dictionary_probe_values decided
  bool dropped_dictionary_ = false;  // this chunk is PLAIN from its start
  data::Buffer fallback_dictionary_;  // the dictionary page's body, kept at the fallback
  uint32_t fallback_dictionary_size_ = 0;
  StatisticsBuilder statistics_;
  LeafData new_entries_;  // the dictionary entries a slice added (their statistics)

  // The page in progress.
  std::vector<int16_t> page_definition_levels_;
  /// Definition levels at the maximum not stored: the page's first ones while it has no null
  /// (page_definition_levels_ is empty then).
  size_t page_implicit_levels_ = 0;
  std::vector<int16_t> page_repetition_levels_;
  /// Dictionary mode: the page's indices, uint32 each (a Buffer: grown without zero-filling).
  data::Buffer page_indices_;
  size_t num_page_indices() const noexcept { return page_indices_.size() / sizeof(uint32_t); }
  const uint32_t* page_index_data() const noexcept {
    return reinterpret_cast<const uint32_t*>(page_indices_.data());
  }
  /// PLAIN mode: the page's values, after kPlainRoom free bytes once any was added.
  data::Buffer page_plain_;
  void StartPlain() {
    if (page_plain_.empty()) {
      if (page_plain_.capacity() == 0) page_plain_.Reserve(FirstPageCapacity());
      page_plain_.Grow(kPlainRoom);
    }
  }
  /// \brief Room for a whole page, taken at once (a page's buffers are kept from page to
  /// page): what a page holds at most, give or take a slice, so that the first page does not
  /// grow by realloc copies. Only what is written is touched.
  size_t FirstPageCapacity() const noexcept;
  size_t FirstIndicesCapacity() const noexcept;
  size_t PlainBytes() const noexcept {
    return page_plain_.empty() ? 0 : page_plain_.size() - kPlainRoom;
  }
  BytesView PlainValues() const noexcept {
    return page_plain_.empty() ? BytesView{} : page_plain_.view().subspan(kPlainRoom);
  }
  /// Bytes kept free at the front of page_plain_: a data page v1's levels go there, before
  /// the values, and the page's body is compressed from where it is (a page without nulls has
  /// levels of 6 to 10 bytes; larger levels take a copy of the values instead).
  static constexpr size_t kPlainRoom = 64;
  std::vector<uint8_t> page_booleans_;  // BOOLEAN, bit-packed when the page ends
  size_t page_levels_ = 0;
  size_t page_values_ = 0;
  size_t page_rows_ = 0;

  // The chunk's finished data pages (headers and compressed bodies): a byte stream in blocks
  // of 64 KiB to 1 MiB (each as large as the stream so far), filled to the brim. So the chunk
  // never moves as it grows: no realloc copies, no memory touched twice, none reserved.
  std::vector<data::Buffer> page_blocks_;
  size_t num_blocks_ = 0;   // page_blocks_ in use; the others are kept for the next row group
  size_t pages_bytes_ = 0;  // in the blocks in use
  void AppendToBlocks(BytesView bytes);
  data::Buffer* page_scratch_;
  data::Buffer scratch_;
  int64_t num_values_ = 0;
  int64_t uncompressed_bytes_ = 0;
  int32_t num_data_pages_ = 0;
  int32_t num_plain_pages_ = 0;
};

}  // namespace cqlbulk::formats::parquet
