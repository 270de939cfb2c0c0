// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/buffer.h"
#include "cqlbulk/data/column.h"
#include "cqlbulk/formats/parquet/encoding/byte_arrays.h"
#include "cqlbulk/formats/parquet/schema.h"

namespace cqlbulk::formats::parquet {

/// \brief One leaf's share of a slice of rows, shredded: a definition and a repetition level
/// per level entry (Dremel's encoding of nulls and nesting) and the non-null values, densely,
/// in the leaf's physical type.
///
/// Values, by physical type: BOOLEAN one byte 0/1 each, INT32/INT64/FLOAT/DOUBLE native
/// little-endian, FIXED_LEN_BYTE_ARRAY `type_length` bytes each (INT96 12), all in `fixed`;
/// BYTE_ARRAY in `strings`. Levels are left empty when the leaf's maximum level is 0 (they
/// would all be 0). The writer shreds into it; the reader decodes pages into it.
///
/// Written by Shred, `definition_levels` may also be left empty for a leaf without
/// repetition (max_repetition_level 0) whose slice holds no null: every one of its
/// `num_levels` entries is then the maximum definition level (AllDefined()).
struct LeafData {
  std::vector<int16_t> definition_levels;
  std::vector<int16_t> repetition_levels;
  data::Buffer fixed;
  ByteArrays strings;
  size_t num_values = 0;
  /// Level entries (rows of a flat leaf): values plus nulls and empty lists.
  size_t num_levels = 0;
  /// Values an engine-friendly TypeMapping changed (rounded decimals, dropped nanoseconds).
  size_t num_changed = 0;
  /// \brief Set by Shred for a flat leaf's slice without nulls whose values the batch holds
  /// as Parquet stores them: the values stay in the batch (`borrowed_fixed` or
  /// `borrowed_strings`, valid while it is) instead of being copied into `fixed` or `strings`,
  /// which stay empty. Read values through fixed_values() and string_values(), which see
  /// either; Own() copies borrowed values in before more are appended.
  bool borrowed = false;
  BytesView borrowed_fixed;
  ByteArraysView borrowed_strings;

  void Clear();
  /// The fixed-width values (`num_values` of them), borrowed or in `fixed`.
  BytesView fixed_values() const noexcept { return borrowed ? borrowed_fixed : fixed.view(); }
  /// The BYTE_ARRAY values, borrowed or in `strings`.
  ByteArraysView string_values() const noexcept {
    return borrowed ? borrowed_strings : strings.view();
  }
  /// Copies borrowed values into `fixed` or `strings` (nothing when none are borrowed).
  void Own();
  /// Every level entry is present (the maximum definition level) and the levels were left
  /// out: a shredded flat leaf without nulls.
  bool AllDefined() const noexcept {
    return definition_levels.empty() && repetition_levels.empty() && num_values == num_levels;
  }
  std::span<const int32_t> int32s() const {
    return {reinterpret_cast<const int32_t*>(fixed_values().data()), num_values};
  }
  std::span<const int64_t> int64s() const {
    return {reinterpret_cast<const int64_t*>(fixed_values().data()), num_values};
  }
};

/// \brief Shreds rows [begin, end) of `column` (the data of top-level field `node`) into the
/// LeafData of each leaf under it: `leaves` has one entry per leaf of `schema`, and only the
/// node's own are appended to. kInvalidArgument naming
/// the column and row for a value the TypeMapping cannot write (a decimal past its
/// precision, a timestamp past the microsecond range).
Status Shred(const data::Column& column, const SchemaNode& node, const ParquetSchema& schema,
             size_t begin, size_t end, std::span<LeafData> leaves);

}  // namespace cqlbulk::formats::parquet
