// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/parquet/encoding/dictionary.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/parquet/encoding/byte_arrays_internal.h"

namespace cqlbulk::formats::parquet {

namespace {

constexpr uint32_t kEmptySlot = UINT32_MAX;
constexpr size_t kInitialCapacity = 256;
constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ull;

__extension__ using Uint128 = unsigned __int128;

// 64 x 64 -> 128-bit multiply folded to 64 bits: every input bit reaches the high output bits.
inline uint64_t Fold(uint64_t a, uint64_t b) {
  Uint128 product = static_cast<Uint128>(a) * b;
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

// The table takes a hash's top bits. A plain multiply (Fibonacci hashing) leaves them poorly
// mixed for keys whose low bits are all zero, as the bits of short decimal doubles are; the
// folded 128-bit product mixes every key bit into them.
inline uint64_t HashBits(uint64_t key) { return Fold(key, kGolden); }

inline uint64_t Load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint64_t Load32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// A hash of a byte string for the dictionary's table. Short strings (the usual dictionary
// entries) take two overlapping loads and one multiply.
uint64_t HashBytes(const uint8_t* p, size_t n) {
  constexpr uint64_t k1 = 0xC2B2AE3D27D4EB4Full;
  constexpr uint64_t k2 = 0x165667B19E3779F9ull;
  uint64_t a;
  uint64_t b;
  if (n <= 16) {
    if (n >= 8) {
      a = Load64(p);
      b = Load64(p + n - 8);
    } else if (n >= 4) {
      a = Load32(p);
      b = Load32(p + n - 4);
    } else if (n > 0) {
      a = (uint64_t{p[0]} << 16) | (uint64_t{p[n / 2]} << 8) | p[n - 1];
      b = 0;
    } else {
      a = 0;
      b = 0;
    }
    return Fold(a ^ k1, b ^ k2 ^ (n * kGolden));
  }
  uint64_t h = n * kGolden;
  size_t i = 0;
  for (; i + 16 < n; i += 16) {
    h = Fold(Load64(p + i) ^ k1 ^ h, Load64(p + i + 8) ^ k2);
  }
  return Fold(Load64(p + n - 16) ^ k1 ^ h, Load64(p + n - 8) ^ k2 ^ (n * kGolden));
}

// Whether n bytes at a and b are equal; short strings without a call to memcmp.
inline bool BytesEqual(const uint8_t* a, const uint8_t* b, size_t n) {
  if (n > 16) {
    return std::memcmp(a, b, n) == 0;
  }
  if (n >= 8) {
    return Load64(a) == Load64(b) && Load64(a + n - 8) == Load64(b + n - 8);
  }
  if (n >= 4) {
    return Load32(a) == Load32(b) && Load32(a + n - 4) == Load32(b + n - 4);
  }
  return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
}

int Log2(size_t power_of_two) { return std::countr_zero(power_of_two); }

}  // namespace

// ---------------------------------------------------------------------------------------
// Fixed-width values

template <FixedWidthValue T>
DictEncoder<T>::DictEncoder() {
  Rehash(kInitialCapacity);
}

template <FixedWidthValue T>
DictEncoder<T>::~DictEncoder() = default;
template <FixedWidthValue T>
DictEncoder<T>::DictEncoder(DictEncoder&&) noexcept = default;
template <FixedWidthValue T>
DictEncoder<T>& DictEncoder<T>::operator=(DictEncoder&&) noexcept = default;

template <FixedWidthValue T>
void DictEncoder<T>::Rehash(size_t capacity) {
  auto slots = std::make_unique_for_overwrite<Slot[]>(capacity);  // every slot set below
  for (size_t i = 0; i < capacity; ++i) {
    slots[i] = Slot{0, kEmptySlot};
  }
  int shift = 64 - Log2(capacity);
  size_t mask = capacity - 1;
  for (size_t i = 0; i < capacity_; ++i) {
    const Slot& slot = slots_[i];
    if (slot.index != kEmptySlot) {
      size_t h = static_cast<size_t>(HashBits(slot.key) >> shift);
      while (slots[h].index != kEmptySlot) {
        h = (h + 1) & mask;
      }
      slots[h] = slot;
    }
  }
  slots_ = std::move(slots);
  capacity_ = capacity;
  shift_ = shift;
}

template <FixedWidthValue T>
[[gnu::always_inline]] inline uint32_t DictEncoder<T>::Insert(Bits key, size_t h) {
  size_t mask = capacity_ - 1;
  for (;;) {
    Slot& slot = slots_[h];
    if (slot.key == key && slot.index != kEmptySlot) {
      return slot.index;
    }
    if (slot.index == kEmptySlot) {
      if (2 * (size_t{num_entries_} + 1) > capacity_) [[unlikely]] {
        Rehash(2 * capacity_);
        mask = capacity_ - 1;
        h = static_cast<size_t>(HashBits(key) >> shift_);
        continue;
      }
      CQLBULK_CHECK(num_entries_ < kEmptySlot - 1, "dictionary past 2^32 - 2 entries");
      slot = Slot{key, num_entries_};
      entries_.Append(std::bit_cast<T>(key));
      return num_entries_++;
    }
    h = (h + 1) & mask;
  }
}

template <FixedWidthValue T>
void DictEncoder<T>::Put(const T* values, size_t n, uint32_t* indices) {
  // A table past the L2 cache (a high-cardinality column) is probed in blocks: hash a block,
  // prefetch its slots, then probe, so the cache misses overlap instead of queueing. A
  // smaller table is probed value by value (the extra pass would only cost).
  constexpr size_t kAhead = 16;
  constexpr size_t kCachedBytes = size_t{256} << 10;
  size_t i = 0;
  while (i < n) {
    if (capacity_ * sizeof(Slot) <= kCachedBytes) {
      // Up to the next block boundary, so a table that grows past the limit switches.
      size_t end = std::min(n, i + kAhead * 64);
      for (; i < end; ++i) {
        auto key = std::bit_cast<Bits>(values[i]);
        // A value equal to the one before it takes its index without hashing.
        if (i > 0 && key == std::bit_cast<Bits>(values[i - 1])) {
          indices[i] = indices[i - 1];
          continue;
        }
        indices[i] = Insert(key, static_cast<size_t>(HashBits(key) >> shift_));
      }
      continue;
    }
    size_t m = std::min(kAhead, n - i);
    size_t first_slot[kAhead];
    for (size_t j = 0; j < m; ++j) {
      first_slot[j] = static_cast<size_t>(HashBits(std::bit_cast<Bits>(values[i + j])) >> shift_);
      __builtin_prefetch(&slots_[first_slot[j]]);
    }
    size_t capacity = capacity_;
    for (size_t j = 0; j < m; ++j, ++i) {
      auto key = std::bit_cast<Bits>(values[i]);
      // A rehash within the block moves every slot: hash again.
      size_t h = capacity == capacity_ ? first_slot[j]
                                       : static_cast<size_t>(HashBits(key) >> shift_);
      indices[i] = Insert(key, h);
    }
  }
}

template <FixedWidthValue T>
void DictEncoder<T>::Clear() {
  for (size_t i = 0; i < capacity_; ++i) {
    slots_[i] = Slot{0, kEmptySlot};
  }
  num_entries_ = 0;
  entries_.Clear();
}

template class DictEncoder<int32_t>;
template class DictEncoder<int64_t>;
template class DictEncoder<float>;
template class DictEncoder<double>;

// ---------------------------------------------------------------------------------------
// Byte strings (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY)

namespace internal {

/// \brief The table of ByteArrayDictEncoder and FixedDictEncoder: entries in a ByteArrays,
/// slots holding each entry's hash and length so most probes touch nothing else.
class BytesDictionary {
 public:
  BytesDictionary() { Rehash(kInitialCapacity); }

