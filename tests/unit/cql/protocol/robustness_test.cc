// SPDX-License-Identifier: Apache-2.0
// Malformed input never crashes and never reads out of bounds: every truncation of captured
// frames and segments, corrupted CRCs, corrupt compressed bodies, random mutations.
#include <algorithm>
#include <random>
#include <set>

#include "capture_stream.h"
#include "cqlbulk/cql/protocol/compression.h"
#include "cqlbulk/cql/protocol/frame_reader.h"
#include "cqlbulk/cql/protocol/messages.h"
#include "cqlbulk/cql/protocol/segment.h"
#include "testing/matchers.h"
#include "testing/testdata.h"

namespace cqlbulk::cql {
namespace {

using ::cqlbulk::testing::IsError;
using testing::CapturedFrame;
using testing::DecodedStream;
using testing::Direction;

/// The v5 session streams (both directions), decoded once for all tests here.
class RobustnessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    captures_ = new std::vector<testing::Capture>(testing::LoadCaptures());
    streams_ = new std::vector<std::pair<Direction, DecodedStream>>();
    for (const auto& c : *captures_) {
      for (Direction& d : testing::LoadDirections(c)) {
        auto s = testing::DecodeCapturedStream(d);
        ASSERT_TRUE(s.has_value());
        streams_->emplace_back(std::move(d), *std::move(s));
      }
    }
  }
  static void TearDownTestSuite() {
    delete streams_;
    delete captures_;
  }

  /// One frame of each opcode (and result kind) per capture, the first one seen.
  static std::vector<std::pair<const Direction*, const CapturedFrame*>> SampleFrames() {
    std::vector<std::pair<const Direction*, const CapturedFrame*>> out;
    std::set<std::string> seen;
    for (const auto& [d, s] : *streams_) {
      for (const auto& f : s.frames) {
        std::string key = d.capture->name + std::string(OpcodeName(f.header.opcode));
        if (f.header.opcode == Opcode::kResult && f.body.size() >= 4) {
          key += std::to_string(LoadBE32(f.body.data())) + std::to_string(f.header.flags);
        }
        if (seen.insert(key).second) out.emplace_back(&d, &f);
      }
    }
    return out;
  }

  static std::vector<testing::Capture>* captures_;
  static std::vector<std::pair<Direction, DecodedStream>>* streams_;
};

std::vector<testing::Capture>* RobustnessTest::captures_ = nullptr;
std::vector<std::pair<Direction, DecodedStream>>* RobustnessTest::streams_ = nullptr;

/// Decodes a message and, for Rows, walks every row. OK only if all of it is well formed.
Status DecodeFully(const FrameView& frame) {
  if (!frame.header.is_response) {
    return DecodeRequestFrame(frame).has_value() ? OkStatus() : ProtocolError("request");
  }
  auto r = DecodeResponseFrame(frame);
  if (!r) return std::move(r).error();
  if (const auto* res = std::get_if<ResultResponse>(&r->response)) {
    if (const auto* rows = std::get_if<RowsResult>(&res->result)) {
      RowsCursor cursor = rows->cursor();
      while (true) {
        auto more = cursor.Next();
        if (!more) return std::move(more).error();
        if (!*more) break;
      }
    }
  }
  return OkStatus();
}

TEST_F(RobustnessTest, EveryTruncatedFrameNeedsMoreBytesAndEveryTruncatedBodyIsRejected) {
  size_t frames = 0;
  for (const auto& [d, f] : SampleFrames()) {
    // The wire form: every strict prefix is "need more bytes", never an error.
    for (size_t n = 0; n < f->wire.size(); ++n) {
      auto peeked = PeekFrame(BytesView(f->wire).first(n));
      ASSERT_THAT(peeked, cqlbulk::testing::IsOk()) << d->label() << " prefix " << n;
      ASSERT_FALSE(peeked->has_value()) << d->label() << " prefix " << n;
    }
    // The message: a body cut short anywhere is a kProtocol error.
    FrameHeader h = f->plain_header();
    for (size_t n = 0; n < f->body.size(); ++n) {
      h.length = static_cast<uint32_t>(n);
      Status s = DecodeFully(FrameView{h, BytesView(f->body).first(n)});
      ASSERT_THAT(s, IsError(ErrorCode::kProtocol))
          << d->label() << " " << OpcodeName(h.opcode) << " body cut at " << n;
    }
    ++frames;
  }
  EXPECT_GT(frames, 50u);
}

