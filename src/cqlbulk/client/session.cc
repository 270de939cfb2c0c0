// SPDX-License-Identifier: Apache-2.0
// Session life cycle: I/O threads, host pools, publishing topology snapshots, closing.
#include <future>
#include <utility>

#include "cqlbulk/client/session_internal.h"
#include "cqlbulk/core/log.h"
#include "cqlbulk/core/macros.h"

namespace cqlbulk::client {

IoThreads::IoThreads(int count) {
  size_t n = static_cast<size_t>(std::max(1, count));
  for (size_t i = 0; i < n; ++i) {
    contexts_.push_back(std::make_unique<asio::io_context>(1));
    guards_.emplace_back(asio::make_work_guard(*contexts_.back()));
  }
  for (size_t i = 0; i < n; ++i) {
    threads_.emplace_back([context = contexts_[i].get()] { context->run(); });
  }
}

void IoThreads::Drain() {
  for (auto& context : contexts_) {
    if (context->stopped()) continue;
    std::promise<void> done;
    asio::post(*context, [&done] { done.set_value(); });
    done.get_future().wait();
  }
}

void IoThreads::Stop() {
  for (auto& guard : guards_) guard.reset();
  for (auto& context : contexts_) context->stop();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

HostPool::HostPool(Session::Impl& session, std::string address, uint16_t port, size_t seed)
    : session_(session),
      address_(std::move(address)),
      port_(port),
      endpoint_(MakeEndpoint(address_, port_)),
      seed_(seed),
      permits_(static_cast<size_t>(std::max(1, session.options.connections_per_host)) *
               static_cast<size_t>(std::max(1, session.options.max_requests_per_connection))) {
  size_t slots = static_cast<size_t>(std::max(1, session.options.connections_per_host));
  connections_.resize(slots);
  for (size_t i = 0; i < slots; ++i) {
    backoff_.push_back(std::make_unique<asio::steady_timer>(session.io->executor(seed_ + i)));
  }
  first_attempts_left_ = slots;
}

void HostPool::Start() {
  for (size_t i = 0; i < connections_.size(); ++i) {
    asio::co_spawn(session_.io->executor(seed_ + i), Maintain(i), asio::detached);
  }
}

asio::awaitable<void> HostPool::Maintain(size_t slot) {
  auto executor = session_.io->executor(seed_ + slot);
  auto delay = session_.options.reconnect_base_delay;
  bool first = true;
  while (!stopping_) {
    auto opened = co_await Connection::Open(executor, session_.MakeConnectionOptions(address_, port_));
    // Reported once the outcome is visible (connection stored, or host marked down), so that
    // Connect returns with usable pools.
    auto report_first = [&] {
      if (first) {
        first = false;
        if (--first_attempts_left_ == 0) session_.OnPoolFirstRound();
      }
    };
    if (stopping_) {
      report_first();
      if (opened.has_value()) (*opened)->Close();
      co_return;
    }
    if (!opened.has_value()) {
      if (num_open() == 0) session_.SetHostUp(address_, port_, false);
      report_first();
      // Bad credentials or certificates will not fix themselves: wait the longest.
      bool hopeless = opened.error().code() == ErrorCode::kInvalidArgument;
      backoff_[slot]->expires_after(hopeless ? session_.options.reconnect_max_delay : delay);
      co_await backoff_[slot]->async_wait(kNoThrow);
      delay = std::min(delay * 2, session_.options.reconnect_max_delay);
      continue;
    }
    delay = session_.options.reconnect_base_delay;
    std::shared_ptr<Connection> connection = *opened;
    {
      std::lock_guard<std::mutex> lock(mu_);
      connections_[slot] = connection;
    }
    session_.SetHostUp(address_, port_, true);
    report_first();
    co_await connection->WaitClosed();
    {
      std::lock_guard<std::mutex> lock(mu_);
      connections_[slot].reset();
    }
    if (num_open() == 0 && !stopping_) session_.SetHostUp(address_, port_, false);
  }
}

std::shared_ptr<Connection> HostPool::Pick() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::shared_ptr<Connection> best;
  for (const auto& c : connections_) {
    if (c && c->is_open() && (!best || c->num_in_flight() < best->num_in_flight())) best = c;
  }
  return best;
}

size_t HostPool::num_open() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& c : connections_) n += (c && c->is_open()) ? 1 : 0;
  return n;
}

void HostPool::Poke() {
  for (auto& timer : backoff_) {
    asio::post(timer->get_executor(), [t = timer.get()] { t->cancel(); });
  }
}

void HostPool::Stop() {
  stopping_ = true;
  Poke();
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& c : connections_) {
    if (c) c->Close();
  }
}

HostStats HostPool::stats() const {
  HostStats s;
  s.endpoint = endpoint_;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& c : connections_) {
    if (c && c->is_open()) {
      ++s.num_connections;
      s.num_in_flight += c->num_in_flight();
    }
  }
  s.is_up = s.num_connections > 0;
  s.requests = requests.load();
  s.errors = errors.load();
  s.retries = retries.load();
  s.timeouts = timeouts.load();
  return s;
}

