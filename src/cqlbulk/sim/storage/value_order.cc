// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/storage/value_order.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "cqlbulk/cql/types/value_codec.h"

namespace cqlbulk::sim {
namespace {

int Sign(int64_t v) { return v < 0 ? -1 : (v > 0 ? 1 : 0); }

int64_t LoadSigned(BytesView v) {
  uint64_t u = 0;
  for (uint8_t b : v) u = (u << 8) | b;
  // Sign-extend from the value's width.
  unsigned shift = static_cast<unsigned>(64 - 8 * v.size());
  return shift >= 64 ? 0 : static_cast<int64_t>(u << shift) >> shift;
}

/// Java's Double.compare (NaN largest, -0.0 < 0.0).
template <typename F>
int CompareFloating(F a, F b) {
  bool na = a != a, nb = b != b;
  if (na || nb) return na == nb ? 0 : (na ? 1 : -1);
  if (a < b) return -1;
  if (a > b) return 1;
  bool sa = std::signbit(a), sb = std::signbit(b);
  return sa == sb ? 0 : (sa ? -1 : 1);
}

int CompareDecoded(const cql::DataType& type, BytesView a, BytesView b) {
  auto va = cql::DecodeValue(type, a);
  auto vb = cql::DecodeValue(type, b);
  if (!va.has_value() || !vb.has_value()) return CompareBytes(a, b);
  auto c = cql::CompareValues(*va, *vb);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

int CompareBytes(BytesView a, BytesView b) {
  size_t n = std::min(a.size(), b.size());
  int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
  if (c != 0) return c < 0 ? -1 : 1;
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

int CompareSerialized(const cql::DataType& type, BytesView a, BytesView b) {
  using cql::TypeId;
  switch (type.id) {
    case TypeId::kAscii:
    case TypeId::kVarchar:
    case TypeId::kBlob:
    case TypeId::kInet:
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kDuration:
    case TypeId::kCustom:
      return CompareBytes(a, b);
    default:
      break;
  }
  // An empty value sorts before every other value of its type.
  if (a.empty() || b.empty()) return a.empty() == b.empty() ? 0 : (a.empty() ? -1 : 1);
  switch (type.id) {
    case TypeId::kTinyint:
    case TypeId::kSmallint:
    case TypeId::kInt:
    case TypeId::kBigint:
    case TypeId::kCounter:
    case TypeId::kTimestamp:
      if (a.size() == b.size() && a.size() <= 8) {
        int64_t x = LoadSigned(a), y = LoadSigned(b);
        return x < y ? -1 : (x > y ? 1 : 0);
      }
      return CompareBytes(a, b);
    case TypeId::kBoolean:
      return Sign(int64_t{a[0] != 0} - int64_t{b[0] != 0});
    case TypeId::kFloat:
      if (a.size() == 4 && b.size() == 4) {
        return CompareFloating(std::bit_cast<float>(LoadBE32(a.data())),
                               std::bit_cast<float>(LoadBE32(b.data())));
      }
      return CompareBytes(a, b);
    case TypeId::kDouble:
      if (a.size() == 8 && b.size() == 8) {
        return CompareFloating(std::bit_cast<double>(LoadBE64(a.data())),
                               std::bit_cast<double>(LoadBE64(b.data())));
      }
      return CompareBytes(a, b);
    default:
      return CompareDecoded(type, a, b);
  }
}

}  // namespace cqlbulk::sim
