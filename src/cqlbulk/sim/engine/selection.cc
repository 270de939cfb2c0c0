// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/engine/selection.h"

#include "cqlbulk/core/macros.h"
#include "cqlbulk/sim/engine/engine_internal.h"
#include "cqlbulk/sim/engine/executor.h"

namespace cqlbulk::sim::internal {
namespace {

using Kind = OutputColumn::Kind;

cql::ColumnSpec Spec(const TableSchema& table, std::string name, cql::DataTypePtr type) {
  return cql::ColumnSpec{table.keyspace, table.name, std::move(name), std::move(type)};
}

Result<int> ColumnIndex(const TableSchema& table, const std::string& name) {
  int index = table.FindColumn(name);
  if (index < 0) return InvalidRequest("Undefined column name " + name);
  return index;
}

Result<OutputColumn> Resolve(const TableSchema& table, const Selector& s) {
  OutputColumn out;
  switch (s.kind) {
    case SelectorKind::kColumn: {
      CQLBULK_ASSIGN_OR_RETURN(out.column, ColumnIndex(table, s.name));
      out.spec = Spec(table, s.name, table.columns[static_cast<size_t>(out.column)].type);
      return out;
    }
    case SelectorKind::kCountRows:
      out.kind = Kind::kCountRows;
      out.spec = Spec(table, "count", cql::DataType::Native(cql::TypeId::kBigint));
      return out;
    case SelectorKind::kWritetime:
    case SelectorKind::kTtl: {
      bool is_ttl = s.kind == SelectorKind::kTtl;
      CQLBULK_ASSIGN_OR_RETURN(out.column, ColumnIndex(table, s.name));
      const ColumnSchema& column = table.columns[static_cast<size_t>(out.column)];
      std::string function = is_ttl ? "ttl" : "writeTime";
      if (column.kind == ColumnKind::kPartitionKey || column.kind == ColumnKind::kClustering) {
        return InvalidRequest("Cannot use selection function " + function + " on PRIMARY KEY part " + column.name);
      }
      if ((column.type->is_collection() || column.type->id == cql::TypeId::kUdt) && !column.type->frozen) {
        return InvalidRequest("Cannot use selection function " + function + " on non-frozen " +
                              (column.type->is_collection() ? "collection " : "UDT ") + column.name);
      }
      out.kind = is_ttl ? Kind::kTtl : Kind::kWritetime;
      out.spec = Spec(table, std::string(is_ttl ? "ttl(" : "writetime(") + s.name + ")",
                      cql::DataType::Native(is_ttl ? cql::TypeId::kInt : cql::TypeId::kBigint));
      return out;
    }
    case SelectorKind::kFunction: {
      if (s.name == "token" && (s.keyspace.empty() || s.keyspace == "system")) {
        if (s.args.size() != table.num_partition_key) {
          return InvalidRequest("Invalid number of arguments in call to function system.token: " +
                                std::to_string(table.num_partition_key) + " required but " +
                                std::to_string(s.args.size()) + " provided");
        }
        std::string names;
        for (size_t i = 0; i < s.args.size(); ++i) {
          const Selector& arg = s.args[i];
          if (arg.kind != SelectorKind::kColumn || arg.name != table.partition_key(i).name) {
            return InvalidRequest("Type error: " + arg.text +
                                  " cannot be passed as argument " + std::to_string(i) +
                                  " of function system.token of type " + table.partition_key(i).type->ToCql());
          }
          names += (i ? ", " : "") + arg.name;
        }
        out.kind = Kind::kToken;
        out.spec = Spec(table, "system.token(" + names + ")", cql::DataType::Native(cql::TypeId::kBigint));
        return out;
      }
      if (s.name == "count" && s.args.size() == 1 && s.args[0].kind == SelectorKind::kColumn) {
        CQLBULK_ASSIGN_OR_RETURN(out.column, ColumnIndex(table, s.args[0].name));
        out.kind = Kind::kCountColumn;
        out.spec = Spec(table, "system.count(" + s.args[0].name + ")", cql::DataType::Native(cql::TypeId::kBigint));
        return out;
      }
      return InvalidRequest("Unknown function " + (s.keyspace.empty() ? "" : s.keyspace + ".") + s.name +
                            " (cqlsim supports token, count, writetime and ttl in selections)");
    }
    default:
      return InvalidRequest("Unsupported selector: " + s.text);
  }
}

}  // namespace

Result<Selection> BuildSelection(const TableSchema& table, const SelectStatement& select) {
  Selection selection;
  if (select.select_all) {
    for (size_t i = 0; i < table.columns.size(); ++i) {
      OutputColumn out;
      out.column = static_cast<int>(i);
      out.spec = Spec(table, table.columns[i].name, table.columns[i].type);
      selection.columns.push_back(std::move(out));
    }
  }
  for (const Selector& s : select.selectors) {
    CQLBULK_ASSIGN_OR_RETURN(OutputColumn out, Resolve(table, s));
    if (!s.alias.empty()) out.spec.name = s.alias;
    if (out.kind == Kind::kCountRows || out.kind == Kind::kCountColumn) selection.is_aggregate = true;
    selection.columns.push_back(std::move(out));
  }
  if (select.is_distinct) {
    std::vector<bool> seen(table.num_partition_key, false);
    for (const OutputColumn& out : selection.columns) {
      if (out.kind != Kind::kColumn) continue;
      const ColumnSchema& column = table.columns[static_cast<size_t>(out.column)];
      if (column.kind == ColumnKind::kPartitionKey) {
        seen[static_cast<size_t>(column.position)] = true;
      } else if (column.kind != ColumnKind::kStatic) {
        return InvalidRequest("SELECT DISTINCT queries must only request partition key columns and/or static columns (not " +
                              column.name + ")");
      }
    }
    for (size_t i = 0; i < seen.size(); ++i) {
      if (!seen[i] && !selection.is_aggregate) {
        return InvalidRequest("SELECT DISTINCT queries must request all the partition key columns (missing " +
                              table.partition_key(i).name + ")");
      }
    }
  }
  return selection;
}

Result<std::vector<cql::ColumnSpec>> SelectColumns(const TableSchema& table,
                                                   const SelectStatement& select) {
  CQLBULK_ASSIGN_OR_RETURN(Selection selection, BuildSelection(table, select));
  std::vector<cql::ColumnSpec> out;
  for (OutputColumn& c : selection.columns) out.push_back(std::move(c.spec));
  return out;
}

}  // namespace cqlbulk::sim::internal
