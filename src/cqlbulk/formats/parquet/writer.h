// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/batch.h"
#include "cqlbulk/formats/io/block_codec.h"
#include "cqlbulk/formats/io/stream.h"
#include "cqlbulk/formats/parquet/format/metadata.h"
#include "cqlbulk/formats/parquet/schema.h"

namespace cqlbulk::formats::parquet {

/// \brief How ParquetWriter lays out and encodes a file. The defaults are Arrow's (pyarrow
/// 22): Snappy, dictionaries up to 1 MiB a column chunk, pages of 1 MiB, data page v1, row
/// groups of at most 1Mi rows; plus a bound on a row group's encoded bytes, which is what the
/// writer holds in memory.
struct WriterOptions {
  CompressionCodec codec = CompressionCodec::kSnappy;
  /// The codec's level (ZSTD, GZIP, BROTLI); nullopt: the codec's default as Arrow's, but
  /// GZIP 6 (Arrow's 9 is some 15 times slower for the same size).
  std::optional<int> compression_level;
  bool dictionary = true;
  /// A column chunk's dictionary stops growing past this many PLAIN bytes; the rest of the
  /// chunk is PLAIN.
  size_t dictionary_page_bytes = 1 << 20;
  /// \brief When not 0: once a column chunk's first page holds this many values, a
  /// dictionary holding more than 7/8 of them distinct is dropped and the chunk is PLAIN
  /// from its start (no dictionary page). Small files (an Iceberg export's partitions) then
  /// spend nothing on dictionaries of high-cardinality columns. 0 (the default): Arrow's
  /// behaviour, a dictionary until it passes dictionary_page_bytes.
  size_t dictionary_probe_values = 0;
  /// A data page is cut once its values and levels pass this many bytes (before compression)
  size_t data_page_bytes = 1 << 20;
  /// or this many values (level entries), as Arrow and parquet-mr do: dictionary indices and
  /// levels take little room encoded but 4 and 2 bytes each until the page ends.
  size_t data_page_values = 20'000;
  /// Data page v2 (levels uncompressed before the values) instead of v1.
  bool data_page_v2 = false;
  size_t row_group_rows = 1 << 20;
  /// A row group is cut once its encoded column chunks pass this many bytes.
  size_t row_group_bytes = 64 << 20;
  TypeMapping mapping;
  std::vector<KeyValue> key_value_metadata;
  /// \brief A compressor to share, from MakeCompressor with these options; the writers
  /// given the same one must be used on one thread. Many writers open at once (one a partition
  /// of an Iceberg export) then hold one library state (a ZSTD context is hundreds of KiB)
  /// instead of one each. nullptr: the writer makes its own.
  std::shared_ptr<BlockCompressor> compressor;
  std::string created_by = "cqlbulk";
};

/// \brief The compressor of `options.codec` at `options.compression_level` (GZIP at 6 when
/// nullopt); kInvalidArgument for LZ4 (the writer writes LZ4_RAW) or a level the codec does not
/// take.
Result<std::shared_ptr<BlockCompressor>> MakeCompressor(const WriterOptions& options);

/// \brief Writes data batches as one Parquet file (README.md, "Parquet"): a row group at a
/// time, each column chunk's pages (dictionary page first) encoded and compressed in memory and
/// written whole, then the footer. Memory stays bounded by the row group.
///
/// Not thread-safe. After an error the file is incomplete: the caller removes it.
class ParquetWriter {
 public:
  /// kInvalidArgument when the schema cannot be written (MakeParquetSchema) or the codec and
  /// level do not go together.
  static Result<std::unique_ptr<ParquetWriter>> Make(data::SchemaPtr schema,
                                                     std::unique_ptr<OutputStream> sink,
                                                     WriterOptions options = {});
  ~ParquetWriter();

  /// Appends the batch's rows (its fields must have the writer's types, and no null where the
  /// writer's field is required; names and ids are the writer's); cuts row groups as needed.
  /// kInvalidArgument for a value the TypeMapping cannot write (the row is named); kIo from
  /// the sink.
  Status Write(const data::Batch& batch);
  /// \brief Appends rows [begin, end) of the batch (kInvalidArgument past its rows): the same
  /// bytes as Write of a batch holding just those rows.
  Status Write(const data::Batch& batch, size_t begin, size_t end);
  /// \brief Writes the rows held as a row group now (if any) and frees the memory kept for the
  /// next one: a writer that may stay idle a while (one of many open files) then costs little.
  Status FlushRowGroup();
  /// Writes the last row group and the footer and closes the sink.
  Status Close();
  /// \brief After Close, starts a new file on `sink`: the same schema and options, the counts
  /// and metadata() start again, and the buffers the writer grew are kept (many small files
  /// written one after another, e.g. one a partition, would each grow theirs from nothing).
  /// The file is the one a new writer would write. kInternal before Close.
  Status Restart(std::unique_ptr<OutputStream> sink);

  const ParquetSchema& parquet_schema() const noexcept;
  int64_t rows_written() const noexcept;
  /// Bytes written to the sink so far (the whole file after Close).
  int64_t bytes_written() const noexcept;
  /// Rows held for the current row group and their encoded size so far.
  size_t buffered_bytes() const noexcept;
  /// Values that the TypeMapping's engine-friendly forms changed (rounded, truncated).
  int64_t values_changed() const noexcept;
  /// The footer written by Close (for Iceberg's metrics), or nullptr before.
  const FileMetaData* metadata() const noexcept;

 private:
  class Impl;
  explicit ParquetWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cqlbulk::formats::parquet
