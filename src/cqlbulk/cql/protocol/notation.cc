// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/protocol/notation.h"

#include <algorithm>
#include <limits>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::cql {
namespace {

constexpr size_t kMaxShort = std::numeric_limits<uint16_t>::max();
constexpr size_t kMaxInt = static_cast<size_t>(std::numeric_limits<int32_t>::max());

}  // namespace

std::string_view ConsistencyName(Consistency consistency) {
  switch (consistency) {
    case Consistency::kAny:
      return "ANY";
    case Consistency::kOne:
      return "ONE";
    case Consistency::kTwo:
      return "TWO";
    case Consistency::kThree:
      return "THREE";
    case Consistency::kQuorum:
      return "QUORUM";
    case Consistency::kAll:
      return "ALL";
    case Consistency::kLocalQuorum:
      return "LOCAL_QUORUM";
    case Consistency::kEachQuorum:
      return "EACH_QUORUM";
    case Consistency::kSerial:
      return "SERIAL";
    case Consistency::kLocalSerial:
      return "LOCAL_SERIAL";
    case Consistency::kLocalOne:
      return "LOCAL_ONE";
  }
  return "UNKNOWN";
}

Error ProtocolReader::Malformed(std::string_view what) const {
  return ProtocolError(std::string(what) + " at offset " + std::to_string(position()));
}

Result<std::string_view> ProtocolReader::ReadString() {
  CQLBULK_ASSIGN_OR_RETURN(uint16_t n, ReadU16());
  CQLBULK_ASSIGN_OR_RETURN(BytesView b, ReadBytes(n));
  return AsChars(b);
}

Result<std::string_view> ProtocolReader::ReadLongString() {
  CQLBULK_ASSIGN_OR_RETURN(int32_t n, ReadI32());
  if (n < 0) {
    return Malformed("negative [long string] length " + std::to_string(n));
  }
  CQLBULK_ASSIGN_OR_RETURN(BytesView b, ReadBytes(static_cast<size_t>(n)));
  return AsChars(b);
}

Result<std::optional<BytesView>> ProtocolReader::ReadBytesField() {
  CQLBULK_ASSIGN_OR_RETURN(int32_t n, ReadI32());
  if (n < 0) {
    return std::optional<BytesView>();
  }
  CQLBULK_ASSIGN_OR_RETURN(BytesView b, ReadBytes(static_cast<size_t>(n)));
  return std::optional<BytesView>(b);
}

Result<BytesView> ProtocolReader::ReadShortBytes() {
  CQLBULK_ASSIGN_OR_RETURN(uint16_t n, ReadU16());
  return ReadBytes(n);
}

Result<BoundValue> ProtocolReader::ReadValue() {
  CQLBULK_ASSIGN_OR_RETURN(int32_t n, ReadI32());
  if (n == -1) {
    return BoundValue::Null();
  }
  if (n == -2) {
    return BoundValue::Unset();
  }
  if (n < 0) {
    return Malformed("invalid [value] length " + std::to_string(n));
  }
  CQLBULK_ASSIGN_OR_RETURN(BytesView b, ReadBytes(static_cast<size_t>(n)));
  return BoundValue::Of(b);
}

Result<std::vector<std::string>> ProtocolReader::ReadStringList() {
  CQLBULK_ASSIGN_OR_RETURN(uint16_t n, ReadU16());
  // Each [string] needs at least its 2-byte length: reject impossible counts before reserving.
  if (size_t{n} * 2 > remaining()) {
    return Malformed("[string list] of " + std::to_string(n) + " entries exceeds the body");
  }
  std::vector<std::string> out;
  out.reserve(n);
  for (uint16_t i = 0; i < n; ++i) {
    CQLBULK_ASSIGN_OR_RETURN(std::string_view s, ReadString());
    out.emplace_back(s);
  }
  return out;
}

