// SPDX-License-Identifier: Apache-2.0
// Requests: building them, routing over the query plan, retries, re-preparing, preparing.
#include <algorithm>
#include <utility>

#include "cqlbulk/client/retry.h"
#include "cqlbulk/client/session_internal.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/protocol/messages.h"
#include "cqlbulk/ring/murmur3.h"
#include "cqlbulk/ring/routing_key.h"

namespace cqlbulk::client {

namespace {

/// The keyspace a prepared statement's table lives in.
std::string KeyspaceOf(const PreparedStatement& prepared) {
  if (prepared.metadata.global_table) return prepared.metadata.global_table->keyspace;
  if (!prepared.metadata.columns.empty()) return prepared.metadata.columns.front().keyspace;
  return prepared.keyspace;
}

asio::awaitable<void> Sleep(std::chrono::milliseconds delay) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(delay);
  co_await timer.async_wait(kNoThrow);
}

Result<PreparedStatement> ReadPrepared(const ResultPage& page, std::string query,
                                       std::string keyspace) {
  const auto* prepared = std::get_if<cql::PreparedResult>(&page.result().result);
  if (prepared == nullptr) {
    return ProtocolError("PREPARE was not answered with a Prepared result");
  }
  return PreparedStatement{.query = std::move(query),
                           .keyspace = std::move(keyspace),
                           .id = prepared->id,
                           .result_metadata_id = prepared->result_metadata_id,
                           .metadata = prepared->metadata,
                           .result_metadata = prepared->result_metadata};
}

/// Re-points EXECUTE / BATCH entries that used `old_id` at `new_id`.
void ReplaceId(cql::Request& request, const Bytes& old_id, const PreparedStatement& fresh) {
  if (auto* execute = std::get_if<cql::ExecuteRequest>(&request)) {
    if (execute->id == old_id) {
      execute->id = fresh.id;
      execute->result_metadata_id = fresh.result_metadata_id;
    }
  } else if (auto* batch = std::get_if<cql::BatchRequest>(&request)) {
    if (batch->encoded.count > 0) {
      // Rare (a host lost the statement and gave it a new id): the caller's bytes are
      // decoded into statements, whose ids can then change.
      auto decoded = cql::DecodeStatements(batch->encoded);
      if (!decoded.has_value()) return;  // our own bytes: cannot happen
      for (auto& s : *decoded) batch->statements.push_back(std::move(s));
      batch->encoded = {};
    }
    for (auto& s : batch->statements) {
      if (s.is_prepared && s.id == old_id) s.id = fresh.id;
    }
  }
}

}  // namespace

std::optional<ring::Token> Session::Impl::TokenOf(const PreparedStatement& prepared,
                                                  const std::vector<cql::BoundValue>& values) const {
  const auto& indexes = prepared.metadata.pk_indexes;
  if (indexes.empty() || indexes.size() > 16) return std::nullopt;
  std::array<BytesView, 16> components;
  for (size_t i = 0; i < indexes.size(); ++i) {
    if (indexes[i] >= values.size() || values[indexes[i]].kind != cql::BoundValue::Kind::kBytes) {
      return std::nullopt;
    }
    components[i] = values[indexes[i]].bytes;
  }
  auto s = state();
  if (s == nullptr || s->topology->partitioner().find("Murmur3") == std::string::npos) {
    return std::nullopt;
  }
  auto key = ring::BuildRoutingKey(std::span<const BytesView>(components.data(), indexes.size()));
  if (!key.has_value()) return std::nullopt;
  return ring::Murmur3Token(*key);
}

