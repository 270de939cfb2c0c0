// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/engine/select_scan.h"

#include <algorithm>
#include <cstring>

namespace cqlbulk::sim::internal {
namespace {

using Kind = OutputColumn::Kind;

/// A page buffer is reserved for this many rows like the first, up to this many bytes.
constexpr size_t kMaxPageReserveBytes = size_t{16} << 20;

bool SameKey(const PartitionView& a, const PartitionKey& b) {
  return a.token == b.token && a.key == b.key;
}

bool HasStaticColumns(const TableSchema& table) {
  return std::any_of(table.columns.begin(), table.columns.end(),
                     [](const ColumnSchema& c) { return c.kind == ColumnKind::kStatic; });
}

/// Whether every stored row of the scan is a result row as it is: no filtering, no DISTINCT,
/// and no static row to merge in.
bool RowsNeedNoFiltering(const ScanSpec& spec) {
  const ReadPlan& plan = *spec.plan;
  return !spec.is_distinct && plan.partition_predicates.empty() &&
         plan.clustering_predicates.empty() && plan.row_predicates.empty() &&
         !HasStaticColumns(*spec.table);
}

/// How rows without expiring data are read: parsed cell by cell, copied in their wire form
/// (`SELECT *`: key cells, then the row's clustering and cells as stored), or only counted
/// (`count(*)`).
enum class FastPath : uint8_t { kNone, kWireRows, kCountRows };

FastPath ChooseFastPath(const ScanSpec& spec) {
  if (!RowsNeedNoFiltering(spec)) return FastPath::kNone;
  const std::vector<OutputColumn>& columns = spec.selection->columns;
  if (spec.selection->is_aggregate) {
    bool count_only = std::all_of(columns.begin(), columns.end(),
                                  [](const OutputColumn& c) { return c.kind == Kind::kCountRows; });
    return count_only ? FastPath::kCountRows : FastPath::kNone;
  }
  if (columns.size() != spec.table->columns.size()) return FastPath::kNone;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].kind != Kind::kColumn || columns[i].column != static_cast<int>(i)) {
      return FastPath::kNone;
    }
  }
  return FastPath::kWireRows;
}

class Scanner {
 public:
  Scanner(const TableStore& store, const ScanSpec& spec)
      : store_(store),
        spec_(spec),
        table_(*spec.table),
        plan_(*spec.plan),
        fast_path_(ChooseFastPath(spec)),
        has_static_columns_(HasStaticColumns(*spec.table)),
        num_columns_(spec.table->columns.size()),
        values_(num_columns_),
        row_cells_(num_columns_),
        static_cells_(num_columns_),
        first_row_(spec.selection->columns.size()),
        counts_(spec.selection->columns.size(), 0) {
    if (spec.resume) total_ = spec.resume->rows_returned;
  }

  void Run() {
    if (plan_.is_empty) return;
    if (plan_.by_keys) {
      RunByKeys();
    } else {
      RunRange();
    }
  }

