// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/macros.h"

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

  // Factories. (Their bodies follow MapEntry: a Value can only be built or destroyed where
  // MapEntry is complete.)
  static Value Null();
  static Value Boolean(bool v);
  static Value Int(int32_t v);
  static Value Long(int64_t v);
  static Value Float(float v);
  static Value Double(double v);
  static Value Bytes(BytesView v);
  static Value BytesFromChars(std::string v);
  static Value String(std::string v);
  static Value Fixed(BytesView v);
  static Value FixedFromChars(std::string v);
  /// A record's field values, by field index.
  static Value Record(std::vector<Value> fields);
  /// The symbol at `index` of the enum's symbols.
  static Value Enum(int32_t index);
  static Value Array(std::vector<Value> items);
  static Value Map(std::vector<MapEntry> entries);
  /// The union's branch at `branch` holding `value`.
  static Value Union(int32_t branch, Value value);

  Kind kind() const noexcept { return kind_; }
  bool is_null() const noexcept { return kind_ == Kind::kNull; }

  // Accessors: each requires the matching kind (a debug check; callers test kind() first).
  bool boolean() const { return Get<bool>(); }
  int32_t int_value() const { return Get<int32_t>(); }
  int64_t long_value() const { return Get<int64_t>(); }
  float float_value() const { return Get<float>(); }
  double double_value() const { return Get<double>(); }
  /// The bytes of a Bytes, String or Fixed.
  std::string_view chars() const { return Get<std::string>(); }
  BytesView bytes() const { return AsBytes(chars()); }
  /// Record fields, array items, or the one value of a union.
  const std::vector<Value>& children() const { return Get<std::vector<Value>>(); }
  std::vector<Value>& children() { return GetMutable<std::vector<Value>>(); }
  const std::vector<Value>& fields() const { return children(); }
  const std::vector<Value>& items() const { return children(); }
  const std::vector<MapEntry>& entries() const { return Get<std::vector<MapEntry>>(); }
  std::vector<MapEntry>& entries() { return GetMutable<std::vector<MapEntry>>(); }
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
  Value(Kind kind, T data);
  Value(Kind kind, int32_t index, std::vector<Value> children);

  template <typename T>
  const T& Get() const {
    const T* p = std::get_if<T>(&data_);
    CQLBULK_DCHECK(p != nullptr, "Avro Value accessor of another kind");
    return *p;
  }
  template <typename T>
  T& GetMutable() {
    T* p = std::get_if<T>(&data_);
    CQLBULK_DCHECK(p != nullptr, "Avro Value accessor of another kind");
    return *p;
  }

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

template <typename T>
inline Value::Value(Kind kind, T data) : kind_(kind), data_(std::move(data)) {}
inline Value::Value(Kind kind, int32_t index, std::vector<Value> children)
    : kind_(kind), index_(index), data_(std::move(children)) {}

inline Value Value::Null() { return {}; }
inline Value Value::Boolean(bool v) { return Value(Kind::kBoolean, v); }
inline Value Value::Int(int32_t v) { return Value(Kind::kInt, v); }
inline Value Value::Long(int64_t v) { return Value(Kind::kLong, v); }
inline Value Value::Float(float v) { return Value(Kind::kFloat, v); }
inline Value Value::Double(double v) { return Value(Kind::kDouble, v); }
inline Value Value::Bytes(BytesView v) { return Value(Kind::kBytes, std::string(AsChars(v))); }
inline Value Value::BytesFromChars(std::string v) { return Value(Kind::kBytes, std::move(v)); }
inline Value Value::String(std::string v) { return Value(Kind::kString, std::move(v)); }
inline Value Value::Fixed(BytesView v) { return Value(Kind::kFixed, std::string(AsChars(v))); }
inline Value Value::FixedFromChars(std::string v) { return Value(Kind::kFixed, std::move(v)); }
inline Value Value::Record(std::vector<Value> fields) {
  return Value(Kind::kRecord, std::move(fields));
}
inline Value Value::Enum(int32_t index) { return Value(Kind::kEnum, index, {}); }
inline Value Value::Array(std::vector<Value> items) {
  return Value(Kind::kArray, std::move(items));
}
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
