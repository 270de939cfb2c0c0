// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <utility>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/formats/io/stream.h"

namespace cqlbulk::formats {

/// \brief Appends everything written to a caller-owned buffer, which must outlive the stream.
class MemoryOutputStream final : public OutputStream {
 public:
  explicit MemoryOutputStream(Bytes* target) noexcept : target_(target) {}

 protected:
  Status DoWrite(BytesView data) override;
  Status DoFlush() override { return OkStatus(); }
  Status DoClose() override { return OkStatus(); }

 private:
  Bytes* target_;
};

/// \brief Reads bytes held in memory (owned by the stream).
class MemoryInputStream final : public InputStream {
 public:
  explicit MemoryInputStream(Bytes data) noexcept : data_(std::move(data)) {}

  /// The bytes not yet read.
  size_t remaining() const noexcept { return data_.size() - pos_; }

 protected:
  Result<size_t> DoRead(std::span<uint8_t> out) override;

 private:
  Bytes data_;
  size_t pos_ = 0;
};

}  // namespace cqlbulk::formats
