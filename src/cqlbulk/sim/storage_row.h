// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "cqlbulk/core/bytes.h"

namespace cqlbulk::sim {

/// No write timestamp (a row without a primary key liveness marker).
inline constexpr int64_t kNoTimestamp = INT64_MIN;

/// \brief One cell of a row being rewritten: owned bytes plus write time and expiry.
struct CellImage {
  uint32_t column = 0;        ///< index in TableSchema::columns
  int64_t timestamp = 0;      ///< microseconds
  int32_t expiry = 0;         ///< seconds since the epoch when the cell dies; 0 = never
  Bytes value;                ///< serialized value (a non-frozen collection: the whole value)
};

/// \brief A row decoded for modification: primary key liveness and cells sorted by column.
struct RowImage {
  int64_t marker_timestamp = kNoTimestamp;  ///< INSERT's row marker
  int32_t marker_expiry = 0;
  std::vector<CellImage> cells;

  CellImage* Find(uint32_t column);
  /// Inserts or replaces the cell of `cell.column`.
  void Put(CellImage cell);
  void Erase(uint32_t column);
  /// Drops cells and the marker that expired at `now_seconds`.
  void Purge(int64_t now_seconds);
  bool empty() const noexcept { return marker_timestamp == kNoTimestamp && cells.empty(); }
};

/// \brief A stored row: one heap block holding a small header, the encoded clustering key and
/// the cells, each cell a varint column index, a flag byte, optional own timestamp / expiry, a
/// varint length and the serialized value. No allocation per cell.
///
/// Layout: [u32 size][i64 base_ts][u8 flags][i32 marker_expiry?][varint clen][clustering]
/// then cells [varint column][u8 flags][i64 ts?][i32 expiry?][varint len][bytes].
class RowBlob {
 public:
  RowBlob() = default;
  /// Encodes `row` with `clustering` (the encoded clustering key, see EncodeClustering).
  static RowBlob Encode(BytesView clustering, const RowImage& row);

  bool is_null() const noexcept { return data_ == nullptr; }
  size_t size_bytes() const noexcept;
  BytesView bytes() const noexcept { return {data_.get(), size_bytes()}; }
  /// The encoded clustering key.
  BytesView clustering() const noexcept;
  RowImage Decode() const;

  /// Rebuilds a blob from bytes() (Load); nullopt when they are not a blob.
  static std::optional<RowBlob> FromBytes(BytesView bytes);

 private:
  std::unique_ptr<uint8_t[]> data_;
};

/// \brief A cell as read from a blob: views into it.
struct CellRef {
  BytesView value;
  int64_t timestamp = 0;
  int32_t expiry = 0;
  bool present = false;
};

/// \brief Read access to a blob: marker and cells by column.
struct RowView {
  int64_t marker_timestamp = kNoTimestamp;
  int32_t marker_expiry = 0;
  BytesView clustering;

  /// Parses `blob`; fills `cells` (resized to `num_columns`, absent cells cleared) with the
  /// cells live at `now_seconds`. Returns whether the row has any live cell.
  bool Read(const RowBlob& blob, size_t num_columns, int64_t now_seconds,
            std::vector<CellRef>& cells);
  bool marker_live(int64_t now_seconds) const noexcept {
    return marker_timestamp != kNoTimestamp && (marker_expiry == 0 || now_seconds < marker_expiry);
  }
};

/// LEB128 varints for the blob and file formats.
void AppendVarint(Bytes& out, uint64_t v);
/// Reads a varint at `pos`, advancing it; nullopt past the end.
std::optional<uint64_t> ReadVarint(BytesView in, size_t& pos);

/// \brief Clustering key bytes: each component as varint length + bytes.
Bytes EncodeClustering(const std::vector<BytesView>& components);
/// Splits an encoded clustering key back into its components (views into `encoded`).
std::vector<BytesView> DecodeClustering(BytesView encoded);

}  // namespace cqlbulk::sim
