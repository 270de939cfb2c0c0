// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/engine/read_plan.h"

#include <algorithm>
#include <map>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/types/value_codec.h"
#include "cqlbulk/ring/murmur3.h"
#include "cqlbulk/ring/routing_key.h"
#include "cqlbulk/sim/storage/value_order.h"

namespace cqlbulk::sim::internal {
namespace {

constexpr const char* kAllowFilteringMessage =
    "Cannot execute this query as it might involve data filtering and thus may have "
    "unpredictable performance. If you want to execute this query despite the performance "
    "unpredictability, use ALLOW FILTERING";

bool IsSlice(RelationOp op) {
  return op == RelationOp::kLt || op == RelationOp::kLte || op == RelationOp::kGt ||
         op == RelationOp::kGte;
}

int CompareTuple(const TableSchema& table, const std::vector<int>& columns,
                 std::span<const std::optional<BytesView>> row, const std::vector<Bytes>& value) {
  for (size_t i = 0; i < columns.size() && i < value.size(); ++i) {
    const std::optional<BytesView>& cell = row[static_cast<size_t>(columns[i])];
    if (!cell) return -2;
    int c = CompareSerialized(*table.columns[static_cast<size_t>(columns[i])].type, *cell, value[i]);
    if (c != 0) return c;
  }
  return 0;
}

bool Contains(const cql::DataType& type, BytesView cell, BytesView wanted, bool key) {
  auto value = cql::DecodeValue(type, cell);
  if (!value.has_value() || value->is_null()) return false;
  const cql::DataType& element = *type.params[key ? 0 : type.params.size() - 1];
  auto target = cql::DecodeValue(element, wanted);
  if (!target.has_value()) return false;
  if (type.id == cql::TypeId::kMap) {
    for (const auto& [k, v] : value->entries()) {
      if (cql::CompareValues(key ? k : v, *target) == 0) return true;
    }
    return false;
  }
  for (const cql::Value& e : value->elements()) {
    if (cql::CompareValues(e, *target) == 0) return true;
  }
  return false;
}

struct Restrictions {
  std::map<int, std::vector<const Predicate*>> by_column;
};

Result<Bytes> EvalSingle(const Term& term, const ColumnSchema& column, const TermEnv& env) {
  CQLBULK_ASSIGN_OR_RETURN(TermValue v, EvalTerm(term, *column.type, column.name, env,
                                                 BoundCollectionsFor(column)));
  if (v.is_unset()) return InvalidRequest("Invalid unset value for column " + column.name);
  if (v.is_null()) return InvalidRequest("Invalid null value in condition for column " + column.name);
  return std::move(v.bytes);
}

Result<std::vector<Bytes>> EvalTupleValue(const Term& term, const TableSchema& table,
                                          const std::vector<int>& columns, const TermEnv& env) {
  std::vector<cql::DataTypePtr> types;
  std::string name = "(";
  for (int c : columns) {
    types.push_back(table.columns[static_cast<size_t>(c)].type);
    name += (name.size() > 1 ? "," : "") + table.columns[static_cast<size_t>(c)].name;
  }
  name += ")";
  auto tuple_type = cql::DataType::Tuple(types);
  CQLBULK_ASSIGN_OR_RETURN(cql::Value v, EvalTermValue(term, *tuple_type, name, env));
  if (v.is_null()) return InvalidRequest("Invalid null value in condition for columns: " + name);
  std::vector<Bytes> out;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i >= v.elements().size() || v.elements()[i].is_null()) {
      return InvalidRequest("Invalid null value in condition for column " +
                            table.columns[static_cast<size_t>(columns[i])].name);
    }
    auto bytes = cql::EncodeValueToBytes(*types[i], v.elements()[i]);
    if (!bytes.has_value()) return InvalidRequest(bytes.error().message());
    out.push_back(std::move(*bytes));
  }
  return out;
}

