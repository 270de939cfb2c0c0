// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/parquet/encoding/byte_stream_split.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace cqlbulk::formats::parquet {

namespace {

// Value i's byte b goes to streams[b * stride + i]. The fixed-width cases are templates so
// the inner loop over bytes unrolls.
template <int K>
void Split(const uint8_t* values, size_t n, uint8_t* streams, size_t stride) {
  for (size_t i = 0; i < n; ++i) {
    for (int b = 0; b < K; ++b) {
      streams[b * stride + i] = values[i * K + b];
    }
  }
}

void SplitAny(const uint8_t* values, size_t n, size_t width, uint8_t* streams, size_t stride) {
  for (size_t b = 0; b < width; ++b) {
    uint8_t* stream = streams + b * stride;
    for (size_t i = 0; i < n; ++i) {
      stream[i] = values[i * width + b];
    }
  }
}

template <int K>
void Join(const uint8_t* streams, size_t stride, size_t n, uint8_t* values) {
  for (size_t i = 0; i < n; ++i) {
    for (int b = 0; b < K; ++b) {
      values[i * K + b] = streams[b * stride + i];
    }
  }
}

void JoinAny(const uint8_t* streams, size_t stride, size_t n, size_t width, uint8_t* values) {
  for (size_t b = 0; b < width; ++b) {
    const uint8_t* stream = streams + b * stride;
    for (size_t i = 0; i < n; ++i) {
      values[i * width + b] = stream[i];
    }
  }
}

}  // namespace

ByteStreamSplitEncoder::ByteStreamSplitEncoder(int width) : width_(width) {
  CQLBULK_CHECK(width > 0, "BYTE_STREAM_SPLIT width must be positive");
}

void ByteStreamSplitEncoder::FlushTo(data::Buffer& out) {
  auto width = static_cast<size_t>(width_);
  size_t n = values_.size() / width;
  uint8_t* streams = out.Grow(values_.size());
  switch (width_) {
    case 4:
      Split<4>(values_.data(), n, streams, n);
      break;
    case 8:
      Split<8>(values_.data(), n, streams, n);
      break;
    default:
      SplitAny(values_.data(), n, width, streams, n);
  }
  values_.Clear();
}

ByteStreamSplitDecoder::ByteStreamSplitDecoder(int width) : width_(width) {
  CQLBULK_CHECK(width > 0, "BYTE_STREAM_SPLIT width must be positive");
}

Status ByteStreamSplitDecoder::Reset(BytesView data) {
  auto width = static_cast<size_t>(width_);
  if (data.size() % width != 0) {
    return Corrupt("BYTE_STREAM_SPLIT: " + std::to_string(data.size()) +
                   " bytes are not streams of values of " + std::to_string(width) + " bytes");
  }
  data_ = data;
  num_values_ = data.size() / width;
  pos_ = 0;
  return OkStatus();
}

Result<size_t> ByteStreamSplitDecoder::Get(uint8_t* out, size_t n) {
  size_t k = std::min(n, num_values_ - pos_);
  const uint8_t* streams = data_.data() + pos_;
  switch (width_) {
    case 4:
      Join<4>(streams, num_values_, k, out);
      break;
    case 8:
      Join<8>(streams, num_values_, k, out);
      break;
    default:
      JoinAny(streams, num_values_, k, static_cast<size_t>(width_), out);
  }
  pos_ += k;
  return k;
}

}  // namespace cqlbulk::formats::parquet
