// SPDX-License-Identifier: Apache-2.0
// Every message of the captures decoded and compared with the index "details"; every
// message re-encoded to the captured bytes; every ROWS body walked with the cursor.
#include "capture_details.h"
#include "capture_stream.h"
#include "cqlbulk/cql/protocol/messages.h"
#include "testing/matchers.h"

namespace cqlbulk::cql {
namespace {

using nlohmann::json;
using testing::CapturedFrame;
using testing::DecodedStream;
using testing::Direction;

class CaptureMessagesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    captures_ = new std::vector<testing::Capture>(testing::LoadCaptures());
  }
  static void TearDownTestSuite() {
    delete captures_;
    captures_ = nullptr;
  }
  static std::vector<testing::Capture>* captures_;
};

std::vector<testing::Capture>* CaptureMessagesTest::captures_ = nullptr;

/// The index details minus what our decoder cannot know (the request a response answers)
/// and notes; v4 spells duration as its custom class, which our type decoder maps to
/// duration, so the spelling is normalised.
json Comparable(json details) {
  details.erase("request_query");
  details.erase("values_truncated");
  auto normalise = [](json& columns) {
    for (auto& c : columns) {
      std::string s = c.get<std::string>();
      const std::string custom = "'org.apache.cassandra.db.marshal.DurationType'";
      if (auto p = s.find(custom); p != std::string::npos) s.replace(p, custom.size(), "duration");
      c = s;
    }
  };
  if (details.contains("columns")) normalise(details["columns"]);
  for (const char* k : {"bind_metadata", "result_metadata"}) {
    if (details.contains(k) && details[k].contains("columns")) normalise(details[k]["columns"]);
  }
  return details;
}

FrameView PlainView(const CapturedFrame& f, FrameHeader* header) {
  *header = f.plain_header();
  return FrameView{*header, f.body};
}

TEST_F(CaptureMessagesTest, DecodesEveryMessageAsIndexed) {
  size_t requests = 0;
  size_t responses = 0;
  for (const auto& capture : *captures_) {
    for (const Direction& d : testing::LoadDirections(capture)) {
      CQLBULK_ASSERT_OK_AND_ASSIGN(DecodedStream s, testing::DecodeCapturedStream(d));
      ASSERT_EQ(s.frames.size(), d.frames.size());
      for (size_t i = 0; i < s.frames.size(); ++i) {
        const json& j = d.frames[i];
        std::string where = d.label() + " frame " + std::to_string(i) + " (" +
                            j["description"].get<std::string>() + ")";
        FrameHeader h;
        FrameView view = PlainView(s.frames[i], &h);
        json ours;
        if (d.from_client) {
          CQLBULK_ASSERT_OK_AND_ASSIGN(RequestFrame r, DecodeRequestFrame(view));
          ours = testing::RequestDetails(r);
          ++requests;
        } else {
          CQLBULK_ASSERT_OK_AND_ASSIGN(ResponseFrame r, DecodeResponseFrame(view));
          ours = testing::ResponseDetails(r);
          ++responses;
          // Schema changes are only in the description: "... SCHEMA_CHANGE CREATED TABLE ks.t".
          const SchemaChange* change = nullptr;
          if (const auto* e = std::get_if<EventResponse>(&r.response)) {
            if (const auto* sc = std::get_if<SchemaChangeEvent>(&e->event)) change = &sc->change;
          } else if (const auto* res = std::get_if<ResultResponse>(&r.response)) {
            if (const auto* sc = std::get_if<SchemaChangeResult>(&res->result)) {
              change = &sc->change;
            }
          }
          if (change != nullptr) {
            EXPECT_EQ(j["description"].get<std::string>(),
                      std::string(OpcodeName(h.opcode)) + " SCHEMA_CHANGE " +
                          testing::SchemaChangeText(*change))
                << where;
          }
        }
        EXPECT_EQ(ours, Comparable(j["details"])) << where;
      }
    }
  }
  EXPECT_EQ(requests + responses, 484u);
  EXPECT_EQ(requests, 240u);
}

