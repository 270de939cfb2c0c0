// SPDX-License-Identifier: Apache-2.0
#include <bit>
#include <limits>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/types/text_internal.h"
#include "cqlbulk/cql/types/value_codec.h"
#include "cqlbulk/cql/types/vint.h"

namespace cqlbulk::cql {
namespace {

Status Encode(const DataType& type, const Value& value, ByteWriter& out, int depth);

Error Mismatch(const DataType& type, const Value& value, std::string_view why = {}) {
  std::string m = "cannot encode " + value.ToString() + " (" +
                  std::string(ValueKindName(value.kind())) + ") as " + type.ToCql();
  if (!why.empty()) m += ": " + std::string(why);
  return InvalidArgument(std::move(m));
}

/// Types whose zero-length value Cassandra accepts (see DecodeValue).
bool AcceptsEmpty(TypeId id) {
  switch (id) {
    case TypeId::kTinyint:
    case TypeId::kSmallint:
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kDuration:
    case TypeId::kList:
    case TypeId::kSet:
    case TypeId::kMap:
      return false;
    default:
      return true;
  }
}

/// [bytes]: length, then the value; null as -1.
Status EncodeField(const DataType& type, const Value& value, ByteWriter& out, int depth) {
  if (value.is_null()) {
    out.WriteI32(-1);
    return {};
  }
  size_t at = out.size();
  out.WriteI32(0);
  CQLBULK_RETURN_IF_ERROR(Encode(type, value, out, depth));
  size_t length = out.size() - at - 4;
  if (length > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return InvalidArgument("value of " + std::to_string(length) + " bytes exceeds [bytes]");
  }
  out.PatchU32(at, static_cast<uint32_t>(length));
  return {};
}

Status WriteCount(const DataType& type, size_t n, ByteWriter& out) {
  if (n > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return InvalidArgument(type.ToCql() + " has too many elements: " + std::to_string(n));
  }
  out.WriteI32(static_cast<int32_t>(n));
  return {};
}

Status EncodeNonNullElement(const DataType& collection, const DataType& element, const Value& value,
                            ByteWriter& out, int depth) {
  if (value.is_null()) return InvalidArgument(collection.ToCql() + " cannot hold null elements");
  return EncodeField(element, value, out, depth + 1);
}

Status EncodeInteger(const DataType& type, const Value& value, ByteWriter& out) {
  if (!value.is_integer()) return Mismatch(type, value);
  int64_t v = value.as_int64();
  auto fits = [&](int64_t lo, int64_t hi) { return v >= lo && v <= hi; };
  switch (type.id) {
    case TypeId::kTinyint:
      if (!fits(INT8_MIN, INT8_MAX)) return Mismatch(type, value, "out of range");
      out.WriteI8(static_cast<int8_t>(v));
      return {};
    case TypeId::kSmallint:
      if (!fits(INT16_MIN, INT16_MAX)) return Mismatch(type, value, "out of range");
      out.WriteI16(static_cast<int16_t>(v));
      return {};
    case TypeId::kInt:
      if (!fits(INT32_MIN, INT32_MAX)) return Mismatch(type, value, "out of range");
      out.WriteI32(static_cast<int32_t>(v));
      return {};
    default:
      out.WriteI64(v);
      return {};
  }
}

Status EncodeVector(const DataType& type, const Value& value, ByteWriter& out, int depth) {
  if (value.kind() != ValueKind::kVector) return Mismatch(type, value);
  const auto& elements = value.elements();
  if (elements.size() != type.dimension) {
    return Mismatch(type, value, "has " + std::to_string(elements.size()) + " elements");
  }
  const DataType& element = *type.params[0];
  auto fixed = static_cast<size_t>(element.fixed_size());
  for (const Value& e : elements) {
    if (e.is_null()) return InvalidArgument(type.ToCql() + " cannot hold null elements");
    if (fixed > 0) {
      size_t before = out.size();
      CQLBULK_RETURN_IF_ERROR(Encode(element, e, out, depth + 1));
      if (out.size() - before != fixed) {
        return Mismatch(type, value, "an element is not " + std::to_string(fixed) + " bytes");
      }
      continue;
    }
    ByteWriter body;
    CQLBULK_RETURN_IF_ERROR(Encode(element, e, body, depth + 1));
    WriteUnsignedVint(out, body.size());
    out.WriteBytes(body.view());
  }
  return {};
}

Status EncodeComposite(const DataType& type, const Value& value, ByteWriter& out, int depth) {
  switch (type.id) {
    case TypeId::kList:
    case TypeId::kSet: {
      ValueKind want = type.id == TypeId::kList ? ValueKind::kList : ValueKind::kSet;
      if (value.kind() != want) return Mismatch(type, value);
      CQLBULK_RETURN_IF_ERROR(WriteCount(type, value.elements().size(), out));
      for (const Value& e : value.elements()) {
        CQLBULK_RETURN_IF_ERROR(EncodeNonNullElement(type, *type.params[0], e, out, depth));
      }
      return {};
    }
    case TypeId::kMap:
      if (value.kind() != ValueKind::kMap) return Mismatch(type, value);
      CQLBULK_RETURN_IF_ERROR(WriteCount(type, value.entries().size(), out));
      for (const auto& [k, v] : value.entries()) {
        CQLBULK_RETURN_IF_ERROR(EncodeNonNullElement(type, *type.params[0], k, out, depth));
        CQLBULK_RETURN_IF_ERROR(EncodeNonNullElement(type, *type.params[1], v, out, depth));
      }
      return {};
    case TypeId::kTuple:
    case TypeId::kUdt: {
      ValueKind want = type.id == TypeId::kTuple ? ValueKind::kTuple : ValueKind::kUdt;
      if (value.kind() != want) return Mismatch(type, value);
      const auto& fields = value.elements();
      if (fields.size() > type.params.size()) {
        return Mismatch(type, value, "more fields than the type declares");
      }
      for (size_t i = 0; i < fields.size(); ++i) {
        CQLBULK_RETURN_IF_ERROR(EncodeField(*type.params[i], fields[i], out, depth + 1));
      }
      return {};
    }
    default:
      return EncodeVector(type, value, out, depth);
  }
}

Status EncodeNative(const DataType& type, const Value& value, ByteWriter& out) {
  ValueKind k = value.kind();
  switch (type.id) {
    case TypeId::kBoolean:
      if (k != ValueKind::kBoolean) return Mismatch(type, value);
      out.WriteU8(value.boolean_byte());
      return {};
    case TypeId::kTinyint:
    case TypeId::kSmallint:
    case TypeId::kInt:
    case TypeId::kBigint:
    case TypeId::kCounter:
      return EncodeInteger(type, value, out);
    case TypeId::kFloat:
      if (k != ValueKind::kFloat) return Mismatch(type, value);
      out.WriteU32(std::bit_cast<uint32_t>(value.as_float()));
      return {};
    case TypeId::kDouble:
      if (k != ValueKind::kDouble) return Mismatch(type, value);
      out.WriteU64(std::bit_cast<uint64_t>(value.as_double()));
      return {};
    case TypeId::kAscii:
    case TypeId::kVarchar: {
      if (k != ValueKind::kAscii && k != ValueKind::kText) return Mismatch(type, value);
      const std::string& s = value.as_string();
      if (type.id == TypeId::kAscii ? !internal::IsAscii(s) : !internal::IsValidUtf8(s)) {
        return Mismatch(type, value, type.id == TypeId::kAscii ? "not ASCII" : "invalid UTF-8");
      }
      out.WriteChars(s);
      return {};
    }
    case TypeId::kBlob:
    case TypeId::kCustom:
      if (k != ValueKind::kBlob) return Mismatch(type, value);
      out.WriteBytes(value.as_blob());
      return {};
    case TypeId::kUuid:
    case TypeId::kTimeuuid:
      if (k != ValueKind::kUuid && k != ValueKind::kTimeuuid) return Mismatch(type, value);
      if (type.id == TypeId::kTimeuuid && value.as_uuid().version() != 1) {
        return Mismatch(type, value, "a timeuuid must be a version 1 UUID");
      }
      out.WriteBytes(value.as_uuid().bytes);
      return {};
    case TypeId::kTimestamp:
    case TypeId::kTime:
      if (k != (type.id == TypeId::kTime ? ValueKind::kTime : ValueKind::kTimestamp)) {
        return Mismatch(type, value);
      }
      out.WriteI64(value.as_int64());
      return {};
    case TypeId::kDate:
      if (k != ValueKind::kDate) return Mismatch(type, value);
      out.WriteU32(value.date_raw());
      return {};
    case TypeId::kInet:
      if (k != ValueKind::kInet) return Mismatch(type, value);
      out.WriteBytes(value.as_inet().bytes());
      return {};
    case TypeId::kVarint:
      if (k != ValueKind::kVarint) return Mismatch(type, value);
      out.WriteBytes(value.as_varint().bytes());
      return {};
    case TypeId::kDecimal:
      if (k != ValueKind::kDecimal) return Mismatch(type, value);
      out.WriteI32(value.as_decimal().scale());
      out.WriteBytes(value.as_decimal().unscaled().bytes());
      return {};
    case TypeId::kDuration:
      if (k != ValueKind::kDuration) return Mismatch(type, value);
      if (!value.as_duration().has_consistent_sign()) {
        return Mismatch(type, value, "months, days and nanoseconds must share one sign");
      }
      value.as_duration().Encode(out);
      return {};
    default:
      return Mismatch(type, value, "unsupported type");
  }
}

bool IsComposite(TypeId id) {
  return id == TypeId::kList || id == TypeId::kSet || id == TypeId::kMap || id == TypeId::kTuple ||
         id == TypeId::kUdt || id == TypeId::kVector;
}

Status Encode(const DataType& type, const Value& value, ByteWriter& out, int depth) {
  if (depth > kMaxValueDepth) {
    return InvalidArgument("value nested more than " + std::to_string(kMaxValueDepth) +
                           " levels deep");
  }
  if (value.is_null()) return InvalidArgument("null is not a value of " + type.ToCql());
  if (value.is_empty()) {
    if (AcceptsEmpty(type.id)) return {};
    return InvalidArgument(type.ToCql() + " has no empty value");
  }
  if (IsComposite(type.id)) {
    size_t want =
        type.id == TypeId::kMap
            ? 2
            : (type.id == TypeId::kTuple || type.id == TypeId::kUdt ? type.params.size() : 1);
    if (type.params.size() != want) return InvalidArgument("incomplete collection type");
    for (const auto& p : type.params) {
      if (p == nullptr) return InvalidArgument("incomplete collection type");
    }
    return EncodeComposite(type, value, out, depth);
  }
  return EncodeNative(type, value, out);
}

}  // namespace

Status EncodeValue(const DataType& type, const Value& value, ByteWriter& out) {
  return Encode(type, value, out, 0);
}

Status EncodeValueAsBytes(const DataType& type, const Value& value, ByteWriter& out) {
  return EncodeField(type, value, out, 0);
}

Result<Bytes> EncodeValueToBytes(const DataType& type, const Value& value) {
  ByteWriter out;
  CQLBULK_RETURN_IF_ERROR(EncodeValue(type, value, out));
  return std::move(out).Take();
}

}  // namespace cqlbulk::cql
