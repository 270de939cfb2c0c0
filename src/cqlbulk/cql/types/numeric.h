// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"

namespace cqlbulk::cql {

/// \brief An arbitrary-precision integer as CQL `varint` serialises it (v5 §6.29): big-endian
/// two's complement.
///
/// The bytes are kept exactly as received, so re-encoding a decoded value reproduces them even
/// when a peer sent a non-minimal form (0x0001); values built here are always minimal.
/// `==` compares bytes; Compare() compares numbers (0x0001 and 0x01 are equivalent).
class Varint {
 public:
  /// Zero (one 0x00 byte).
  Varint() : bytes_{0} {}

  static Varint FromInt64(int64_t v);
  /// kInvalidArgument when `b` is empty (a varint has at least one byte).
  static Result<Varint> FromBytes(BytesView b);
  /// Parses "[+-]digits" (any number of digits); kInvalidArgument otherwise.
  static Result<Varint> Parse(std::string_view text);

  const Bytes& bytes() const noexcept { return bytes_; }
  bool is_negative() const noexcept { return (bytes_[0] & 0x80) != 0; }
  bool is_zero() const noexcept;
  /// The value if it fits in 64 bits.
  std::optional<int64_t> ToInt64() const;
  /// Decimal digits with a leading '-' when negative.
  std::string ToString() const;

  /// Numeric order, as Cassandra's IntegerType compares.
  static std::weak_ordering Compare(const Varint& a, const Varint& b);
  friend bool operator==(const Varint&, const Varint&) = default;

 private:
  explicit Varint(Bytes bytes) : bytes_(std::move(bytes)) {}
  Bytes bytes_;
};

/// \brief A CQL `decimal` (v5 §6.9): unscaled varint times 10^-scale. The scale is part of the
/// value, as in java.math.BigDecimal: 1.0 and 1.00 are different values (and different keys),
/// though Compare() finds them equivalent, as Cassandra's DecimalType does.
class Decimal {
 public:
  /// 0 with scale 0.
  Decimal() = default;
  Decimal(Varint unscaled, int32_t scale) : unscaled_(std::move(unscaled)), scale_(scale) {}

  /// Parses java.math.BigDecimal syntax: [+-]digits[.digits][(e|E)[+-]digits] ("1.00" keeps
  /// scale 2, "1E+3" has scale -3). kInvalidArgument on bad syntax or a scale outside int32.
  static Result<Decimal> Parse(std::string_view text);

  const Varint& unscaled() const noexcept { return unscaled_; }
  int32_t scale() const noexcept { return scale_; }

  /// BigDecimal.toString(): "1.00", "-0.001", "1E+10", "1E-10" (scientific when the scale is
  /// negative or the adjusted exponent is below -6). Parse(ToString()) gives the same value.
  std::string ToString() const;

  /// Numeric order (scale-insensitive), as Cassandra's DecimalType compares.
  static std::weak_ordering Compare(const Decimal& a, const Decimal& b);
  friend bool operator==(const Decimal&, const Decimal&) = default;

 private:
  Varint unscaled_;
  int32_t scale_ = 0;
};

}  // namespace cqlbulk::cql
