// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

/// The field ids of manifest entries (spec, "Manifests"), shared by the writer and the reader.
namespace cqlbulk::iceberg::internal {

// Field ids of the spec's "Manifests" section.
enum EntryField : int32_t { kStatus = 0, kSnapshotId = 1, kSequenceNumber = 3,
                            kFileSequenceNumber = 4, kDataFileField = 2 };
enum FileField : int32_t {
  kContent = 134, kFilePath = 100, kFileFormat = 101, kPartition = 102, kRecordCount = 103,
  kFileSize = 104, kColumnSizes = 108, kValueCounts = 109, kNullValueCounts = 110,
  kNanValueCounts = 137, kLowerBounds = 125, kUpperBounds = 128, kKeyMetadata = 131,
  kSplitOffsets = 132, kEqualityIds = 135, kSortOrderId = 140,
};

}  // namespace cqlbulk::iceberg::internal