Result<StringMap> ProtocolReader::ReadStringMap() {
  CQLBULK_ASSIGN_OR_RETURN(uint16_t n, ReadU16());
  if (size_t{n} * 4 > remaining()) {
    return Malformed("[string map] of " + std::to_string(n) + " entries exceeds the body");
  }
  StringMap out;
  out.reserve(n);
  for (uint16_t i = 0; i < n; ++i) {
    CQLBULK_ASSIGN_OR_RETURN(std::string_view k, ReadString());
    CQLBULK_ASSIGN_OR_RETURN(std::string_view v, ReadString());
    out.emplace_back(std::string(k), std::string(v));
  }
  return out;
}

Result<StringMultimap> ProtocolReader::ReadStringMultimap() {
  CQLBULK_ASSIGN_OR_RETURN(uint16_t n, ReadU16());
  if (size_t{n} * 4 > remaining()) {
    return Malformed("[string multimap] of " + std::to_string(n) + " entries exceeds the body");
  }
  StringMultimap out;
  out.reserve(n);
  for (uint16_t i = 0; i < n; ++i) {
    CQLBULK_ASSIGN_OR_RETURN(std::string_view k, ReadString());
    CQLBULK_ASSIGN_OR_RETURN(std::vector<std::string> v, ReadStringList());
    out.emplace_back(std::string(k), std::move(v));
  }
  return out;
}

Result<BytesMap> ProtocolReader::ReadBytesMap() {
  CQLBULK_ASSIGN_OR_RETURN(uint16_t n, ReadU16());
  if (size_t{n} * 6 > remaining()) {
    return Malformed("[bytes map] of " + std::to_string(n) + " entries exceeds the body");
  }
  BytesMap out;
  out.reserve(n);
  for (uint16_t i = 0; i < n; ++i) {
    CQLBULK_ASSIGN_OR_RETURN(std::string_view k, ReadString());
    CQLBULK_ASSIGN_OR_RETURN(std::optional<BytesView> v, ReadBytesField());
    std::optional<Bytes> value;
    if (v) {
      value.emplace(v->begin(), v->end());
    }
    out.emplace_back(std::string(k), std::move(value));
  }
  return out;
}

Result<Bytes> ProtocolReader::ReadInetAddr() {
  CQLBULK_ASSIGN_OR_RETURN(uint8_t n, ReadU8());
  if (n != 4 && n != 16) {
    return Malformed("[inetaddr] size " + std::to_string(n) + " is neither 4 nor 16");
  }
  CQLBULK_ASSIGN_OR_RETURN(BytesView b, ReadBytes(n));
  return Bytes(b.begin(), b.end());
}

Result<InetAddress> ProtocolReader::ReadInet() {
  InetAddress out;
  CQLBULK_ASSIGN_OR_RETURN(out.address, ReadInetAddr());
  CQLBULK_ASSIGN_OR_RETURN(out.port, ReadI32());
  return out;
}

Result<Consistency> ProtocolReader::ReadConsistency() {
  CQLBULK_ASSIGN_OR_RETURN(uint16_t v, ReadU16());
  if (v > static_cast<uint16_t>(Consistency::kLocalOne)) {
    return Malformed("unknown consistency " + std::to_string(v));
  }
  return static_cast<Consistency>(v);
}

Result<Uuid> ProtocolReader::ReadUuid() {
  CQLBULK_ASSIGN_OR_RETURN(BytesView b, ReadBytes(16));
  Uuid u;
  std::copy(b.begin(), b.end(), u.bytes.begin());
  return u;
}

Result<bool> ProtocolReader::ReadBoolByte() {
  CQLBULK_ASSIGN_OR_RETURN(uint8_t v, ReadU8());
  return v != 0;
}

void ProtocolWriter::Fail(Error error) {
  if (!error_) {
    error_.emplace(std::move(error));
  }
}

Status ProtocolWriter::status() const {
  if (error_) {
    return *error_;
  }
  return OkStatus();
}

Result<Bytes> ProtocolWriter::Finish() && {
  if (error_) {
    return *std::move(error_);
  }
  return std::move(*this).Take();
}