TEST_F(CaptureMessagesTest, ReencodesEveryMessageToTheCapturedBytes) {
  size_t checked = 0;
  for (const auto& capture : *captures_) {
    for (const Direction& d : testing::LoadDirections(capture)) {
      CQLBULK_ASSERT_OK_AND_ASSIGN(DecodedStream s, testing::DecodeCapturedStream(d));
      for (size_t i = 0; i < s.frames.size(); ++i) {
        FrameHeader h;
        FrameView view = PlainView(s.frames[i], &h);
        Bytes expected = EncodeFrame(h, s.frames[i].body);
        FrameOptions options{.protocol_version = h.version, .stream = h.stream, .flags = 0};
        Bytes again;
        if (d.from_client) {
          CQLBULK_ASSERT_OK_AND_ASSIGN(RequestFrame r, DecodeRequestFrame(view));
          options.flags = static_cast<uint8_t>(h.flags & ~EnvelopeFlags(r.envelope, false));
          CQLBULK_ASSERT_OK_AND_ASSIGN(again, EncodeRequestFrame(r.request, options, r.envelope));
        } else {
          CQLBULK_ASSERT_OK_AND_ASSIGN(ResponseFrame r, DecodeResponseFrame(view));
          options.flags = static_cast<uint8_t>(h.flags & ~EnvelopeFlags(r.envelope, true));
          CQLBULK_ASSERT_OK_AND_ASSIGN(again,
                                       EncodeResponseFrame(r.response, options, r.envelope));
        }
        EXPECT_EQ(ToHex(again), ToHex(expected)) << d.label() << " frame " << i;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 484u);
}

TEST_F(CaptureMessagesTest, RowsCursorWalksEveryCapturedRowsBodyExactly) {
  size_t bodies = 0;
  size_t rows = 0;
  size_t cells = 0;
  for (const auto& capture : *captures_) {
    for (const Direction& d : testing::LoadDirections(capture)) {
      if (d.from_client) continue;
      CQLBULK_ASSERT_OK_AND_ASSIGN(DecodedStream s, testing::DecodeCapturedStream(d));
      for (size_t i = 0; i < s.frames.size(); ++i) {
        const CapturedFrame& f = s.frames[i];
        if (f.header.opcode != Opcode::kResult) continue;
        CQLBULK_ASSERT_OK_AND_ASSIGN(EnvelopedBody body, ParseEnvelope(f.plain_header(), f.body));
        auto parsed = ParseRowsResult(body.message, capture.protocol_version);
        if (!parsed) continue;  // not a Rows result
        const json& j = d.frames[i]["details"];
        ASSERT_EQ(j["result_kind"], "ROWS");
        RowsCursor cursor = parsed->cursor();
        int32_t n = 0;
        while (true) {
          auto more = cursor.Next();
          ASSERT_THAT(more, cqlbulk::testing::IsOk()) << d.label() << " frame " << i;
          if (!*more) break;
          ASSERT_EQ(cursor.num_columns(), j["columns_count"].get<size_t>());
          for (size_t c = 0; c < cursor.num_columns(); ++c) {
            cells += cursor.cell(c).has_value() ? 1 : 0;
          }
          ++n;
        }
        EXPECT_EQ(n, j["rows_count"].get<int32_t>()) << d.label() << " frame " << i;
        EXPECT_EQ(cursor.bytes_remaining(), 0u) << d.label() << " frame " << i;
        ++bodies;
        rows += static_cast<size_t>(n);
      }
    }
  }
  EXPECT_EQ(bodies, 168u);
  EXPECT_GT(rows, 1000u);
  EXPECT_GT(cells, 10000u);
}

TEST_F(CaptureMessagesTest, RowsCursorSeesTheCapturedBigBlobAcrossTwoSegments) {
  for (const auto& capture : *captures_) {
    if (capture.protocol_version < 5) continue;
    for (const Direction& d : testing::LoadDirections(capture)) {
      if (d.from_client || d.role != "session") continue;
      CQLBULK_ASSERT_OK_AND_ASSIGN(DecodedStream s, testing::DecodeCapturedStream(d));
      bool found = false;
      for (const CapturedFrame& f : s.frames) {
        if (f.segments.size() != 2) continue;
        CQLBULK_ASSERT_OK_AND_ASSIGN(RowsResult rows, ParseRowsResult(f.body, 5));
        RowsCursor cursor = rows.cursor();
        CQLBULK_ASSERT_OK_AND_ASSIGN(bool more, cursor.Next());
        ASSERT_TRUE(more);
        std::optional<BytesView> blob = cursor.cell(0);
        ASSERT_TRUE(blob.has_value());
        ASSERT_EQ(blob->size(), 132000u);
        for (size_t k = 0; k < blob->size(); ++k) {
          ASSERT_EQ((*blob)[k], static_cast<uint8_t>(k % 251)) << k;  // 00 01 .. fa 00 01 ..
        }
        found = true;
      }
      EXPECT_TRUE(found) << d.label();
    }
  }
}

}  // namespace
}  // namespace cqlbulk::cql
