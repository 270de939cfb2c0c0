// SPDX-License-Identifier: Apache-2.0
// The spec's partition transforms and appendix B's bucket hash.
#include "cqlbulk/iceberg/spec/transform.h"

#include <bit>
#include <cstring>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/core/time.h"
#include "cqlbulk/iceberg/spec/json.h"
#include "cqlbulk/iceberg/spec/literal.h"
#include "cqlbulk/iceberg/spec/utf8.h"

namespace cqlbulk::iceberg {
namespace {

using Kind = Transform::Kind;

constexpr int64_t kMicrosPerHour = 3'600'000'000LL;
constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;

constexpr uint32_t Mask(std::initializer_list<TypeId> ids) {
  uint32_t mask = 0;
  for (TypeId id : ids) mask |= 1u << static_cast<unsigned>(id);
  return mask;
}

constexpr uint32_t kPrimitives = (1u << static_cast<unsigned>(TypeId::kStruct)) - 1;
constexpr uint32_t kDates = Mask({TypeId::kDate, TypeId::kTimestamp, TypeId::kTimestampTz});
// The source types of each transform, by Transform::Kind.
constexpr uint32_t kSources[] = {
    kPrimitives,                                                              // identity
    kPrimitives & ~Mask({TypeId::kBoolean, TypeId::kFloat, TypeId::kDouble}),  // bucket
    Mask({TypeId::kInt, TypeId::kLong, TypeId::kDecimal, TypeId::kString, TypeId::kBinary}),
    kDates,                                                                   // year
    kDates,                                                                   // month
    kDates,                                                                   // day
    Mask({TypeId::kTimestamp, TypeId::kTimestampTz}),                         // hour
    kPrimitives,                                                              // void
};

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// The non-negative remainder of a modulo w (w > 0).
template <typename T>
T PositiveMod(T a, T w) {
  T r = a % w;
  return r < 0 ? r + w : r;
}

// Murmur3 of a long's 8 little-endian bytes (appendix B's form of ints, longs, dates, times):
// Murmur3X86_32 unrolled for two 4-byte blocks.
int32_t HashLong(int64_t v) {
  auto mix = [](uint32_t h, uint32_t k) {
    k *= 0xcc9e2d51;
    k = std::rotl(k, 15);
    k *= 0x1b873593;
    h ^= k;
    return std::rotl(h, 13) * 5 + 0xe6546b64;
  };
  auto bits = static_cast<uint64_t>(v);
  uint32_t h = mix(mix(0, static_cast<uint32_t>(bits)), static_cast<uint32_t>(bits >> 32));
  h ^= 8;
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  h ^= h >> 16;
  return static_cast<int32_t>(h);
}

// Days since the epoch of a date or a timestamp's micros.
int64_t DaysOf(const Type& source, const Literal& value) {
  return source.id() == TypeId::kDate ? value.int_value
                                      : FloorDiv(value.long_value, kMicrosPerDay);
}

Literal TruncateValue(int32_t width, const Type& source, const Literal& value) {
  switch (source.id()) {
    case TypeId::kInt: {
      // Java's int arithmetic: wraps at the minimum, as Java does.
      uint32_t r = static_cast<uint32_t>(PositiveMod<int32_t>(value.int_value, width));
      return Literal::Int(static_cast<int32_t>(static_cast<uint32_t>(value.int_value) - r));
    }
    case TypeId::kLong: {
      uint64_t r = static_cast<uint64_t>(PositiveMod<int64_t>(value.long_value, width));
      return Literal::Long(static_cast<int64_t>(static_cast<uint64_t>(value.long_value) - r));
    }
    case TypeId::kDecimal: {
      Int128 unscaled = DecimalUnscaled(value.bytes).value_or(0);  // checked by the caller
      return Literal::Bytes(DecimalBytes(unscaled - PositiveMod<Int128>(unscaled, width)));
    }
    case TypeId::kString:
      return Literal::Bytes(value.bytes.substr(0, Utf8PrefixBytes(value.bytes, width)));
    default:  // binary
      return Literal::Bytes(value.bytes.substr(0, static_cast<size_t>(width)));
  }
}

}  // namespace

bool CanTransform(const Transform& transform, const Type& source) {
  return (kSources[static_cast<size_t>(transform.kind)] >> static_cast<unsigned>(source.id())) & 1u;
}

Result<TypePtr> TransformResultType(const Transform& transform, const Type& source) {
  if (!CanTransform(transform, source)) {
    return InvalidArgument(TransformToString(transform) + " cannot transform a " +
                           source.ToString());
  }
  switch (transform.kind) {
    case Kind::kBucket:
    case Kind::kYear:
    case Kind::kMonth:
    case Kind::kHour:
      return Type::Int();
    case Kind::kDay:
      return Type::Date();
    default:
      break;
  }
  // identity, truncate, void: the source type (a copy: the caller holds it by reference).
  return std::make_shared<const Type>(source);
}

static_assert(std::endian::native == std::endian::little, "Murmur3 reads little-endian blocks");

int32_t Murmur3X86_32(std::string_view data) noexcept {
  constexpr uint32_t c1 = 0xcc9e2d51;
  constexpr uint32_t c2 = 0x1b873593;
  auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(data[i])); };
  auto mix = [&](uint32_t k) {
    k *= c1;
    k = std::rotl(k, 15);
    return k * c2;
  };
  uint32_t h = 0;
  size_t blocks = data.size() / 4;
  for (size_t b = 0; b < blocks; ++b) {
    uint32_t k;  // a little-endian block: the host's order
    std::memcpy(&k, data.data() + b * 4, 4);
    h ^= mix(k);
    h = std::rotl(h, 13);
    h = h * 5 + 0xe6546b64;
  }
  size_t tail = blocks * 4;
  uint32_t k = 0;
  switch (data.size() & 3) {
    case 3:
      k ^= byte(tail + 2) << 16;
      [[fallthrough]];
    case 2:
      k ^= byte(tail + 1) << 8;
      [[fallthrough]];
    case 1:
      k ^= byte(tail);
      h ^= mix(k);
  }
  h ^= static_cast<uint32_t>(data.size());
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  h ^= h >> 16;
  return static_cast<int32_t>(h);
}

