// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/core/bytes.h"

#include "cqlbulk/core/macros.h"

namespace cqlbulk {

Error ByteReader::Truncated(size_t needed) const {
  return Error(truncation_code_, "truncated: need " + std::to_string(needed) + " bytes at offset " +
                                     std::to_string(pos_) + ", only " +
                                     std::to_string(remaining()) + " left");
}

Result<uint8_t> ByteReader::ReadU8() {
  CQLBULK_RETURN_IF_ERROR(Need(1));
  return data_[pos_++];
}

Result<uint16_t> ByteReader::ReadU16() {
  CQLBULK_RETURN_IF_ERROR(Need(2));
  uint16_t v = LoadBE16(data_.data() + pos_);
  pos_ += 2;
  return v;
}

Result<uint32_t> ByteReader::ReadU32() {
  CQLBULK_RETURN_IF_ERROR(Need(4));
  uint32_t v = LoadBE32(data_.data() + pos_);
  pos_ += 4;
  return v;
}

Result<uint64_t> ByteReader::ReadU64() {
  CQLBULK_RETURN_IF_ERROR(Need(8));
  uint64_t v = LoadBE64(data_.data() + pos_);
  pos_ += 8;
  return v;
}

Result<int8_t> ByteReader::ReadI8() {
  CQLBULK_ASSIGN_OR_RETURN(uint8_t v, ReadU8());
  return static_cast<int8_t>(v);
}

Result<int16_t> ByteReader::ReadI16() {
  CQLBULK_ASSIGN_OR_RETURN(uint16_t v, ReadU16());
  return static_cast<int16_t>(v);
}

Result<int32_t> ByteReader::ReadI32() {
  CQLBULK_ASSIGN_OR_RETURN(uint32_t v, ReadU32());
  return static_cast<int32_t>(v);
}

Result<int64_t> ByteReader::ReadI64() {
  CQLBULK_ASSIGN_OR_RETURN(uint64_t v, ReadU64());
  return static_cast<int64_t>(v);
}

Result<BytesView> ByteReader::ReadBytes(size_t n) {
  CQLBULK_RETURN_IF_ERROR(Need(n));
  BytesView v = data_.subspan(pos_, n);
  pos_ += n;
  return v;
}

Status ByteReader::Skip(size_t n) {
  CQLBULK_RETURN_IF_ERROR(Need(n));
  pos_ += n;
  return {};
}

std::string ToHex(BytesView b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(b.size() * 2, '\0');
  for (size_t i = 0; i < b.size(); ++i) {
    out[2 * i] = kDigits[b[i] >> 4];
    out[2 * i + 1] = kDigits[b[i] & 0xf];
  }
  return out;
}

namespace {
int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

Result<Bytes> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    return InvalidArgument("hex string has odd length " + std::to_string(hex.size()));
  }
  Bytes out(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = HexDigit(hex[2 * i]);
    int lo = HexDigit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return InvalidArgument("invalid hex digit at offset " + std::to_string(hi < 0 ? 2 * i : 2 * i + 1));
    }
    out[i] = static_cast<uint8_t>((hi << 4) | lo);
  }
  return out;
}

}  // namespace cqlbulk
