// SPDX-License-Identifier: Apache-2.0
// CREATE/DROP KEYSPACE, TABLE and TYPE, TRUNCATE and USE.
#include <algorithm>
#include <set>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/types/type_parser.h"
#include "cqlbulk/sim/engine/executor.h"
#include "cqlbulk/sim/engine/table_options.h"
#include "cqlbulk/sim/system_tables/system_tables.h"

namespace cqlbulk::sim::internal {
namespace {

using cql::SchemaChange;
using cql::SchemaChangeTarget;
using cql::SchemaChangeType;

Reply SchemaChangeReply(const SchemaChange& change) {
  return ResultReply(cql::ResultResponse{cql::SchemaChangeResult{change}});
}

SchemaChange Change(SchemaChangeType type, SchemaChangeTarget target, std::string keyspace,
                    std::string name) {
  SchemaChange change;
  change.type = type;
  change.target = target;
  change.keyspace = std::move(keyspace);
  change.name = std::move(name);
  return change;
}

Reply VoidReply() { return ResultReply(cql::ResultResponse{cql::VoidResult{}}); }

Reply AlreadyExistsReply(std::string message, std::string keyspace, std::string table) {
  return ErrorReply(cql::ErrorResponse{
      .code = static_cast<int32_t>(cql::ErrorResponseCode::kAlreadyExists),
      .message = std::move(message),
      .details = cql::AlreadyExistsInfo{std::move(keyspace), std::move(table)}});
}

bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 48) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::shared_ptr<Schema> CopySchema(const Schema& schema) { return std::make_shared<Schema>(schema); }

/// The keyspace a DDL statement names (or the session's), refused if it is a system one.
Result<std::string> ResolveUserKeyspace(const std::string& qualifier, const RequestContext& ctx) {
  auto name = ResolveKeyspaceName(qualifier, ctx.keyspace);
  if (!name.has_value()) return name;
  if (IsSystemKeyspace(*name)) return UnauthorizedError(*name + " keyspace is not user-modifiable");
  return name;
}

/// Commits `current` with keyspace `keyspace` replaced by `next_keyspace`, and answers with
/// the schema change (a table or type of that keyspace created or dropped).
Reply CommitKeyspaceChange(RequestContext& ctx, const Schema& current, const std::string& keyspace,
                           std::shared_ptr<KeyspaceSchema> next_keyspace, SchemaChangeType type,
                           SchemaChangeTarget target, const std::string& name,
                           std::vector<std::shared_ptr<const TableSchema>> created,
                           std::vector<Uuid> dropped) {
  auto next = CopySchema(current);
  next->keyspaces[keyspace] = std::move(next_keyspace);
  SchemaChange change = Change(type, target, keyspace, name);
  ctx.core.CommitSchema(next, change, std::move(created), std::move(dropped));
  return SchemaChangeReply(change);
}

cql::UdtResolver ResolverFor(const KeyspaceSchema& keyspace) {
  return [&keyspace](std::string_view ks, std::string_view name) -> cql::DataTypePtr {
    if (!ks.empty() && ks != keyspace.name) return nullptr;
    auto it = keyspace.types.find(std::string(name));
    return it == keyspace.types.end() ? nullptr : it->second->AsDataType(false);
  };
}

/// Whether `type` (recursively) refers to the UDT `name`.
bool UsesType(const cql::DataType& type, const std::string& name) {
  if (type.id == cql::TypeId::kUdt && type.name == name) return true;
  return std::any_of(type.params.begin(), type.params.end(),
                     [&](const cql::DataTypePtr& p) { return UsesType(*p, name); });
}

Reply CreateKeyspace(RequestContext& ctx, const CreateKeyspaceStatement& s) {
  if (!ValidName(s.keyspace)) {
    return ErrorReply(InvalidRequest(
        "Keyspace name must not be empty, more than 48 characters long, or contain "
        "non-alphanumeric-underscore characters (got \"" + s.keyspace + "\")"));
  }
  if (s.replication.empty()) {
    return ErrorReply(ConfigurationError("Missing mandatory option 'replication'"));
  }
  auto strategy = ring::ReplicationStrategy::FromOptions(s.replication);
  if (!strategy.has_value()) return ErrorReply(ConfigurationError(strategy.error().message()));
  std::lock_guard ddl(ctx.core.ddl_mutex);
  SchemaPtr current = ctx.core.CurrentSchema();
  if (current->FindKeyspace(s.keyspace) != nullptr || IsSystemKeyspace(s.keyspace)) {
    if (s.if_not_exists) return VoidReply();
    return AlreadyExistsReply("Cannot add existing keyspace \"" + s.keyspace + "\"", s.keyspace, "");
  }
  auto keyspace = std::make_shared<KeyspaceSchema>(KeyspaceSchema{.name = s.keyspace,
                                                                   .replication = *strategy,
                                                                   .replication_options = {},
                                                                   .durable_writes = true,
                                                                   .tables = {},
                                                                   .types = {}});
  keyspace->durable_writes = s.durable_writes.value_or(true);
  if (strategy->replication_class() == ring::ReplicationClass::kSimple) {
    keyspace->replication_options = {{"class", "org.apache.cassandra.locator.SimpleStrategy"},
                                     {"replication_factor",
                                      std::to_string(strategy->replication_factor())}};
  } else {
    keyspace->replication_options = {{"class", "org.apache.cassandra.locator.NetworkTopologyStrategy"}};
    for (const auto& [dc, factor] : strategy->datacenter_factors()) {
      keyspace->replication_options[dc] = std::to_string(factor);
    }
    if (auto factor = strategy->default_datacenter_factor()) {
      for (const NodeInfo& node : ctx.core.CurrentTopology()->nodes) {
        keyspace->replication_options.emplace(node.datacenter, std::to_string(*factor));
      }
    }
  }
  auto next = CopySchema(*current);
  next->keyspaces[s.keyspace] = keyspace;
  SchemaChange change = Change(SchemaChangeType::kCreated, SchemaChangeTarget::kKeyspace, s.keyspace, "");
  ctx.core.CommitSchema(next, change, {}, {});
  return SchemaChangeReply(change);
}

Reply DropKeyspace(RequestContext& ctx, const DropKeyspaceStatement& s) {
  if (IsSystemKeyspace(s.keyspace)) {
    return ErrorReply(UnauthorizedError(s.keyspace + " keyspace is not user-modifiable"));
  }
  std::lock_guard ddl(ctx.core.ddl_mutex);
  SchemaPtr current = ctx.core.CurrentSchema();
  const KeyspaceSchema* keyspace = current->FindKeyspace(s.keyspace);
  if (keyspace == nullptr) {
    if (s.if_exists) return VoidReply();
    return ErrorReply(InvalidRequest("Keyspace '" + s.keyspace + "' doesn't exist"));
  }
  std::vector<Uuid> dropped;
  for (const auto& [name, table] : keyspace->tables) dropped.push_back(table->id);
  auto next = CopySchema(*current);
  next->keyspaces.erase(s.keyspace);
  if (ctx.session.keyspace == s.keyspace) ctx.session.keyspace.clear();
  SchemaChange change = Change(SchemaChangeType::kDropped, SchemaChangeTarget::kKeyspace, s.keyspace, "");
  ctx.core.CommitSchema(next, change, {}, dropped);
  return SchemaChangeReply(change);
}

Status CheckPrimaryKeyType(const ColumnSchema& column) {
  const cql::DataType& t = *column.type;
  if (t.id == cql::TypeId::kCounter) {
    return InvalidRequest("counter type is not supported for PRIMARY KEY column '" + column.name + "'");
  }
  if (t.id == cql::TypeId::kDuration) {
    return InvalidRequest("duration type is not supported for PRIMARY KEY column '" + column.name + "'");
  }
  if ((t.is_collection() || t.id == cql::TypeId::kUdt) && !t.frozen) {
    return InvalidRequest("Invalid non-frozen " + std::string(t.is_collection() ? "collection" : "user") +
                          " type " + t.ToCql() + " for PRIMARY KEY component " + column.name);
  }
  return OkStatus();
}

Result<std::shared_ptr<TableSchema>> BuildTable(const KeyspaceSchema& keyspace,
                                                const CreateTableStatement& s, EngineCore& core) {
  auto table = std::make_shared<TableSchema>();
  table->keyspace = keyspace.name;
  table->name = s.table.name;
  std::map<std::string, ColumnSchema> defined;
  for (const ColumnDefinition& def : s.columns) {
    if (defined.count(def.name) != 0) {
      return InvalidRequest("Multiple definition of identifier " + def.name);
    }
    auto type = cql::ParseCqlType(def.type, ResolverFor(keyspace));
    if (!type.has_value()) {
      if (type.error().code() == ErrorCode::kNotFound) {
        return InvalidRequest("Unknown type " + keyspace.name + "." + def.type);
      }
      return InvalidRequest(type.error().message());
    }
    ColumnSchema column{.name = def.name, .type = *type};
    column.kind = def.is_static ? ColumnKind::kStatic : ColumnKind::kRegular;
    defined[def.name] = column;
  }
  auto take = [&](const std::string& name, ColumnKind kind, int position) -> Status {
    auto it = defined.find(name);
    if (it == defined.end()) return InvalidRequest("Unknown definition " + name + " referenced in PRIMARY KEY");
    if (it->second.kind == ColumnKind::kStatic) {
      return InvalidRequest("Static column " + name + " cannot be part of the PRIMARY KEY");
    }
    it->second.kind = kind;
    it->second.position = position;
    CQLBULK_RETURN_IF_ERROR(CheckPrimaryKeyType(it->second));
    table->columns.push_back(it->second);
    defined.erase(it);
    return OkStatus();
  };
  for (size_t i = 0; i < s.partition_key.size(); ++i) {
    CQLBULK_RETURN_IF_ERROR(take(s.partition_key[i], ColumnKind::kPartitionKey, static_cast<int>(i)));
  }
  for (size_t i = 0; i < s.clustering_columns.size(); ++i) {
    CQLBULK_RETURN_IF_ERROR(take(s.clustering_columns[i], ColumnKind::kClustering, static_cast<int>(i)));
  }
  table->num_partition_key = s.partition_key.size();
  table->num_clustering = s.clustering_columns.size();
  for (size_t i = 0; i < s.clustering_order.size(); ++i) {
    const Ordering& o = s.clustering_order[i];
    if (std::find(s.clustering_columns.begin(), s.clustering_columns.end(), o.column) ==
        s.clustering_columns.end()) {
      return InvalidRequest("Only clustering key columns can be defined in CLUSTERING ORDER directive");
    }
    if (i >= s.clustering_columns.size() || s.clustering_columns[i] != o.column) {
      return InvalidRequest("The order of columns in the CLUSTERING ORDER directive must be the one of the clustering key");
    }
    table->columns[table->num_partition_key + i].is_descending = o.descending;
  }
  bool has_counter = false, has_non_counter = false;
  for (auto& [name, column] : defined) {
    if (column.kind == ColumnKind::kStatic && table->num_clustering == 0) {
      return InvalidRequest("Static columns are only useful (and thus allowed) if the table has at least one clustering column");
    }
    (column.type->id == cql::TypeId::kCounter ? has_counter : has_non_counter) = true;
  }
  // Static columns, then regular ones, each sorted by name (std::map order): `SELECT *`'s order.
  for (ColumnKind kind : {ColumnKind::kStatic, ColumnKind::kRegular}) {
    for (auto& [name, column] : defined) {
      if (column.kind == kind) table->columns.push_back(column);
    }
  }
  if (has_counter && has_non_counter) {
    return InvalidRequest("Cannot mix counter and non counter columns in the same table");
  }
  table->is_counter = has_counter;
  CQLBULK_ASSIGN_OR_RETURN(table->options, BuildTableOptions(s.properties));
  table->id = core.TimeUuid();
  for (const Property& p : s.properties) {
    if (p.name != "id") continue;
    auto id = Uuid::Parse(p.value.literal_kind == LiteralKind::kString ? p.value.string_value : p.value.text);
    if (!id.has_value()) return ConfigurationError("Invalid table id " + p.value.text);
    table->id = *id;
  }
  return table;
}

Reply CreateTable(RequestContext& ctx, const CreateTableStatement& s) {
  auto ks_name = ResolveUserKeyspace(s.table.keyspace, ctx);
  if (!ks_name.has_value()) return ErrorReply(ks_name.error());
  std::lock_guard ddl(ctx.core.ddl_mutex);
  SchemaPtr current = ctx.core.CurrentSchema();
  const KeyspaceSchema* keyspace = current->FindKeyspace(*ks_name);
  if (keyspace == nullptr) return ErrorReply(InvalidRequest("Keyspace '" + *ks_name + "' doesn't exist"));
  if (keyspace->tables.count(s.table.name) != 0) {
    if (s.if_not_exists) return VoidReply();
    return AlreadyExistsReply("Cannot add already existing table \"" + s.table.name +
                                  "\" to keyspace \"" + *ks_name + "\"",
                              *ks_name, s.table.name);
  }
  if (!ValidName(s.table.name)) {
    return ErrorReply(InvalidRequest("Table name must not be empty, more than 48 characters long, "
                                     "or contain non-alphanumeric-underscore characters (got \"" +
                                     s.table.name + "\")"));
  }
  auto table = BuildTable(*keyspace, s, ctx.core);
  if (!table.has_value()) return ErrorReply(table.error());
  auto next_keyspace = std::make_shared<KeyspaceSchema>(*keyspace);
  std::shared_ptr<const TableSchema> created = *table;
  next_keyspace->tables[s.table.name] = created;
  return CommitKeyspaceChange(ctx, *current, *ks_name, std::move(next_keyspace), SchemaChangeType::kCreated,
                              SchemaChangeTarget::kTable, s.table.name, {created}, {});
}

Reply DropTable(RequestContext& ctx, const DropTableStatement& s) {
  auto ks_name = ResolveUserKeyspace(s.table.keyspace, ctx);
  if (!ks_name.has_value()) return ErrorReply(ks_name.error());
  std::lock_guard ddl(ctx.core.ddl_mutex);
  SchemaPtr current = ctx.core.CurrentSchema();
  const KeyspaceSchema* keyspace = current->FindKeyspace(*ks_name);
  if (keyspace == nullptr) {
    if (s.if_exists) return VoidReply();
    return ErrorReply(InvalidRequest("Keyspace '" + *ks_name + "' doesn't exist"));
  }
  auto it = keyspace->tables.find(s.table.name);
  if (it == keyspace->tables.end()) {
    if (s.if_exists) return VoidReply();
    return ErrorReply(InvalidRequest("Table '" + *ks_name + "." + s.table.name + "' doesn't exist"));
  }
  Uuid id = it->second->id;
  auto next_keyspace = std::make_shared<KeyspaceSchema>(*keyspace);
  next_keyspace->tables.erase(s.table.name);
  return CommitKeyspaceChange(ctx, *current, *ks_name, std::move(next_keyspace), SchemaChangeType::kDropped,
                              SchemaChangeTarget::kTable, s.table.name, {}, {id});
}

Reply CreateType(RequestContext& ctx, const CreateTypeStatement& s) {
  auto ks_name = ResolveKeyspaceName(s.type.keyspace, ctx.keyspace);
  if (!ks_name.has_value()) return ErrorReply(ks_name.error());
  std::lock_guard ddl(ctx.core.ddl_mutex);
  SchemaPtr current = ctx.core.CurrentSchema();
  const KeyspaceSchema* keyspace = current->FindKeyspace(*ks_name);
  if (keyspace == nullptr) return ErrorReply(InvalidRequest("Keyspace '" + *ks_name + "' doesn't exist"));
  if (keyspace->types.count(s.type.name) != 0) {
    if (s.if_not_exists) return VoidReply();
    return ErrorReply(InvalidRequest("A user type with name '" + s.type.name + "' already exists"));
  }
  auto type = std::make_shared<UserTypeSchema>();
  type->keyspace = *ks_name;
  type->name = s.type.name;
  for (const FieldDefinition& field : s.fields) {
    auto field_type = cql::ParseCqlType(field.type, ResolverFor(*keyspace));
    if (!field_type.has_value()) return ErrorReply(InvalidRequest(field_type.error().message()));
    if ((*field_type)->id == cql::TypeId::kCounter) {
      return ErrorReply(InvalidRequest("A user type cannot contain counters"));
    }
    if (((*field_type)->is_collection() || (*field_type)->id == cql::TypeId::kUdt) && !(*field_type)->frozen) {
      return ErrorReply(InvalidRequest("Non-frozen UDTs with nested non-frozen collections are not supported"));
    }
    type->field_names.push_back(field.name);
    type->field_types.push_back(*field_type);
  }
  auto next_keyspace = std::make_shared<KeyspaceSchema>(*keyspace);
  next_keyspace->types[s.type.name] = type;
  return CommitKeyspaceChange(ctx, *current, *ks_name, std::move(next_keyspace), SchemaChangeType::kCreated,
                              SchemaChangeTarget::kType, s.type.name, {}, {});
}

Reply DropType(RequestContext& ctx, const DropTypeStatement& s) {
  auto ks_name = ResolveKeyspaceName(s.type.keyspace, ctx.keyspace);
  if (!ks_name.has_value()) return ErrorReply(ks_name.error());
  std::lock_guard ddl(ctx.core.ddl_mutex);
  SchemaPtr current = ctx.core.CurrentSchema();
  const KeyspaceSchema* keyspace = current->FindKeyspace(*ks_name);
  if (keyspace == nullptr || keyspace->types.count(s.type.name) == 0) {
    if (s.if_exists) return VoidReply();
    return ErrorReply(InvalidRequest("Type '" + *ks_name + "." + s.type.name + "' doesn't exist"));
  }
  for (const auto& [name, table] : keyspace->tables) {
    for (const ColumnSchema& column : table->columns) {
      if (UsesType(*column.type, s.type.name)) {
        return ErrorReply(InvalidRequest("Cannot drop user type " + *ks_name + "." + s.type.name +
                                         " as it is still used by table " + *ks_name + "." + name));
      }
    }
  }
  for (const auto& [name, other] : keyspace->types) {
    for (const auto& field : other->field_types) {
      if (name != s.type.name && UsesType(*field, s.type.name)) {
        return ErrorReply(InvalidRequest("Cannot drop user type " + *ks_name + "." + s.type.name +
                                         " as it is still used by user type " + name));
      }
    }
  }
  auto next_keyspace = std::make_shared<KeyspaceSchema>(*keyspace);
  next_keyspace->types.erase(s.type.name);
  return CommitKeyspaceChange(ctx, *current, *ks_name, std::move(next_keyspace), SchemaChangeType::kDropped,
                              SchemaChangeTarget::kType, s.type.name, {}, {});
}

Reply Truncate(RequestContext& ctx, const TruncateStatement& s) {
  auto ks_name = ResolveUserKeyspace(s.table.keyspace, ctx);
  if (!ks_name.has_value()) return ErrorReply(ks_name.error());
  SchemaPtr schema = ctx.core.CurrentSchema();
  auto table = ResolveTable(*schema, s.table, ctx.keyspace);
  if (!table.has_value()) return ErrorReply(table.error());
  TopologyPtr topology = ctx.core.CurrentTopology();
  int32_t alive = 0;
  for (const NodeInfo& node : topology->nodes) alive += node.is_up ? 1 : 0;
  if (alive < static_cast<int32_t>(topology->num_nodes())) {
    return ErrorReply(cql::ErrorResponse{
        .code = static_cast<int32_t>(cql::ErrorResponseCode::kUnavailable),
        .message = "Cannot achieve consistency level ALL",
        .details = cql::UnavailableInfo{cql::Consistency::kAll,
                                        static_cast<int32_t>(topology->num_nodes()), alive}});
  }
  if (auto store = ctx.core.Store((*table)->id)) {
    std::unique_lock lock(store->mutex());
    store->Clear();
  }
  return VoidReply();
}

Reply Use(RequestContext& ctx, const UseStatement& s) {
  SchemaPtr schema = ctx.core.CurrentSchema();
  if (schema->FindKeyspace(s.keyspace) == nullptr && !IsSystemKeyspace(s.keyspace)) {
    return ErrorReply(InvalidRequest("Keyspace '" + s.keyspace + "' does not exist"));
  }
  ctx.session.keyspace = s.keyspace;
  return ResultReply(cql::ResultResponse{cql::SetKeyspaceResult{s.keyspace}});
}

}  // namespace

