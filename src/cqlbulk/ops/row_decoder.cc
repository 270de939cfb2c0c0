// SPDX-License-Identifier: Apache-2.0
// RowDecoder: ROWS cells straight into batches (cql_data.h).
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

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

namespace {

/// Whether two logical types have the same columnar layout (kinds, dimensions and children;
/// names, flags and nullability aside).
bool SameLayout(const LogicalType& a, const LogicalType& b) {
  if (&a == &b) {
    return true;
  }
  if (a.kind() != b.kind() || a.dimension() != b.dimension() ||
      a.fields().size() != b.fields().size()) {
    return false;
  }
  for (size_t i = 0; i < a.fields().size(); ++i) {
    if (!SameLayout(*a.fields()[i].type, *b.fields()[i].type)) {
      return false;
    }
  }
  return true;
}

bool SameLayout(const data::Schema& a, const data::Schema& b) {
  if (&a == &b) {
    return true;
  }
  if (a.fields.size() != b.fields.size()) {
    return false;
  }
  for (size_t i = 0; i < a.fields.size(); ++i) {
    if (!SameLayout(*a.fields[i].type, *b.fields[i].type)) {
      return false;
    }
  }
  return true;
}


/// What a node decodes: one case per wire layout.
enum class Op : uint8_t {
  kBoolean,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kFloat32,
  kFloat64,
  kText,
  kAscii,
  kBlob,
  kUuid,
  kTimeUuid,
  kDate,
  kTime,
  kDuration,
  kInet,
  kVarint,
  kDecimal,
  kList,  // and set
  kMap,
  kStruct,  // tuple and UDT
  kVector,
};

}  // namespace

struct RowDecoder::Node {
  Op op = Op::kBlob;
  /// The CQL type keeps zero-length values of this type (int, uuid, tuple...): they read as
  /// null where the slot is nullable.
  bool empty_allowed = false;
  bool nullable = true;
  /// Vector: bytes per element when fixed (0: each element after an [unsigned vint] length).
  uint32_t element_size = 0;
  uint32_t dimension = 0;
  cql::DataTypePtr type;
  std::vector<Node> children;
};