  ScanPage Finish() {
    if (spec_.selection->is_aggregate) {
      const auto& columns = spec_.selection->columns;
      for (size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].kind == Kind::kCountRows || columns[i].kind == Kind::kCountColumn) {
          WriteBigint(columns[i].kind == Kind::kCountRows ? count_rows_ : counts_[i]);
        } else if (first_row_[i]) {
          WriteCell(*first_row_[i]);
        } else {
          WriteNull();
        }
      }
      page_.num_rows = 1;
    }
    page_.content = std::move(content_);
    return std::move(page_);
  }

 private:
  enum class Step : uint8_t { kContinue, kEndPartition, kEndScan };

  const PagingPosition* resume() const { return spec_.resume ? &*spec_.resume : nullptr; }

  void RunByKeys() {
    const PagingPosition* resume = this->resume();
    const std::vector<PartitionKey>& keys = plan_.keys;
    size_t first = 0;
    if (resume != nullptr) {
      // The keys are not in ring order (ReadPlan::keys): resume at the page's last one.
      auto it = std::find_if(keys.begin(), keys.end(), [&](const PartitionKey& key) {
        return key.token == resume->partition.token && key.key == resume->partition.key;
      });
      if (it == keys.end()) return;
      first = static_cast<size_t>(it - keys.begin()) + (resume->partition_done ? 1 : 0);
    }
    for (size_t i = first; i < keys.size(); ++i) {
      std::optional<PartitionView> partition = store_.Find(keys[i]);
      if (!partition) continue;
      bool same = resume != nullptr && !resume->partition_done && i == first;
      if (!VisitPartition(*partition, same ? resume : nullptr)) return;
    }
  }

  PartitionCursor StartCursor() const {
    const PagingPosition* resume = this->resume();
    if (resume != nullptr) {
      PartitionCursor cursor = store_.Seek(resume->partition);
      if (!cursor.done() && SameKey(cursor.partition(), resume->partition) &&
          resume->partition_done) {
        cursor.Next();
      }
      return cursor;
    }
    if (plan_.has_low && !plan_.low.is_minimum()) {
      return store_.Seek(TokenPosition{plan_.low.value(), !plan_.low_inclusive});
    }
    return store_.Begin();
  }

  void RunRange() {
    const PagingPosition* resume = this->resume();
    bool bounded = plan_.has_high && !plan_.high.is_minimum();
    for (PartitionCursor cursor = StartCursor(); !cursor.done(); cursor.Next()) {
      const PartitionView& partition = cursor.partition();
      if (bounded) {
        int64_t t = partition.token;
        if (t > plan_.high.value() || (t == plan_.high.value() && !plan_.high_inclusive)) break;
      }
      bool same = resume != nullptr && SameKey(partition, resume->partition);
      if (!VisitPartition(partition, same ? resume : nullptr)) return;
    }
  }

  // --- page bytes ----------------------------------------------------------------------------

  void Append(BytesView bytes) { content_.insert(content_.end(), bytes.begin(), bytes.end()); }
  void WriteCell(BytesView v) {
    uint8_t length[4];
    StoreBE32(length, static_cast<uint32_t>(v.size()));
    Append(length);
    Append(v);
  }
  void WriteNull() {
    static constexpr uint8_t kNull[4] = {0xFF, 0xFF, 0xFF, 0xFF};
    Append(kNull);
  }
  void WriteBigint(int64_t v) {
    uint8_t b[8];
    StoreBE64(b, static_cast<uint64_t>(v));
    WriteCell(BytesView(b, 8));
  }

  /// Once the first row is written, room for a whole page of rows like it: one allocation.
  void ReservePage() {
    if (spec_.page_size <= 1 || content_.capacity() > content_.size() * 2) return;
    size_t rows = static_cast<size_t>(spec_.page_size);
    size_t bytes =
        std::min(kMaxPageReserveBytes, content_.size() * rows + content_.size() * rows / 8);
    content_.reserve(bytes);
  }

  // --- partitions ----------------------------------------------------------------------------

  /// The partition key columns' values (and, for the wire fast path, their cells).
  void SetPartitionKey(const PartitionView& partition) {
    PartitionKeyReader reader(partition.key, table_.num_partition_key);
    if (fast_path_ == FastPath::kWireRows) key_cells_.clear();
    for (size_t i = 0; i < table_.num_partition_key; ++i) {
      BytesView component = reader.Next();
      values_[i] = component;
      if (fast_path_ != FastPath::kWireRows) continue;
      uint8_t length[4];
      StoreBE32(length, static_cast<uint32_t>(component.size()));
      key_cells_.insert(key_cells_.end(), length, length + 4);
      key_cells_.insert(key_cells_.end(), component.begin(), component.end());
    }
  }

  bool PredicatesHold(const std::vector<Predicate>& predicates) const {
    for (const Predicate& p : predicates) {
      if (!Matches(p, table_, values_)) return false;
    }
    return true;
  }

  void SetCells(const std::vector<CellRef>& cells, ColumnKind kind) {
    for (size_t c = table_.num_partition_key + table_.num_clustering; c < num_columns_; ++c) {
      if (table_.columns[c].kind != kind) continue;
      values_[c] = cells[c].present ? std::optional<BytesView>(cells[c].value) : std::nullopt;
    }
  }

  void ClearRowValues() {
    for (size_t c = table_.num_partition_key; c < num_columns_; ++c) {
      if (table_.columns[c].kind != ColumnKind::kStatic) values_[c].reset();
    }
  }

  /// Reads the static row into static_cells_ and the values; whether it has a live cell.
  bool ReadStaticRow(const PartitionView& partition) {
    bool live = false;
    if (!partition.static_row.is_null()) {
      RowView view;
      live = view.Read(partition.static_row, store_.layout(true), spec_.now_seconds, static_cells_);
    } else {
      static_cells_.assign(num_columns_, CellRef{});
    }
    SetCells(static_cells_, ColumnKind::kStatic);
    return live;
  }

  bool VisitPartition(const PartitionView& partition, const PagingPosition* resume) {
    SetPartitionKey(partition);
    if (fast_path_ == FastPath::kNone) {
      // With a fast path there is nothing to filter on and no static row, and a row read cell
      // by cell sets every clustering and regular value itself.
      ClearRowValues();
      if (!PredicatesHold(plan_.partition_predicates)) return true;
    }
    bool static_live = has_static_columns_ && ReadStaticRow(partition);
    partition_rows_ = resume != nullptr ? resume->partition_rows : 0;
    if (spec_.is_distinct) return VisitDistinct(partition, static_live);
    if (spec_.per_partition_limit <= partition_rows_) return true;
    const size_t n = partition.rows.size();
    size_t start = 0;
    if (resume != nullptr && !resume->partition_done) {
      start = store_.LowerBound(partition.rows, resume->clustering);
      bool equal = start < n && store_.CompareClustering(partition.rows[start].clustering(),
                                                         resume->clustering) == 0;
      if (!spec_.is_reversed && equal) ++start;
    } else if (spec_.is_reversed) {
      start = n;
    }
    bool any_live = false;
    if (spec_.is_reversed) {
      for (size_t i = start; i-- > 0;) {
        Step step = VisitRow(partition, partition.rows[i], any_live);
        if (step == Step::kEndScan) return false;
        if (step == Step::kEndPartition) break;
      }
    } else {
      for (size_t i = start; i < n; ++i) {
        Step step = VisitRow(partition, partition.rows[i], any_live);
        if (step == Step::kEndScan) return false;
        if (step == Step::kEndPartition) break;
      }
    }
    if (!any_live && resume == nullptr && static_live && plan_.clustering_predicates.empty()) {
      // A partition with only static values reads as one row with null clustering and
      // regular columns.
      ClearRowValues();
      row_cells_.assign(num_columns_, CellRef{});
      if (!PredicatesHold(plan_.row_predicates)) return true;
      return Emit(partition, true, {});
    }
    return true;
  }

  bool VisitDistinct(const PartitionView& partition, bool static_live) {
    bool live = static_live;
    RowView view;
    for (size_t i = 0; !live && i < partition.rows.size(); ++i) {
      live = view.Read(partition.rows[i], store_.layout(false), spec_.now_seconds, row_cells_) ||
             view.marker_live(spec_.now_seconds);
    }
    ClearRowValues();
    if (!live || !PredicatesHold(plan_.row_predicates)) return true;
    return Emit(partition, true, {});
  }

  Step StepAfterRow(bool more) const {
    if (!more) return Step::kEndScan;
    return partition_rows_ >= spec_.per_partition_limit ? Step::kEndPartition : Step::kContinue;
  }

  Step VisitRow(const PartitionView& partition, RowBlob row, bool& any_live) {
    if (fast_path_ != FastPath::kNone && !row.has_expiring()) {
      // Nothing in the row can have expired, and a stored row is never empty: it is live.
      any_live = true;
      return StepAfterRow(fast_path_ == FastPath::kCountRows ? CountRow()
                                                             : EmitWireRow(partition, row));
    }
    RowView view;
    bool cells_live = view.Read(row, store_.layout(false), spec_.now_seconds, row_cells_);
    if (!cells_live && !view.marker_live(spec_.now_seconds)) return Step::kContinue;
    any_live = true;
    ClusteringReader clustering(view.clustering);
    for (size_t c = 0; c < table_.num_clustering; ++c) {
      values_[table_.num_partition_key + c] = clustering.Next();
    }
    SetCells(row_cells_, ColumnKind::kRegular);
    if (!PredicatesHold(plan_.clustering_predicates) || !PredicatesHold(plan_.row_predicates)) {
      return Step::kContinue;
    }
    return StepAfterRow(Emit(partition, false, view.clustering));
  }

  // --- rows ----------------------------------------------------------------------------------

  bool CountRow() {
    ++partition_rows_;
    ++count_rows_;
    return true;
  }

  /// `SELECT *` of a row without expiring data: the key cells, then the row as stored.
  bool EmitWireRow(const PartitionView& partition, RowBlob row) {
    ++partition_rows_;
    Append(key_cells_);
    Append(row.wire_row());
    return RowDone(partition, false, row.clustering());
  }

  const CellRef& CellOf(int column) const {
    size_t c = static_cast<size_t>(column);
    return table_.columns[c].kind == ColumnKind::kStatic ? static_cells_[c] : row_cells_[c];
  }

  /// Adds the current row to the aggregates.
  void Aggregate() {
    const auto& columns = spec_.selection->columns;
    if (count_rows_ == 0) {
      for (size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].kind == Kind::kColumn && values_[static_cast<size_t>(columns[i].column)]) {
          BytesView v = *values_[static_cast<size_t>(columns[i].column)];
          first_storage_.emplace_back(v.begin(), v.end());
        }
      }
      size_t k = 0;
      for (size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].kind == Kind::kColumn && values_[static_cast<size_t>(columns[i].column)]) {
          first_row_[i] = BytesView(first_storage_[k++]);
        }
      }
    }
    ++count_rows_;
    for (size_t i = 0; i < columns.size(); ++i) {
      if (columns[i].kind == Kind::kCountColumn &&
          values_[static_cast<size_t>(columns[i].column)]) {
        ++counts_[i];
      }
    }
  }

  void WriteOutputColumn(const PartitionView& partition, const OutputColumn& out) {
    switch (out.kind) {
      case Kind::kColumn: {
        const auto& v = values_[static_cast<size_t>(out.column)];
        if (v) {
          WriteCell(*v);
        } else {
          WriteNull();
        }
        return;
      }
      case Kind::kWritetime: {
        const CellRef& cell = CellOf(out.column);
        if (!cell.present) return WriteNull();
        return WriteBigint(cell.timestamp);
      }
      case Kind::kTtl: {
        const CellRef& cell = CellOf(out.column);
        if (!cell.present || cell.expiry == 0) return WriteNull();
        uint8_t b[4];
        StoreBE32(b, static_cast<uint32_t>(cell.expiry - spec_.now_seconds));
        return WriteCell(BytesView(b, 4));
      }
      case Kind::kToken:
        return WriteBigint(partition.token);
      default:
        return WriteNull();
    }
  }

  /// Adds the current row; false when the page or the LIMIT is full.
  bool Emit(const PartitionView& partition, bool partition_done, BytesView clustering) {
    ++partition_rows_;
    if (spec_.selection->is_aggregate) {
      Aggregate();
      return true;
    }
    for (const OutputColumn& out : spec_.selection->columns) WriteOutputColumn(partition, out);
    return RowDone(partition, partition_done, clustering);
  }

  /// Counts a row written to the page; false when the page or the LIMIT is full.
  bool RowDone(const PartitionView& partition, bool partition_done, BytesView clustering) {
    ++page_.num_rows;
    ++total_;
    if (page_.num_rows == 1) ReservePage();
    if (total_ >= spec_.limit) return false;
    if (spec_.page_size > 0 && page_.num_rows >= spec_.page_size) {
      page_.next = PagingPosition{.partition = partition.OwnedKey(),
                                  .partition_done = partition_done,
                                  .clustering = Bytes(clustering.begin(), clustering.end()),
                                  .rows_returned = total_,
                                  .partition_rows = partition_rows_};
      return false;
    }
    return true;
  }

  const TableStore& store_;
  const ScanSpec& spec_;
  const TableSchema& table_;
  const ReadPlan& plan_;
  const FastPath fast_path_;
  const bool has_static_columns_;
  size_t num_columns_;
  std::vector<std::optional<BytesView>> values_;
  std::vector<CellRef> row_cells_;
  std::vector<CellRef> static_cells_;
  Bytes key_cells_;  ///< the partition key columns as [bytes] cells (wire fast path)
  Bytes content_;
  ScanPage page_;
  int64_t total_ = 0;
  int64_t partition_rows_ = 0;
  int64_t count_rows_ = 0;
  std::vector<std::optional<BytesView>> first_row_;
  std::vector<Bytes> first_storage_;
  std::vector<int64_t> counts_;
};

}  // namespace

ScanPage ScanTable(const TableStore& store, const ScanSpec& spec) {
  Scanner scanner(store, spec);
  scanner.Run();
  return scanner.Finish();
}

}  // namespace cqlbulk::sim::internal
