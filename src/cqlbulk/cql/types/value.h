// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/core/uuid.h"
#include "cqlbulk/cql/types/duration.h"
#include "cqlbulk/cql/types/ip_address.h"
#include "cqlbulk/cql/types/numeric.h"

namespace cqlbulk::cql {

/// \brief What a Value holds: null, an empty value, or a value of one CQL type.
// clang-format off
enum class ValueKind : uint8_t {
  kNull,   ///< no value ([bytes] length -1)
  kEmpty,  ///< a zero-length value of a type where that is not a normal value (int, uuid, ...)
  kBoolean, kTinyint, kSmallint, kInt, kBigint, kCounter, kFloat, kDouble,
  kAscii, kText, kBlob, kUuid, kTimeuuid, kTimestamp, kDate, kTime, kInet,
  kVarint, kDecimal, kDuration,
  kList, kSet, kMap, kTuple, kUdt, kVector,
};
// clang-format on

std::string_view ValueKindName(ValueKind kind);

/// \brief An owned CQL value of any type.
///
/// Cheap to move; copying deep-copies collections. Values are built with the named
/// constructors and read with the accessor matching kind(); a mismatched accessor is a bug
/// (it aborts). The CQL type is not stored: codecs take a DataType beside the value.
///
/// - text, ascii and blob have no kEmpty state: zero bytes are the empty string or blob.
/// - boolean keeps its raw byte (Cassandra stores 0x02 as given; any non-zero is true).
/// - date is the raw CQL uint32 (2^31 = 1970-01-01); time is nanoseconds since midnight.
/// - tuple and UDT fields are positional and may be null; a tuple or UDT may hold fewer
///   fields than its type declares (missing trailing fields read as null and are not encoded).
/// - `==` is exact: float bits, decimal scale and varint bytes must match; missing trailing
///   tuple/UDT fields equal nulls.
class Value {
 public:
  using Elements = std::vector<Value>;
  using Entry = std::pair<Value, Value>;
  using Entries = std::vector<Entry>;

  /// The null value.
  Value() noexcept = default;

  static Value Null() { return Value(); }
  static Value Empty() { return Value(ValueKind::kEmpty, std::monostate{}); }
  static Value Boolean(bool v) { return BooleanByte(v ? 1 : 0); }
  /// A boolean from its serialised byte (0 is false, anything else true).
  static Value BooleanByte(uint8_t raw) { return Value(ValueKind::kBoolean, int64_t{raw}); }
  static Value Tinyint(int8_t v) { return Value(ValueKind::kTinyint, int64_t{v}); }
  static Value Smallint(int16_t v) { return Value(ValueKind::kSmallint, int64_t{v}); }
  static Value Int(int32_t v) { return Value(ValueKind::kInt, int64_t{v}); }
  static Value Bigint(int64_t v) { return Value(ValueKind::kBigint, v); }
  static Value Counter(int64_t v) { return Value(ValueKind::kCounter, v); }
  static Value Float(float v) { return Value(ValueKind::kFloat, v); }
  static Value Double(double v) { return Value(ValueKind::kDouble, v); }
  static Value Ascii(std::string v) { return Value(ValueKind::kAscii, std::move(v)); }
  static Value Text(std::string v) { return Value(ValueKind::kText, std::move(v)); }
  static Value Blob(Bytes v) { return Value(ValueKind::kBlob, std::move(v)); }
  static Value Uuid(const cqlbulk::Uuid& v) { return Value(ValueKind::kUuid, v); }
  static Value Timeuuid(const cqlbulk::Uuid& v) { return Value(ValueKind::kTimeuuid, v); }
  /// Milliseconds since the Unix epoch.
  static Value Timestamp(int64_t millis) { return Value(ValueKind::kTimestamp, millis); }
  /// The raw CQL date: days since 1970-01-01 plus 2^31.
  static Value Date(uint32_t raw) { return Value(ValueKind::kDate, int64_t{raw}); }
  /// kInvalidArgument outside the CQL date range (-2^31 .. 2^31-1 days).
  static Result<Value> DateFromDays(int64_t days_since_epoch);
  /// Nanoseconds since midnight (codecs accept any int64, literals 0..86399999999999).
  static Value Time(int64_t nanos) { return Value(ValueKind::kTime, nanos); }
  static Value Inet(const IpAddress& v) { return Value(ValueKind::kInet, v); }
  static Value Varint(cql::Varint v) { return Value(ValueKind::kVarint, std::move(v)); }
  static Value Decimal(cql::Decimal v) { return Value(ValueKind::kDecimal, std::move(v)); }
  static Value Duration(const cql::Duration& v) { return Value(ValueKind::kDuration, v); }
  static Value List(Elements v) { return Value(ValueKind::kList, std::move(v)); }
  static Value Set(Elements v) { return Value(ValueKind::kSet, std::move(v)); }
  static Value Map(Entries v) { return Value(ValueKind::kMap, std::move(v)); }
  static Value Tuple(Elements v) { return Value(ValueKind::kTuple, std::move(v)); }
  /// UDT fields in the type's declaration order.
  static Value Udt(Elements v) { return Value(ValueKind::kUdt, std::move(v)); }
  static Value Vector(Elements v) { return Value(ValueKind::kVector, std::move(v)); }

