// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/text/value_parse.h"

#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>

#include "cqlbulk/core/time.h"
#include "cqlbulk/formats/text/fast_parse.h"
#include "cqlbulk/formats/text/time_parse_internal.h"
#include "cqlbulk/formats/text/value_parse_internal.h"

namespace cqlbulk::formats {

namespace internal {

using data::ColumnBuilder;
using data::LogicalType;
using data::TypeKind;

// ---------------------------------------------------------------------------------------------
// Small helpers

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Only digits, after an optional sign when `allow_sign`; at least one digit.
bool IsInteger(std::string_view s, bool allow_sign) {
  size_t i = 0;
  if (allow_sign && !s.empty() && (s[0] == '-' || s[0] == '+')) i = 1;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i) {
    if (!IsDigit(s[i])) return false;
  }
  return true;
}

Error Bad(std::string_view reason, std::string_view text) {
  std::string message(reason);
  message += ": ";
  message += QuoteForError(text);
  return InvalidArgument(std::move(message));
}

constexpr auto kHexValue = [] {
  std::array<int8_t, 256> table{};
  table.fill(-1);
  for (int c = '0'; c <= '9'; ++c) table[c] = static_cast<int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) table[c] = static_cast<int8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c) table[c] = static_cast<int8_t>(c - 'A' + 10);
  return table;
}();

int Hex(char c) { return kHexValue[static_cast<uint8_t>(c)]; }

const char* NotA(const LogicalType& type) {
  switch (type.kind()) {
    case TypeKind::kBoolean: return "not a boolean";
    case TypeKind::kInt8: return "not an int8";
    case TypeKind::kInt16: return "not an int16";
    case TypeKind::kInt32: return "not an int32";
    case TypeKind::kInt64: return type.is_counter() ? "not a counter" : "not an int64";
    case TypeKind::kFloat32: return "not a float32";
    case TypeKind::kFloat64: return "not a float64";
    case TypeKind::kDecimal: return "not a decimal";
    case TypeKind::kBigInteger: return "not an integer";
    case TypeKind::kString: return "not a string";
    case TypeKind::kBinary: return "not base64 or 0x-hex";
    case TypeKind::kUuid: return type.is_time_based() ? "not a timeuuid" : "not a uuid";
    case TypeKind::kDate: return "not a date";
    case TypeKind::kTime: return "not a time";
    case TypeKind::kTimestamp: return "not a timestamp";
    case TypeKind::kDuration: return "not a duration";
    case TypeKind::kInet: return "not an inet address";
    case TypeKind::kList: return "not a list";
    case TypeKind::kSet: return "not a set";
    case TypeKind::kMap: return "not a map";
    case TypeKind::kStruct: return type.name().empty() ? "not a tuple" : "not a UDT value";
    case TypeKind::kVector: return "not a vector";
  }
  return "not a value";
}

const char* OutOfRange(TypeKind kind) {
  switch (kind) {
    case TypeKind::kInt8: return "out of range for int8";
    case TypeKind::kInt16: return "out of range for int16";
    case TypeKind::kInt32: return "out of range for int32";
    case TypeKind::kInt64: return "out of range for int64";
    case TypeKind::kFloat32: return "out of range for float32";
    case TypeKind::kFloat64: return "out of range for float64";
    case TypeKind::kDecimal: return "out of range for decimal";
    case TypeKind::kDate: return "out of range for date";
    case TypeKind::kTime: return "out of range for time";
    case TypeKind::kTimestamp: return "out of range for timestamp";
    case TypeKind::kDuration: return "out of range for duration";
    default: return "out of range";
  }
}

enum class Parsed : uint8_t { kOk, kSyntax, kRange };

// ---------------------------------------------------------------------------------------------
// Integers and floats

template <typename T>
Parsed ParseInteger(std::string_view s, T& out) {
  const char* p = s.data();
  const char* end = p + s.size();
  bool negative = false;
  if (p != end && (*p == '-' || *p == '+')) {
    negative = *p == '-';
    ++p;
  }
  if (p == end) return Parsed::kSyntax;
  uint64_t acc = 0;
  bool overflow = false;
  if (end - p <= 19) {
    // 19 digits cannot overflow (10^19 - 1 < 2^64): no check per digit.
    for (; p != end; ++p) {
      unsigned d = static_cast<unsigned>(*p - '0');
      if (d > 9) return Parsed::kSyntax;
      acc = acc * 10 + d;
    }
  }
  for (; p != end; ++p) {
    unsigned d = static_cast<unsigned>(*p - '0');
    if (d > 9) return Parsed::kSyntax;
    if (acc > (std::numeric_limits<uint64_t>::max() - d) / 10) {
      overflow = true;
    } else {
      acc = acc * 10 + d;
    }
  }
  constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<T>::max());
  if (overflow || acc > kMax + (negative ? 1 : 0)) return Parsed::kRange;
  if (negative) {
    out = static_cast<T>(static_cast<int64_t>(~acc + 1));  // two's complement of acc
  } else {
    out = static_cast<T>(acc);
  }
  return Parsed::kOk;
}

