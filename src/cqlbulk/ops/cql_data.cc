// SPDX-License-Identifier: Apache-2.0
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
#include "cqlbulk/cql/types/utf8.h"
#include "cqlbulk/cql/types/value_codec.h"
#include "cqlbulk/cql/types/vint.h"

namespace cqlbulk::ops {

using cql::DataType;
using cql::TypeId;
using data::Column;
using data::ColumnBuilder;
using data::Field;
using data::LogicalType;
using data::LogicalTypePtr;
using data::TypeKind;

namespace {

// --- types -----------------------------------------------------------------------------------

bool HasParams(const DataType& type, size_t n) {
  if (type.params.size() != n) {
    return false;
  }
  for (const auto& param : type.params) {
    if (param == nullptr) {
      return false;
    }
  }
  return true;
}

Error Incomplete(const DataType& type) {
  return InvalidArgument("incomplete CQL type descriptor (id " +
                         std::to_string(static_cast<int>(type.id)) + ")");
}

Result<LogicalTypePtr> MapType(const DataType& type, int depth) {
  if (depth > cql::kMaxValueDepth) {
    return InvalidArgument("CQL type nested more than " + std::to_string(cql::kMaxValueDepth) +
                           " levels deep");
  }
  switch (type.id) {
    case TypeId::kAscii:
      return LogicalType::Ascii();
    case TypeId::kBigint:
      return LogicalType::Int64();
    case TypeId::kBlob:
      return LogicalType::Binary();
    case TypeId::kBoolean:
      return LogicalType::Boolean();
    case TypeId::kCounter:
      return LogicalType::Counter();
    case TypeId::kDecimal:
      return LogicalType::Decimal();
    case TypeId::kDouble:
      return LogicalType::Float64();
    case TypeId::kFloat:
      return LogicalType::Float32();
    case TypeId::kInt:
      return LogicalType::Int32();
    case TypeId::kTimestamp:
      return LogicalType::Timestamp();
    case TypeId::kUuid:
      return LogicalType::Uuid();
    case TypeId::kVarchar:
      return LogicalType::String();
    case TypeId::kVarint:
      return LogicalType::BigInteger();
    case TypeId::kTimeuuid:
      return LogicalType::TimeUuid();
    case TypeId::kInet:
      return LogicalType::Inet();
    case TypeId::kDate:
      return LogicalType::Date();
    case TypeId::kTime:
      return LogicalType::Time();
    case TypeId::kSmallint:
      return LogicalType::Int16();
    case TypeId::kTinyint:
      return LogicalType::Int8();
    case TypeId::kDuration:
      return LogicalType::Duration();
    case TypeId::kList:
    case TypeId::kSet: {
      if (!HasParams(type, 1)) {
        return Incomplete(type);
      }
      CQLBULK_ASSIGN_OR_RETURN(LogicalTypePtr element, MapType(*type.params[0], depth + 1));
      return type.id == TypeId::kList ? LogicalType::List(std::move(element))
                                      : LogicalType::Set(std::move(element));
    }
    case TypeId::kMap: {
      if (!HasParams(type, 2)) {
        return Incomplete(type);
      }
      CQLBULK_ASSIGN_OR_RETURN(LogicalTypePtr key, MapType(*type.params[0], depth + 1));
      CQLBULK_ASSIGN_OR_RETURN(LogicalTypePtr value, MapType(*type.params[1], depth + 1));
      return LogicalType::Map(std::move(key), std::move(value));
    }
    case TypeId::kTuple: {
      if (!HasParams(type, type.params.size())) {
        return Incomplete(type);
      }
      std::vector<LogicalTypePtr> elements;
      elements.reserve(type.params.size());
      for (const auto& param : type.params) {
        CQLBULK_ASSIGN_OR_RETURN(LogicalTypePtr element, MapType(*param, depth + 1));
        elements.push_back(std::move(element));
      }
      return LogicalType::Tuple(std::move(elements));
    }
    case TypeId::kUdt: {
      if (!HasParams(type, type.params.size()) || type.field_names.size() != type.params.size()) {
        return Incomplete(type);
      }
      std::vector<Field> fields;
      fields.reserve(type.params.size());
      for (size_t i = 0; i < type.params.size(); ++i) {
        CQLBULK_ASSIGN_OR_RETURN(LogicalTypePtr field, MapType(*type.params[i], depth + 1));
        fields.push_back(Field{.name = type.field_names[i], .type = std::move(field)});
      }
      return LogicalType::Struct(std::move(fields), type.name);
    }
    case TypeId::kVector: {
      if (!HasParams(type, 1)) {
        return Incomplete(type);
      }
      if (type.dimension == 0 || type.dimension > std::numeric_limits<int32_t>::max()) {
        return InvalidArgument("vector dimension " + std::to_string(type.dimension) +
                               " is out of range");
      }
      CQLBULK_ASSIGN_OR_RETURN(LogicalTypePtr element, MapType(*type.params[0], depth + 1));
      return LogicalType::Vector(std::move(element), static_cast<int32_t>(type.dimension));
    }
    case TypeId::kCustom:
      return Unimplemented("custom type '" + type.custom_class +
                           "' has no logical type (of the custom types only vector and "
                           "duration are mapped)");
  }
  return Incomplete(type);
}

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

// --- text ------------------------------------------------------------------------------------

constexpr uint64_t kHighBits = 0x8080808080808080ULL;

bool IsAscii(const uint8_t* p, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    std::memcpy(&word, p + i, 8);
    if ((word & kHighBits) != 0) {
      return false;
    }
  }
  for (; i < n; ++i) {
    if (p[i] >= 0x80) {
      return false;
    }
  }
  return true;
}

/// UTF-8 as Cassandra's UTF8Type validates it (cql/types/utf8.h).
bool IsValidUtf8(const uint8_t* p, size_t n) {
  return cql::IsValidUtf8(std::string_view(reinterpret_cast<const char*>(p), n));
}

}  // namespace

