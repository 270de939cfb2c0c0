// SPDX-License-Identifier: Apache-2.0
// The connection multiplexer without sockets: stream ids, caps, coalescing, framing modes,
// timeouts, events and connection death.
#include "cqlbulk/client/multiplexer.h"

#include <asio.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "cqlbulk/client/async_util.h"
#include "cqlbulk/client/result_page.h"
#include "cqlbulk/cql/protocol/compression.h"
#include "cqlbulk/cql/protocol/messages.h"
#include "cqlbulk/cql/protocol/segment.h"
#include "scripted_server.h"
#include "testing/matchers.h"

namespace cqlbulk::client {
namespace {

using ::cqlbulk::testing::IsError;
using test::Outcomes;
using test::ParseRequests;
using test::QueryFrame;
using test::ReplyFor;

TEST(MultiplexerTest, HandsOutIdsFromZeroAndRecyclesThem) {
  Multiplexer mux({.max_in_flight = 8});
  Outcomes out;
  for (int i = 0; i < 3; ++i) mux.Enqueue(QueryFrame(4, "q" + std::to_string(i)), out.Callback(i));

  auto first = ParseRequests(mux.PrepareWrite(), 4);
  mux.CommitWrite();
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].header.stream, 0);
  EXPECT_EQ(first[1].header.stream, 1);
  EXPECT_EQ(first[2].header.stream, 2);
  ASSERT_THAT(mux.Consume(ReplyFor(first[1])), testing::IsOk());
  mux.Enqueue(QueryFrame(4, "again"), out.Callback(3));
  auto second = ParseRequests(mux.PrepareWrite(), 4);
  mux.CommitWrite();

  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].header.stream, 1);  // the id just freed
  EXPECT_EQ(mux.num_in_flight(), 3u);
}

