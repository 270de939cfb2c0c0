// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/engine/engine.h"

#include <chrono>

#include "cqlbulk/sim/engine/engine_internal.h"
#include "cqlbulk/sim/engine/executor.h"

namespace cqlbulk::sim {

using internal::EngineCore;

struct Engine::Impl {
  EngineCore core;
};

namespace internal {

Error InvalidRequest(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message), 0x2200);
}
Error SyntaxError(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message), 0x2000);
}
Error ConfigurationError(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message), 0x2300);
}
Error UnauthorizedError(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message), 0x2100);
}
Error ServerError(std::string message) {
  return Error(ErrorCode::kInternal, std::move(message), 0x0000);
}

cql::ErrorResponse ToErrorResponse(const Error& error) {
  int32_t code = error.server_code();
  if (code == 0 && error.code() == ErrorCode::kInvalidArgument) code = 0x2200;
  return cql::ErrorResponse{.code = code, .message = error.message(), .details = std::monostate{}};
}

Reply ErrorReply(const Error& error) { return Reply{cql::Response(ToErrorResponse(error)), {}}; }
Reply ErrorReply(cql::ErrorResponse error) { return Reply{cql::Response(std::move(error)), {}}; }
Reply ResultReply(cql::ResultResponse result) { return Reply{cql::Response(std::move(result)), {}}; }

int64_t EngineCore::NowMillis() const {
  if (options.now_millis) return options.now_millis();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t EngineCore::NextTimestampMicros() {
  int64_t now = NowMillis() * 1000;
  int64_t last = last_timestamp.load();
  while (true) {
    int64_t next = now > last ? now : last + 1;
    if (last_timestamp.compare_exchange_weak(last, next)) return next;
  }
}

uint64_t EngineCore::RandomU64() {
  std::lock_guard lock(rng_mutex);
  return rng();
}

Uuid EngineCore::RandomUuid() {
  Uuid u;
  StoreBE64(u.bytes.data(), RandomU64());
  StoreBE64(u.bytes.data() + 8, RandomU64());
  u.bytes[6] = static_cast<uint8_t>((u.bytes[6] & 0x0F) | 0x40);
  u.bytes[8] = static_cast<uint8_t>((u.bytes[8] & 0x3F) | 0x80);
  return u;
}

Uuid EngineCore::TimeUuid() {
  // Distinct 100ns ticks: the timestamp counter is strictly increasing microseconds.
  uint64_t t = static_cast<uint64_t>(NextTimestampMicros()) * 10 + 0x01B21DD213814000ULL;
  Uuid u;
  StoreBE32(u.bytes.data(), static_cast<uint32_t>(t));
  StoreBE16(u.bytes.data() + 4, static_cast<uint16_t>(t >> 32));
  StoreBE16(u.bytes.data() + 6, static_cast<uint16_t>(((t >> 48) & 0x0FFF) | 0x1000));
  StoreBE64(u.bytes.data() + 8, (RandomU64() & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL);
  return u;
}

SchemaPtr EngineCore::CurrentSchema() const {
  std::shared_lock lock(mutex);
  return schema;
}

TopologyPtr EngineCore::CurrentTopology() const {
  std::shared_lock lock(mutex);
  return topology;
}

std::shared_ptr<TableStore> EngineCore::Store(const Uuid& table_id) const {
  std::shared_lock lock(mutex);
  auto it = stores.find(table_id);
  return it == stores.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<TableStore>> EngineCore::AllStores() const {
  std::shared_lock lock(mutex);
  std::vector<std::shared_ptr<TableStore>> out;
  out.reserve(stores.size());
  for (const auto& [id, store] : stores) out.push_back(store);
  return out;
}

void EngineCore::CommitSchema(std::shared_ptr<Schema> next, const cql::SchemaChange& change,
                              const std::vector<std::shared_ptr<const TableSchema>>& created,
                              const std::vector<Uuid>& dropped) {
  next->version = RandomUuid();
  std::function<void(const cql::SchemaChangeEvent&)> notify;
  {
    std::unique_lock lock(mutex);
    schema = std::move(next);
    for (const auto& table : created) {
      stores[table->id] = std::make_shared<TableStore>(table, options.compaction);
    }
    for (const Uuid& id : dropped) stores.erase(id);
    notify = listener;
  }
  if (notify) notify(cql::SchemaChangeEvent{change});
}

void EngineCore::CountRequest(ring::HostIndex coordinator, bool routed, bool replica) {
  std::lock_guard lock(stats_mutex);
  if (coordinator >= stats.size()) stats.resize(coordinator + 1);
  NodeStats& s = stats[coordinator];
  ++s.requests;
  if (routed) {
    ++s.routed_requests;
    if (replica) ++s.replica_requests;
  }
}

}  // namespace internal

Engine::Engine(EngineOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->core.options = std::move(options);
  auto schema = std::make_shared<Schema>();
  schema->version = impl_->core.RandomUuid();
  impl_->core.schema = std::move(schema);
}

Engine::~Engine() = default;

void Engine::SetTopology(TopologyPtr topology) {
  std::unique_lock lock(impl_->core.mutex);
  impl_->core.topology = std::move(topology);
}

TopologyPtr Engine::topology() const { return impl_->core.CurrentTopology(); }
SchemaPtr Engine::schema() const { return impl_->core.CurrentSchema(); }

void Engine::SetSchemaListener(std::function<void(const cql::SchemaChangeEvent&)> listener) {
  std::unique_lock lock(impl_->core.mutex);
  impl_->core.listener = std::move(listener);
}

NodeStats Engine::stats(ring::HostIndex node) const {
  std::lock_guard lock(impl_->core.stats_mutex);
  return node < impl_->core.stats.size() ? impl_->core.stats[node] : NodeStats{};
}

void Engine::ResetStats() {
  std::lock_guard lock(impl_->core.stats_mutex);
  impl_->core.stats.clear();
}

void Engine::ForgetPreparedStatements() {
  std::lock_guard lock(impl_->core.prepared_mutex);
  impl_->core.prepared.clear();
}

Reply Engine::Handle(const cql::Request& request, ring::HostIndex coordinator, Session& session) {
  return internal::HandleRequest(impl_->core, request, coordinator, session);
}

size_t Engine::CompactIdleTables() {
  size_t compacted = 0;
  for (const auto& store : impl_->core.AllStores()) {
    if (store->CompactIfIdle(impl_->core.NowSeconds())) ++compacted;
  }
  return compacted;
}

void Engine::CompactTables() {
  for (const auto& store : impl_->core.AllStores()) {
    std::unique_lock lock(store->mutex());
    store->Compact(impl_->core.NowSeconds());
  }
}

Status Engine::Save(const std::string& directory) const {
  return internal::SaveEngine(impl_->core, directory);
}

Status Engine::Load(const std::string& directory) { return internal::LoadEngine(impl_->core, directory); }

}  // namespace cqlbulk::sim