template <typename T>
Parsed ParseFloating(std::string_view s, T& out) {
  if (!s.empty() && !IsDigit(s.back()) && s.back() != '.') {
    if (s == "NaN" || s == "nan") {
      out = std::numeric_limits<T>::quiet_NaN();
      return Parsed::kOk;
    }
    if (s == "Infinity" || s == "infinity" || s == "+Infinity" || s == "+infinity") {
      out = std::numeric_limits<T>::infinity();
      return Parsed::kOk;
    }
    if (s == "-Infinity" || s == "-infinity") {
      out = -std::numeric_limits<T>::infinity();
      return Parsed::kOk;
    }
  }
  const char* p = s.data();
  const char* end = p + s.size();
  if (p != end && *p == '+') ++p;
  if constexpr (std::is_same_v<T, double>) {
    // Clinger's fast path: up to 15 digits and a point, no exponent: the digits are exact in
    // a double and so is 10^k (k <= 22), and one IEEE division rounds correctly.
    static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const char* q = p;
    bool negative = q != end && *q == '-';
    if (negative) ++q;
    uint64_t mantissa = 0;
    int digits = 0;
    int fraction = -1;
    for (; q != end && digits <= 15; ++q) {
      unsigned d = static_cast<unsigned>(*q - '0');
      if (d <= 9) {
        mantissa = mantissa * 10 + d;
        ++digits;
        if (fraction >= 0) ++fraction;
      } else if (*q == '.' && fraction < 0) {
        fraction = 0;
      } else {
        break;
      }
    }
    if (q == end && digits > 0 && digits <= 15) {
      double v = static_cast<double>(mantissa);
      if (fraction > 0) v /= kPow10[fraction];
      out = negative ? -v : v;
      return Parsed::kOk;
    }
  }
  // from_chars also takes "inf" and "nan": insist on a number's first character.
  const char* q = p;
  if (q != end && *q == '-') ++q;
  if (q == end || !(IsDigit(*q) || *q == '.')) return Parsed::kSyntax;
  auto [ptr, ec] = std::from_chars(p, end, out, std::chars_format::general);
  if (ec == std::errc::result_out_of_range && ptr == end) {
    // Underflow reads as the nearest value (zero or subnormal), as Java does; overflow is an
    // error. strtod tells them apart (rare path).
    std::string copy(p, end);
    char* stop = nullptr;
    if constexpr (std::is_same_v<T, float>) {
      out = std::strtof(copy.c_str(), &stop);
    } else {
      out = std::strtod(copy.c_str(), &stop);
    }
    return std::isinf(out) ? Parsed::kRange : Parsed::kOk;
  }
  if (ec != std::errc() || ptr != end) return Parsed::kSyntax;
  return Parsed::kOk;
}