TEST_F(RobustnessTest, EveryTruncatedSegmentNeedsMoreBytes) {
  size_t segments = 0;
  for (const auto& [d, s] : *streams_) {
    for (size_t i = 0; i < s.segments.size(); i += 7) {  // a spread of segments, big ones too
      const Bytes& wire = s.segments[i].wire;
      for (size_t n = 0; n < wire.size(); ++n) {
        auto peeked = PeekSegment(BytesView(wire).first(n), d.segment_format());
        ASSERT_THAT(peeked, cqlbulk::testing::IsOk()) << d.label() << " prefix " << n;
        ASSERT_FALSE(peeked->has_value());
      }
      FrameReader reader;
      reader.StartSegments(d.segment_format());
      reader.Feed(BytesView(wire).first(wire.size() - 1));
      CQLBULK_ASSERT_OK_AND_ASSIGN(std::optional<Frame> none, reader.Next());
      EXPECT_FALSE(none.has_value());
      ++segments;
    }
  }
  EXPECT_GT(segments, 30u);
}

TEST_F(RobustnessTest, EveryCorruptedSegmentBitIsDetected) {
  size_t flips = 0;
  for (const auto& [d, s] : *streams_) {
    for (size_t i = 0; i < s.segments.size(); i += 5) {
      Bytes wire = s.segments[i].wire;
      // Headers, CRCs and trailers bit by bit; payloads at a few places.
      std::vector<size_t> positions;
      size_t header = SegmentHeaderSize(d.segment_format());
      for (size_t p = 0; p < header; ++p) positions.push_back(p);
      for (size_t p = wire.size() - 4; p < wire.size(); ++p) positions.push_back(p);
      const size_t step = std::max<size_t>(97, wire.size() / 16);
      for (size_t p = header; p < wire.size() - 4; p += step) positions.push_back(p);
      for (size_t p : positions) {
        for (int bit = 0; bit < 8; ++bit) {
          Bytes bad = wire;
          bad[p] ^= static_cast<uint8_t>(1u << bit);
          auto peeked = PeekSegment(bad, d.segment_format());
          // A flipped length bit may also make the segment look longer: "need more" then
          // is acceptable only if the header CRC still passed, which CRC24 rules out.
          ASSERT_THAT(peeked, IsError(ErrorCode::kProtocol))
              << d.label() << " segment " << i << " byte " << p << " bit " << bit;
          ++flips;
        }
      }
    }
  }
  EXPECT_GT(flips, 2000u);
}

TEST_F(RobustnessTest, CorruptLz4SegmentPayloadWithAValidCrcIsRejected) {
  Bytes payload(4000);
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<uint8_t>(i % 17);
  ByteWriter out;
  CQLBULK_ASSERT_OK(EncodeSegment(out, payload, true, SegmentFormat::kLz4));
  CQLBULK_ASSERT_OK_AND_ASSIGN(std::optional<SegmentView> seg,
                               PeekSegment(out.view(), SegmentFormat::kLz4));
  ASSERT_TRUE(seg.has_value());
  ASSERT_NE(seg->header.uncompressed_length, 0u);
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    Bytes garbage(seg->payload.begin(), seg->payload.end());
    garbage[rng() % garbage.size()] = static_cast<uint8_t>(rng());
    garbage.resize(garbage.size() - (rng() % 3));
    SegmentView bad{seg->header, garbage, 0};

    auto decoded = DecodeSegmentPayload(bad);

    // Either rejected, or (if the flip hit a literal) decodes to the announced size.
    if (decoded) {
      EXPECT_EQ(decoded->size(), payload.size());
    } else {
      EXPECT_THAT(decoded, IsError(ErrorCode::kProtocol));
    }
  }
}

