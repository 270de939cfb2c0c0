// SPDX-License-Identifier: Apache-2.0
#include <bit>
#include <cstring>
#include <limits>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/types/text_internal.h"
#include "cqlbulk/cql/types/value_codec.h"
#include "cqlbulk/cql/types/vint.h"

namespace cqlbulk::cql {
namespace {

/// Names a type in messages without walking (possibly incomplete) parameters.
std::string TypeLabel(const DataType& type) {
  switch (type.id) {
    case TypeId::kList:
      return "list";
    case TypeId::kSet:
      return "set";
    case TypeId::kMap:
      return "map";
    case TypeId::kTuple:
      return "tuple";
    case TypeId::kUdt:
      return "udt " + type.name;
    case TypeId::kVector:
      return "vector";
    default:
      return type.ToCql();
  }
}

Error Malformed(const DataType& type, std::string_view why) {
  return ProtocolError("malformed " + TypeLabel(type) + " value: " + std::string(why));
}

Error WrongSize(const DataType& type, size_t want, size_t got) {
  return Malformed(type, "expected " + std::to_string(want) + " bytes, got " + std::to_string(got));
}

Result<Value> Decode(const DataType& type, BytesView bytes, int depth);

/// Fixed-size natives: `size` bytes, or zero bytes where Cassandra allows an empty value.
Status CheckFixed(const DataType& type, BytesView bytes, bool empty_allowed) {
  auto size = static_cast<size_t>(type.fixed_size());
  if (bytes.size() == size || (bytes.empty() && empty_allowed)) return {};
  return WrongSize(type, size, bytes.size());
}

/// A [bytes] element of a collection/tuple/UDT; nullopt for a null element.
Result<std::optional<BytesView>> ReadElement(const DataType& type, ByteReader& in) {
  CQLBULK_ASSIGN_OR_RETURN(int32_t length, in.ReadI32());
  if (length == -1) return std::optional<BytesView>();
  if (length < 0) return Malformed(type, "element length " + std::to_string(length));
  CQLBULK_ASSIGN_OR_RETURN(BytesView b, in.ReadBytes(static_cast<size_t>(length)));
  return std::optional<BytesView>(b);
}

/// The element count of a list/set/map, checked against what the remaining bytes can hold
/// (each element takes at least `min_bytes_each`), so that a hostile count cannot make us
/// allocate.
Result<size_t> ReadCount(const DataType& type, ByteReader& in, size_t min_bytes_each) {
  if (in.empty()) return Malformed(type, "missing element count");
  CQLBULK_ASSIGN_OR_RETURN(int32_t n, in.ReadI32());
  if (n < 0) return Malformed(type, "negative element count " + std::to_string(n));
  if (static_cast<size_t>(n) > in.remaining() / min_bytes_each) {
    return Malformed(type, "element count " + std::to_string(n) + " exceeds the " +
                               std::to_string(in.remaining()) + " bytes left");
  }
  return static_cast<size_t>(n);
}

Result<Value> DecodeNonNullElement(const DataType& type, const DataType& element, ByteReader& in,
                                   int depth) {
  CQLBULK_ASSIGN_OR_RETURN(std::optional<BytesView> b, ReadElement(type, in));
  if (!b) return Malformed(type, "null element in a collection");
  return Decode(element, *b, depth + 1);
}

Status CheckConsumed(const DataType& type, const ByteReader& in) {
  if (in.empty()) return {};
  return Malformed(type, std::to_string(in.remaining()) + " unexpected bytes after the value");
}

Result<Value> DecodeListOrSet(const DataType& type, BytesView bytes, int depth) {
  ByteReader in(bytes, ErrorCode::kProtocol);
  CQLBULK_ASSIGN_OR_RETURN(size_t n, ReadCount(type, in, 4));
  Value::Elements elements;
  elements.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    CQLBULK_ASSIGN_OR_RETURN(Value v, DecodeNonNullElement(type, *type.params[0], in, depth));
    elements.push_back(std::move(v));
  }
  CQLBULK_RETURN_IF_ERROR(CheckConsumed(type, in));
  return type.id == TypeId::kList ? Value::List(std::move(elements))
                                  : Value::Set(std::move(elements));
}

Result<Value> DecodeMap(const DataType& type, BytesView bytes, int depth) {
  ByteReader in(bytes, ErrorCode::kProtocol);
  CQLBULK_ASSIGN_OR_RETURN(size_t n, ReadCount(type, in, 8));
  Value::Entries entries;
  entries.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    CQLBULK_ASSIGN_OR_RETURN(Value k, DecodeNonNullElement(type, *type.params[0], in, depth));
    CQLBULK_ASSIGN_OR_RETURN(Value v, DecodeNonNullElement(type, *type.params[1], in, depth));
    entries.emplace_back(std::move(k), std::move(v));
  }
  CQLBULK_RETURN_IF_ERROR(CheckConsumed(type, in));
  return Value::Map(std::move(entries));
}

