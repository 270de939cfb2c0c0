// SPDX-License-Identifier: Apache-2.0
// Frame headers, the frame decoder, segment packing and reassembly, compression helpers.
#include <random>

#include "cqlbulk/cql/protocol/compression.h"
#include "cqlbulk/cql/protocol/frame.h"
#include "cqlbulk/cql/protocol/frame_reader.h"
#include "cqlbulk/cql/protocol/segment.h"
#include "testing/matchers.h"
#include "testing/testdata.h"

namespace cqlbulk::cql {
namespace {

using ::cqlbulk::testing::Hex;
using ::cqlbulk::testing::IsError;

Bytes MakeFrame(int16_t stream, size_t body_size, uint8_t fill) {
  FrameHeader h{.version = 5, .is_response = true, .flags = 0, .stream = stream,
                .opcode = Opcode::kResult, .length = 0};
  return EncodeFrame(h, Bytes(body_size, fill));
}

TEST(FrameHeaderTest, EncodesAndDecodesTheNineBytes) {
  FrameHeader h{.version = 4, .is_response = true, .flags = kFlagWarning | kFlagTracing,
                .stream = -1, .opcode = Opcode::kEvent, .length = 0x0102};
  ByteWriter out;

  WriteFrameHeader(out, h);

  EXPECT_EQ(ToHex(out.view()), "840affff0c00000102");
  CQLBULK_ASSERT_OK_AND_ASSIGN(FrameHeader back, DecodeFrameHeader(out.view()));
  EXPECT_EQ(back, h);
}

TEST(FrameHeaderTest, RejectsUnknownOpcodesNegativeLengthsAndVersionZero) {
  EXPECT_THAT(DecodeFrameHeader(Hex("040000000400000000")), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeFrameHeader(Hex("040000001100000000")), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeFrameHeader(Hex("0400000007ffffffff")), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeFrameHeader(Hex("000000000700000000")), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeFrameHeader(Hex("0400000007")), IsError(ErrorCode::kProtocol));
}

TEST(FrameHeaderTest, PeekFrameEnforcesTheBodyLimitBeforeTheBodyArrives) {
  Bytes header = Hex("0400000007" "00100000");  // 1 MiB body announced

  EXPECT_THAT(PeekFrame(header, 1024), IsError(ErrorCode::kProtocol));
  CQLBULK_ASSERT_OK_AND_ASSIGN(std::optional<FrameView> pending, PeekFrame(header));
  EXPECT_FALSE(pending.has_value());
}

TEST(FrameHeaderTest, BeginAndFinishFramePatchTheLength) {
  ByteWriter out;
  size_t at = BeginFrame(out, FrameHeader{.version = 4, .is_response = false, .flags = 0,
                                          .stream = 7, .opcode = Opcode::kOptions, .length = 99});
  out.WriteU16(0xabcd);

  CQLBULK_ASSERT_OK(FinishFrame(out, at));

  EXPECT_EQ(ToHex(out.view()), "0400000705" "00000002" "abcd");
}

TEST(FrameReaderTest, ReturnsFramesAsTheyCompleteAndStaysFailedAfterAnError) {
  Bytes stream = MakeFrame(1, 3, 0xaa);
  Bytes second = MakeFrame(2, 0, 0);
  stream.insert(stream.end(), second.begin(), second.end());
  FrameReader decoder;
  std::vector<Frame> frames;

  for (uint8_t b : stream) {
    decoder.Feed(BytesView(&b, 1));
    CQLBULK_ASSERT_OK_AND_ASSIGN(std::optional<Frame> f, decoder.Next());
    if (f) frames.push_back(*f);
  }

  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].body, Bytes(3, 0xaa));
  EXPECT_EQ(frames[1].header.stream, 2);
  decoder.Feed(Hex("05000000ff00000000"));
  EXPECT_THAT(decoder.Next(), IsError(ErrorCode::kProtocol));
  decoder.Feed(MakeFrame(3, 1, 1));
  EXPECT_THAT(decoder.Next(), IsError(ErrorCode::kProtocol));
}