bool ParseBoolean(std::string_view s, bool& out) {
  auto equals = [](std::string_view a, std::string_view lower) {
    if (a.size() != lower.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      char c = a[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != lower[i]) return false;
    }
    return true;
  };
  // DataStax Bulk Loader's default boolean words (codec.booleanStrings), any case.
  for (auto [yes, no] : {std::pair{"true", "false"}, std::pair{"1", "0"}, std::pair{"y", "n"},
                         std::pair{"t", "f"}, std::pair{"yes", "no"}}) {
    if (equals(s, yes) || equals(s, no)) {
      out = equals(s, yes);
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Big integers and decimals

// Drops leading bytes that only repeat the sign: the minimal two's-complement form.
void Minimize(Bytes& bytes) {
  size_t start = 0;
  while (start + 1 < bytes.size() &&
         ((bytes[start] == 0x00 && (bytes[start + 1] & 0x80) == 0) ||
          (bytes[start] == 0xFF && (bytes[start + 1] & 0x80) != 0))) {
    ++start;
  }
  if (start > 0) {
    bytes.erase(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(start));
  }
}

// `digits` holds decimal digits only (leading zeros allowed, empty is zero).
void DigitsToTwosComplement(std::string_view digits, bool negative, BigScratch& s) {
  while (!digits.empty() && digits.front() == '0') digits.remove_prefix(1);
  Bytes& out = s.bytes;
  out.clear();
  if (digits.size() <= 18) {
    uint64_t v = 0;
    for (char c : digits) v = v * 10 + static_cast<uint64_t>(c - '0');
    uint64_t twos = negative ? ~v + 1 : v;
    out.resize(8);
    StoreBE64(out.data(), twos);
    Minimize(out);
    return;
  }
  static constexpr uint32_t kPow10[] = {1,      10,      100,      1000,      10000,
                                        100000, 1000000, 10000000, 100000000, 1000000000};
  std::vector<uint32_t>& limbs = s.limbs;  // little-endian base 2^32
  limbs.clear();
  size_t pos = 0;
  size_t chunk = digits.size() % 9 == 0 ? 9 : digits.size() % 9;
  while (pos < digits.size()) {
    uint32_t value = 0;
    for (size_t i = 0; i < chunk; ++i) value = value * 10 + static_cast<uint32_t>(digits[pos + i] - '0');
    uint64_t carry = value;
    uint64_t mul = kPow10[chunk];
    for (uint32_t& limb : limbs) {
      uint64_t t = uint64_t{limb} * mul + carry;
      limb = static_cast<uint32_t>(t);
      carry = t >> 32;
    }
    if (carry != 0) limbs.push_back(static_cast<uint32_t>(carry));
    pos += chunk;
    chunk = 9;
  }
  out.resize(1 + limbs.size() * 4);
  out[0] = 0;
  for (size_t i = 0; i < limbs.size(); ++i) {
    StoreBE32(out.data() + 1 + 4 * (limbs.size() - 1 - i), limbs[i]);
  }
  if (negative) {
    for (uint8_t& b : out) b = static_cast<uint8_t>(~b);
    for (size_t i = out.size(); i-- > 0;) {
      if (++out[i] != 0) break;
    }
  }
  Minimize(out);
}

Parsed ParseBigInteger(std::string_view s, BigScratch& scratch) {
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return Parsed::kSyntax;
  for (char c : s) {
    if (!IsDigit(c)) return Parsed::kSyntax;
  }
  DigitsToTwosComplement(s, negative, scratch);
  return Parsed::kOk;
}

// Java BigDecimal's text: [+-] digits [. digits] [eE [+-] digits], at least one digit.
// A fixed-scale decimal type rescales exactly (or fails) and checks its precision.
const char* ParseDecimal(std::string_view s, const LogicalType& type, BigScratch& scratch,
                         int32_t& scale_out) {
  // The plain form of 18 digits or fewer (FastDecimal), for a decimal of any scale (a CQL
  // decimal): its unscaled value fits an int64, its bytes are written at once. Anything else
  // goes to the general parser below.
  int64_t unscaled = 0;
  if (!type.has_fixed_scale() && FastDecimal(s, unscaled, scale_out)) {
    uint8_t be[8];
    const size_t start = MinimalTwosComplement(unscaled, be);
    scratch.bytes.assign(be + start, be + 8);
    return nullptr;
  }
  return ParseDecimalGeneral(s, type, scratch, scale_out);
}

const char* ParseDecimalGeneral(std::string_view s, const LogicalType& type, BigScratch& scratch,
                                int32_t& scale_out) {
  constexpr const char* kNot = "not a decimal";
  const char* p = s.data();
  const char* end = p + s.size();
  bool negative = false;
  if (p != end && (*p == '-' || *p == '+')) {
    negative = *p == '-';
    ++p;
  }
  std::string& digits = scratch.digits;
  digits.clear();
  while (p != end && IsDigit(*p)) digits.push_back(*p++);
  int64_t fraction = 0;
  if (p != end && *p == '.') {
    ++p;
    while (p != end && IsDigit(*p)) {
      digits.push_back(*p++);
      ++fraction;
    }
  }
  if (digits.empty()) return kNot;
  int64_t exponent = 0;
  if (p != end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool exp_negative = false;
    if (p != end && (*p == '-' || *p == '+')) {
      exp_negative = *p == '-';
      ++p;
    }
    if (p == end || !IsDigit(*p)) return kNot;
    while (p != end && IsDigit(*p)) {
      if (exponent < (int64_t{1} << 40)) exponent = exponent * 10 + (*p - '0');
      ++p;
    }
    if (exp_negative) exponent = -exponent;
  }
  if (p != end) return kNot;
  int64_t scale = fraction - exponent;
  if (type.has_fixed_scale()) {
    int64_t target = type.scale();
    if (scale < target) {
      if (target - scale > 4096) return OutOfRange(TypeKind::kDecimal);
      digits.append(static_cast<size_t>(target - scale), '0');
    } else if (scale > target) {
      int64_t drop = scale - target;
      size_t keep = drop >= static_cast<int64_t>(digits.size())
                        ? 0
                        : digits.size() - static_cast<size_t>(drop);
      for (size_t i = keep; i < digits.size(); ++i) {
        if (digits[i] != '0') return "more digits after the point than the decimal's scale";
      }
      digits.resize(keep);
    }
    scale = target;
    size_t first = digits.find_first_not_of('0');
    size_t significant = first == std::string::npos ? 0 : digits.size() - first;
    if (significant > static_cast<size_t>(type.precision())) {
      return OutOfRange(TypeKind::kDecimal);
    }
  }
  if (scale < std::numeric_limits<int32_t>::min() || scale > std::numeric_limits<int32_t>::max()) {
    return OutOfRange(TypeKind::kDecimal);
  }
  DigitsToTwosComplement(digits, negative, scratch);
  scale_out = static_cast<int32_t>(scale);
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Binary

constexpr auto kBase64Value = [] {
  std::array<int8_t, 256> table{};
  table.fill(-1);
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int i = 0; i < 64; ++i) table[static_cast<uint8_t>(alphabet[i])] = static_cast<int8_t>(i);
  return table;
}();

// RFC 4648 base64, standard alphabet, padding optional; the unused bits of the last
// character must be zero (the canonical form), so no two texts decode to the same bytes.
bool DecodeBase64(std::string_view s, Bytes& out) {
  size_t n = s.size();
  size_t pad = 0;
  while (n > 0 && s[n - 1] == '=' && pad < 2) {
    --n;
    ++pad;
  }
  if ((pad > 0 && (n + pad) % 4 != 0) || n % 4 == 1) return false;
  out.resize(n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1));
  const auto* in = reinterpret_cast<const uint8_t*>(s.data());
  uint8_t* o = out.data();
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    int a = kBase64Value[in[i]];
    int b = kBase64Value[in[i + 1]];
    int c = kBase64Value[in[i + 2]];
    int d = kBase64Value[in[i + 3]];
    if ((a | b | c | d) < 0) return false;
    uint32_t v = (uint32_t(a) << 18) | (uint32_t(b) << 12) | (uint32_t(c) << 6) | uint32_t(d);
    *o++ = static_cast<uint8_t>(v >> 16);
    *o++ = static_cast<uint8_t>(v >> 8);
    *o++ = static_cast<uint8_t>(v);
  }
  size_t rest = n - i;
  if (rest == 2) {
    int a = kBase64Value[in[i]];
    int b = kBase64Value[in[i + 1]];
    if ((a | b) < 0 || (b & 0x0F) != 0) return false;
    *o++ = static_cast<uint8_t>((a << 2) | (b >> 4));
  } else if (rest == 3) {
    int a = kBase64Value[in[i]];
    int b = kBase64Value[in[i + 1]];
    int c = kBase64Value[in[i + 2]];
    if ((a | b | c) < 0 || (c & 0x03) != 0) return false;
    *o++ = static_cast<uint8_t>((a << 2) | (b >> 4));
    *o++ = static_cast<uint8_t>((b << 4) | (c >> 2));
  }
  return true;
}

// Hex digits after "0x" (either case, an even number of them).
bool DecodeHex(std::string_view s, Bytes& out) {
  if (s.size() % 2 != 0) return false;
  out.resize(s.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = Hex(s[2 * i]);
    int lo = Hex(s[2 * i + 1]);
    if ((hi | lo) < 0) return false;
    out[i] = static_cast<uint8_t>((hi << 4) | lo);
  }
  return true;
}

bool HasHexPrefix(std::string_view s) {
  return s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

// ---------------------------------------------------------------------------------------------
// UUID and inet

bool ParseUuid(std::string_view s, uint8_t out[16]) {
  if (s.size() != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') {
    return false;
  }
  static constexpr uint8_t kPos[16] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};
  int bad = 0;
  for (int i = 0; i < 16; ++i) {
    int hi = Hex(s[kPos[i]]);
    int lo = Hex(s[kPos[i] + 1]);
    bad |= hi | lo;
    out[i] = static_cast<uint8_t>((hi << 4) | (lo & 0x0F));
  }
  return bad >= 0;
}

bool ParseInet(std::string_view s, uint8_t out[16], size_t& length) {
  char buf[64];
  if (s.empty() || s.size() >= sizeof buf) return false;
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  if (s.find(':') == std::string_view::npos) {
    length = 4;
    return inet_pton(AF_INET, buf, out) == 1;
  }
  length = 16;
  return inet_pton(AF_INET6, buf, out) == 1;
}

// A string of `field` (ascii: 7-bit; else UTF-8, checked unless `utf8_checked`) to `out`: a
// ColumnBuilder or a ScalarSink.
template <typename Out>
Status AppendStringTo(std::string_view text, const data::Field& field, Out& out,
                      bool utf8_checked) {
  if (field.type->is_ascii()) {
    for (size_t i = 0; i < text.size(); ++i) {
      if (static_cast<uint8_t>(text[i]) >= 0x80) {
        return InvalidArgument("not ASCII at byte " + std::to_string(i));
      }
    }
  } else if (!utf8_checked) {
    if (std::optional<size_t> bad = FindInvalidUtf8(text)) {
      return InvalidArgument("invalid UTF-8 at byte " + std::to_string(*bad));
    }
  }
  out.AppendString(text);
  return OkStatus();
}

Status AppendString(std::string_view text, ColumnBuilder& out, bool utf8_checked) {
  return AppendStringTo(text, out.field(), out, utf8_checked);
}

// ValueParser::AppendNull to a ColumnBuilder or a ScalarSink.
template <typename Out>
Status AppendNullTo(const data::Field& field, Out& out) {
  if (!field.nullable) [[unlikely]] {
    return InvalidArgument("null for the non-nullable field '" + field.name + "'");
  }
  out.AppendNull();
  return OkStatus();
}

constexpr int kMaxNestedDocuments = 16;

}  // namespace internal