/// Tuples and UDTs: [bytes] fields until the input ends; at most as many as declared.
Result<Value> DecodeFields(const DataType& type, BytesView bytes, int depth) {
  if (bytes.empty()) return Value::Empty();
  ByteReader in(bytes, ErrorCode::kProtocol);
  Value::Elements fields;
  while (!in.empty()) {
    if (fields.size() == type.params.size()) {
      return Malformed(type,
                       "more than the " + std::to_string(type.params.size()) + " declared fields");
    }
    CQLBULK_ASSIGN_OR_RETURN(std::optional<BytesView> b, ReadElement(type, in));
    if (!b) {
      fields.emplace_back();
      continue;
    }
    CQLBULK_ASSIGN_OR_RETURN(Value v, Decode(*type.params[fields.size()], *b, depth + 1));
    fields.push_back(std::move(v));
  }
  return type.id == TypeId::kTuple ? Value::Tuple(std::move(fields))
                                   : Value::Udt(std::move(fields));
}

/// v5 vectors: fixed-size elements back to back; others each after an [unsigned vint] length.
Result<Value> DecodeVector(const DataType& type, BytesView bytes, int depth) {
  if (bytes.empty()) return Value::Empty();
  const DataType& element = *type.params[0];
  auto element_size = static_cast<size_t>(element.fixed_size());
  ByteReader in(bytes, ErrorCode::kProtocol);
  // Every element takes at least one byte, so the dimension is bounded by the input.
  size_t min_each = element_size > 0 ? element_size : 1;
  if (type.dimension > in.remaining() / min_each) {
    return Malformed(type, std::to_string(bytes.size()) + " bytes cannot hold " +
                               std::to_string(type.dimension) + " elements");
  }
  Value::Elements elements;
  elements.reserve(type.dimension);
  for (uint32_t i = 0; i < type.dimension; ++i) {
    size_t length = element_size;
    if (length == 0) {
      CQLBULK_ASSIGN_OR_RETURN(uint64_t n, ReadUnsignedVint(in));
      if (n > in.remaining()) return Malformed(type, "element length past the end");
      length = static_cast<size_t>(n);
    }
    CQLBULK_ASSIGN_OR_RETURN(BytesView b, in.ReadBytes(length));
    CQLBULK_ASSIGN_OR_RETURN(Value v, Decode(element, b, depth + 1));
    elements.push_back(std::move(v));
  }
  CQLBULK_RETURN_IF_ERROR(CheckConsumed(type, in));
  return Value::Vector(std::move(elements));
}

Result<Value> DecodeDecimal(const DataType& type, BytesView bytes) {
  if (bytes.empty()) return Value::Empty();
  if (bytes.size() < 5) {
    return Malformed(type, "a decimal has a 4-byte scale and at least one byte of digits");
  }
  auto scale = static_cast<int32_t>(LoadBE32(bytes.data()));
  CQLBULK_ASSIGN_OR_RETURN(Varint unscaled, Varint::FromBytes(bytes.subspan(4)));
  return Value::Decimal(Decimal(std::move(unscaled), scale));
}