namespace {

using Node = RowDecoder::Node;

// Reasons for cells the cql codec would accept but a batch cannot hold (the codec's own message
// is used for the others, see CellError).
constexpr const char* kMalformed = "malformed value";
constexpr const char* kEmptyNotNullable =
    "a null or empty value where the logical type has no null (a map key or vector element)";

Result<Node> Compile(const cql::DataTypePtr& type, const Field& field) {
  Node node;
  node.type = type;
  node.nullable = field.nullable;
  switch (type->id) {
    case TypeId::kBoolean:
      node.op = Op::kBoolean;
      node.empty_allowed = true;
      break;
    case TypeId::kTinyint:
      node.op = Op::kInt8;
      break;
    case TypeId::kSmallint:
      node.op = Op::kInt16;
      break;
    case TypeId::kInt:
      node.op = Op::kInt32;
      node.empty_allowed = true;
      break;
    case TypeId::kBigint:
    case TypeId::kCounter:
    case TypeId::kTimestamp:
      node.op = Op::kInt64;
      node.empty_allowed = true;
      break;
    case TypeId::kFloat:
      node.op = Op::kFloat32;
      node.empty_allowed = true;
      break;
    case TypeId::kDouble:
      node.op = Op::kFloat64;
      node.empty_allowed = true;
      break;
    case TypeId::kVarchar:
      node.op = Op::kText;
      break;
    case TypeId::kAscii:
      node.op = Op::kAscii;
      break;
    case TypeId::kBlob:
      node.op = Op::kBlob;
      break;
    case TypeId::kUuid:
      node.op = Op::kUuid;
      node.empty_allowed = true;
      break;
    case TypeId::kTimeuuid:
      node.op = Op::kTimeUuid;
      node.empty_allowed = true;
      break;
    case TypeId::kDate:
      node.op = Op::kDate;
      break;
    case TypeId::kTime:
      node.op = Op::kTime;
      break;
    case TypeId::kDuration:
      node.op = Op::kDuration;
      break;
    case TypeId::kInet:
      node.op = Op::kInet;
      node.empty_allowed = true;
      break;
    case TypeId::kVarint:
      node.op = Op::kVarint;
      node.empty_allowed = true;
      break;
    case TypeId::kDecimal:
      node.op = Op::kDecimal;
      node.empty_allowed = true;
      break;
    case TypeId::kList:
    case TypeId::kSet: {
      node.op = Op::kList;
      CQLBULK_ASSIGN_OR_RETURN(Node element, Compile(type->params[0], field.type->element()));
      node.children.push_back(std::move(element));
      break;
    }
    case TypeId::kMap: {
      node.op = Op::kMap;
      CQLBULK_ASSIGN_OR_RETURN(Node key, Compile(type->params[0], field.type->key()));
      CQLBULK_ASSIGN_OR_RETURN(Node value, Compile(type->params[1], field.type->value()));
      node.children.push_back(std::move(key));
      node.children.push_back(std::move(value));
      break;
    }
    case TypeId::kTuple:
    case TypeId::kUdt:
      node.op = Op::kStruct;
      node.empty_allowed = true;
      for (size_t i = 0; i < type->params.size(); ++i) {
        CQLBULK_ASSIGN_OR_RETURN(Node child, Compile(type->params[i], field.type->fields()[i]));
        node.children.push_back(std::move(child));
      }
      break;
    case TypeId::kVector: {
      node.op = Op::kVector;
      node.empty_allowed = true;
      node.dimension = type->dimension;
      node.element_size = static_cast<uint32_t>(type->params[0]->fixed_size());
      CQLBULK_ASSIGN_OR_RETURN(Node element, Compile(type->params[0], field.type->element()));
      node.children.push_back(std::move(element));
      break;
    }
    case TypeId::kCustom:
      return Unimplemented("custom type '" + type->custom_class + "' has no logical type");
  }
  return node;
}

/// A zero-length value where the type's size is fixed or its count is required.
inline const char* EmptyValue(const Node& node, ColumnBuilder& out) {
  if (!node.empty_allowed) {
    return kMalformed;
  }
  if (!node.nullable) {
    return kEmptyNotNullable;
  }
  out.AppendNull();
  return nullptr;
}

/// A [bytes] element of a collection, tuple or UDT at `p` (bounded by `end`): its length, -1
/// for null, or -2 when malformed (negative or past the end).
inline int64_t ReadElementLength(const uint8_t*& p, const uint8_t* end) {
  if (end - p < 4) {
    return -2;
  }
  auto length = static_cast<int32_t>(LoadBE32(p));
  p += 4;
  if (length == -1) {
    return -1;
  }
  if (length < 0 || static_cast<size_t>(length) > static_cast<size_t>(end - p)) {
    return -2;
  }
  return length;
}

/// An [unsigned vint] (cql/types/vint.h), bounded by `end`.
inline bool ReadUnsignedVint(const uint8_t*& p, const uint8_t* end, uint64_t& value) {
  if (p == end) {
    return false;
  }
  uint8_t first = *p++;
  if (first < 0x80) {
    value = first;
    return true;
  }
  auto extra = static_cast<size_t>(std::countl_one(first));
  if (static_cast<size_t>(end - p) < extra) {
    return false;
  }
  uint64_t v = extra == 8 ? 0 : (first & (0xFFu >> extra));
  for (size_t i = 0; i < extra; ++i) {
    v = (v << 8) | p[i];
  }
  p += extra;
  value = v;
  return true;
}

/// Decodes one non-null value of `node`'s type from `n` bytes at `p` into `out`; nullptr on
/// success, else a reason (the caller asks the cql codec for a precise message).
const char* DecodeInto(const Node& node, const uint8_t* p, size_t n, ColumnBuilder& out);

const char* DecodeElement(const Node& node, const uint8_t*& p, const uint8_t* end,
                          ColumnBuilder& out) {
  int64_t length = ReadElementLength(p, end);
  if (length < 0) {
    return kMalformed;  // null elements are malformed in collections too
  }
  const uint8_t* value = p;
  p += length;
  return DecodeInto(node, value, static_cast<size_t>(length), out);
}

const char* DecodeList(const Node& node, const uint8_t* p, size_t n, ColumnBuilder& out) {
  if (n < 4) {
    return kMalformed;
  }
  const uint8_t* end = p + n;
  auto count = static_cast<int32_t>(LoadBE32(p));
  p += 4;
  const size_t min_each = node.op == Op::kMap ? 8 : 4;
  if (count < 0 || static_cast<size_t>(count) > static_cast<size_t>(end - p) / min_each) {
    return kMalformed;
  }
  out.BeginList();
  if (node.op == Op::kMap) {
    ColumnBuilder& keys = out.map_keys();
    ColumnBuilder& values = out.map_values();
    for (int32_t i = 0; i < count; ++i) {
      if (const char* why = DecodeElement(node.children[0], p, end, keys)) {
        return why;
      }
      if (const char* why = DecodeElement(node.children[1], p, end, values)) {
        return why;
      }
    }
  } else {
    ColumnBuilder& elements = out.child();
    for (int32_t i = 0; i < count; ++i) {
      if (const char* why = DecodeElement(node.children[0], p, end, elements)) {
        return why;
      }
    }
  }
  if (p != end) {
    return kMalformed;
  }
  out.EndList();
  return nullptr;
}

const char* DecodeStruct(const Node& node, const uint8_t* p, size_t n, ColumnBuilder& out) {
  const uint8_t* end = p + n;
  size_t field = 0;
  for (; p != end; ++field) {
    if (field == node.children.size()) {
      return kMalformed;  // more fields than declared
    }
    ColumnBuilder& child = out.child(field);
    int64_t length = ReadElementLength(p, end);
    if (length == -1) {
      if (!node.children[field].nullable) {
        return kEmptyNotNullable;
      }
      child.AppendNull();
      continue;
    }
    if (length < 0) {
      return kMalformed;
    }
    const uint8_t* value = p;
    p += length;
    if (const char* why =
            DecodeInto(node.children[field], value, static_cast<size_t>(length), child)) {
      return why;
    }
  }
  for (; field < node.children.size(); ++field) {
    out.child(field).AppendNull();  // fields missing at the end read as null
  }
  out.AppendStructValid();
  return nullptr;
}

const char* DecodeVector(const Node& node, const uint8_t* p, size_t n, ColumnBuilder& out) {
  const Node& element = node.children[0];
  ColumnBuilder& elements = out.child();
  const uint8_t* end = p + n;
  out.BeginList();
  if (node.element_size > 0) {
    if (uint64_t{node.element_size} * node.dimension != n) {
      return kMalformed;
    }
    for (uint32_t i = 0; i < node.dimension; ++i, p += node.element_size) {
      if (const char* why = DecodeInto(element, p, node.element_size, elements)) {
        return why;
      }
    }
  } else {
    if (node.dimension > n) {
      return kMalformed;  // every element takes at least one byte
    }
    for (uint32_t i = 0; i < node.dimension; ++i) {
      uint64_t length;
      if (!ReadUnsignedVint(p, end, length) || length > static_cast<uint64_t>(end - p)) {
        return kMalformed;
      }
      const uint8_t* value = p;
      p += length;
      if (const char* why = DecodeInto(element, value, static_cast<size_t>(length), elements)) {
        return why;
      }
    }
    if (p != end) {
      return kMalformed;
    }
  }
  out.EndList();
  return nullptr;
}

const char* DecodeInto(const Node& node, const uint8_t* p, size_t n, ColumnBuilder& out) {
  switch (node.op) {
    case Op::kInt32:
      if (n == 4) [[likely]] {
        out.AppendInt32(static_cast<int32_t>(LoadBE32(p)));
        return nullptr;
      }
      return n == 0 ? EmptyValue(node, out) : kMalformed;
    case Op::kInt64:
      if (n == 8) [[likely]] {
        out.AppendInt64(static_cast<int64_t>(LoadBE64(p)));
        return nullptr;
      }
      return n == 0 ? EmptyValue(node, out) : kMalformed;
    case Op::kText:
      if (!IsValidUtf8(p, n)) {
        return kMalformed;
      }
      out.AppendBytes(BytesView(p, n));
      return nullptr;
    case Op::kFloat64:
      if (n == 8) [[likely]] {
        out.AppendFloat64(std::bit_cast<double>(LoadBE64(p)));
        return nullptr;
      }
      return n == 0 ? EmptyValue(node, out) : kMalformed;
    case Op::kUuid:
      if (n == 16) [[likely]] {
        out.AppendUuid(p);
        return nullptr;
      }
      return n == 0 ? EmptyValue(node, out) : kMalformed;
    case Op::kTimeUuid:
      if (n == 16) [[likely]] {
        if ((p[6] >> 4) != 1) {
          return kMalformed;
        }
        out.AppendUuid(p);
        return nullptr;
      }
      return n == 0 ? EmptyValue(node, out) : kMalformed;
    case Op::kBoolean:
      if (n == 1) {
        out.AppendBoolean(p[0] != 0);
        return nullptr;
      }
      return n == 0 ? EmptyValue(node, out) : kMalformed;
    case Op::kInt8:
      if (n != 1) {
        return kMalformed;
      }
      out.AppendInt8(static_cast<int8_t>(p[0]));
      return nullptr;
    case Op::kInt16:
      if (n != 2) {
        return kMalformed;
      }
      out.AppendInt16(static_cast<int16_t>(LoadBE16(p)));
      return nullptr;
    case Op::kFloat32:
      if (n == 4) {
        out.AppendFloat32(std::bit_cast<float>(LoadBE32(p)));
        return nullptr;
      }
      return n == 0 ? EmptyValue(node, out) : kMalformed;
    case Op::kAscii:
      if (!IsAscii(p, n)) {
        return kMalformed;
      }
      out.AppendBytes(BytesView(p, n));
      return nullptr;
    case Op::kBlob:
      out.AppendBytes(BytesView(p, n));
      return nullptr;
    case Op::kDate:
      if (n != 4) {
        return kMalformed;
      }
      // CQL's date is days + 2^31 as uint32: flipping the top bit gives signed days.
      out.AppendDate(static_cast<int32_t>(LoadBE32(p) ^ 0x80000000u));
      return nullptr;
    case Op::kTime:
      if (n != 8) {
        return kMalformed;
      }
      out.AppendTime(static_cast<int64_t>(LoadBE64(p)));
      return nullptr;
    case Op::kDuration: {
      auto duration = cql::Duration::Decode(BytesView(p, n));
      if (!duration) {
        return kMalformed;
      }
      out.AppendDuration(duration->months, duration->days, duration->nanoseconds);
      return nullptr;
    }
    case Op::kInet:
      if (n == 4 || n == 16) {
        out.AppendBytes(BytesView(p, n));
        return nullptr;
      }
      return n == 0 ? EmptyValue(node, out) : kMalformed;
    case Op::kVarint:
      if (n == 0) {
        return EmptyValue(node, out);
      }
      out.AppendBytes(BytesView(p, n));
      return nullptr;
    case Op::kDecimal:
      if (n == 0) {
        return EmptyValue(node, out);
      }
      if (n < 5) {
        return kMalformed;
      }
      out.AppendDecimal(BytesView(p + 4, n - 4), static_cast<int32_t>(LoadBE32(p)));
      return nullptr;
    case Op::kList:
    case Op::kMap:
      return DecodeList(node, p, n, out);
    case Op::kStruct:
      if (n == 0) {
        return EmptyValue(node, out);
      }
      return DecodeStruct(node, p, n, out);
    case Op::kVector:
      if (n == 0) {
        return EmptyValue(node, out);
      }
      return DecodeVector(node, p, n, out);
  }
  return kMalformed;
}

int TypeDepth(const DataType& type) {
  int deepest = 0;
  for (const auto& param : type.params) {
    if (param != nullptr) {
      deepest = std::max(deepest, TypeDepth(*param) + 1);
    }
  }
  return deepest;
}

}  // namespace

