// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/data/buffer.h"
#include "cqlbulk/formats/avro/encoding.h"
#include "cqlbulk/formats/avro/resolve.h"
#include "cqlbulk/formats/avro/schema.h"
#include "cqlbulk/formats/avro/value.h"
#include "cqlbulk/formats/io/block_codec.h"
#include "cqlbulk/formats/io/stream.h"

namespace cqlbulk::formats::avro {

/// \brief The block codecs of object container files ("Required Codecs", "Optional Codecs").
enum class Codec : uint8_t {
  kNull,     ///< uncompressed
  kDeflate,  ///< raw deflate (RFC 1951)
  kSnappy,   ///< raw Snappy, then the big-endian CRC-32 of the uncompressed block
};

/// "null", "deflate", "snappy" (the `avro.codec` names).
std::string_view CodecName(Codec codec);
/// kInvalidArgument for another name, naming the three.
Result<Codec> ParseCodec(std::string_view name);

/// \brief A file's metadata ("Object Container Files"): keys and values, in file order.
using Metadata = std::vector<std::pair<std::string, std::string>>;

/// The sync marker that ends each block.
using SyncMarker = std::array<uint8_t, 16>;

struct ContainerWriterOptions {
  Codec codec = Codec::kDeflate;
  /// zlib's level for kDeflate, 1-9.
  int deflate_level = 6;
  /// A block is written once its records' encoding reaches this many bytes...
  size_t block_bytes = 64 * 1024;
  /// ...or it holds this many records (0: no limit).
  size_t block_records = 0;
  /// User metadata after `avro.schema` and `avro.codec` (Iceberg's `schema`,
  /// `partition-spec`, `partition-spec-id`, `format-version`, `content`). Keys starting with
  /// "avro." are reserved.
  Metadata metadata;
  /// The sync marker; random (getrandom) when not given.
  std::optional<SyncMarker> sync_marker;
};

/// \brief Writes an Avro object container file: the header (magic `Obj\x01`, metadata, sync
/// marker), then blocks of records (count, byte size, encoded records after the codec, sync
/// marker). Memory holds one block. Not thread-safe.
class ContainerWriter {
 public:
  /// \brief Writes the header to `sink`. kInvalidArgument for a reserved metadata key or a
  /// deflate level out of range.
  static Result<std::unique_ptr<ContainerWriter>> Make(Schema schema,
                                                       std::unique_ptr<OutputStream> sink,
                                                       ContainerWriterOptions options = {});

  /// \brief Adds a record (a value of the schema's root) to the current block, and writes the
  /// block once it is full. kInvalidArgument when `value` is not a value of the schema (as
  /// Encode says); nothing is added then and the writer can go on.
  Status Append(const Value& value);
  /// \brief Writes the records added since the last block as a block (none when there are
  /// none), and flushes the sink.
  Status Flush();
  /// \brief Writes the last block and closes the sink; a second call does nothing.
  Status Close();

  const Schema& schema() const noexcept { return schema_; }
  const SyncMarker& sync_marker() const noexcept { return sync_; }
  uint64_t num_records() const noexcept { return num_records_; }
  uint64_t num_blocks() const noexcept { return num_blocks_; }
  /// The bytes written to the sink so far: the file's size after Close().
  uint64_t bytes_written() const noexcept { return bytes_written_; }

 private:
  ContainerWriter(Schema schema, std::unique_ptr<OutputStream> sink,
                  ContainerWriterOptions options);
  Status WriteHeader();
  Status WriteBlock();
  Status Write(BytesView bytes);