Result<Value> DecodeNative(const DataType& type, BytesView bytes) {
  const uint8_t* p = bytes.data();
  switch (type.id) {
    case TypeId::kBoolean:
      CQLBULK_RETURN_IF_ERROR(CheckFixed(type, bytes, true));
      return bytes.empty() ? Value::Empty() : Value::BooleanByte(p[0]);
    case TypeId::kTinyint:
      CQLBULK_RETURN_IF_ERROR(CheckFixed(type, bytes, false));
      return Value::Tinyint(static_cast<int8_t>(p[0]));
    case TypeId::kSmallint:
      CQLBULK_RETURN_IF_ERROR(CheckFixed(type, bytes, false));
      return Value::Smallint(static_cast<int16_t>(LoadBE16(p)));
    case TypeId::kInt:
      CQLBULK_RETURN_IF_ERROR(CheckFixed(type, bytes, true));
      return bytes.empty() ? Value::Empty() : Value::Int(static_cast<int32_t>(LoadBE32(p)));
    case TypeId::kBigint:
    case TypeId::kCounter:
    case TypeId::kTimestamp: {
      CQLBULK_RETURN_IF_ERROR(CheckFixed(type, bytes, true));
      if (bytes.empty()) return Value::Empty();
      auto v = static_cast<int64_t>(LoadBE64(p));
      if (type.id == TypeId::kBigint) return Value::Bigint(v);
      return type.id == TypeId::kCounter ? Value::Counter(v) : Value::Timestamp(v);
    }
    case TypeId::kFloat:
      CQLBULK_RETURN_IF_ERROR(CheckFixed(type, bytes, true));
      return bytes.empty() ? Value::Empty() : Value::Float(std::bit_cast<float>(LoadBE32(p)));
    case TypeId::kDouble:
      CQLBULK_RETURN_IF_ERROR(CheckFixed(type, bytes, true));
      return bytes.empty() ? Value::Empty() : Value::Double(std::bit_cast<double>(LoadBE64(p)));
    case TypeId::kAscii:
      if (!internal::IsAscii(AsChars(bytes))) return Malformed(type, "a byte above 0x7f");
      return Value::Ascii(std::string(AsChars(bytes)));
    case TypeId::kVarchar:
      if (!internal::IsValidUtf8(AsChars(bytes))) return Malformed(type, "invalid UTF-8");
      return Value::Text(std::string(AsChars(bytes)));
    case TypeId::kBlob:
    case TypeId::kCustom:
      return Value::Blob(Bytes(bytes.begin(), bytes.end()));
    case TypeId::kUuid:
    case TypeId::kTimeuuid: {
      CQLBULK_RETURN_IF_ERROR(CheckFixed(type, bytes, true));
      if (bytes.empty()) return Value::Empty();
      Uuid u;
      std::memcpy(u.bytes.data(), p, 16);
      if (type.id == TypeId::kUuid) return Value::Uuid(u);
      if (u.version() != 1) {
        return Malformed(type, "version " + std::to_string(u.version()) + ", not 1");
      }
      return Value::Timeuuid(u);
    }
    case TypeId::kDate:
      CQLBULK_RETURN_IF_ERROR(CheckFixed(type, bytes, false));
      return Value::Date(LoadBE32(p));
    case TypeId::kTime:
      CQLBULK_RETURN_IF_ERROR(CheckFixed(type, bytes, false));
      return Value::Time(static_cast<int64_t>(LoadBE64(p)));
    case TypeId::kInet: {
      if (bytes.empty()) return Value::Empty();
      auto address = IpAddress::FromBytes(bytes);
      if (!address) return Malformed(type, address.error().message());
      return Value::Inet(*address);
    }
    case TypeId::kVarint: {
      if (bytes.empty()) return Value::Empty();
      CQLBULK_ASSIGN_OR_RETURN(Varint v, Varint::FromBytes(bytes));
      return Value::Varint(std::move(v));
    }
    case TypeId::kDecimal:
      return DecodeDecimal(type, bytes);
    case TypeId::kDuration: {
      CQLBULK_ASSIGN_OR_RETURN(Duration d, Duration::Decode(bytes));
      return Value::Duration(d);
    }
    default:
      return Malformed(type, "unsupported type");
  }
}

bool HasParams(const DataType& type, size_t n) {
  if (type.params.size() != n) return false;
  for (const auto& p : type.params) {
    if (p == nullptr) return false;
  }
  return true;
}

Result<Value> Decode(const DataType& type, BytesView bytes, int depth) {
  if (depth > kMaxValueDepth) {
    return ProtocolError("value nested more than " + std::to_string(kMaxValueDepth) +
                         " levels deep");
  }
  switch (type.id) {
    case TypeId::kList:
    case TypeId::kSet:
      if (!HasParams(type, 1)) return Malformed(type, "incomplete type");
      return DecodeListOrSet(type, bytes, depth);
    case TypeId::kMap:
      if (!HasParams(type, 2)) return Malformed(type, "incomplete type");
      return DecodeMap(type, bytes, depth);
    case TypeId::kTuple:
    case TypeId::kUdt:
      if (!HasParams(type, type.params.size())) return Malformed(type, "incomplete type");
      return DecodeFields(type, bytes, depth);
    case TypeId::kVector:
      if (!HasParams(type, 1)) return Malformed(type, "incomplete type");
      return DecodeVector(type, bytes, depth);
    default:
      return DecodeNative(type, bytes);
  }
}

}  // namespace

Result<Value> DecodeValue(const DataType& type, BytesView bytes) { return Decode(type, bytes, 0); }

Result<Value> DecodeNullableValue(const DataType& type, std::optional<BytesView> bytes) {
  if (!bytes) return Value::Null();
  return Decode(type, *bytes, 0);
}

}  // namespace cqlbulk::cql