Result<Predicate> EvalRelation(const TableSchema& table, const Relation& r, const TermEnv& env) {
  Predicate p;
  p.op = r.op;
  for (const std::string& name : r.columns) {
    int index = table.FindColumn(name);
    if (index < 0) return InvalidRequest("Undefined column name " + name);
    p.columns.push_back(index);
  }
  if (r.op == RelationOp::kNeq) {
    return InvalidRequest("Unsupported \"!=\" relation: " + r.columns.front() + " != " + r.value.text);
  }
  if (r.op == RelationOp::kLike) return InvalidRequest("LIKE restriction is only supported on properly indexed columns");
  if (r.target == RelationTarget::kColumns) {
    for (int c : p.columns) {
      if (table.columns[static_cast<size_t>(c)].kind != ColumnKind::kClustering) {
        return InvalidRequest("Multi-column relations can only be applied to clustering columns but was applied to: " +
                              table.columns[static_cast<size_t>(c)].name);
      }
    }
    if (r.op == RelationOp::kIn) {
      if (r.has_in_list) {
        for (const Term& t : r.in_values) {
          CQLBULK_ASSIGN_OR_RETURN(auto tuple, EvalTupleValue(t, table, p.columns, env));
          p.values.push_back(std::move(tuple));
        }
      } else {
        std::vector<cql::DataTypePtr> types;
        for (int c : p.columns) types.push_back(table.columns[static_cast<size_t>(c)].type);
        auto list_type = cql::DataType::List(cql::DataType::Tuple(types), true);
        CQLBULK_ASSIGN_OR_RETURN(cql::Value list, EvalTermValue(r.value, *list_type, "in", env));
        if (list.is_null()) return InvalidRequest("Invalid null value for IN restriction");
        for (const cql::Value& tuple : list.elements()) {
          std::vector<Bytes> components;
          for (size_t i = 0; i < types.size() && i < tuple.elements().size(); ++i) {
            auto bytes = cql::EncodeValueToBytes(*types[i], tuple.elements()[i]);
            if (!bytes.has_value()) return InvalidRequest(bytes.error().message());
            components.push_back(std::move(*bytes));
          }
          p.values.push_back(std::move(components));
        }
      }
    } else {
      CQLBULK_ASSIGN_OR_RETURN(auto tuple, EvalTupleValue(r.value, table, p.columns, env));
      p.values.push_back(std::move(tuple));
    }
    return p;
  }
  if (r.target != RelationTarget::kColumn) return InvalidRequest("Unsupported restriction: " + r.value.text);
  const ColumnSchema& column = table.columns[static_cast<size_t>(p.columns[0])];
  if (r.op == RelationOp::kIn) {
    CQLBULK_ASSIGN_OR_RETURN(auto values, EvalInValues(r, *column.type, column.name, env,
                                                       BoundCollectionsFor(column)));
    for (Bytes& v : values) p.values.push_back({std::move(v)});
    return p;
  }
  if (r.op == RelationOp::kContains || r.op == RelationOp::kContainsKey) {
    const cql::DataType& t = *column.type;
    if (!t.is_collection()) {
      return InvalidRequest("Cannot use CONTAINS on non-collection column " + column.name);
    }
    bool key = r.op == RelationOp::kContainsKey;
    const cql::DataType& element = *t.params[key ? 0 : t.params.size() - 1];
    ColumnSchema pseudo{.name = column.name, .type = std::make_shared<cql::DataType>(element)};
    CQLBULK_ASSIGN_OR_RETURN(Bytes v, EvalSingle(r.value, pseudo, env));
    p.values.push_back({std::move(v)});
    return p;
  }
  CQLBULK_ASSIGN_OR_RETURN(Bytes v, EvalSingle(r.value, column, env));
  p.values.push_back({std::move(v)});
  return p;
}

Status ApplyToken(const TableSchema& table, const Relation& r, const TermEnv& env, ReadPlan& plan) {
  if (r.columns.size() != table.num_partition_key) {
    return InvalidRequest("The token() function must be applied to all partition key components or none of them");
  }
  for (size_t i = 0; i < r.columns.size(); ++i) {
    if (r.columns[i] != table.partition_key(i).name) {
      std::string names;
      for (size_t k = 0; k < table.num_partition_key; ++k) {
        names += (k ? ", " : "") + table.partition_key(k).name;
      }
      return InvalidRequest("The token function arguments must be in the partition key order: " + names);
    }
  }
  if (r.op == RelationOp::kIn || r.op == RelationOp::kNeq || r.op == RelationOp::kContains ||
      r.op == RelationOp::kContainsKey || r.op == RelationOp::kLike) {
    return InvalidRequest(std::string(RelationOpName(r.op)) + " is not supported on token()");
  }
  auto bigint = cql::DataType::Native(cql::TypeId::kBigint);
  CQLBULK_ASSIGN_OR_RETURN(TermValue v, EvalTerm(r.value, *bigint, "partition key token", env));
  CQLBULK_ASSIGN_OR_RETURN(int64_t token, DecodeTokenValue(v));
  plan.has_token_bounds = true;
  ring::Token t(token);
  if (r.op == RelationOp::kGt || r.op == RelationOp::kGte || r.op == RelationOp::kEq) {
    bool inclusive = r.op != RelationOp::kGt;
    if (!plan.has_low || t > plan.low || (t == plan.low && !inclusive)) {
      plan.low = t;
      plan.low_inclusive = inclusive;
      plan.has_low = true;
    }
  }
  if (r.op == RelationOp::kLt || r.op == RelationOp::kLte || r.op == RelationOp::kEq) {
    bool inclusive = r.op != RelationOp::kLt;
    if (!plan.has_high || t < plan.high || (t == plan.high && !inclusive)) {
      plan.high = t;
      plan.high_inclusive = inclusive;
      plan.has_high = true;
    }
  }
  return OkStatus();
}