  uint32_t Insert(const uint8_t* value, size_t size) {
    uint64_t hash = HashBytes(value, size);
    size_t mask = capacity_ - 1;
    size_t h = static_cast<size_t>(hash >> shift_);
    for (;;) {
      Slot& slot = slots_[h];
      if (slot.index == kEmptySlot) {
        if (2 * (size_t{num_entries()} + 1) > capacity_) [[unlikely]] {
          Rehash(2 * capacity_);
          mask = capacity_ - 1;
          h = static_cast<size_t>(hash >> shift_);
          continue;
        }
        CQLBULK_CHECK(size <= ByteArrays::kMaxBytes - entries_.bytes.size(),
                      "a dictionary past 2 GiB (writers fall back to PLAIN long before)");
        auto index = num_entries();
        slot = Slot{hash, index, static_cast<uint32_t>(size)};
        entries_.Append(BytesView(value, size));
        return index;
      }
      if (slot.hash == hash && slot.length == size &&
          BytesEqual(entries_.bytes.data() + entries_.offset_data()[slot.index], value, size)) {
        return slot.index;
      }
      h = (h + 1) & mask;
    }
  }

  uint32_t num_entries() const noexcept { return static_cast<uint32_t>(entries_.size()); }
  const ByteArrays& entries() const noexcept { return entries_; }

