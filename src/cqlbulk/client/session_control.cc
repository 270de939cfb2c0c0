// SPDX-License-Identifier: Apache-2.0
// Connecting a session, the control connection, topology/schema refresh and events.
#include <utility>

#include "cqlbulk/client/session_internal.h"
#include "cqlbulk/client/topology_builder.h"
#include "cqlbulk/core/log.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/protocol/messages.h"
#include "cqlbulk/cql/types/ip_address.h"

namespace cqlbulk::client {

namespace {

struct HostPort {
  std::string address;
  uint16_t port = 0;
};

Result<HostPort> ParseContactPoint(std::string_view text, uint16_t default_port) {
  HostPort out{std::string(text), default_port};
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) {
      return InvalidArgument("contact point '" + std::string(text) + "' lacks a closing ']'");
    }
    out.address = std::string(text.substr(1, close - 1));
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') {
        return InvalidArgument("contact point '" + std::string(text) + "' is malformed");
      }
      port_text = text.substr(close + 2);
    }
  } else if (size_t colon = text.find(':');
             colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos) {
    out.address = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
  }
  if (!port_text.empty()) {
    int port = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9' || port > 65535) {
        return InvalidArgument("contact point '" + std::string(text) + "' has a bad port");
      }
      port = port * 10 + (c - '0');
    }
    if (port == 0 || port > 65535) {
      return InvalidArgument("contact point '" + std::string(text) + "' has a bad port");
    }
    out.port = static_cast<uint16_t>(port);
  }
  if (out.address.empty()) {
    return InvalidArgument("empty contact point");
  }
  return out;
}

asio::awaitable<void> WakeWhenClosed(std::shared_ptr<Connection> connection, Session::Impl* impl) {
  co_await connection->WaitClosed();
  if (impl->control_wakeup) impl->control_wakeup->cancel();
}

Result<std::shared_ptr<asio::ssl::context>> MakeTlsContext(const TlsOptions& tls) {
  auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  asio::error_code ec;
  if (!tls.ca_file.empty()) {
    context->load_verify_file(tls.ca_file, ec);
    if (ec) return InvalidArgument("cannot load CA file " + tls.ca_file + ": " + ec.message());
  } else {
    context->set_default_verify_paths(ec);
  }
  if (!tls.cert_file.empty()) {
    context->use_certificate_chain_file(tls.cert_file, ec);
    if (ec) return InvalidArgument("cannot load certificate " + tls.cert_file + ": " + ec.message());
  }
  if (!tls.key_file.empty()) {
    context->use_private_key_file(tls.key_file, asio::ssl::context::pem, ec);
    if (ec) return InvalidArgument("cannot load private key " + tls.key_file + ": " + ec.message());
  }
  context->set_verify_mode(tls.verify ? asio::ssl::verify_peer : asio::ssl::verify_none, ec);
  return context;
}

}  // namespace

asio::awaitable<Result<std::unique_ptr<Session>>> Session::Connect(SessionOptions options) {
  if (options.contact_points.empty()) {
    co_return InvalidArgument("no contact points given");
  }
  if (options.protocol_version && *options.protocol_version != 4 &&
      *options.protocol_version != 5) {
    co_return InvalidArgument("protocol version must be 4 or 5, not " +
                              std::to_string(*options.protocol_version));
  }
  auto impl = std::make_shared<Impl>(std::move(options));
  if (impl->options.tls) {
    CQLBULK_CO_ASSIGN_OR_RETURN(impl->tls, MakeTlsContext(*impl->options.tls));
  }
  impl->protocol_version = impl->options.protocol_version.value_or(5);
  impl->local_dc = impl->options.local_dc;
  impl->io = std::make_unique<IoThreads>(impl->options.io_threads);
  auto control_executor = impl->io->executor(0);
  Status connected = co_await RunOn(control_executor, impl->ConnectControl());
  if (!connected.has_value()) {
    impl->CloseAll();
    co_return std::move(connected).error();
  }
  size_t waiting = 0;
  {
    std::lock_guard<std::mutex> lock(impl->state_mu);
    waiting = impl->pools_waiting;
  }
  for (size_t i = 0; i < waiting; ++i) {
    co_await impl->first_round.AsyncAcquire(asio::use_awaitable);
  }
  asio::co_spawn(control_executor, impl->ControlLoop(), asio::detached);
  co_return std::unique_ptr<Session>(new Session(impl));
}

