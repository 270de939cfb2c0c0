// SPDX-License-Identifier: Apache-2.0
// Every frame and every v5 segment of the captures from a real Cassandra 4.0, checked against
// the *_index.json files: headers, offsets, segment boundaries, CRCs, whole stream consumed.
#include <cstring>
#include <functional>
#include <random>
#include <span>
#include <string>

#include "capture_stream.h"
#include "cqlbulk/cql/protocol/compression.h"
#include "cqlbulk/cql/protocol/frame_reader.h"
#include "testing/matchers.h"
#include "testing/testdata.h"

namespace cqlbulk::cql {
namespace {

using testing::CapturedFrame;
using testing::DecodedStream;
using testing::Direction;

class CaptureFramesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { captures_ = new std::vector<testing::Capture>(testing::LoadCaptures()); }
  static void TearDownTestSuite() {
    delete captures_;
    captures_ = nullptr;
  }
  static std::vector<testing::Capture>* captures_;
};

std::vector<testing::Capture>* CaptureFramesTest::captures_ = nullptr;

void ExpectHeaderMatchesIndex(const CapturedFrame& f, const nlohmann::json& j,
                              const std::string& where) {
  EXPECT_EQ(f.header.version, j["version"].get<int>()) << where;
  EXPECT_EQ(f.header.is_response, j["response"].get<bool>()) << where;
  EXPECT_EQ(f.header.flags, j["flags"].get<int>()) << where;
  EXPECT_EQ(f.header.stream, j["stream"].get<int>()) << where;
  EXPECT_EQ(static_cast<int>(f.header.opcode), j["opcode"].get<int>()) << where;
  EXPECT_EQ(OpcodeName(f.header.opcode), j["opcode_name"].get<std::string>()) << where;
  EXPECT_EQ(f.header.length, j["length"].get<uint32_t>()) << where;
  if (j.contains("uncompressed_length")) {
    EXPECT_EQ(f.body.size(), j["uncompressed_length"].get<size_t>()) << where;
    EXPECT_TRUE(f.header.has_flag(kFlagCompression)) << where;
  }
  if (f.in_segments) {
    EXPECT_EQ(f.payload_position, j["payload_position"].get<size_t>()) << where;
    EXPECT_EQ(f.segments, j["segments"].get<std::vector<size_t>>()) << where;
  } else {
    EXPECT_FALSE(j.contains("segments")) << where;
  }
  if (j.contains("offset")) {
    EXPECT_EQ(f.offset, j["offset"].get<size_t>()) << where;
  }
}

TEST_F(CaptureFramesTest, DecodesEveryFrameAndSegmentAsIndexed) {
  size_t total_frames = 0;
  size_t total_segments = 0;
  for (const auto& capture : *captures_) {
    for (const Direction& d : testing::LoadDirections(capture)) {
      CQLBULK_ASSERT_OK_AND_ASSIGN(DecodedStream s, testing::DecodeCapturedStream(d));

      EXPECT_EQ(s.consumed, d.bytes.size()) << d.label();
      ASSERT_EQ(s.frames.size(), d.frames.size()) << d.label();
      for (size_t i = 0; i < s.frames.size(); ++i) {
        ExpectHeaderMatchesIndex(s.frames[i], d.frames[i],
                                 d.label() + " frame " + std::to_string(i));
      }
      ASSERT_EQ(s.segments.size(), d.segments.size()) << d.label();
      for (size_t i = 0; i < s.segments.size(); ++i) {
        const auto& seg = s.segments[i];
        const auto& j = d.segments[i];
        std::string where = d.label() + " segment " + std::to_string(i);
        EXPECT_EQ(j["index"].get<size_t>(), i) << where;
        EXPECT_EQ(seg.offset, j["offset"].get<size_t>()) << where;
        EXPECT_EQ(seg.header_length, j["header_length"].get<size_t>()) << where;
        EXPECT_EQ(seg.payload_offset, j["payload_offset"].get<size_t>()) << where;
        EXPECT_EQ(seg.header.payload_length, j["payload_length"].get<uint32_t>()) << where;
        EXPECT_EQ(seg.header.self_contained, j["self_contained"].get<bool>()) << where;
        // PeekSegment verified both CRCs; the index agrees they are valid.
        EXPECT_TRUE(j["header_crc24_ok"].get<bool>()) << where;
        EXPECT_TRUE(j["payload_crc32_ok"].get<bool>()) << where;
        if (j.contains("uncompressed_length")) {
          EXPECT_EQ(seg.header.uncompressed_length, j["uncompressed_length"].get<uint32_t>())
              << where;
        }
      }
      total_frames += s.frames.size();
      total_segments += s.segments.size();
    }
  }
  // 484 frames and 233 segments in the four captures' indexes.
  EXPECT_EQ(total_frames, 484u);
  EXPECT_EQ(total_segments, 233u);
}

TEST_F(CaptureFramesTest, FrameReaderYieldsTheSameFramesWhateverTheChunking) {
  std::mt19937 rng(20240601);
  for (const auto& capture : *captures_) {
    for (const Direction& d : testing::LoadDirections(capture)) {
      CQLBULK_ASSERT_OK_AND_ASSIGN(DecodedStream expected, testing::DecodeCapturedStream(d));
      for (int round = 0; round < 3; ++round) {
        FrameReader reader;
        std::vector<Frame> frames;
        size_t pos = 0;
        // Round 0 feeds one byte at a time (every "need more" path), then random chunks.
        std::uniform_int_distribution<size_t> chunk(1, round == 1 ? 64 : 9000);
        while (pos < d.bytes.size()) {
          size_t n = round == 0 ? 1 : std::min(chunk(rng), d.bytes.size() - pos);
          reader.Feed(BytesView(d.bytes).subspan(pos, n));
          pos += n;
          while (true) {
            auto next = reader.Next();
            ASSERT_THAT(next, cqlbulk::testing::IsOk()) << d.label();
            if (!next->has_value()) break;
            if (capture.protocol_version >= 5 &&
                testing::EndsHandshake((*next)->header, d.from_client)) {
              reader.StartSegments(d.segment_format());
            }
            frames.push_back(**std::move(next));
          }
        }
        EXPECT_EQ(reader.buffered_bytes(), 0u) << d.label();
        EXPECT_EQ(reader.num_segments(), expected.segments.size()) << d.label();
        ASSERT_EQ(frames.size(), expected.frames.size()) << d.label();
        for (size_t i = 0; i < frames.size(); ++i) {
          Bytes wire = EncodeFrame(frames[i].header, frames[i].body);
          EXPECT_EQ(wire, expected.frames[i].wire) << d.label() << " frame " << i;
        }
      }
    }
  }
}

/// What a FrameReader makes of `bytes`: the frames, then the error that stopped it (empty
/// when none), read in chunks of `chunk` bytes through Feed, or through PrepareRead and
/// CommitRead (a socket reading into the reader's own buffer) when `in_place`.
struct ReadOutcome {
  std::vector<Frame> frames;
  std::string error;
  size_t buffered = 0;
};
ReadOutcome ReadAll(const Direction& d, int version, BytesView bytes, bool in_place,
                    const std::function<size_t()>& chunk) {
  ReadOutcome out;
  FrameReader reader;
  size_t pos = 0;
  while (pos < bytes.size() && out.error.empty()) {
    size_t n = std::min(chunk(), bytes.size() - pos);
    if (in_place) {
      std::span<uint8_t> room = reader.PrepareRead(n);
      EXPECT_GE(room.size(), n);
      std::memcpy(room.data(), bytes.data() + pos, n);
      reader.CommitRead(n);
    } else {
      reader.Feed(bytes.subspan(pos, n));
    }
    pos += n;
    while (true) {
      auto next = reader.Next();
      if (!next.has_value()) {
        out.error = next.error().ToString();
        break;
      }
      if (!next->has_value()) break;
      if (version >= 5 && testing::EndsHandshake((*next)->header, d.from_client)) {
        reader.StartSegments(d.segment_format());
      }
      out.frames.push_back(**std::move(next));
    }
  }
  out.buffered = reader.buffered_bytes();
  return out;
}

// Reading in place (PrepareRead/CommitRead) against Feed, the reference: the same frames and
// the same errors, for every captured stream whole and with a byte damaged here and there,
// cut into reads of random sizes (small ones, and socket-sized ones up to 64 KiB).
TEST_F(CaptureFramesTest, ReadingInPlaceYieldsWhatFeedYields) {
  std::mt19937 rng(20261203);
  size_t streams = 0;
  size_t errors = 0;
  for (const auto& capture : *captures_) {
    for (const Direction& d : testing::LoadDirections(capture)) {
      for (int round = 0; round < 12; ++round) {
        Bytes bytes = d.bytes;
        if (round >= 4 && !bytes.empty()) {  // damage a byte (most rounds end in an error)
          std::uniform_int_distribution<size_t> at(0, bytes.size() - 1);
          bytes[at(rng)] ^= static_cast<uint8_t>(1 + rng() % 255);
        }
        if (round >= 8 && bytes.size() > 1) bytes.resize(bytes.size() - 1 - rng() % 40);
        const size_t max_chunk = round % 2 == 0 ? 97 : size_t{65536};
        std::uniform_int_distribution<size_t> chunk(1, max_chunk);
        std::mt19937 a(static_cast<uint32_t>(round));
        std::mt19937 b(static_cast<uint32_t>(round) + 1000);  // other cuts than Feed's
        ReadOutcome fed =
            ReadAll(d, capture.protocol_version, bytes, false, [&] { return chunk(a); });
        ReadOutcome in_place =
            ReadAll(d, capture.protocol_version, bytes, true, [&] { return chunk(b); });
        ++streams;
        errors += fed.error.empty() ? 0 : 1;
        ASSERT_EQ(in_place.error, fed.error) << d.label() << " round " << round;
        if (fed.error.empty()) {
          ASSERT_EQ(in_place.buffered, fed.buffered) << d.label() << " round " << round;
        }
        ASSERT_EQ(in_place.frames.size(), fed.frames.size()) << d.label() << " round " << round;
        for (size_t i = 0; i < fed.frames.size(); ++i) {
          ASSERT_TRUE(in_place.frames[i] == fed.frames[i]) << d.label() << " frame " << i;
        }
        if (round < 4) {
          CQLBULK_ASSERT_OK_AND_ASSIGN(DecodedStream expected, testing::DecodeCapturedStream(d));
          ASSERT_EQ(in_place.frames.size(), expected.frames.size()) << d.label();
          EXPECT_EQ(in_place.buffered, 0u) << d.label();
        }
      }
    }
  }
  EXPECT_GT(streams, 0u);
  EXPECT_GT(errors, 0u);  // the damaged streams did reach the error paths
}

TEST_F(CaptureFramesTest, V4Lz4BodiesDecompressAndRecompressIdentically) {
  size_t compressed = 0;
  size_t server_compressed = 0;
  size_t identical = 0;
  for (const auto& capture : *captures_) {
    if (capture.name != "v4_lz4") continue;
    for (const Direction& d : testing::LoadDirections(capture)) {
      CQLBULK_ASSERT_OK_AND_ASSIGN(DecodedStream s, testing::DecodeCapturedStream(d));
      for (const CapturedFrame& f : s.frames) {
        if (!f.header.has_flag(kFlagCompression)) {
          // OPTIONS, SUPPORTED and STARTUP are never compressed.
          EXPECT_TRUE(f.header.opcode == Opcode::kOptions ||
                      f.header.opcode == Opcode::kSupported ||
                      f.header.opcode == Opcode::kStartup)
              << d.label() << " " << OpcodeName(f.header.opcode);
          continue;
        }
        ++compressed;
        Frame plain{f.plain_header(), f.body};
        CQLBULK_ASSERT_OK_AND_ASSIGN(Frame again, CompressFrame(plain, Compression::kLz4));
        CQLBULK_ASSERT_OK_AND_ASSIGN(Frame back, DecompressFrame(again, Compression::kLz4));
        EXPECT_EQ(back, plain);
        if (!d.from_client) {
          ++server_compressed;
          if (EncodeFrame(again.header, again.body) == f.wire) ++identical;
        }
      }
    }
  }
  EXPECT_EQ(compressed, 105u);
  // Cassandra's LZ4 (lz4-java over liblz4) produces the very bytes LZ4_compress_default does.
  // The Python driver's blocks differ for 5 of its frames, so client frames are only checked
  // to round-trip.
  EXPECT_EQ(identical, server_compressed);
  EXPECT_GT(server_compressed, 40u);
}

TEST_F(CaptureFramesTest, FrameReaderDecompressesV4BodiesWhenToldTheCompression) {
  for (const auto& capture : *captures_) {
    if (capture.name != "v4_lz4") continue;
    for (const Direction& d : testing::LoadDirections(capture)) {
      CQLBULK_ASSERT_OK_AND_ASSIGN(DecodedStream expected, testing::DecodeCapturedStream(d));
      FrameReader reader;
      reader.SetCompression(Compression::kLz4);
      reader.Feed(d.bytes);
      for (const CapturedFrame& f : expected.frames) {
        CQLBULK_ASSERT_OK_AND_ASSIGN(std::optional<Frame> got, reader.Next());
        ASSERT_TRUE(got.has_value());
        EXPECT_EQ(got->header, f.plain_header());
        EXPECT_EQ(got->body, f.body);
      }
      EXPECT_EQ(reader.buffered_bytes(), 0u);
    }
  }
}

TEST_F(CaptureFramesTest, ReadyWithEmptyCompressedBodyMatchesTheReadme) {
  // README: READY is 84 01 0001 02 00000005 + 00000000 00.
  Bytes expected = cqlbulk::testing::Hex("840100010200000005" "0000000000");
  FrameHeader h{.version = 4, .is_response = true, .flags = 0, .stream = 1,
                .opcode = Opcode::kReady, .length = 0};

  CQLBULK_ASSERT_OK_AND_ASSIGN(Frame f, CompressFrame(Frame{h, {}}, Compression::kLz4));

  EXPECT_EQ(EncodeFrame(f.header, f.body), expected);
}

}  // namespace
}  // namespace cqlbulk::cql
