// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/formats/avro/value.h"

namespace cqlbulk::formats::avro {

/// \brief The Avro types (Avro 1.11 specification, "Primitive Types" and "Complex Types").
enum class Type : uint8_t {
  kNull,
  kBoolean,
  kInt,
  kLong,
  kFloat,
  kDouble,
  kBytes,
  kString,
  kRecord,
  kEnum,
  kArray,
  kMap,
  kUnion,
  kFixed,
};

/// "null", "boolean", ... "fixed".
std::string_view TypeName(Type type);

/// \brief The logical types this model understands ("Logical Types"). A `logicalType` that is
/// unknown, or invalid for its underlying type (a decimal whose scale exceeds its precision, a
/// date on a long), is kNone and stays among the node's attributes, as the specification
/// asks: readers then use the underlying type.
enum class LogicalType : uint8_t {
  kNone,
  kDecimal,               ///< bytes or fixed; precision and scale
  kUuid,                  ///< string (Avro) or fixed of 16 (Iceberg)
  kDate,                  ///< int: days since 1970-01-01
  kTimeMillis,            ///< int
  kTimeMicros,            ///< long
  kTimestampMillis,       ///< long
  kTimestampMicros,       ///< long
  kTimestampNanos,        ///< long
  kLocalTimestampMillis,  ///< long
  kLocalTimestampMicros,  ///< long
  kLocalTimestampNanos,   ///< long
  kDuration,              ///< fixed of 12
};

/// The `logicalType` name ("decimal", "time-micros", ...); "" for kNone.
std::string_view LogicalTypeName(LogicalType type);

/// Index of a node in its Schema.
using NodeId = uint32_t;

/// \brief An attribute the model does not interpret (Iceberg's `field-id`, `element-id`,
/// `adjust-to-utc`, an unknown `logicalType`...), kept so that the schema prints back with
/// it: its name and its value as compact JSON text (`17`, `"x"`, `{"a":[1]}`).
struct Attribute {
  std::string name;
  std::string json;

  friend bool operator==(const Attribute&, const Attribute&) = default;
};

/// \brief A field of a record.
struct Field {
  std::string name;
  NodeId type = 0;
  std::string doc;
  /// The default as written (compact JSON) and as a value of the field's type ("field default
  /// values": a union's default is of its first branch and is held as that Union value).
  std::optional<std::string> default_json;
  std::optional<Value> default_value;
  /// Everything else: `field-id`, `order`, `aliases`, ... in the order written.
  std::vector<Attribute> attributes;

  /// The attribute named `name`'s JSON text, or nullopt.
  std::optional<std::string_view> FindAttribute(std::string_view attribute_name) const;

  friend bool operator==(const Field&, const Field&) = default;
};

/// \brief One schema node. Named types (record, enum, fixed) are one node however many times
/// they are referenced, so a recursive schema is a graph.
struct Node {
  Type type = Type::kNull;
  /// Named types: the full name ("org.example.Point"), and the name and namespace as written
  /// (so the schema prints back as it was given).
  std::string full_name;
  std::string name;
  std::optional<std::string> name_space;
  std::string doc;
  std::vector<Field> fields;          ///< record
  std::vector<std::string> symbols;   ///< enum
  std::optional<int32_t> enum_default;  ///< enum: index of its `default` symbol
  /// array: {items}; map: {values}; union: the branches.
  std::vector<NodeId> children;
  int32_t size = 0;  ///< fixed: bytes per value
  LogicalType logical_type = LogicalType::kNone;
  int32_t precision = 0;  ///< decimal
  int32_t scale = 0;      ///< decimal
  /// Attributes the model does not interpret, in the order written (Iceberg's `element-id`,
  /// `key-id`, `value-id`, an unknown `logicalType` such as Iceberg's `map`...).
  std::vector<Attribute> attributes;

  bool is_named() const noexcept {
    return type == Type::kRecord || type == Type::kEnum || type == Type::kFixed;
  }
  NodeId items() const { return children.front(); }
  NodeId values() const { return children.front(); }
  /// Index of the record field named `name`, or nullopt.
  std::optional<size_t> FieldIndex(std::string_view field_name) const;
  /// The attribute named `name`'s JSON text, or nullopt.
  std::optional<std::string_view> FindAttribute(std::string_view attribute_name) const;

  friend bool operator==(const Node&, const Node&) = default;
};

/// \brief An Avro schema: its nodes, parsed from the JSON of the specification ("Schema
/// Declaration") and printed back to it.
///
/// Parsing checks what the specification requires: names (`[A-Za-z_][A-Za-z0-9_]*`, dotted
/// namespaces), each full name defined once and before its references (namespaces as in
/// "Names"), unique field names and enum symbols, unions without nested unions or two
/// branches of one unnamed type or one name, fixed sizes, and that each default is a value of
/// its field's type. Immutable once parsed; copyable.
class Schema {
 public:
  /// \brief Parses a schema's JSON. kInvalidArgument says what is wrong and where (a JSON
  /// path such as `fields[2].type.items`, or the byte offset of bad JSON).
  static Result<Schema> Parse(std::string_view json);

  /// The compact JSON form: `"int"` for a primitive without attributes, named types defined
  /// at their first use and referenced by name after it, attributes kept. Parse(ToJson())
  /// gives back an equal schema.
  std::string ToJson() const;

  NodeId root() const noexcept { return root_; }
  const Node& node(NodeId id) const { return nodes_[id]; }
  const Node& root_node() const { return nodes_[root_]; }
  size_t num_nodes() const noexcept { return nodes_.size(); }
  /// The named type with this full name, or nullopt.
  std::optional<NodeId> Find(std::string_view full_name) const;

  /// The least number of bytes a value of `id` encodes to (0 for null, empty records, fixed
  /// of size 0, and records that contain themselves), for checking counts against input.
  size_t min_encoded_bytes(NodeId id) const { return min_bytes_[id]; }

  friend bool operator==(const Schema&, const Schema&) = default;

 private:
  friend class SchemaParser;

  std::vector<Node> nodes_;
  std::vector<size_t> min_bytes_;
  NodeId root_ = 0;
};

}  // namespace cqlbulk::formats::avro
