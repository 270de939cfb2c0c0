// SPDX-License-Identifier: Apache-2.0
// Values of primitive types: the spec's appendix D ("Binary single-value serialization"), their
// order, and the truncated bounds of column metrics.
#include "cqlbulk/iceberg/spec/literal.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/iceberg/spec/utf8.h"

namespace cqlbulk::iceberg {
namespace {

using Kind = Literal::Kind;
__extension__ typedef unsigned __int128 Uint128;

constexpr std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kNull:
      return "null";
    case Kind::kBoolean:
      return "boolean";
    case Kind::kInt:
      return "int";
    case Kind::kLong:
      return "long";
    case Kind::kFloat:
      return "float";
    case Kind::kDouble:
      return "double";
    case Kind::kBytes:
      return "bytes";
  }
  return "?";
}

template <typename T>
std::string LittleEndian(T value) {
  auto bits = std::bit_cast<std::make_unsigned_t<std::conditional_t<
      sizeof(T) == 4, int32_t, int64_t>>>(value);
  std::string out(sizeof(T), '\0');
  for (size_t i = 0; i < sizeof(T); ++i) {
    out[i] = static_cast<char>(bits >> (8 * i));
  }
  return out;
}

template <typename U>
U ReadLittleEndian(std::string_view bytes) {
  U value = 0;
  for (size_t i = 0; i < sizeof(U); ++i) {
    value |= static_cast<U>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  }
  return value;
}

// 10^p for p in 0..38.
Int128 PowerOfTen(int32_t p) {
  Int128 value = 1;
  for (int32_t i = 0; i < p; ++i) value *= 10;
  return value;
}

// Orders as Java's Float.compare / Double.compare.
template <typename F>
int CompareFloating(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) {
    return std::isnan(a) == std::isnan(b) ? 0 : (std::isnan(a) ? 1 : -1);
  }
  if (a < b) return -1;
  if (a > b) return 1;
  // Equal: only -0 and +0 differ.
  return std::signbit(b) - std::signbit(a);
}

int CompareBytes(std::string_view a, std::string_view b) {
  int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
  if (c != 0) return c < 0 ? -1 : 1;
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

template <typename T>
int Three(T a, T b) {
  return a < b ? -1 : (a > b ? 1 : 0);
}

}  // namespace

Literal::Kind LiteralKindOf(const Type& type) {
  switch (type.id()) {
    case TypeId::kBoolean:
      return Kind::kBoolean;
    case TypeId::kInt:
    case TypeId::kDate:
      return Kind::kInt;
    case TypeId::kLong:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return Kind::kLong;
    case TypeId::kFloat:
      return Kind::kFloat;
    case TypeId::kDouble:
      return Kind::kDouble;
    case TypeId::kDecimal:
    case TypeId::kString:
    case TypeId::kUuid:
    case TypeId::kFixed:
    case TypeId::kBinary:
      return Kind::kBytes;
    case TypeId::kStruct:
    case TypeId::kList:
    case TypeId::kMap:
      return Kind::kNull;
  }
  return Kind::kNull;
}

std::string DecimalBytes(Int128 unscaled) {
  std::string out;
  // Big-endian, then drop leading bytes that only repeat the sign.
  for (int i = 15; i >= 0; --i) {
    out.push_back(static_cast<char>(static_cast<uint8_t>(unscaled >> (8 * i))));
  }
  size_t start = 0;
  while (start + 1 < out.size()) {
    auto lead = static_cast<unsigned char>(out[start]);
    auto next = static_cast<unsigned char>(out[start + 1]);
    if ((lead == 0x00 && next < 0x80) || (lead == 0xFF && next >= 0x80)) {
      ++start;
    } else {
      break;
    }
  }
  return out.substr(start);
}

Result<Int128> DecimalUnscaled(std::string_view bytes) {
  if (bytes.empty() || bytes.size() > 16) {
    return Corrupt("a decimal's unscaled value takes 1 to 16 bytes, not " +
                   std::to_string(bytes.size()));
  }
  // Sign-extend from the first byte.
  Int128 value = static_cast<signed char>(bytes[0]);
  for (size_t i = 1; i < bytes.size(); ++i) {
    value = static_cast<Int128>(static_cast<Uint128>(value) << 8) |
            static_cast<unsigned char>(bytes[i]);
  }
  return value;
}