using namespace internal;  // NOLINT: this file and time_parse.cc share them

// ---------------------------------------------------------------------------------------------

struct ValueParser::State {
  TextOptions options;
  int32_t zone_offset_minutes = 0;
  std::vector<PatternToken> pattern;  // empty: ISO only
  BigScratch big;
  Bytes bytes;
  std::vector<std::unique_ptr<JsonDocument>> documents;
  int document_depth = 0;

  Status AppendScalar(std::string_view text, ColumnBuilder& out) {
    return AppendScalarTo(text, out.field(), out);
  }
  // AppendScalar of a value of `field` to `out`: a ColumnBuilder or a ScalarSink (which takes
  // scalar kinds only).
  template <typename Out>
  Status AppendScalarTo(std::string_view text, const data::Field& field, Out& out);
  Status AppendJsonText(std::string_view text, ColumnBuilder& out);
  Status AppendJson(JsonValue value, ColumnBuilder& out);
  Status AppendNested(JsonValue value, ColumnBuilder& out);
  template <typename Out>
  Status AppendTimestamp(std::string_view text, Out& out);
};

Status ValueParser::AppendNull(ColumnBuilder& out) { return AppendNullTo(out.field(), out); }

Status ValueParser::AppendNull(const data::Field& field, ScalarSink& out) {
  return AppendNullTo(field, out);
}

