// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <optional>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/sim/model/schema.h"

namespace cqlbulk::sim {

/// No write timestamp (a row without a primary key liveness marker).
inline constexpr int64_t kNoTimestamp = INT64_MIN;

/// \brief One cell of a row being rewritten: owned bytes plus write time and expiry.
struct CellImage {
  uint32_t column = 0;    ///< index in TableSchema::columns
  int64_t timestamp = 0;  ///< microseconds
  /// Seconds since the epoch when the cell dies; 0 = never. Unsigned, as Cassandra 5.0 keeps
  /// it: expiries up to 2106 (a TTL of 20 years from now is past 2038).
  uint32_t expiry = 0;
  Bytes value;            ///< serialized value (a non-frozen collection: the whole value)
};

/// \brief A row decoded for modification: primary key liveness and cells sorted by column.
struct RowImage {
  int64_t marker_timestamp = kNoTimestamp;  ///< INSERT's row marker
  uint32_t marker_expiry = 0;  ///< as CellImage::expiry
  std::vector<CellImage> cells;

  CellImage* Find(uint32_t column);
  /// Inserts or replaces the cell of `cell.column`.
  void Put(CellImage cell);
  void Erase(uint32_t column);
  /// Drops cells and the marker that expired at `now_seconds`.
  void Purge(int64_t now_seconds);
  bool empty() const noexcept { return marker_timestamp == kNoTimestamp && cells.empty(); }
};

/// \brief The columns a stored row holds, in schema order: the regular columns for clustering
/// rows, the static columns for the static row. Slot i of a row holds `columns[i]`.
struct RowLayout {
  std::vector<uint32_t> columns;  ///< slot -> index in TableSchema::columns, ascending
  size_t num_table_columns = 0;

  /// The layout of the rows of `kind` (kRegular or kStatic) in `table`.
  static RowLayout Of(const TableSchema& table, ColumnKind kind);
  size_t num_slots() const noexcept { return columns.size(); }
};

/// \brief A stored row: an immutable encoded block that the table's arena owns; this is a
/// pointer to it (copying a RowBlob copies the pointer).
///
/// Layout, integers big-endian:
///
///     [u32 size][i64 base_ts][u8 flags]
///     [u32 marker_expiry]                 if kMarkerExpires
///     [varint meta_size][meta]            if kHasMeta
///     [varint clustering_size][clustering]
///     [cell]*                             one per RowLayout slot
///
/// The clustering key is its components as native protocol [bytes] ([i32 length][bytes]) and
/// each cell is a [bytes] too, -1 for an absent one: clustering and cells together are what a
/// Rows page carries for the row (§6 of the native protocol spec), so `SELECT *` copies them
/// in one piece. Cells take the row's base timestamp (the marker's, else the first cell's) and
/// never expire unless `meta` says otherwise: one [varint slot][u8 flags][i64 ts?][u32 expiry?]
/// entry per such cell, by slot.
class RowBlob {
 public:
  RowBlob() = default;
  explicit RowBlob(const uint8_t* data) noexcept : data_(data) {}

  /// Encodes `row` (cells of `layout`'s columns only) with `clustering` (an encoded clustering
  /// key, see EncodeClustering) into memory from `arena`.
  static RowBlob Encode(BytesView clustering, const RowImage& row, const RowLayout& layout,
                        std::pmr::memory_resource& arena);
  /// Whether `bytes` are exactly one well-formed blob of `layout` (files read back).
  static bool IsWellFormed(BytesView bytes, const RowLayout& layout);
  /// This blob copied into `arena`.
  RowBlob CopyTo(std::pmr::memory_resource& arena) const;

  bool is_null() const noexcept { return data_ == nullptr; }
  size_t size_bytes() const noexcept { return data_ == nullptr ? 0 : LoadBE32(data_); }
  BytesView bytes() const noexcept { return {data_, size_bytes()}; }
  /// The encoded clustering key.
  BytesView clustering() const noexcept;
  /// The clustering components followed by every cell, as a Rows page carries them.
  BytesView wire_row() const noexcept;
  /// Whether the marker or any cell has an expiry: only then can time make any of it dead.
  bool has_expiring() const noexcept;
  RowImage Decode(const RowLayout& layout) const;

  friend bool operator==(RowBlob a, RowBlob b) noexcept { return a.data_ == b.data_; }

 private:
  const uint8_t* data_ = nullptr;
};

/// \brief A cell as read from a blob: views into it.
struct CellRef {
  BytesView value;
  int64_t timestamp = 0;
  uint32_t expiry = 0;
  bool present = false;
};

/// \brief Read access to a blob: marker and cells by column.
struct RowView {
  int64_t marker_timestamp = kNoTimestamp;
  uint32_t marker_expiry = 0;
  BytesView clustering;

  /// Parses `blob` of `layout`; fills `cells` (resized to the table's columns, absent cells
  /// cleared) with the cells live at `now_seconds`. Returns whether the row has any live cell.
  bool Read(RowBlob blob, const RowLayout& layout, int64_t now_seconds,
            std::vector<CellRef>& cells);
  bool marker_live(int64_t now_seconds) const noexcept {
    return marker_timestamp != kNoTimestamp && (marker_expiry == 0 || now_seconds < marker_expiry);
  }
};

/// LEB128 varints for the blob format.
void AppendVarint(Bytes& out, uint64_t v);
/// Reads a varint at `pos`, advancing it; nullopt past the end.
std::optional<uint64_t> ReadVarint(BytesView in, size_t& pos);

/// \brief Clustering key bytes: each component as a native protocol [bytes] value.
Bytes EncodeClustering(const std::vector<BytesView>& components);
/// Splits an encoded clustering key back into its components (views into `encoded`).
std::vector<BytesView> DecodeClustering(BytesView encoded);

/// \brief Walks the components of an encoded clustering key without allocating.
class ClusteringReader {
 public:
  explicit ClusteringReader(BytesView encoded) noexcept : rest_(encoded) {}
  /// The next component; nullopt at the end or where the bytes are not a clustering key.
  std::optional<BytesView> Next() noexcept;

 private:
  BytesView rest_;
};

}  // namespace cqlbulk::sim