asio::awaitable<Result<ResultPage>> Session::Impl::Run(
    cql::Request request, std::string keyspace, std::optional<ring::Token> token,
    bool is_idempotent, std::optional<std::chrono::milliseconds> timeout,
    std::vector<PreparedPtr> prepared) {
  if (stopping) co_return Cancelled("the session is closed");
  // The permits are taken here rather than through Acquire(), a coroutine of its own: a frame
  // less per request when one is free.
  if (!global_permits.TryAcquire()) co_await global_permits.AsyncAcquire(asio::use_awaitable);
  Permit global(&global_permits);
  auto routing = state();
  if (routing == nullptr) co_return Cancelled("the session is closed");
  QueryPlan plan =
      MakeQueryPlan(*routing->topology, local_dc, {keyspace, token}, rotation++);
  if (plan.empty()) {
    co_return Unavailable("no host is up (of " +
                          std::to_string(routing->topology->hosts().size()) + " known)");
  }
  auto per_attempt = timeout.value_or(options.request_timeout);
  std::optional<Error> last;
  std::string tried;
  int attempts = 0;
  bool reprepared = false;
  for (size_t i = 0; i < plan.size() && attempts < options.retry.max_attempts; ++i) {
    HostPool* pool = routing->pools[plan[i]];
    if (pool == nullptr) continue;
    std::shared_ptr<Connection> connection = pool->Pick();
    if (connection == nullptr) {
      last = Unavailable("no open connection to " + pool->endpoint());
      continue;  // not sent: does not use up an attempt
    }
    if (attempts > 0) {
      pool->retries++;
      uint64_t random;
      {
        std::lock_guard<std::mutex> lock(rng_mu);
        random = rng();
      }
      co_await Sleep(RetryBackoff(options.retry, attempts, random));
    }
    ++attempts;
    pool->requests++;
    if (!pool->permits().TryAcquire()) co_await pool->permits().AsyncAcquire(asio::use_awaitable);
    Permit host_permit(&pool->permits());
    // Encoded by the connection as it writes it (no frame of its own); `request` lives in this
    // frame until the answer comes.
    auto response = co_await connection->AsyncSendRequest(request, Clock::now() + per_attempt,
                                                          asio::use_awaitable);
    host_permit.Reset();
    FailurePoint point = FailurePoint::kAnswered;
    std::optional<Error> error;
    if (!response.has_value() && response.error().code() == ErrorCode::kInvalidArgument) {
      // The request cannot be encoded for this version (a connection's own failures are
      // kUnavailable, kTimeout or kProtocol): returned as it is, not retried, as before.
      co_return std::move(response).error();
    }
    if (!response.has_value()) {
      point = FailurePoint::kNoAnswer;
      error = std::move(response).error();
      if (error->code() == ErrorCode::kTimeout) pool->timeouts++;
    } else if (response->header.opcode == cql::Opcode::kError) {
      auto decoded = cql::DecodeResponseFrame(response->view());
      if (!decoded.has_value()) co_return std::move(decoded).error();
      const auto& server_error = std::get<cql::ErrorResponse>(decoded->response);
      const auto* unprepared = std::get_if<cql::UnpreparedInfo>(&server_error.details);
      if (unprepared != nullptr && !reprepared) {
        // The host lost (or never had) the statement: prepare it there and try again.
        for (const PreparedPtr& p : prepared) {
          if (p->id != unprepared->id && prepared.size() > 1) continue;
          cql::PrepareRequest again{.query = p->query, .keyspace = std::nullopt};
          if (!p->keyspace.empty() && connection->protocol_version() >= 5) again.keyspace = p->keyspace;
          auto answer = co_await connection->Send(again, Clock::now() + per_attempt);
          if (!answer.has_value()) break;
          auto page = ResultPage::Make(std::move(*answer), connection->protocol_version(),
                                       connection->endpoint());
          if (!page.has_value()) break;
          auto fresh = ReadPrepared(*page, p->query, p->keyspace);
          if (fresh.has_value()) ReplaceId(request, p->id, *fresh);
        }
        reprepared = true;
        --attempts;
        --i;  // the same host again
        continue;
      }
      error = cql::ToError(server_error);
    } else {
      auto page = ResultPage::Make(std::move(*response), connection->protocol_version(),
                                   connection->endpoint());
      if (page.has_value() && page->kind() == cql::ResultKind::kSchemaChange) {
        // Let every node and the snapshot show the new schema before the caller goes on
        // (routing of the next statements, and the nodes that run them, depend on it).
        (void)co_await RunOn(io->executor(0), AwaitSchemaAgreement(connection));
      }
      co_return page;
    }
    pool->errors++;
    tried += (tried.empty() ? "" : ", ") + pool->endpoint();
    error->AddContext("on " + connection->endpoint());
    RetryDecision decision = DecideRetry(*error, point, is_idempotent);
    last = std::move(error);
    if (decision == RetryDecision::kFail) co_return std::move(*last);
  }
  if (!last) last = Unavailable("no host could take the request");
  if (attempts > 1) last->AddContext("after " + std::to_string(attempts) + " attempts (" + tried + ")");
  co_return std::move(*last);
}