/// Whether `token` is within the token bounds of `plan` (a minimum upper bound: none).
bool InTokenBounds(const ReadPlan& plan, int64_t token) {
  ring::Token t(token);
  if (plan.has_low && (t < plan.low || (t == plan.low && !plan.low_inclusive))) return false;
  if (plan.has_high && !plan.high.is_minimum() &&
      (t > plan.high || (t == plan.high && !plan.high_inclusive))) {
    return false;
  }
  return true;
}

}  // namespace

bool Matches(const Predicate& p, const TableSchema& table,
             std::span<const std::optional<BytesView>> row) {
  if (p.columns.size() == 1) {
    const std::optional<BytesView>& cell = row[static_cast<size_t>(p.columns[0])];
    if (!cell) return false;
    const cql::DataType& type = *table.columns[static_cast<size_t>(p.columns[0])].type;
    switch (p.op) {
      case RelationOp::kContains:
      case RelationOp::kContainsKey:
        return Contains(type, *cell, p.values[0][0], p.op == RelationOp::kContainsKey);
      default:
        break;
    }
  }
  if (p.op == RelationOp::kIn || p.op == RelationOp::kEq) {
    for (const auto& value : p.values) {
      if (CompareTuple(table, p.columns, row, value) == 0) return true;
    }
    return false;
  }
  int c = CompareTuple(table, p.columns, row, p.values[0]);
  if (c == -2) return false;
  switch (p.op) {
    case RelationOp::kLt:
      return c < 0;
    case RelationOp::kLte:
      return c <= 0;
    case RelationOp::kGt:
      return c > 0;
    case RelationOp::kGte:
      return c >= 0;
    default:
      return false;
  }
}

Result<PartitionKey> MakePartitionKey(const std::vector<BytesView>& components) {
  if (components.size() == 1 && components[0].empty()) return InvalidRequest("Key may not be empty");
  auto key = ring::BuildRoutingKey(components);
  if (!key.has_value()) {
    return InvalidRequest("Key length of " + std::to_string(components[0].size()) +
                          " is longer than maximum of 65535");
  }
  return PartitionKey{ring::Murmur3Token(*key).value(), std::string(AsChars(*key))};
}

BytesView PartitionKeyReader::Next() noexcept {
  if (!is_composite_) return std::exchange(rest_, BytesView{});
  // CompositeType: per component [u16 length][bytes][u8 end-of-component].
  if (rest_.size() < 2) return {};
  size_t len = LoadBE16(rest_.data());
  if (2 + len > rest_.size()) {
    rest_ = {};
    return {};
  }
  BytesView component = rest_.subspan(2, len);
  rest_ = rest_.subspan(std::min(rest_.size(), 2 + len + 1));
  return component;
}

std::vector<BytesView> SplitPartitionKey(std::string_view key, size_t num_columns) {
  PartitionKeyReader reader(key, num_columns);
  std::vector<BytesView> out(num_columns);
  for (BytesView& component : out) component = reader.Next();
  return out;
}

std::vector<std::vector<BytesView>> Cartesian(const std::vector<std::vector<Bytes>>& lists) {
  std::vector<std::vector<BytesView>> out{{}};
  for (const auto& list : lists) {
    std::vector<std::vector<BytesView>> next;
    for (const auto& prefix : out) {
      for (const Bytes& v : list) {
        next.push_back(prefix);
        next.back().push_back(v);
      }
    }
    out = std::move(next);
  }
  return out;
}