template <typename Out>
Status ValueParser::State::AppendTimestamp(std::string_view s, Out& out) {
  int64_t millis = 0;
  const char* why = nullptr;
  if (!pattern.empty() &&
      ParsePatternTimestamp(s, pattern, zone_offset_minutes, millis) == nullptr) {
    out.AppendTimestamp(millis);
    return OkStatus();
  }
  if (IsInteger(s, true)) {
    Parsed parsed = ParseInteger<int64_t>(s, millis);
    if (parsed != Parsed::kOk) return Bad(OutOfRange(TypeKind::kTimestamp), s);
  } else if ((why = ParseIsoTimestamp(s, zone_offset_minutes, millis)) != nullptr) {
    return Bad(why, s);
  }
  out.AppendTimestamp(millis);
  return OkStatus();
}

template <typename Out>
Status ValueParser::State::AppendScalarTo(std::string_view text, const data::Field& field,
                                          Out& out) {
  const LogicalType& type = *field.type;
  TypeKind kind = type.kind();
  // Trim's loops only for text that starts or ends with a blank (rarely).
  const bool blank_ends = text.empty() || text.front() == ' ' || text.front() == '\t' ||
                          text.back() == ' ' || text.back() == '\t';
  std::string_view s = blank_ends ? Trim(text) : text;
  if (s.empty()) {
    if (kind == TypeKind::kBinary) {
      out.AppendBytes({});
      return OkStatus();
    }
    return AppendNullTo(field, out);
  }
  const char* why = nullptr;
  switch (kind) {
    case TypeKind::kBoolean: {
      bool v = false;
      if (!ParseBoolean(s, v)) return Bad(NotA(type), s);
      out.AppendBoolean(v);
      return OkStatus();
    }
#define CQLBULK_INTEGER_CASE(KIND, T, APPEND)                                     \
  case TypeKind::KIND: {                                                          \
    T v = 0;                                                                      \
    Parsed parsed = ParseInteger<T>(s, v);                                        \
    if (parsed != Parsed::kOk) [[unlikely]] {                                     \
      return Bad(parsed == Parsed::kRange ? OutOfRange(kind) : NotA(type), s);    \
    }                                                                             \
    out.APPEND(v);                                                                \
    return OkStatus();                                                            \
  }
      CQLBULK_INTEGER_CASE(kInt8, int8_t, AppendInt8)
      CQLBULK_INTEGER_CASE(kInt16, int16_t, AppendInt16)
      CQLBULK_INTEGER_CASE(kInt32, int32_t, AppendInt32)
      CQLBULK_INTEGER_CASE(kInt64, int64_t, AppendInt64)
#undef CQLBULK_INTEGER_CASE
    case TypeKind::kFloat32: {
      float v = 0;
      Parsed parsed = ParseFloating(s, v);
      if (parsed != Parsed::kOk) {
        return Bad(parsed == Parsed::kRange ? OutOfRange(kind) : NotA(type), s);
      }
      out.AppendFloat32(v);
      return OkStatus();
    }
    case TypeKind::kFloat64: {
      double v = 0;
      Parsed parsed = ParseFloating(s, v);
      if (parsed != Parsed::kOk) {
        return Bad(parsed == Parsed::kRange ? OutOfRange(kind) : NotA(type), s);
      }
      out.AppendFloat64(v);
      return OkStatus();
    }
    case TypeKind::kDecimal: {
      int32_t scale = 0;
      if ((why = ParseDecimal(s, type, big, scale)) != nullptr) return Bad(why, s);
      out.AppendDecimal(big.bytes, scale);
      return OkStatus();
    }
    case TypeKind::kBigInteger:
      if (ParseBigInteger(s, big) != Parsed::kOk) return Bad(NotA(type), s);
      out.AppendBytes(big.bytes);
      return OkStatus();
    case TypeKind::kBinary: {
      // "0x" and hex digits is hex, as in DataStax Bulk Loader, whatever the options write.
      bool ok = (HasHexPrefix(s) && DecodeHex(s.substr(2), bytes)) || DecodeBase64(s, bytes);
      if (!ok) return Bad(NotA(type), s);
      out.AppendBytes(bytes);
      return OkStatus();
    }
    case TypeKind::kUuid: {
      uint8_t uuid[16];
      if (!ParseUuid(s, uuid)) return Bad(NotA(type), s);
      if (type.is_time_based() && (uuid[6] >> 4) != 1) {
        return Bad("not a timeuuid (version " + std::to_string(uuid[6] >> 4) + ")", s);
      }
      out.AppendUuid(uuid);
      return OkStatus();
    }
    case TypeKind::kDate: {
      int32_t days = 0;
      if ((why = ParseDate(s, days)) != nullptr) return Bad(why, s);
      out.AppendDate(days);
      return OkStatus();
    }
    case TypeKind::kTime: {
      int64_t nanos = 0;
      if ((why = ParseTime(s, nanos)) != nullptr) return Bad(why, s);
      out.AppendTime(nanos);
      return OkStatus();
    }
    case TypeKind::kTimestamp:
      return AppendTimestamp(s, out);
    case TypeKind::kDuration: {
      data::DurationValue d;
      if ((why = ParseDuration(s, d)) != nullptr) return Bad(why, s);
      out.AppendDuration(d.months, d.days, d.nanos);
      return OkStatus();
    }
    case TypeKind::kInet: {
      uint8_t address[16];
      size_t length = 0;
      if (!ParseInet(s, address, length)) return Bad(NotA(type), s);
      out.AppendBytes(BytesView(address, length));
      return OkStatus();
    }
    case TypeKind::kString:
      return AppendStringTo(text, field, out, false);
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap:
    case TypeKind::kStruct:
    case TypeKind::kVector:
      if constexpr (std::is_same_v<Out, ColumnBuilder>) {
        return AppendJsonText(s, out);
      } else {
        return Unimplemented(std::string("a ") + std::string(data::TypeKindName(kind)) +
                             " value is not a scalar");
      }
  }
  return Internal("unknown type kind");
}

