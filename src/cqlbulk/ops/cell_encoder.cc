// SPDX-License-Identifier: Apache-2.0
// CheckLoadable, EncodeCell, EncodeBoundValue: batch cells into CQL values (cql_data.h).
#include "cqlbulk/ops/cql_data.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/core/varint.h"
#include "cqlbulk/cql/types/value_codec.h"
#include "cqlbulk/cql/types/vint.h"
#include "cqlbulk/ops/cql_data_internal.h"

namespace cqlbulk::ops {

using cql::DataType;
using cql::TypeId;
using data::Column;
using data::ColumnBuilder;
using data::Field;
using data::LogicalType;
using data::LogicalTypePtr;
using data::TypeKind;

using internal::HasParams;
using internal::IsAscii;
using internal::IsValidUtf8;

// --- load: batch -> CQL values ---------------------------------------------------------------

namespace {

bool IsIntegerKind(TypeKind kind) {
  return kind == TypeKind::kInt8 || kind == TypeKind::kInt16 || kind == TypeKind::kInt32 ||
         kind == TypeKind::kInt64;
}

/// Bytes of a signed integer kind (1, 2, 4, 8).
int IntegerWidth(TypeKind kind) {
  switch (kind) {
    case TypeKind::kInt8:
      return 1;
    case TypeKind::kInt16:
      return 2;
    case TypeKind::kInt32:
      return 4;
    default:
      return 8;
  }
}

/// The type-level rules of CheckLoadable (without building a message).
bool Loadable(const LogicalType& source, const DataType& target, int depth) {
  if (depth > cql::kMaxValueDepth) {
    return false;
  }
  const TypeKind kind = source.kind();
  switch (target.id) {
    case TypeId::kBoolean:
      return kind == TypeKind::kBoolean;
    case TypeId::kTinyint:
      return kind == TypeKind::kInt8;
    case TypeId::kSmallint:
      return IsIntegerKind(kind) && IntegerWidth(kind) <= 2;
    case TypeId::kInt:
      return IsIntegerKind(kind) && IntegerWidth(kind) <= 4;
    case TypeId::kBigint:
    case TypeId::kCounter:
      return IsIntegerKind(kind);
    case TypeId::kVarint:
      return IsIntegerKind(kind) || kind == TypeKind::kBigInteger;
    case TypeId::kDecimal:
      return IsIntegerKind(kind) || kind == TypeKind::kBigInteger || kind == TypeKind::kDecimal;
    case TypeId::kFloat:
      return kind == TypeKind::kFloat32;
    case TypeId::kDouble:
      return kind == TypeKind::kFloat32 || kind == TypeKind::kFloat64;
    case TypeId::kAscii:
    case TypeId::kVarchar:
      return kind == TypeKind::kString;
    case TypeId::kBlob:
    case TypeId::kCustom:
      return kind == TypeKind::kBinary;
    case TypeId::kUuid:
    case TypeId::kTimeuuid:
      return kind == TypeKind::kUuid;
    case TypeId::kTimestamp:
      return kind == TypeKind::kTimestamp;
    case TypeId::kDate:
      return kind == TypeKind::kDate;
    case TypeId::kTime:
      return kind == TypeKind::kTime;
    case TypeId::kDuration:
      return kind == TypeKind::kDuration;
    case TypeId::kInet:
      return kind == TypeKind::kInet;
    case TypeId::kList:
      return kind == TypeKind::kList && HasParams(target, 1) &&
             Loadable(*source.element().type, *target.params[0], depth + 1);
    case TypeId::kSet:
      return kind == TypeKind::kSet && HasParams(target, 1) &&
             Loadable(*source.element().type, *target.params[0], depth + 1);
    case TypeId::kMap:
      return kind == TypeKind::kMap && HasParams(target, 2) &&
             Loadable(*source.key().type, *target.params[0], depth + 1) &&
             Loadable(*source.value().type, *target.params[1], depth + 1);
    case TypeId::kTuple: {
      if (kind != TypeKind::kStruct || source.fields().size() != target.params.size() ||
          !HasParams(target, target.params.size())) {
        return false;
      }
      for (size_t i = 0; i < target.params.size(); ++i) {
        if (!Loadable(*source.fields()[i].type, *target.params[i], depth + 1)) {
          return false;
        }
      }
      return true;
    }
    case TypeId::kUdt: {
      if (kind != TypeKind::kStruct || !HasParams(target, target.params.size()) ||
          target.field_names.size() != target.params.size()) {
        return false;
      }
      size_t matched = 0;
      for (size_t i = 0; i < target.params.size(); ++i) {
        for (const Field& field : source.fields()) {
          if (field.name == target.field_names[i]) {
            if (!Loadable(*field.type, *target.params[i], depth + 1)) {
              return false;
            }
            ++matched;
            break;
          }
        }
      }
      return matched == source.fields().size();  // every source field has a UDT field
    }
    case TypeId::kVector:
      return kind == TypeKind::kVector && HasParams(target, 1) &&
             static_cast<uint32_t>(source.dimension()) == target.dimension &&
             Loadable(*source.element().type, *target.params[0], depth + 1);
  }
  return false;
}

Error Refuse(const LogicalType& source, const DataType& target) {
  return InvalidArgument("cannot load a " + source.ToString() + " value into a " +
                         target.ToCql() + " column");
}

/// Appends n bytes to `out` and returns where they go.
inline uint8_t* Extend(data::Buffer& out, size_t n) { return out.Grow(n); }

inline void Put(data::Buffer& out, BytesView bytes) { out.Append(bytes); }

/// A signed integer of any integer kind as int64.
inline int64_t IntegerAt(const Column& column, size_t row) {
  switch (column.kind()) {
    case TypeKind::kInt8:
      return column.Int8(row);
    case TypeKind::kInt16:
      return column.Int16(row);
    case TypeKind::kInt32:
      return column.Int32(row);
    default:
      return column.Int64(row);
  }
}

/// The shortest two's-complement big-endian bytes of v (a CQL varint).
void PutVarint(int64_t v, data::Buffer& out) {
  uint8_t buf[8];
  StoreBE64(buf, static_cast<uint64_t>(v));
  size_t i = 0;
  while (i < 7 && ((buf[i] == 0x00 && (buf[i + 1] & 0x80) == 0) ||
                   (buf[i] == 0xFF && (buf[i + 1] & 0x80) != 0))) {
    ++i;
  }
  Put(out, BytesView(buf + i, 8 - i));
}

void PutVint(int64_t v, data::Buffer& out) {
  uint8_t buf[9];
  size_t n = cql::EncodeUnsignedVint(ZigZagEncode(v), buf);
  Put(out, BytesView(buf, n));
}

Status EncodeValue(const Column& column, size_t row, const DataType& target, data::Buffer& out,
                   int depth);

/// A [bytes] element of a collection: its [int] length, then its bytes.
Status EncodeElement(const Column& column, size_t row, const DataType& target, data::Buffer& out,
                     int depth, const char* what) {
  if (column.IsNull(row)) {
    return InvalidArgument(std::string("a ") + what + " cannot be null in CQL (" +
                           target.ToCql() + ")");
  }
  const size_t at = out.size();
  Extend(out, 4);
  CQLBULK_RETURN_IF_ERROR(EncodeValue(column, row, target, out, depth + 1));
  StoreBE32(out.mutable_data() + at, static_cast<uint32_t>(out.size() - at - 4));
  return OkStatus();
}

Status EncodeList(const Column& column, size_t row, const DataType& target, data::Buffer& out,
                  int depth) {
  auto [first, last] = column.ElementRange(row);
  StoreBE32(Extend(out, 4), static_cast<uint32_t>(last - first));
  const Column& elements = column.child();
  const DataType& element_type = *target.params[0];
  const char* what = target.id == TypeId::kList ? "list element" : "set element";
  for (size_t i = first; i < last; ++i) {
    CQLBULK_RETURN_IF_ERROR(EncodeElement(elements, i, element_type, out, depth, what));
  }
  return OkStatus();
}

Status EncodeMap(const Column& column, size_t row, const DataType& target, data::Buffer& out,
                 int depth) {
  auto [first, last] = column.ElementRange(row);
  StoreBE32(Extend(out, 4), static_cast<uint32_t>(last - first));
  const Column& keys = column.map_keys();
  const Column& values = column.map_values();
  for (size_t i = first; i < last; ++i) {
    CQLBULK_RETURN_IF_ERROR(EncodeElement(keys, i, *target.params[0], out, depth, "map key"));
    CQLBULK_RETURN_IF_ERROR(
        EncodeElement(values, i, *target.params[1], out, depth, "map value"));
  }
  return OkStatus();
}

/// One tuple or UDT field: [bytes], null as length -1.
Status EncodeField(const Column& column, size_t row, const DataType& target, data::Buffer& out,
                   int depth) {
  if (column.IsNull(row)) {
    StoreBE32(Extend(out, 4), 0xFFFFFFFFu);
    return OkStatus();
  }
  const size_t at = out.size();
  Extend(out, 4);
  CQLBULK_RETURN_IF_ERROR(EncodeValue(column, row, target, out, depth + 1));
  StoreBE32(out.mutable_data() + at, static_cast<uint32_t>(out.size() - at - 4));
  return OkStatus();
}

Status EncodeTuple(const Column& column, size_t row, const DataType& target, data::Buffer& out,
                   int depth) {
  if (column.num_children() != target.params.size()) {
    return Refuse(*column.type(), target);
  }
  for (size_t i = 0; i < target.params.size(); ++i) {
    CQLBULK_RETURN_IF_ERROR(EncodeField(column.child(i), row, *target.params[i], out, depth));
  }
  return OkStatus();
}

Status EncodeUdt(const Column& column, size_t row, const DataType& target, data::Buffer& out,
                 int depth) {
  const std::vector<Field>& fields = column.type()->fields();
  size_t matched = 0;
  for (size_t i = 0; i < target.params.size(); ++i) {
    const std::string& name = target.field_names[i];
    size_t index = fields.size();
    if (i < fields.size() && fields[i].name == name) {
      index = i;  // the usual case: the struct is the UDT
    } else {
      for (size_t k = 0; k < fields.size(); ++k) {
        if (fields[k].name == name) {
          index = k;
          break;
        }
      }
    }
    if (index == fields.size()) {
      StoreBE32(Extend(out, 4), 0xFFFFFFFFu);  // a field the source does not have: null
      continue;
    }
    ++matched;
    CQLBULK_RETURN_IF_ERROR(EncodeField(column.child(index), row, *target.params[i], out, depth));
  }
  if (matched != fields.size()) {
    return Refuse(*column.type(), target);
  }
  return OkStatus();
}

Status EncodeVector(const Column& column, size_t row, const DataType& target, data::Buffer& out,
                    int depth) {
  auto [first, last] = column.ElementRange(row);
  if (last - first != target.dimension) {
    return Refuse(*column.type(), target);
  }
  const Column& elements = column.child();
  const DataType& element_type = *target.params[0];
  const bool fixed = element_type.fixed_size() > 0;
  for (size_t i = first; i < last; ++i) {
    if (elements.IsNull(i)) {
      return InvalidArgument("a vector element cannot be null (" + target.ToCql() + ")");
    }
    const size_t at = out.size();
    CQLBULK_RETURN_IF_ERROR(EncodeValue(elements, i, element_type, out, depth + 1));
    if (!fixed) {
      uint8_t buf[9];
      const size_t length = out.size() - at;
      size_t n = cql::EncodeUnsignedVint(length, buf);
      out.Grow(n);  // the element moves up to make room for its length before it
      std::memmove(out.mutable_data() + at + n, out.data() + at, length);
      std::memcpy(out.mutable_data() + at, buf, n);
    }
  }
  return OkStatus();
}

Status EncodeValue(const Column& column, size_t row, const DataType& target, data::Buffer& out,
                   int depth) {
  const TypeKind kind = column.kind();
  switch (target.id) {
    case TypeId::kInt:
      if (kind == TypeKind::kInt32) [[likely]] {
        StoreBE32(Extend(out, 4), static_cast<uint32_t>(column.Int32(row)));
        return OkStatus();
      }
      if (kind == TypeKind::kInt8 || kind == TypeKind::kInt16) {
        StoreBE32(Extend(out, 4), static_cast<uint32_t>(IntegerAt(column, row)));
        return OkStatus();
      }
      break;
    case TypeId::kBigint:
    case TypeId::kCounter:
      if (kind == TypeKind::kInt64) [[likely]] {
        StoreBE64(Extend(out, 8), static_cast<uint64_t>(column.Int64(row)));
        return OkStatus();
      }
      if (IsIntegerKind(kind)) {
        StoreBE64(Extend(out, 8), static_cast<uint64_t>(IntegerAt(column, row)));
        return OkStatus();
      }
      break;
    case TypeId::kVarchar:
      if (kind == TypeKind::kString) [[likely]] {
        BytesView bytes = column.Bytes(row);
        if (!IsValidUtf8(bytes.data(), bytes.size())) {
          return InvalidArgument("a string value is not valid UTF-8");
        }
        Put(out, bytes);
        return OkStatus();
      }
      break;
    case TypeId::kAscii:
      if (kind == TypeKind::kString) {
        BytesView bytes = column.Bytes(row);
        if (!IsAscii(bytes.data(), bytes.size())) {
          return InvalidArgument("a string with a byte above 0x7f cannot be loaded into an "
                                 "ascii column");
        }
        Put(out, bytes);
        return OkStatus();
      }
      break;
    case TypeId::kDouble:
      if (kind == TypeKind::kFloat64) [[likely]] {
        StoreBE64(Extend(out, 8), std::bit_cast<uint64_t>(column.Float64(row)));
        return OkStatus();
      }
      if (kind == TypeKind::kFloat32) {
        double widened = static_cast<double>(column.Float32(row));
        StoreBE64(Extend(out, 8), std::bit_cast<uint64_t>(widened));
        return OkStatus();
      }
      break;
    case TypeId::kFloat:
      if (kind == TypeKind::kFloat32) {
        StoreBE32(Extend(out, 4), std::bit_cast<uint32_t>(column.Float32(row)));
        return OkStatus();
      }
      break;
    case TypeId::kTimestamp:
      if (kind == TypeKind::kTimestamp) {
        StoreBE64(Extend(out, 8), static_cast<uint64_t>(column.Timestamp(row)));
        return OkStatus();
      }
      break;
    case TypeId::kUuid:
      if (kind == TypeKind::kUuid) {
        Put(out, column.UuidBytes(row));
        return OkStatus();
      }
      break;
    case TypeId::kTimeuuid:
      if (kind == TypeKind::kUuid) {
        BytesView bytes = column.UuidBytes(row);
        if ((bytes[6] >> 4) != 1) {
          return InvalidArgument("a uuid of version " + std::to_string(bytes[6] >> 4) +
                                 " cannot be loaded into a timeuuid column (version 1 only)");
        }
        Put(out, bytes);
        return OkStatus();
      }
      break;
    case TypeId::kBoolean:
      if (kind == TypeKind::kBoolean) {
        *out.Grow(1) = column.Boolean(row) ? 1 : 0;
        return OkStatus();
      }
      break;
    case TypeId::kTinyint:
      if (kind == TypeKind::kInt8) {
        *out.Grow(1) = static_cast<uint8_t>(column.Int8(row));
        return OkStatus();
      }
      break;
    case TypeId::kSmallint:
      if (kind == TypeKind::kInt8 || kind == TypeKind::kInt16) {
        StoreBE16(Extend(out, 2), static_cast<uint16_t>(IntegerAt(column, row)));
        return OkStatus();
      }
      break;
    case TypeId::kVarint:
      if (kind == TypeKind::kBigInteger) {
        BytesView bytes = column.Bytes(row);
        if (bytes.empty()) {
          return InvalidArgument("a big_integer value without bytes");
        }
        Put(out, bytes);
        return OkStatus();
      }
      if (IsIntegerKind(kind)) {
        PutVarint(IntegerAt(column, row), out);
        return OkStatus();
      }
      break;
    case TypeId::kDecimal:
      if (kind == TypeKind::kDecimal || kind == TypeKind::kBigInteger) {
        BytesView unscaled = column.Bytes(row);
        if (unscaled.empty()) {
          return InvalidArgument(std::string("a ") + std::string(data::TypeKindName(kind)) +
                                 " value without bytes");
        }
        int32_t scale = kind == TypeKind::kDecimal ? column.DecimalScale(row) : 0;
        StoreBE32(Extend(out, 4), static_cast<uint32_t>(scale));
        Put(out, unscaled);
        return OkStatus();
      }
      if (IsIntegerKind(kind)) {
        StoreBE32(Extend(out, 4), 0);
        PutVarint(IntegerAt(column, row), out);
        return OkStatus();
      }
      break;
    case TypeId::kBlob:
    case TypeId::kCustom:
      if (kind == TypeKind::kBinary) {
        Put(out, column.Bytes(row));
        return OkStatus();
      }
      break;
    case TypeId::kDate:
      if (kind == TypeKind::kDate) {
        StoreBE32(Extend(out, 4), static_cast<uint32_t>(column.Date(row)) ^ 0x80000000u);
        return OkStatus();
      }
      break;
    case TypeId::kTime:
      if (kind == TypeKind::kTime) {
        StoreBE64(Extend(out, 8), static_cast<uint64_t>(column.Time(row)));
        return OkStatus();
      }
      break;
    case TypeId::kDuration:
      if (kind == TypeKind::kDuration) {
        data::DurationValue d = column.Duration(row);
        cql::Duration duration{d.months, d.days, d.nanos};
        if (!duration.has_consistent_sign()) {
          return InvalidArgument("duration " + duration.ToString() +
                                 " mixes signs (months, days and nanoseconds must share one)");
        }
        PutVint(d.months, out);
        PutVint(d.days, out);
        PutVint(d.nanos, out);
        return OkStatus();
      }
      break;
    case TypeId::kInet:
      if (kind == TypeKind::kInet) {
        BytesView bytes = column.Bytes(row);
        if (bytes.size() != 4 && bytes.size() != 16) {
          return InvalidArgument("an inet value has 4 or 16 bytes, got " +
                                 std::to_string(bytes.size()));
        }
        Put(out, bytes);
        return OkStatus();
      }
      break;
    case TypeId::kList:
    case TypeId::kSet:
      if (depth < cql::kMaxValueDepth && HasParams(target, 1) &&
          kind == (target.id == TypeId::kList ? TypeKind::kList : TypeKind::kSet)) {
        return EncodeList(column, row, target, out, depth);
      }
      break;
    case TypeId::kMap:
      if (depth < cql::kMaxValueDepth && HasParams(target, 2) && kind == TypeKind::kMap) {
        return EncodeMap(column, row, target, out, depth);
      }
      break;
    case TypeId::kTuple:
      if (depth < cql::kMaxValueDepth && HasParams(target, target.params.size()) &&
          kind == TypeKind::kStruct) {
        return EncodeTuple(column, row, target, out, depth);
      }
      break;
    case TypeId::kUdt:
      if (depth < cql::kMaxValueDepth && HasParams(target, target.params.size()) &&
          target.field_names.size() == target.params.size() && kind == TypeKind::kStruct) {
        return EncodeUdt(column, row, target, out, depth);
      }
      break;
    case TypeId::kVector:
      if (depth < cql::kMaxValueDepth && HasParams(target, 1) && kind == TypeKind::kVector) {
        return EncodeVector(column, row, target, out, depth);
      }
      break;
  }
  return Refuse(*column.type(), target);
}

}  // namespace

Status CheckLoadable(const data::LogicalType& source, const cql::DataType& target) {
  if (Loadable(source, target, 0)) {
    return OkStatus();
  }
  return Refuse(source, target);
}

Status EncodeCell(const data::Column& column, size_t row, const cql::DataType& target,
                  data::Buffer& out) {
  if (column.IsNull(row)) {
    return InvalidArgument("a null " + column.type()->ToString() +
                           " value has no bytes (bind it as a null)");
  }
  const size_t size_before = out.size();
  Status status = EncodeValue(column, row, target, out, 0);
  if (!status) [[unlikely]] {
    out.Truncate(size_before);
    if (!Loadable(*column.type(), target, 0)) {
      return Refuse(*column.type(), target);  // name the whole types, not the nested ones
    }
  }
  return status;
}

CellEncoder::CellEncoder(const data::LogicalType& source, const cql::DataType& target)
    : target_(&target) {
  const TypeKind kind = source.kind();
  switch (target.id) {
    case TypeId::kInt:
      if (kind == TypeKind::kInt32) path_ = Path::kInt32;
      break;
    case TypeId::kBigint:
    case TypeId::kCounter:
      if (kind == TypeKind::kInt64) path_ = Path::kInt64;
      break;
    case TypeId::kTimestamp:
      if (kind == TypeKind::kTimestamp) path_ = Path::kInt64;
      break;
    case TypeId::kTime:
      if (kind == TypeKind::kTime) path_ = Path::kInt64;
      break;
    case TypeId::kDouble:
      if (kind == TypeKind::kFloat64) path_ = Path::kFloat64;
      break;
    case TypeId::kDate:
      if (kind == TypeKind::kDate) path_ = Path::kDate;
      break;
    case TypeId::kBoolean:
      if (kind == TypeKind::kBoolean) path_ = Path::kBoolean;
      break;
    case TypeId::kUuid:
      if (kind == TypeKind::kUuid) path_ = Path::kUuid;
      break;
    case TypeId::kVarchar:
      if (kind == TypeKind::kString) path_ = Path::kVarchar;
      break;
    case TypeId::kAscii:
      if (kind == TypeKind::kString) path_ = Path::kAscii;
      break;
    case TypeId::kDecimal:
      if (kind == TypeKind::kDecimal) path_ = Path::kDecimal;
      break;
    default:
      break;
  }
}

uint8_t* CellEncoder::TryWrite(const Column& column, size_t row, uint8_t* p,
                               uint8_t* end) const {
  if (column.IsNull(row)) [[unlikely]] {
    return nullptr;  // EncodeCell's error
  }
  const size_t room = static_cast<size_t>(end - p);
  switch (path_) {
    case Path::kInt32:
      if (room < 8) return nullptr;
      StoreBE32(p, 4);
      StoreBE32(p + 4, static_cast<uint32_t>(column.Int32(row)));
      return p + 8;
    case Path::kInt64:  // bigint, counter, timestamp and time: 8 bytes of the int64
      if (room < 12) return nullptr;
      StoreBE32(p, 8);
      StoreBE64(p + 4, static_cast<uint64_t>(column.Int64(row)));
      return p + 12;
    case Path::kFloat64:
      if (room < 12) return nullptr;
      StoreBE32(p, 8);
      StoreBE64(p + 4, std::bit_cast<uint64_t>(column.Float64(row)));
      return p + 12;
    case Path::kDate:
      if (room < 8) return nullptr;
      StoreBE32(p, 4);
      StoreBE32(p + 4, static_cast<uint32_t>(column.Date(row)) ^ 0x80000000u);
      return p + 8;
    case Path::kBoolean:
      if (room < 5) return nullptr;
      StoreBE32(p, 1);
      p[4] = column.Boolean(row) ? 1 : 0;
      return p + 5;
    case Path::kUuid:
      if (room < 20) return nullptr;
      StoreBE32(p, 16);
      std::memcpy(p + 4, column.UuidBytes(row).data(), 16);
      return p + 20;
    case Path::kVarchar:
    case Path::kAscii: {
      BytesView bytes = column.Bytes(row);
      if (room < 4 || bytes.size() > room - 4 || bytes.size() > 0x7FFFFFFFu) return nullptr;
      const bool fits = path_ == Path::kVarchar ? IsValidUtf8(bytes.data(), bytes.size())
                                                : IsAscii(bytes.data(), bytes.size());
      if (!fits) [[unlikely]] {
        return nullptr;
      }
      StoreBE32(p, static_cast<uint32_t>(bytes.size()));
      if (!bytes.empty()) std::memcpy(p + 4, bytes.data(), bytes.size());
      return p + 4 + bytes.size();
    }
    case Path::kDecimal: {
      BytesView unscaled = column.Bytes(row);
      if (unscaled.empty() || room < 8 || unscaled.size() > room - 8 ||
          unscaled.size() > 0x7FFFFFFBu) [[unlikely]] {
        return nullptr;
      }
      StoreBE32(p, static_cast<uint32_t>(4 + unscaled.size()));
      StoreBE32(p + 4, static_cast<uint32_t>(column.DecimalScale(row)));
      std::memcpy(p + 8, unscaled.data(), unscaled.size());
      return p + 8 + unscaled.size();
    }
    case Path::kGeneric:
      break;
  }
  return nullptr;
}

Status CellEncoder::AppendDirect(const Column& column, size_t row, data::Buffer& out) const {
  // Room for the value (20 bytes: a uuid's, the widest fixed one), then TryWrite into it.
  size_t need = 20;
  if (path_ == Path::kVarchar || path_ == Path::kAscii || path_ == Path::kDecimal) {
    if (column.IsNull(row)) [[unlikely]] {
      return AppendGeneric(column, row, out);  // EncodeCell's error
    }
    const size_t size = column.Bytes(row).size();
    if (size > 0x7FFFFFFBu) [[unlikely]] {
      return AppendGeneric(column, row, out);  // too long for a [bytes]: its error
    }
    need = 8 + size;
  }
  out.Reserve(out.size() + need);
  uint8_t* p = out.mutable_data() + out.size();
  uint8_t* written = TryWrite(column, row, p, out.mutable_data() + out.capacity());
  if (written == nullptr) [[unlikely]] {
    return AppendGeneric(column, row, out);
  }
  out.Grow(static_cast<size_t>(written - p));  // within the capacity: marks the bytes written
  return OkStatus();
}

Status CellEncoder::AppendGeneric(const Column& column, size_t row, data::Buffer& out) const {
  const size_t at = out.size();
  out.Grow(4);
  Status encoded = EncodeCell(column, row, *target_, out);
  if (!encoded.has_value()) {
    out.Truncate(at);
    return encoded;
  }
  const size_t length = out.size() - at - 4;
  if (length > 0x7FFFFFFFu) {
    out.Truncate(at);
    return InvalidArgument("a value of 2 GiB or more");
  }
  StoreBE32(out.mutable_data() + at, static_cast<uint32_t>(length));
  return OkStatus();
}

Status EncodeBoundValue(const data::Column& column, size_t row, const cql::DataType& target,
                        cql::BoundValue& out) {
  out.bytes.clear();
  if (column.IsNull(row)) {
    out.kind = cql::BoundValue::Kind::kNull;
    return OkStatus();
  }
  out.kind = cql::BoundValue::Kind::kBytes;
  data::Buffer bytes;
  CQLBULK_RETURN_IF_ERROR(EncodeCell(column, row, target, bytes));
  out.bytes.assign(bytes.data(), bytes.data() + bytes.size());
  return OkStatus();
}

}  // namespace cqlbulk::ops
