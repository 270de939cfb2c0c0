// SPDX-License-Identifier: Apache-2.0
// DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY (Encodings.md "Delta-length byte array",
// "Delta Strings").
#include <algorithm>
#include <bit>
#include <cstring>
#include <string>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/parquet/encoding/byte_arrays_internal.h"
#include "cqlbulk/formats/parquet/encoding/delta.h"

namespace cqlbulk::formats::parquet {

namespace {

// Lengths go through the DELTA_BINARY_PACKED coders this many at a time.
constexpr size_t kChunk = 1024;

size_t CommonPrefix(const uint8_t* a, size_t a_size, const uint8_t* b, size_t b_size) {
  size_t n = std::min(a_size, b_size);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t x;
    uint64_t y;
    std::memcpy(&x, a + i, 8);
    std::memcpy(&y, b + i, 8);
    if (x != y) {
      return i + static_cast<size_t>(std::countr_zero(x ^ y) / 8);
    }
  }
  while (i < n && a[i] == b[i]) {
    ++i;
  }
  return i;
}

int32_t LastOffset(const ByteArrays& out) {
  return out.offset_data()[out.size()];
}

// Copies that may be empty (memcpy's pointers must not be null even for 0 bytes).
inline void Copy(uint8_t* to, const uint8_t* from, size_t n) {
  if (n != 0) {
    std::memcpy(to, from, n);
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------
// DELTA_LENGTH_BYTE_ARRAY

void DeltaLengthByteArrayEncoder::Put(ByteArraysView values) {
  int32_t lengths[kChunk];
  for (size_t i = 0; i < values.size; i += kChunk) {
    size_t k = std::min(kChunk, values.size - i);
    for (size_t j = 0; j < k; ++j) {
      lengths[j] = values.offsets[i + j + 1] - values.offsets[i + j];
    }
    lengths_.Put(lengths, k);
  }
  if (values.size != 0) {
    bytes_.Append(BytesView(values.data + values.offsets[0], values.total_bytes()));
  }
}

size_t DeltaLengthByteArrayEncoder::EstimatedBytes() const noexcept {
  return lengths_.EstimatedBytes() + bytes_.size();
}

void DeltaLengthByteArrayEncoder::FlushTo(data::Buffer& out) {
  lengths_.FlushTo(out);
  out.Append(bytes_.view());
  bytes_.Clear();
}

DeltaLengthByteArrayDecoder::DeltaLengthByteArrayDecoder()
    : scratch_(std::make_unique<int32_t[]>(kChunk)) {}
DeltaLengthByteArrayDecoder::~DeltaLengthByteArrayDecoder() = default;
DeltaLengthByteArrayDecoder::DeltaLengthByteArrayDecoder(DeltaLengthByteArrayDecoder&&) noexcept =
    default;
DeltaLengthByteArrayDecoder& DeltaLengthByteArrayDecoder::operator=(
    DeltaLengthByteArrayDecoder&&) noexcept = default;

Status DeltaLengthByteArrayDecoder::Reset(BytesView data) {
  Status status = lengths_.Reset(data);
  if (!status.has_value()) {
    return std::move(status).error().WithContext("DELTA_LENGTH_BYTE_ARRAY lengths");
  }
  bytes_ = data.subspan(lengths_.encoded_bytes());
  pos_ = 0;
  values_done_ = 0;
  return OkStatus();
}

Result<size_t> DeltaLengthByteArrayDecoder::Get(ByteArrays& out, size_t n) {
  size_t done = 0;
  while (done < n) {
    size_t want = std::min(n - done, kChunk);
    CQLBULK_ASSIGN_OR_RETURN(size_t k, lengths_.Get(scratch_.get(), want));
    if (k == 0) {
      break;
    }
    const int32_t* lengths = scratch_.get();
    uint64_t total = 0;
    int32_t min_length = 0;
    for (size_t i = 0; i < k; ++i) {
      total += static_cast<uint32_t>(lengths[i]);
      min_length = std::min(min_length, lengths[i]);
    }
    if (min_length < 0) {
      size_t bad = static_cast<size_t>(std::find_if(lengths, lengths + k,
                                                    [](int32_t l) { return l < 0; }) -
                                       lengths);
      return Corrupt("DELTA_LENGTH_BYTE_ARRAY: length " + std::to_string(lengths[bad]) +
                     " of value " + std::to_string(values_done_ + bad) + " is negative");
    }
    if (total > bytes_.size() - pos_) {
      return Corrupt("DELTA_LENGTH_BYTE_ARRAY: the lengths of values " +
                     std::to_string(values_done_) + ".." + std::to_string(values_done_ + k - 1) +
                     " need " + std::to_string(total) + " bytes; " +
                     std::to_string(bytes_.size() - pos_) + " are left");
    }
    if (total > ByteArrays::kMaxBytes - out.bytes.size()) {
      return internal::TooLarge("DELTA_LENGTH_BYTE_ARRAY");
    }
    if (out.offsets.empty()) {
      out.offsets.Append<int32_t>(0);
    }
    int32_t offset = LastOffset(out);
    Copy(out.bytes.Grow(static_cast<size_t>(total)), bytes_.data() + pos_,
         static_cast<size_t>(total));
    pos_ += static_cast<size_t>(total);
    auto* offsets = reinterpret_cast<int32_t*>(out.offsets.Grow(4 * k));
    for (size_t i = 0; i < k; ++i) {
      offset += lengths[i];
      offsets[i] = offset;
    }
    done += k;
    values_done_ += k;
    if (k < want) {
      break;
    }
  }
  return done;
}

// ---------------------------------------------------------------------------------------
// DELTA_BYTE_ARRAY

template <typename Values>
void DeltaByteArrayEncoder::PutValues(const Values& value_at, size_t n) {
  if (n == 0) {
    return;
  }
  int32_t prefixes[kChunk];
  int32_t suffixes[kChunk];
  const uint8_t* previous = last_.data();
  size_t previous_size = last_.size();
  for (size_t i = 0; i < n; i += kChunk) {
    size_t k = std::min(kChunk, n - i);
    for (size_t j = 0; j < k; ++j) {
      BytesView value = value_at(i + j);
      size_t prefix = CommonPrefix(previous, previous_size, value.data(), value.size());
      prefixes[j] = static_cast<int32_t>(prefix);
      suffixes[j] = static_cast<int32_t>(value.size() - prefix);
      suffixes_.bytes_.Append(value.subspan(prefix));
      previous = value.data();
      previous_size = value.size();
    }
    prefix_lengths_.Put(prefixes, k);
    suffixes_.PutLengths(suffixes, k);
  }
  // `previous` is the caller's last value now (n > 0), never last_ itself.
  last_.Clear();
  last_.Append(BytesView(previous, previous_size));
}

void DeltaByteArrayEncoder::Put(ByteArraysView values) {
  PutValues([&values](size_t i) { return values[i]; }, values.size);
}

void DeltaByteArrayEncoder::Put(const uint8_t* values, size_t n) {
  CQLBULK_CHECK(fixed_width_ > 0, "DeltaByteArrayEncoder: FLBA values need a width");
  auto width = static_cast<size_t>(fixed_width_);
  PutValues([values, width](size_t i) { return BytesView(values + i * width, width); }, n);
}

size_t DeltaByteArrayEncoder::EstimatedBytes() const noexcept {
  return prefix_lengths_.EstimatedBytes() + suffixes_.EstimatedBytes();
}

void DeltaByteArrayEncoder::FlushTo(data::Buffer& out) {
  prefix_lengths_.FlushTo(out);
  suffixes_.FlushTo(out);
  last_.Clear();
}

DeltaByteArrayDecoder::DeltaByteArrayDecoder(int fixed_width)
    : fixed_width_(fixed_width), scratch_(std::make_unique<int32_t[]>(kChunk)) {}
DeltaByteArrayDecoder::~DeltaByteArrayDecoder() = default;
DeltaByteArrayDecoder::DeltaByteArrayDecoder(DeltaByteArrayDecoder&&) noexcept = default;
DeltaByteArrayDecoder& DeltaByteArrayDecoder::operator=(DeltaByteArrayDecoder&&) noexcept =
    default;

Status DeltaByteArrayDecoder::Reset(BytesView data) {
  Status status = prefixes_.Reset(data);
  if (!status.has_value()) {
    return std::move(status).error().WithContext("DELTA_BYTE_ARRAY prefix lengths");
  }
  status = suffixes_.Reset(data.subspan(prefixes_.encoded_bytes()));
  if (!status.has_value()) {
    return std::move(status).error().WithContext(
        "DELTA_BYTE_ARRAY suffixes at byte " + std::to_string(prefixes_.encoded_bytes()));
  }
  if (suffixes_.num_values() != prefixes_.num_values()) {
    return Corrupt("DELTA_BYTE_ARRAY: " + std::to_string(prefixes_.num_values()) +
                   " prefix lengths but " + std::to_string(suffixes_.num_values()) +
                   " suffixes");
  }
  SetLast(BytesView());
  values_done_ = 0;
  return OkStatus();
}

Result<size_t> DeltaByteArrayDecoder::Get(ByteArrays& out, size_t n) {
  size_t done = 0;
  while (done < n) {
    size_t want = std::min(n - done, kChunk);
    CQLBULK_ASSIGN_OR_RETURN(size_t k, prefixes_.Get(scratch_.get(), want));
    if (k == 0) {
      break;
    }
    suffix_scratch_.Clear();
    CQLBULK_ASSIGN_OR_RETURN(size_t suffixes, suffixes_.Get(suffix_scratch_, k));
    if (suffixes != k) {
      return Corrupt("DELTA_BYTE_ARRAY: the suffixes end at value " +
                     std::to_string(values_done_ + suffixes));
    }
    const int32_t* prefixes = scratch_.get();
    const int32_t* suffix_offsets = suffix_scratch_.offset_data();
    // Check every prefix against the value before it and size the output once.
    uint64_t previous_size = last_.size();
    uint64_t total = 0;
    for (size_t i = 0; i < k; ++i) {
      int32_t prefix = prefixes[i];
      if (prefix < 0 || static_cast<uint64_t>(prefix) > previous_size) {
        return Corrupt("DELTA_BYTE_ARRAY: prefix length " + std::to_string(prefix) +
                       " of value " + std::to_string(values_done_ + i) +
                       (prefix < 0 ? " is negative"
                                   : " is longer than the previous value (" +
                                         std::to_string(previous_size) + " bytes)"));
      }
      previous_size =
          static_cast<uint64_t>(prefix) + (suffix_offsets[i + 1] - suffix_offsets[i]);
      total += previous_size;
    }
    if (total > ByteArrays::kMaxBytes - out.bytes.size()) {
      return internal::TooLarge("DELTA_BYTE_ARRAY");
    }
    if (out.offsets.empty()) {
      out.offsets.Append<int32_t>(0);
    }
    int32_t offset = LastOffset(out);
    internal::EnsureRoom(out.bytes, static_cast<size_t>(total) + internal::kCopySlack);
    uint8_t* to = out.bytes.Grow(static_cast<size_t>(total));
    auto* offsets = reinterpret_cast<int32_t*>(out.offsets.Grow(4 * k));
    const uint8_t* previous = last_.data();
    const uint8_t* suffix_bytes = suffix_scratch_.bytes.data();
    const uint8_t* suffix_end = suffix_bytes + suffix_scratch_.bytes.size();
    size_t size = 0;
    for (size_t i = 0; i < k; ++i) {
      auto prefix = static_cast<size_t>(prefixes[i]);
      auto suffix = static_cast<size_t>(suffix_offsets[i + 1] - suffix_offsets[i]);
      if (prefix <= internal::kCopySlack) {
        // 32 bytes may be read from `previous`: the value before this one ends where `to`
        // starts and the buffer has kCopySlack bytes past `to`'s value; last_ keeps as many
        // past its end. Load, then store: they may overlap.
        uint8_t head[internal::kCopySlack];
        std::memcpy(head, previous, sizeof(head));
        std::memcpy(to, head, sizeof(head));
      } else {
        std::memcpy(to, previous, prefix);
      }
      internal::CopyValue(to + prefix, suffix_bytes + suffix_offsets[i], suffix, suffix_end);
      previous = to;
      size = prefix + suffix;
      to += size;
      offset += static_cast<int32_t>(size);
      offsets[i] = offset;
    }
    SetLast(BytesView(previous, size));
    done += k;
    values_done_ += k;
    if (k < want) {
      break;
    }
  }
  return done;
}

void DeltaByteArrayDecoder::SetLast(BytesView value) {
  last_.Clear();
  last_.Append(value);
  internal::EnsureRoom(last_, internal::kCopySlack);  // the copies above read 32 bytes
}

Result<size_t> DeltaByteArrayDecoder::Get(uint8_t* out, size_t n) {
  if (fixed_width_ <= 0) {
    return InvalidArgument("DELTA_BYTE_ARRAY: FLBA values need the decoder made with a width");
  }
  auto width = static_cast<size_t>(fixed_width_);
  fixed_scratch_.Clear();
  uint64_t first = values_done_;
  CQLBULK_ASSIGN_OR_RETURN(size_t k, Get(fixed_scratch_, n));
  for (size_t i = 0; i < k; ++i) {
    if (fixed_scratch_[i].size() != width) {
      return Corrupt("DELTA_BYTE_ARRAY: value " + std::to_string(first + i) + " has " +
                     std::to_string(fixed_scratch_[i].size()) + " bytes, not the width " +
                     std::to_string(width));
    }
  }
  Copy(out, fixed_scratch_.bytes.data(), k * width);
  return k;
}

}  // namespace cqlbulk::formats::parquet
