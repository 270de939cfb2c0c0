// SPDX-License-Identifier: Apache-2.0
// Partition values as path text, the way PyIceberg's Transform.to_human_string and
// PartitionSpec.partition_to_path write them.
#include "cqlbulk/iceberg/spec/partition_path.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/core/time.h"
#include "cqlbulk/formats/text/scalar_text.h"
#include "cqlbulk/iceberg/spec/json.h"
#include "cqlbulk/iceberg/spec/literal.h"
#include "cqlbulk/iceberg/spec/transform.h"

namespace cqlbulk::iceberg {
namespace {

using Kind = Transform::Kind;

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// Python's f"{n:0=4d}": the sign, then zeros up to four characters in all.
std::string Year(int64_t year) {
  std::string digits = std::to_string(year < 0 ? -year : year);
  size_t width = year < 0 ? 3 : 4;
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return year < 0 ? "-" + digits : digits;
}

std::string TwoDigits(int64_t n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// Python's time.isoformat(): "HH:MM:SS", then ".ffffff" when there are microseconds.
std::string TimeOfDay(int64_t micros) {
  int64_t seconds = micros / kMicrosPerSecond;
  std::string out = TwoDigits(seconds / 3600) + ":" + TwoDigits(seconds / 60 % 60) + ":" +
                    TwoDigits(seconds % 60);
  if (int64_t fraction = micros % kMicrosPerSecond; fraction != 0) {
    char buf[24];
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(fraction));
    out += buf;
  }
  return out;
}

std::string Timestamp(int64_t micros) {
  int64_t days = FloorDiv(micros, kMicrosPerDay);
  return FormatDate(days) + "T" + TimeOfDay(micros - days * kMicrosPerDay);
}

// Python's str of a Decimal with exponent -scale: plain unless the adjusted exponent is below
// -6, then "1.23E-8".
std::string DecimalText(Int128 unscaled, int32_t scale) {
  std::string digits = Int128ToString(unscaled < 0 ? -unscaled : unscaled);
  std::string sign = unscaled < 0 ? "-" : "";
  int64_t left = static_cast<int64_t>(digits.size()) - scale;  // digits before the point
  if (scale >= 0 && left > -6) {
    if (scale == 0) return sign + digits;
    if (left <= 0) return sign + "0." + std::string(static_cast<size_t>(-left), '0') + digits;
    return sign + digits.substr(0, static_cast<size_t>(left)) + "." +
           digits.substr(static_cast<size_t>(left));
  }
  std::string mantissa = digits.substr(0, 1);
  if (digits.size() > 1) mantissa += "." + digits.substr(1);
  int64_t exponent = left - 1;
  return sign + mantissa + "E" + (exponent < 0 ? "-" : "+") + std::to_string(std::abs(exponent));
}

// Python's repr of a float: the shortest digits that read back; plain between 1e-4 and 1e16.
std::string FloatRepr(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buf[64];
  auto end = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific).ptr;
  std::string_view sci(buf, static_cast<size_t>(end - buf));  // "-1.5e+00"
  size_t e = sci.find('e');
  std::string sign = sci[0] == '-' ? "-" : "";
  std::string digits;
  for (char c : sci.substr(sign.size(), e - sign.size())) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = std::stoi(std::string(sci.substr(e + 1)));
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) {
      return sign + "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
    }
    auto point = static_cast<size_t>(exponent + 1);
    if (digits.size() <= point) {
      return sign + digits + std::string(point - digits.size(), '0') + ".0";
    }
    return sign + digits.substr(0, point) + "." + digits.substr(point);
  }
  std::string mantissa = digits.substr(0, 1);
  if (digits.size() > 1) mantissa += "." + digits.substr(1);
  std::string exp = std::to_string(std::abs(exponent));
  return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (exp.size() < 2 ? "0" : "") + exp;
}

std::string UuidText(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    auto b = static_cast<unsigned char>(bytes[i]);
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

// The text of a value of a primitive type (identity and truncate values).
std::string ValueText(const Type& type, const Literal& value) {
  switch (type.id()) {
    case TypeId::kBoolean:
      return value.boolean ? "true" : "false";
    case TypeId::kInt:
      return std::to_string(value.int_value);
    case TypeId::kLong:
      return std::to_string(value.long_value);
    case TypeId::kFloat:
      return FloatRepr(value.float_value);
    case TypeId::kDouble:
      return FloatRepr(value.double_value);
    case TypeId::kDecimal:
      return DecimalText(DecimalUnscaled(value.bytes).value_or(0), type.scale());
    case TypeId::kDate:
      return FormatDate(value.int_value);
    case TypeId::kTime:
      return TimeOfDay(value.long_value);
    case TypeId::kTimestamp:
      return Timestamp(value.long_value);
    case TypeId::kTimestampTz:
      return Timestamp(value.long_value) + "+00:00";
    case TypeId::kString:
      return value.bytes;
    case TypeId::kUuid:
      return UuidText(value.bytes);
    default: {  // fixed, binary
      std::string out;
      formats::AppendBase64(AsBytes(value.bytes), out);
      return out;
    }
  }
}

}  // namespace

Result<std::string> PartitionValueToHumanString(const Transform& transform, const Type& source,
                                                const Literal& value) {
  CQLBULK_ASSIGN_OR_RETURN(TypePtr result_type, TransformResultType(transform, source));
  if (value.is_null() || transform.kind == Kind::kVoid) {
    return std::string("null");
  }
  if (Status ok = CheckLiteral(*result_type, value); !ok) {
    return std::move(ok).error().WithContext("a value of " + TransformToString(transform) +
                                             " of a " + source.ToString());
  }
  switch (transform.kind) {
    case Kind::kYear:
      return Year(1970 + int64_t{value.int_value});
    case Kind::kMonth: {
      int64_t months = value.int_value;
      return Year(1970 + FloorDiv(months, 12)) + "-" + TwoDigits(months - FloorDiv(months, 12) * 12 + 1);
    }
    case Kind::kHour: {
      int64_t hours = value.int_value;
      int64_t days = FloorDiv(hours, 24);
      return FormatDate(days) + "-" + TwoDigits(hours - days * 24);
    }
    case Kind::kBucket:
      return std::to_string(value.int_value);
    default:  // identity, truncate, day: a value of the result type
      return ValueText(*result_type, value);
  }
}

std::string EscapePathSegment(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto b = static_cast<unsigned char>(c);
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || c == '_' ||
        c == '.' || c == '-' || c == '~') {
      out.push_back(c);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 15]);
    }
  }
  return out;
}

Result<std::string> PartitionPath(const PartitionSpec& spec, const Schema& schema,
                                  std::span<const Literal> values) {
  if (values.size() != spec.fields.size()) {
    return InvalidArgument("partition spec " + std::to_string(spec.spec_id) + " has " +
                           std::to_string(spec.fields.size()) + " fields, not " +
                           std::to_string(values.size()));
  }
  std::string path;
  for (size_t i = 0; i < values.size(); ++i) {
    const PartitionField& field = spec.fields[i];
    const NestedField* source = schema.FindField(field.source_id);
    if (source == nullptr) {
      return InvalidArgument("partition field " + field.name + ": the schema has no field " +
                             std::to_string(field.source_id));
    }
    auto text = PartitionValueToHumanString(field.transform, *source->type, values[i]);
    if (!text) {
      return std::move(text).error().WithContext("partition field " + field.name);
    }
    if (i > 0) path.push_back('/');
    path += EscapePathSegment(field.name) + "=" + EscapePathSegment(*text);
  }
  return path;
}

}  // namespace cqlbulk::iceberg
