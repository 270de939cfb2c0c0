// SPDX-License-Identifier: Apache-2.0
// Reading Thrift structs field by field for metadata_read.cc: what errors call each struct
// and its fields, the required-field check, typed field readers and list readers. Internal to
// parquet/format/.
#pragma once

#include <bit>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/parquet/format/metadata.h"
#include "cqlbulk/formats/parquet/format/thrift_compact.h"

namespace cqlbulk::formats::parquet::internal {

using Field = ThriftFieldHeader;

// ---------------------------------------------------------------------------------------------
// What errors call a struct and its fields (indexed by field id), and the fields it requires.

struct StructInfo {
  std::string_view name;
  std::span<const std::string_view> fields;
  uint32_t required = 0;  // bit i: field i is required
};

constexpr uint32_t Bits(std::initializer_list<int> ids) {
  uint32_t bits = 0;
  for (int id : ids) {
    bits |= 1u << id;
  }
  return bits;
}

// ---------------------------------------------------------------------------------------------
// Errors

inline std::string_view FieldName(const StructInfo& info, int16_t id) {
  if (id > 0 && static_cast<size_t>(id) < info.fields.size() &&
      !info.fields[static_cast<size_t>(id)].empty()) {
    return info.fields[static_cast<size_t>(id)];
  }
  return {};
}

// "ColumnMetaData.codec: <error>", or "FileMetaData.row_groups[3]: ..." for a list element.
inline Error InField(Error error, const StructInfo& info, int16_t id) {
  std::string context(info.name);
  context.append(".");
  std::string_view name = FieldName(info, id);
  if (name.empty()) {
    context.append("field ").append(std::to_string(id));
  } else {
    context.append(name);
  }
  std::string message;
  if (error.message().starts_with("[")) {
    message = context + error.message();
  } else {
    message = context + ": " + error.message();
  }
  return Error(error.code(), std::move(message));
}

inline Status WrongType(const CompactReader& r, const Field& f, ThriftType expected) {
  return r.CorruptAt(r.position(), "wire type " + std::string(ThriftTypeName(f.type)) +
                                       ", expected " + std::string(ThriftTypeName(expected)));
}

inline Status Expect(const CompactReader& r, const Field& f, ThriftType expected) {
  if (f.type != expected) [[unlikely]] {
    return WrongType(r, f, expected);
  }
  return OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Fields

// Reads a struct's fields: `on_field(header)` reads or skips each; then checks that every
// required field was there.
template <typename OnField>
Status ReadStruct(CompactReader& r, const StructInfo& info, OnField&& on_field) {
  const size_t start = r.position();
  if (Status status = r.BeginStruct(); !status.has_value()) [[unlikely]] {
    return std::move(status).error().WithContext(info.name);
  }
  uint32_t seen = 0;
  for (;;) {
    Result<Field> field = r.ReadFieldHeader();
    if (!field.has_value()) [[unlikely]] {
      return std::move(field).error().WithContext(info.name);
    }
    if (field->type == ThriftType::kStop) {
      break;
    }
    if (field->id > 0 && field->id < 32) {
      seen |= 1u << field->id;
    }
    if (Status status = on_field(*field); !status.has_value()) [[unlikely]] {
      return InField(std::move(status).error(), info, field->id);
    }
  }
  r.EndStruct();
  if (const uint32_t missing = info.required & ~seen; missing != 0) [[unlikely]] {
    const auto id = static_cast<int16_t>(std::countr_zero(missing));
    return Corrupt(std::string(info.name) + ": required field '" +
                   std::string(FieldName(info, id)) + "' (" + std::to_string(id) +
                   ") is missing (struct at byte " + std::to_string(start) + ")");
  }
  return OkStatus();
}

inline Status Read(CompactReader& r, const Field& f, bool& out) {
  if (!f.is_bool()) [[unlikely]] {
    return WrongType(r, f, ThriftType::kBool);
  }
  out = f.bool_value();
  return OkStatus();
}

inline Status Read(CompactReader& r, const Field& f, int8_t& out) {
  CQLBULK_RETURN_IF_ERROR(Expect(r, f, ThriftType::kI8));
  CQLBULK_ASSIGN_OR_RETURN(out, r.ReadI8());
  return OkStatus();
}

inline Status Read(CompactReader& r, const Field& f, int16_t& out) {
  CQLBULK_RETURN_IF_ERROR(Expect(r, f, ThriftType::kI16));
  CQLBULK_ASSIGN_OR_RETURN(out, r.ReadI16());
  return OkStatus();
}

inline Status Read(CompactReader& r, const Field& f, int32_t& out) {
  CQLBULK_RETURN_IF_ERROR(Expect(r, f, ThriftType::kI32));
  CQLBULK_ASSIGN_OR_RETURN(out, r.ReadI32());
  return OkStatus();
}

inline Status Read(CompactReader& r, const Field& f, int64_t& out) {
  CQLBULK_RETURN_IF_ERROR(Expect(r, f, ThriftType::kI64));
  CQLBULK_ASSIGN_OR_RETURN(out, r.ReadI64());
  return OkStatus();
}

inline Status Read(CompactReader& r, const Field& f, std::string& out) {
  CQLBULK_RETURN_IF_ERROR(Expect(r, f, ThriftType::kBinary));
  CQLBULK_ASSIGN_OR_RETURN(std::string_view value, r.ReadString());
  out.assign(value);
  return OkStatus();
}

// Thrift enums are i32; any value is kept (a newer writer's values included).
template <typename Enum>
  requires std::is_enum_v<Enum> && std::is_same_v<std::underlying_type_t<Enum>, int32_t>
Status Read(CompactReader& r, const Field& f, Enum& out) {
  int32_t raw = 0;
  CQLBULK_RETURN_IF_ERROR(Read(r, f, raw));
  out = static_cast<Enum>(raw);
  return OkStatus();
}

template <typename T>
Status Read(CompactReader& r, const Field& f, std::optional<T>& out) {
  return Read(r, f, out.emplace());
}

// A struct-typed field read by `read(r, out)`.
template <typename T, typename ReadFn>
Status ReadStructField(CompactReader& r, const Field& f, T& out, ReadFn read) {
  CQLBULK_RETURN_IF_ERROR(Expect(r, f, ThriftType::kStruct));
  return read(r, out);
}

template <typename T, typename ReadFn>
Status ReadStructField(CompactReader& r, const Field& f, std::optional<T>& out, ReadFn read) {
  return ReadStructField(r, f, out.emplace(), read);
}

// A list field of `element_type`, each element read by `read(r, element)`. `min_bytes` is the
// fewest bytes an element takes, so a count that cannot fit is an error before any allocation.
template <typename T, typename ReadFn>
Status ReadList(CompactReader& r, const Field& f, ThriftType element_type, size_t min_bytes,
                std::vector<T>& out, ReadFn read) {
  CQLBULK_RETURN_IF_ERROR(Expect(r, f, ThriftType::kList));
  const size_t at = r.position();
  CQLBULK_ASSIGN_OR_RETURN(ThriftListHeader list, r.ReadListHeader());
  if (list.element_type != element_type && list.size > 0) [[unlikely]] {
    return r.CorruptAt(at, "list of " + std::string(ThriftTypeName(list.element_type)) +
                               ", expected a list of " +
                               std::string(ThriftTypeName(element_type)));
  }
  if (list.size > r.remaining() / min_bytes) [[unlikely]] {
    return r.CorruptAt(at, "list of " + std::to_string(list.size) +
                               " elements cannot fit in the " + std::to_string(r.remaining()) +
                               " bytes left");
  }
  out.clear();
  out.reserve(list.size);
  for (uint32_t i = 0; i < list.size; ++i) {
    if (Status status = read(r, out.emplace_back()); !status.has_value()) [[unlikely]] {
      return std::move(status).error().WithContext("[" + std::to_string(i) + "]");
    }
  }
  return OkStatus();
}

inline Status ReadI32Element(CompactReader& r, Encoding& out) {
  CQLBULK_ASSIGN_OR_RETURN(int32_t raw, r.ReadI32());
  out = static_cast<Encoding>(raw);
  return OkStatus();
}

inline Status ReadStringElement(CompactReader& r, std::string& out) {
  CQLBULK_ASSIGN_OR_RETURN(std::string_view value, r.ReadString());
  out.assign(value);
  return OkStatus();
}

// An empty struct (a union member such as StringType): its fields, if a newer writer added
// any, are skipped.
inline Status SkipStruct(CompactReader& r, const Field& f) {
  CQLBULK_RETURN_IF_ERROR(Expect(r, f, ThriftType::kStruct));
  return r.Skip(ThriftType::kStruct);
}

}  // namespace cqlbulk::formats::parquet::internal
