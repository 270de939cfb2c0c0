// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/sim/storage/storage.h"

namespace cqlbulk::sim {

/// \brief Where the next page of a SELECT starts (native protocol §8: opaque to clients).
///
/// Positions are keys, not offsets, so writes between pages never make a page skip or
/// repeat a row.
struct PagingPosition {
  PartitionKey partition;    ///< the partition of the last row returned
  bool partition_done = false;  ///< resume at the next partition
  Bytes clustering;          ///< else: the last row returned (encoded clustering key)
  int64_t rows_returned = 0;    ///< rows returned so far (LIMIT)
  int64_t partition_rows = 0;   ///< rows of `partition` returned so far (PER PARTITION LIMIT)
};

Bytes EncodePagingState(const PagingPosition& position);
/// kProtocol ("Invalid value for the paging state") for bytes this engine did not write.
Result<PagingPosition> DecodePagingState(BytesView bytes);

}  // namespace cqlbulk::sim