TEST(CompressionRobustnessTest, BadLz4BlocksAreProtocolErrors) {
  Bytes data(10000);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>((i * 31) % 7);
  CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes block, Lz4CompressBlock(data));

  EXPECT_THAT(Lz4DecompressBlock(BytesView(block).first(block.size() / 2), data.size()),
              IsError(ErrorCode::kProtocol));
  EXPECT_THAT(Lz4DecompressBlock(block, data.size() - 1), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(Lz4DecompressBlock(block, data.size() + 1), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(Lz4DecompressBlock({}, 10), IsError(ErrorCode::kProtocol));
  std::mt19937 rng(11);
  for (int round = 0; round < 500; ++round) {
    Bytes junk(1 + rng() % 200);
    for (auto& b : junk) b = static_cast<uint8_t>(rng());
    auto r = Lz4DecompressBlock(junk, 1 + rng() % 5000);
    if (!r) {
      EXPECT_THAT(r, IsError(ErrorCode::kProtocol));
    }
  }
}

TEST(CompressionRobustnessTest, V4Lz4BodyLengthIsCheckedBeforeAllocating) {
  Bytes huge = cqlbulk::testing::Hex("7fffffff00");  // claims 2 GiB
  Bytes short_prefix = cqlbulk::testing::Hex("0000");

  EXPECT_THAT(DecompressFrameBody(Compression::kLz4, huge), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecompressFrameBody(Compression::kLz4, short_prefix),
              IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecompressFrameBody(Compression::kLz4, cqlbulk::testing::Hex("00000010ff"), 8),
              IsError(ErrorCode::kProtocol));
}

TEST(CompressionRobustnessTest, BadSnappyBodiesAreProtocolErrors) {
  Bytes data(5000, 0x41);
  CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes good, CompressFrameBody(Compression::kSnappy, data));
  CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes back, DecompressFrameBody(Compression::kSnappy, good));
  ASSERT_EQ(back, data);

  EXPECT_THAT(DecompressFrameBody(Compression::kSnappy, BytesView(good).first(good.size() - 1)),
              IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecompressFrameBody(Compression::kSnappy, cqlbulk::testing::Hex("ffffffff0f00")),
              IsError(ErrorCode::kProtocol));  // a 4 GiB length prefix
  EXPECT_THAT(DecompressFrameBody(Compression::kSnappy, good, 100),
              IsError(ErrorCode::kProtocol));  // over the limit
  std::mt19937 rng(3);
  for (int round = 0; round < 500; ++round) {
    Bytes junk = good;
    junk[rng() % junk.size()] = static_cast<uint8_t>(rng());
    auto r = DecompressFrameBody(Compression::kSnappy, junk);
    if (!r) {
      EXPECT_THAT(r, IsError(ErrorCode::kProtocol));
    }
  }
}

TEST(CompressionRobustnessTest, CompressedFlagWithoutCompressionIsRejected) {
  Frame f{FrameHeader{.version = 4, .is_response = true, .flags = kFlagCompression,
                      .stream = 1, .opcode = Opcode::kReady, .length = 5},
          cqlbulk::testing::Hex("0000000000")};

  EXPECT_THAT(DecompressFrame(f, Compression::kNone), IsError(ErrorCode::kProtocol));
}

TEST_F(RobustnessTest, RandomMutationsOfCapturedFramesNeverCrash) {
  std::mt19937 rng(12345);
  size_t decoded_ok = 0;
  size_t rejected = 0;
  for (const auto& [d, f] : SampleFrames()) {
    for (int round = 0; round < 200; ++round) {
      Bytes body = f->body;
      int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits && !body.empty(); ++e) {
        size_t p = rng() % body.size();
        switch (rng() % 4) {
          case 0:
            body[p] = static_cast<uint8_t>(rng());
            break;
          case 1:  // make a length or count huge or negative
            body[p] = (rng() % 2) != 0 ? 0xFF : 0x7F;
            break;
          case 2:
            body.resize(p);
            break;
          default:
            body.insert(body.begin() + static_cast<std::ptrdiff_t>(p), static_cast<uint8_t>(rng()));
            break;
        }
      }
      FrameHeader h = f->plain_header();
      h.length = static_cast<uint32_t>(body.size());
      Status s = DecodeFully(FrameView{h, body});
      if (s) {
        ++decoded_ok;
      } else {
        EXPECT_EQ(s.error().code(), ErrorCode::kProtocol) << s.error().ToString();
        ++rejected;
      }
    }
  }
  EXPECT_GT(rejected, 1000u);
  RecordProperty("mutations_decoded", static_cast<int>(decoded_ok));
}

TEST_F(RobustnessTest, RandomlyMutatedStreamsFailCleanly) {
  std::mt19937 rng(99);
  for (const auto& [d, s] : *streams_) {
    for (int round = 0; round < 20; ++round) {
      Bytes bytes = d.bytes;
      bytes[rng() % bytes.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
      FrameReader reader(1 << 20);
      reader.Feed(bytes);
      for (int n = 0; n < 10000; ++n) {
        auto next = reader.Next();
        if (!next || !next->has_value()) break;
        if (d.capture->protocol_version >= 5 &&
            testing::EndsHandshake((*next)->header, d.from_client)) {
          reader.StartSegments(d.segment_format());
        }
      }
    }
  }
}

}  // namespace
}  // namespace cqlbulk::cql
