// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/parquet/statistics.h"

#include <cmath>
#include <cstring>
#include <string_view>

namespace cqlbulk::formats::parquet {
namespace {

template <typename T>
std::string Plain(T v) {
  std::string s(sizeof(T), '\0');
  std::memcpy(s.data(), &v, sizeof(T));
  return s;
}

template <typename T>
T FromPlain(const std::string& s) {
  T v;
  std::memcpy(&v, s.data(), sizeof(T));
  return v;
}

/// Unsigned lexicographic order of bytes (std::string_view compares char, which is signed).
int CompareUnsigned(BytesView a, BytesView b) {
  size_t n = std::min(a.size(), b.size());
  int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
  if (c != 0) return c;
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

/// The first 8 bytes (fewer padded with zeros) as a big-endian number: when two values'
/// prefixes differ they order the values as CompareUnsigned does.
uint64_t Prefix(BytesView v) {
  uint64_t p = 0;
  size_t n = v.size();
  if (n >= 8) {
    std::memcpy(&p, v.data(), 8);
  } else if (n >= 4) {
    // Two overlapping loads: bytes 0-3 and n-4..n-1 (the bytes both hold are the same).
    uint32_t lo;
    uint32_t hi;
    std::memcpy(&lo, v.data(), 4);
    std::memcpy(&hi, v.data() + n - 4, 4);
    p = uint64_t{lo} | (uint64_t{hi} << (8 * (n - 4)));
  } else {
    for (size_t i = 0; i < n; ++i) p |= uint64_t{v[i]} << (8 * i);
  }
  return __builtin_bswap64(p);
}

/// A value and its Prefix, so that most comparisons are one of integers.
struct Keyed {
  BytesView bytes;
  uint64_t prefix = 0;
};

/// CompareUnsigned(a.bytes, b.bytes) < 0.
bool LessUnsigned(const Keyed& a, const Keyed& b) {
  if (a.prefix != b.prefix) return a.prefix < b.prefix;
  if (a.bytes.size() > 8 && b.bytes.size() > 8) {
    // The same first 8 bytes (values that share a prefix: "customer…@…"): the next 8 in
    // the same way before a full comparison.
    const uint64_t pa = Prefix(a.bytes.subspan(8));
    const uint64_t pb = Prefix(b.bytes.subspan(8));
    if (pa != pb) return pa < pb;
  }
  return CompareUnsigned(a.bytes, b.bytes) < 0;
}

/// The unsigned-order minimum and maximum of a slice's values, or that one is too long.
struct SliceRange {
  bool any = false;
  bool too_long = false;
  BytesView lo;
  BytesView hi;
};

/// SliceRange of n values `value(i)`: kept as views while the slice is walked (most values
/// are told apart by their first 8 bytes), so the builder's strings change once per slice.
template <typename Value>
SliceRange UnsignedRange(size_t n, Value value) {
  SliceRange range;
  Keyed lo, hi;
  for (size_t i = 0; i < n; ++i) {
    BytesView b = value(i);
    if (b.size() > StatisticsBuilder::kMaxValueBytes) {
      range.too_long = true;
      return range;
    }
    Keyed k{b, Prefix(b)};
    if (!range.any) {
      lo = hi = k;
      range.any = true;
    } else if (LessUnsigned(k, lo)) {
      lo = k;
    } else if (LessUnsigned(hi, k)) {
      hi = k;
    }
  }
  range.lo = lo.bytes;
  range.hi = hi.bytes;
  return range;
}

/// Big-endian two's complement of equal width: the sign byte signed, the rest unsigned.
int CompareSignedFixed(BytesView a, BytesView b) {
  auto sa = static_cast<int8_t>(a[0]);
  auto sb = static_cast<int8_t>(b[0]);
  if (sa != sb) return sa < sb ? -1 : 1;
  return CompareUnsigned(a.subspan(1), b.subspan(1));
}

}  // namespace

StatisticsBuilder::StatisticsBuilder(const LeafColumn& leaf)
    : type_(leaf.physical_type),
      width_(leaf.type_length),
      unsigned_order_(leaf.unsigned_order),
      signed_fixed_(leaf.physical_type == PhysicalType::kFixedLenByteArray &&
                    !leaf.unsigned_order) {}

void StatisticsBuilder::Reset() {
  null_count_ = 0;
  has_min_max_ = false;
  too_long_ = false;
  min_.clear();
  max_.clear();
}

template <typename T>
void StatisticsBuilder::UpdateNumbers(const LeafData& data) {
  const auto* v = reinterpret_cast<const T*>(data.fixed_values().data());
  size_t n = data.num_values;
  size_t i = 0;
  if constexpr (std::is_floating_point_v<T>) {
    while (i < n && std::isnan(v[i])) ++i;
  }
  if (i == n) return;
  T lo = has_min_max_ ? FromPlain<T>(min_) : v[i];
  T hi = has_min_max_ ? FromPlain<T>(max_) : v[i];
  for (; i < n; ++i) {
    T x = v[i];
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(x)) continue;
    }
    lo = x < lo ? x : lo;
    hi = x > hi ? x : hi;
  }
  if constexpr (std::is_floating_point_v<T>) {
    if (lo == 0) lo = -T{0};
    if (hi == 0) hi = T{0};
  }
  min_ = Plain(lo);
  max_ = Plain(hi);
  has_min_max_ = true;
}

