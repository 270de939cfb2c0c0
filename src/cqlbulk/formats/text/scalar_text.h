// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/data/column.h"

namespace cqlbulk::formats {

// The text forms of single values (formats/README.md, "Values as text"), for writers that
// format one value outside a Column. Each comes twice: `Write*(p, ...)` writes at `p`, which
// must have room for the matching bound, and returns the end (no allocation, no terminator);
// `Append*(..., out)` appends to a string.

inline constexpr size_t kMaxIntegerText = 20;    ///< "-9223372036854775808"
inline constexpr size_t kMaxFloatText = 32;      ///< "-2.2250738585072014e-308"
inline constexpr size_t kMaxDateText = 32;       ///< any int64 day count
inline constexpr size_t kMaxTimeText = 24;       ///< "23:59:59.999999999" (or a bad int64)
inline constexpr size_t kMaxDurationText = 64;   ///< "-178956970y8mo2147483648d2562047h..."
inline constexpr size_t kMaxUuidText = 36;
/// Bounds of the variable-length forms, by their input's size in bytes.
constexpr size_t BigIntegerTextBound(size_t num_bytes) { return num_bytes * 5 / 2 + 3; }
constexpr size_t DecimalTextBound(size_t num_bytes) { return num_bytes * 5 / 2 + 24; }
constexpr size_t InetTextBound(size_t num_bytes) {
  return num_bytes == 4 ? 15 : num_bytes == 16 ? 45 : 2 + 2 * num_bytes;
}
constexpr size_t Base64Bound(size_t num_bytes) { return (num_bytes + 2) / 3 * 4; }
constexpr size_t HexBlobBound(size_t num_bytes) { return 2 + 2 * num_bytes; }
/// A JSON string of `num_bytes` bytes of text, quotes included.
constexpr size_t JsonStringBound(size_t num_bytes) { return 6 * num_bytes + 2; }

/// Decimal.
char* WriteInteger(char* p, int64_t value);
/// Shortest round-trip text (std::to_chars; a float printed as a float), "NaN",
/// "Infinity", "-Infinity".
char* WriteFloat32(char* p, float value);
char* WriteFloat64(char* p, double value);
/// Decimal digits of a two's-complement big-endian integer of any length ("0" when empty).
char* WriteBigInteger(char* p, BytesView twos_complement);
/// Java BigDecimal.toString() of unscaled * 10^-scale: "123.45", "1.23E+5", "1E-7".
char* WriteDecimal(char* p, BytesView unscaled, int32_t scale);
/// "yyyy-mm-dd"; years outside 0..9999 with a sign: "+10000-01-01", "-0001-12-31".
char* WriteDate(char* p, int64_t days_since_epoch);
/// "HH:MM:SS" then ".mmm", ".mmmuuu" or ".mmmuuunnn" when the nanoseconds are not 0.
char* WriteTime(char* p, int64_t nanos_of_day);
/// Cassandra's Duration.toString(): "1y2mo3d4h5m6s7ms8us9ns", "-3d", "0s".
char* WriteDuration(char* p, const data::DurationValue& duration);
/// Dotted IPv4 for 4 bytes, RFC 5952 IPv6 for 16; other lengths as "0x" + hex.
char* WriteInet(char* p, BytesView address);
/// Lowercase 8-4-4-4-12.
char* WriteUuid(char* p, const uint8_t* bytes16);
/// RFC 4648 base64 with padding.
char* WriteBase64(char* p, BytesView bytes);
/// "0x" then lowercase hex.
char* WriteHexBlob(char* p, BytesView bytes);
/// A JSON string (RFC 8259), quotes included: `\"`, `\\`, `\b \f \n \r \t`, other control
/// characters as `\u00XX`; valid UTF-8 as is, each byte of an invalid sequence `\ufffd`.
char* WriteJsonString(char* p, std::string_view text);
/// The same without the quotes.
char* WriteJsonStringBody(char* p, std::string_view text);

void AppendBigIntegerText(BytesView twos_complement, std::string& out);
void AppendDecimalText(BytesView unscaled, int32_t scale, std::string& out);
void AppendFloat32Text(float value, std::string& out);
void AppendFloat64Text(double value, std::string& out);
void AppendDateText(int64_t days_since_epoch, std::string& out);
void AppendTimeText(int64_t nanos_of_day, std::string& out);
void AppendDurationText(const data::DurationValue& duration, std::string& out);
void AppendInetText(BytesView address, std::string& out);
void AppendUuidText(const uint8_t* bytes16, std::string& out);
void AppendBase64(BytesView bytes, std::string& out);
void AppendHexBlob(BytesView bytes, std::string& out);
void AppendJsonString(std::string_view text, std::string& out);

}  // namespace cqlbulk::formats