asio::awaitable<Status> Session::Impl::ConnectControl() {
  auto executor = io->executor(0);
  if (!control_wakeup) control_wakeup = std::make_unique<asio::steady_timer>(executor);
  Permit exclusive = co_await Acquire(control_lock);
  if (control && control->is_open() && state() != nullptr) {
    co_return co_await Refresh();  // another caller reconnected while this one waited
  }
  std::vector<HostPort> candidates;
  if (auto s = state()) {
    for (ring::HostIndex i : MakeQueryPlan(*s->topology, local_dc, {}, rotation++)) {
      candidates.push_back({s->topology->host(i).address, s->topology->host(i).port});
    }
  }
  for (const std::string& text : options.contact_points) {
    CQLBULK_CO_ASSIGN_OR_RETURN(HostPort hp, ParseContactPoint(text, options.port));
    candidates.push_back(std::move(hp));
  }
  std::string failures;
  for (const HostPort& candidate : candidates) {
    ConnectionOptions c = MakeConnectionOptions(candidate.address, candidate.port);
    c.handshake.may_downgrade = !options.protocol_version.has_value() && state() == nullptr;
    c.on_event = [this](cql::Frame frame) { OnEvent(std::move(frame)); };
    auto opened = co_await Connection::Open(executor, std::move(c));
    if (!opened.has_value()) {
      if (opened.error().code() == ErrorCode::kInvalidArgument) {
        co_return std::move(opened).error();  // credentials, certificates: no other host helps
      }
      failures += (failures.empty() ? "" : "; ") + opened.error().message();
      continue;
    }
    if (control && control != *opened) control->Close();  // a concurrent reconnect lost
    control = *opened;
    protocol_version = control->protocol_version();
    cql::RegisterRequest reg{{"TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"}};
    auto registered = co_await control->Send(reg, Clock::now() + options.request_timeout);
    if (!registered.has_value()) {
      failures += (failures.empty() ? "" : "; ") + registered.error().message();
      control->Close();
      continue;
    }
    Status refreshed = co_await Refresh();
    if (!refreshed.has_value()) {
      failures += (failures.empty() ? "" : "; ") + refreshed.error().message();
      control->Close();
      continue;
    }
    if (local_dc.empty()) {
      auto s = state();
      if (auto index = s->topology->FindHost(control->address(), control->port())) {
        local_dc = s->topology->host(*index).datacenter;
      }
    }
    asio::co_spawn(executor, WakeWhenClosed(control, this), asio::detached);
    co_return OkStatus();
  }
  co_return Unavailable("cannot connect to any contact point: " + failures);
}

asio::awaitable<Result<ResultPage>> Session::Impl::SystemQuery(Connection& connection,
                                                               std::string_view text) {
  cql::QueryRequest request{.query = std::string(text), .params = {}};
  request.params.consistency = cql::Consistency::kOne;
  auto frame = co_await connection.Send(request, Clock::now() + options.request_timeout);
  if (!frame.has_value()) co_return std::move(frame).error();
  if (frame->header.opcode == cql::Opcode::kError) {
    auto decoded = cql::DecodeResponseFrame(frame->view());
    if (!decoded.has_value()) co_return std::move(decoded).error();
    co_return cql::ToError(std::get<cql::ErrorResponse>(decoded->response))
        .WithContext(std::string(text));
  }
  co_return ResultPage::Make(std::move(*frame), connection.protocol_version(),
                             connection.endpoint());
}

asio::awaitable<Result<ResultPage>> Session::Impl::SystemPeers(Connection& connection) {
  auto peers = co_await SystemQuery(connection, kSelectPeersV2);
  if (!peers.has_value() && peers.error().code() == ErrorCode::kServer) {
    peers = co_await SystemQuery(connection, kSelectPeers);  // servers before Cassandra 4.0
  }
  co_return peers;
}

asio::awaitable<Status> Session::Impl::Refresh() {
  std::shared_ptr<Connection> connection = control;
  if (!connection || !connection->is_open()) {
    co_return Unavailable("the control connection is down");
  }
  uint64_t sequence = ++refreshes_started;
  auto query = [&](std::string_view text) { return SystemQuery(*connection, text); };
  CQLBULK_CO_ASSIGN_OR_RETURN(ResultPage local, co_await query(kSelectLocal));
  CQLBULK_CO_ASSIGN_OR_RETURN(ResultPage peers, co_await SystemPeers(*connection));
  CQLBULK_CO_ASSIGN_OR_RETURN(ResultPage keyspaces, co_await query(kSelectKeyspaces));
  CQLBULK_CO_ASSIGN_OR_RETURN(ResultPage tables, co_await query(kSelectTables));
  CQLBULK_CO_ASSIGN_OR_RETURN(ResultPage columns, co_await query(kSelectColumns));
  auto types = co_await query(kSelectTypes);
  SystemTablesRows rows{.local = &local.rows(),
                        .peers = &peers.rows(),
                        .keyspaces = &keyspaces.rows(),
                        .tables = &tables.rows(),
                        .columns = &columns.rows(),
                        .types = types.has_value() ? &types->rows() : nullptr};
  CQLBULK_CO_ASSIGN_OR_RETURN(
      TopologyData data,
      BuildTopologyData(rows, connection->address(), connection->port(), options.port));
  // Keep what the pools know about reachability.
  auto previous = state();
  for (HostInfo& host : data.hosts) {
    if (!previous) break;
    auto index = previous->topology->FindHost(host.address, host.port);
    if (index && previous->pools[*index] != nullptr) {
      host.is_up = previous->topology->host(*index).is_up || previous->pools[*index]->num_open() > 0;
    }
  }
  CQLBULK_CO_ASSIGN_OR_RETURN(TopologyPtr snapshot, TopologySnapshot::Make(std::move(data)));
  if (sequence > refresh_published) {
    refresh_published = sequence;
    Publish(std::move(snapshot));
  }
  co_return OkStatus();
}

