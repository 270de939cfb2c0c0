// SPDX-License-Identifier: Apache-2.0
// QUERY, PREPARE, EXECUTE and BATCH: parsing, the prepared cache, binding values.
#include <type_traits>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/ring/md5.h"
#include "cqlbulk/sim/engine/executor.h"
#include "cqlbulk/sim/parser/cql_parser.h"

namespace cqlbulk::sim::internal {
namespace {

Bytes PreparedId(const std::string& keyspace, const std::string& query) {
  // Cassandra: MD5 of the keyspace (when one is set) followed by the query string.
  std::string text = keyspace + query;
  ring::Md5Digest digest = ring::Md5::Hash(AsBytes(text));
  return Bytes(digest.begin(), digest.end());
}

Error ParseError(const Error& error) {
  int32_t code = error.server_code() != 0 ? error.server_code() : 0x2000;
  return Error(ErrorCode::kInvalidArgument, error.message(), code);
}

void ApplyParameters(RequestContext& ctx, const cql::QueryParameters& params) {
  ctx.consistency = params.consistency;
  ctx.serial_consistency = params.serial_consistency;
  ctx.timestamp = params.timestamp;
  ctx.page_size = params.page_size;
  ctx.paging_state = &params.paging_state;
  ctx.skip_metadata = params.skip_metadata;
}

Reply Unprepared(const Bytes& id) {
  return ErrorReply(cql::ErrorResponse{
      .code = static_cast<int32_t>(cql::ErrorResponseCode::kUnprepared),
      .message = "Prepared query with ID " + ToHex(id) +
                 " not found (either the query was not prepared on this host (maybe the host "
                 "has been restarted?) or you have prepared too many queries and it has been "
                 "evicted from the internal cache)",
      .details = cql::UnpreparedInfo{id}});
}

std::shared_ptr<const PreparedStatement> FindPrepared(EngineCore& core, const Bytes& id) {
  std::lock_guard lock(core.prepared_mutex);
  auto it = core.prepared.find(id);
  return it == core.prepared.end() ? nullptr : it->second;
}

Reply Query(RequestContext& ctx, const cql::QueryRequest& request) {
  ctx.keyspace = request.params.keyspace.value_or(ctx.session.keyspace);
  auto parsed = ParseStatement(request.query);
  if (!parsed.has_value()) return ErrorReply(ParseError(parsed.error()));
  ApplyParameters(ctx, request.params);
  Status bound = BindValues(parsed->bind_markers, request.params.values,
                            request.params.value_names, ctx);
  if (!bound.has_value()) return ErrorReply(bound.error());
  return ExecuteStatement(ctx, *parsed);
}

Reply Prepare(RequestContext& ctx, const cql::PrepareRequest& request) {
  std::string keyspace = request.keyspace.value_or(ctx.session.keyspace);
  auto parsed = ParseStatement(request.query);
  if (!parsed.has_value()) return ErrorReply(ParseError(parsed.error()));
  auto described = DescribePrepared(ctx.core, *parsed, keyspace);
  if (!described.has_value()) return ErrorReply(described.error());
  auto statement = std::make_shared<PreparedStatement>();
  statement->id = PreparedId(request.keyspace.has_value() || !ctx.session.keyspace.empty() ? keyspace : "",
                             request.query);
  statement->query = request.query;
  statement->keyspace = keyspace;
  statement->parsed = std::move(*parsed);
  described->id = statement->id;
  {
    std::lock_guard lock(ctx.core.prepared_mutex);
    ctx.core.prepared[statement->id] = statement;
  }
  return ResultReply(cql::ResultResponse{std::move(*described)});
}

Reply Execute(RequestContext& ctx, const cql::ExecuteRequest& request) {
  auto statement = FindPrepared(ctx.core, request.id);
  if (statement == nullptr) return Unprepared(request.id);
  ctx.keyspace = statement->keyspace;
  ApplyParameters(ctx, request.params);
  if (ctx.protocol_version >= 5) ctx.client_metadata_id = &request.result_metadata_id;
  Status bound = BindValues(statement->parsed.bind_markers, request.params.values,
                            request.params.value_names, ctx);
  if (!bound.has_value()) return ErrorReply(bound.error());
  return ExecuteStatement(ctx, statement->parsed);
}

Reply Batch(RequestContext& ctx, const cql::BatchRequest& request) {
  std::string keyspace = request.keyspace.value_or(ctx.session.keyspace);
  ctx.keyspace = keyspace;
  ctx.consistency = request.consistency;
  ctx.serial_consistency = request.serial_consistency;
  ctx.timestamp = request.timestamp;
  // Parsed statements must outlive the items that point into them.
  std::vector<std::shared_ptr<const PreparedStatement>> keep;
  std::vector<BatchItem> items;
  for (const cql::BatchStatement& s : request.statements) {
    std::shared_ptr<const PreparedStatement> statement;
    if (s.is_prepared) {
      statement = FindPrepared(ctx.core, s.id);
      if (statement == nullptr) return Unprepared(s.id);
    } else {
      auto parsed = ParseStatement(s.query);
      if (!parsed.has_value()) return ErrorReply(ParseError(parsed.error()));
      auto owned = std::make_shared<PreparedStatement>();
      owned->query = s.query;
      owned->keyspace = keyspace;
      owned->parsed = std::move(*parsed);
      statement = owned;
    }
    keep.push_back(statement);
    const Statement& st = statement->parsed.statement;
    if (!std::holds_alternative<InsertStatement>(st) && !std::holds_alternative<UpdateStatement>(st) &&
        !std::holds_alternative<DeleteStatement>(st)) {
      return ErrorReply(InvalidRequest(
          "Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed."));
    }
    RequestContext binder(ctx.core, ctx.session);
    Status bound = BindValues(statement->parsed.bind_markers, s.values, {}, binder);
    if (!bound.has_value()) return ErrorReply(bound.error());
    items.push_back(BatchItem{.statement = nullptr, .bound = std::move(binder.bound),
                              .keyspace = statement->keyspace});
  }
  // Modification statements as the variant the executor takes.
  std::vector<ModificationStatement> statements;
  statements.reserve(keep.size());
  for (const auto& statement : keep) {
    std::visit(
        [&](const auto& s) {
          using T = std::decay_t<decltype(s)>;
          if constexpr (std::is_same_v<T, InsertStatement> || std::is_same_v<T, UpdateStatement> ||
                        std::is_same_v<T, DeleteStatement>) {
            statements.emplace_back(s);
          }
        },
        statement->parsed.statement);
  }
  for (size_t i = 0; i < items.size(); ++i) items[i].statement = &statements[i];
  return ExecuteBatch(ctx, items, request.type, UsingClause{}, /*is_batch=*/true);
}

}  // namespace

Status BindValues(const std::vector<BindMarker>& markers, const std::vector<cql::BoundValue>& values,
                  const std::vector<std::string>& names, RequestContext& ctx) {
  ctx.bound.assign(markers.size(), nullptr);
  if (names.empty()) {
    if (values.size() != markers.size()) {
      return InvalidRequest("There were " + std::to_string(markers.size()) +
                            " markers(?) in CQL but " + std::to_string(values.size()) +
                            " bound variables");
    }
    for (size_t i = 0; i < values.size(); ++i) ctx.bound[i] = &values[i];
    return OkStatus();
  }
  for (size_t i = 0; i < markers.size(); ++i) {
    std::string name = BindMarkerSpecName(markers[i]);
    bool found = false;
    for (size_t v = 0; v < names.size() && v < values.size(); ++v) {
      if (names[v] == name) {
        ctx.bound[i] = &values[v];
        found = true;
        break;
      }
    }
    if (!found) return InvalidRequest("Invalid unset value for column " + name);
  }
  return OkStatus();
}

Reply ExecuteStatement(RequestContext& ctx, const ParsedStatement& parsed) {
  const Statement& st = parsed.statement;
  if (auto* s = std::get_if<SelectStatement>(&st)) return ExecuteSelect(ctx, *s);
  if (std::holds_alternative<InsertStatement>(st) || std::holds_alternative<UpdateStatement>(st) ||
      std::holds_alternative<DeleteStatement>(st)) {
    ModificationStatement modification =
        std::holds_alternative<InsertStatement>(st)
            ? ModificationStatement(std::get<InsertStatement>(st))
            : (std::holds_alternative<UpdateStatement>(st)
                   ? ModificationStatement(std::get<UpdateStatement>(st))
                   : ModificationStatement(std::get<DeleteStatement>(st)));
    std::vector<BatchItem> items{{&modification, ctx.bound, ctx.keyspace}};
    return ExecuteBatch(ctx, items, cql::BatchType::kUnlogged, UsingClause{}, /*is_batch=*/false);
  }
  if (auto* s = std::get_if<BatchStatement>(&st)) {
    std::vector<BatchItem> items;
    for (const ModificationStatement& m : s->statements) items.push_back({&m, ctx.bound, ctx.keyspace});
    auto type = s->type == sim::BatchType::kLogged
                    ? cql::BatchType::kLogged
                    : (s->type == sim::BatchType::kUnlogged ? cql::BatchType::kUnlogged
                                                            : cql::BatchType::kCounter);
    return ExecuteBatch(ctx, items, type, s->using_clause, /*is_batch=*/true);
  }
  if (auto* s = std::get_if<UnsupportedStatement>(&st)) {
    return ErrorReply(InvalidRequest("Unsupported statement: " + s->kind + " is not supported by cqlsim"));
  }
  return ExecuteDdl(ctx, st);
}

Reply HandleRequest(EngineCore& core, const cql::Request& request, ring::HostIndex coordinator,
                    Session& session) {
  RequestContext ctx(core, session);
  ctx.coordinator = coordinator;
  ctx.protocol_version = session.protocol_version;
  ctx.now_millis = core.NowMillis();
  Reply reply;
  if (auto* q = std::get_if<cql::QueryRequest>(&request)) {
    reply = Query(ctx, *q);
  } else if (auto* p = std::get_if<cql::PrepareRequest>(&request)) {
    return Prepare(ctx, *p);
  } else if (auto* e = std::get_if<cql::ExecuteRequest>(&request)) {
    reply = Execute(ctx, *e);
  } else if (auto* b = std::get_if<cql::BatchRequest>(&request)) {
    reply = Batch(ctx, *b);
  } else {
    return ErrorReply(cql::ErrorResponse{.code = 0x000A,
                                         .message = "Unexpected request for the query engine",
                                         .details = std::monostate{}});
  }
  core.CountRequest(coordinator, ctx.routed, ctx.replica);
  for (std::string& w : ctx.warnings) reply.warnings.push_back(std::move(w));
  return reply;
}

}  // namespace cqlbulk::sim::internal