namespace {

// The hash of a checked, non-null value of a type bucket takes.
int32_t HashChecked(const Type& source, const Literal& value) {
  switch (source.id()) {
    case TypeId::kInt:
    case TypeId::kDate:
      return HashLong(value.int_value);
    case TypeId::kLong:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return HashLong(value.long_value);
    default:  // decimal (minimal bytes), string, uuid, fixed, binary
      return Murmur3X86_32(value.bytes);
  }
}

}  // namespace

Result<int32_t> BucketHash(const Type& source, const Literal& value) {
  if (!CanTransform(Transform{Kind::kBucket, 1}, source)) {
    return InvalidArgument("bucket cannot hash a " + source.ToString());
  }
  if (value.is_null()) {
    return InvalidArgument("null has no bucket hash");
  }
  CQLBULK_RETURN_IF_ERROR(CheckLiteral(source, value));
  return HashChecked(source, value);
}

Result<Literal> ApplyTransform(const Transform& transform, const Type& source,
                               const Literal& value) {
  if (!CanTransform(transform, source)) {
    return InvalidArgument(TransformToString(transform) + " cannot transform a " +
                           source.ToString());
  }
  if ((transform.kind == Kind::kBucket || transform.kind == Kind::kTruncate) &&
      transform.parameter <= 0) {
    return InvalidArgument(TransformToString(transform) + ": the parameter must be positive");
  }
  CQLBULK_RETURN_IF_ERROR(CheckLiteral(source, value));
  if (value.is_null() || transform.kind == Kind::kVoid) {
    return Literal::Null();
  }
  switch (transform.kind) {
    case Kind::kIdentity:
      return value;
    case Kind::kBucket:
      return Literal::Int((HashChecked(source, value) & 0x7FFFFFFF) % transform.parameter);
    case Kind::kTruncate:
      return TruncateValue(transform.parameter, source, value);
    case Kind::kYear:
      return Literal::Int(static_cast<int32_t>(CivilFromDays(DaysOf(source, value)).year - 1970));
    case Kind::kMonth: {
      CivilDate date = CivilFromDays(DaysOf(source, value));
      return Literal::Int(static_cast<int32_t>((date.year - 1970) * 12 + date.month - 1));
    }
    case Kind::kDay:
      return Literal::Int(static_cast<int32_t>(DaysOf(source, value)));
    case Kind::kHour:
      return Literal::Int(static_cast<int32_t>(FloorDiv(value.long_value, kMicrosPerHour)));
    case Kind::kVoid:
      break;
  }
  return Literal::Null();
}

Result<TypePtr> PartitionType(const PartitionSpec& spec, const Schema& schema) {
  std::vector<NestedField> fields;
  for (const PartitionField& field : spec.fields) {
    const NestedField* source = schema.FindField(field.source_id);
    if (source == nullptr) {
      return InvalidArgument("partition field " + field.name + ": the schema has no field " +
                             std::to_string(field.source_id));
    }
    auto type = TransformResultType(field.transform, *source->type);
    if (!type) {
      return std::move(type).error().WithContext("partition field " + field.name);
    }
    fields.push_back(NestedField::Optional(field.field_id, field.name, std::move(*type)));
  }
  return Type::Struct(std::move(fields));
}

}  // namespace cqlbulk::iceberg
