// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cqlbulk/iceberg/metadata/manifest.h"
#include "cqlbulk/iceberg/metadata/table_metadata.h"

namespace cqlbulk::iceberg {

/// \brief The summary of a snapshot that appends `added` (data files) on top of `parent` (nullptr
/// for a table's first), with the keys Java's SnapshotSummary and PyIceberg write: "operation"
/// "append", added-data-files, added-records, added-files-size, changed-partition-count (distinct
/// partition tuples), and total-data-files, total-records, total-files-size, total-delete-files,
/// total-position-deletes, total-equality-deletes: the parent's plus the added ones (a total the
/// parent's summary lacks, or holds as something other than a number, is left out).
std::map<std::string, std::string> AppendSummary(const Snapshot* parent,
                                                 const std::vector<DataFile>& added);

}  // namespace cqlbulk::iceberg
