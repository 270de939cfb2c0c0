// SPDX-License-Identifier: Apache-2.0
// ContainerReader ("Object Container Files"): the header, then block after block from a
// stream, each checked (sizes, sync marker, codec, checksum) before its records are decoded.
#include <algorithm>
#include <cstring>

#include "cqlbulk/core/checksum.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/core/varint.h"
#include "cqlbulk/formats/avro/container.h"
#include "cqlbulk/formats/io/memory_stream.h"

namespace cqlbulk::formats::avro {
namespace {

constexpr uint8_t kMagic[4] = {'O', 'b', 'j', 1};
constexpr size_t kReadBytes = 64 * 1024;
// Header entries beside avro.schema and avro.codec: plenty for any writer's metadata.
constexpr int64_t kMaxMetadataEntries = 1 << 16;

}  // namespace

ContainerReader::ContainerReader(std::unique_ptr<InputStream> source, std::string name,
                                 ContainerReaderOptions options)
    : source_(std::move(source)), name_(std::move(name)), options_(std::move(options)) {}

ContainerReader::~ContainerReader() = default;

Result<std::unique_ptr<ContainerReader>> ContainerReader::Open(std::unique_ptr<InputStream> source,
                                                               std::string name,
                                                               ContainerReaderOptions options) {
  auto reader = std::unique_ptr<ContainerReader>(
      new ContainerReader(std::move(source), std::move(name), std::move(options)));
  CQLBULK_RETURN_IF_ERROR(reader->ReadHeader());
  return reader;
}

Result<std::unique_ptr<ContainerReader>> ContainerReader::OpenBytes(
    Bytes data, std::string name, ContainerReaderOptions options) {
  return Open(std::make_unique<MemoryInputStream>(std::move(data)), std::move(name),
              std::move(options));
}

Error ContainerReader::Corrupt(std::string_view what) const {
  return cqlbulk::Corrupt(name_ + ": " + std::string(what));
}

Result<bool> ContainerReader::Need(size_t n) {
  while (in_end_ - in_begin_ < n) {
    if (at_end_) {
      return false;
    }
    if (in_begin_ > 0) {
      std::memmove(in_.data(), in_.data() + in_begin_, in_end_ - in_begin_);
      in_end_ -= in_begin_;
      in_begin_ = 0;
    }
    if (in_end_ == in_.size()) {
      // Grow toward n, at most doubling what has arrived: a size the file claims costs memory
      // only as its bytes come.
      size_t grown = std::min(std::max(n, kReadBytes), std::max(2 * in_.size(), kReadBytes));
      in_.resize(std::max(in_.size(), grown));
    }
    CQLBULK_ASSIGN_OR_RETURN(size_t got,
                             source_->Read(std::span<uint8_t>(in_).subspan(in_end_)));
    if (got == 0) {
      at_end_ = true;
    }
    in_end_ += got;
  }
  return true;
}

BytesView ContainerReader::Take(size_t n) {
  BytesView out(in_.data() + in_begin_, n);
  in_begin_ += n;
  offset_ += n;
  return out;
}

Result<int64_t> ContainerReader::ReadLong(std::string_view what) {
  uint64_t z = 0;
  uint64_t start = offset_;
  for (int shift = 0; shift < 70; shift += 7) {
    CQLBULK_ASSIGN_OR_RETURN(bool more, Need(1));
    if (!more) {
      return Corrupt("the file ends inside the " + std::string(what) + " at byte " +
                     std::to_string(start));
    }
    uint8_t b = Take(1)[0];
    if (shift == 63 && b > 1) {
      break;
    }
    z |= uint64_t{b & 0x7Fu} << shift;
    if ((b & 0x80) == 0) {
      return ZigZagDecode(z);
    }
  }
  return Corrupt("the " + std::string(what) + " at byte " + std::to_string(start) +
                 " is a varint longer than 64 bits");
}

Status ContainerReader::ReadHeader() {
  CQLBULK_ASSIGN_OR_RETURN(bool more, Need(4));
  if (!more || std::memcmp(Take(4).data(), kMagic, 4) != 0) {
    return Corrupt("not an Avro object container file (it does not start with Obj\\x01)");
  }
  // The metadata: a map of bytes, in blocks ("Object Container Files").
  while (true) {
    CQLBULK_ASSIGN_OR_RETURN(int64_t count, ReadLong("header's metadata count"));
    if (count == 0) {
      break;
    }
    if (count < 0) {
      CQLBULK_ASSIGN_OR_RETURN(int64_t block_size, ReadLong("header's metadata block size"));
      static_cast<void>(block_size);  // the entries are read one by one
      count = count == INT64_MIN ? INT64_MAX : -count;
    }
    if (count > kMaxMetadataEntries - static_cast<int64_t>(metadata_.size())) {
      return Corrupt("the header has more than " + std::to_string(kMaxMetadataEntries) +
                     " metadata entries");
    }
    for (int64_t i = 0; i < count; ++i) {
      std::string entry[2];
      for (std::string& s : entry) {
        uint64_t at = offset_;
        CQLBULK_ASSIGN_OR_RETURN(int64_t length, ReadLong("header's metadata"));
        if (length < 0 || static_cast<uint64_t>(length) > options_.max_block_bytes) {
          return Corrupt("a metadata string of " + std::to_string(length) + " bytes at byte " +
                         std::to_string(at));
        }
        CQLBULK_ASSIGN_OR_RETURN(bool whole, Need(static_cast<size_t>(length)));
        if (!whole) {
          return Corrupt("the file ends inside the header's metadata at byte " +
                         std::to_string(at));
        }
        s = std::string(AsChars(Take(static_cast<size_t>(length))));
      }
      metadata_.emplace_back(std::move(entry[0]), std::move(entry[1]));
    }
  }
  CQLBULK_ASSIGN_OR_RETURN(bool has_sync, Need(sync_.size()));
  if (!has_sync) {
    return Corrupt("the file ends inside the header's sync marker");
  }
  std::memcpy(sync_.data(), Take(sync_.size()).data(), sync_.size());

  std::optional<std::string_view> schema_json = FindMetadata("avro.schema");
  if (!schema_json) {
    return Corrupt("the header has no avro.schema");
  }
  Result<Schema> schema = Schema::Parse(*schema_json);
  if (!schema.has_value()) {
    return Corrupt("avro.schema: " + schema.error().message());
  }
  writer_schema_ = std::move(*schema);
  std::string_view codec = FindMetadata("avro.codec").value_or("null");
  Result<Codec> parsed = ParseCodec(codec);
  if (!parsed.has_value()) {
    return Error(ErrorCode::kUnimplemented, name_ + ": " + parsed.error().message());
  }
  codec_ = *parsed;
  if (codec_ == Codec::kSnappy) {
    CQLBULK_ASSIGN_OR_RETURN(snappy_, BlockDecompressor::Make(BlockCodec::kSnappy));
  }
  if (options_.reader_schema) {
    reader_schema_ = std::move(options_.reader_schema);
    options_.reader_schema.reset();
    Result<Resolution> resolution = Resolution::Make(writer_schema_, *reader_schema_);
    if (!resolution.has_value()) {
      return std::move(resolution).error().WithContext(name_ + ": reader's schema");
    }
    resolution_ = std::move(*resolution);
  }
  return OkStatus();
}

std::optional<std::string_view> ContainerReader::FindMetadata(std::string_view key) const {
  for (const auto& [k, v] : metadata_) {
    if (k == key) {
      return std::string_view(v);
    }
  }
  return std::nullopt;
}

Status ContainerReader::Decompress(BytesView data) {
  switch (codec_) {
    case Codec::kNull:
      block_data_ = data;
      return OkStatus();
    case Codec::kDeflate:
      block_.Clear();
      CQLBULK_RETURN_IF_ERROR(RawInflate(data, options_.max_block_bytes, block_));
      block_data_ = block_.view();
      return OkStatus();
    case Codec::kSnappy: {
      // Raw Snappy, then the big-endian CRC-32 of the uncompressed bytes ("snappy").
      if (data.size() < 4) {
        return cqlbulk::Corrupt("a snappy block of " + std::to_string(data.size()) +
                                " bytes has no room for its checksum");
      }
      BytesView compressed = data.first(data.size() - 4);
      CQLBULK_ASSIGN_OR_RETURN(size_t size, SnappyUncompressedLength(compressed));
      if (size > options_.max_block_bytes) {
        return cqlbulk::Corrupt("a snappy block says it holds " + std::to_string(size) +
                                " bytes, more than the limit of " +
                                std::to_string(options_.max_block_bytes));
      }
      block_.Clear();
      uint8_t* out = block_.Grow(size);
      CQLBULK_RETURN_IF_ERROR(snappy_->Decompress(compressed, std::span<uint8_t>(out, size)));
      uint32_t expected = LoadBE32(data.data() + data.size() - 4);
      uint32_t actual = Crc32(block_.view());
      if (actual != expected) {
        return cqlbulk::Corrupt("the snappy block's CRC-32 is " + std::to_string(actual) +
                                ", its checksum says " + std::to_string(expected));
      }
      block_data_ = block_.view();
      return OkStatus();
    }
  }
  return Internal("unknown codec");
}

Result<bool> ContainerReader::ReadBlock() {
  CQLBULK_ASSIGN_OR_RETURN(bool more, Need(1));
  if (!more) {
    return false;
  }
  block_offset_ = offset_;
  std::string where = "block " + std::to_string(num_blocks_) + " at byte " +
                      std::to_string(block_offset_);
  CQLBULK_ASSIGN_OR_RETURN(int64_t count, ReadLong(where + "'s record count"));
  CQLBULK_ASSIGN_OR_RETURN(int64_t size, ReadLong(where + "'s byte size"));
  if (count < 0 || size < 0 || static_cast<uint64_t>(size) > options_.max_block_bytes) {
    return Corrupt(where + ": " + std::to_string(count) + " records in " +
                   std::to_string(size) + " bytes (at most " +
                   std::to_string(options_.max_block_bytes) + " bytes)");
  }
  auto data_bytes = static_cast<size_t>(size);
  CQLBULK_ASSIGN_OR_RETURN(bool whole, Need(data_bytes + sync_.size()));
  if (!whole) {
    return Corrupt(where + ": its " + std::to_string(size) +
                   " bytes and sync marker pass the end of the file");
  }
  BytesView data = Take(data_bytes);
  if (std::memcmp(Take(sync_.size()).data(), sync_.data(), sync_.size()) != 0) {
    return Corrupt(where + ": the sync marker after its " + std::to_string(size) +
                   " bytes is not the header's");
  }
  Status decompressed = Decompress(data);
  if (!decompressed.has_value()) {
    return std::move(decompressed).error().WithContext(name_ + ": " + where);
  }
  decoder_.emplace(writer_schema_, block_data_);
  // Records cannot be more than their bytes allow (or, when a record may take no bytes, than
  // the decoder's budget for those).
  size_t min_record = writer_schema_.min_encoded_bytes(writer_schema_.root());
  auto records = static_cast<uint64_t>(count);
  if (min_record > 0 && records > block_data_.size() / min_record) {
    return Corrupt(where + ": " + std::to_string(records) + " records of at least " +
                   std::to_string(min_record) + " bytes cannot fit in its " +
                   std::to_string(block_data_.size()) + " bytes");
  }
  if (min_record == 0) {
    Status spent = decoder_->SpendZeroSize(records, "records");
    if (!spent.has_value()) {
      return std::move(spent).error().WithContext(name_ + ": " + where);
    }
  }
  block_records_left_ = records;
  ++num_blocks_;
  return true;
}

Result<std::optional<Value>> ContainerReader::Next() {
  while (block_records_left_ == 0) {
    if (decoder_ && !decoder_->empty()) {
      return Corrupt("block " + std::to_string(num_blocks_ - 1) + " at byte " +
                     std::to_string(block_offset_) + ": " + std::to_string(decoder_->remaining()) +
                     " bytes follow its last record");
    }
    decoder_.reset();
    CQLBULK_ASSIGN_OR_RETURN(bool more, ReadBlock());
    if (!more) {
      return std::optional<Value>();
    }
  }
  Result<Value> v = resolution_ ? decoder_->Next(*resolution_) : decoder_->Next();
  if (!v.has_value()) {
    return std::move(v).error().WithContext(name_ + ": block " + std::to_string(num_blocks_ - 1) +
                                            " at byte " + std::to_string(block_offset_));
  }
  --block_records_left_;
  ++num_records_read_;
  return std::optional<Value>(std::move(*v));
}

}  // namespace cqlbulk::formats::avro
