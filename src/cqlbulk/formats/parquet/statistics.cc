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
  const auto* v = reinterpret_cast<const T*>(data.fixed.data());
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
  switch (type_) {
    case PhysicalType::kBoolean: {
      const uint8_t* v = data.fixed.data();
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
    case PhysicalType::kByteArray:
      for (size_t i = 0; i < data.num_values; ++i) {
        UpdateBytes(data.strings[i]);
      }
      return;
    case PhysicalType::kFixedLenByteArray:
      for (size_t i = 0; i < data.num_values; ++i) {
        UpdateBytes(BytesView(data.fixed.data() + i * static_cast<size_t>(width_),
                              static_cast<size_t>(width_)));
      }
      return;
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
