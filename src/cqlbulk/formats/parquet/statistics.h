// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "cqlbulk/formats/parquet/format/metadata.h"
#include "cqlbulk/formats/parquet/schema.h"
#include "cqlbulk/formats/parquet/shred.h"

namespace cqlbulk::formats::parquet {

/// \brief Minimum, maximum and null count of one column chunk, in the leaf's sort order
/// (parquet.thrift ColumnOrder, TypeDefinedOrder): signed for integers and for decimals of
/// any physical type, unsigned bytes for strings, binary and uuids, false < true, and IEEE
/// order for floats with NaN ignored (a zero minimum is written -0.0 and a zero maximum
/// +0.0, as the spec asks, since either zero may be in the chunk).
class StatisticsBuilder {
 public:
  /// Values longer than this are left out of min/max (the chunk then has none for strings).
  static constexpr size_t kMaxValueBytes = 4096;

  explicit StatisticsBuilder(const LeafColumn& leaf);

  /// Takes the values of `data` and its nulls (level entries below the maximum definition
  /// level that stand for a null or empty value at any depth).
  void Update(const LeafData& data);
  /// The Thrift form: min_value/max_value PLAIN-encoded (and the legacy min/max too for
  /// signed orders, as older readers want), null_count.
  Statistics Finish() const;
  void Reset();

 private:
  template <typename T>
  void UpdateNumbers(const LeafData& data);
  void UpdateBytes(BytesView v);

  PhysicalType type_;
  int32_t width_;
  bool unsigned_order_;
  bool signed_fixed_ = false;  // a DECIMAL in FIXED_LEN_BYTE_ARRAY: signed big-endian
  int64_t null_count_ = 0;
  bool has_min_max_ = false;
  bool too_long_ = false;
  std::string min_;
  std::string max_;
};

}  // namespace cqlbulk::formats::parquet