RowDecoder::RowDecoder(RowDecoder&&) noexcept = default;
RowDecoder& RowDecoder::operator=(RowDecoder&&) noexcept = default;
RowDecoder::~RowDecoder() = default;

size_t RowDecoder::num_columns() const noexcept { return nodes_.size(); }

const DataType& RowDecoder::column_type(size_t i) const noexcept { return *nodes_[i].type; }

Result<RowDecoder> RowDecoder::Make(const std::vector<cql::ColumnSpec>& columns,
                                    data::SchemaPtr schema) {
  if (schema == nullptr) {
    return InvalidArgument("RowDecoder needs a schema");
  }
  if (schema->num_fields() != columns.size()) {
    return InvalidArgument("the schema has " + std::to_string(schema->num_fields()) +
                           " fields for " + std::to_string(columns.size()) + " result columns");
  }
  RowDecoder decoder;
  decoder.nodes_.reserve(columns.size());
  for (size_t i = 0; i < columns.size(); ++i) {
    const cql::ColumnSpec& column = columns[i];
    const Field& field = schema->fields[i];
    if (column.type == nullptr) {
      return InvalidArgument("column '" + column.name + "' has no type");
    }
    auto expected = LogicalTypeOf(*column.type);
    if (!expected) {
      return std::move(expected).error().WithContext("column '" + column.name + "'");
    }
    if (field.type == nullptr || !SameLayout(**expected, *field.type)) {
      return InvalidArgument("column '" + column.name + "' (" + column.type->ToCql() +
                             ") cannot be decoded into field '" + field.name + "' (" +
                             (field.type ? field.type->ToString() : "no type") + "); it needs " +
                             (*expected)->ToString());
    }
    if (TypeDepth(*column.type) > cql::kMaxValueDepth) {
      return InvalidArgument("column '" + column.name + "': type nested too deep");
    }
    CQLBULK_ASSIGN_OR_RETURN(Node node, Compile(column.type, field));
    node.nullable = true;  // a top-level null or empty value is appended as null
    decoder.nodes_.push_back(std::move(node));
    decoder.names_.push_back(column.name);
  }
  decoder.schema_ = std::move(schema);
  return decoder;
}