  Schema schema_;
  std::unique_ptr<OutputStream> sink_;
  ContainerWriterOptions options_;
  std::unique_ptr<BlockCompressor> snappy_;
  SyncMarker sync_{};
  data::Buffer block_;       // the encoded records of the current block
  data::Buffer compressed_;  // the block after the codec, and its header
  size_t block_count_ = 0;
  uint64_t num_records_ = 0;
  uint64_t num_blocks_ = 0;
  uint64_t bytes_written_ = 0;
  bool closed_ = false;
};

struct ContainerReaderOptions {
  /// Read the records as this schema ("Schema Resolution"); as the writer's when nullopt.
  std::optional<Schema> reader_schema;
  /// A block larger than this, before or after its codec, is kCorrupt: the bound on memory.
  size_t max_block_bytes = 256 << 20;
};

/// \brief Reads an Avro object container file, record by record, from a stream: it holds one
/// block at a time. Any file the specification allows with the null, deflate and snappy codecs
/// (other codecs are kUnimplemented).
///
/// A malformed file is kCorrupt naming the file, the block and its byte offset, and what is
/// wrong (`m.avro: block 2 at byte 4711: manifest_entry.data_file.file_path: string of 80
/// bytes passes the end of the input (12 bytes left) at byte 97`): a bad magic or header, a
/// block whose sizes pass the end of the file or the limit, a wrong sync marker, a snappy
/// checksum that does not match, records that do not fill their block exactly. Not
/// thread-safe.
class ContainerReader {
 public:
  /// \brief Reads the header from `source`; `name` names the file in errors.
  /// kInvalidArgument when the reader's schema cannot read the writer's (Resolution::Make).
  static Result<std::unique_ptr<ContainerReader>> Open(std::unique_ptr<InputStream> source,
                                                       std::string name,
                                                       ContainerReaderOptions options = {});
  /// \brief The same over bytes in memory.
  static Result<std::unique_ptr<ContainerReader>> OpenBytes(Bytes data, std::string name,
                                                            ContainerReaderOptions options = {});

  ContainerReader(const ContainerReader&) = delete;
  ContainerReader& operator=(const ContainerReader&) = delete;
  ~ContainerReader();

  /// \brief The next record, or nullopt after the last.
  Result<std::optional<Value>> Next();

  /// The schema in the file (`avro.schema`).
  const Schema& writer_schema() const noexcept { return writer_schema_; }
  /// The schema of the records Next() returns: the reader's when given, else the writer's.
  const Schema& schema() const noexcept {
    return reader_schema_ ? *reader_schema_ : writer_schema_;
  }
  Codec codec() const noexcept { return codec_; }
  /// Every metadata entry, `avro.schema` and `avro.codec` included, in file order.
  const Metadata& metadata() const noexcept { return metadata_; }
  /// The value of metadata key `key`, or nullopt.
  std::optional<std::string_view> FindMetadata(std::string_view key) const;
  const SyncMarker& sync_marker() const noexcept { return sync_; }
  uint64_t num_records_read() const noexcept { return num_records_read_; }
  uint64_t num_blocks_read() const noexcept { return num_blocks_; }

 private:
  ContainerReader(std::unique_ptr<InputStream> source, std::string name,
                  ContainerReaderOptions options);
  Status ReadHeader();
  /// Reads the next block; false at the end of the file.
  Result<bool> ReadBlock();
  Status Decompress(BytesView data);
  // The input, buffered: Need(n) makes n bytes available at in_[in_begin_..], growing the
  // buffer only as bytes arrive; false when the file ends first.
  Result<bool> Need(size_t n);
  Result<int64_t> ReadLong(std::string_view what);
  BytesView Take(size_t n);
  Error Corrupt(std::string_view what) const;

  std::unique_ptr<InputStream> source_;
  std::string name_;
  ContainerReaderOptions options_;
  Schema writer_schema_;
  std::optional<Schema> reader_schema_;
  std::optional<Resolution> resolution_;
  Codec codec_ = Codec::kNull;
  Metadata metadata_;
  SyncMarker sync_{};
  std::unique_ptr<BlockDecompressor> snappy_;

  Bytes in_;
  size_t in_begin_ = 0;
  size_t in_end_ = 0;
  uint64_t offset_ = 0;  // file offset of in_[in_begin_]
  bool at_end_ = false;

  data::Buffer block_;   // a decompressed block
  BytesView block_data_;  // the current block's records (in block_, or in in_ for kNull)
  std::optional<Decoder> decoder_;
  uint64_t block_records_left_ = 0;
  uint64_t block_offset_ = 0;
  uint64_t num_blocks_ = 0;
  uint64_t num_records_read_ = 0;
};

}  // namespace cqlbulk::formats::avro
