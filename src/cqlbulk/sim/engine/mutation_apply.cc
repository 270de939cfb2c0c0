// SPDX-License-Identifier: Apache-2.0
// Applying mutations to a table's storage; reading the row an LWT checks.
#include <algorithm>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/types/value_codec.h"
#include "cqlbulk/sim/engine/engine_internal.h"
#include "cqlbulk/sim/engine/mutation.h"
#include "cqlbulk/sim/storage/value_order.h"

namespace cqlbulk::sim::internal {
namespace {

using cql::DataType;
using cql::TypeId;
using cql::Value;
using Kind = CellOp::Kind;

bool IsMultiCell(const DataType& type) {
  return (type.is_collection() || type.id == TypeId::kUdt) && !type.frozen;
}

Value EmptyOf(const DataType& type) {
  switch (type.id) {
    case TypeId::kList:
      return Value::List({});
    case TypeId::kSet:
      return Value::Set({});
    case TypeId::kMap:
      return Value::Map({});
    default:
      return Value::Udt(Value::Elements(type.params.size()));
  }
}

bool IsEmptyValue(const Value& v) {
  switch (v.kind()) {
    case cql::ValueKind::kList:
    case cql::ValueKind::kSet:
      return v.elements().empty();
    case cql::ValueKind::kMap:
      return v.entries().empty();
    case cql::ValueKind::kUdt:
      return std::all_of(v.elements().begin(), v.elements().end(),
                         [](const Value& e) { return e.is_null(); });
    default:
      return false;
  }
}

int32_t IndexOf(const Bytes& key) {
  return key.size() == 4 ? static_cast<int32_t>(LoadBE32(key.data())) : -1;
}

Error OutOfBound(int32_t index, size_t size) {
  return InvalidRequest("List index " + std::to_string(index) + " out of bound, list has size " +
                        std::to_string(size));
}

/// Applies a collection / UDT operation to `current`.
Status ApplyMultiCell(const DataType& type, const CellOp& op, Value& current) {
  Value operand;
  if (op.value.is_value()) {
    const DataType* operand_type = &type;
    cql::DataTypePtr owned;
    if (op.kind == Kind::kSetElement) {
      operand_type = type.params.back().get();
    } else if (op.kind == Kind::kSubtract && type.id == TypeId::kMap) {
      owned = DataType::Set(type.params[0]);
      operand_type = owned.get();
    } else if (op.kind == Kind::kSetField) {
      auto it = std::find(type.field_names.begin(), type.field_names.end(), op.field);
      operand_type = type.params[static_cast<size_t>(it - type.field_names.begin())].get();
    }
    auto decoded = cql::DecodeValue(*operand_type, op.value.bytes);
    if (!decoded.has_value()) return InvalidRequest(decoded.error().message());
    operand = std::move(*decoded);
  }
  auto same = [](const Value& a, const Value& b) { return cql::CompareValues(a, b) == 0; };
  switch (op.kind) {
    case Kind::kAdd:
      if (operand.is_null() || operand.is_empty()) return OkStatus();
      if (type.id == TypeId::kMap) {
        for (auto& e : operand.entries()) current.mutable_entries().push_back(e);
      } else {
        for (auto& e : operand.elements()) current.mutable_elements().push_back(e);
      }
      return OkStatus();
    case Kind::kPrepend: {
      if (operand.is_null() || operand.is_empty()) return OkStatus();
      Value::Elements elements = operand.elements();
      for (auto& e : current.elements()) elements.push_back(e);
      current.mutable_elements() = std::move(elements);
      return OkStatus();
    }
    case Kind::kSubtract:
      if (operand.is_null() || operand.is_empty()) return OkStatus();
      if (type.id == TypeId::kMap) {
        std::erase_if(current.mutable_entries(), [&](const Value::Entry& e) {
          return std::any_of(operand.elements().begin(), operand.elements().end(),
                             [&](const Value& k) { return same(k, e.first); });
        });
      } else {
        std::erase_if(current.mutable_elements(), [&](const Value& e) {
          return std::any_of(operand.elements().begin(), operand.elements().end(),
                             [&](const Value& k) { return same(k, e); });
        });
      }
      return OkStatus();
    case Kind::kSetElement:
    case Kind::kDeleteElement: {
      bool remove = op.kind == Kind::kDeleteElement || operand.is_null();
      if (type.id == TypeId::kMap) {
        auto key = cql::DecodeValue(*type.params[0], op.key);
        if (!key.has_value()) return InvalidRequest(key.error().message());
        auto& entries = current.mutable_entries();
        std::erase_if(entries, [&](const Value::Entry& e) { return same(e.first, *key); });
        if (!remove) entries.emplace_back(std::move(*key), std::move(operand));
        return OkStatus();
      }
      int32_t index = IndexOf(op.key);
      auto& elements = current.mutable_elements();
      if (index < 0 || static_cast<size_t>(index) >= elements.size()) {
        return OutOfBound(index, elements.size());
      }
      if (remove) {
        elements.erase(elements.begin() + index);
      } else {
        elements[static_cast<size_t>(index)] = std::move(operand);
      }
      return OkStatus();
    }
    case Kind::kSetField:
    case Kind::kDeleteField: {
      auto it = std::find(type.field_names.begin(), type.field_names.end(), op.field);
      if (it == type.field_names.end()) return InvalidRequest("Unknown field " + op.field);
      auto& fields = current.mutable_elements();
      fields.resize(type.params.size());
      fields[static_cast<size_t>(it - type.field_names.begin())] =
          op.kind == Kind::kSetField ? std::move(operand) : Value::Null();
      return OkStatus();
    }
    default:
      return OkStatus();
  }
}

Status ApplyOp(const TableSchema& table, const Mutation& m, const CellOp& op, uint32_t expiry,
               RowImage& row) {
  const DataType& type = *table.columns[op.column].type;
  CellImage* cur = row.Find(op.column);
  const int64_t ts = m.timestamp;
  auto put = [&](Bytes bytes, int64_t timestamp) {
    row.Put(CellImage{.column = op.column, .timestamp = timestamp, .expiry = expiry, .value = std::move(bytes)});
  };
  if (op.kind == Kind::kDelete || (op.kind == Kind::kSet && op.value.is_null())) {
    if (cur == nullptr || cur->timestamp <= ts) row.Erase(op.column);
    return OkStatus();
  }
  if (type.id == TypeId::kCounter) {
    int64_t old = cur != nullptr && cur->value.size() == 8 ? static_cast<int64_t>(LoadBE64(cur->value.data())) : 0;
    int64_t delta = op.value.bytes.size() == 8 ? static_cast<int64_t>(LoadBE64(op.value.bytes.data())) : 0;
    uint64_t next = static_cast<uint64_t>(old) + (op.kind == Kind::kSubtract ? ~static_cast<uint64_t>(delta) + 1
                                                                             : static_cast<uint64_t>(delta));
    Bytes bytes(8);
    StoreBE64(bytes.data(), next);
    row.Put(CellImage{.column = op.column,
                      .timestamp = std::max(ts, cur != nullptr ? cur->timestamp : ts),
                      .expiry = 0,
                      .value = std::move(bytes)});
    return OkStatus();
  }
  if (op.kind == Kind::kSet && !IsMultiCell(type)) {
    if (cur == nullptr || cur->timestamp < ts ||
        (cur->timestamp == ts && CompareBytes(op.value.bytes, cur->value) > 0)) {
      put(op.value.bytes, ts);
    }
    return OkStatus();
  }
  // Non-frozen collection or UDT: read, modify, write back the whole value.
  Value current = EmptyOf(type);
  if (op.kind != Kind::kSet && cur != nullptr) {
    auto decoded = cql::DecodeValue(type, cur->value);
    if (decoded.has_value() && !decoded->is_null() && !decoded->is_empty()) current = std::move(*decoded);
  }
  if (op.kind == Kind::kSet) {
    if (cur != nullptr && cur->timestamp > ts) return OkStatus();
    auto decoded = cql::DecodeValue(type, op.value.bytes);
    if (!decoded.has_value()) return InvalidRequest(decoded.error().message());
    current = std::move(*decoded);
  } else {
    CQLBULK_RETURN_IF_ERROR(ApplyMultiCell(type, op, current));
  }
  // Sort what the operation added; values reach here already normalised as Cassandra stores
  // them (literals, and bound values with their tuples and UDTs as sent), so tuples and UDTs
  // in the collection are left alone.
  cql::NormalizeCollections(current, cql::TupleFields::kAsGiven);
  if (IsEmptyValue(current)) {
    row.Erase(op.column);
    return OkStatus();
  }
  auto bytes = cql::EncodeValueToBytes(type, current);
  if (!bytes.has_value()) return InvalidRequest(bytes.error().message());
  put(std::move(*bytes), std::max(ts, cur != nullptr ? cur->timestamp : ts));
  return OkStatus();
}

std::optional<Bytes> Element(const DataType& type, const std::optional<Bytes>& cell,
                             const Condition& c) {
  if (!cell) return std::nullopt;
  auto value = cql::DecodeValue(type, *cell);
  if (!value.has_value() || value->is_null() || value->is_empty()) return std::nullopt;
  const Value* found = nullptr;
  const DataType* found_type = nullptr;
  if (c.element) {
    if (type.id == TypeId::kMap) {
      auto key = cql::DecodeValue(*type.params[0], *c.element);
      if (!key.has_value()) return std::nullopt;
      for (const auto& [k, v] : value->entries()) {
        if (cql::CompareValues(k, *key) == 0) found = &v;
      }
    } else {
      int32_t index = IndexOf(*c.element);
      if (index >= 0 && static_cast<size_t>(index) < value->elements().size()) {
        found = &value->elements()[static_cast<size_t>(index)];
      }
    }
    found_type = type.params.back().get();
  } else {
    auto it = std::find(type.field_names.begin(), type.field_names.end(), c.field);
    size_t i = static_cast<size_t>(it - type.field_names.begin());
    if (i < value->elements().size()) found = &value->elements()[i];
    found_type = i < type.params.size() ? type.params[i].get() : nullptr;
  }
  if (found == nullptr || found->is_null() || found_type == nullptr) return std::nullopt;
  auto bytes = cql::EncodeValueToBytes(*found_type, *found);
  if (!bytes.has_value()) return std::nullopt;
  return std::move(*bytes);
}

}  // namespace

Status ApplyMutation(TableStore& store, const Mutation& m, int64_t now_seconds) {
  const TableSchema& table = *m.table;
  uint32_t expiry = m.ttl > 0 ? static_cast<uint32_t>(now_seconds + m.ttl) : 0;
  switch (m.scope) {
    case Mutation::Scope::kPartition:
      store.DeleteRows(m.key, [](BytesView) { return true; }, true, now_seconds);
      return OkStatus();
    case Mutation::Scope::kRange: {
      std::vector<std::optional<BytesView>> values(table.columns.size());
      store.DeleteRows(
          m.key,
          [&](BytesView clustering) {
            ClusteringReader components(clustering);
            for (size_t c = 0; c < table.num_clustering; ++c) {
              values[table.num_partition_key + c] = components.Next();
            }
            return std::all_of(m.range.begin(), m.range.end(),
                               [&](const Predicate& p) { return Matches(p, table, values); });
          },
          false, now_seconds);
      return OkStatus();
    }
    default:
      break;
  }
  Status status;
  auto apply = [&](bool is_static) {
    return [&, is_static](RowImage& row) {
      row.Purge(now_seconds);
      if (!is_static && m.delete_row) {
        if (row.marker_timestamp <= m.timestamp) {
          row.marker_timestamp = kNoTimestamp;
          row.marker_expiry = 0;
        }
        std::erase_if(row.cells, [&](const CellImage& c) { return c.timestamp <= m.timestamp; });
      }
      if (!is_static && m.write_marker && row.marker_timestamp <= m.timestamp) {
        row.marker_timestamp = m.timestamp;
        row.marker_expiry = expiry;
      }
      for (const CellOp& op : m.ops) {
        bool op_static = table.columns[op.column].kind == ColumnKind::kStatic;
        if (op_static != is_static || !status.has_value()) continue;
        status = ApplyOp(table, m, op, expiry, row);
      }
    };
  };
  bool has_static = std::any_of(m.ops.begin(), m.ops.end(), [&](const CellOp& op) {
    return table.columns[op.column].kind == ColumnKind::kStatic;
  });
  if (has_static) store.MutateRow(m.key, std::nullopt, now_seconds, apply(true));
  if (m.scope == Mutation::Scope::kRow &&
      (m.write_marker || m.delete_row || m.ops.size() > 0)) {
    bool has_regular = std::any_of(m.ops.begin(), m.ops.end(), [&](const CellOp& op) {
      return table.columns[op.column].kind != ColumnKind::kStatic;
    });
    if (m.write_marker || m.delete_row || has_regular) {
      store.MutateRow(m.key, BytesView(m.clustering), now_seconds, apply(false));
    }
  }
  return status;
}

CurrentRow ReadCurrentRow(const TableStore& store, const Mutation& m, int64_t now_seconds) {
  const TableSchema& table = *m.table;
  CurrentRow row;
  row.values.resize(table.columns.size());
  std::vector<BytesView> pk = SplitPartitionKey(m.key.key, table.num_partition_key);
  for (size_t i = 0; i < pk.size(); ++i) row.values[i] = Bytes(pk[i].begin(), pk[i].end());
  std::optional<PartitionView> partition = store.Find(m.key);
  if (!partition) return row;
  std::vector<CellRef> cells;
  bool static_live = false;
  if (!partition->static_row.is_null()) {
    RowView view;
    static_live = view.Read(partition->static_row, store.layout(true), now_seconds, cells);
    for (size_t c = 0; c < cells.size(); ++c) {
      if (cells[c].present) row.values[c] = Bytes(cells[c].value.begin(), cells[c].value.end());
    }
  }
  if (m.scope != Mutation::Scope::kRow) {
    row.exists = static_live;
    return row;
  }
  size_t index = store.LowerBound(partition->rows, m.clustering);
  if (index >= partition->rows.size() ||
      store.CompareClustering(partition->rows[index].clustering(), m.clustering) != 0) {
    return row;
  }
  RowView view;
  bool live = view.Read(partition->rows[index], store.layout(false), now_seconds, cells);
  row.exists = live || view.marker_live(now_seconds);
  if (!row.exists) return row;
  std::vector<BytesView> clustering = DecodeClustering(m.clustering);
  for (size_t c = 0; c < clustering.size(); ++c) {
    row.values[table.num_partition_key + c] = Bytes(clustering[c].begin(), clustering[c].end());
  }
  for (size_t c = table.num_partition_key + table.num_clustering; c < cells.size(); ++c) {
    if (table.columns[c].kind == ColumnKind::kStatic) continue;
    if (cells[c].present) row.values[c] = Bytes(cells[c].value.begin(), cells[c].value.end());
  }
  return row;
}

bool ConditionsHold(const Mutation& m, const CurrentRow& row) {
  const TableSchema& table = *m.table;
  for (const Condition& c : m.conditions) {
    const DataType* type = table.columns[c.column].type.get();
    std::optional<Bytes> cell = row.values[c.column];
    if (c.element || !c.field.empty()) {
      cell = Element(*type, cell, c);
      if (c.element) {
        type = type->params.back().get();
      } else {
        auto it = std::find(type->field_names.begin(), type->field_names.end(), c.field);
        type = type->params[static_cast<size_t>(it - type->field_names.begin())].get();
      }
    }
    auto equals = [&](const std::optional<Bytes>& v) {
      if (!v || !cell) return !v && !cell;
      return CompareSerialized(*type, *cell, *v) == 0;
    };
    bool holds = false;
    switch (c.op) {
      case RelationOp::kEq:
        holds = equals(c.values[0]);
        break;
      case RelationOp::kNeq:
        holds = !equals(c.values[0]);
        break;
      case RelationOp::kIn:
        holds = std::any_of(c.values.begin(), c.values.end(), equals);
        break;
      case RelationOp::kLt:
      case RelationOp::kLte:
      case RelationOp::kGt:
      case RelationOp::kGte: {
        if (!cell || !c.values[0]) break;
        int cmp = CompareSerialized(*type, *cell, *c.values[0]);
        holds = c.op == RelationOp::kLt ? cmp < 0
                : c.op == RelationOp::kLte ? cmp <= 0
                : c.op == RelationOp::kGt  ? cmp > 0
                                           : cmp >= 0;
        break;
      }
      default:
        break;
    }
    if (!holds) return false;
  }
  return true;
}

}  // namespace cqlbulk::sim::internal