TEST(MultiplexerTest, NeverHasMoreInFlightThanTheCap) {
  Multiplexer mux({.max_in_flight = 4});
  Outcomes out;
  for (int i = 0; i < 10; ++i) mux.Enqueue(QueryFrame(4, "q" + std::to_string(i)), out.Callback(i));
  std::vector<cql::Frame> on_wire = ParseRequests(mux.PrepareWrite(), 4);
  mux.CommitWrite();
  EXPECT_EQ(on_wire.size(), 4u);
  EXPECT_FALSE(mux.has_pending_write());
  EXPECT_EQ(mux.num_queued(), 6u);

  size_t answered = 0;
  while (answered < 10) {
    ASSERT_FALSE(on_wire.empty());
    cql::Frame request = on_wire.front();
    on_wire.erase(on_wire.begin());
    ASSERT_THAT(mux.Consume(ReplyFor(request)), testing::IsOk());
    ++answered;
    EXPECT_LE(mux.num_in_flight(), 4u);
    auto more = ParseRequests(mux.PrepareWrite(), 4);
    mux.CommitWrite();
    on_wire.insert(on_wire.end(), more.begin(), more.end());
    EXPECT_LE(on_wire.size(), 4u);
  }

  EXPECT_EQ(out.num_ok(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(out.text(i), "q" + std::to_string(i));
}

TEST(MultiplexerTest, CoalescesManyRequestsIntoOneWrite) {
  Multiplexer mux({.max_in_flight = 1024});
  Outcomes out;
  for (int i = 0; i < 200; ++i) mux.Enqueue(QueryFrame(4, "q" + std::to_string(i)), out.Callback(i));

  auto frames = ParseRequests(mux.PrepareWrite(), 4);
  mux.CommitWrite();

  EXPECT_EQ(frames.size(), 200u);
  EXPECT_FALSE(mux.has_pending_write());
}

TEST(MultiplexerTest, SplitsAWriteAtTheByteLimit) {
  Multiplexer mux({.max_in_flight = 1024, .max_write_bytes = 1000});
  Outcomes out;
  std::string big(400, 'x');
  for (int i = 0; i < 5; ++i) mux.Enqueue(QueryFrame(4, big), out.Callback(i));

  size_t writes = 0;
  size_t frames = 0;
  while (mux.has_pending_write()) {
    frames += ParseRequests(mux.PrepareWrite(), 4).size();
    mux.CommitWrite();
    ++writes;
  }

  EXPECT_EQ(frames, 5u);
  EXPECT_EQ(writes, 2u);  // 3 frames pass 1000 bytes; the other 2 go next
}

TEST(MultiplexerTest, MatchesOutOfOrderResponsesByStreamId) {
  Multiplexer mux({});
  Outcomes out;
  for (int i = 0; i < 50; ++i) mux.Enqueue(QueryFrame(4, "q" + std::to_string(i)), out.Callback(i));
  auto frames = ParseRequests(mux.PrepareWrite(), 4);
  mux.CommitWrite();

  Bytes replies;
  for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
    Bytes r = ReplyFor(*it);
    replies.insert(replies.end(), r.begin(), r.end());
  }
  // Fed one byte at a time: frames cross every possible read boundary.
  for (uint8_t b : replies) ASSERT_THAT(mux.Consume(BytesView(&b, 1)), testing::IsOk());

  EXPECT_EQ(out.num_ok(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(out.text(i), "q" + std::to_string(i));
  EXPECT_EQ(mux.num_in_flight(), 0u);
}

TEST(MultiplexerTest, FailAllFailsEveryPendingAndQueuedRequestOnce) {
  Multiplexer mux({.max_in_flight = 4});
  Outcomes out;
  for (int i = 0; i < 10; ++i) mux.Enqueue(QueryFrame(4, "q"), out.Callback(i));
  (void)mux.PrepareWrite();
  mux.CommitWrite();

  mux.FailAll(Unavailable("connection to 127.0.0.1:9042 closed"));
  mux.Enqueue(QueryFrame(4, "late"), out.Callback(10));

  EXPECT_EQ(out.num_completed(), 11u);
  for (int i = 0; i <= 10; ++i) EXPECT_THAT(out.result(i), IsError(ErrorCode::kUnavailable));
  EXPECT_EQ(out.max_completions(), 1);
  EXPECT_EQ(mux.num_in_flight(), 0u);
  EXPECT_FALSE(mux.has_pending_write());
}

TEST(MultiplexerTest, RoutesEventsOnStreamMinusOneToTheHandler) {
  Multiplexer mux({});
  std::vector<cql::Frame> events;
  mux.SetEventHandler([&](cql::Frame f) { events.push_back(std::move(f)); });
  cql::EventResponse event{cql::StatusChangeEvent{cql::StatusChangeType::kDown,
                                                   {Bytes{127, 0, 0, 2}, 9042}}};
  auto bytes = cql::EncodeResponseFrame(event, {.protocol_version = 4, .stream = -1});
  ASSERT_TRUE(bytes.has_value());

  ASSERT_THAT(mux.Consume(*bytes), testing::IsOk());

  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].header.opcode, cql::Opcode::kEvent);
}

TEST(MultiplexerTest, AResponseOnAnIdleStreamIsAProtocolError) {
  Multiplexer mux({});
  auto bytes = cql::EncodeResponseFrame(cql::ReadyResponse{}, {.protocol_version = 4, .stream = 3});
  ASSERT_TRUE(bytes.has_value());

  EXPECT_THAT(mux.Consume(*bytes), IsError(ErrorCode::kProtocol));
}

TEST(MultiplexerTest, TimedOutRequestsKeepTheirIdUntilTheLateAnswer) {
  Multiplexer mux({.max_in_flight = 2});
  Outcomes out;
  auto t0 = Clock::now();
  mux.Enqueue(QueryFrame(4, "slow"), out.Callback(0), t0 + std::chrono::milliseconds(10));
  mux.Enqueue(QueryFrame(4, "fast"), out.Callback(1), t0 + std::chrono::seconds(10));
  auto frames = ParseRequests(mux.PrepareWrite(), 4);
  mux.CommitWrite();

  EXPECT_EQ(mux.ExpireBefore(t0 + std::chrono::milliseconds(20)), 1u);
  EXPECT_THAT(out.result(0), IsError(ErrorCode::kTimeout));
  EXPECT_EQ(mux.num_orphaned(), 1u);
  EXPECT_EQ(mux.num_in_flight(), 2u);

  ASSERT_THAT(mux.Consume(ReplyFor(frames[0])), testing::IsOk());  // late: dropped
  EXPECT_EQ(mux.num_orphaned(), 0u);
  EXPECT_EQ(mux.num_in_flight(), 1u);
  EXPECT_EQ(out.max_completions(), 1);
  EXPECT_FALSE(out.completed(1));
}

TEST(MultiplexerTest, QueuedRequestsAlsoTimeOut) {
  Multiplexer mux({.max_in_flight = 1});
  Outcomes out;
  auto t0 = Clock::now();
  mux.Enqueue(QueryFrame(4, "a"), out.Callback(0), t0 + std::chrono::seconds(10));
  mux.Enqueue(QueryFrame(4, "b"), out.Callback(1), t0 + std::chrono::milliseconds(1));
  (void)mux.PrepareWrite();
  mux.CommitWrite();

  EXPECT_EQ(mux.ExpireBefore(t0 + std::chrono::milliseconds(5)), 1u);

  EXPECT_THAT(out.result(1), IsError(ErrorCode::kTimeout));
  EXPECT_EQ(mux.num_queued(), 0u);
}

TEST(MultiplexerTest, V5SwitchesBothDirectionsToSegmentsAfterReady) {
  Multiplexer mux({.protocol_version = 5, .compression = cql::Compression::kLz4});
  Outcomes out;
  mux.Enqueue(test::StartupFrame(5, "lz4"), out.Callback(0));
  auto startup = ParseRequests(mux.PrepareWrite(), 5);
  mux.CommitWrite();
  ASSERT_EQ(startup.size(), 1u);
  ASSERT_THAT(mux.Consume(ReplyFor(startup[0], cql::ReadyResponse{})), testing::IsOk());
  EXPECT_TRUE(mux.in_segments());

  mux.Enqueue(QueryFrame(5, std::string(300, 'a')), out.Callback(1));
  BytesView wire = mux.PrepareWrite();
  auto queries = test::ParseSegmentedRequests(wire, cql::SegmentFormat::kLz4, 5);
  mux.CommitWrite();
  ASSERT_EQ(queries.size(), 1u);
  ASSERT_THAT(mux.Consume(test::Segmented(ReplyFor(queries[0]), cql::SegmentFormat::kLz4)),
              testing::IsOk());

  EXPECT_EQ(out.text(1), std::string(300, 'a'));
  EXPECT_LT(wire.size(), 300u);  // LZ4 shrank the repeated text
}

TEST(MultiplexerTest, V4CompressesBodiesOnlyAfterStartup) {
  Multiplexer mux({.protocol_version = 4, .compression = cql::Compression::kSnappy});
  Outcomes out;
  mux.Enqueue(test::StartupFrame(4, "snappy"), out.Callback(0));
  auto startup = ParseRequests(mux.PrepareWrite(), 4);
  mux.CommitWrite();
  ASSERT_EQ(startup.size(), 1u);
  EXPECT_FALSE(startup[0].header.has_flag(cql::kFlagCompression));
  ASSERT_THAT(mux.Consume(ReplyFor(startup[0], cql::ReadyResponse{})), testing::IsOk());

  mux.Enqueue(QueryFrame(4, std::string(500, 'b')), out.Callback(1));
  auto raw = ParseRequests(mux.PrepareWrite(), 4);
  mux.CommitWrite();
  ASSERT_EQ(raw.size(), 1u);
  EXPECT_TRUE(raw[0].header.has_flag(cql::kFlagCompression));
  EXPECT_LT(raw[0].body.size(), 100u);
  auto plain = cql::DecompressFrame(raw[0], cql::Compression::kSnappy);
  ASSERT_TRUE(plain.has_value());

  ASSERT_THAT(mux.Consume(test::CompressedReplyFor(*plain, cql::Compression::kSnappy)),
              testing::IsOk());

  EXPECT_EQ(out.text(1), std::string(500, 'b'));
}

/// Requests of every kind, with what the bulk writer sends (encoded values and statements,
/// borrowed) and the optional fields; the v5-only fields only when `version` is 5.
std::vector<cql::Request> EveryKindOfRequest(int version, const Bytes& encoded_row,
                                             const Bytes& encoded_batch) {
  std::vector<cql::Request> requests;
  requests.push_back(cql::OptionsRequest{});
  requests.push_back(cql::AuthResponseRequest{.token = Bytes{1, 2, 3}});
  requests.push_back(cql::AuthResponseRequest{.token = std::nullopt});
  requests.push_back(cql::RegisterRequest{.events = {"TOPOLOGY_CHANGE", "STATUS_CHANGE"}});
  cql::QueryRequest query{.query = "SELECT * FROM ks.t WHERE k = ?", .params = {}};
  query.params.values = {cql::BoundValue::Int(7), cql::BoundValue{}};
  query.params.page_size = 5000;
  query.params.paging_state = Bytes{9, 8, 7};
  query.params.serial_consistency = cql::Consistency::kLocalSerial;
  query.params.timestamp = 1234567890123;
  if (version >= 5) query.params.keyspace = "ks";
  requests.push_back(query);
  requests.push_back(cql::QueryRequest{.query = std::string(140000, 'x'), .params = {}});
  requests.push_back(cql::PrepareRequest{
      .query = "INSERT INTO t (k, v) VALUES (?, ?)",
      .keyspace = version >= 5 ? std::optional<std::string>("ks") : std::nullopt});
  cql::ExecuteRequest execute{.id = Bytes(16, 0xab), .result_metadata_id = {}, .params = {}};
  if (version >= 5) execute.result_metadata_id = Bytes(16, 0xcd);
  execute.params.encoded_values.count = 2;
  execute.params.encoded_values.borrowed = encoded_row;
  execute.params.consistency = cql::Consistency::kQuorum;
  requests.push_back(execute);
  cql::BatchRequest batch;
  batch.type = cql::BatchType::kUnlogged;
  batch.encoded.count = 3;
  batch.encoded.borrowed = encoded_batch;
  batch.consistency = cql::Consistency::kLocalQuorum;
  batch.timestamp = 42;
  requests.push_back(batch);
  cql::BatchRequest mixed;
  mixed.type = cql::BatchType::kLogged;
  mixed.statements.push_back({.is_prepared = false, .query = "INSERT INTO t (k) VALUES (1)",
                              .id = {}, .values = {}});
  mixed.statements.push_back(
      {.is_prepared = true, .query = {}, .id = Bytes(16, 0xab), .values = {cql::BoundValue::Int(1)}});
  mixed.encoded.count = 3;
  mixed.encoded.bytes = encoded_batch;
  if (version >= 5) mixed.now_in_seconds = 1700000000;
  requests.push_back(mixed);
  return requests;
}

// EnqueueRequest encodes a request where it goes out (v4: the write buffer itself; v5 and
// compression: a reused buffer, then the segment or the compressor). What goes on the wire
// must be, byte for byte, what Enqueue sends of the frame EncodeRequestFrame makes: over
// every request kind, v4 and v5, with and without compression, the STARTUP before the
// framing changes and the requests after it, one write holding many frames.
TEST(MultiplexerTest, RequestsEncodedInPlaceAreTheBytesOfEncodeRequestFrame) {
  Bytes encoded_row;
  for (int v : {17, -1}) {
    Bytes value = v < 0 ? Bytes() : Bytes{0, 0, 0, static_cast<uint8_t>(v)};
    encoded_row.push_back(0);
    encoded_row.push_back(0);
    encoded_row.push_back(0);
    encoded_row.push_back(v < 0 ? 0 : 4);
    if (v < 0) std::fill(encoded_row.end() - 4, encoded_row.end(), 0xff);  // null: -1
    encoded_row.insert(encoded_row.end(), value.begin(), value.end());
  }
  Bytes encoded_batch;
  for (int i = 0; i < 3; ++i) {
    cql::AppendPreparedHead(encoded_batch, Bytes(16, 0xab), 2);
    encoded_batch.insert(encoded_batch.end(), encoded_row.begin(), encoded_row.end());
  }
  struct Mode {
    int version;
    cql::Compression compression;
    const char* name;
  };
  for (Mode mode : {Mode{4, cql::Compression::kNone, "none"}, Mode{4, cql::Compression::kLz4, "lz4"},
                    Mode{4, cql::Compression::kSnappy, "snappy"},
                    Mode{5, cql::Compression::kNone, "none"}, Mode{5, cql::Compression::kLz4, "lz4"}}) {
    SCOPED_TRACE(std::string("v") + std::to_string(mode.version) + " " + mode.name);
    const MultiplexerOptions options{.protocol_version = mode.version,
                                     .max_in_flight = 64,
                                     .compression = mode.compression};
    Multiplexer framed(options);   // Enqueue(EncodeRequestFrame(...))
    Multiplexer in_place(options);  // EnqueueRequest(...)
    Outcomes framed_out;
    Outcomes in_place_out;
    auto frame_of = [&](const cql::Request& r) {
      auto frame = cql::EncodeRequestFrame(r, {.protocol_version = mode.version});
      EXPECT_TRUE(frame.has_value());
      return *frame;
    };
    cql::StartupRequest startup_message;
    startup_message.options.push_back({"CQL_VERSION", "3.0.0"});
    if (mode.compression != cql::Compression::kNone) {
      startup_message.options.push_back({"COMPRESSION", mode.name});
    }
    const cql::Request startup = startup_message;
    framed.Enqueue(frame_of(startup), framed_out.Callback(0));
    in_place.EnqueueRequest(startup, in_place_out.Callback(0));
    BytesView a = framed.PrepareWrite();
    BytesView b = in_place.PrepareWrite();
    ASSERT_EQ(Bytes(a.begin(), a.end()), Bytes(b.begin(), b.end()));
    auto sent = ParseRequests(a, mode.version);
    framed.CommitWrite();
    in_place.CommitWrite();
    ASSERT_EQ(sent.size(), 1u);
    Bytes ready = ReplyFor(sent[0], cql::ReadyResponse{});
    ASSERT_THAT(framed.Consume(ready), testing::IsOk());
    ASSERT_THAT(in_place.Consume(ready), testing::IsOk());
    ASSERT_EQ(framed.in_segments(), mode.version >= 5);
    ASSERT_EQ(in_place.in_segments(), mode.version >= 5);

    const std::vector<cql::Request> requests =
        EveryKindOfRequest(mode.version, encoded_row, encoded_batch);
    // Twice over, so that the reused buffers hold an earlier request's bytes when a later
    // one is encoded.
    for (int round = 0; round < 2; ++round) {
      for (size_t i = 0; i < requests.size(); ++i) {
        const int id = 1 + round * 100 + static_cast<int>(i);
        framed.Enqueue(frame_of(requests[i]), framed_out.Callback(id));
        in_place.EnqueueRequest(requests[i], in_place_out.Callback(id));
      }
      a = framed.PrepareWrite();
      b = in_place.PrepareWrite();
      ASSERT_FALSE(a.empty());
      ASSERT_EQ(a.size(), b.size());
      ASSERT_TRUE(std::equal(a.begin(), a.end(), b.begin())) << "round " << round;
      framed.CommitWrite();
      in_place.CommitWrite();
      EXPECT_EQ(framed.num_in_flight(), in_place.num_in_flight());
    }
    EXPECT_EQ(in_place.num_in_flight(), 2 * requests.size());
    EXPECT_EQ(in_place_out.num_completed(), 1u);  // the STARTUP alone is answered
  }
}

TEST(MultiplexerTest, ARequestThatCannotBeEncodedFailsAloneAndKeepsItsId) {
  Multiplexer mux({.protocol_version = 4, .max_in_flight = 8});
  Outcomes out;
  cql::QueryRequest refused{.query = "SELECT 1", .params = {}};
  refused.params.keyspace = "ks";  // v5 only: refused by the v4 encoder
  const cql::Request v5_only = refused;
  const cql::Request fine = cql::QueryRequest{.query = "SELECT 2", .params = {}};
  mux.EnqueueRequest(fine, out.Callback(0));
  mux.EnqueueRequest(v5_only, out.Callback(1));
  mux.EnqueueRequest(fine, out.Callback(2));

  BytesView wire = mux.PrepareWrite();
  auto frames = ParseRequests(wire, 4);
  mux.CommitWrite();

  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].header.stream, 0);
  EXPECT_EQ(frames[1].header.stream, 1);  // the refused request took no id
  auto expected = cql::EncodeRequestFrame(fine, {.protocol_version = 4, .stream = 1});
  ASSERT_TRUE(expected.has_value());
  EXPECT_EQ(Bytes(wire.end() - static_cast<std::ptrdiff_t>(expected->size()), wire.end()), *expected);
  EXPECT_THAT(out.result(1), IsError(ErrorCode::kInvalidArgument));
  EXPECT_EQ(mux.num_in_flight(), 2u);
  ASSERT_THAT(mux.Consume(ReplyFor(frames[1])), testing::IsOk());
  EXPECT_EQ(out.text(2), "SELECT 2");
}