TEST(SegmentTest, HeaderLayoutsFollowSections21And22) {
  ByteWriter plain;
  ByteWriter lz4;

  WriteSegmentHeader(plain, {.payload_length = 0x1FFFF, .uncompressed_length = 0,
                             .self_contained = true}, SegmentFormat::kUncompressed);
  WriteSegmentHeader(lz4, {.payload_length = 1, .uncompressed_length = 0x1FFFF,
                           .self_contained = true}, SegmentFormat::kLz4);

  ASSERT_EQ(plain.size(), 6u);
  EXPECT_EQ(ToHex(plain.view().first(3)), "ffff03");  // 17 length bits + bit 17
  ASSERT_EQ(lz4.size(), 8u);
  EXPECT_EQ(ToHex(lz4.view().first(5)), "0100feff07");  // 1 | 0x1FFFF << 17 | 1 << 34
  CQLBULK_ASSERT_OK_AND_ASSIGN(SegmentHeader back,
                               DecodeSegmentHeader(lz4.view(), SegmentFormat::kLz4));
  EXPECT_EQ(back.payload_length, 1u);
  EXPECT_EQ(back.uncompressed_length, 0x1FFFFu);
  EXPECT_TRUE(back.self_contained);
}

TEST(SegmentTest, RefusesOversizedPayloads) {
  ByteWriter out;
  Bytes big(kMaxSegmentPayloadBytes + 1);

  EXPECT_THAT(EncodeSegment(out, big, false, SegmentFormat::kUncompressed),
              IsError(ErrorCode::kInvalidArgument));
}

TEST(SegmentTest, Lz4CompressesOnlyWhenItHelps) {
  Bytes compressible(5000, 0x11);
  Bytes random(5000);
  std::mt19937 rng(1);
  for (auto& b : random) b = static_cast<uint8_t>(rng());
  ByteWriter a;
  ByteWriter b;

  CQLBULK_ASSERT_OK(EncodeSegment(a, compressible, true, SegmentFormat::kLz4));
  CQLBULK_ASSERT_OK(EncodeSegment(b, random, true, SegmentFormat::kLz4));

  CQLBULK_ASSERT_OK_AND_ASSIGN(std::optional<SegmentView> sa,
                               PeekSegment(a.view(), SegmentFormat::kLz4));
  CQLBULK_ASSERT_OK_AND_ASSIGN(std::optional<SegmentView> sb,
                               PeekSegment(b.view(), SegmentFormat::kLz4));
  EXPECT_EQ(sa->header.uncompressed_length, 5000u);
  EXPECT_LT(sa->payload.size(), 100u);
  EXPECT_EQ(sb->header.uncompressed_length, 0u);  // stored as is
  EXPECT_EQ(sb->payload.size(), 5000u);
  CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes pa, DecodeSegmentPayload(*sa));
  CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes pb, DecodeSegmentPayload(*sb));
  EXPECT_EQ(pa, compressible);
  EXPECT_EQ(pb, random);
}

/// Packs frames, then reads the segments back: frame order and bytes survive.
void ExpectPackAndUnpack(const std::vector<Bytes>& frames, SegmentFormat format,
                         size_t* num_segments, size_t* num_self_contained) {
  SegmentEncoder encoder(format);
  for (const Bytes& f : frames) {
    CQLBULK_ASSERT_OK(encoder.Add(f));
  }
  CQLBULK_ASSERT_OK(encoder.Flush());
  Bytes wire = encoder.TakeBytes();
  *num_segments = 0;
  *num_self_contained = 0;
  for (BytesView rest = wire; !rest.empty();) {
    CQLBULK_ASSERT_OK_AND_ASSIGN(std::optional<SegmentView> s, PeekSegment(rest, format));
    ASSERT_TRUE(s.has_value());
    CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes payload, DecodeSegmentPayload(*s));
    EXPECT_LE(payload.size(), kMaxSegmentPayloadBytes);
    ++*num_segments;
    *num_self_contained += s->header.self_contained ? 1 : 0;
    rest = rest.subspan(s->wire_size);
  }
  FrameReader reader;
  reader.StartSegments(format);
  reader.Feed(wire);
  for (const Bytes& f : frames) {
    CQLBULK_ASSERT_OK_AND_ASSIGN(std::optional<Frame> got, reader.Next());
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(EncodeFrame(got->header, got->body), f);
  }
  CQLBULK_ASSERT_OK_AND_ASSIGN(std::optional<Frame> none, reader.Next());
  EXPECT_FALSE(none.has_value());
}

