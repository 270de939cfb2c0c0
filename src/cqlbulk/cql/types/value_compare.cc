// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <bit>
#include <cstring>
#include <type_traits>

#include "cqlbulk/core/varint.h"
#include "cqlbulk/cql/types/value.h"
#include "cqlbulk/cql/types/vint.h"

namespace cqlbulk::cql {
namespace {

using std::weak_ordering;

weak_ordering FromInt(int c) {
  return c < 0 ? weak_ordering::less : (c > 0 ? weak_ordering::greater : weak_ordering::equivalent);
}

/// Unsigned lexicographic order, shorter first on a common prefix (ByteBufferUtil order).
weak_ordering CompareBytes(BytesView a, BytesView b) {
  size_t n = std::min(a.size(), b.size());
  int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
  if (c != 0) return FromInt(c);
  return a.size() <=> b.size();
}

/// Java's Float.compare / Double.compare.
template <typename F, typename Bits>
weak_ordering CompareFloating(F a, F b) {
  bool na = a != a, nb = b != b;
  if (na || nb)
    return na == nb ? weak_ordering::equivalent
                    : (na ? weak_ordering::greater : weak_ordering::less);
  if (a < b) return weak_ordering::less;
  if (a > b) return weak_ordering::greater;
  // Equal numbers: only -0.0 vs 0.0 differ, and the sign bit orders them.
  auto ba = static_cast<std::make_signed_t<Bits>>(std::bit_cast<Bits>(a));
  auto bb = static_cast<std::make_signed_t<Bits>>(std::bit_cast<Bits>(b));
  return ba <=> bb;
}

/// Time-ordered high 64 bits of a version 1 UUID (time_hi, time_mid, time_low).
uint64_t TimeOrderedHigh(const Uuid& u) {
  uint64_t msb = LoadBE64(u.bytes.data());
  return (msb << 48) | ((msb << 16) & 0xFFFF00000000ULL) | (msb >> 32);
}

weak_ordering CompareUuid(const Uuid& a, const Uuid& b) {
  if (a.version() != b.version()) return a.version() <=> b.version();
  uint64_t ha = LoadBE64(a.bytes.data()), hb = LoadBE64(b.bytes.data());
  if (a.version() == 1) {
    ha = TimeOrderedHigh(a);
    hb = TimeOrderedHigh(b);
  }
  if (ha != hb) return ha <=> hb;
  return LoadBE64(a.bytes.data() + 8) <=> LoadBE64(b.bytes.data() + 8);
}

weak_ordering CompareTimeuuid(const Uuid& a, const Uuid& b) {
  // The version nibble tops the reordered value; Cassandra compares it as a signed long.
  auto ha = static_cast<int64_t>(TimeOrderedHigh(a));
  auto hb = static_cast<int64_t>(TimeOrderedHigh(b));
  if (ha != hb) return ha <=> hb;
  // Low bytes compare as signed bytes: flipping the sign bit of bytes 1..7 makes that a
  // signed 64-bit comparison (byte 0 keeps the long's own sign).
  auto la = static_cast<int64_t>(LoadBE64(a.bytes.data() + 8) ^ 0x0080808080808080ULL);
  auto lb = static_cast<int64_t>(LoadBE64(b.bytes.data() + 8) ^ 0x0080808080808080ULL);
  return la <=> lb;
}

weak_ordering CompareDurations(const Duration& a, const Duration& b) {
  uint8_t ba[27], bb[27];
  size_t na = 0, nb = 0;
  for (int64_t v : {int64_t{a.months}, int64_t{a.days}, a.nanoseconds}) {
    na += EncodeUnsignedVint(ZigZagEncode(v), ba + na);
  }
  for (int64_t v : {int64_t{b.months}, int64_t{b.days}, b.nanoseconds}) {
    nb += EncodeUnsignedVint(ZigZagEncode(v), bb + nb);
  }
  return CompareBytes(BytesView(ba, na), BytesView(bb, nb));
}

weak_ordering CompareSequences(const Value::Elements& a, const Value::Elements& b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    weak_ordering c = CompareValues(a[i], b[i]);
    if (c != 0) return c;
  }
  return a.size() <=> b.size();
}

weak_ordering CompareFields(const Value::Elements& a, const Value::Elements& b) {
  size_t n = std::max(a.size(), b.size());
  static const Value kNull;
  for (size_t i = 0; i < n; ++i) {
    const Value& x = i < a.size() ? a[i] : kNull;
    const Value& y = i < b.size() ? b[i] : kNull;
    weak_ordering c = CompareValues(x, y);
    if (c != 0) return c;
  }
  return weak_ordering::equivalent;
}

weak_ordering CompareEntries(const Value::Entries& a, const Value::Entries& b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    weak_ordering c = CompareValues(a[i].first, b[i].first);
    if (c != 0) return c;
    c = CompareValues(a[i].second, b[i].second);
    if (c != 0) return c;
  }
  return a.size() <=> b.size();
}

