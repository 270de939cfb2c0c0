// SPDX-License-Identifier: Apache-2.0
// The one file that drives sockets and OpenSSL for the client.
#include "cqlbulk/client/connection.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <utility>
#include <vector>

#include "cqlbulk/client/topology.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/protocol/messages.h"

namespace cqlbulk::client {

namespace {

constexpr size_t kReadBufferBytes = size_t{64} << 10;
constexpr auto kSweepPeriod = std::chrono::milliseconds(50);

MultiplexerOptions MuxOptions(const ConnectionOptions& options, int version) {
  MultiplexerOptions mux;
  mux.protocol_version = version;
  mux.max_in_flight = options.max_in_flight;
  mux.compression = options.handshake.compression;
  return mux;
}

}  // namespace

Connection::Connection(asio::any_io_executor executor, ConnectionOptions options,
                       int protocol_version)
    : executor_(executor),
      options_(std::move(options)),
      protocol_version_(protocol_version),
      endpoint_(MakeEndpoint(options_.address, options_.port)),
      socket_(executor),
      mux_(MuxOptions(options_, protocol_version)),
      wakeup_(executor),
      sweep_(executor),
      closed_(executor),
      deadline_(executor) {
  options_.handshake.protocol_version = protocol_version;
  options_.handshake.host = endpoint_;
  closed_.expires_at(asio::steady_timer::time_point::max());
  if (options_.on_event) {
    mux_.SetEventHandler(options_.on_event);
  }
}

Connection::~Connection() = default;

asio::awaitable<Result<std::shared_ptr<Connection>>> Connection::Open(
    asio::any_io_executor executor, ConnectionOptions options) {
  int version = options.handshake.protocol_version;
  while (true) {
    auto connection = std::make_shared<Connection>(executor, options, version);
    Status started = co_await connection->Start();
    if (started.has_value()) {
      co_return connection;
    }
    std::optional<int> lower = connection->downgrade_to_;
    if (lower && *lower >= 4 && *lower < version) {
      version = *lower;
      continue;
    }
    co_return std::move(started).error();
  }
}

asio::awaitable<Status> Connection::Start() {
  deadline_.expires_after(options_.connect_timeout);
  deadline_.async_wait([weak = weak_from_this()](const asio::error_code& ec) {
    if (ec) {
      return;  // cancelled: the start-up finished in time
    }
    if (auto self = weak.lock()) {
      self->timed_out_ = true;
      self->Fail(Unavailable("timed out after " +
                             std::to_string(self->options_.connect_timeout.count()) +
                             " ms connecting to " + self->endpoint_));
    }
  });
  Status status = co_await ConnectTransport();
  if (status.has_value()) {
    status = co_await RunHandshake();
  }
  deadline_.cancel();
  if (!status.has_value()) {
    Fail(status.error());
  }
  co_return status;
}

Error Connection::TlsError(const asio::error_code& ec) const {
  long verify = SSL_get_verify_result(tls_->native_handle());
  if (verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH) {
    return InvalidArgument("TLS certificate of " + endpoint_ + " does not name host " +
                           options_.address + " (check its subjectAltName, or turn off the "
                           "host name check)");
  }
  if (verify != X509_V_OK) {
    return InvalidArgument("TLS certificate of " + endpoint_ + " failed verification: " +
                           X509_verify_cert_error_string(verify));
  }
  return Unavailable("TLS handshake with " + endpoint_ + " failed: " + ec.message());
}

asio::awaitable<Status> Connection::ConnectTransport() {
  asio::error_code ec;
  asio::ip::address address = asio::ip::make_address(options_.address, ec);
  const bool is_address_literal = !ec;
  asio::ip::tcp::endpoint endpoint;
  if (!is_address_literal) {
    asio::ip::tcp::resolver resolver(executor_);
    auto [rec, results] = co_await resolver.async_resolve(options_.address,
                                                          std::to_string(options_.port), kNoThrow);
    if (rec || results.empty()) {
      co_return Unavailable("cannot resolve " + endpoint_ + ": " + rec.message());
    }
    endpoint = *results.begin();
  } else {
    endpoint = asio::ip::tcp::endpoint(address, options_.port);
  }
  auto [cec] = co_await socket_.async_connect(endpoint, kNoThrow);
  if (cec || timed_out_) {
    co_return timed_out_ ? Unavailable("timed out connecting to " + endpoint_)
                         : Unavailable("cannot connect to " + endpoint_ + ": " + cec.message());
  }
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  open_.store(true, std::memory_order_release);
  if (options_.tls) {
    tls_ = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket&>>(socket_, *options_.tls);
    SSL* ssl = tls_->native_handle();
    if (options_.verify_hostname) {
      // OpenSSL checks the name during verification, so a mismatch has its own verify result
      // (X509_V_ERR_IP_ADDRESS_MISMATCH / _HOSTNAME_MISMATCH) for TlsError to report.
      X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
      if (is_address_literal) {
        X509_VERIFY_PARAM_set1_ip_asc(param, options_.address.c_str());
      } else {
        X509_VERIFY_PARAM_set1_host(param, options_.address.c_str(), 0);
      }
    }
    if (!is_address_literal) {
      // A host name: send it for SNI.
      SSL_set_tlsext_host_name(ssl, options_.address.c_str());
    }
    auto [hec] = co_await tls_->async_handshake(asio::ssl::stream_base::client, kNoThrow);
    if (hec || timed_out_) {
      co_return timed_out_ ? Unavailable("timed out in the TLS handshake with " + endpoint_)
                           : TlsError(hec);
    }
  }
  auto self = shared_from_this();
  asio::co_spawn(executor_, ReadLoop(self), asio::detached);
  asio::co_spawn(executor_, WriteLoop(self), asio::detached);
  asio::co_spawn(executor_, SweepLoop(self), asio::detached);
  co_return OkStatus();
}

asio::awaitable<Status> Connection::RunHandshake() {
  Handshake handshake(options_.handshake);
  HandshakeAction action = handshake.Start();
  while (true) {
    switch (action.kind) {
      case HandshakeAction::Kind::kSend: {
        auto response = co_await Send(action.request, Clock::time_point::max());
        if (!response.has_value()) {
          co_return std::move(response).error();
        }
        action = handshake.OnResponse(*response);
        break;
      }
      case HandshakeAction::Kind::kReady:
        co_return OkStatus();
      case HandshakeAction::Kind::kRetryWithVersion:
        downgrade_to_ = action.version;
        co_return Unavailable(endpoint_ + " refused protocol v" +
                              std::to_string(protocol_version_));
      case HandshakeAction::Kind::kFail:
        co_return *action.error;
    }
  }
}

asio::awaitable<Result<cql::Frame>> Connection::Send(const cql::Request& request,
                                                     Clock::time_point deadline) {
  auto frame = cql::EncodeRequestFrame(request, {.protocol_version = protocol_version_});
  if (!frame.has_value()) {
    co_return std::move(frame).error();
  }
  co_return co_await Send(std::move(*frame), deadline);
}

void Connection::EnqueueHere(Bytes frame, std::unique_ptr<RequestCallback> callback,
                             Clock::time_point deadline) {
  mux_.Enqueue(std::move(frame), std::move(callback), deadline);
  wakeup_.cancel();
}

void Connection::EnqueueRequestHere(const cql::Request& request,
                                    std::unique_ptr<RequestCallback> callback,
                                    Clock::time_point deadline) {
  mux_.EnqueueRequest(request, std::move(callback), deadline);
  wakeup_.cancel();
}

asio::awaitable<void> Connection::ReadLoop(std::shared_ptr<Connection> self) {
  while (!self->failed_) {
    asio::error_code ec;
    size_t n = 0;
    // Straight into the multiplexer's frame reader: the bytes are not copied on their way in.
    std::span<uint8_t> room = mux_.PrepareRead(kReadBufferBytes);
    if (tls_) {
      std::tie(ec, n) =
          co_await tls_->async_read_some(asio::buffer(room.data(), room.size()), kNoThrow);
    } else {
      std::tie(ec, n) =
          co_await socket_.async_read_some(asio::buffer(room.data(), room.size()), kNoThrow);
    }
    if (ec) {
      Fail(Unavailable(ec == asio::error::eof ? "connection to " + endpoint_ + " closed by the server"
                                              : "reading from " + endpoint_ + ": " + ec.message()));
      co_return;
    }
    Status consumed = mux_.CommitRead(n);
    if (!consumed.has_value()) {
      Fail(std::move(consumed).error().WithContext("from " + endpoint_));
      co_return;
    }
    if (mux_.has_pending_write()) {
      wakeup_.cancel();  // answers freed stream ids that queued requests were waiting for
    }
  }
}

asio::awaitable<void> Connection::WriteLoop(std::shared_ptr<Connection> self) {
  while (!self->failed_) {
    if (!mux_.has_pending_write()) {
      wakeup_.expires_at(asio::steady_timer::time_point::max());
      co_await wakeup_.async_wait(kNoThrow);
      continue;
    }
    BytesView out = mux_.PrepareWrite();
    asio::error_code ec;
    if (tls_) {
      std::tie(ec, std::ignore) =
          co_await asio::async_write(*tls_, asio::buffer(out.data(), out.size()), kNoThrow);
    } else {
      std::tie(ec, std::ignore) =
          co_await asio::async_write(socket_, asio::buffer(out.data(), out.size()), kNoThrow);
    }
    mux_.CommitWrite();
    if (ec) {
      Fail(Unavailable("writing to " + endpoint_ + ": " + ec.message()));
      co_return;
    }
  }
}

asio::awaitable<void> Connection::SweepLoop(std::shared_ptr<Connection> self) {
  while (!self->failed_) {
    sweep_.expires_after(kSweepPeriod);
    co_await sweep_.async_wait(kNoThrow);
    if (!self->failed_) {
      mux_.ExpireBefore(Clock::now());
    }
  }
}

void Connection::Fail(const Error& error) {
  if (failed_) {
    return;
  }
  failed_ = true;
  open_.store(false, std::memory_order_release);
  mux_.FailAll(error);
  asio::error_code ignored;
  socket_.close(ignored);
  wakeup_.cancel();
  sweep_.cancel();
  closed_.cancel();
  deadline_.cancel();
}

void Connection::Close() {
  asio::post(executor_, [self = shared_from_this()] {
    self->Fail(Unavailable("connection to " + self->endpoint_ + " closed by the client"));
  });
}

asio::awaitable<void> Connection::WaitClosed() {
  while (!failed_) {
    co_await closed_.async_wait(kNoThrow);
  }
}

}  // namespace cqlbulk::client
