// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"

namespace cqlbulk::cql {

/// \brief Cassandra's variable-length integers ([unsigned vint] / [vint], native protocol v5 §3).
///
/// The count of leading 1 bits of the first byte is the number of extra bytes (0..8); the
/// value follows big-endian in the remaining bits. Signed vints are zig-zag encoded first.
/// Used by duration values (§6.3 of v5) and by vector element lengths.

/// Bytes WriteUnsignedVint would write for `v` (1..9).
size_t UnsignedVintSize(uint64_t v) noexcept;
void WriteUnsignedVint(ByteWriter& out, uint64_t v);
void WriteVint(ByteWriter& out, int64_t v);

/// Writes into `buf` (at least 9 bytes); returns the number of bytes written.
size_t EncodeUnsignedVint(uint64_t v, uint8_t* buf) noexcept;

/// Truncation fails with the reader's truncation code. Non-minimal encodings are accepted,
/// as Cassandra accepts them.
Result<uint64_t> ReadUnsignedVint(ByteReader& in);
Result<int64_t> ReadVint(ByteReader& in);

}  // namespace cqlbulk::cql