// Execute and ExecuteBatch build the request and hand back Run's awaitable (no frame of their
// own: see Session::Execute).
asio::awaitable<Result<ResultPage>> Session::Impl::Execute(Statement st) {
  cql::QueryParameters params;
  params.consistency = st.consistency;
  params.values = std::move(st.values);
  params.encoded_values = std::move(st.encoded_values);
  params.serial_consistency = st.serial_consistency;
  params.page_size = st.page_size;
  params.paging_state = std::move(st.paging_state);
  params.timestamp = st.timestamp;
  if (protocol_version >= 5 && !options.keyspace.empty()) params.keyspace = options.keyspace;
  std::string keyspace = st.keyspace;
  std::optional<ring::Token> token = st.routing_token;
  std::vector<PreparedPtr> prepared;
  cql::Request request;
  if (st.prepared) {
    if (keyspace.empty()) keyspace = KeyspaceOf(*st.prepared);
    if (!token) token = TokenOf(*st.prepared, params.values);
    request = cql::ExecuteRequest{.id = st.prepared->id,
                                  .result_metadata_id = st.prepared->result_metadata_id,
                                  .params = std::move(params)};
    prepared.push_back(std::move(st.prepared));
  } else {
    request = cql::QueryRequest{.query = std::move(st.query), .params = std::move(params)};
  }
  if (keyspace.empty()) keyspace = options.keyspace;
  return Run(std::move(request), std::move(keyspace), token, st.is_idempotent, st.timeout,
             std::move(prepared));
}

asio::awaitable<Result<ResultPage>> Session::Impl::ExecuteBatch(Batch batch) {
  cql::BatchRequest request;
  request.type = batch.type;
  request.consistency = batch.consistency;
  request.serial_consistency = batch.serial_consistency;
  request.timestamp = batch.timestamp;
  if (protocol_version >= 5 && !options.keyspace.empty()) request.keyspace = options.keyspace;
  std::string keyspace = batch.keyspace;
  std::optional<ring::Token> token = batch.routing_token;
  std::vector<PreparedPtr> prepared;
  // Each prepared statement once, however many entries execute it.
  auto add_prepared = [&](const PreparedPtr& p) {
    if (std::find(prepared.begin(), prepared.end(), p) == prepared.end()) prepared.push_back(p);
  };
  request.statements.reserve(batch.entries.size());
  for (BatchEntry& entry : batch.entries) {
    cql::BatchStatement s;
    if (entry.prepared) {
      if (keyspace.empty()) keyspace = KeyspaceOf(*entry.prepared);
      if (!token) token = TokenOf(*entry.prepared, entry.values);
      s.is_prepared = true;
      s.id = entry.prepared->id;
      add_prepared(entry.prepared);
    } else {
      s.query = std::move(entry.query);
    }
    s.values = std::move(entry.values);
    request.statements.push_back(std::move(s));
  }
  request.encoded = std::move(batch.encoded);
  for (const PreparedPtr& p : batch.encoded_prepared) {
    if (keyspace.empty()) keyspace = KeyspaceOf(*p);
  }
  if (prepared.empty()) {
    // The bulk writer's batch (encoded statements only): its list is taken as it is, without
    // a second vector per request, once rid of repeats.
    prepared = std::move(batch.encoded_prepared);
    for (size_t i = 1; i < prepared.size();) {
      if (std::find(prepared.begin(), prepared.begin() + i, prepared[i]) != prepared.begin() + i) {
        prepared.erase(prepared.begin() + i);
      } else {
        ++i;
      }
    }
  } else {
    for (const PreparedPtr& p : batch.encoded_prepared) add_prepared(p);
  }
  if (keyspace.empty()) keyspace = options.keyspace;
  return Run(std::move(request), std::move(keyspace), token, batch.is_idempotent, batch.timeout,
             std::move(prepared));
}

asio::awaitable<Result<PreparedPtr>> Session::Impl::Prepare(std::string query,
                                                           std::string keyspace) {
  if (keyspace.empty()) keyspace = options.keyspace;
  std::string key = keyspace + '\0' + query;
  {
    std::lock_guard<std::mutex> lock(prepared_mu);
    if (auto it = prepared_cache.find(key); it != prepared_cache.end()) co_return it->second;
  }
  cql::PrepareRequest request{.query = query, .keyspace = std::nullopt};
  if (!keyspace.empty() && protocol_version >= 5) request.keyspace = keyspace;
  CQLBULK_CO_ASSIGN_OR_RETURN(
      ResultPage page, co_await Run(std::move(request), keyspace, std::nullopt,
                                    /*is_idempotent=*/true, std::nullopt, {}));
  CQLBULK_CO_ASSIGN_OR_RETURN(PreparedStatement prepared,
                              ReadPrepared(page, std::move(query), keyspace));
  auto shared = std::make_shared<const PreparedStatement>(std::move(prepared));
  std::lock_guard<std::mutex> lock(prepared_mu);
  auto [it, inserted] = prepared_cache.emplace(std::move(key), shared);
  co_return it->second;
}

}  // namespace cqlbulk::client
