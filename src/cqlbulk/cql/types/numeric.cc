// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/types/numeric.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/types/text_internal.h"

namespace cqlbulk::cql {
namespace {

// Magnitudes are little-endian base-2^32 limbs without leading (high) zero limbs.
using Limbs = std::vector<uint32_t>;

constexpr uint32_t kChunk = 1'000'000'000;  // 10^9: decimal digits move 9 at a time
constexpr int kChunkDigits = 9;

void Trim(Limbs& limbs) {
  while (!limbs.empty() && limbs.back() == 0) limbs.pop_back();
}

/// Two's complement negation in place (invert, add one).
void Negate(Bytes& b) {
  for (auto& x : b) x = static_cast<uint8_t>(~x);
  for (size_t i = b.size(); i-- > 0;) {
    if (++b[i] != 0) break;
  }
}

/// Drops sign-extension bytes that do not change the value.
BytesView Minimal(BytesView b) {
  size_t i = 0;
  while (b.size() - i > 1 &&
         ((b[i] == 0x00 && (b[i + 1] & 0x80) == 0) || (b[i] == 0xFF && (b[i + 1] & 0x80) != 0))) {
    ++i;
  }
  return b.subspan(i);
}

Limbs MagnitudeOf(BytesView twos_complement) {
  Bytes mag(twos_complement.begin(), twos_complement.end());
  if (!mag.empty() && (mag[0] & 0x80) != 0) Negate(mag);
  Limbs limbs((mag.size() + 3) / 4, 0);
  for (size_t i = 0; i < mag.size(); ++i) {
    size_t from_end = mag.size() - 1 - i;
    limbs[from_end / 4] |= uint32_t{mag[i]} << (8 * (from_end % 4));
  }
  Trim(limbs);
  return limbs;
}

uint32_t DivideSmall(Limbs& limbs, uint32_t divisor) {
  uint64_t rem = 0;
  for (size_t i = limbs.size(); i-- > 0;) {
    uint64_t cur = (rem << 32) | limbs[i];
    limbs[i] = static_cast<uint32_t>(cur / divisor);
    rem = cur % divisor;
  }
  Trim(limbs);
  return static_cast<uint32_t>(rem);
}

void MultiplyAdd(Limbs& limbs, uint32_t mul, uint32_t add) {
  uint64_t carry = add;
  for (auto& limb : limbs) {
    uint64_t cur = uint64_t{limb} * mul + carry;
    limb = static_cast<uint32_t>(cur);
    carry = cur >> 32;
  }
  if (carry != 0) limbs.push_back(static_cast<uint32_t>(carry));
}

std::string DecimalDigits(Limbs limbs) {
  if (limbs.empty()) return "0";
  std::vector<uint32_t> chunks;  // least significant first
  while (!limbs.empty()) chunks.push_back(DivideSmall(limbs, kChunk));
  std::string out = std::to_string(chunks.back());
  for (size_t i = chunks.size() - 1; i-- > 0;) {
    std::string part = std::to_string(chunks[i]);
    out.append(kChunkDigits - part.size(), '0');
    out += part;
  }
  return out;
}

/// Minimal two's complement of +/- magnitude.
Bytes TwosComplement(const Limbs& mag, bool negative) {
  Bytes be;
  be.reserve(mag.size() * 4 + 1);
  for (size_t i = mag.size(); i-- > 0;) {
    for (int shift = 24; shift >= 0; shift -= 8)
      be.push_back(static_cast<uint8_t>(mag[i] >> shift));
  }
  auto first = std::find_if(be.begin(), be.end(), [](uint8_t b) { return b != 0; });
  be.erase(be.begin(), first);
  if (be.empty()) return Bytes{0};
  if (negative) {
    Negate(be);
    if ((be[0] & 0x80) == 0) be.insert(be.begin(), 0xFF);
  } else if ((be[0] & 0x80) != 0) {
    be.insert(be.begin(), 0x00);
  }
  BytesView m = Minimal(be);
  return Bytes(m.begin(), m.end());
}

/// Digits of |v| without leading zeros ("0" for zero).
std::string AbsDigits(const Varint& v) { return DecimalDigits(MagnitudeOf(v.bytes())); }

int Sign(const Varint& v) { return v.is_negative() ? -1 : (v.is_zero() ? 0 : 1); }

std::weak_ordering Flip(std::weak_ordering o, bool negative) {
  if (!negative) return o;
  return o < 0 ? std::weak_ordering::greater
               : (o > 0 ? std::weak_ordering::less : std::weak_ordering::equivalent);
}

}  // namespace

Varint Varint::FromInt64(int64_t v) {
  uint8_t raw[8];
  StoreBE64(raw, static_cast<uint64_t>(v));
  BytesView m = Minimal(BytesView(raw, 8));
  return Varint(Bytes(m.begin(), m.end()));
}

Result<Varint> Varint::FromBytes(BytesView b) {
  if (b.empty()) return InvalidArgument("a varint has at least one byte");
  return Varint(Bytes(b.begin(), b.end()));
}

Result<Varint> Varint::Parse(std::string_view text) {
  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), internal::IsDigit)) {
    return InvalidArgument("not an integer: '" + std::string(text) + "'");
  }
  Limbs mag;
  size_t first = digits.size() % kChunkDigits;
  if (first == 0) first = kChunkDigits;
  for (size_t pos = 0; pos < digits.size();) {
    size_t len = pos == 0 ? first : kChunkDigits;
    uint32_t chunk = 0, scale = 1;
    for (size_t i = pos; i < pos + len; ++i) {
      chunk = chunk * 10 + static_cast<uint32_t>(digits[i] - '0');
      scale *= 10;
    }
    MultiplyAdd(mag, scale, chunk);
    pos += len;
  }
  Trim(mag);
  return Varint(TwosComplement(mag, negative));
}