TEST(SegmentEncoderTest, PacksSmallFramesTogetherAndSplitsLargeOnes) {
  for (auto format : {SegmentFormat::kUncompressed, SegmentFormat::kLz4}) {
    std::vector<Bytes> frames;
    for (int i = 0; i < 1000; ++i) frames.push_back(MakeFrame(static_cast<int16_t>(i), 491, 7));
    frames.push_back(MakeFrame(1000, 300000, 9));  // 300009 bytes: 131071 + 131071 + 37867
    frames.push_back(MakeFrame(1001, 10, 1));
    size_t segments = 0;
    size_t self_contained = 0;

    ExpectPackAndUnpack(frames, format, &segments, &self_contained);

    // 1000 × 500 bytes fill 4 segments (262 frames each) before the large frame's three.
    EXPECT_EQ(segments, 4u + 3u + 1u);
    EXPECT_EQ(self_contained, 5u);
  }
}

// Uncompressed segments are written in place (frames straight into the output, the header
// filled in when the segment closes). The reference: the frames gathered into a payload and
// encoded whole by EncodeSegment, as §2 lays segments out, whenever the next frame would not
// fit, at each Flush, and for each piece of a frame larger than a payload. Random frame sizes
// (empty, tiny, just under, at and over the payload limit), random flushes, random limits,
// handed over by TakeBytes and by SwapBytes.
TEST(SegmentEncoderTest, InPlaceSegmentsMatchSegmentsEncodedWhole) {
  std::mt19937 rng(20261203);
  for (int round = 0; round < 300; ++round) {
    const size_t max_payload =
        round % 3 == 0 ? kMaxSegmentPayloadBytes : 1 + rng() % (round % 3 == 1 ? 64 : 5000);
    SegmentEncoder encoder(SegmentFormat::kUncompressed, max_payload);
    ByteWriter expected;
    Bytes gathered;
    auto close = [&] {
      if (gathered.empty()) return;
      ASSERT_TRUE(EncodeSegment(expected, gathered, true, SegmentFormat::kUncompressed));
      gathered.clear();
    };
    Bytes ours;
    Bytes buffer;
    const int steps = 1 + static_cast<int>(rng() % 40);
    for (int step = 0; step < steps; ++step) {
      size_t size = 0;
      switch (rng() % 6) {
        case 0: size = 0; break;
        case 1: size = max_payload; break;
        case 2: size = max_payload - 1; break;
        case 3: size = max_payload + 1 + rng() % (2 * max_payload + 1); break;
        default: size = rng() % (max_payload + 1); break;
      }
      Bytes frame(size);
      for (auto& b : frame) b = static_cast<uint8_t>(rng());
      ASSERT_TRUE(encoder.Add(frame));
      if (gathered.size() + frame.size() > max_payload) close();
      if (frame.size() <= max_payload) {
        gathered.insert(gathered.end(), frame.begin(), frame.end());
      } else {
        for (size_t at = 0; at < frame.size(); at += max_payload) {
          BytesView piece = BytesView(frame).subspan(at, std::min(max_payload, frame.size() - at));
          ASSERT_TRUE(EncodeSegment(expected, piece, false, SegmentFormat::kUncompressed));
        }
      }
      ASSERT_EQ(encoder.pending_bytes(), gathered.size());
      if (rng() % 4 == 0) {
        ASSERT_TRUE(encoder.Flush());
        close();
        if (rng() % 2 == 0) {
          encoder.SwapBytes(buffer);
          ours.insert(ours.end(), buffer.begin(), buffer.end());
        }
      }
    }
    ASSERT_TRUE(encoder.Flush());
    close();
    Bytes rest = encoder.TakeBytes();
    ours.insert(ours.end(), rest.begin(), rest.end());
    ASSERT_EQ(ToHex(ours), ToHex(expected.view())) << "round " << round;
  }
}

TEST(SegmentEncoderTest, SwapBytesHandsOverTheSegmentsAndReusesTheBufferGiven) {
  SegmentEncoder reference(SegmentFormat::kUncompressed);
  SegmentEncoder encoder(SegmentFormat::kUncompressed);
  Bytes buffer(4096, 0xEE);  // a previous write's bytes: dropped, its room kept
  const uint8_t* room = buffer.data();

  for (const Bytes& frame : {Bytes(10, 1), Bytes(20, 2)}) {
    CQLBULK_ASSERT_OK(reference.Add(frame));
    CQLBULK_ASSERT_OK(reference.Flush());
    CQLBULK_ASSERT_OK(encoder.Add(frame));
    CQLBULK_ASSERT_OK(encoder.Flush());
    encoder.SwapBytes(buffer);

    EXPECT_EQ(buffer, reference.TakeBytes());
  }
  EXPECT_EQ(buffer.data(), room);  // the second write went into the first buffer's room
}

