// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cqlbulk::data {

/// \brief What a logical type is. Every CQL type maps to one without loss (README.md).
enum class TypeKind : uint8_t {
  kBoolean,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kFloat32,
  kFloat64,
  kDecimal,     ///< unscaled two's-complement big-endian bytes + an int32 scale per value
  kBigInteger,  ///< unbounded two's-complement big-endian bytes
  kString,      ///< UTF-8 (or ASCII when flagged)
  kBinary,
  kUuid,       ///< 16 bytes, network order
  kDate,       ///< days since 1970-01-01, int32
  kTime,       ///< nanoseconds since midnight, int64
  kTimestamp,  ///< milliseconds since the Unix epoch, UTC, int64
  kDuration,   ///< months int32, days int32, nanoseconds int64
  kInet,       ///< 4 or 16 address bytes
  kList,
  kSet,
  kMap,  ///< one child: a non-nullable Struct<key, value> named "entries"
  kStruct,
  kVector,  ///< fixed number of elements per value
};

/// "int32", "list", ... (the spelling ToString uses).
std::string_view TypeKindName(TypeKind kind);

class LogicalType;
/// Types are immutable and shared.
using LogicalTypePtr = std::shared_ptr<const LogicalType>;

/// \brief A named, typed slot: a column of a Schema, a struct field, or the child of a list,
/// set, map or vector. Nested fields carry their own field ids (Iceberg, Parquet).
struct Field {
  std::string name;
  LogicalTypePtr type;
  bool nullable = true;
  std::optional<int32_t> field_id = std::nullopt;

  /// "name: int32", "name: int32 not null", with " id=N" when there is an id.
  std::string ToString() const;
  friend bool operator==(const Field& a, const Field& b);
};

/// \brief An immutable logical type tree, built with the factory functions.
///
/// Flags keep the CQL types that share a layout apart: `String` with `is_ascii()` (ascii),
/// `Uuid` with `is_time_based()` (timeuuid), `Int64` with `is_counter()` (counter; a counter
/// is an int64 everywhere but in the statement that loads it). A CQL tuple is a Struct
/// without a name whose fields are "_1", "_2", ... (1-based, valid identifiers in Avro,
/// Parquet and Iceberg, as the Spark Cassandra Connector names them); a UDT is a Struct
/// with the UDT's name. Frozen-ness is a CQL schema attribute and is not kept.
class LogicalType {
 public:
  static LogicalTypePtr Boolean();
  static LogicalTypePtr Int8();
  static LogicalTypePtr Int16();
  static LogicalTypePtr Int32();
  static LogicalTypePtr Int64();
  static LogicalTypePtr Counter();  ///< Int64 with is_counter()
  static LogicalTypePtr Float32();
  static LogicalTypePtr Float64();
  /// A decimal whose scale varies per value (CQL decimal).
  static LogicalTypePtr Decimal();
  /// A decimal with a fixed precision and scale (for engine-friendly forms); the layout is
  /// the same, every value's scale is `scale`.
  static LogicalTypePtr Decimal(int32_t precision, int32_t scale);
  static LogicalTypePtr BigInteger();
  static LogicalTypePtr String();
  static LogicalTypePtr Ascii();  ///< String with is_ascii()
  static LogicalTypePtr Binary();
  static LogicalTypePtr Uuid();
  static LogicalTypePtr TimeUuid();  ///< Uuid with is_time_based()
  static LogicalTypePtr Date();
  static LogicalTypePtr Time();
  static LogicalTypePtr Timestamp();
  static LogicalTypePtr Duration();
  static LogicalTypePtr Inet();
  /// Element field "element", nullable.
  static LogicalTypePtr List(LogicalTypePtr element);
  static LogicalTypePtr List(Field element);
  static LogicalTypePtr Set(LogicalTypePtr element);
  static LogicalTypePtr Set(Field element);
  /// Key field "key" (not nullable), value field "value" (nullable).
  static LogicalTypePtr Map(LogicalTypePtr key, LogicalTypePtr value);
  static LogicalTypePtr Map(Field key, Field value);
  /// A struct; `name` is the UDT's name, empty for a tuple or an anonymous struct.
  static LogicalTypePtr Struct(std::vector<Field> fields, std::string name = {});
  /// A CQL tuple: an unnamed Struct of nullable fields "_1", "_2", ...
  static LogicalTypePtr Tuple(std::vector<LogicalTypePtr> elements);
  /// Element field "element", not nullable (CQL vectors have no null elements).
  static LogicalTypePtr Vector(LogicalTypePtr element, int32_t dimension);
  static LogicalTypePtr Vector(Field element, int32_t dimension);

  TypeKind kind() const noexcept { return kind_; }
  bool is_nested() const noexcept { return kind_ >= TypeKind::kList; }
  bool is_ascii() const noexcept { return kind_ == TypeKind::kString && flag_; }
  bool is_time_based() const noexcept { return kind_ == TypeKind::kUuid && flag_; }
  bool is_counter() const noexcept { return kind_ == TypeKind::kInt64 && flag_; }
  /// Decimal: whether precision() and scale() are fixed (else the scale is per value).
  bool has_fixed_scale() const noexcept { return precision_ > 0; }
  int32_t precision() const noexcept { return precision_; }
  int32_t scale() const noexcept { return scale_; }
  /// Vector: elements per value.
  int32_t dimension() const noexcept { return dimension_; }
  /// Struct: the UDT's name (empty for tuples).
  const std::string& name() const noexcept { return name_; }
  /// Child fields: list/set/vector {element}; map {entries}; struct: its fields.
  const std::vector<Field>& fields() const noexcept { return fields_; }
  const Field& element() const { return fields_.at(0); }
  /// Map: the key and value fields (the entries struct's two fields).
  const Field& key() const { return fields_.at(0).type->fields_.at(0); }
  const Field& value() const { return fields_.at(0).type->fields_.at(1); }
  /// Bytes per value of a fixed-width kind (boolean 1, uuid 16, duration 16, ...), else 0.
  int fixed_width() const noexcept;

  /// "int32", "string(ascii)", "list<int32>", "map<string, int32>", "vector<float32, 3>",
  /// "struct<a: int32, b: string not null>", "struct address<street: string>".
  std::string ToString() const;

  friend bool operator==(const LogicalType& a, const LogicalType& b);

 private:
  explicit LogicalType(TypeKind kind, bool flag = false) : kind_(kind), flag_(flag) {}
  static LogicalTypePtr Nested(TypeKind kind, std::vector<Field> fields);

  TypeKind kind_;
  bool flag_ = false;  // ascii, time_based or counter, by kind
  int32_t precision_ = 0;
  int32_t scale_ = 0;
  int32_t dimension_ = 0;
  std::string name_;
  std::vector<Field> fields_;
};

}  // namespace cqlbulk::data
