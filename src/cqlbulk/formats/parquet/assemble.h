// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <span>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/column_builder.h"
#include "cqlbulk/formats/parquet/schema.h"
#include "cqlbulk/formats/parquet/shred.h"

namespace cqlbulk::formats::parquet {

/// \brief Where the assembler stands in one leaf's decoded entries.
struct LeafCursor {
  const LeafData* data = nullptr;
  size_t level = 0;  ///< next level entry
  size_t value = 0;  ///< next non-null value
};

/// \brief The inverse of Shred: appends `records` values of top-level field `node` to
/// `builder` (of the field's logical type, as SchemaFromParquet gives it), taking level
/// entries and values from the cursors of its leaves (`cursors` has one per leaf of
/// `schema`; only the node's own move). Values are converted from their physical form by
/// the leaf's LeafForm. kCorrupt naming the column when the levels do not describe whole
/// records or a value does not fit its logical type (an INT(8) of 300).
Status Assemble(const SchemaNode& node, const ParquetSchema& schema, size_t records,
                std::span<LeafCursor> cursors, data::ColumnBuilder& builder);

}  // namespace cqlbulk::formats::parquet