/// Records how it was completed; on an answer, may enqueue another request from inside the
/// multiplexer (what a writer resumed in place does).
class RecordingCallback final : public RequestCallback {
 public:
  RecordingCallback(std::vector<std::string>* log, std::string name,
                    std::function<void()> on_answer = {})
      : log_(log), name_(std::move(name)), on_answer_(std::move(on_answer)) {}
  void Complete(Result<cql::Frame> response) override {
    log_->push_back(name_ + (response.has_value() ? " complete ok" : " complete error"));
  }
  void CompleteAnswer(Result<cql::Frame> response) override {
    log_->push_back(name_ + (response.has_value() ? " answer ok" : " answer error"));
    if (on_answer_) on_answer_();
  }

 private:
  std::vector<std::string>* log_;
  std::string name_;
  std::function<void()> on_answer_;
};

// An answer read from the socket completes through CompleteAnswer once the multiplexer is
// done with its stream, so that the requester can resume in place and enqueue its next
// request from in there; connection death and timeouts still go through Complete.
TEST(MultiplexerTest, AnswersCompleteInPlaceAndMayEnqueueTheNextRequest) {
  Multiplexer mux({.protocol_version = 4, .max_in_flight = 1});
  std::vector<std::string> log;
  const cql::Request second = cql::QueryRequest{.query = "second", .params = {}};
  mux.Enqueue(QueryFrame(4, "first"),
              std::make_unique<RecordingCallback>(&log, "first", [&] {
                // From inside Consume: the only stream id is free again already.
                EXPECT_EQ(mux.num_in_flight(), 0u);
                mux.EnqueueRequest(second, std::make_unique<RecordingCallback>(&log, "second"));
              }));
  auto first = ParseRequests(mux.PrepareWrite(), 4);
  mux.CommitWrite();
  ASSERT_EQ(first.size(), 1u);

  ASSERT_THAT(mux.Consume(ReplyFor(first[0])), testing::IsOk());
  ASSERT_EQ(log, std::vector<std::string>{"first answer ok"});
  auto next = ParseRequests(mux.PrepareWrite(), 4);
  mux.CommitWrite();
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].header.stream, first[0].header.stream);  // the id the answer freed
  ASSERT_THAT(mux.Consume(ReplyFor(next[0])), testing::IsOk());
  EXPECT_EQ(log.back(), "second answer ok");

  // A timeout and the connection's death complete through Complete, never in place.
  mux.Enqueue(QueryFrame(4, "late"), std::make_unique<RecordingCallback>(&log, "late"),
              Clock::now() - std::chrono::seconds(1));
  (void)mux.PrepareWrite();
  mux.CommitWrite();
  EXPECT_EQ(mux.ExpireBefore(Clock::now()), 1u);
  EXPECT_EQ(log.back(), "late complete error");
  mux.Enqueue(QueryFrame(4, "queued"), std::make_unique<RecordingCallback>(&log, "queued"));
  mux.FailAll(Unavailable("gone"));
  EXPECT_EQ(log.back(), "queued complete error");
}