Result<RowDecoder> RowDecoder::Make(const cql::RowsMetadata& metadata, data::SchemaPtr schema) {
  if (metadata.no_metadata) {
    return InvalidArgument(
        "cannot make a RowDecoder from rows metadata without columns (no_metadata): use the "
        "prepared statement's result metadata");
  }
  return Make(metadata.columns, std::move(schema));
}

Result<RowDecoder> RowDecoder::Make(const cql::RowsMetadata& metadata) {
  if (metadata.no_metadata) {
    return Make(metadata, nullptr);
  }
  CQLBULK_ASSIGN_OR_RETURN(data::SchemaPtr schema, SchemaOf(metadata.columns));
  return Make(metadata.columns, std::move(schema));
}

Status RowDecoder::CheckBuilder(const data::BatchBuilder& out) const {
  if (&out.schema() == schema_.get() || SameLayout(out.schema(), *schema_)) [[likely]] {
    return OkStatus();
  }
  return InvalidArgument("the batch builder's schema does not have the decoder's layout");
}

Error RowDecoder::CellError(size_t column, int64_t row, BytesView cell,
                            const char* reason) const {
  const DataType& type = *nodes_[column].type;
  std::string detail;
  auto decoded = cql::DecodeValue(type, cell);  // the codec's precise description
  if (!decoded) {
    detail = decoded.error().message();
  } else {
    detail = reason;
  }
  return ProtocolError("column '" + names_[column] + "' (" + type.ToCql() + "), row " +
                       std::to_string(row) + ": " + detail);
}