Result<data::LogicalTypePtr> LogicalTypeOf(const cql::DataType& type) { return MapType(type, 0); }

Result<data::SchemaPtr> SchemaOf(const std::vector<cql::ColumnSpec>& columns) {
  auto schema = std::make_shared<data::Schema>();
  schema->fields.reserve(columns.size());
  for (const cql::ColumnSpec& column : columns) {
    if (column.type == nullptr) {
      return InvalidArgument("column '" + column.name + "' has no type");
    }
    auto type = LogicalTypeOf(*column.type);
    if (!type) {
      return std::move(type).error().WithContext("column '" + column.name + "'");
    }
    schema->fields.push_back(Field{.name = column.name, .type = std::move(*type)});
  }
  return data::SchemaPtr(std::move(schema));
}

Result<data::SchemaPtr> TableSchema(const client::TableMetadata& table,
                                    const std::vector<std::string>& columns) {
  const std::string table_name = table.keyspace + "." + table.name;
  std::vector<const client::ColumnMetadata*> chosen;
  if (columns.empty()) {
    for (const client::ColumnMetadata& column : table.columns) {
      chosen.push_back(&column);
    }
  } else {
    std::set<std::string_view> seen;
    for (const std::string& name : columns) {
      const client::ColumnMetadata* column = table.FindColumn(name);
      if (column == nullptr) {
        return InvalidArgument("table " + table_name + " has no column '" + name + "'");
      }
      if (!seen.insert(name).second) {
        return InvalidArgument("column '" + name + "' of table " + table_name +
                               " is listed twice");
      }
      chosen.push_back(column);
    }
  }
  auto schema = std::make_shared<data::Schema>();
  schema->fields.reserve(chosen.size());
  for (const client::ColumnMetadata* column : chosen) {
    if (column->type == nullptr) {
      return InvalidArgument("column '" + column->name + "' of table " + table_name +
                             " has no type");
    }
    auto type = LogicalTypeOf(*column->type);
    if (!type) {
      return std::move(type).error().WithContext("column '" + column->name + "' of table " +
                                                 table_name);
    }
    schema->fields.push_back(Field{.name = column->name, .type = std::move(*type)});
  }
  return data::SchemaPtr(std::move(schema));
}

// --- unload: ROWS -> batch -------------------------------------------------------------------