std::string Int128ToString(Int128 value) {
  if (value == 0) return "0";
  Uint128 magnitude =
      value < 0 ? -static_cast<Uint128>(value) : static_cast<Uint128>(value);
  std::string digits;
  while (magnitude > 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  }
  if (value < 0) digits.push_back('-');
  std::reverse(digits.begin(), digits.end());
  return digits;
}

Status CheckLiteral(const Type& type, const Literal& value) {
  if (value.is_null()) {
    return OkStatus();
  }
  Kind expected = LiteralKindOf(type);
  if (expected == Kind::kNull) {
    return InvalidArgument("a value of " + type.ToString() + " has no single-value form");
  }
  if (value.kind != expected) {
    return InvalidArgument("a " + std::string(KindName(value.kind)) + " literal is not a value of " +
                           type.ToString());
  }
  switch (type.id()) {
    case TypeId::kUuid:
    case TypeId::kFixed: {
      size_t length = type.id() == TypeId::kUuid ? 16 : static_cast<size_t>(type.length());
      if (value.bytes.size() != length) {
        return InvalidArgument("a value of " + type.ToString() + " has " +
                               std::to_string(length) + " bytes, not " +
                               std::to_string(value.bytes.size()));
      }
      return OkStatus();
    }
    case TypeId::kString:
      if (auto bad = FindInvalidUtf8(value.bytes)) {
        return InvalidArgument("a string value is not UTF-8 at byte " + std::to_string(*bad));
      }
      return OkStatus();
    case TypeId::kDecimal: {
      auto unscaled = DecimalUnscaled(value.bytes);
      if (!unscaled) {
        return InvalidArgument(type.ToString() + ": " + unscaled.error().message());
      }
      if (DecimalBytes(*unscaled) != value.bytes) {
        return InvalidArgument(type.ToString() + ": the unscaled value's bytes are not minimal");
      }
      Int128 limit = PowerOfTen(type.precision());
      if (*unscaled >= limit || *unscaled <= -limit) {
        return InvalidArgument("unscaled value " + Int128ToString(*unscaled) + " has more than " +
                               std::to_string(type.precision()) + " digits of " +
                               type.ToString());
      }
      return OkStatus();
    }
    default:
      return OkStatus();
  }
}

Result<std::string> ToBytes(const Type& type, const Literal& value) {
  if (value.is_null()) {
    return InvalidArgument("null has no single-value form (" + type.ToString() + ")");
  }
  CQLBULK_RETURN_IF_ERROR(CheckLiteral(type, value));
  switch (value.kind) {
    case Kind::kBoolean:
      return std::string(1, value.boolean ? '\x01' : '\x00');
    case Kind::kInt:
      return LittleEndian(value.int_value);
    case Kind::kLong:
      return LittleEndian(value.long_value);
    case Kind::kFloat:
      return LittleEndian(value.float_value);
    case Kind::kDouble:
      return LittleEndian(value.double_value);
    case Kind::kBytes:
    case Kind::kNull:
      break;
  }
  return value.bytes;
}

Result<Literal> FromBytes(const Type& type, std::string_view bytes) {
  auto wrong_length = [&](std::string_view expected) {
    return Corrupt("a value of " + type.ToString() + " has " + std::string(expected) +
                   " bytes, not " + std::to_string(bytes.size()));
  };
  switch (type.id()) {
    case TypeId::kBoolean:
      if (bytes.size() != 1) return wrong_length("1");
      return Literal::Boolean(bytes[0] != 0);
    case TypeId::kInt:
    case TypeId::kDate:
      if (bytes.size() != 4) return wrong_length("4");
      return Literal::Int(static_cast<int32_t>(ReadLittleEndian<uint32_t>(bytes)));
    case TypeId::kLong:
      if (bytes.size() == 4) {  // promoted from int
        return Literal::Long(static_cast<int32_t>(ReadLittleEndian<uint32_t>(bytes)));
      }
      [[fallthrough]];
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      if (bytes.size() != 8) return wrong_length(type.id() == TypeId::kLong ? "4 or 8" : "8");
      return Literal::Long(static_cast<int64_t>(ReadLittleEndian<uint64_t>(bytes)));
    case TypeId::kFloat:
      if (bytes.size() != 4) return wrong_length("4");
      return Literal::Float(std::bit_cast<float>(ReadLittleEndian<uint32_t>(bytes)));
    case TypeId::kDouble:
      if (bytes.size() == 4) {  // promoted from float
        return Literal::Double(std::bit_cast<float>(ReadLittleEndian<uint32_t>(bytes)));
      }
      if (bytes.size() != 8) return wrong_length("4 or 8");
      return Literal::Double(std::bit_cast<double>(ReadLittleEndian<uint64_t>(bytes)));
    case TypeId::kDecimal: {
      auto unscaled = DecimalUnscaled(bytes);
      if (!unscaled) {
        return std::move(unscaled).error().WithContext(type.ToString());
      }
      return Literal::Bytes(DecimalBytes(*unscaled));
    }
    case TypeId::kString:
      if (auto bad = FindInvalidUtf8(bytes)) {
        return Corrupt("a string value is not UTF-8 at byte " + std::to_string(*bad));
      }
      return Literal::Bytes(std::string(bytes));
    case TypeId::kUuid:
      if (bytes.size() != 16) return wrong_length("16");
      return Literal::Bytes(std::string(bytes));
    case TypeId::kFixed:
      if (bytes.size() != static_cast<size_t>(type.length())) {
        return wrong_length(std::to_string(type.length()));
      }
      return Literal::Bytes(std::string(bytes));
    case TypeId::kBinary:
      return Literal::Bytes(std::string(bytes));
    case TypeId::kStruct:
    case TypeId::kList:
    case TypeId::kMap:
      break;
  }
  return Corrupt("a value of " + type.ToString() + " has no single-value form");
}

