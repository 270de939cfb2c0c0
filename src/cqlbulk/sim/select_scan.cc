// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/select_scan.h"

#include <cstring>

namespace cqlbulk::sim::internal {
namespace {

using Kind = OutputColumn::Kind;

bool SameKey(const PartitionKey& a, const PartitionKey& b) {
  return a.token == b.token && a.key == b.key;
}

class Scanner {
 public:
  explicit Scanner(const ScanSpec& spec)
      : spec_(spec),
        table_(*spec.table),
        plan_(*spec.plan),
        num_columns_(spec.table->columns.size()),
        values_(num_columns_),
        row_cells_(num_columns_),
        static_cells_(num_columns_),
        first_row_(spec.selection->columns.size()),
        counts_(spec.selection->columns.size(), 0) {
    if (spec.resume) total_ = spec.resume->rows_returned;
  }

  void Run(const TableStore& store) {
    if (plan_.is_empty) return;
    const TableStore::PartitionMap& map = store.partitions();
    const PagingPosition* resume = spec_.resume ? &*spec_.resume : nullptr;
    PartitionKeyLess less;
    if (plan_.by_keys) {
      for (const PartitionKey& key : plan_.keys) {
        if (resume != nullptr && less(key, resume->partition)) continue;
        bool same = resume != nullptr && SameKey(key, resume->partition);
        if (same && resume->partition_done) continue;
        auto it = map.find(key);
        if (it == map.end()) continue;
        if (!VisitPartition(store, it->first, it->second, same ? resume : nullptr)) return;
      }
      return;
    }
    auto it = map.begin();
    if (resume != nullptr) {
      it = map.lower_bound(resume->partition);
      if (it != map.end() && SameKey(it->first, resume->partition) && resume->partition_done) ++it;
    } else if (plan_.has_low && !(plan_.low.is_minimum())) {
      it = map.lower_bound(TokenPosition{plan_.low.value(), !plan_.low_inclusive});
    }
    bool bounded = plan_.has_high && !plan_.high.is_minimum();
    for (; it != map.end(); ++it) {
      if (bounded) {
        int64_t t = it->first.token;
        if (t > plan_.high.value() || (t == plan_.high.value() && !plan_.high_inclusive)) break;
      }
      bool same = resume != nullptr && SameKey(it->first, resume->partition);
      if (!VisitPartition(store, it->first, it->second, same ? resume : nullptr)) return;
    }
  }

  ScanPage Finish() {
    if (spec_.selection->is_aggregate) {
      const auto& columns = spec_.selection->columns;
      for (size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].kind == Kind::kCountRows || columns[i].kind == Kind::kCountColumn) {
          uint8_t b[8];
          StoreBE64(b, static_cast<uint64_t>(columns[i].kind == Kind::kCountRows ? count_rows_ : counts_[i]));
          WriteCell(BytesView(b, 8));
        } else if (first_row_[i]) {
          WriteCell(*first_row_[i]);
        } else {
          WriteNull();
        }
      }
      page_.num_rows = 1;
    }
    page_.content = std::move(content_).Take();
    return std::move(page_);
  }

 private:
  void WriteCell(BytesView v) {
    // One append per cell: length and value together.
    uint8_t* out = content_.Grow(4 + v.size());
    StoreBE32(out, static_cast<uint32_t>(v.size()));
    if (!v.empty()) std::memcpy(out + 4, v.data(), v.size());
  }
  void WriteNull() { content_.WriteI32(-1); }

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