Result<std::string> ResolveKeyspaceName(const std::string& qualifier, const std::string& current) {
  if (!qualifier.empty()) return qualifier;
  if (current.empty()) {
    return InvalidRequest("No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename");
  }
  return current;
}

Result<std::shared_ptr<const TableSchema>> ResolveTable(const Schema& schema,
                                                        const QualifiedName& name,
                                                        const std::string& keyspace) {
  CQLBULK_ASSIGN_OR_RETURN(std::string ks, ResolveKeyspaceName(name.keyspace, keyspace));
  const Schema& where = IsSystemKeyspace(ks) ? SystemSchema() : schema;
  const KeyspaceSchema* k = where.FindKeyspace(ks);
  if (k == nullptr) return InvalidRequest("Keyspace " + ks + " does not exist");
  auto it = k->tables.find(name.name);
  if (it == k->tables.end()) return InvalidRequest("unconfigured table " + name.name);
  return it->second;
}

Reply ExecuteDdl(RequestContext& ctx, const Statement& statement) {
  if (auto* s = std::get_if<CreateKeyspaceStatement>(&statement)) return CreateKeyspace(ctx, *s);
  if (auto* s = std::get_if<DropKeyspaceStatement>(&statement)) return DropKeyspace(ctx, *s);
  if (auto* s = std::get_if<CreateTableStatement>(&statement)) return CreateTable(ctx, *s);
  if (auto* s = std::get_if<DropTableStatement>(&statement)) return DropTable(ctx, *s);
  if (auto* s = std::get_if<CreateTypeStatement>(&statement)) return CreateType(ctx, *s);
  if (auto* s = std::get_if<DropTypeStatement>(&statement)) return DropType(ctx, *s);
  if (auto* s = std::get_if<TruncateStatement>(&statement)) return Truncate(ctx, *s);
  if (auto* s = std::get_if<UseStatement>(&statement)) return Use(ctx, *s);
  return ErrorReply(ServerError("not a schema statement"));
}

}  // namespace cqlbulk::sim::internal
