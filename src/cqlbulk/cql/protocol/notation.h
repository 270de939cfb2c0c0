// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/core/uuid.h"

namespace cqlbulk::cql {

/// \brief [consistency] (native protocol v4/v5 §3).
enum class Consistency : uint16_t {
  kAny = 0x0000,
  kOne = 0x0001,
  kTwo = 0x0002,
  kThree = 0x0003,
  kQuorum = 0x0004,
  kAll = 0x0005,
  kLocalQuorum = 0x0006,
  kEachQuorum = 0x0007,
  kSerial = 0x0008,
  kLocalSerial = 0x0009,
  kLocalOne = 0x000A,
};

/// "LOCAL_ONE", as the spec and cqlsh spell it; "UNKNOWN" outside the enum.
std::string_view ConsistencyName(Consistency consistency);

/// [string map]; a vector so that encoding keeps the peer's order.
using StringMap = std::vector<std::pair<std::string, std::string>>;
/// [string multimap]
using StringMultimap = std::vector<std::pair<std::string, std::vector<std::string>>>;
/// [bytes map] (custom payloads); a value may be null.
using BytesMap = std::vector<std::pair<std::string, std::optional<Bytes>>>;

/// \brief [inet]: an IPv4 (4 bytes) or IPv6 (16 bytes) address and a port.
struct InetAddress {
  Bytes address;
  int32_t port = 0;
  friend bool operator==(const InetAddress&, const InetAddress&) = default;
};

/// \brief A bound [value]: bytes, null (length -1) or unset (length -2).
struct BoundValue {
  enum class Kind : uint8_t { kBytes, kNull, kUnset };

  Kind kind = Kind::kNull;
  Bytes bytes;

  static BoundValue Of(BytesView b) { return {Kind::kBytes, Bytes(b.begin(), b.end())}; }
  // The serialized forms of common types, for statements built by hand.
  static BoundValue Int(int32_t v) {
    Bytes b(4);
    StoreBE32(b.data(), static_cast<uint32_t>(v));
    return {Kind::kBytes, std::move(b)};
  }
  static BoundValue BigInt(int64_t v) {
    Bytes b(8);
    StoreBE64(b.data(), static_cast<uint64_t>(v));
    return {Kind::kBytes, std::move(b)};
  }
  static BoundValue Double(double v) { return BigInt(std::bit_cast<int64_t>(v)); }
  static BoundValue Text(std::string_view v) { return Of(AsBytes(v)); }
  static BoundValue Null() { return {Kind::kNull, {}}; }
  static BoundValue Unset() { return {Kind::kUnset, {}}; }

  bool is_null() const noexcept { return kind == Kind::kNull; }
  bool is_unset() const noexcept { return kind == Kind::kUnset; }
  friend bool operator==(const BoundValue&, const BoundValue&) = default;
};

/// \brief [value]s serialized by their writer, back to back: what follows the [short] count
/// of values in <query_parameters> (§4.1.4) and in each statement of a BATCH (§4.1.7), the
/// same bytes in v4 and v5 (each an [int] length, then the bytes; -1 null, -2 unset).
///
/// For bulk writers: a row's values go straight into one buffer instead of a BoundValue, and
/// its allocation, per value (a fifth of a load's CPU went to those allocations).
struct EncodedValues {
  uint16_t count = 0;  ///< values in `bytes` (or `borrowed`)
  Bytes bytes;
  /// Instead of `bytes` when not empty: values the caller owns and leaves unchanged until
  /// the request is answered (a bulk writer's buffer, sent without a copy of its own).
  BytesView borrowed;
  BytesView view() const noexcept { return borrowed.empty() ? BytesView(bytes) : borrowed; }
  friend bool operator==(const EncodedValues& a, const EncodedValues& b) {
    return a.count == b.count && std::ranges::equal(a.view(), b.view());
  }
};

/// \brief Reads the protocol notations of §3 (big-endian); every failure is kProtocol.
///
/// Views returned (strings, bytes) borrow the underlying buffer.
class ProtocolReader : public ByteReader {
 public:
  explicit ProtocolReader(BytesView data) noexcept : ByteReader(data, ErrorCode::kProtocol) {}

  /// [string]
  Result<std::string_view> ReadString();
  /// [long string]; kProtocol when the length is negative.
  Result<std::string_view> ReadLongString();
  /// [bytes]; nullopt for a negative length (null).
  Result<std::optional<BytesView>> ReadBytesField();
  /// [short bytes]
  Result<BytesView> ReadShortBytes();
  /// [value]; kProtocol for a length below -2.
  Result<BoundValue> ReadValue();
  /// [string list]
  Result<std::vector<std::string>> ReadStringList();
  /// [string map]
  Result<StringMap> ReadStringMap();
  /// [string multimap]
  Result<StringMultimap> ReadStringMultimap();
  /// [bytes map]
  Result<BytesMap> ReadBytesMap();
  /// [inet]: address size must be 4 or 16.
  Result<InetAddress> ReadInet();
  /// [inetaddr]: address size must be 4 or 16.
  Result<Bytes> ReadInetAddr();
  /// [consistency]; kProtocol for a value outside §3's table.
  Result<Consistency> ReadConsistency();
  /// [uuid]
  Result<Uuid> ReadUuid();
  /// A [byte] that must be 0 or 1 (a boolean in ERROR bodies accepts any non-zero).
  Result<bool> ReadBoolByte();

  /// A kProtocol error naming the current offset: "<what> at offset N".
  Error Malformed(std::string_view what) const;
};

/// \brief Writes the protocol notations of §3.
///
/// Writes that cannot be represented (a [string] over 65535 bytes, a count over a [short])
/// write nothing and record the first such error; `status()` and `Finish()` report it, so
/// encoders stay linear and never truncate silently.
class ProtocolWriter : public ByteWriter {
 public:
  ProtocolWriter() = default;
  explicit ProtocolWriter(Bytes buffer) noexcept : ByteWriter(std::move(buffer)) {}

  void WriteString(std::string_view s);
  void WriteLongString(std::string_view s);
  /// [bytes] with a value.
  void WriteBytesField(BytesView b);
  /// [bytes] (or [value]) null: length -1.
  void WriteNullBytes() { WriteI32(-1); }
  void WriteOptionalBytes(const std::optional<Bytes>& b);
  void WriteShortBytes(BytesView b);
  void WriteValue(const BoundValue& v);
  /// The [short] count of `values`, then their bytes; records an error when `values` also
  /// has `bound` values (a statement takes one or the other).
  void WriteValues(const std::vector<BoundValue>& bound, const EncodedValues& values);
  void WriteStringList(const std::vector<std::string>& list);
  void WriteStringMap(const StringMap& map);
  void WriteStringMultimap(const StringMultimap& map);
  void WriteBytesMap(const BytesMap& map);
  void WriteInet(const InetAddress& inet);
  void WriteInetAddr(BytesView address);
  void WriteConsistency(Consistency c) { WriteU16(static_cast<uint16_t>(c)); }
  void WriteUuid(const Uuid& u) { WriteBytes(u.bytes); }
  /// Writes a [short] count; records an error above 65535.
  void WriteShortCount(size_t n);

  /// Records an error (the first one wins) for a value the caller cannot encode.
  void Fail(Error error);
  Status status() const;
  /// The bytes written, or the first recorded error.
  Result<Bytes> Finish() &&;

 private:
  std::optional<Error> error_;
};

}  // namespace cqlbulk::cql
