// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/types/ip_address.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <vector>

#include "cqlbulk/cql/types/text_internal.h"

namespace cqlbulk::cql {
namespace {

Error NotAnAddress(std::string_view text) {
  return InvalidArgument("not an IP address: '" + std::string(text) + "'");
}

/// Dotted quad: four decimal parts 0..255 of 1..3 digits.
bool ParseV4(std::string_view s, uint8_t* out) {
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (s.empty() || s[0] != '.') return false;
      s.remove_prefix(1);
    }
    size_t n = 0;
    unsigned v = 0;
    while (n < s.size() && n < 3 && internal::IsDigit(s[n])) {
      v = v * 10 + static_cast<unsigned>(s[n] - '0');
      ++n;
    }
    if (n == 0 || v > 255 || (n < s.size() && internal::IsDigit(s[n]))) return false;
    out[part] = static_cast<uint8_t>(v);
    s.remove_prefix(n);
  }
  return s.empty();
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Groups of one side of "::" (or the whole address). A trailing dotted quad counts as two
/// groups when `allow_v4` is set.
bool ParseGroups(std::string_view s, bool allow_v4, std::vector<uint16_t>* groups) {
  if (s.empty()) return true;
  while (true) {
    size_t colon = s.find(':');
    std::string_view part = s.substr(0, colon);
    if (colon == std::string_view::npos && allow_v4 && part.find('.') != std::string_view::npos) {
      uint8_t v4[4];
      if (!ParseV4(part, v4)) return false;
      groups->push_back(static_cast<uint16_t>((v4[0] << 8) | v4[1]));
      groups->push_back(static_cast<uint16_t>((v4[2] << 8) | v4[3]));
      return true;
    }
    if (part.empty() || part.size() > 4) return false;
    unsigned v = 0;
    for (char c : part) {
      int h = HexValue(c);
      if (h < 0) return false;
      v = (v << 4) | static_cast<unsigned>(h);
    }
    groups->push_back(static_cast<uint16_t>(v));
    if (colon == std::string_view::npos) return true;
    s.remove_prefix(colon + 1);
  }
}

std::optional<std::array<uint8_t, 16>> ParseV6(std::string_view s) {
  std::vector<uint16_t> head, tail;
  size_t gap = s.find("::");
  if (gap != std::string_view::npos) {
    if (s.find("::", gap + 1) != std::string_view::npos) return std::nullopt;
    if (!ParseGroups(s.substr(0, gap), false, &head) ||
        !ParseGroups(s.substr(gap + 2), true, &tail) || head.size() + tail.size() > 7) {
      return std::nullopt;
    }
  } else if (!ParseGroups(s, true, &head) || head.size() != 8) {
    return std::nullopt;
  }
  std::array<uint8_t, 16> out{};
  auto put = [&](size_t group, uint16_t v) {
    out[2 * group] = static_cast<uint8_t>(v >> 8);
    out[2 * group + 1] = static_cast<uint8_t>(v);
  };
  for (size_t i = 0; i < head.size(); ++i) put(i, head[i]);
  for (size_t i = 0; i < tail.size(); ++i) put(8 - tail.size() + i, tail[i]);
  return out;
}

constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};

}  // namespace

Result<IpAddress> IpAddress::FromBytes(BytesView b) {
  if (b.size() != 4 && b.size() != 16) {
    return InvalidArgument("an inet address has 4 or 16 bytes, got " + std::to_string(b.size()));
  }
  IpAddress a;
  std::memcpy(a.bytes_.data(), b.data(), b.size());
  a.size_ = static_cast<uint8_t>(b.size());
  return a;
}

Result<IpAddress> IpAddress::Parse(std::string_view text) {
  uint8_t v4[4];
  if (ParseV4(text, v4)) return FromBytes(BytesView(v4, 4));
  if (text.find(':') == std::string_view::npos) return NotAnAddress(text);
  auto v6 = ParseV6(text);
  if (!v6) return NotAnAddress(text);
  // java.net.InetAddress turns IPv4-mapped IPv6 addresses into IPv4 ones.
  if (std::memcmp(v6->data(), kMappedPrefix, 12) == 0) {
    return FromBytes(BytesView(v6->data() + 12, 4));
  }
  return FromBytes(BytesView(v6->data(), 16));
}

bool IpAddress::is_v4_mapped() const noexcept {
  return size_ == 16 && std::memcmp(bytes_.data(), kMappedPrefix, 12) == 0;
}

std::string IpAddress::ToString() const {
  auto dotted = [](const uint8_t* p) {
    return std::to_string(p[0]) + "." + std::to_string(p[1]) + "." + std::to_string(p[2]) + "." +
           std::to_string(p[3]);
  };
  if (size_ == 4) return dotted(bytes_.data());
  if (is_v4_mapped()) return "::ffff:" + dotted(bytes_.data() + 12);
  uint16_t groups[8];
  for (size_t i = 0; i < 8; ++i) groups[i] = LoadBE16(bytes_.data() + 2 * i);
  // RFC 5952: compress the first longest run of two or more zero groups.
  size_t best_start = 8, best_len = 0;
  for (size_t i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    uint16_t g = groups[i];
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      unsigned nibble = (g >> shift) & 0xF;
      if (nibble != 0 || started || shift == 0) {
        out += kHex[nibble];
        started = true;
      }
    }
  }
  return out;
}

}  // namespace cqlbulk::cql
