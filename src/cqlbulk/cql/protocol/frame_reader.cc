// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/protocol/frame_reader.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::cql {

Status FrameAssembler::AddPayload(BytesView payload, bool self_contained) {
  if (self_contained) {
    if (!idle()) {
      return ProtocolError("self-contained segment while a large frame is incomplete (" +
                           std::to_string(header_bytes_.size() + partial_.size()) +
                           " bytes assembled)");
    }
    while (!payload.empty()) {
      CQLBULK_ASSIGN_OR_RETURN(std::optional<FrameView> frame, PeekFrame(payload, max_body_bytes_));
      if (!frame) {
        return ProtocolError("self-contained segment ends inside a frame (" +
                             std::to_string(payload.size()) + " bytes left)");
      }
      ready_.push_back(Frame{frame->header, Bytes(frame->body.begin(), frame->body.end())});
      payload = payload.subspan(frame->wire_size());
    }
    return OkStatus();
  }
  if (payload.empty()) {
    return ProtocolError("empty non-self-contained segment");
  }
  if (!partial_header_) {
    // The frame's header first (it may itself span segments), then only its body is kept:
    // the body is the frame's, without moving it after the header.
    const size_t take = std::min(kFrameHeaderSize - header_bytes_.size(), payload.size());
    header_bytes_.insert(header_bytes_.end(), payload.begin(), payload.begin() + take);
    payload = payload.subspan(take);
    if (header_bytes_.size() < kFrameHeaderSize) {
      return OkStatus();
    }
    CQLBULK_ASSIGN_OR_RETURN(FrameHeader header, DecodeFrameHeader(header_bytes_));
    if (header.length > max_body_bytes_) {
      return ProtocolError("frame body of " + std::to_string(header.length) +
                           " bytes exceeds the limit of " + std::to_string(max_body_bytes_));
    }
    partial_header_ = header;
    partial_.reserve(header.length);
  }
  const size_t expected = partial_header_->length;
  if (payload.size() > expected - partial_.size()) {
    // A non-self-contained segment carries part of exactly one frame.
    return ProtocolError("non-self-contained segments carry " +
                         std::to_string(partial_.size() + payload.size() - expected) +
                         " bytes past the end of their frame");
  }
  partial_.insert(partial_.end(), payload.begin(), payload.end());
  if (partial_.size() == expected) {
    ready_.push_back(Frame{*partial_header_, std::move(partial_)});
    partial_ = Bytes();
    partial_header_.reset();
    header_bytes_.clear();
  }
  return OkStatus();
}

std::optional<Frame> FrameAssembler::Pop() {
  if (ready_.empty()) {
    return std::nullopt;
  }
  Frame f = std::move(ready_.front());
  ready_.pop_front();
  return f;
}

FrameReader::FrameReader(size_t max_body_bytes)
    : max_body_bytes_(max_body_bytes), assembler_(max_body_bytes) {}

void FrameReader::MakeRoom(size_t n) {
  if (buffer_.size() - end_ >= n) return;
  const size_t unread_bytes = end_ - read_pos_;
  if (read_pos_ > 0 && (buffer_.size() - unread_bytes >= n || unread_bytes <= read_pos_)) {
    std::memmove(buffer_.data(), buffer_.data() + read_pos_, unread_bytes);
    read_pos_ = 0;
    end_ = unread_bytes;
  }
  if (buffer_.size() - end_ < n) {
    buffer_.resize(std::max(end_ + n, buffer_.size() * 2));
  }
}

void FrameReader::Feed(BytesView bytes) {
  if (bytes.empty()) return;
  MakeRoom(bytes.size());
  std::memcpy(buffer_.data() + end_, bytes.data(), bytes.size());
  end_ += bytes.size();
}

std::span<uint8_t> FrameReader::PrepareRead(size_t min_bytes) {
  if (read_pos_ == end_) {
    read_pos_ = end_ = 0;  // nothing unread: start over at the front, for free
  }
  MakeRoom(std::max<size_t>(min_bytes, 1));
  return std::span<uint8_t>(buffer_.data() + end_, buffer_.size() - end_);
}

void FrameReader::CommitRead(size_t n) {
  CQLBULK_DCHECK(n <= buffer_.size() - end_, "CommitRead past the room of PrepareRead");
  end_ += n;
}

void FrameReader::StartSegments(SegmentFormat format) { segment_format_ = format; }

Result<std::optional<Frame>> FrameReader::Next() {
  if (failed_) {
    return *failed_;
  }
  Result<std::optional<Frame>> result = std::optional<Frame>();
  if (segment_format_) {
    result = NextFromSegments();
  } else {
    auto peeked = PeekFrame(unread(), max_body_bytes_);
    if (!peeked) {
      result = std::move(peeked).error();
    } else if (peeked->has_value()) {
      const FrameView& v = **peeked;
      result = std::optional<Frame>(Frame{v.header, Bytes(v.body.begin(), v.body.end())});
      Consume(v.wire_size());
    }
  }
  if (result && result->has_value() && compression_ != Compression::kNone &&
      (*result)->header.has_flag(kFlagCompression)) {
    auto plain = DecompressFrame(**std::move(result), compression_, max_body_bytes_);
    if (plain) {
      result = std::optional<Frame>(*std::move(plain));
    } else {
      result = std::move(plain).error();
    }
  }
  if (!result) {
    failed_ = result.error();
  }
  return result;
}

Result<std::optional<Frame>> FrameReader::NextFromSegments() {
  while (true) {
    if (std::optional<Frame> f = assembler_.Pop()) {
      return f;
    }
    CQLBULK_ASSIGN_OR_RETURN(std::optional<SegmentView> segment,
                             PeekSegment(unread(), *segment_format_));
    if (!segment) {
      return std::optional<Frame>();
    }
    if (segment->header.uncompressed_length == 0) {
      // Stored uncompressed: hand the wire bytes over without an intermediate copy.
      CQLBULK_RETURN_IF_ERROR(
          assembler_.AddPayload(segment->payload, segment->header.self_contained));
    } else {
      CQLBULK_ASSIGN_OR_RETURN(Bytes payload, DecodeSegmentPayload(*segment));
      CQLBULK_RETURN_IF_ERROR(assembler_.AddPayload(payload, segment->header.self_contained));
    }
    Consume(segment->wire_size);
    ++num_segments_;
  }
}

}  // namespace cqlbulk::cql
