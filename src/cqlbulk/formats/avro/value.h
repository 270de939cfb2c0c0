// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "cqlbulk/core/bytes.h"

namespace cqlbulk::formats::avro {

struct MapEntry;

/// \brief A generic Avro datum: a small tree of values, one kind per Avro type.
///
/// Good for what Iceberg keeps in Avro (manifests, manifest lists: thousands of records),
/// not for bulk data. Bytes, strings and fixed hold their bytes in a std::string; records
/// hold their field values by field index, arrays their items, maps their entries in order
/// (duplicate keys are kept as they come), unions the branch index and the branch's value.
/// Logical types are their underlying type's values (a date is an Int, a decimal Bytes or
/// Fixed holding the two's-complement unscaled value).
class Value {
 public:
  enum class Kind : uint8_t {
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

  /// The null value.
  Value() = default;

  static Value Null() { return {}; }
  static Value Boolean(bool v) { return Value(Kind::kBoolean, v); }
  static Value Int(int32_t v) { return Value(Kind::kInt, v); }
  static Value Long(int64_t v) { return Value(Kind::kLong, v); }
  static Value Float(float v) { return Value(Kind::kFloat, v); }
  static Value Double(double v) { return Value(Kind::kDouble, v); }
  static Value Bytes(BytesView v) { return Value(Kind::kBytes, std::string(AsChars(v))); }
  static Value BytesFromChars(std::string v) { return Value(Kind::kBytes, std::move(v)); }
  static Value String(std::string v) { return Value(Kind::kString, std::move(v)); }
  static Value Fixed(BytesView v) { return Value(Kind::kFixed, std::string(AsChars(v))); }
  static Value FixedFromChars(std::string v) { return Value(Kind::kFixed, std::move(v)); }
  /// A record's field values, by field index.
  static Value Record(std::vector<Value> fields) { return Value(Kind::kRecord, std::move(fields)); }
  /// The symbol at `index` of the enum's symbols.
  static Value Enum(int32_t index) { return Value(Kind::kEnum, index, {}); }
  static Value Array(std::vector<Value> items) { return Value(Kind::kArray, std::move(items)); }
  static Value Map(std::vector<MapEntry> entries);
  /// The union's branch at `branch` holding `value`.
  static Value Union(int32_t branch, Value value);

  Kind kind() const noexcept { return kind_; }
  bool is_null() const noexcept { return kind_ == Kind::kNull; }

  // Accessors: each requires the matching kind (checked in debug builds only by
  // std::get, which would throw; callers test kind() first).
  bool boolean() const { return std::get<bool>(data_); }
  int32_t int_value() const { return std::get<int32_t>(data_); }
  int64_t long_value() const { return std::get<int64_t>(data_); }
  float float_value() const { return std::get<float>(data_); }
  double double_value() const { return std::get<double>(data_); }
  /// The bytes of a Bytes, String or Fixed.
  std::string_view chars() const { return std::get<std::string>(data_); }
  BytesView bytes() const { return AsBytes(chars()); }
  /// Record fields, array items, or the one value of a union.
  const std::vector<Value>& children() const { return std::get<std::vector<Value>>(data_); }
  std::vector<Value>& children() { return std::get<std::vector<Value>>(data_); }
  const std::vector<Value>& fields() const { return children(); }
  const std::vector<Value>& items() const { return children(); }
  const std::vector<MapEntry>& entries() const { return std::get<std::vector<MapEntry>>(data_); }
  std::vector<MapEntry>& entries() { return std::get<std::vector<MapEntry>>(data_); }
  /// An enum's symbol index or a union's branch index.
  int32_t index() const noexcept { return index_; }
  /// A union's value.
  const Value& branch_value() const { return children().front(); }
  /// A union's value, or this value itself when it is not a union.
  const Value& Unwrapped() const { return kind_ == Kind::kUnion ? branch_value() : *this; }

  /// A short readable form for messages and tests: null, true, 7, 7L, 1.5f, 1.5, b"\x01",
  /// "text", {1, "a"}, enum 2, [1, 2], {"k": 1}, union 1: 7L, fixed "\x00".
  std::string DebugString() const;

  /// Equal kinds and values; floats and doubles compare by their bits (NaN equals itself).
  friend bool operator==(const Value& a, const Value& b);

 private:
  using Data = std::variant<std::monostate, bool, int32_t, int64_t, float, double, std::string,
                            std::vector<Value>, std::vector<MapEntry>>;

  template <typename T>
  Value(Kind kind, T data) : kind_(kind), data_(std::move(data)) {}
  Value(Kind kind, int32_t index, std::vector<Value> children)
      : kind_(kind), index_(index), data_(std::move(children)) {}

  Kind kind_ = Kind::kNull;
  int32_t index_ = 0;
  Data data_;
};

/// \brief One entry of a map.
struct MapEntry {
  std::string key;
  Value value;

  friend bool operator==(const MapEntry&, const MapEntry&) = default;
};

inline Value Value::Map(std::vector<MapEntry> entries) {
  return Value(Kind::kMap, std::move(entries));
}

inline Value Value::Union(int32_t branch, Value value) {
  std::vector<Value> children;
  children.push_back(std::move(value));
  return Value(Kind::kUnion, branch, std::move(children));
}

/// "null", "boolean", "int", ... "fixed": the Avro type name of a kind.
std::string_view KindName(Value::Kind kind);

}  // namespace cqlbulk::formats::avro