void ProtocolWriter::WriteShortCount(size_t n) {
  if (n > kMaxShort) {
    Fail(InvalidArgument("count " + std::to_string(n) + " does not fit a [short]"));
    return;
  }
  WriteU16(static_cast<uint16_t>(n));
}

void ProtocolWriter::WriteString(std::string_view s) {
  if (s.size() > kMaxShort) {
    Fail(InvalidArgument("[string] of " + std::to_string(s.size()) + " bytes exceeds 65535"));
    return;
  }
  WriteU16(static_cast<uint16_t>(s.size()));
  WriteChars(s);
}

void ProtocolWriter::WriteLongString(std::string_view s) {
  if (s.size() > kMaxInt) {
    Fail(InvalidArgument("[long string] of " + std::to_string(s.size()) + " bytes is too long"));
    return;
  }
  WriteI32(static_cast<int32_t>(s.size()));
  WriteChars(s);
}

void ProtocolWriter::WriteBytesField(BytesView b) {
  if (b.size() > kMaxInt) {
    Fail(InvalidArgument("[bytes] of " + std::to_string(b.size()) + " bytes is too long"));
    return;
  }
  WriteI32(static_cast<int32_t>(b.size()));
  WriteBytes(b);
}

void ProtocolWriter::WriteOptionalBytes(const std::optional<Bytes>& b) {
  if (b) {
    WriteBytesField(*b);
  } else {
    WriteNullBytes();
  }
}

void ProtocolWriter::WriteShortBytes(BytesView b) {
  if (b.size() > kMaxShort) {
    Fail(InvalidArgument("[short bytes] of " + std::to_string(b.size()) + " bytes exceeds 65535"));
    return;
  }
  WriteU16(static_cast<uint16_t>(b.size()));
  WriteBytes(b);
}

void ProtocolWriter::WriteValue(const BoundValue& v) {
  switch (v.kind) {
    case BoundValue::Kind::kBytes:
      WriteBytesField(v.bytes);
      return;
    case BoundValue::Kind::kNull:
      WriteI32(-1);
      return;
    case BoundValue::Kind::kUnset:
      WriteI32(-2);
      return;
  }
}

void ProtocolWriter::WriteValues(const std::vector<BoundValue>& bound,
                                 const EncodedValues& values) {
  if (values.count == 0) {
    WriteShortCount(bound.size());
    for (const BoundValue& v : bound) {
      WriteValue(v);
    }
    return;
  }
  if (!bound.empty()) {
    Fail(InvalidArgument("a statement with both bound and encoded values"));
    return;
  }
  WriteU16(values.count);
  WriteBytes(values.view());
}

void ProtocolWriter::WriteStringList(const std::vector<std::string>& list) {
  WriteShortCount(list.size());
  for (const auto& s : list) {
    WriteString(s);
  }
}

void ProtocolWriter::WriteStringMap(const StringMap& map) {
  WriteShortCount(map.size());
  for (const auto& [k, v] : map) {
    WriteString(k);
    WriteString(v);
  }
}

void ProtocolWriter::WriteStringMultimap(const StringMultimap& map) {
  WriteShortCount(map.size());
  for (const auto& [k, v] : map) {
    WriteString(k);
    WriteStringList(v);
  }
}

void ProtocolWriter::WriteBytesMap(const BytesMap& map) {
  WriteShortCount(map.size());
  for (const auto& [k, v] : map) {
    WriteString(k);
    WriteOptionalBytes(v);
  }
}

void ProtocolWriter::WriteInetAddr(BytesView address) {
  if (address.size() != 4 && address.size() != 16) {
    Fail(InvalidArgument("an [inetaddr] has 4 or 16 bytes, not " + std::to_string(address.size())));
    return;
  }
  WriteU8(static_cast<uint8_t>(address.size()));
  WriteBytes(address);
}

void ProtocolWriter::WriteInet(const InetAddress& inet) {
  WriteInetAddr(inet.address);
  WriteI32(inet.port);
}

}  // namespace cqlbulk::cql
