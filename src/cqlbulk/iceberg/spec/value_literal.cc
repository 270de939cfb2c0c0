// SPDX-License-Identifier: Apache-2.0
// Values of data::Columns as Iceberg Literals, in the forms of type_mapping.h.
#include "cqlbulk/iceberg/spec/value_literal.h"

#include <limits>
#include <string>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/text/scalar_text.h"
#include "cqlbulk/iceberg/spec/literal.h"

namespace cqlbulk::iceberg {
namespace {

using data::TypeKind;

Int128 PowerOfTen(int64_t p) {
  Int128 v = 1;
  for (int64_t i = 0; i < p; ++i) v *= 10;
  return v;
}

bool FitsDigits(Int128 v, int32_t digits) {
  Int128 limit = PowerOfTen(digits);
  return v < limit && v > -limit;
}

// The unscaled value of decimal(precision, scale) for unscaled * 10^-value_scale, rounded half
// to even when digits are dropped; nullopt when it does not fit.
std::optional<Int128> Rescale(BytesView unscaled, int32_t value_scale, int32_t precision,
                              int32_t scale) {
  // A value of more than 16 bytes may still be small once its redundant sign bytes go.
  size_t skip = 0;
  while (unscaled.size() - skip > 16 && (unscaled[skip] == 0x00 || unscaled[skip] == 0xFF) &&
         ((unscaled[skip + 1] ^ unscaled[skip]) & 0x80) == 0) {
    ++skip;
  }
  Int128 value = 0;  // no bytes: zero, as the Parquet writer reads them
  if (!unscaled.empty()) {
    Result<Int128> v = DecimalUnscaled(AsChars(unscaled.subspan(skip)));
    if (!v) return std::nullopt;
    value = *v;
  }
  int64_t shift = int64_t{scale} - value_scale;
  if (shift > 0 && value != 0) {
    if (shift > 38 || !FitsDigits(value, static_cast<int32_t>(38 - shift))) return std::nullopt;
    value *= PowerOfTen(shift);
  } else if (shift < 0) {
    if (shift < -38) {
      value = 0;  // |value| < 2^127 < 0.5 * 10^39
    } else {
      Int128 divisor = PowerOfTen(-shift);
      Int128 q = value / divisor;
      Int128 r = value % divisor;
      Int128 twice = (r < 0 ? -r : r) * 2;
      if (twice > divisor || (twice == divisor && (q & 1) != 0)) q += value < 0 ? -1 : 1;
      value = q;
    }
  }
  if (!FitsDigits(value, precision)) return std::nullopt;
  return value;
}

Literal Text(std::string text) { return Literal::Bytes(std::move(text)); }

}  // namespace

Result<Literal> LiteralOfValue(const data::Column& c, size_t row, const Type& type) {
  if (c.IsNull(row)) {
    return Literal::Null();
  }
  auto mismatch = [&] {
    return InvalidArgument("a value of " + c.type()->ToString() + " has no " + type.ToString() +
                           " form");
  };
  TypeId id = type.id();
  switch (c.kind()) {
    case TypeKind::kBoolean:
      if (id == TypeId::kBoolean) return Literal::Boolean(c.Boolean(row));
      break;
    case TypeKind::kInt8:
      if (id == TypeId::kInt) return Literal::Int(c.Int8(row));
      break;
    case TypeKind::kInt16:
      if (id == TypeId::kInt) return Literal::Int(c.Int16(row));
      break;
    case TypeKind::kInt32:
      if (id == TypeId::kInt) return Literal::Int(c.Int32(row));
      break;
    case TypeKind::kDate:
      if (id == TypeId::kDate) return Literal::Int(c.Date(row));
      break;
    case TypeKind::kInt64:
      if (id == TypeId::kLong) return Literal::Long(c.Int64(row));
      break;
    case TypeKind::kFloat32:
      if (id == TypeId::kFloat) return Literal::Float(c.Float32(row));
      break;
    case TypeKind::kFloat64:
      if (id == TypeId::kDouble) return Literal::Double(c.Float64(row));
      break;
    case TypeKind::kTime:
      if (id == TypeId::kLong) return Literal::Long(c.Time(row));
      if (id == TypeId::kTime) return Literal::Long(c.Time(row) / 1000);
      break;
    case TypeKind::kTimestamp:
      if (id == TypeId::kTimestampTz || id == TypeId::kTimestamp) {
        int64_t millis = c.Timestamp(row);
        if (millis > std::numeric_limits<int64_t>::max() / 1000 ||
            millis < std::numeric_limits<int64_t>::min() / 1000) {
          return InvalidArgument("timestamp " + std::to_string(millis) +
                                 " ms is past what microseconds since 1970 hold");
        }
        return Literal::Long(millis * 1000);
      }
      break;
    case TypeKind::kString:
      if (id == TypeId::kString) return Text(std::string(c.String(row)));
      break;
    case TypeKind::kBinary:
      if (id == TypeId::kBinary) return Text(std::string(AsChars(c.Bytes(row))));
      break;
    case TypeKind::kUuid:
      if (id == TypeId::kUuid) return Text(std::string(AsChars(c.UuidBytes(row))));
      break;
    case TypeKind::kInet:
      if (id == TypeId::kString) {
        std::string text;
        formats::AppendInetText(c.Bytes(row), text);
        return Text(std::move(text));
      }
      break;
    case TypeKind::kBigInteger:
    case TypeKind::kDecimal: {
      BytesView unscaled = c.DecimalUnscaled(row);
      int32_t value_scale = c.kind() == TypeKind::kDecimal ? c.DecimalScale(row) : 0;
      if (id == TypeId::kString) {
        std::string text;
        if (c.kind() == TypeKind::kDecimal) {
          formats::AppendDecimalText(unscaled, value_scale, text);
        } else {
          formats::AppendBigIntegerText(unscaled, text);
        }
        return Text(std::move(text));
      }
      if (id == TypeId::kDecimal) {
        std::optional<Int128> v = Rescale(unscaled, value_scale, type.precision(), type.scale());
        if (!v) {
          std::string text;
          formats::AppendDecimalText(unscaled, value_scale, text);
          return InvalidArgument("the value " + text + " does not fit " + type.ToString());
        }
        return Literal::Bytes(DecimalBytes(*v));
      }
      break;
    }
    default:
      break;
  }
  return mismatch();
}

}  // namespace cqlbulk::iceberg
