// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/ring/token.h"

namespace cqlbulk::ring {

/// \brief h1 of MurmurHash3 x64_128 (seed 0) exactly as Cassandra computes it.
///
/// Cassandra's variant sign-extends each tail byte (the last `size % 16` bytes) before shifting
/// it into k1/k2, so about half of all keys hash differently from the reference algorithm.
/// Allocation-free; safe to call from any thread.
int64_t Murmur3Hash(BytesView data) noexcept;

/// \brief The token of a hash: INT64_MIN becomes Max, so Min is never a key's token.
constexpr Token Murmur3TokenFromHash(int64_t hash) noexcept {
  return hash == Token::Min().value() ? Token::Max() : Token(hash);
}

/// \brief The Murmur3Partitioner token of a routing key (see routing_key.h).
///
/// The empty key has token Min, as in Cassandra (the server refuses it as a partition key).
inline Token Murmur3Token(BytesView routing_key) noexcept {
  if (routing_key.empty()) {
    return Token::Min();
  }
  return Murmur3TokenFromHash(Murmur3Hash(routing_key));
}

}  // namespace cqlbulk::ring