  bool VisitPartition(const TableStore& store, const PartitionKey& key, const Partition& partition,
                      const PagingPosition* resume) {
    if (table_.num_partition_key == 1) {
      values_[0] = AsBytes(key.key);  // the routing key is the value: no split, no allocation
    } else {
      std::vector<BytesView> pk = SplitPartitionKey(key, table_.num_partition_key);
      for (size_t i = 0; i < pk.size(); ++i) values_[i] = pk[i];
    }
    ClearRowValues();
    if (!PredicatesHold(plan_.partition_predicates)) return true;
    bool static_live = false;
    if (!partition.static_row.is_null()) {
      RowView view;
      static_live = view.Read(partition.static_row, num_columns_, spec_.now_seconds, static_cells_);
    } else {
      static_cells_.assign(num_columns_, CellRef{});
    }
    SetCells(static_cells_, ColumnKind::kStatic);
    partition_rows_ = resume != nullptr ? resume->partition_rows : 0;
    if (spec_.is_distinct) {
      bool live = static_live;
      RowView view;
      for (size_t i = 0; !live && i < partition.rows.size(); ++i) {
        live = view.Read(partition.rows[i], num_columns_, spec_.now_seconds, row_cells_) ||
               view.marker_live(spec_.now_seconds);
      }
      ClearRowValues();
      if (!live || !PredicatesHold(plan_.row_predicates)) return true;
      return Emit(key, true, {});
    }
    const size_t n = partition.rows.size();
    bool any_live = false;
    if (spec_.per_partition_limit <= partition_rows_) return true;
    size_t start = 0;
    if (resume != nullptr && !resume->partition_done) {
      start = store.LowerBound(partition, resume->clustering);
      bool equal = start < n && store.CompareClustering(partition.rows[start].clustering(), resume->clustering) == 0;
      if (!spec_.is_reversed && equal) ++start;
    } else if (spec_.is_reversed) {
      start = n;
    }
    auto visit = [&](size_t i) -> int {  // 0 continue, 1 stop partition, 2 stop scan
      RowView view;
      bool cells_live = view.Read(partition.rows[i], num_columns_, spec_.now_seconds, row_cells_);
      if (!cells_live && !view.marker_live(spec_.now_seconds)) return 0;
      any_live = true;
      std::vector<BytesView> clustering = DecodeClustering(view.clustering);
      for (size_t c = 0; c < table_.num_clustering; ++c) {
        values_[table_.num_partition_key + c] =
            c < clustering.size() ? std::optional<BytesView>(clustering[c]) : std::nullopt;
      }
      SetCells(row_cells_, ColumnKind::kRegular);
      if (!PredicatesHold(plan_.clustering_predicates) || !PredicatesHold(plan_.row_predicates)) return 0;
      if (!Emit(key, false, view.clustering)) return 2;
      return partition_rows_ >= spec_.per_partition_limit ? 1 : 0;
    };
    if (spec_.is_reversed) {
      for (size_t i = start; i-- > 0;) {
        int r = visit(i);
        if (r == 2) return false;
        if (r == 1) break;
      }
    } else {
      for (size_t i = start; i < n; ++i) {
        int r = visit(i);
        if (r == 2) return false;
        if (r == 1) break;
      }
    }
    if (!any_live && resume == nullptr && static_live && plan_.clustering_predicates.empty()) {
      // A partition with only static values reads as one row with null clustering and
      // regular columns.
      ClearRowValues();
      row_cells_.assign(num_columns_, CellRef{});
      if (!PredicatesHold(plan_.row_predicates)) return true;
      return Emit(key, true, {});
    }
    return true;
  }

  const CellRef& CellOf(int column) const {
    size_t c = static_cast<size_t>(column);
    return table_.columns[c].kind == ColumnKind::kStatic ? static_cells_[c] : row_cells_[c];
  }

  /// Adds the current row; false when the page or the LIMIT is full.
  bool Emit(const PartitionKey& key, bool partition_done, BytesView clustering) {
    const auto& columns = spec_.selection->columns;
    ++partition_rows_;
    if (spec_.selection->is_aggregate) {
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
        if (columns[i].kind == Kind::kCountColumn && values_[static_cast<size_t>(columns[i].column)]) {
          ++counts_[i];
        }
      }
      return true;
    }
    for (const OutputColumn& out : columns) {
      switch (out.kind) {
        case Kind::kColumn: {
          const auto& v = values_[static_cast<size_t>(out.column)];
          if (v) {
            WriteCell(*v);
          } else {
            WriteNull();
          }
          break;
        }
        case Kind::kWritetime: {
          const CellRef& cell = CellOf(out.column);
          if (!cell.present) {
            WriteNull();
            break;
          }
          uint8_t b[8];
          StoreBE64(b, static_cast<uint64_t>(cell.timestamp));
          WriteCell(BytesView(b, 8));
          break;
        }
        case Kind::kTtl: {
          const CellRef& cell = CellOf(out.column);
          if (!cell.present || cell.expiry == 0) {
            WriteNull();
            break;
          }
          uint8_t b[4];
          StoreBE32(b, static_cast<uint32_t>(cell.expiry - spec_.now_seconds));
          WriteCell(BytesView(b, 4));
          break;
        }
        case Kind::kToken: {
          uint8_t b[8];
          StoreBE64(b, static_cast<uint64_t>(key.token));
          WriteCell(BytesView(b, 8));
          break;
        }
        default:
          WriteNull();
          break;
      }
    }
    ++page_.num_rows;
    ++total_;
    if (total_ >= spec_.limit) return false;
    if (spec_.page_size > 0 && page_.num_rows >= spec_.page_size) {
      page_.next = PagingPosition{.partition = key,
                                  .partition_done = partition_done,
                                  .clustering = Bytes(clustering.begin(), clustering.end()),
                                  .rows_returned = total_,
                                  .partition_rows = partition_rows_};
      return false;
    }
    return true;
  }

  const ScanSpec& spec_;
  const TableSchema& table_;
  const ReadPlan& plan_;
  size_t num_columns_;
  std::vector<std::optional<BytesView>> values_;
  std::vector<CellRef> row_cells_;
  std::vector<CellRef> static_cells_;
  ByteWriter content_;
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
  Scanner scanner(spec);
  scanner.Run(store);
  return scanner.Finish();
}

}  // namespace cqlbulk::sim::internal