Status RowDecoder::AppendRow(const cql::RowsCursor& cursor, data::BatchBuilder& out) const {
  CQLBULK_RETURN_IF_ERROR(CheckBuilder(out));
  if (cursor.num_columns() != nodes_.size()) {
    return ProtocolError("a row of " + std::to_string(cursor.num_columns()) +
                         " columns for a decoder of " + std::to_string(nodes_.size()));
  }
  const size_t rows_before = out.num_rows();
  for (size_t i = 0; i < nodes_.size(); ++i) {
    std::optional<BytesView> cell = cursor.cell(i);
    ColumnBuilder& column = out.column(i);
    if (!cell) {
      column.AppendNull();
      continue;
    }
    if (const char* why = DecodeInto(nodes_[i], cell->data(), cell->size(), column)) {
      out.Truncate(rows_before);
      return CellError(i, cursor.row_index(), *cell, why);
    }
  }
  return OkStatus();
}

namespace {

/// A cell of a page: where its bytes start in the rows content, and its length (negative:
/// null).
struct CellRef {
  uint32_t offset;
  int32_t length;
};

/// Cells held at a time by the column-at-a-time decode (32 KiB on the stack).
constexpr size_t kPageCells = 4096;

/// \brief Splits the next `rows` rows of a page at `pos` into their cells, column-major
/// (`cells[column * rows + row]`), with RowsCursor's checks; false when a row is malformed.
bool SplitRows(const uint8_t* base, size_t size, size_t& pos, size_t rows, size_t columns,
               CellRef* cells) {
  for (size_t row = 0; row < rows; ++row) {
    CellRef* cell = cells + row;
    for (size_t i = 0; i < columns; ++i, cell += rows) {
      if (size - pos < 4) [[unlikely]] {
        return false;
      }
      const auto length = static_cast<int32_t>(LoadBE32(base + pos));
      pos += 4;
      // A null's (negative) length takes no bytes: one check for every cell.
      const size_t take = length > 0 ? static_cast<size_t>(length) : 0;
      if (take > size - pos) [[unlikely]] {
        return false;
      }
      *cell = CellRef{static_cast<uint32_t>(pos), length};
      pos += take;
    }
  }
  return true;
}

/// Whether every one of the `n` cells is `length` bytes long (none null).
bool AllOfLength(const CellRef* cells, size_t n, int32_t length) {
  bool all = true;
  for (size_t i = 0; i < n; ++i) {
    all &= cells[i].length == length;
  }
  return all;
}

/// Appends the `n` cells, each `sizeof(T)` big-endian bytes (none null), to `out` in one step
/// as the bits of T (uint32_t or uint64_t): the layout of an int32, int64 or double column.
template <typename T>
void AppendBigEndian(const uint8_t* base, const CellRef* cells, size_t n, ColumnBuilder& out) {
  uint8_t* values = out.AppendFixedWidthSlots(n);
  for (size_t i = 0; i < n; ++i) {
    const T v = sizeof(T) == 4 ? static_cast<T>(LoadBE32(base + cells[i].offset))
                               : static_cast<T>(LoadBE64(base + cells[i].offset));
    std::memcpy(values + sizeof(T) * i, &v, sizeof(T));
  }
}

/// The bytes of the `n` cells together, or -1 when one is null.
int64_t TotalBytes(const CellRef* cells, size_t n) {
  int64_t total = 0;
  bool null = false;
  for (size_t i = 0; i < n; ++i) {
    null |= cells[i].length < 0;
    total += cells[i].length;
  }
  return null ? -1 : total;
}

/// \brief Copies a text, ascii or blob cell of at most 64 bytes in whole 16-byte blocks, and
/// checks that its bytes are ASCII (text and ascii; blobs are not checked); false when it
/// cannot (a longer cell, blocks that would pass `src_end` or `dst_end`: the bytes past the
/// cell are read and written over, never past those) or when a byte is not ASCII. The caller
/// then takes the general path, which decides.
inline bool CopyShortAscii(uint8_t* dst, const uint8_t* dst_end, const uint8_t* src,
                           const uint8_t* src_end, size_t size, bool check) {
#if defined(__SSE2__)
  const size_t blocks = (size + 15) / 16;
  if (size > 64 || size == 0 || static_cast<size_t>(src_end - src) < 16 * blocks ||
      static_cast<size_t>(dst_end - dst) < 16 * blocks) {
    return false;
  }
  __m128i any = _mm_setzero_si128();
  for (size_t i = 0; i < blocks - 1; ++i) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + 16 * i));
    any = _mm_or_si128(any, v);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + 16 * i), v);
  }
  const size_t last = 16 * (blocks - 1);
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + last));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + last), v);
  // The last block's bytes past the cell are not the cell's: left out of the check.
  const unsigned tail_mask = (1u << (size - last)) - 1;  // size - last is 1 to 16
  const auto high = static_cast<unsigned>(_mm_movemask_epi8(any)) |
                    (static_cast<unsigned>(_mm_movemask_epi8(v)) & tail_mask);
  return !check || high == 0;
