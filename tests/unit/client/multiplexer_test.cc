// SPDX-License-Identifier: Apache-2.0
// The connection multiplexer without sockets: stream ids, caps, coalescing, framing modes,
// timeouts, events and connection death.
#include "cqlbulk/client/multiplexer.h"

#include <map>
#include <string>
#include <vector>

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