bool Varint::is_zero() const noexcept {
  return std::all_of(bytes_.begin(), bytes_.end(), [](uint8_t b) { return b == 0; });
}

std::optional<int64_t> Varint::ToInt64() const {
  BytesView m = Minimal(bytes_);
  if (m.size() > 8) return std::nullopt;
  uint64_t v = (m[0] & 0x80) != 0 ? ~uint64_t{0} : 0;
  for (uint8_t b : m) v = (v << 8) | b;
  return static_cast<int64_t>(v);
}

std::string Varint::ToString() const {
  std::string digits = AbsDigits(*this);
  return is_negative() ? "-" + digits : digits;
}

std::weak_ordering Varint::Compare(const Varint& a, const Varint& b) {
  bool na = a.is_negative(), nb = b.is_negative();
  if (na != nb) return na ? std::weak_ordering::less : std::weak_ordering::greater;
  BytesView ma = Minimal(a.bytes_), mb = Minimal(b.bytes_);
  if (ma.size() != mb.size()) {
    // More significant bytes: larger magnitude; for negatives that is the smaller number.
    bool a_longer = ma.size() > mb.size();
    return (a_longer != na) ? std::weak_ordering::greater : std::weak_ordering::less;
  }
  // Same sign and width: two's complement orders like unsigned bytes.
  int c = ma.empty() ? 0 : std::memcmp(ma.data(), mb.data(), ma.size());
  return c < 0 ? std::weak_ordering::less
               : (c > 0 ? std::weak_ordering::greater : std::weak_ordering::equivalent);
}

Result<Decimal> Decimal::Parse(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return InvalidArgument("not a decimal: '" + std::string(text) + "': " + std::string(why));
  };
  size_t i = 0;
  std::string coefficient;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    if (text[i] == '-') coefficient = "-";
    ++i;
  }
  size_t num_digits = 0;
  int64_t fraction_digits = 0;
  bool seen_point = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (internal::IsDigit(c)) {
      coefficient += c;
      ++num_digits;
      if (seen_point) ++fraction_digits;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (num_digits == 0) return bad("no digits");
  int64_t exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative_exponent = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
      negative_exponent = text[i] == '-';
      ++i;
    }
    size_t start = i;
    for (; i < text.size() && internal::IsDigit(text[i]); ++i) {
      exponent = exponent * 10 + (text[i] - '0');
      if (exponent > (int64_t{1} << 40)) return bad("exponent out of range");
    }
    if (i == start) return bad("no exponent digits");
    if (negative_exponent) exponent = -exponent;
  }
  if (i != text.size()) return bad("unexpected characters");
  int64_t scale = fraction_digits - exponent;
  if (scale < std::numeric_limits<int32_t>::min() || scale > std::numeric_limits<int32_t>::max()) {
    return bad("scale out of range");
  }
  CQLBULK_ASSIGN_OR_RETURN(Varint unscaled, Varint::Parse(coefficient));
  return Decimal(std::move(unscaled), static_cast<int32_t>(scale));
}

std::string Decimal::ToString() const {
  std::string coefficient = AbsDigits(unscaled_);
  std::string sign = unscaled_.is_negative() ? "-" : "";
  if (scale_ == 0) return sign + coefficient;
  auto len = static_cast<int64_t>(coefficient.size());
  int64_t adjusted = -int64_t{scale_} + (len - 1);
  if (scale_ > 0 && adjusted >= -6) {
    int64_t pad = scale_ - len;
    if (pad >= 0) return sign + "0." + std::string(static_cast<size_t>(pad), '0') + coefficient;
    auto point = static_cast<size_t>(len - scale_);
    return sign + coefficient.substr(0, point) + "." + coefficient.substr(point);
  }
  std::string out = sign + coefficient.substr(0, 1);
  if (coefficient.size() > 1) out += "." + coefficient.substr(1);
  if (adjusted != 0) out += (adjusted > 0 ? "E+" : "E") + std::to_string(adjusted);
  return out;
}

std::weak_ordering Decimal::Compare(const Decimal& a, const Decimal& b) {
  int sa = Sign(a.unscaled_), sb = Sign(b.unscaled_);
  if (sa != sb) return sa < sb ? std::weak_ordering::less : std::weak_ordering::greater;
  if (sa == 0) return std::weak_ordering::equivalent;
  // Normalise both to digits without trailing zeros, then compare decimal exponents and digits.
  auto normalise = [](const Decimal& d, int64_t* adjusted) {
    std::string digits = AbsDigits(d.unscaled_);
    int64_t scale = d.scale_;
    while (digits.size() > 1 && digits.back() == '0') {
      digits.pop_back();
      --scale;
    }
    *adjusted = static_cast<int64_t>(digits.size()) - 1 - scale;
    return digits;
  };
  int64_t adj_a = 0, adj_b = 0;
  std::string da = normalise(a, &adj_a), db = normalise(b, &adj_b);
  std::weak_ordering magnitude = adj_a <=> adj_b;
  if (magnitude == 0) {
    int c = da.compare(db);  // same exponent: digit strings order like the numbers
    magnitude = c < 0 ? std::weak_ordering::less
                      : (c > 0 ? std::weak_ordering::greater : std::weak_ordering::equivalent);
  }
  return Flip(magnitude, sa < 0);
}

}  // namespace cqlbulk::cql