TEST(FrameAssemblerTest, RejectsPayloadsThatBreakTheSegmentRules) {
  Bytes frame = MakeFrame(1, 20, 3);
  FrameAssembler a;
  EXPECT_THAT(a.AddPayload(BytesView(frame).first(15), true), IsError(ErrorCode::kProtocol));

  FrameAssembler b;
  CQLBULK_ASSERT_OK(b.AddPayload(BytesView(frame).first(15), false));
  EXPECT_THAT(b.AddPayload(frame, true), IsError(ErrorCode::kProtocol));

  FrameAssembler c;
  Bytes too_much = frame;
  too_much.push_back(0);
  EXPECT_THAT(c.AddPayload(too_much, false), IsError(ErrorCode::kProtocol));

  FrameAssembler d;
  EXPECT_THAT(d.AddPayload({}, false), IsError(ErrorCode::kProtocol));

  FrameAssembler e(10);
  EXPECT_THAT(e.AddPayload(BytesView(frame).first(12), false), IsError(ErrorCode::kProtocol));

  FrameAssembler ok;
  CQLBULK_ASSERT_OK(ok.AddPayload(BytesView(frame).first(4), false));  // header not complete
  CQLBULK_ASSERT_OK(ok.AddPayload(BytesView(frame).subspan(4), false));
  EXPECT_TRUE(ok.idle());
  ASSERT_TRUE(ok.Pop().has_value());
}

TEST(FrameAssemblerTest, AssemblesAFrameCutAnywhereIntoPayloads) {
  // Every cut into two and three pieces (the header cut too), and an empty body: the frame
  // comes out whole, header and body as PeekFrame reads them, and only at its last byte.
  for (size_t body_size : {size_t{0}, size_t{1}, size_t{40}}) {
    Bytes body(body_size);
    for (size_t i = 0; i < body_size; ++i) body[i] = static_cast<uint8_t>(i * 7 + 1);
    Bytes frame = EncodeFrame(FrameHeader{.version = 5, .is_response = true, .flags = 0,
                                          .stream = 7, .opcode = Opcode::kResult, .length = 0},
                              body);
    auto expected = PeekFrame(frame, kDefaultMaxFrameBodyBytes);
    ASSERT_TRUE(expected.has_value() && expected->has_value());
    for (size_t cut1 = 1; cut1 < frame.size(); ++cut1) {
      for (size_t cut2 = cut1; cut2 <= frame.size(); ++cut2) {
        FrameAssembler a;
        std::vector<BytesView> pieces = {BytesView(frame).subspan(0, cut1)};
        if (cut2 > cut1) pieces.push_back(BytesView(frame).subspan(cut1, cut2 - cut1));
        if (cut2 < frame.size()) pieces.push_back(BytesView(frame).subspan(cut2));
        for (size_t i = 0; i < pieces.size(); ++i) {
          CQLBULK_ASSERT_OK(a.AddPayload(pieces[i], false));
          EXPECT_EQ(a.idle(), i + 1 == pieces.size());
        }
        std::optional<Frame> got = a.Pop();
        ASSERT_TRUE(got.has_value());
        EXPECT_EQ(got->header.stream, (*expected)->header.stream);
        EXPECT_EQ(got->header.length, body_size);
        EXPECT_EQ(got->body, body);
        EXPECT_EQ(got->body, Bytes((*expected)->body.begin(), (*expected)->body.end()));
        EXPECT_FALSE(a.Pop().has_value());
      }
    }
  }
}

TEST(CompressionTest, NamesAndFrameHelpers) {
  EXPECT_EQ(CompressionName(Compression::kLz4), "lz4");
  EXPECT_EQ(*ParseCompression("snappy"), Compression::kSnappy);
  EXPECT_THAT(ParseCompression("zstd"), IsError(ErrorCode::kInvalidArgument));
  for (auto c : {Compression::kLz4, Compression::kSnappy}) {
    Frame f{FrameHeader{.version = 4, .is_response = false, .flags = kFlagTracing, .stream = 2,
                        .opcode = Opcode::kQuery, .length = 0},
            Bytes(3000, 'q')};
    f.header.length = 3000;

    CQLBULK_ASSERT_OK_AND_ASSIGN(Frame compressed, CompressFrame(f, c));
    CQLBULK_ASSERT_OK_AND_ASSIGN(Frame back, DecompressFrame(compressed, c));

    EXPECT_EQ(compressed.header.flags, kFlagTracing | kFlagCompression);
    EXPECT_LT(compressed.body.size(), 200u);
    EXPECT_EQ(back, f);
  }
}

}  // namespace
}  // namespace cqlbulk::cql