  ValueKind kind() const noexcept { return kind_; }
  bool is_null() const noexcept { return kind_ == ValueKind::kNull; }
  bool is_empty() const noexcept { return kind_ == ValueKind::kEmpty; }
  /// tinyint, smallint, int, bigint or counter.
  bool is_integer() const noexcept;

  bool as_bool() const { return boolean_byte() != 0; }
  uint8_t boolean_byte() const;
  /// tinyint..counter; also timestamp (ms), time (ns) and date (raw).
  int64_t as_int64() const;
  float as_float() const;
  double as_double() const;
  /// ascii or text.
  const std::string& as_string() const;
  const Bytes& as_blob() const;
  /// uuid or timeuuid.
  const cqlbulk::Uuid& as_uuid() const;
  uint32_t date_raw() const;
  int64_t date_days_since_epoch() const { return int64_t{date_raw()} - (int64_t{1} << 31); }
  const IpAddress& as_inet() const;
  const cql::Varint& as_varint() const;
  const cql::Decimal& as_decimal() const;
  const cql::Duration& as_duration() const;
  /// list, set, tuple, udt or vector.
  const Elements& elements() const;
  Elements& mutable_elements();
  /// map
  const Entries& entries() const;
  Entries& mutable_entries();

  /// A CQL-literal-like rendering for messages and test output (FormatCqlLiteral without a
  /// type: UDTs print positionally as "{0: .., 1: ..}").
  std::string ToString() const;

  friend bool operator==(const Value& a, const Value& b);

 private:
  using Payload =
      std::variant<std::monostate, int64_t, float, double, std::string, Bytes, cqlbulk::Uuid,
                   IpAddress, cql::Varint, cql::Decimal, cql::Duration, Elements, Entries>;

  template <typename T>
  Value(ValueKind kind, T&& payload) : kind_(kind), payload_(std::forward<T>(payload)) {}

  template <typename T>
  const T& Get(const char* accessor) const;

  ValueKind kind_ = ValueKind::kNull;
  Payload payload_;
};

/// \brief Cassandra's comparator for values of one type: the order in which a real server
/// stores set elements, map keys and clustering values.
///
/// null < empty < any value. Integers, timestamps and floating point compare as signed
/// numbers (floats as Java's Float.compare: -0.0 < 0.0, NaN largest, all NaNs equal); text,
/// ascii, blob, inet, date, time and duration bytewise (unsigned); boolean false < true (all
/// non-zero bytes equal); varint and decimal numerically (1.0 and 1.00 are equivalent);
/// uuid as Cassandra's UUIDType (version, then timestamp for version 1, else the high 64 bits
/// unsigned, then the low 64 bits unsigned); timeuuid as TimeUUIDType (timestamp, then the low
/// bytes as signed bytes); list/set/vector element by element, then size; map key then value
/// entry by entry, then size; tuple/UDT field by field with null first and missing trailing
/// fields equal to null. Values of different kinds order by kind.
std::weak_ordering CompareValues(const Value& a, const Value& b);

struct ValueLess {
  bool operator()(const Value& a, const Value& b) const { return CompareValues(a, b) < 0; }
};

/// \brief Whether NormalizeCollections goes into tuples and UDTs.
enum class TupleFields {
  kNormalize,  ///< literals: Cassandra builds every set and map in them anew
  kAsGiven,    ///< bound values: Cassandra keeps a bound tuple's or UDT's bytes as sent
};

/// \brief Normalises collections the way Cassandra stores them, recursively: set elements
/// sorted with duplicates (by CompareValues) dropped, keeping the first; map entries sorted by
/// key, a repeated key keeping its first key and its last value.
void NormalizeCollections(Value& value, TupleFields tuple_fields = TupleFields::kNormalize);

}  // namespace cqlbulk::cql
