// SPDX-License-Identifier: Apache-2.0
// ContainerWriter ("Object Container Files"), and the codec names both sides share.
#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "cqlbulk/core/checksum.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/core/varint.h"
#include "cqlbulk/formats/avro/container.h"

namespace cqlbulk::formats::avro {
namespace {

constexpr uint8_t kMagic[4] = {'O', 'b', 'j', 1};

void WriteLong(int64_t v, data::Buffer& out) {
  uint64_t z = ZigZagEncode(v);
  while (z >= 0x80) {
    out.Append(static_cast<uint8_t>(z | 0x80));
    z >>= 7;
  }
  out.Append(static_cast<uint8_t>(z));
}

void WriteString(std::string_view s, data::Buffer& out) {
  WriteLong(static_cast<int64_t>(s.size()), out);
  out.Append(AsBytes(s));
}

Result<SyncMarker> RandomSyncMarker() {
  SyncMarker marker{};
  ssize_t n = getrandom(marker.data(), marker.size(), 0);
  if (n != static_cast<ssize_t>(marker.size())) {
    return IoError("cannot get 16 random bytes for the Avro sync marker: " +
                   std::string(std::strerror(errno)));
  }
  return marker;
}

}  // namespace

std::string_view CodecName(Codec codec) {
  switch (codec) {
    case Codec::kNull:
      return "null";
    case Codec::kDeflate:
      return "deflate";
    case Codec::kSnappy:
      return "snappy";
  }
  return "?";
}

Result<Codec> ParseCodec(std::string_view name) {
  for (Codec c : {Codec::kNull, Codec::kDeflate, Codec::kSnappy}) {
    if (CodecName(c) == name) {
      return c;
    }
  }
  return InvalidArgument("unknown Avro codec '" + std::string(name) +
                         "' (null, deflate and snappy are supported)");
}

ContainerWriter::ContainerWriter(Schema schema, std::unique_ptr<OutputStream> sink,
                                 ContainerWriterOptions options)
    : schema_(std::move(schema)), sink_(std::move(sink)), options_(std::move(options)) {}

Result<std::unique_ptr<ContainerWriter>> ContainerWriter::Make(Schema schema,
                                                               std::unique_ptr<OutputStream> sink,
                                                               ContainerWriterOptions options) {
  for (const auto& [key, value] : options.metadata) {
    if (key.starts_with("avro.")) {
      return InvalidArgument("Avro metadata key '" + key + "' is reserved (avro.*)");
    }
  }
  bool level_ok = options.deflate_level >= 1 && options.deflate_level <= 9;
  if (options.codec == Codec::kDeflate && !level_ok) {
    return InvalidArgument("deflate level " + std::to_string(options.deflate_level) +
                           " is not in 1..9");
  }
  auto writer = std::unique_ptr<ContainerWriter>(
      new ContainerWriter(std::move(schema), std::move(sink), std::move(options)));
  if (writer->options_.sync_marker) {
    writer->sync_ = *writer->options_.sync_marker;
  } else {
    CQLBULK_ASSIGN_OR_RETURN(writer->sync_, RandomSyncMarker());
  }
  if (writer->options_.codec == Codec::kSnappy) {
    CQLBULK_ASSIGN_OR_RETURN(writer->snappy_, BlockCompressor::Make(BlockCodec::kSnappy));
  }
  CQLBULK_RETURN_IF_ERROR(writer->WriteHeader());
  return writer;
}

Status ContainerWriter::Write(BytesView bytes) {
  CQLBULK_RETURN_IF_ERROR(sink_->Write(bytes));
  bytes_written_ += bytes.size();
  return OkStatus();
}

// The header: magic, the metadata map ({"type": "map", "values": "bytes"}: one block of
// entries, then the end block), the sync marker.
Status ContainerWriter::WriteHeader() {
  data::Buffer header;
  header.Append(BytesView(kMagic));
  WriteLong(static_cast<int64_t>(2 + options_.metadata.size()), header);
  WriteString("avro.schema", header);
  WriteString(schema_.ToJson(), header);
  WriteString("avro.codec", header);
  WriteString(CodecName(options_.codec), header);
  for (const auto& [key, value] : options_.metadata) {
    WriteString(key, header);
    WriteString(value, header);
  }
  WriteLong(0, header);
  header.Append(BytesView(sync_));
  return Write(header.view());
}

Status ContainerWriter::Append(const Value& value) {
  if (closed_) {
    return Internal("Avro: Append after Close");
  }
  CQLBULK_RETURN_IF_ERROR(Encode(schema_, value, block_));
  ++block_count_;
  ++num_records_;
  if (block_.size() >= options_.block_bytes ||
      (options_.block_records > 0 && block_count_ >= options_.block_records)) {
    return WriteBlock();
  }
  return OkStatus();
}

// A block: the record count, the byte size after the codec, the bytes, the sync marker.
Status ContainerWriter::WriteBlock() {
  if (block_count_ == 0) {
    return OkStatus();
  }
  BytesView data = block_.view();
  switch (options_.codec) {
    case Codec::kNull:
      break;
    case Codec::kDeflate:
      CQLBULK_RETURN_IF_ERROR(RawDeflate(block_.view(), options_.deflate_level, compressed_));
      data = compressed_.view();
      break;
    case Codec::kSnappy: {
      CQLBULK_RETURN_IF_ERROR(snappy_->Compress(block_.view(), compressed_));
      uint8_t crc[4];
      StoreBE32(crc, Crc32(block_.view()));
      compressed_.Append(BytesView(crc));
      data = compressed_.view();
      break;
    }
  }
  data::Buffer head;
  WriteLong(static_cast<int64_t>(block_count_), head);
  WriteLong(static_cast<int64_t>(data.size()), head);
  CQLBULK_RETURN_IF_ERROR(Write(head.view()));
  CQLBULK_RETURN_IF_ERROR(Write(data));
  CQLBULK_RETURN_IF_ERROR(Write(BytesView(sync_)));
  block_.Clear();
  compressed_.Clear();
  block_count_ = 0;
  ++num_blocks_;
  return OkStatus();
}

Status ContainerWriter::Flush() {
  if (closed_) {
    return Internal("Avro: Flush after Close");
  }
  CQLBULK_RETURN_IF_ERROR(WriteBlock());
  return sink_->Flush();
}

Status ContainerWriter::Close() {
  if (closed_) {
    return OkStatus();
  }
  closed_ = true;
  CQLBULK_RETURN_IF_ERROR(WriteBlock());
  return sink_->Close();
}

}  // namespace cqlbulk::formats::avro
