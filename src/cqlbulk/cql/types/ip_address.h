// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"

namespace cqlbulk::cql {

/// \brief The address of a CQL `inet` value (v5 §6.13): 4 bytes (IPv4) or 16 bytes (IPv6),
/// network byte order. (The protocol's [inet] notation, with a port, is `InetAddress`.)
class IpAddress {
 public:
  /// 0.0.0.0
  IpAddress() = default;

  /// kInvalidArgument unless `b` has 4 or 16 bytes.
  static Result<IpAddress> FromBytes(BytesView b);

  /// Parses a numeric address as Cassandra does (java.net.InetAddress.getByName on a literal):
  /// dotted-quad IPv4; IPv6 with "::" and an optional trailing dotted quad. An IPv4-mapped
  /// IPv6 address ("::ffff:10.0.0.1") becomes the 4-byte IPv4 address, as in Java;
  /// IPv4-compatible ("::10.0.0.1") stays 16 bytes. Host names are not resolved:
  /// kInvalidArgument.
  static Result<IpAddress> Parse(std::string_view text);

  BytesView bytes() const noexcept { return BytesView(bytes_.data(), size_); }
  size_t size() const noexcept { return size_; }
  bool is_v4() const noexcept { return size_ == 4; }
  /// A 16-byte address of the form ::ffff:a.b.c.d (Parse never returns one).
  bool is_v4_mapped() const noexcept;

  /// "10.0.0.1"; IPv6 in RFC 5952 form ("2001:db8::1"), mapped ones as "::ffff:10.0.0.1".
  std::string ToString() const;

  friend bool operator==(const IpAddress& a, const IpAddress& b) noexcept {
    return a.size_ == b.size_ && a.bytes_ == b.bytes_;
  }

 private:
  std::array<uint8_t, 16> bytes_{};
  uint8_t size_ = 4;
};

}  // namespace cqlbulk::cql
