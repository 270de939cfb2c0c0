// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/data/buffer.h"
#include "cqlbulk/formats/parquet/encoding/byte_arrays.h"
#include "cqlbulk/formats/parquet/encoding/plain.h"
#include "cqlbulk/formats/parquet/encoding/rle.h"

namespace cqlbulk::formats::parquet {

// Dictionary encoding (Encodings.md "Dictionary Encoding"): a column chunk's distinct values
// go once into a dictionary page (PLAIN), and its data pages hold indices into it
// (RLE_DICTIONARY: one byte of bit width, then the RLE / bit-packed hybrid). Writers fall back
// to PLAIN when the dictionary grows too large: compare dictionary_bytes() with a limit
// (Arrow's default is 1 MiB), then write the dictionary page, the pages encoded so far, and
// PLAIN pages from then on.

namespace internal {
class BytesDictionary;
}  // namespace internal

/// \brief Dictionary builder for INT32, INT64, FLOAT and DOUBLE.
///
/// Values are told apart by their bits: -0.0 and 0.0 are two entries, and so are NaNs of
/// different bits. Entries keep the order they first appeared in. An open-addressing hash
/// table (linear probing, at most half full) maps values to indices.
template <FixedWidthValue T>
class DictEncoder {
 public:
  DictEncoder();
  ~DictEncoder();
  DictEncoder(DictEncoder&&) noexcept;
  DictEncoder& operator=(DictEncoder&&) noexcept;

  /// \brief Writes each value's index into `indices` (n entries), adding the values not yet
  /// in the dictionary.
  void Put(const T* values, size_t n, uint32_t* indices);

  uint32_t num_entries() const noexcept { return num_entries_; }
  /// The dictionary page body's size in bytes: num_entries() * sizeof(T).
  size_t dictionary_bytes() const noexcept { return entries_.size(); }
  /// The entries in index order.
  const T* entries() const noexcept { return reinterpret_cast<const T*>(entries_.data()); }
  /// Appends the dictionary page body (the entries, PLAIN).
  void WriteDictionaryTo(data::Buffer& out) const { out.Append(entries_.view()); }
  /// Empties the dictionary for a new column chunk, keeping the allocations.
  void Clear();

 private:
  using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  struct Slot {
    Bits key;
    uint32_t index;  // kEmptySlot when free
  };
  void Rehash(size_t capacity);
  /// The index of `key`, added when new; `h` is its first slot.
  uint32_t Insert(Bits key, size_t h);

  std::unique_ptr<Slot[]> slots_;
  size_t capacity_ = 0;  // a power of 2
  int shift_ = 64;       // 64 - log2(capacity_): the hash's top bits pick the slot
  uint32_t num_entries_ = 0;
  data::Buffer entries_;
};

extern template class DictEncoder<int32_t>;
extern template class DictEncoder<int64_t>;
extern template class DictEncoder<float>;
extern template class DictEncoder<double>;

/// \brief Dictionary builder for BYTE_ARRAY (see DictEncoder).
class ByteArrayDictEncoder {
 public:
  ByteArrayDictEncoder();
  ~ByteArrayDictEncoder();
  ByteArrayDictEncoder(ByteArrayDictEncoder&&) noexcept;
  ByteArrayDictEncoder& operator=(ByteArrayDictEncoder&&) noexcept;

  void Put(ByteArraysView values, uint32_t* indices);
  uint32_t num_entries() const noexcept;
  /// The dictionary page body's size: 4 bytes of length per entry plus their bytes.
  size_t dictionary_bytes() const noexcept;
  /// The entries in index order.
  ByteArraysView entries() const noexcept;
  /// Appends the dictionary page body (PLAIN: length-prefixed entries).
  void WriteDictionaryTo(data::Buffer& out) const;
  void Clear();

 private:
  std::unique_ptr<internal::BytesDictionary> table_;
};

/// \brief Dictionary builder for FIXED_LEN_BYTE_ARRAY of `width` bytes (see DictEncoder).
class FixedDictEncoder {
 public:
  explicit FixedDictEncoder(int width);
  ~FixedDictEncoder();
  FixedDictEncoder(FixedDictEncoder&&) noexcept;
  FixedDictEncoder& operator=(FixedDictEncoder&&) noexcept;

  int width() const noexcept { return width_; }
  /// n values of width() bytes.
  void Put(const uint8_t* values, size_t n, uint32_t* indices);
  uint32_t num_entries() const noexcept;
  /// num_entries() * width().
  size_t dictionary_bytes() const noexcept;
  /// The entries in index order, width() bytes each.
  const uint8_t* entries() const noexcept;
  /// Appends the dictionary page body (PLAIN: the entries' bytes).
  void WriteDictionaryTo(data::Buffer& out) const;
  void Clear();

 private:
  int width_;
  std::unique_ptr<internal::BytesDictionary> table_;
};

/// \brief Appends a data page's values section for dictionary indices: the bit width
/// (BitWidth(dictionary_size - 1)) as one byte, then the indices in the hybrid encoding.
/// Every index must be below `dictionary_size`.
void EncodeDictionaryIndices(const uint32_t* indices, size_t n, uint32_t dictionary_size,
                             data::Buffer& out);

/// \brief Decoder of a dictionary-encoded data page's indices (RLE_DICTIONARY, and the
/// deprecated PLAIN_DICTIONARY, the same bytes).
///
/// kCorrupt: a bit width past 32, an index not below the dictionary's size, and what
/// RleBitPackedDecoder rejects. Empty data holds no values.
class DictIndexDecoder {
 public:
  /// `dictionary_size`: the entries of the column chunk's dictionary page.
  Status Reset(BytesView data, uint32_t dictionary_size);
  /// Up to n indices, each below the dictionary size.
  Result<size_t> Get(uint32_t* indices, size_t n);

 private:
  RleBitPackedDecoder runs_;
  uint32_t dictionary_size_ = 0;
};

/// \brief out[i] = dictionary[indices[i]]. Indices must be below the dictionary's size (as
/// DictIndexDecoder returns them).
template <FixedWidthValue T>
void GatherDictionary(const T* dictionary, const uint32_t* indices, size_t n, T* out) {
  for (size_t i = 0; i < n; ++i) {
    out[i] = dictionary[indices[i]];
  }
}

/// \brief FLBA: copies entry indices[i] (width bytes each) of `dictionary` to out + i * width.
void GatherFixed(const uint8_t* dictionary, int width, const uint32_t* indices, size_t n,
                 uint8_t* out);

/// \brief Appends entry indices[i] of `dictionary` to `out` for each i. kInvalidArgument when
/// `out` would pass ByteArrays::kMaxBytes (a small page of indices can name a large entry
/// many times: gather fewer at a time).
Status GatherByteArrays(ByteArraysView dictionary, const uint32_t* indices, size_t n,
                        ByteArrays& out);

}  // namespace cqlbulk::formats::parquet