#else
  (void)dst, (void)dst_end, (void)src, (void)src_end, (void)size, (void)check;
  return false;
#endif
}

/// \brief Decodes `n` cells of one column into `out`, as AppendRows' row loop does a cell at
/// a time; false at a cell it refuses (rows may then have been appended: the caller drops
/// them). Integers, doubles and byte strings without null are appended all at once
/// (ColumnBuilder's slots); the common cases of the common types are inline, the rest goes
/// through DecodeInto.
bool DecodeColumn(const Node& node, const uint8_t* base, const uint8_t* base_end,
                  const CellRef* cells, size_t n, ColumnBuilder& out) {
  // A null, or whatever the inline case does not take: DecodeInto decides.
  auto other = [&](CellRef c) {
    if (c.length < 0) {
      out.AppendNull();
      return true;
    }
    return DecodeInto(node, base + c.offset, static_cast<size_t>(c.length), out) == nullptr;
  };
  // A cell at a time: those of `width` bytes through `append`, the others through `other`.
  auto each = [&](int32_t width, auto append) {
    for (size_t i = 0; i < n; ++i) {
      const CellRef c = cells[i];
      if (c.length == width) [[likely]] {
        append(base + c.offset);
      } else if (!other(c)) {
        return false;
      }
    }
    return true;
  };
  switch (node.op) {
    case Op::kInt32:
      if (AllOfLength(cells, n, 4)) {
        AppendBigEndian<uint32_t>(base, cells, n, out);
        return true;
      }
      return each(4, [&](const uint8_t* p) { out.AppendInt32(static_cast<int32_t>(LoadBE32(p))); });
    case Op::kInt64:
    case Op::kFloat64:  // the same bytes: a double's bits, big-endian
      if (AllOfLength(cells, n, 8)) {
        AppendBigEndian<uint64_t>(base, cells, n, out);
        return true;
      }
      if (node.op == Op::kFloat64) {
        return each(8, [&](const uint8_t* p) {
          out.AppendFloat64(std::bit_cast<double>(LoadBE64(p)));
        });
      }
      return each(8, [&](const uint8_t* p) { out.AppendInt64(static_cast<int64_t>(LoadBE64(p))); });
    case Op::kUuid:
      return each(16, [&](const uint8_t* p) { out.AppendUuid(p); });
    case Op::kText:
    case Op::kAscii:
    case Op::kBlob:
      if (const int64_t total = TotalBytes(cells, n); total >= 0) {
        // No null: the bytes in one growth, each value checked as it is copied.
        int32_t* ends;
        int64_t end;
        uint8_t* bytes = out.AppendBytesSlots(n, static_cast<size_t>(total), ends, end);
        const uint8_t* const bytes_end = bytes + total;
        const bool check = node.op != Op::kBlob;
        for (size_t i = 0; i < n; ++i) {
          const uint8_t* p = base + cells[i].offset;
          const auto size = static_cast<size_t>(cells[i].length);
          // Short ASCII cells (most text): checked and copied in whole blocks, no calls.
          if (CopyShortAscii(bytes, bytes_end, p, base_end, size, check)) [[likely]] {
            bytes += size;
            end += static_cast<int64_t>(size);
            ends[i] = static_cast<int32_t>(end);
            continue;
          }
          if (node.op == Op::kText ? !IsValidUtf8(p, size)
                                   : node.op == Op::kAscii && !IsAscii(p, size)) {
            return false;  // the caller drops the rows appended
          }
          if (size > 0) {
            std::memcpy(bytes, p, size);
          }
          bytes += size;
          end += static_cast<int64_t>(size);
          ends[i] = static_cast<int32_t>(end);
        }
        return true;
      }
      break;  // with nulls: one at a time, below
    default:
      break;
  }
  switch (node.op) {
    case Op::kText:
    case Op::kAscii:
    case Op::kBlob:
      for (size_t i = 0; i < n; ++i) {
        const CellRef c = cells[i];
        if (c.length >= 0) [[likely]] {
          const uint8_t* p = base + c.offset;
          const auto size = static_cast<size_t>(c.length);
          if (node.op == Op::kText ? !IsValidUtf8(p, size)
                                   : node.op == Op::kAscii && !IsAscii(p, size)) {
            return false;
          }
          out.AppendBytes(BytesView(p, size));
        } else {
          out.AppendNull();
        }
      }
      return true;
    case Op::kDecimal:
      for (size_t i = 0; i < n; ++i) {
        const CellRef c = cells[i];
        if (c.length >= 5) [[likely]] {
          const uint8_t* p = base + c.offset;
          out.AppendDecimal(BytesView(p + 4, static_cast<size_t>(c.length) - 4),
                            static_cast<int32_t>(LoadBE32(p)));
        } else if (!other(c)) {
          return false;
        }
      }
      return true;
    default:
      for (size_t i = 0; i < n; ++i) {
        if (!other(cells[i])) {
          return false;
        }
      }
      return true;
  }
}

}  // namespace