Result<int> Compare(const Type& type, const Literal& a, const Literal& b) {
  for (const Literal* value : {&a, &b}) {
    if (!value->is_null() && value->kind != LiteralKindOf(type)) {
      return InvalidArgument("cannot compare a " + std::string(KindName(value->kind)) +
                             " literal as " + type.ToString());
    }
  }
  if (a.is_null() || b.is_null()) {
    return static_cast<int>(b.is_null()) - static_cast<int>(a.is_null());
  }
  switch (a.kind) {
    case Kind::kBoolean:
      return Three(a.boolean, b.boolean);
    case Kind::kInt:
      return Three(a.int_value, b.int_value);
    case Kind::kLong:
      return Three(a.long_value, b.long_value);
    case Kind::kFloat:
      return CompareFloating(a.float_value, b.float_value);
    case Kind::kDouble:
      return CompareFloating(a.double_value, b.double_value);
    case Kind::kBytes:
    case Kind::kNull:
      break;
  }
  if (type.id() == TypeId::kDecimal) {
    CQLBULK_ASSIGN_OR_RETURN(Int128 x, DecimalUnscaled(a.bytes));
    CQLBULK_ASSIGN_OR_RETURN(Int128 y, DecimalUnscaled(b.bytes));
    return Three(x, y);
  }
  return CompareBytes(a.bytes, b.bytes);
}

Literal TruncateLowerBound(const Type& type, const Literal& value, int32_t length) {
  if (value.kind != Kind::kBytes || length < 0) {
    return value;
  }
  size_t cut = value.bytes.size();
  if (type.id() == TypeId::kString) {
    cut = Utf8PrefixBytes(value.bytes, static_cast<size_t>(length));
  } else if (type.id() == TypeId::kBinary) {
    cut = std::min(cut, static_cast<size_t>(length));
  }
  return cut == value.bytes.size() ? value : Literal::Bytes(value.bytes.substr(0, cut));
}

std::optional<Literal> TruncateUpperBound(const Type& type, const Literal& value,
                                          int32_t length) {
  Literal lower = TruncateLowerBound(type, value, length);
  if (lower.bytes.size() == value.bytes.size()) {
    return value;  // nothing was cut: the value is its own bound
  }
  std::string& prefix = lower.bytes;
  if (type.id() == TypeId::kBinary) {
    // The last byte below 0xFF, incremented; the bytes after it dropped.
    while (!prefix.empty()) {
      auto last = static_cast<unsigned char>(prefix.back());
      if (last != 0xFF) {
        prefix.back() = static_cast<char>(last + 1);
        return lower;
      }
      prefix.pop_back();
    }
    return std::nullopt;
  }
  // A string: the same by code points.
  while (!prefix.empty()) {
    size_t start = prefix.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(prefix[start]) & 0xC0) == 0x80) --start;
    size_t ignored;
    char32_t last = DecodeUtf8At(prefix, start, ignored);
    prefix.resize(start);
    if (last < 0x10FFFF) {
      AppendUtf8(prefix, last == 0xD7FF ? 0xE000 : last + 1);
      return lower;
    }
  }
  return std::nullopt;
}

}  // namespace cqlbulk::iceberg