Result<ReadPlan> PlanWhere(const TableSchema& table, const std::vector<Relation>& where,
                           const TermEnv& env, bool allow_filtering, WhereUse use, bool static_only) {
  ReadPlan plan;
  std::vector<Predicate> predicates;
  for (const Relation& r : where) {
    if (r.target == RelationTarget::kToken) {
      if (use != WhereUse::kSelect) {
        return InvalidRequest("The token function cannot be used in WHERE clauses for UPDATE and DELETE statements");
      }
      CQLBULK_RETURN_IF_ERROR(ApplyToken(table, r, env, plan));
      continue;
    }
    CQLBULK_ASSIGN_OR_RETURN(Predicate p, EvalRelation(table, r, env));
    predicates.push_back(std::move(p));
  }
  // Per key column: its = / IN values; other restrictions on key columns need filtering.
  std::vector<std::vector<Bytes>> key_values(table.num_partition_key);
  std::vector<bool> key_restricted(table.num_partition_key, false);
  bool key_needs_filtering = false;
  std::vector<std::vector<Bytes>> clustering_eq(table.num_clustering);
  std::vector<int> clustering_state(table.num_clustering, 0);  // 0 none, 1 eq/in, 2 slice
  std::vector<std::string> non_key_columns;
  for (Predicate& p : predicates) {
    const ColumnSchema& first = table.columns[static_cast<size_t>(p.columns[0])];
    if (first.kind == ColumnKind::kPartitionKey) {
      size_t i = static_cast<size_t>(first.position);
      if (p.op == RelationOp::kEq || p.op == RelationOp::kIn) {
        if (key_restricted[i]) {
          return InvalidRequest(first.name + " cannot be restricted by more than one relation if it includes an Equal");
        }
        key_restricted[i] = true;
        for (auto& v : p.values) key_values[i].push_back(v[0]);
      } else {
        if (use != WhereUse::kSelect) {
          return InvalidRequest("Only EQ and IN relation are supported on the partition key (unless you use the token() function)");
        }
        key_needs_filtering = true;
      }
      plan.partition_predicates.push_back(std::move(p));
    } else if (first.kind == ColumnKind::kClustering) {
      size_t i = static_cast<size_t>(first.position);
      bool is_eq = p.op == RelationOp::kEq || p.op == RelationOp::kIn;
      if (p.columns.size() > 1) {
        for (size_t k = 0; k < p.columns.size(); ++k) {
          if (i + k < clustering_state.size()) clustering_state[i + k] = is_eq ? 1 : 2;
        }
        if (is_eq) {
          for (size_t k = 0; k < p.columns.size(); ++k) {
            std::vector<Bytes> column_values;
            for (auto& tuple : p.values) column_values.push_back(tuple[k]);
            clustering_eq[i + k] = std::move(column_values);
          }
        }
      } else if (is_eq && clustering_state[i] == 0) {
        clustering_state[i] = 1;
        for (auto& v : p.values) clustering_eq[i].push_back(v[0]);
      } else {
        clustering_state[i] = IsSlice(p.op) ? 2 : 3;
      }
      plan.clustering_predicates.push_back(std::move(p));
    } else {
      non_key_columns.push_back(first.name);
      plan.row_predicates.push_back(std::move(p));
    }
  }
  size_t num_key_restricted = static_cast<size_t>(std::count(key_restricted.begin(), key_restricted.end(), true));
  // A token restriction next to = / IN on the whole partition key only filters those keys
  // (Cassandra's TokenFilter).
  plan.by_keys = num_key_restricted == table.num_partition_key && !key_needs_filtering;
  if (plan.by_keys) {
    for (const auto& components : Cartesian(key_values)) {
      CQLBULK_ASSIGN_OR_RETURN(PartitionKey key, MakePartitionKey(components));
      if (plan.has_token_bounds && !InTokenBounds(plan, key.token)) continue;
      plan.keys.push_back(std::move(key));
      plan.key_components.emplace_back();
      for (BytesView c : components) plan.key_components.back().emplace_back(c.begin(), c.end());
    }
    // In the order of the partition key's type, column by column, without duplicates: the
    // order Cassandra returns the partitions of an IN in (not the ring's).
    auto compare = [&](size_t a, size_t b) {
      for (size_t i = 0; i < table.num_partition_key; ++i) {
        int c = CompareSerialized(*table.partition_key(i).type, plan.key_components[a][i],
                                  plan.key_components[b][i]);
        if (c != 0) return c;
      }
      return 0;
    };
    std::vector<size_t> order(plan.keys.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return compare(a, b) < 0; });
    std::vector<PartitionKey> keys;
    std::vector<std::vector<Bytes>> components;
    size_t last = 0;
    for (size_t i : order) {
      if (!keys.empty() && compare(last, i) == 0) continue;
      last = i;
      keys.push_back(plan.keys[i]);
      components.push_back(plan.key_components[i]);
    }
    plan.keys = std::move(keys);
    plan.key_components = std::move(components);
    plan.partition_predicates.clear();
  } else if (use != WhereUse::kSelect) {
    std::string missing;
    for (size_t i = 0; i < table.num_partition_key; ++i) {
      if (!key_restricted[i]) missing += (missing.empty() ? "" : ", ") + table.partition_key(i).name;
    }
    return InvalidRequest("Some partition key parts are missing: " + missing);
  } else if (num_key_restricted > 0 && !plan.has_token_bounds && !allow_filtering) {
    std::string missing;
    for (size_t i = 0; i < table.num_partition_key; ++i) {
      if (!key_restricted[i]) missing += (missing.empty() ? "" : ", ") + table.partition_key(i).name;
    }
    if (!missing.empty()) return InvalidRequest("Partition key parts: " + missing + " must be restricted as other parts are");
    return InvalidRequest(kAllowFilteringMessage);
  }
  // Clustering: = / IN on a prefix, then at most one slice.
  bool prefix_ok = true;
  size_t eq_prefix = 0;
  while (eq_prefix < table.num_clustering && clustering_state[eq_prefix] == 1) ++eq_prefix;
  for (size_t i = eq_prefix; i < table.num_clustering; ++i) {
    if (clustering_state[i] == 3) prefix_ok = false;
    if (clustering_state[i] != 0 && i > eq_prefix && clustering_state[i] != 2) prefix_ok = false;
    if (clustering_state[i] == 2 && i > eq_prefix) {
      // A multi-column slice covers several columns; a single-column slice must come right
      // after the = prefix.
      bool multi_slice = false;
      for (const Predicate& p : plan.clustering_predicates) {
        if (p.columns.size() > 1 && IsSlice(p.op)) multi_slice = true;
      }
      if (!multi_slice) prefix_ok = false;
    }
  }
  plan.clustering_eq.assign(clustering_eq.begin(), clustering_eq.begin() + static_cast<ptrdiff_t>(eq_prefix));
  if (use == WhereUse::kSelect) {
    bool filtering = !prefix_ok || !plan.row_predicates.empty() || key_needs_filtering ||
                     (!plan.by_keys && (!plan.clustering_predicates.empty() || num_key_restricted > 0));
    if (filtering && !allow_filtering) {
      if (!prefix_ok && plan.by_keys) {
        for (size_t i = 0; i < table.num_clustering; ++i) {
          if (clustering_state[i] == 0) {
            for (size_t k = i + 1; k < table.num_clustering; ++k) {
              if (clustering_state[k] != 0) {
                return InvalidRequest("PRIMARY KEY column \"" + table.clustering(k).name +
                                      "\" cannot be restricted as preceding column \"" +
                                      table.clustering(i).name + "\" is not restricted");
              }
            }
          }
        }
      }
      return InvalidRequest(kAllowFilteringMessage);
    }
    plan.needs_filtering = filtering;
  } else {
    if (!non_key_columns.empty()) {
      return InvalidRequest("Non PRIMARY KEY columns found in where clause: " + non_key_columns.front());
    }
    if (use == WhereUse::kUpdate && !static_only && eq_prefix < table.num_clustering) {
      std::string missing;
      for (size_t i = eq_prefix; i < table.num_clustering; ++i) {
        if (clustering_state[i] == 2 || clustering_state[i] == 3) {
          return InvalidRequest("Slice restrictions are not supported on the clustering columns in UPDATE statements");
        }
        missing += (missing.empty() ? "" : ", ") + table.clustering(i).name;
      }
      return InvalidRequest("Some clustering keys are missing: " + missing);
    }
    if (!prefix_ok) {
      return InvalidRequest("A range deletion operation needs to specify both bounds for clustering columns");
    }
  }
  // Cassandra's empty-range rule for token bounds (CASSANDRA-5573).
  if (plan.has_token_bounds && !plan.low.is_minimum() && !plan.high.is_minimum()) {
    if (plan.low > plan.high || (plan.low == plan.high && (!plan.low_inclusive || !plan.high_inclusive))) {
      plan.is_empty = true;
    }
  }
  return plan;
}

}  // namespace cqlbulk::sim::internal