Result<size_t> RowDecoder::AppendRows(const cql::RowsResult& rows,
                                      data::BatchBuilder& out) const {
  CQLBULK_RETURN_IF_ERROR(CheckBuilder(out));
  if (rows.metadata.columns_count < 0 ||
      static_cast<size_t>(rows.metadata.columns_count) != nodes_.size()) {
    return ProtocolError("a page of " + std::to_string(rows.metadata.columns_count) +
                         " columns for a decoder of " + std::to_string(nodes_.size()));
  }
  // A column at a time, a few thousand cells at once: the rows are split into their cells,
  // then each column's are decoded in one loop. A page that is malformed anywhere is read
  // again a row at a time, for the row loop's precise error.
  const size_t num_columns = nodes_.size();
  const BytesView content = rows.rows_content;
  if (num_columns == 0 || num_columns > kPageCells || rows.rows_count <= 0 ||
      content.size() > std::numeric_limits<uint32_t>::max() ||
      static_cast<uint64_t>(rows.rows_count) * num_columns > content.size() / 4) {
    return AppendRowsOneByOne(rows, out);
  }
  const size_t rows_before = out.num_rows();
  const size_t total = static_cast<size_t>(rows.rows_count);
  const size_t chunk_rows = kPageCells / num_columns;
  CellRef cells[kPageCells];
  const uint8_t* base = content.data();
  size_t pos = 0;
  for (size_t done = 0; done < total;) {
    const size_t n = std::min(chunk_rows, total - done);
    bool ok = SplitRows(base, content.size(), pos, n, num_columns, cells);
    for (size_t i = 0; ok && i < num_columns; ++i) {
      ok = DecodeColumn(nodes_[i], base, base + content.size(), cells + i * n, n,
                        out.column(i));
    }
    if (!ok) [[unlikely]] {
      out.Truncate(rows_before);
      return AppendRowsOneByOne(rows, out);
    }
    done += n;
  }
  return total;
}

Result<size_t> RowDecoder::AppendRowsOneByOne(const cql::RowsResult& rows,
                                              data::BatchBuilder& out) const {
  const size_t rows_before = out.num_rows();
  const size_t num_columns = nodes_.size();
  const Node* nodes = nodes_.data();
  cql::RowsCursor cursor = rows.cursor();
  size_t appended = 0;
  while (true) {
    Result<bool> next = cursor.Next();
    if (!next) [[unlikely]] {
      out.Truncate(rows_before);
      return std::move(next).error();
    }
    if (!*next) {
      break;
    }
    for (size_t i = 0; i < num_columns; ++i) {
      std::optional<BytesView> cell = cursor.cell(i);
      ColumnBuilder& column = out.column(i);
      if (!cell) {
        column.AppendNull();
        continue;
      }
      if (const char* why = DecodeInto(nodes[i], cell->data(), cell->size(), column))
          [[unlikely]] {
        out.Truncate(rows_before);
        return CellError(i, cursor.row_index(), *cell, why);
      }
    }
    ++appended;
  }
  return appended;
}

}  // namespace cqlbulk::ops