// RemoteHandler::CompleteHere (how an answer resumes its requester): in place when called on
// the handler's own executor, through a post (as Complete always does) from anywhere else.
TEST(RemoteHandlerTest, CompleteHereRunsInPlaceOnItsOwnExecutorAndPostsFromElsewhere) {
  asio::io_context io;
  std::vector<std::string> log;
  auto make = [&](std::string name) {
    // An any_io_executor, as a coroutine's handler has.
    return RemoteHandler(asio::bind_executor(
        asio::any_io_executor(io.get_executor()),
        [&log, name](int v) { log.push_back(name + std::to_string(v)); }));
  };
  asio::post(io, [&] {
    auto here = make("here");
    here.CompleteHere(1);
    log.push_back("after here");
    auto posted = make("posted");
    posted.Complete(2);
    log.push_back("after posted");
  });
  io.run();
  EXPECT_EQ(log, (std::vector<std::string>{"here1", "after here", "after posted", "posted2"}));

  log.clear();
  io.restart();
  auto outside = make("outside");
  outside.CompleteHere(3);  // not on io's thread: posted
  EXPECT_TRUE(log.empty());
  io.run();
  EXPECT_EQ(log, std::vector<std::string>{"outside3"});
}

// ResultPage::Make takes a short cut for a plain VOID result (every write's answer). Over
// RESULT frames of every kind, with and without an envelope (tracing id, warnings, custom
// payload), trailing bytes and short bodies, the page must agree with cql's general decoder.
TEST(ResultPageTest, AgreesWithTheGeneralDecoderOnVoidAndEveryOtherResult) {
  std::vector<std::pair<std::string, cql::Frame>> frames;
  auto add = [&](std::string name, uint8_t flags, Bytes body) {
    cql::Frame f;
    f.header.version = 5;
    f.header.is_response = true;
    f.header.flags = flags;
    f.header.opcode = cql::Opcode::kResult;
    f.header.length = static_cast<uint32_t>(body.size());
    f.body = std::move(body);
    frames.emplace_back(std::move(name), std::move(f));
  };
  const Bytes void_body = {0, 0, 0, 1};
  add("void", 0, void_body);
  add("void, trailing bytes", 0, {0, 0, 0, 1, 9, 9});
  add("void, beta flag", cql::kFlagUseBeta, void_body);
  Bytes warned = {0, 1, 0, 4, 'w', 'a', 'r', 'n'};  // [string list] of one warning
  warned.insert(warned.end(), void_body.begin(), void_body.end());
  add("void with a warning", cql::kFlagWarning, warned);
  Bytes traced(16, 0x11);
  traced.insert(traced.end(), void_body.begin(), void_body.end());
  add("void with a tracing id", cql::kFlagTracing, traced);
  Bytes payload = {0, 0};  // an empty [bytes map]
  payload.insert(payload.end(), void_body.begin(), void_body.end());
  add("void with a custom payload", cql::kFlagCustomPayload, payload);
  add("set keyspace", 0, {0, 0, 0, 3, 0, 2, 'k', 's'});
  add("kind 1 under a tracing flag, too short", cql::kFlagTracing, void_body);
  add("short body", 0, {0, 0, 1});
  add("empty body", 0, {});
  for (const auto& [name, frame] : frames) {
    SCOPED_TRACE(name);
    auto general = cql::DecodeResponseFrame(frame.view());
    auto page = ResultPage::Make(frame, 5, "10.0.0.1:9042");
    ASSERT_EQ(page.has_value(), general.has_value());
    if (!page.has_value()) continue;
    const auto& result = std::get<cql::ResultResponse>(general->response);
    EXPECT_EQ(page->kind(), result.kind());
    EXPECT_EQ(page->warnings(), general->envelope.warnings);
    EXPECT_EQ(page->host(), "10.0.0.1:9042");
    EXPECT_EQ(page->size_bytes(), frame.body.size());
  }
}