asio::awaitable<Status> Session::Impl::RefreshOrReconnect() {
  if (control && control->is_open()) {
    Status refreshed = co_await Refresh();
    if (refreshed.has_value() || refreshed.error().code() != ErrorCode::kUnavailable) {
      co_return refreshed;
    }
    control->Close();  // it died under the refresh: move to another host
    control.reset();
  }
  co_return co_await ConnectControl();  // refreshes on success
}

asio::awaitable<Result<bool>> Session::Impl::SchemaAgreesAt(Connection& connection) {
  CQLBULK_CO_ASSIGN_OR_RETURN(ResultPage local, co_await SystemQuery(connection, kSelectLocal));
  CQLBULK_CO_ASSIGN_OR_RETURN(ResultPage peers, co_await SystemPeers(connection));
  co_return SchemaAgreesFrom(local.rows(), peers.rows(), connection.address(), connection.port(),
                             options.port, *state()->topology);
}

asio::awaitable<Status> Session::Impl::AwaitSchemaAgreement(std::shared_ptr<Connection> via) {
  auto deadline = Clock::now() + options.schema_agreement_timeout;
  while (true) {
    // Asked of the node that ran the change (it has the new version), then published
    // through the control connection, whose node may have learned of the change later.
    bool agrees = true;
    if (via && via->is_open()) {
      auto seen = co_await SchemaAgreesAt(*via);
      agrees = seen.has_value() && *seen;
    }
    CQLBULK_CO_RETURN_IF_ERROR(co_await RefreshOrReconnect());
    if (agrees && state()->topology->SchemaAgrees()) co_return OkStatus();
    if (Clock::now() >= deadline) break;
    asio::steady_timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds(200));
    co_await pause.async_wait(kNoThrow);
  }
  std::string versions;
  for (const HostInfo& host : state()->topology->hosts()) {
    if (host.is_up) versions += " " + host.endpoint() + "=" + host.schema_version.ToString();
  }
  GetLogger().Log(LogLevel::kWarn, "the nodes do not agree on the schema after " +
                                       std::to_string(options.schema_agreement_timeout.count()) +
                                       " ms:" + versions);
  co_return Unavailable("no schema agreement");
}

asio::awaitable<void> Session::Impl::ControlLoop() {
  auto delay = options.reconnect_base_delay;
  while (!stopping) {
    if (!control || !control->is_open()) {
      Status connected = co_await ConnectControl();
      if (!connected.has_value()) {
        control_wakeup->expires_after(delay);
        co_await control_wakeup->async_wait(kNoThrow);
        delay = std::min(delay * 2, options.reconnect_max_delay);
        continue;
      }
      delay = options.reconnect_base_delay;
    }
    if (refresh_requested) {
      refresh_requested = false;
      (void)co_await Refresh();
      continue;
    }
    control_wakeup->expires_at(asio::steady_timer::time_point::max());
    co_await control_wakeup->async_wait(kNoThrow);
  }
}

void Session::Impl::OnEvent(cql::Frame frame) {
  auto decoded = cql::DecodeResponseFrame(frame.view());
  if (!decoded.has_value()) return;
  const auto* event = std::get_if<cql::EventResponse>(&decoded->response);
  if (event == nullptr) return;
  if (const auto* status = std::get_if<cql::StatusChangeEvent>(&event->event)) {
    auto ip = cql::IpAddress::FromBytes(status->address.address);
    if (!ip.has_value()) return;
    std::string address = ip->ToString();
    auto port = static_cast<uint16_t>(status->address.port);
    if (status->change == cql::StatusChangeType::kDown) {
      SetHostUp(address, port, false);
    } else {
      std::lock_guard<std::mutex> lock(state_mu);
      auto it = pools.find(MakeEndpoint(address, port));
      if (it != pools.end()) it->second->Poke();
    }
    return;
  }
  refresh_requested = true;  // topology or schema changed: re-read the system tables
  if (control_wakeup) control_wakeup->cancel();
}

}  // namespace cqlbulk::client