/// Integer kinds compare with each other numerically, ascii with text bytewise.
int KindClass(ValueKind k) {
  switch (k) {
    case ValueKind::kAscii:
      return static_cast<int>(ValueKind::kText);
    case ValueKind::kTinyint:
    case ValueKind::kSmallint:
    case ValueKind::kInt:
    case ValueKind::kBigint:
    case ValueKind::kCounter:
      return static_cast<int>(ValueKind::kInt);
    default:
      return static_cast<int>(k);
  }
}

}  // namespace

weak_ordering CompareValues(const Value& a, const Value& b) {
  int ca = KindClass(a.kind()), cb = KindClass(b.kind());
  if (ca != cb) return ca <=> cb;  // null and empty are the first kinds
  switch (a.kind()) {
    case ValueKind::kNull:
    case ValueKind::kEmpty:
      return weak_ordering::equivalent;
    case ValueKind::kBoolean:
      return a.as_bool() <=> b.as_bool();
    case ValueKind::kTinyint:
    case ValueKind::kSmallint:
    case ValueKind::kInt:
    case ValueKind::kBigint:
    case ValueKind::kCounter:
    case ValueKind::kTimestamp:
      return a.as_int64() <=> b.as_int64();
    case ValueKind::kDate:
    case ValueKind::kTime:
      // Byte order of the serialised value: unsigned.
      return static_cast<uint64_t>(a.as_int64()) <=> static_cast<uint64_t>(b.as_int64());
    case ValueKind::kFloat:
      return CompareFloating<float, uint32_t>(a.as_float(), b.as_float());
    case ValueKind::kDouble:
      return CompareFloating<double, uint64_t>(a.as_double(), b.as_double());
    case ValueKind::kAscii:
    case ValueKind::kText:
      return CompareBytes(AsBytes(a.as_string()), AsBytes(b.as_string()));
    case ValueKind::kBlob:
      return CompareBytes(a.as_blob(), b.as_blob());
    case ValueKind::kUuid:
      return CompareUuid(a.as_uuid(), b.as_uuid());
    case ValueKind::kTimeuuid:
      return CompareTimeuuid(a.as_uuid(), b.as_uuid());
    case ValueKind::kInet:
      return CompareBytes(a.as_inet().bytes(), b.as_inet().bytes());
    case ValueKind::kVarint:
      return Varint::Compare(a.as_varint(), b.as_varint());
    case ValueKind::kDecimal:
      return Decimal::Compare(a.as_decimal(), b.as_decimal());
    case ValueKind::kDuration:
      return CompareDurations(a.as_duration(), b.as_duration());
    case ValueKind::kList:
    case ValueKind::kSet:
    case ValueKind::kVector:
      return CompareSequences(a.elements(), b.elements());
    case ValueKind::kMap:
      return CompareEntries(a.entries(), b.entries());
    case ValueKind::kTuple:
    case ValueKind::kUdt:
      return CompareFields(a.elements(), b.elements());
  }
  return weak_ordering::equivalent;
}

void NormalizeCollections(Value& value, TupleFields tuple_fields) {
  switch (value.kind()) {
    case ValueKind::kTuple:
    case ValueKind::kUdt:
      if (tuple_fields == TupleFields::kAsGiven) return;
      [[fallthrough]];
    case ValueKind::kList:
    case ValueKind::kVector:
      for (Value& v : value.mutable_elements()) NormalizeCollections(v, tuple_fields);
      return;
    case ValueKind::kSet: {
      auto& elements = value.mutable_elements();
      for (Value& v : elements) NormalizeCollections(v, tuple_fields);
      std::stable_sort(elements.begin(), elements.end(), ValueLess());
      // Keep the first of equivalent elements (Cassandra's TreeSet keeps the first added).
      auto last = std::unique(elements.begin(), elements.end(), [](const Value& x, const Value& y) {
        return CompareValues(x, y) == 0;
      });
      elements.erase(last, elements.end());
      return;
    }
    case ValueKind::kMap: {
      auto& entries = value.mutable_entries();
      for (auto& [k, v] : entries) {
        NormalizeCollections(k, tuple_fields);
        NormalizeCollections(v, tuple_fields);
      }
      std::stable_sort(entries.begin(), entries.end(), [](const auto& x, const auto& y) {
        return CompareValues(x.first, y.first) < 0;
      });
      // A repeated key keeps its first key and takes the last value (TreeMap.put).
      Value::Entries out;
      out.reserve(entries.size());
      for (auto& entry : entries) {
        if (!out.empty() && CompareValues(out.back().first, entry.first) == 0) {
          out.back().second = std::move(entry.second);
        } else {
          out.push_back(std::move(entry));
        }
      }
      entries = std::move(out);
      return;
    }
    default:
      return;
  }
}

}  // namespace cqlbulk::cql