Status ValueParser::State::AppendJsonText(std::string_view text, ColumnBuilder& out) {
  std::string_view s = Trim(text);
  if (s.empty()) {
    return AppendNull(out);
  }
  if (document_depth >= kMaxNestedDocuments) {
    return Bad(std::string(NotA(*out.type())) + " (JSON in strings nested too deeply)", s);
  }
  if (static_cast<int>(documents.size()) <= document_depth) {
    documents.push_back(std::make_unique<JsonDocument>());
  }
  JsonDocument& document = *documents[static_cast<size_t>(document_depth)];
  Status parsed = document.Parse(s);
  if (!parsed.has_value()) {
    return Bad(std::string(NotA(*out.type())) + " (" + parsed.error().message() + ")", s);
  }
  ++document_depth;
  Status status = AppendJson(document.root(), out);
  --document_depth;
  return status;
}

Status ValueParser::State::AppendJson(JsonValue value, ColumnBuilder& out) {
  const LogicalType& type = *out.type();
  switch (value.type()) {
    case JsonType::kNull:
      return AppendNull(out);
    case JsonType::kString:
      if (type.kind() == TypeKind::kString) {
        return AppendString(value.text(), out, true);
      }
      if (type.is_nested()) {
        return AppendJsonText(value.text(), out);
      }
      return AppendScalar(value.text(), out);
    case JsonType::kNumber:
      if (type.kind() == TypeKind::kString) {
        return AppendString(value.text(), out, true);
      }
      if (type.is_nested()) {
        return Bad(NotA(type), value.text());
      }
      return AppendScalar(value.text(), out);
    case JsonType::kBoolean: {
      std::string_view word = value.boolean() ? "true" : "false";
      if (type.kind() == TypeKind::kBoolean) {
        out.AppendBoolean(value.boolean());
        return OkStatus();
      }
      if (type.kind() == TypeKind::kString) {
        return AppendString(word, out, true);
      }
      return Bad(NotA(type), word);
    }
    case JsonType::kArray:
    case JsonType::kObject:
      if (!type.is_nested()) {
        return InvalidArgument(std::string(NotA(type)) + ": a JSON " +
                               (value.type() == JsonType::kArray ? "array" : "object"));
      }
      return AppendNested(value, out);
  }
  return Internal("unknown JSON type");
}