  void Clear() {
    for (size_t i = 0; i < capacity_; ++i) {
      slots_[i] = Slot{0, kEmptySlot, 0};
    }
    entries_.Clear();
  }

 private:
  struct Slot {
    uint64_t hash;
    uint32_t index;  // kEmptySlot when free
    uint32_t length;
  };

  void Rehash(size_t capacity) {
    auto slots = std::make_unique_for_overwrite<Slot[]>(capacity);  // every slot set below
    for (size_t i = 0; i < capacity; ++i) {
      slots[i] = Slot{0, kEmptySlot, 0};
    }
    int shift = 64 - Log2(capacity);
    for (size_t i = 0; i < capacity_; ++i) {
      if (slots_[i].index != kEmptySlot) {
        size_t h = static_cast<size_t>(slots_[i].hash >> shift);
        while (slots[h].index != kEmptySlot) {
          h = (h + 1) & (capacity - 1);
        }
        slots[h] = slots_[i];
      }
    }
    slots_ = std::move(slots);
    capacity_ = capacity;
    shift_ = shift;
  }

  std::unique_ptr<Slot[]> slots_;
  size_t capacity_ = 0;
  int shift_ = 64;
  ByteArrays entries_;
};

}  // namespace internal

ByteArrayDictEncoder::ByteArrayDictEncoder()
    : table_(std::make_unique<internal::BytesDictionary>()) {}
ByteArrayDictEncoder::~ByteArrayDictEncoder() = default;
ByteArrayDictEncoder::ByteArrayDictEncoder(ByteArrayDictEncoder&&) noexcept = default;
ByteArrayDictEncoder& ByteArrayDictEncoder::operator=(ByteArrayDictEncoder&&) noexcept = default;

void ByteArrayDictEncoder::Put(ByteArraysView values, uint32_t* indices) {
  // A value equal to the one before it (rows of one partition often repeat a column's value)
  // takes its index without hashing.
  BytesView last;
  uint32_t last_index = kEmptySlot;
  for (size_t i = 0; i < values.size; ++i) {
    BytesView value = values[i];
    if (last_index != kEmptySlot && value.size() == last.size() &&
        BytesEqual(value.data(), last.data(), value.size())) {
      indices[i] = last_index;
      continue;
    }
    last = value;
    last_index = table_->Insert(value.data(), value.size());
    indices[i] = last_index;
  }
}

uint32_t ByteArrayDictEncoder::num_entries() const noexcept { return table_->num_entries(); }

size_t ByteArrayDictEncoder::dictionary_bytes() const noexcept {
  return 4 * size_t{table_->num_entries()} + table_->entries().bytes.size();
}

ByteArraysView ByteArrayDictEncoder::entries() const noexcept { return table_->entries().view(); }

void ByteArrayDictEncoder::WriteDictionaryTo(data::Buffer& out) const {
  PlainByteArrayEncoder plain;
  plain.Put(entries());
  plain.FlushTo(out);
}

void ByteArrayDictEncoder::Clear() { table_->Clear(); }

FixedDictEncoder::FixedDictEncoder(int width)
    : width_(width), table_(std::make_unique<internal::BytesDictionary>()) {
  CQLBULK_CHECK(width > 0, "FIXED_LEN_BYTE_ARRAY width must be positive");
}
FixedDictEncoder::~FixedDictEncoder() = default;
FixedDictEncoder::FixedDictEncoder(FixedDictEncoder&&) noexcept = default;
FixedDictEncoder& FixedDictEncoder::operator=(FixedDictEncoder&&) noexcept = default;

void FixedDictEncoder::Put(const uint8_t* values, size_t n, uint32_t* indices) {
  auto width = static_cast<size_t>(width_);
  for (size_t i = 0; i < n; ++i) {
    indices[i] = table_->Insert(values + i * width, width);
  }
}

uint32_t FixedDictEncoder::num_entries() const noexcept { return table_->num_entries(); }
size_t FixedDictEncoder::dictionary_bytes() const noexcept {
  return table_->entries().bytes.size();
}
const uint8_t* FixedDictEncoder::entries() const noexcept {
  return table_->entries().bytes.data();
}
void FixedDictEncoder::WriteDictionaryTo(data::Buffer& out) const {
  out.Append(table_->entries().bytes.view());
}
void FixedDictEncoder::Clear() { table_->Clear(); }

// ---------------------------------------------------------------------------------------
// Indices

void EncodeDictionaryIndices(const uint32_t* indices, size_t n, uint32_t dictionary_size,
                             data::Buffer& out) {
  int bit_width = BitWidth(dictionary_size == 0 ? 0 : dictionary_size - 1);
  out.Append(static_cast<uint8_t>(bit_width));
  RleBitPackedEncoder encoder(bit_width);
  encoder.Put(indices, n);
  encoder.FlushTo(out);
}

Status DictIndexDecoder::Reset(BytesView data, uint32_t dictionary_size) {
  dictionary_size_ = dictionary_size;
  if (data.empty()) {
    return runs_.Reset(data, 0);
  }
  if (data[0] > 32) {
    return Corrupt("RLE_DICTIONARY: bit width " + std::to_string(data[0]) +
                   " at byte 0 is not 0..32");
  }
  return runs_.Reset(data.subspan(1), data[0]);
}

Result<size_t> DictIndexDecoder::Get(uint32_t* indices, size_t n) {
  CQLBULK_ASSIGN_OR_RETURN(size_t got, runs_.Get(indices, n));
  uint32_t max = 0;
  for (size_t i = 0; i < got; ++i) {
    max = std::max(max, indices[i]);
  }
  if (got != 0 && max >= dictionary_size_) {
    return Corrupt("RLE_DICTIONARY: index " + std::to_string(max) + " is past the " +
                   std::to_string(dictionary_size_) + " dictionary entries (near byte " +
                   std::to_string(1 + runs_.position()) + ")");
  }
  return got;
}

void GatherFixed(const uint8_t* dictionary, int width, const uint32_t* indices, size_t n,
                 uint8_t* out) {
  auto w = static_cast<size_t>(width);
  for (size_t i = 0; i < n; ++i) {
    std::memcpy(out + i * w, dictionary + size_t{indices[i]} * w, w);
  }
}

Status GatherByteArrays(ByteArraysView dictionary, const uint32_t* indices, size_t n,
                        ByteArrays& out) {
  uint64_t total = 0;
  for (size_t i = 0; i < n; ++i) {
    total += static_cast<uint64_t>(dictionary.offsets[indices[i] + 1] -
                                   dictionary.offsets[indices[i]]);
  }
  if (total > ByteArrays::kMaxBytes - out.bytes.size()) {
    return internal::TooLarge("RLE_DICTIONARY");
  }
  if (out.offsets.empty()) {
    out.offsets.Append<int32_t>(0);
  }
  size_t before = out.bytes.size();
  internal::EnsureRoom(out.bytes, static_cast<size_t>(total) + internal::kCopySlack);
  uint8_t* to = out.bytes.Grow(static_cast<size_t>(total));
  auto* offsets = reinterpret_cast<int32_t*>(out.offsets.Grow(4 * n));
  const uint8_t* end =
      dictionary.data + (dictionary.size == 0 ? 0 : dictionary.offsets[dictionary.size]);
  size_t written = 0;
  for (size_t i = 0; i < n; ++i) {
    BytesView value = dictionary[indices[i]];
    internal::CopyValue(to + written, value.data(), value.size(), end);
    written += value.size();
    offsets[i] = static_cast<int32_t>(before + written);
  }
  return OkStatus();
}

}  // namespace cqlbulk::formats::parquet
