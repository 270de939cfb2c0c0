// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

#include "cqlbulk/core/result.h"
#include "cqlbulk/formats/parquet/format/metadata.h"
#include "cqlbulk/iceberg/metadata/manifest.h"
#include "cqlbulk/iceberg/spec/literal.h"
#include "cqlbulk/iceberg/spec/schema.h"

namespace cqlbulk::iceberg {

struct MetricsOptions {
  /// Bounds of strings are cut to this many code points, binary to this many bytes (the upper
  /// bound incremented), as Java's default metrics mode truncate(16).
  int32_t truncate_length = kDefaultTruncateLength;
};

/// \brief A data file's metrics from its Parquet footer (as Java's ParquetMetrics computes them),
/// its leaves matched to the Iceberg schema by their field ids: record_count; per field id the
/// column_sizes (the chunks' total_compressed_size), value_counts (num_values, nulls included),
/// null_value_counts and nan_value_counts (when every chunk has them), lower and upper bounds
/// in the single-value binary form (when every chunk has min and max; none for fields inside
/// lists and maps, none for a float or double bound that is NaN; milliseconds and nanoseconds
/// converted to Iceberg's microseconds; decimals to their minimal bytes; strings and binary
/// truncated); split_offsets, the row groups' starts. The other fields of the DataFile (path,
/// size, partition) are left for the caller. Leaves without a field id, or whose id is not in
/// the schema, get no metrics. kCorrupt for statistics whose size does not fit their column's
/// type, naming the column.
Result<DataFile> ParquetMetrics(const formats::parquet::FileMetaData& footer, const Schema& schema,
                                const MetricsOptions& options = {});

}  // namespace cqlbulk::iceberg