Status ValueParser::State::AppendNested(JsonValue value, ColumnBuilder& out) {
  const LogicalType& type = *out.type();
  bool is_array = value.type() == JsonType::kArray;
  auto with_context = [](Status status, const std::string& context) -> Status {
    return std::move(status).error().WithContext(context);
  };
  switch (type.kind()) {
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kVector: {
      if (!is_array) {
        return InvalidArgument(std::string(NotA(type)) + ": a JSON object, expected an array");
      }
      if (type.kind() == TypeKind::kVector && value.size() != static_cast<uint32_t>(type.dimension())) {
        return InvalidArgument(std::to_string(value.size()) + " elements for a vector of " +
                               std::to_string(type.dimension()));
      }
      out.BeginList();
      ColumnBuilder& child = out.child();
      size_t i = 0;
      for (JsonValue element : value.elements()) {
        if (element.is_null() && type.kind() != TypeKind::kList) {
          return InvalidArgument("element " + std::to_string(i) + ": null in a " +
                                 (type.kind() == TypeKind::kSet ? "set" : "vector"));
        }
        Status status = AppendJson(element, child);
        if (!status.has_value()) [[unlikely]] {
          return with_context(std::move(status), "element " + std::to_string(i));
        }
        ++i;
      }
      out.EndList();
      return OkStatus();
    }
    case TypeKind::kMap: {
      if (is_array) {
        return InvalidArgument(std::string(NotA(type)) + ": a JSON array, expected an object");
      }
      out.BeginList();
      ColumnBuilder& keys = out.map_keys();
      ColumnBuilder& values = out.map_values();
      for (JsonMember member : value.members()) {
        Status status = keys.type()->kind() == TypeKind::kString
                            ? AppendString(member.key, keys, true)
                        : keys.type()->is_nested() ? AppendJsonText(member.key, keys)
                                                   : AppendScalar(member.key, keys);
        if (!status.has_value()) [[unlikely]] {
          return with_context(std::move(status), "key " + QuoteForError(member.key));
        }
        status = AppendJson(member.value, values);
        if (!status.has_value()) [[unlikely]] {
          return with_context(std::move(status), "value of " + QuoteForError(member.key));
        }
      }
      out.EndList();
      return OkStatus();
    }
    case TypeKind::kStruct: {
      size_t n = out.num_children();
      if (is_array) {
        if (value.size() > n) {
          return InvalidArgument(std::to_string(value.size()) + " elements for a tuple of " +
                                 std::to_string(n));
        }
        size_t i = 0;
        for (JsonValue element : value.elements()) {
          Status status = AppendJson(element, out.child(i));
          if (!status.has_value()) [[unlikely]] {
            return with_context(std::move(status), "field " + type.fields()[i].name);
          }
          ++i;
        }
        for (; i < n; ++i) {
          CQLBULK_RETURN_IF_ERROR(AppendNull(out.child(i)));
        }
        out.AppendStructValid();
        return OkStatus();
      }
      uint32_t matched = 0;
      for (size_t i = 0; i < n; ++i) {
        const std::string& name = type.fields()[i].name;
        JsonValue field = value.Find(name);
        Status status = field.valid() ? AppendJson(field, out.child(i)) : AppendNull(out.child(i));
        if (!status.has_value()) [[unlikely]] {
          return with_context(std::move(status), "field " + name);
        }
        matched += field.valid() ? 1 : 0;
      }
      if (matched != value.size()) {
        // Some member is not a field, or names one twice.
        std::vector<std::string_view> seen;
        for (JsonMember member : value.members()) {
          bool known = false;
          for (const data::Field& f : type.fields()) known = known || f.name == member.key;
          if (!known) return InvalidArgument("unknown field " + QuoteForError(member.key));
          for (std::string_view s : seen) {
            if (s == member.key) return InvalidArgument("field " + QuoteForError(s) + " twice");
          }
          seen.push_back(member.key);
        }
      }
      out.AppendStructValid();
      return OkStatus();
    }
    default:
      return Internal("not a nested kind");
  }
}

