// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

#include "cqlbulk/core/bytes.h"

namespace cqlbulk {

/// \brief Standard CRC-32 (IEEE 802.3, as zlib computes it), continuing from `crc`.
uint32_t Crc32(BytesView data, uint32_t crc = 0) noexcept;

/// \brief CRC-32C (Castagnoli, polynomial 0x1EDC6F41 reflected: iSCSI, RFC 3720 B.4, the
/// Snappy framing format), continuing from `crc` in the same way as Crc32.
uint32_t Crc32c(BytesView data, uint32_t crc = 0) noexcept;

namespace internal {

/// \brief Crc32 as zlib computes it, byte by byte: what the tests compare Crc32's folding
/// (64 bytes and more, on x86-64 with PCLMULQDQ) with.
uint32_t ReferenceCrc32(BytesView data, uint32_t crc = 0) noexcept;

}  // namespace internal

}  // namespace cqlbulk