namespace {

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

Result<size_t> RowDecoder::AppendRows(const cql::RowsResult& rows,
                                      data::BatchBuilder& out) const {
  CQLBULK_RETURN_IF_ERROR(CheckBuilder(out));
  if (rows.metadata.columns_count < 0 ||
      static_cast<size_t>(rows.metadata.columns_count) != nodes_.size()) {
    return ProtocolError("a page of " + std::to_string(rows.metadata.columns_count) +
                         " columns for a decoder of " + std::to_string(nodes_.size()));
  }
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
inline uint8_t* Extend(Bytes& out, size_t n) {
  size_t size = out.size();
  out.resize(size + n);
  return out.data() + size;
}

inline void Put(Bytes& out, BytesView bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); }

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
void PutVarint(int64_t v, Bytes& out) {
  uint8_t buf[8];
  StoreBE64(buf, static_cast<uint64_t>(v));
  size_t i = 0;
  while (i < 7 && ((buf[i] == 0x00 && (buf[i + 1] & 0x80) == 0) ||
                   (buf[i] == 0xFF && (buf[i + 1] & 0x80) != 0))) {
    ++i;
  }
  Put(out, BytesView(buf + i, 8 - i));
}

void PutVint(int64_t v, Bytes& out) {
  uint8_t buf[9];
  size_t n = cql::EncodeUnsignedVint(ZigZagEncode(v), buf);
  Put(out, BytesView(buf, n));
}

Status EncodeValue(const Column& column, size_t row, const DataType& target, Bytes& out,
                   int depth);

/// A [bytes] element of a collection: its [int] length, then its bytes.
Status EncodeElement(const Column& column, size_t row, const DataType& target, Bytes& out,
                     int depth, const char* what) {
  if (column.IsNull(row)) {
    return InvalidArgument(std::string("a ") + what + " cannot be null in CQL (" +
                           target.ToCql() + ")");
  }
  const size_t at = out.size();
  Extend(out, 4);
  CQLBULK_RETURN_IF_ERROR(EncodeValue(column, row, target, out, depth + 1));
  StoreBE32(out.data() + at, static_cast<uint32_t>(out.size() - at - 4));
  return OkStatus();
}

Status EncodeList(const Column& column, size_t row, const DataType& target, Bytes& out,
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

Status EncodeMap(const Column& column, size_t row, const DataType& target, Bytes& out,
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
Status EncodeField(const Column& column, size_t row, const DataType& target, Bytes& out,
                   int depth) {
  if (column.IsNull(row)) {
    StoreBE32(Extend(out, 4), 0xFFFFFFFFu);
    return OkStatus();
  }
  const size_t at = out.size();
  Extend(out, 4);
  CQLBULK_RETURN_IF_ERROR(EncodeValue(column, row, target, out, depth + 1));
  StoreBE32(out.data() + at, static_cast<uint32_t>(out.size() - at - 4));
  return OkStatus();
}

Status EncodeTuple(const Column& column, size_t row, const DataType& target, Bytes& out,
                   int depth) {
  if (column.num_children() != target.params.size()) {
    return Refuse(*column.type(), target);
  }
  for (size_t i = 0; i < target.params.size(); ++i) {
    CQLBULK_RETURN_IF_ERROR(EncodeField(column.child(i), row, *target.params[i], out, depth));
  }
  return OkStatus();
}

Status EncodeUdt(const Column& column, size_t row, const DataType& target, Bytes& out,
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

Status EncodeVector(const Column& column, size_t row, const DataType& target, Bytes& out,
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
      size_t n = cql::EncodeUnsignedVint(out.size() - at, buf);
      out.insert(out.begin() + static_cast<std::ptrdiff_t>(at), buf, buf + n);
    }
  }
  return OkStatus();
}

Status EncodeValue(const Column& column, size_t row, const DataType& target, Bytes& out,
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
        out.push_back(column.Boolean(row) ? 1 : 0);
        return OkStatus();
      }
      break;
    case TypeId::kTinyint:
      if (kind == TypeKind::kInt8) {
        out.push_back(static_cast<uint8_t>(column.Int8(row)));
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
                  Bytes& out) {
  if (column.IsNull(row)) {
    return InvalidArgument("a null " + column.type()->ToString() +
                           " value has no bytes (bind it as a null)");
  }
  const size_t size_before = out.size();
  Status status = EncodeValue(column, row, target, out, 0);
  if (!status) [[unlikely]] {
    out.resize(size_before);
    if (!Loadable(*column.type(), target, 0)) {
      return Refuse(*column.type(), target);  // name the whole types, not the nested ones
    }
  }
  return status;
}

Status EncodeBoundValue(const data::Column& column, size_t row, const cql::DataType& target,
                        cql::BoundValue& out) {
  out.bytes.clear();
  if (column.IsNull(row)) {
    out.kind = cql::BoundValue::Kind::kNull;
    return OkStatus();
  }
  out.kind = cql::BoundValue::Kind::kBytes;
  return EncodeCell(column, row, target, out.bytes);
}

}  // namespace cqlbulk::ops
