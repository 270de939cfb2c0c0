// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/sim/engine/paging_state.h"
#include "cqlbulk/sim/engine/read_plan.h"
#include "cqlbulk/sim/engine/selection.h"
#include "cqlbulk/sim/storage/storage.h"

namespace cqlbulk::sim::internal {

/// \brief What one page of a SELECT reads.
struct ScanSpec {
  const TableSchema* table = nullptr;
  const ReadPlan* plan = nullptr;
  const Selection* selection = nullptr;
  bool is_distinct = false;
  bool is_reversed = false;  ///< ORDER BY against the clustering order
  int64_t limit = INT64_MAX;
  int64_t per_partition_limit = INT64_MAX;
  int64_t page_size = 0;  ///< rows per page; <= 0: all
  int64_t now_seconds = 0;
  std::optional<PagingPosition> resume;
};

/// \brief A page: rows as Rows <rows_content> cells, and where the next page starts.
struct ScanPage {
  Bytes content;
  int32_t num_rows = 0;
  std::optional<PagingPosition> next;  ///< set when there may be more rows
};

/// \brief Reads one page from `store` (the caller holds its mutex shared). Partitions come in
/// ring order, rows in clustering order (reversed when asked); aggregates read everything
/// and give one row.
ScanPage ScanTable(const TableStore& store, const ScanSpec& spec);

}  // namespace cqlbulk::sim::internal
