// SPDX-License-Identifier: Apache-2.0
// INSERT / UPDATE / DELETE statements into Mutations.
#include <algorithm>
#include <set>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/sim/engine/executor.h"
#include "cqlbulk/sim/engine/mutation.h"
#include "cqlbulk/sim/system_tables/system_tables.h"

namespace cqlbulk::sim::internal {
namespace {

using cql::DataType;
using cql::TypeId;
using Kind = CellOp::Kind;

constexpr int64_t kMaxTtl = 630720000;  // 20 years, Cassandra's MAX_TTL

bool IsMultiCell(const DataType& type) {
  return (type.is_collection() || type.id == TypeId::kUdt) && !type.frozen;
}

struct Common {
  std::shared_ptr<const TableSchema> table;
  int64_t timestamp = 0;
  int32_t ttl = 0;
};

bool IsConditional(const InsertStatement& s) { return s.if_not_exists; }
bool IsConditional(const UpdateStatement& s) { return s.if_exists || !s.conditions.empty(); }
bool IsConditional(const DeleteStatement& s) { return s.if_exists || !s.conditions.empty(); }

/// Cassandra's refusals for a conditional statement on `table` (ModificationStatement's).
Status CheckConditional(const TableSchema& table, const UsingClause& u) {
  if (table.is_counter) return InvalidRequest("Conditional updates are not supported on counter tables");
  if (u.timestamp) return InvalidRequest("Cannot provide custom timestamp for conditional updates");
  return OkStatus();
}

Result<Common> ResolveCommon(const Schema& schema, const QualifiedName& name, const UsingClause& u,
                             const TermEnv& env, int64_t default_timestamp, bool batch_has_timestamp,
                             bool conditional) {
  Common c;
  CQLBULK_ASSIGN_OR_RETURN(c.table, ResolveTable(schema, name, env.keyspace));
  if (IsSystemKeyspace(c.table->keyspace)) {
    return UnauthorizedError(c.table->keyspace + " keyspace is not user-modifiable.");
  }
  if (conditional) CQLBULK_RETURN_IF_ERROR(CheckConditional(*c.table, u));
  c.timestamp = default_timestamp;
  if (u.timestamp) {
    if (batch_has_timestamp) {
      return InvalidRequest("Timestamp must be set either on BATCH or individual statements");
    }
    if (c.table->is_counter) return InvalidRequest("Cannot provide custom timestamp for counter updates");
    CQLBULK_ASSIGN_OR_RETURN(auto ts, EvalInteger(*u.timestamp, true, "timestamp", env));
    if (ts) c.timestamp = *ts;
  }
  int64_t ttl = c.table->default_time_to_live();
  if (u.ttl) {
    if (c.table->is_counter) return InvalidRequest("Cannot provide custom TTL for counter updates");
    CQLBULK_ASSIGN_OR_RETURN(auto t, EvalInteger(*u.ttl, false, "ttl", env));
    if (t) {
      if (*t < 0) return InvalidRequest("A TTL must be greater or equal to 0, but was " + std::to_string(*t));
      if (*t > kMaxTtl) {
        return InvalidRequest("ttl is too large. requested (" + std::to_string(*t) + ") maximum (" +
                              std::to_string(kMaxTtl) + ")");
      }
      ttl = *t;
    }
  }
  c.ttl = static_cast<int32_t>(ttl);
  return c;
}

Result<int> FindColumn(const TableSchema& table, const std::string& name) {
  int index = table.FindColumn(name);
  if (index < 0) return InvalidRequest("Undefined column name " + name);
  return index;
}

Result<std::vector<Condition>> BuildConditions(const TableSchema& table,
                                               const std::vector<Relation>& conditions,
                                               const TermEnv& env) {
  std::vector<Condition> out;
  for (const Relation& r : conditions) {
    Condition c;
    CQLBULK_ASSIGN_OR_RETURN(int index, FindColumn(table, r.columns.at(0)));
    const ColumnSchema& column = table.columns[static_cast<size_t>(index)];
    if (column.kind == ColumnKind::kPartitionKey || column.kind == ColumnKind::kClustering) {
      return InvalidRequest("PRIMARY KEY column '" + column.name + "' cannot have IF conditions");
    }
    c.column = static_cast<uint32_t>(index);
    c.op = r.op;
    cql::DataTypePtr type = column.type;
    if (r.target == RelationTarget::kElement) {
      const DataType& t = *column.type;
      if (!t.is_collection() || t.id == TypeId::kSet) {
        return InvalidRequest("Invalid element access on column " + column.name);
      }
      auto key_type = t.id == TypeId::kMap ? t.params[0] : DataType::Native(TypeId::kInt);
      CQLBULK_ASSIGN_OR_RETURN(TermValue k, EvalTerm(*r.element, *key_type, column.name, env));
      if (!k.is_value()) return InvalidRequest("Invalid null value for " + column.name + " element access");
      c.element = std::move(k.bytes);
      type = t.params.back();
    } else if (r.target == RelationTarget::kField) {
      auto it = std::find(column.type->field_names.begin(), column.type->field_names.end(), r.field);
      if (it == column.type->field_names.end()) return InvalidRequest("Unknown field " + r.field);
      c.field = r.field;
      type = column.type->params[static_cast<size_t>(it - column.type->field_names.begin())];
    }
    auto add = [&](const Term& t) -> Status {
      CQLBULK_ASSIGN_OR_RETURN(TermValue v, EvalTerm(t, *type, column.name, env));
      if (v.is_unset()) return InvalidRequest("Invalid unset value for column " + column.name);
      c.values.push_back(v.is_null() ? std::nullopt : std::optional<Bytes>(std::move(v.bytes)));
      return OkStatus();
    };
    if (r.op == RelationOp::kIn && r.has_in_list) {
      for (const Term& t : r.in_values) CQLBULK_RETURN_IF_ERROR(add(t));
    } else if (r.op == RelationOp::kIn) {
      CQLBULK_ASSIGN_OR_RETURN(auto values, EvalInValues(r, *type, column.name, env));
      for (Bytes& v : values) c.values.push_back(std::move(v));
    } else {
      CQLBULK_RETURN_IF_ERROR(add(r.value));
    }
    out.push_back(std::move(c));
  }
  return out;
}

/// Partition keys and clustering keys of an UPDATE or DELETE, as mutation skeletons.
Result<std::vector<Mutation>> Targets(const Common& common, const std::vector<Relation>& where,
                                      const TermEnv& env, WhereUse use, bool static_only,
                                      bool* partition_level) {
  const TableSchema& table = *common.table;
  CQLBULK_ASSIGN_OR_RETURN(ReadPlan plan, PlanWhere(table, where, env, false, use, static_only));
  std::vector<Mutation> out;
  bool full_clustering = plan.clustering_eq.size() == table.num_clustering;
  *partition_level = !full_clustering;
  for (const PartitionKey& key : plan.keys) {
    Mutation base;
    base.table = common.table;
    base.key = key;
    base.timestamp = common.timestamp;
    base.ttl = common.ttl;
    base.is_counter = table.is_counter;
    if (table.num_clustering == 0) {
      base.scope = Mutation::Scope::kRow;
      out.push_back(base);
    } else if (full_clustering) {
      for (const auto& components : Cartesian(plan.clustering_eq)) {
        Mutation m = base;
        m.clustering = EncodeClustering(components);
        out.push_back(std::move(m));
      }
    } else if (!plan.clustering_predicates.empty()) {
      base.scope = Mutation::Scope::kRange;
      base.range = plan.clustering_predicates;
      out.push_back(std::move(base));
    } else {
      base.scope = static_only ? Mutation::Scope::kStatic : Mutation::Scope::kPartition;
      out.push_back(std::move(base));
    }
  }
  return out;
}

Result<std::vector<Mutation>> BuildInsert(const Schema& schema, const InsertStatement& s,
                                          const TermEnv& env, int64_t ts, bool batch_ts) {
  CQLBULK_ASSIGN_OR_RETURN(Common common, ResolveCommon(schema, s.table, s.using_clause, env, ts, batch_ts,
                                                          IsConditional(s)));
  const TableSchema& table = *common.table;
  if (s.json) return InvalidRequest("Unsupported: INSERT JSON is not supported by cqlsim");
  if (table.is_counter) {
    return InvalidRequest("INSERT statements are not allowed on counter tables, use UPDATE instead");
  }
  std::vector<const Term*> by_column(table.columns.size(), nullptr);
  for (size_t i = 0; i < s.columns.size(); ++i) {
    CQLBULK_ASSIGN_OR_RETURN(int index, FindColumn(table, s.columns[i]));
    if (by_column[static_cast<size_t>(index)] != nullptr) {
      return InvalidRequest("Multiple definitions found for column " + s.columns[i]);
    }
    by_column[static_cast<size_t>(index)] = &s.values[i];
  }
  auto key_value = [&](size_t c) -> Result<Bytes> {
    const ColumnSchema& column = table.columns[c];
    CQLBULK_ASSIGN_OR_RETURN(TermValue v, EvalTerm(*by_column[c], *column.type, column.name, env,
                                                   BoundCollectionsFor(column)));
    if (v.is_unset()) return InvalidRequest("Invalid unset value for column " + column.name);
    if (v.is_null()) return InvalidRequest("Invalid null value in condition for column " + column.name);
    return std::move(v.bytes);
  };
  std::string missing;
  for (size_t c = 0; c < table.num_partition_key; ++c) {
    if (by_column[c] == nullptr) missing += (missing.empty() ? "" : ", ") + table.columns[c].name;
  }
  if (!missing.empty()) return InvalidRequest("Some partition key parts are missing: " + missing);
  bool static_only = table.num_clustering > 0;
  for (size_t c = table.num_partition_key + table.num_clustering; c < table.columns.size(); ++c) {
    if (by_column[c] != nullptr && table.columns[c].kind != ColumnKind::kStatic) static_only = false;
  }
  for (size_t c = table.num_partition_key; c < table.num_partition_key + table.num_clustering; ++c) {
    if (by_column[c] == nullptr) missing += (missing.empty() ? "" : ", ") + table.columns[c].name;
    else static_only = false;
  }
  if (!missing.empty() && !static_only) return InvalidRequest("Some clustering keys are missing: " + missing);
  std::vector<Bytes> pk, ck;
  for (size_t c = 0; c < table.num_partition_key; ++c) {
    CQLBULK_ASSIGN_OR_RETURN(Bytes v, key_value(c));
    pk.push_back(std::move(v));
  }
  if (!static_only) {
    for (size_t c = table.num_partition_key; c < table.num_partition_key + table.num_clustering; ++c) {
      CQLBULK_ASSIGN_OR_RETURN(Bytes v, key_value(c));
      ck.push_back(std::move(v));
    }
  }
  Mutation m;
  m.table = common.table;
  std::vector<BytesView> pk_views(pk.begin(), pk.end());
  CQLBULK_ASSIGN_OR_RETURN(m.key, MakePartitionKey(pk_views));
  m.scope = static_only ? Mutation::Scope::kStatic : Mutation::Scope::kRow;
  m.clustering = EncodeClustering(std::vector<BytesView>(ck.begin(), ck.end()));
  m.write_marker = !static_only;
  m.timestamp = common.timestamp;
  m.ttl = common.ttl;
  m.if_not_exists = s.if_not_exists;
  for (size_t c = table.num_partition_key + table.num_clustering; c < table.columns.size(); ++c) {
    if (by_column[c] == nullptr) continue;
    const ColumnSchema& column = table.columns[c];
    CQLBULK_ASSIGN_OR_RETURN(TermValue v, EvalTerm(*by_column[c], *column.type, column.name, env));
    if (v.is_unset()) continue;
    CellOp op;
    op.column = static_cast<uint32_t>(c);
    op.value = std::move(v);
    m.ops.push_back(std::move(op));
  }
  return std::vector<Mutation>{std::move(m)};
}

Result<CellOp> BuildAssignment(const TableSchema& table, const Assignment& a, const TermEnv& env) {
  CQLBULK_ASSIGN_OR_RETURN(int index, FindColumn(table, a.column));
  const ColumnSchema& column = table.columns[static_cast<size_t>(index)];
  if (column.kind == ColumnKind::kPartitionKey || column.kind == ColumnKind::kClustering) {
    return InvalidRequest("PRIMARY KEY part " + column.name + " found in SET part");
  }
  const DataType& t = *column.type;
  CellOp op;
  op.column = static_cast<uint32_t>(index);
  cql::DataTypePtr value_type = column.type;
  switch (a.op) {
    case AssignmentOp::kSet:
      if (t.id == TypeId::kCounter) {
        return InvalidRequest("Cannot set the value of counter column " + column.name +
                              " (counters can only be incremented/decremented, not set)");
      }
      op.kind = Kind::kSet;
      break;
    case AssignmentOp::kAdd:
    case AssignmentOp::kSubtract:
    case AssignmentOp::kPrepend:
      if (t.id != TypeId::kCounter && !(t.is_collection() && !t.frozen)) {
        return InvalidRequest("Invalid operation (" + column.name + " = " + column.name +
                              (a.op == AssignmentOp::kSubtract ? " - " : " + ") + a.value.text +
                              ") for non counter column " + column.name);
      }
      if (a.op == AssignmentOp::kPrepend && t.id != TypeId::kList) {
        return InvalidRequest("Invalid operation (" + column.name + " = " + a.value.text + " + " +
                              column.name + ") for non list column " + column.name);
      }
      op.kind = a.op == AssignmentOp::kAdd ? Kind::kAdd
                                           : (a.op == AssignmentOp::kSubtract ? Kind::kSubtract : Kind::kPrepend);
      if (a.op == AssignmentOp::kSubtract && t.id == TypeId::kMap) value_type = DataType::Set(t.params[0]);
      break;
    case AssignmentOp::kSetElement: {
      if (!(t.id == TypeId::kMap || t.id == TypeId::kList) || t.frozen) {
        return InvalidRequest("Invalid operation (" + column.name + "[" + a.key->text + "] = " + a.value.text +
                              ") for non collection column " + column.name);
      }
      auto key_type = t.id == TypeId::kMap ? t.params[0] : DataType::Native(TypeId::kInt);
      CQLBULK_ASSIGN_OR_RETURN(TermValue k, EvalTerm(*a.key, *key_type, column.name, env));
      if (!k.is_value()) return InvalidRequest("Invalid null value for " + column.name + " element access");
      op.key = std::move(k.bytes);
      op.kind = Kind::kSetElement;
      value_type = t.params.back();
      break;
    }
    case AssignmentOp::kSetField: {
      auto it = std::find(t.field_names.begin(), t.field_names.end(), a.field);
      if (t.id != TypeId::kUdt || t.frozen) {
        return InvalidRequest("Invalid operation (" + column.name + "." + a.field +
                              " = ...) for frozen UDT column " + column.name);
      }
      if (it == t.field_names.end()) return InvalidRequest("UDT column " + column.name + " does not have a field named " + a.field);
      op.field = a.field;
      op.kind = Kind::kSetField;
      value_type = t.params[static_cast<size_t>(it - t.field_names.begin())];
      break;
    }
  }
  CQLBULK_ASSIGN_OR_RETURN(op.value, EvalTerm(a.value, *value_type, column.name, env));
  if (t.id == TypeId::kCounter && op.value.is_null()) {
    return InvalidRequest("Invalid null value for counter increment");
  }
  return op;
}

Result<std::vector<Mutation>> BuildUpdate(const Schema& schema, const UpdateStatement& s,
                                          const TermEnv& env, int64_t ts, bool batch_ts) {
  CQLBULK_ASSIGN_OR_RETURN(Common common, ResolveCommon(schema, s.table, s.using_clause, env, ts, batch_ts,
                                                          IsConditional(s)));
  const TableSchema& table = *common.table;
  std::vector<CellOp> ops;
  bool static_only = true;
  for (const Assignment& a : s.assignments) {
    CQLBULK_ASSIGN_OR_RETURN(CellOp op, BuildAssignment(table, a, env));
    if (table.columns[op.column].kind != ColumnKind::kStatic) static_only = false;
    if (op.value.is_unset()) continue;
    ops.push_back(std::move(op));
  }
  CQLBULK_ASSIGN_OR_RETURN(auto conditions, BuildConditions(table, s.conditions, env));
  bool partition_level = false;
  CQLBULK_ASSIGN_OR_RETURN(auto mutations, Targets(common, s.where, env, WhereUse::kUpdate,
                                                   static_only && table.num_clustering > 0, &partition_level));
  for (Mutation& m : mutations) {
    if (m.scope == Mutation::Scope::kPartition) m.scope = Mutation::Scope::kStatic;
    m.ops = ops;
    m.if_exists = s.if_exists;
    m.conditions = conditions;
  }
  return mutations;
}

Result<std::vector<Mutation>> BuildDelete(const Schema& schema, const DeleteStatement& s,
                                          const TermEnv& env, int64_t ts, bool batch_ts) {
  CQLBULK_ASSIGN_OR_RETURN(Common common, ResolveCommon(schema, s.table, s.using_clause, env, ts, batch_ts,
                                                          IsConditional(s)));
  const TableSchema& table = *common.table;
  std::vector<CellOp> ops;
  bool static_only = !s.targets.empty();
  for (const DeleteTarget& target : s.targets) {
    CQLBULK_ASSIGN_OR_RETURN(int index, FindColumn(table, target.column));
    const ColumnSchema& column = table.columns[static_cast<size_t>(index)];
    if (column.kind == ColumnKind::kPartitionKey || column.kind == ColumnKind::kClustering) {
      return InvalidRequest("Invalid identifier " + column.name + " for deletion (should not be a PRIMARY KEY part)");
    }
    if (column.kind != ColumnKind::kStatic) static_only = false;
    CellOp op;
    op.column = static_cast<uint32_t>(index);
    op.kind = Kind::kDelete;
    if (target.element) {
      const DataType& t = *column.type;
      if (!IsMultiCell(t) || t.id == TypeId::kUdt) {
        return InvalidRequest("Invalid operation (" + column.name + "[...]) for frozen collection column " + column.name);
      }
      auto key_type = t.id == TypeId::kList ? DataType::Native(TypeId::kInt) : t.params[0];
      CQLBULK_ASSIGN_OR_RETURN(TermValue k, EvalTerm(*target.element, *key_type, column.name, env));
      if (!k.is_value()) return InvalidRequest("Invalid null value for " + column.name + " element deletion");
      op.kind = Kind::kDeleteElement;
      op.key = std::move(k.bytes);
    } else if (!target.field.empty()) {
      op.kind = Kind::kDeleteField;
      op.field = target.field;
    }
    ops.push_back(std::move(op));
  }
  CQLBULK_ASSIGN_OR_RETURN(auto conditions, BuildConditions(table, s.conditions, env));
  bool partition_level = false;
  CQLBULK_ASSIGN_OR_RETURN(auto mutations, Targets(common, s.where, env, WhereUse::kDelete,
                                                   static_only, &partition_level));
  for (Mutation& m : mutations) {
    if (!ops.empty() && (m.scope == Mutation::Scope::kPartition || m.scope == Mutation::Scope::kRange)) {
      if (!static_only) {
        return InvalidRequest("Primary key column '" + table.clustering(0).name +
                              "' must be specified in order to delete column '" +
                              table.columns[ops[0].column].name + "'");
      }
      m.scope = Mutation::Scope::kStatic;
    }
    m.ops = ops;
    m.delete_row = ops.empty();
    m.if_exists = s.if_exists;
    m.conditions = conditions;
    if (m.is_conditional() && m.scope == Mutation::Scope::kRange) {
      return InvalidRequest("DELETE statements must restrict all PRIMARY KEY columns with equality relations in order to use IF conditions");
    }
  }
  return mutations;
}

}  // namespace

Status CheckConditionalStatement(const TableSchema& table, const ModificationStatement& statement) {
  return std::visit(
      [&](const auto& s) { return IsConditional(s) ? CheckConditional(table, s.using_clause) : OkStatus(); },
      statement);
}

Status CheckConditionalBatch(const BatchStatement& batch) {
  bool conditional = std::any_of(batch.statements.begin(), batch.statements.end(), [](const auto& m) {
    return std::visit([](const auto& s) { return IsConditional(s); }, m);
  });
  if (conditional && batch.using_clause.timestamp) {
    return InvalidRequest("Cannot provide custom timestamp for conditional BATCH");
  }
  return OkStatus();
}

size_t Mutation::data_size() const {
  size_t size = key.key.size() + clustering.size();
  for (const CellOp& op : ops) size += op.value.bytes.size() + op.key.size();
  return size;
}

Result<std::vector<Mutation>> BuildMutations(const Schema& schema,
                                             const ModificationStatement& statement,
                                             const TermEnv& env, int64_t default_timestamp,
                                             bool batch_has_timestamp) {
  if (auto* s = std::get_if<InsertStatement>(&statement)) {
    return BuildInsert(schema, *s, env, default_timestamp, batch_has_timestamp);
  }
  if (auto* s = std::get_if<UpdateStatement>(&statement)) {
    return BuildUpdate(schema, *s, env, default_timestamp, batch_has_timestamp);
  }
  return BuildDelete(schema, std::get<DeleteStatement>(statement), env, default_timestamp,
                     batch_has_timestamp);
}

}  // namespace cqlbulk::sim::internal
