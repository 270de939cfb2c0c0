// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "cqlbulk/core/bytes.h"

namespace cqlbulk::ring {

using Md5Digest = std::array<uint8_t, 16>;

/// \brief MD5 (RFC 1321), for RandomPartitioner tokens only: not for security.
///
/// Incremental: Update() any number of times, then Finish() once.
class Md5 {
 public:
  Md5() noexcept = default;

  void Update(BytesView data) noexcept;
  /// The digest of everything passed to Update(). The object must not be used afterwards.
  Md5Digest Finish() noexcept;

  /// One-shot digest of `data`.
  static Md5Digest Hash(BytesView data) noexcept;

 private:
  void Compress(const uint8_t* block) noexcept;

  // RFC 1321 §3.3: the initial values of the four state words A, B, C, D.
  std::array<uint32_t, 4> state_ = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  uint64_t num_bytes_ = 0;
  std::array<uint8_t, 64> block_{};
  size_t block_used_ = 0;
};

}  // namespace cqlbulk::ring