ValueParser::ValueParser(std::unique_ptr<State> state) : state_(std::move(state)) {}
ValueParser::ValueParser(ValueParser&&) noexcept = default;
ValueParser& ValueParser::operator=(ValueParser&&) noexcept = default;
ValueParser::~ValueParser() = default;

Result<ValueParser> ValueParser::Make(const TextOptions& options) {
  auto state = std::make_unique<State>();
  state->options = options;
  CQLBULK_ASSIGN_OR_RETURN(state->zone_offset_minutes, ParseTimeZoneOption(options.time_zone));
  if (options.timestamp_format != "iso" && options.timestamp_format != "ISO") {
    if (options.timestamp_format.empty()) {
      return InvalidArgument("timestamp format is empty (use \"iso\" or a pattern)");
    }
    CQLBULK_ASSIGN_OR_RETURN(state->pattern, CompilePattern(options.timestamp_format));
  }
  return ValueParser(std::move(state));
}

int32_t ValueParser::zone_offset_minutes() const noexcept { return state_->zone_offset_minutes; }

Status ValueParser::AppendText(std::string_view text, ColumnBuilder& out) {
  if (out.type()->kind() == TypeKind::kString) {
    return AppendString(text, out, false);
  }
  return state_->AppendScalar(text, out);
}

Status ValueParser::AppendText(std::string_view text, const data::Field& field,
                               ScalarSink& out) {
  if (field.type->kind() == TypeKind::kString) {
    return AppendStringTo(text, field, out, false);
  }
  return state_->AppendScalarTo(text, field, out);
}

Status ValueParser::AppendJson(JsonValue value, ColumnBuilder& out) {
  return state_->AppendJson(value, out);
}

}  // namespace cqlbulk::formats
