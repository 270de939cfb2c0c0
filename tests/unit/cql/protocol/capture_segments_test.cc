// SPDX-License-Identifier: Apache-2.0
// Re-encoding the captured v5 segments: byte-identical where the encoding is deterministic
// (uncompressed), and decode(encode(x)) == x for LZ4.
#include <random>

#include "capture_stream.h"
#include "cqlbulk/cql/protocol/frame_reader.h"
#include "cqlbulk/cql/protocol/segment.h"
#include "testing/matchers.h"
#include "testing/testdata.h"

namespace cqlbulk::cql {
namespace {

using testing::CapturedFrame;
using testing::CapturedSegment;
using testing::DecodedStream;
using testing::Direction;

class CaptureSegmentsTest : public ::testing::Test {
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

std::vector<testing::Capture>* CaptureSegmentsTest::captures_ = nullptr;

/// Frames of the stream carried by segments [first, last], in order.
std::vector<const CapturedFrame*> FramesIn(const DecodedStream& s, size_t first, size_t last) {
  std::vector<const CapturedFrame*> out;
  for (const auto& f : s.frames) {
    if (f.in_segments && f.segments.front() >= first && f.segments.back() <= last) {
      out.push_back(&f);
    }
  }
  return out;
}

TEST_F(CaptureSegmentsTest, EachSegmentReencodesFromItsPayload) {
  size_t uncompressed = 0;
  size_t lz4 = 0;
  size_t lz4_identical = 0;
  for (const auto& capture : *captures_) {
    if (capture.protocol_version < 5) continue;
    for (const Direction& d : testing::LoadDirections(capture)) {
      CQLBULK_ASSERT_OK_AND_ASSIGN(DecodedStream s, testing::DecodeCapturedStream(d));
      for (size_t i = 0; i < s.segments.size(); ++i) {
        const CapturedSegment& seg = s.segments[i];
        ByteWriter out;
        CQLBULK_ASSERT_OK(EncodeSegment(out, seg.payload, seg.header.self_contained,
                                        d.segment_format()));
        if (d.segment_format() == SegmentFormat::kUncompressed) {
          EXPECT_EQ(out.bytes(), seg.wire) << d.label() << " segment " << i;
          ++uncompressed;
          continue;
        }
        ++lz4;
        CQLBULK_ASSERT_OK_AND_ASSIGN(std::optional<SegmentView> back,
                                     PeekSegment(out.view(), SegmentFormat::kLz4));
        ASSERT_TRUE(back.has_value());
        EXPECT_EQ(back->wire_size, out.size());
        EXPECT_EQ(back->header.self_contained, seg.header.self_contained);
        // Compressed exactly when the captured sender compressed too.
        EXPECT_EQ(back->header.uncompressed_length != 0, seg.header.uncompressed_length != 0)
            << d.label() << " segment " << i;
        CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes payload, DecodeSegmentPayload(*back));
        EXPECT_EQ(payload, seg.payload);
        if (out.bytes() == seg.wire) ++lz4_identical;
      }
    }
  }
  EXPECT_EQ(uncompressed, 114u);
  EXPECT_EQ(lz4, 119u);
  // The segments liblz4 re-compresses to the same bytes (most of them); all decode back.
  EXPECT_GT(lz4_identical, 100u);
  RecordProperty("lz4_segments_byte_identical", static_cast<int>(lz4_identical));
}

TEST_F(CaptureSegmentsTest, SegmentEncoderRepacksCapturedFramesIntoTheSameSegments) {
  size_t groups = 0;
  for (const auto& capture : *captures_) {
    if (capture.protocol_version < 5) continue;
    for (const Direction& d : testing::LoadDirections(capture)) {
      CQLBULK_ASSERT_OK_AND_ASSIGN(DecodedStream s, testing::DecodeCapturedStream(d));
      Bytes whole;
      for (size_t i = 0; i < s.segments.size();) {
        size_t last = i;
        while (!s.segments[last].header.self_contained && last + 1 < s.segments.size() &&
               !s.segments[last + 1].header.self_contained) {
          ++last;
        }
        // The split size is the sender's choice: the Python driver cuts at 131071 (our
        // default), Cassandra at a little less; give the encoder the captured one.
        size_t max_payload = s.segments[i].header.self_contained
                                 ? kMaxSegmentPayloadBytes
                                 : s.segments[i].payload.size();
        SegmentEncoder encoder(d.segment_format(), max_payload);
        for (const CapturedFrame* f : FramesIn(s, i, last)) {
          CQLBULK_ASSERT_OK(encoder.Add(f->wire));
        }
        CQLBULK_ASSERT_OK(encoder.Flush());
        Bytes ours = encoder.TakeBytes();
        Bytes theirs;
        for (size_t k = i; k <= last; ++k) {
          theirs.insert(theirs.end(), s.segments[k].wire.begin(), s.segments[k].wire.end());
        }
        if (d.segment_format() == SegmentFormat::kUncompressed) {
          EXPECT_EQ(ours, theirs) << d.label() << " segments " << i << ".." << last;
        }
        whole.insert(whole.end(), ours.begin(), ours.end());
        ++groups;
        i = last + 1;
      }
      // Whatever the format, our segments decode to the captured frames.
      FrameReader reader;
      reader.StartSegments(d.segment_format());
      reader.Feed(whole);
      for (const CapturedFrame& f : s.frames) {
        if (!f.in_segments) continue;
        CQLBULK_ASSERT_OK_AND_ASSIGN(std::optional<Frame> got, reader.Next());
        ASSERT_TRUE(got.has_value()) << d.label();
        EXPECT_EQ(EncodeFrame(got->header, got->body), f.wire) << d.label();
      }
      CQLBULK_ASSERT_OK_AND_ASSIGN(std::optional<Frame> extra, reader.Next());
      EXPECT_FALSE(extra.has_value());
      EXPECT_EQ(reader.buffered_bytes(), 0u);
    }
  }
  EXPECT_GT(groups, 200u);
}

TEST_F(CaptureSegmentsTest, ClientLargeFrameSplitsAt131071Bytes) {
  for (const auto& capture : *captures_) {
    if (capture.name != "v5") continue;
    for (const Direction& d : testing::LoadDirections(capture)) {
      if (!d.from_client || d.role != "session") continue;
      CQLBULK_ASSERT_OK_AND_ASSIGN(DecodedStream s, testing::DecodeCapturedStream(d));
      const CapturedFrame* big = nullptr;
      for (const auto& f : s.frames) {
        if (f.segments.size() == 2) big = &f;
      }
      ASSERT_NE(big, nullptr);
      ASSERT_EQ(big->wire.size(), 132077u);
      SegmentEncoder encoder(SegmentFormat::kUncompressed);  // default split size

      CQLBULK_ASSERT_OK(encoder.Add(big->wire));
      CQLBULK_ASSERT_OK(encoder.Flush());

      Bytes expected = s.segments[big->segments[0]].wire;
      const Bytes& second = s.segments[big->segments[1]].wire;
      expected.insert(expected.end(), second.begin(), second.end());
      EXPECT_EQ(encoder.TakeBytes(), expected);
    }
  }
}

TEST(SegmentTest, Crc24OfACapturedHeader) {
  // v5 session c2s, first segment: 41 00 02 (65 bytes, self-contained), CRC24 d4 3e ee.
  Bytes header = cqlbulk::testing::Hex("410002");

  EXPECT_EQ(Crc24(header), 0xee3ed4u);
}

TEST(SegmentTest, Crc24TableMatchesTheBitAtATimeDefinition) {
  // §2.2's CRC24 (init 0x875060, polynomial 0x1974F0B), one bit at a time as the spec's
  // reference does it, against the table-driven Crc24 on random inputs of 0 to 64 bytes.
  auto reference = [](BytesView bytes) {
    uint32_t crc = 0x875060;
    for (uint8_t b : bytes) {
      crc ^= uint32_t{b} << 16;
      for (int i = 0; i < 8; ++i) {
        crc <<= 1;
        if ((crc & 0x1000000) != 0) crc ^= 0x1974F0B;
      }
    }
    return crc & 0xFFFFFF;
  };
  std::mt19937 rng(24);
  for (int trial = 0; trial < 2000; ++trial) {
    Bytes bytes(static_cast<size_t>(trial % 65));
    for (auto& b : bytes) b = static_cast<uint8_t>(rng());
    ASSERT_EQ(Crc24(bytes), reference(bytes)) << "trial " << trial;
  }
}

}  // namespace
}  // namespace cqlbulk::cql