// Boost.MySQL's check_network_errors idea: for an exchange of many requests, kill the
// connection after every step in turn; every request must complete exactly once, either
// with its answer or with the connection's error, and nothing may stay in flight.
TEST(MultiplexerTest, ConnectionDeathAtEveryStepCompletesEveryRequestOnce) {
  constexpr int kRequests = 12;
  for (int fail_at = 0; fail_at < 40; ++fail_at) {
    Multiplexer mux({.max_in_flight = 3, .max_write_bytes = 64});
    Outcomes out;
    int step = 0;
    bool dead = false;
    auto maybe_die = [&] {
      if (!dead && step++ == fail_at) {
        mux.FailAll(Unavailable("socket died"));
        dead = true;
      }
    };
    for (int i = 0; i < kRequests; ++i) {
      mux.Enqueue(QueryFrame(4, "q" + std::to_string(i)), out.Callback(i));
      maybe_die();
    }
    std::vector<cql::Frame> on_wire;
    while (!dead && (mux.has_pending_write() || !on_wire.empty())) {
      auto more = ParseRequests(mux.PrepareWrite(), 4);
      mux.CommitWrite();
      on_wire.insert(on_wire.end(), more.begin(), more.end());
      maybe_die();
      if (!on_wire.empty() && !dead) {
        Bytes reply = ReplyFor(on_wire.front());
        on_wire.erase(on_wire.begin());
        // Half a frame, a failure chance, then the rest.
        size_t half = reply.size() / 2;
        ASSERT_THAT(mux.Consume(BytesView(reply).first(half)), testing::IsOk());
        maybe_die();
        if (!dead) {
          ASSERT_THAT(mux.Consume(BytesView(reply).subspan(half)), testing::IsOk());
        }
        maybe_die();
      }
    }
    EXPECT_EQ(out.num_completed(), static_cast<size_t>(kRequests)) << "fail_at " << fail_at;
    EXPECT_EQ(out.max_completions(), 1) << "fail_at " << fail_at;
    for (int i = 0; i < kRequests; ++i) {
      if (!out.result(i).has_value()) {
        EXPECT_THAT(out.result(i), IsError(ErrorCode::kUnavailable));
      } else {
        EXPECT_EQ(out.text(i), "q" + std::to_string(i));
      }
    }
    EXPECT_EQ(mux.num_in_flight(), 0u);
  }
}

TEST(MultiplexerTest, CorruptInputAtEveryByteIsAnErrorNeverACrash) {
  Multiplexer probe({});
  Outcomes probe_out;
  probe.Enqueue(QueryFrame(4, "q"), probe_out.Callback(0));
  auto request = ParseRequests(probe.PrepareWrite(), 4);
  Bytes reply = ReplyFor(request[0]);
  for (size_t i = 0; i < reply.size(); ++i) {
    for (uint8_t flip : {uint8_t{0x80}, uint8_t{0xff}}) {
      Multiplexer mux({});
      Outcomes out;
      mux.Enqueue(QueryFrame(4, "q"), out.Callback(0));
      (void)mux.PrepareWrite();
      mux.CommitWrite();
      Bytes bad = reply;
      bad[i] ^= flip;
      Status consumed = mux.Consume(bad);
      if (!consumed.has_value()) mux.FailAll(consumed.error());
      mux.FailAll(Unavailable("closed"));
      EXPECT_EQ(out.num_completed(), 1u);
      EXPECT_EQ(out.max_completions(), 1);
    }
  }
}

}  // namespace
}  // namespace cqlbulk::client
