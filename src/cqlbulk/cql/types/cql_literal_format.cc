// SPDX-License-Identifier: Apache-2.0
#include <bit>
#include <charconv>
#include <cmath>

#include "cqlbulk/core/cql_identifier.h"
#include "cqlbulk/core/time.h"
#include "cqlbulk/cql/types/cql_literal.h"
#include "cqlbulk/cql/types/text_internal.h"
#include "cqlbulk/cql/types/value_codec.h"

namespace cqlbulk::cql {
namespace {

/// The native type a value kind stands for (for blobAs<type> and for untyped printing).
TypeId NativeIdOf(ValueKind kind) {
  switch (kind) {
    case ValueKind::kBoolean:
      return TypeId::kBoolean;
    case ValueKind::kTinyint:
      return TypeId::kTinyint;
    case ValueKind::kSmallint:
      return TypeId::kSmallint;
    case ValueKind::kInt:
      return TypeId::kInt;
    case ValueKind::kBigint:
      return TypeId::kBigint;
    case ValueKind::kCounter:
      return TypeId::kCounter;
    case ValueKind::kFloat:
      return TypeId::kFloat;
    case ValueKind::kDouble:
      return TypeId::kDouble;
    case ValueKind::kAscii:
      return TypeId::kAscii;
    case ValueKind::kText:
      return TypeId::kVarchar;
    case ValueKind::kUuid:
      return TypeId::kUuid;
    case ValueKind::kTimeuuid:
      return TypeId::kTimeuuid;
    case ValueKind::kTimestamp:
      return TypeId::kTimestamp;
    case ValueKind::kDate:
      return TypeId::kDate;
    case ValueKind::kTime:
      return TypeId::kTime;
    case ValueKind::kInet:
      return TypeId::kInet;
    case ValueKind::kVarint:
      return TypeId::kVarint;
    case ValueKind::kDecimal:
      return TypeId::kDecimal;
    case ValueKind::kDuration:
      return TypeId::kDuration;
    default:
      return TypeId::kBlob;
  }
}

/// blobAs<Type>(0x..) with the value's own bytes.
std::string BlobAs(TypeId id, BytesView bytes) {
  std::string name = DataType::Native(id)->ToCql();
  name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return "blobAs" + name + "(0x" + ToHex(bytes) + ")";
}

std::string NativeBlobAs(const Value& value) {
  TypeId id = NativeIdOf(value.kind());
  auto bytes = EncodeValueToBytes(*DataType::Native(id), value);
  return bytes ? BlobAs(id, *bytes) : "null";
}

std::string Quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

template <typename F>
std::string FormatFloating(F v, bool is_canonical_nan) {
  if (v != v) return is_canonical_nan ? "NaN" : "";
  if (std::isinf(v)) return v < 0 ? "-Infinity" : "Infinity";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, end);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

std::string FormatNative(const Value& value) {
  switch (value.kind()) {
    case ValueKind::kBoolean:
      if (value.boolean_byte() > 1) return NativeBlobAs(value);
      return value.as_bool() ? "true" : "false";
    case ValueKind::kTinyint:
    case ValueKind::kSmallint:
    case ValueKind::kInt:
    case ValueKind::kBigint:
    case ValueKind::kCounter:
      return std::to_string(value.as_int64());
    case ValueKind::kFloat: {
      auto bits = std::bit_cast<uint32_t>(value.as_float());
      std::string s = FormatFloating(value.as_float(), bits == 0x7fc00000u);
      return s.empty() ? NativeBlobAs(value) : s;
    }
    case ValueKind::kDouble: {
      auto bits = std::bit_cast<uint64_t>(value.as_double());
      std::string s = FormatFloating(value.as_double(), bits == 0x7ff8000000000000ull);
      return s.empty() ? NativeBlobAs(value) : s;
    }
    case ValueKind::kAscii:
    case ValueKind::kText:
      return Quote(value.as_string());
    case ValueKind::kBlob:
      return "0x" + ToHex(value.as_blob());
    case ValueKind::kUuid:
    case ValueKind::kTimeuuid:
      return value.as_uuid().ToString();
    case ValueKind::kTimestamp: {
      int64_t ms = value.as_int64();
      CivilDate date = CivilFromDays(ms / 86'400'000 - (ms % 86'400'000 < 0 ? 1 : 0));
      if (date.year < 1 || date.year > 9999) return std::to_string(ms);
      return Quote(FormatTimestamp(ms));
    }
    case ValueKind::kDate: {
      if (CivilFromDays(value.date_days_since_epoch()).year > 9999) {
        return std::to_string(value.date_raw());
      }
      return Quote(FormatDate(value.date_days_since_epoch()));
    }
    case ValueKind::kTime: {
      int64_t nanos = value.as_int64();
      if (nanos < 0 || nanos >= kNanosPerDay) return NativeBlobAs(value);
      return Quote(FormatTimeOfDay(nanos));
    }
    case ValueKind::kInet:
      // Java would read a mapped address back as 4 bytes.
      if (value.as_inet().is_v4_mapped()) return NativeBlobAs(value);
      return Quote(value.as_inet().ToString());
    case ValueKind::kVarint:
      return value.as_varint().ToString();
    case ValueKind::kDecimal:
      return value.as_decimal().ToString();
    case ValueKind::kDuration:
      return value.as_duration().ToString();
    default:
      return "null";
  }
}

bool HasParam(const DataType* type, size_t i) {
  return type != nullptr && i < type->params.size() && type->params[i] != nullptr;
}

const DataType* Param(const DataType* type, size_t i) {
  return HasParam(type, i) ? type->params[i].get() : nullptr;
}

std::string Format(const DataType* type, const Value& value);

std::string Join(const DataType* element_type, const Value::Elements& elements, char open,
                 char close) {
  std::string out(1, open);
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out += ", ";
    out += Format(element_type, elements[i]);
  }
  return out + close;
}

std::string FormatEmpty(const DataType* type) {
  if (type == nullptr) return "<empty>";
  switch (type->id) {
    case TypeId::kAscii:
    case TypeId::kVarchar:
      return "''";
    case TypeId::kBlob:
    case TypeId::kCustom:
      return "0x";
    default:
      if (type->params.empty()) return BlobAs(type->id, {});
      return "null";  // no literal denotes an empty tuple, UDT or vector
  }
}

std::string Format(const DataType* type, const Value& value) {
  switch (value.kind()) {
    case ValueKind::kNull:
      return "null";
    case ValueKind::kEmpty:
      return FormatEmpty(type);
    case ValueKind::kList:
      return Join(Param(type, 0), value.elements(), '[', ']');
    case ValueKind::kVector:
      return Join(Param(type, 0), value.elements(), '[', ']');
    case ValueKind::kSet:
      return Join(Param(type, 0), value.elements(), '{', '}');
    case ValueKind::kTuple: {
      std::string out = "(";
      for (size_t i = 0; i < value.elements().size(); ++i) {
        if (i > 0) out += ", ";
        out += Format(Param(type, i), value.elements()[i]);
      }
      return out + ")";
    }
    case ValueKind::kMap: {
      std::string out = "{";
      for (size_t i = 0; i < value.entries().size(); ++i) {
        if (i > 0) out += ", ";
        out += Format(Param(type, 0), value.entries()[i].first) + ": " +
               Format(Param(type, 1), value.entries()[i].second);
      }
      return out + "}";
    }
    case ValueKind::kUdt: {
      bool named = type != nullptr && type->id == TypeId::kUdt;
      std::string out = "{";
      for (size_t i = 0; i < value.elements().size(); ++i) {
        if (i > 0) out += ", ";
        bool has_name = named && i < type->field_names.size();
        out +=
            has_name ? QuoteCqlIdentifier(type->field_names[i]) : std::to_string(i);
        out += ": " + Format(Param(type, i), value.elements()[i]);
      }
      return out + "}";
    }
    default:
      return FormatNative(value);
  }
}

}  // namespace

std::string FormatCqlLiteral(const DataType& type, const Value& value) {
  return Format(&type, value);
}

std::string Value::ToString() const { return Format(nullptr, *this); }

}  // namespace cqlbulk::cql
