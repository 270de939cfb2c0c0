// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/types/value.h"

#include <bit>
#include <iterator>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::cql {
namespace {

constexpr std::string_view kKindNames[] = {
    "null",     "empty",     "boolean", "tinyint", "smallint", "int",    "bigint",
    "counter",  "float",     "double",  "ascii",   "text",     "blob",   "uuid",
    "timeuuid", "timestamp", "date",    "time",    "inet",     "varint", "decimal",
    "duration", "list",      "set",     "map",     "tuple",    "udt",    "vector",
};
static_assert(std::size(kKindNames) == static_cast<size_t>(ValueKind::kVector) + 1);

/// Tuple/UDT fields: equal when the longer one's extra trailing fields are all null.
bool FieldsEqual(const Value::Elements& a, const Value::Elements& b) {
  const auto& shorter = a.size() <= b.size() ? a : b;
  const auto& longer = a.size() <= b.size() ? b : a;
  for (size_t i = 0; i < longer.size(); ++i) {
    if (i < shorter.size()) {
      if (!(shorter[i] == longer[i])) return false;
    } else if (!longer[i].is_null()) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string_view ValueKindName(ValueKind kind) {
  auto i = static_cast<size_t>(kind);
  return i < std::size(kKindNames) ? kKindNames[i] : "unknown";
}

Result<Value> Value::DateFromDays(int64_t days_since_epoch) {
  constexpr int64_t kOffset = int64_t{1} << 31;
  if (days_since_epoch < -kOffset || days_since_epoch >= kOffset) {
    return InvalidArgument("date out of range: " + std::to_string(days_since_epoch) +
                           " days from 1970-01-01");
  }
  return Date(static_cast<uint32_t>(days_since_epoch + kOffset));
}

bool Value::is_integer() const noexcept {
  return kind_ == ValueKind::kTinyint || kind_ == ValueKind::kSmallint ||
         kind_ == ValueKind::kInt || kind_ == ValueKind::kBigint || kind_ == ValueKind::kCounter;
}

template <typename T>
const T& Value::Get(const char* accessor) const {
  const T* p = std::get_if<T>(&payload_);
  if (p == nullptr) [[unlikely]] {
    std::fprintf(stderr, "Value::%s called on a %s value\n", accessor,
                 std::string(ValueKindName(kind_)).c_str());
    std::abort();
  }
  return *p;
}

uint8_t Value::boolean_byte() const {
  CQLBULK_CHECK(kind_ == ValueKind::kBoolean, "boolean_byte() on a non-boolean value");
  return static_cast<uint8_t>(Get<int64_t>("boolean_byte"));
}

int64_t Value::as_int64() const { return Get<int64_t>("as_int64"); }
float Value::as_float() const { return Get<float>("as_float"); }
double Value::as_double() const { return Get<double>("as_double"); }
const std::string& Value::as_string() const { return Get<std::string>("as_string"); }
const Bytes& Value::as_blob() const { return Get<Bytes>("as_blob"); }
const cqlbulk::Uuid& Value::as_uuid() const { return Get<cqlbulk::Uuid>("as_uuid"); }
const IpAddress& Value::as_inet() const { return Get<IpAddress>("as_inet"); }
const cql::Varint& Value::as_varint() const { return Get<cql::Varint>("as_varint"); }
const cql::Decimal& Value::as_decimal() const { return Get<cql::Decimal>("as_decimal"); }
const cql::Duration& Value::as_duration() const { return Get<cql::Duration>("as_duration"); }
const Value::Elements& Value::elements() const { return Get<Elements>("elements"); }
const Value::Entries& Value::entries() const { return Get<Entries>("entries"); }

uint32_t Value::date_raw() const {
  CQLBULK_CHECK(kind_ == ValueKind::kDate, "date_raw() on a non-date value");
  return static_cast<uint32_t>(Get<int64_t>("date_raw"));
}

Value::Elements& Value::mutable_elements() {
  return const_cast<Elements&>(Get<Elements>("mutable_elements"));
}

Value::Entries& Value::mutable_entries() {
  return const_cast<Entries&>(Get<Entries>("mutable_entries"));
}

bool operator==(const Value& a, const Value& b) {
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case ValueKind::kFloat:
      return std::bit_cast<uint32_t>(a.as_float()) == std::bit_cast<uint32_t>(b.as_float());
    case ValueKind::kDouble:
      return std::bit_cast<uint64_t>(a.as_double()) == std::bit_cast<uint64_t>(b.as_double());
    case ValueKind::kTuple:
    case ValueKind::kUdt:
      return FieldsEqual(a.elements(), b.elements());
    default:
      return a.payload_ == b.payload_;
  }
}

}  // namespace cqlbulk::cql
