// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cqlbulk::iceberg {

/// The types of the Iceberg table spec (format v2), "Schemas and Data Types".
enum class TypeId : uint8_t {
  kBoolean,
  kInt,
  kLong,
  kFloat,
  kDouble,
  kDecimal,  ///< decimal(P, S)
  kDate,
  kTime,         ///< microseconds since midnight
  kTimestamp,    ///< microseconds since the epoch, no zone
  kTimestampTz,  ///< microseconds since the epoch, UTC
  kString,
  kUuid,
  kFixed,  ///< fixed[L]
  kBinary,
  kStruct,
  kList,
  kMap,
};

class Type;
/// Types are immutable and shared.
using TypePtr = std::shared_ptr<const Type>;

/// \brief A field of a struct, or the element of a list, or the key or value of a map: every
/// one has an id, unique in its schema.
struct NestedField {
  int32_t id = 0;
  std::string name;
  bool required = false;
  TypePtr type;
  std::string doc;  ///< empty when there is none

  static NestedField Required(int32_t id, std::string name, TypePtr type) {
    return {id, std::move(name), true, std::move(type), {}};
  }
  static NestedField Optional(int32_t id, std::string name, TypePtr type) {
    return {id, std::move(name), false, std::move(type), {}};
  }

  friend bool operator==(const NestedField& a, const NestedField& b);
};

/// \brief An immutable Iceberg type, built with the factory functions.
class Type {
 public:
  static TypePtr Boolean();
  static TypePtr Int();
  static TypePtr Long();
  static TypePtr Float();
  static TypePtr Double();
  static TypePtr Decimal(int32_t precision, int32_t scale);
  static TypePtr Date();
  static TypePtr Time();
  static TypePtr Timestamp();
  static TypePtr TimestampTz();
  static TypePtr String();
  static TypePtr Uuid();
  static TypePtr Fixed(int32_t length);
  static TypePtr Binary();
  static TypePtr Struct(std::vector<NestedField> fields);
  /// The element field is named "element".
  static TypePtr List(int32_t element_id, TypePtr element, bool element_required);
  /// The key field is named "key" and is required; the value field is named "value".
  static TypePtr Map(int32_t key_id, TypePtr key, int32_t value_id, TypePtr value,
                     bool value_required);

  TypeId id() const noexcept { return id_; }
  bool is_primitive() const noexcept { return id_ < TypeId::kStruct; }
  int32_t precision() const noexcept { return precision_; }  ///< decimal
  int32_t scale() const noexcept { return scale_; }          ///< decimal
  int32_t length() const noexcept { return length_; }        ///< fixed
  /// Struct: its fields; list: {element}; map: {key, value}.
  const std::vector<NestedField>& fields() const noexcept { return fields_; }

  /// The spec's name of a primitive type ("int", "decimal(9,2)", "fixed[16]", "timestamptz"),
  /// "struct<...>", "list<...>", "map<...>" for nested ones (for messages).
  std::string ToString() const;

  friend bool operator==(const Type& a, const Type& b);

 private:
  explicit Type(TypeId id) : id_(id) {}

  TypeId id_;
  int32_t precision_ = 0;
  int32_t scale_ = 0;
  int32_t length_ = 0;
  std::vector<NestedField> fields_;
};

/// \brief A table schema: its top-level fields, its id, and the ids of the fields that
/// identify a row (the CQL primary key).
struct Schema {
  int32_t schema_id = 0;
  std::vector<NestedField> fields;
  std::vector<int32_t> identifier_field_ids;

  /// The field with that id anywhere in the tree, or nullptr.
  const NestedField* FindField(int32_t id) const;
  /// The field with that dotted name ("a.b"; list elements and map keys and values by their
  /// names "element", "key", "value"), or nullptr.
  const NestedField* FindField(std::string_view dotted_name) const;
  /// The highest field id in the tree (0 for an empty schema): the table's last-column-id.
  int32_t HighestFieldId() const;

  friend bool operator==(const Schema& a, const Schema& b) = default;
};

/// \brief A partition transform: identity, bucket[N], truncate[W], year, month, day, hour,
/// void.
struct Transform {
  enum class Kind : uint8_t { kIdentity, kBucket, kTruncate, kYear, kMonth, kDay, kHour, kVoid };
  Kind kind = Kind::kIdentity;
  int32_t parameter = 0;  ///< N of bucket[N], W of truncate[W]

  friend bool operator==(const Transform& a, const Transform& b) = default;
};

/// \brief A field of a partition spec: a transform of a source column.
struct PartitionField {
  int32_t source_id = 0;
  int32_t field_id = 0;  ///< partition field ids start at 1000
  std::string name;
  Transform transform;

  friend bool operator==(const PartitionField& a, const PartitionField& b) = default;
};

/// \brief A partition spec; an unpartitioned table has one without fields.
struct PartitionSpec {
  int32_t spec_id = 0;
  std::vector<PartitionField> fields;

  friend bool operator==(const PartitionSpec& a, const PartitionSpec& b) = default;
};

/// \brief A value of a primitive Iceberg type, as manifests, bounds and partition tuples hold
/// it: the kind follows the type (boolean → bool; int, date → int32; long, time, timestamp,
/// timestamptz → int64 microseconds; float; double; string → UTF-8 bytes; uuid → 16 bytes in
/// network order; fixed, binary → the bytes; decimal → the unscaled value's minimal
/// two's-complement big-endian bytes, the scale being the type's). kNull is null.
struct Literal {
  enum class Kind : uint8_t { kNull, kBoolean, kInt, kLong, kFloat, kDouble, kBytes };
  Kind kind = Kind::kNull;
  bool boolean = false;
  int32_t int_value = 0;
  int64_t long_value = 0;
  float float_value = 0;
  double double_value = 0;
  std::string bytes;  ///< string, uuid, fixed, binary, decimal

  static Literal Null() { return {}; }
  static Literal Boolean(bool v) { return Of(Kind::kBoolean, [&](Literal& l) { l.boolean = v; }); }
  static Literal Int(int32_t v) { return Of(Kind::kInt, [&](Literal& l) { l.int_value = v; }); }
  static Literal Long(int64_t v) { return Of(Kind::kLong, [&](Literal& l) { l.long_value = v; }); }
  static Literal Float(float v) { return Of(Kind::kFloat, [&](Literal& l) { l.float_value = v; }); }
  static Literal Double(double v) {
    return Of(Kind::kDouble, [&](Literal& l) { l.double_value = v; });
  }
  static Literal Bytes(std::string v) {
    return Of(Kind::kBytes, [&](Literal& l) { l.bytes = std::move(v); });
  }

  bool is_null() const noexcept { return kind == Kind::kNull; }
  friend bool operator==(const Literal& a, const Literal& b) = default;

 private:
  template <typename Set>
  static Literal Of(Kind kind, Set set) {
    Literal literal;
    literal.kind = kind;
    set(literal);
    return literal;
  }
};

}  // namespace cqlbulk::iceberg