void StatisticsBuilder::UpdateBytes(BytesView v) {
  if (v.size() > kMaxValueBytes) {
    too_long_ = true;
    return;
  }
  auto cmp = [&](const std::string& s) {
    BytesView b = AsBytes(s);
    return signed_fixed_ ? CompareSignedFixed(v, b) : CompareUnsigned(v, b);
  };
  if (!has_min_max_) {
    min_.assign(AsChars(v));
    max_.assign(AsChars(v));
    has_min_max_ = true;
    return;
  }
  if (cmp(min_) < 0) min_.assign(AsChars(v));
  if (cmp(max_) > 0) max_.assign(AsChars(v));
}

void StatisticsBuilder::Update(const LeafData& data) {
  null_count_ += static_cast<int64_t>(data.num_levels - data.num_values);
  if (data.num_values == 0) return;
  auto MergeUnsigned = [this](const SliceRange& range) {
    if (range.too_long) too_long_ = true;
    if (too_long_ || !range.any) return;  // past too_long_ Finish writes no min/max
    if (!has_min_max_ || CompareUnsigned(range.lo, AsBytes(min_)) < 0) {
      min_.assign(AsChars(range.lo));
    }
    if (!has_min_max_ || CompareUnsigned(range.hi, AsBytes(max_)) > 0) {
      max_.assign(AsChars(range.hi));
    }
    has_min_max_ = true;
  };
  switch (type_) {
    case PhysicalType::kBoolean: {
      const uint8_t* v = data.fixed_values().data();
      bool any_false = false, any_true = false;
      for (size_t i = 0; i < data.num_values; ++i) (v[i] ? any_true : any_false) = true;
      bool lo = !any_false, hi = any_true;
      if (has_min_max_) {
        lo = lo && min_[0] != 0;
        hi = hi || max_[0] != 0;
      }
      min_.assign(1, lo ? '\1' : '\0');
      max_.assign(1, hi ? '\1' : '\0');
      has_min_max_ = true;
      return;
    }
    case PhysicalType::kInt32:
      return UpdateNumbers<int32_t>(data);
    case PhysicalType::kInt64:
      return UpdateNumbers<int64_t>(data);
    case PhysicalType::kFloat:
      return UpdateNumbers<float>(data);
    case PhysicalType::kDouble:
      return UpdateNumbers<double>(data);
    case PhysicalType::kByteArray: {
      ByteArraysView v = data.string_values();
      MergeUnsigned(UnsignedRange(data.num_values, [&v](size_t i) { return v[i]; }));
      return;
    }
    case PhysicalType::kFixedLenByteArray: {
      auto width = static_cast<size_t>(width_);
      auto value = [&data, width](size_t i) {
        return BytesView(data.fixed_values().data() + i * width, width);
      };
      if (signed_fixed_) {
        for (size_t i = 0; i < data.num_values; ++i) UpdateBytes(value(i));
      } else {
        MergeUnsigned(UnsignedRange(data.num_values, value));
      }
      return;
    }
    default:
      return;  // INT96 has no defined order
  }
}

Statistics StatisticsBuilder::Finish() const {
  Statistics s;
  s.null_count = null_count_;
  if (has_min_max_ && !too_long_) {
    s.min_value = min_;
    s.max_value = max_;
    if (!unsigned_order_) {
      s.min = min_;
      s.max = max_;
    }
  }
  return s;
}

}  // namespace cqlbulk::formats::parquet