Session::Impl::Impl(SessionOptions opts)
    : options(std::move(opts)),
      global_permits(static_cast<size_t>(std::max(1, options.max_in_flight))),
      first_round(0) {}

std::shared_ptr<const RoutingState> Session::Impl::state() const {
  std::lock_guard<std::mutex> lock(state_mu);
  return state_;
}

HostPool& Session::Impl::PoolFor(const std::string& address, uint16_t port) {
  std::string key = MakeEndpoint(address, port);
  auto& pool = pools[key];
  if (pool == nullptr) {
    pool = std::make_unique<HostPool>(*this, address, port, pools.size());
    ++pools_waiting;
    pool->Start();
  }
  return *pool;
}

void Session::Impl::Publish(TopologyPtr topology) {
  auto next = std::make_shared<RoutingState>();
  std::lock_guard<std::mutex> lock(state_mu);
  for (const HostInfo& host : topology->hosts()) {
    next->pools.push_back(stopping ? nullptr : &PoolFor(host.address, host.port));
  }
  next->topology = std::move(topology);
  state_ = std::move(next);
}

void Session::Impl::SetHostUp(std::string_view address, uint16_t port, bool is_up) {
  std::lock_guard<std::mutex> lock(state_mu);
  if (state_ == nullptr) return;
  auto index = state_->topology->FindHost(address, port);
  if (!index || state_->topology->host(*index).is_up == is_up) return;
  auto next = std::make_shared<RoutingState>(*state_);
  next->topology = state_->topology->WithHostStatus(*index, is_up);
  state_ = std::move(next);
  if (GetLogger().Enabled(LogLevel::kInfo)) {
    GetLogger().Log(LogLevel::kInfo, "host " + std::string(address) + (is_up ? " is up" : " is down"));
  }
}

void Session::Impl::OnPoolFirstRound() {
  // Connect waits for one release per pool that existed when it started waiting.
  first_round.Release();
}

ConnectionOptions Session::Impl::MakeConnectionOptions(const std::string& address,
                                                       uint16_t port) const {
  ConnectionOptions c;
  c.address = address;
  c.port = port;
  c.handshake.protocol_version = protocol_version;
  c.handshake.may_downgrade = false;
  c.handshake.compression = options.compression;
  c.handshake.credentials = options.credentials;
  c.handshake.keyspace = options.keyspace;
  c.max_in_flight = static_cast<size_t>(std::max(1, options.max_requests_per_connection));
  c.tls = tls;
  c.verify_hostname = options.tls && options.tls->verify && options.tls->verify_hostname;
  c.connect_timeout = options.connect_timeout;
  return c;
}

void Session::Impl::CloseAll() {
  if (stopping.exchange(true)) return;
  {
    std::lock_guard<std::mutex> lock(state_mu);
    for (auto& [endpoint, pool] : pools) pool->Stop();
  }
  if (io) {
    asio::post(io->executor(0), [this] {
      if (control) control->Close();
      if (control_wakeup) control_wakeup->cancel();
    });
    io->Drain();  // the closes run; pending requests fail and their callers resume
    io->Drain();
    io->Stop();
  }
  control.reset();
  std::lock_guard<std::mutex> lock(state_mu);
  state_.reset();
  pools.clear();  // while the io_contexts still exist: sockets close against them
}

Session::Session(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

Session::~Session() { Close(); }

void Session::Close() {
  if (impl_) impl_->CloseAll();
}

TopologyPtr Session::topology() const {
  auto s = impl_->state();
  return s ? s->topology : nullptr;
}

std::vector<HostStats> Session::host_stats() const {
  std::vector<HostStats> out;
  std::lock_guard<std::mutex> lock(impl_->state_mu);
  for (const auto& [endpoint, pool] : impl_->pools) out.push_back(pool->stats());
  return out;
}

int Session::protocol_version() const { return impl_->protocol_version; }
const std::string& Session::local_dc() const { return impl_->local_dc; }
asio::any_io_executor Session::executor() const { return impl_->io->executor(0); }

// Execute and ExecuteBatch hand back the Impl's awaitable rather than awaiting it in a frame
// of their own (one coroutine frame less per request; a load sends one per ten rows).
asio::awaitable<Result<ResultPage>> Session::Execute(Statement statement) {
  return impl_->Execute(std::move(statement));
}

asio::awaitable<Result<ResultPage>> Session::Execute(std::string_view query) {
  co_return co_await impl_->Execute(Statement::Query(std::string(query)));
}

asio::awaitable<Result<ResultPage>> Session::ExecuteBatch(Batch batch) {
  return impl_->ExecuteBatch(std::move(batch));
}

asio::awaitable<Result<PreparedPtr>> Session::Prepare(std::string query, std::string keyspace) {
  co_return co_await impl_->Prepare(std::move(query), std::move(keyspace));
}

asio::awaitable<Status> Session::RefreshTopology() {
  co_return co_await RunOn(impl_->io->executor(0), impl_->RefreshOrReconnect());
}

}  // namespace cqlbulk::client
