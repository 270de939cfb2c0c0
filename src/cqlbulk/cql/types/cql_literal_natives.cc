// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/core/time.h"
#include "cqlbulk/cql/types/literal_parser_internal.h"

namespace cqlbulk::cql::internal {
namespace {

bool IsAllDigits(std::string_view s) {
  if (s.starts_with('-')) s.remove_prefix(1);
  return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit);
}

bool ToInt64(std::string_view s, int64_t* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

/// Decimal exponent of the leading significant digit of a number token ("123.4e2" -> 4);
/// tells overflow from underflow when from_chars reports a result out of range.
int64_t LeadingExponent(std::string_view token) {
  int64_t exponent = 0;
  size_t e = token.find_first_of("eE");
  if (e != std::string_view::npos) {
    std::string_view digits = token.substr(e + 1);
    bool negative = digits.starts_with('-');
    if (negative || digits.starts_with('+')) digits.remove_prefix(1);
    for (char c : digits) exponent = std::min<int64_t>(exponent * 10 + (c - '0'), int64_t{1} << 40);
    if (negative) exponent = -exponent;
    token = token.substr(0, e);
  }
  if (token.starts_with('-')) token.remove_prefix(1);
  size_t point = token.find('.');
  std::string_view whole = token.substr(0, point);
  size_t first = whole.find_first_not_of('0');
  if (first != std::string_view::npos) {
    return exponent + static_cast<int64_t>(whole.size() - first) - 1;
  }
  std::string_view fraction = point == std::string_view::npos ? "" : token.substr(point + 1);
  size_t nonzero = fraction.find_first_not_of('0');
  return exponent - static_cast<int64_t>(nonzero == std::string_view::npos ? 0 : nonzero) - 1;
}

/// Correctly rounded like Java's Float.parseFloat / Double.parseDouble, which give infinity
/// or zero where from_chars reports a result out of range.
template <typename F>
bool ToFloating(std::string_view token, F* out) {
  auto [p, ec] = std::from_chars(token.data(), token.data() + token.size(), *out);
  if (p != token.data() + token.size()) return false;
  if (ec == std::errc::result_out_of_range) {
    F magnitude = LeadingExponent(token) > 0 ? std::numeric_limits<F>::infinity() : F(0);
    *out = token.starts_with('-') ? -magnitude : magnitude;
    return true;
  }
  return ec == std::errc();
}

/// java.time's "uuuu" years: more than four digits need an explicit sign.
bool HasUnsignedLongYear(std::string_view date) {
  if (date.starts_with('-') || date.starts_with('+')) return false;
  size_t dash = date.find('-');
  return dash != std::string_view::npos && dash > 4;
}

}  // namespace

Result<Value> LiteralParser::ParseInteger(const DataType& type) {
  size_t start = pos_;
  std::string name = type.ToCql();
  CQLBULK_ASSIGN_OR_RETURN(std::string_view token, ScanInteger(name));
  int64_t v = 0;
  bool ok = ToInt64(token, &v);
  auto in = [&](int64_t lo, int64_t hi) { return ok && v >= lo && v <= hi; };
  switch (type.id) {
    case TypeId::kTinyint:
      if (in(INT8_MIN, INT8_MAX)) return Value::Tinyint(static_cast<int8_t>(v));
      break;
    case TypeId::kSmallint:
      if (in(INT16_MIN, INT16_MAX)) return Value::Smallint(static_cast<int16_t>(v));
      break;
    case TypeId::kInt:
      if (in(INT32_MIN, INT32_MAX)) return Value::Int(static_cast<int32_t>(v));
      break;
    case TypeId::kBigint:
      if (ok) return Value::Bigint(v);
      break;
    default:
      if (ok) return Value::Counter(v);
      break;
  }
  return Fail("unable to make " + name + " from '" + std::string(token) + "': out of range", start);
}

Result<Value> LiteralParser::ParseFloating(const DataType& type) {
  size_t start = pos_;
  bool is_float = type.id == TypeId::kFloat;
  auto make = [&](double d) {
    return is_float ? Value::Float(static_cast<float>(d)) : Value::Double(d);
  };
  bool negative = Peek() == '-' && IsIdentStart(Peek(1));
  if (negative) ++pos_;
  if (EatWord("nan")) return make(std::numeric_limits<double>::quiet_NaN());
  if (EatWord("infinity")) return make(negative ? -HUGE_VAL : HUGE_VAL);
  if (negative) return Fail("expected a number", start);
  bool is_integer = false;
  CQLBULK_ASSIGN_OR_RETURN(std::string_view token, ScanNumber(&is_integer));
  if (is_float) {
    float f = 0;
    if (ToFloating(token, &f)) return Value::Float(f);
  } else {
    double d = 0;
    if (ToFloating(token, &d)) return Value::Double(d);
  }
  return Fail("invalid number '" + std::string(token) + "'", start);
}

Result<Value> LiteralParser::ParseTimestamp() {
  size_t start = pos_;
  std::string text;
  if (AtString()) {
    CQLBULK_ASSIGN_OR_RETURN(text, ScanString());
    if (text.empty()) return Value::Empty();  // TimestampType.fromString("") is the empty value
  } else {
    CQLBULK_ASSIGN_OR_RETURN(std::string_view token, ScanInteger("timestamp"));
    text = std::string(token);
  }
  if (IsAllDigits(text)) {
    int64_t ms = 0;
    if (!ToInt64(text, &ms)) return Fail("timestamp out of range: " + text, start);
    return Value::Timestamp(ms);
  }
  // Years past 6 digits would overflow 64-bit milliseconds.
  size_t dash = text.find('-', text.starts_with('-') || text.starts_with('+') ? 1 : 0);
  if (dash == std::string::npos || dash > 7)
    return Fail("unable to coerce '" + text + "' to a timestamp", start);
  auto ms = cqlbulk::ParseTimestamp(text);
  if (!ms) return Fail(ms.error().message(), start);
  return Value::Timestamp(*ms);
}

Result<Value> LiteralParser::ParseDate() {
  size_t start = pos_;
  std::string text;
  if (AtString()) {
    CQLBULK_ASSIGN_OR_RETURN(text, ScanString());
  } else {
    CQLBULK_ASSIGN_OR_RETURN(std::string_view token, ScanInteger("date"));
    text = std::string(token);
  }
  if (IsAllDigits(text)) {
    // Raw CQL value: days since 1970-01-01 plus 2^31, as an unsigned 32-bit number.
    int64_t raw = 0;
    if (!ToInt64(text, &raw) || raw < 0 || raw > int64_t{UINT32_MAX}) {
      return Fail("date out of range: " + text, start);
    }
    return Value::Date(static_cast<uint32_t>(raw));
  }
  if (HasUnsignedLongYear(text)) {
    return Fail("unable to coerce '" + text + "' to a date: a year past 9999 needs a '+' sign",
                start);
  }
  auto days = cqlbulk::ParseDate(text);
  if (!days) return Fail(days.error().message(), start);
  auto value = Value::DateFromDays(*days);
  if (!value) return Fail(value.error().message(), start);
  return *std::move(value);
}

Result<Value> LiteralParser::ParseTime() {
  size_t start = pos_;
  std::string text;
  if (AtString()) {
    CQLBULK_ASSIGN_OR_RETURN(text, ScanString());
  } else {
    CQLBULK_ASSIGN_OR_RETURN(std::string_view token, ScanInteger("time"));
    text = std::string(token);
  }
  if (IsAllDigits(text)) {
    int64_t nanos = 0;
    if (!ToInt64(text, &nanos) || nanos < 0 || nanos >= kNanosPerDay) {
      return Fail("time out of range (0..86399999999999 ns): " + text, start);
    }
    return Value::Time(nanos);
  }
  auto nanos = cqlbulk::ParseTimeOfDay(text);
  if (!nanos) return Fail(nanos.error().message(), start);
  return Value::Time(*nanos);
}

Result<Value> LiteralParser::ParseDuration() {
  size_t start = pos_;
  // A duration constant: sign, digits, unit letters ("µ" is two bytes), and for the ISO
  // alternative form '-' and ':'.
  if (Peek() == '-') ++pos_;
  while (!AtEnd()) {
    char c = Peek();
    if (IsIdentChar(c) || c == ':' || c == '-') {
      ++pos_;
    } else if (c == '\xC2' && Peek(1) == '\xB5') {
      pos_ += 2;
    } else {
      break;
    }
  }
  if (pos_ == start) return Fail("expected a duration", start);
  auto d = Duration::Parse(text_.substr(start, pos_ - start));
  if (!d) return Fail(d.error().message(), start);
  return Value::Duration(*d);
}

Result<Value> LiteralParser::ParseNative(const DataType& type) {
  size_t start = pos_;
  switch (type.id) {
    case TypeId::kBoolean:
      if (EatWord("true")) return Value::Boolean(true);
      if (EatWord("false")) return Value::Boolean(false);
      return Fail("expected true or false", start);
    case TypeId::kTinyint:
    case TypeId::kSmallint:
    case TypeId::kInt:
    case TypeId::kBigint:
    case TypeId::kCounter:
      return ParseInteger(type);
    case TypeId::kFloat:
    case TypeId::kDouble:
      return ParseFloating(type);
    case TypeId::kDecimal: {
      bool is_integer = false;
      CQLBULK_ASSIGN_OR_RETURN(std::string_view token, ScanNumber(&is_integer));
      auto d = Decimal::Parse(token);
      if (!d) return Fail(d.error().message(), start);
      return Value::Decimal(*std::move(d));
    }
    case TypeId::kVarint: {
      CQLBULK_ASSIGN_OR_RETURN(std::string_view token, ScanInteger("varint"));
      CQLBULK_ASSIGN_OR_RETURN(Varint v, Varint::Parse(token));
      return Value::Varint(std::move(v));
    }
    case TypeId::kAscii:
    case TypeId::kVarchar: {
      CQLBULK_ASSIGN_OR_RETURN(std::string s, ScanString());
      if (type.id == TypeId::kAscii) {
        if (!IsAscii(s)) return Fail("invalid ASCII character in string literal", start);
        return Value::Ascii(std::move(s));
      }
      if (!IsValidUtf8(s)) return Fail("invalid UTF-8 in string literal", start);
      return Value::Text(std::move(s));
    }
    case TypeId::kBlob:
    case TypeId::kCustom: {
      CQLBULK_ASSIGN_OR_RETURN(Bytes b, ScanHex());
      return Value::Blob(std::move(b));
    }
    case TypeId::kUuid:
    case TypeId::kTimeuuid: {
      CQLBULK_ASSIGN_OR_RETURN(Uuid u, ScanUuid());
      if (type.id == TypeId::kUuid) return Value::Uuid(u);
      if (u.version() != 1) return Fail("a timeuuid must be a version 1 UUID", start);
      return Value::Timeuuid(u);
    }
    case TypeId::kTimestamp:
      return ParseTimestamp();
    case TypeId::kDate:
      return ParseDate();
    case TypeId::kTime:
      return ParseTime();
    case TypeId::kInet: {
      CQLBULK_ASSIGN_OR_RETURN(std::string s, ScanString());
      if (s.empty()) return Value::Empty();  // InetAddressType.fromString("") is the empty value
      auto address = IpAddress::Parse(s);
      if (!address) return Fail(address.error().message(), start);
      return Value::Inet(*address);
    }
    case TypeId::kDuration:
      return ParseDuration();
    default:
      return Fail("no literal syntax for " + type.ToCql(), start);
  }
}

}  // namespace cqlbulk::cql::internal
