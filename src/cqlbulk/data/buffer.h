// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

#include "cqlbulk/core/bytes.h"

namespace cqlbulk::data {

/// \brief A growable, move-only byte buffer: the storage of every column buffer.
///
/// Unlike std::vector<uint8_t> it never zero-fills what it grows into, and `Clear()` keeps
/// the allocation. Growth is geometric (at least doubling), so appends are amortised O(1).
/// Memory comes from malloc (16-byte aligned on our platforms: enough for every value type).
class Buffer {
 public:
  Buffer() noexcept = default;
  ~Buffer() { Free(); }
  Buffer(Buffer&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  Buffer& operator=(Buffer&& other) noexcept {
    if (this != &other) {
      Free();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
      capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
  }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  const uint8_t* data() const noexcept { return data_; }
  uint8_t* mutable_data() noexcept { return data_; }
  size_t size() const noexcept { return size_; }
  size_t capacity() const noexcept { return capacity_; }
  bool empty() const noexcept { return size_ == 0; }
  BytesView view() const noexcept { return {data_, size_}; }

  /// Makes room for at least `capacity` bytes in total (no-op when there is room).
  void Reserve(size_t capacity);
  /// Empties the buffer, keeping its allocation.
  void Clear() noexcept { size_ = 0; }
  /// Drops the bytes past the first `size` (no-op when the buffer holds no more), keeping the
  /// allocation.
  void Truncate(size_t size) noexcept {
    if (size < size_) {
      size_ = size;
    }
  }

  /// Appends n uninitialised bytes and returns a pointer to them (valid until the next growth).
  uint8_t* Grow(size_t n) {
    if (n > capacity_ - size_) [[unlikely]] {
      GrowSlow(n);
    }
    uint8_t* p = data_ + size_;
    size_ += n;
    return p;
  }
  /// Appends the native representation of a trivially copyable value.
  template <typename T>
  void Append(T value) {
    std::memcpy(Grow(sizeof(T)), &value, sizeof(T));
  }
  void Append(BytesView bytes) {
    if (!bytes.empty()) {
      std::memcpy(Grow(bytes.size()), bytes.data(), bytes.size());
    }
  }
  /// Appends n zero bytes.
  void AppendZeros(size_t n) {
    if (n > 0) {
      std::memset(Grow(n), 0, n);
    }
  }
  /// The index-th value of type T (the buffer holds an array of T).
  template <typename T>
  T Load(size_t index) const noexcept {
    T value;
    std::memcpy(&value, data_ + index * sizeof(T), sizeof(T));
    return value;
  }

 private:
  void GrowSlow(size_t n);
  void Free() noexcept;

  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace cqlbulk::data
