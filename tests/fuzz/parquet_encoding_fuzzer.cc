// SPDX-License-Identifier: Apache-2.0
// Feeds arbitrary bytes to every Parquet decoder (each bit width, type and width) and, for the
// encoders, round trips values made from the bytes. The first byte picks the target, the
// second its parameter. Nothing may crash, read outside the input, hang or allocate without
// bound; a decoder never returns more than asked; decoded byte arrays are consistent;
// what an encoder writes decodes back to what it was given.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "cqlbulk/formats/parquet/encoding/byte_stream_split.h"
#include "cqlbulk/formats/parquet/encoding/delta.h"
#include "cqlbulk/formats/parquet/encoding/dictionary.h"
#include "cqlbulk/formats/parquet/encoding/plain.h"
#include "cqlbulk/formats/parquet/encoding/rle.h"

namespace {

using namespace cqlbulk;
using namespace cqlbulk::formats::parquet;

// Values decoded from one input at most: long RLE runs and width-0 miniblocks make many
// values from few bytes.
constexpr size_t kMaxValues = size_t{1} << 18;
constexpr size_t kBatch = 61;

void Check(bool ok) {
  if (!ok) {
    std::abort();
  }
}

void CheckArrays(const ByteArrays& values) {
  if (values.size() == 0) {
    Check(values.offsets.size() <= 4);
    return;
  }
  const int32_t* offsets = values.offset_data();
  Check(offsets[0] == 0);
  for (size_t i = 0; i < values.size(); ++i) {
    Check(offsets[i] <= offsets[i + 1]);
  }
  Check(static_cast<size_t>(offsets[values.size()]) == values.bytes.size());
}

// Drains a decoder of fixed-width values of `width` bytes.
template <typename Decoder>
void DrainFixed(Decoder& decoder, size_t width) {
  std::vector<uint8_t> out(kBatch * width);
  for (size_t total = 0; total < kMaxValues;) {
    Result<size_t> got = decoder.Get(out.data(), kBatch);
    if (!got.has_value()) return;
    Check(*got <= kBatch);
    if (*got < kBatch) return;
    total += *got;
  }
}

template <typename T, typename Decoder>
void DrainTyped(Decoder& decoder) {
  T out[kBatch];
  for (size_t total = 0; total < kMaxValues;) {
    Result<size_t> got = decoder.Get(out, kBatch);
    if (!got.has_value()) return;
    Check(*got <= kBatch);
    if (*got < kBatch) return;
    total += *got;
  }
}

template <typename Decoder>
void DrainArrays(Decoder& decoder) {
  ByteArrays out;
  for (size_t total = 0; total < kMaxValues;) {
    out.Clear();  // one batch at a time: DELTA_BYTE_ARRAY may grow each value
    Result<size_t> got = decoder.Get(out, kBatch);
    if (!got.has_value()) return;
    Check(*got <= kBatch && out.size() == *got);
    CheckArrays(out);
    if (*got < kBatch) return;
    total += *got;
  }
}

void DecodeRle(BytesView input, uint8_t param) {
  int width = param % 34;  // 33 is invalid
  RleBitPackedDecoder decoder;
  if (!decoder.Reset(input, width).has_value()) {
    Check(width > 32);
    return;
  }
  switch (param / 34 % 3) {
    case 0: {
      uint32_t out[kBatch];
      for (size_t total = 0; total < kMaxValues;) {
        Result<size_t> got = decoder.Get(out, kBatch);
        if (!got.has_value() || *got == 0) return;
        Check(*got <= kBatch);
        for (size_t i = 0; i < *got; ++i) Check(width == 32 || out[i] >> width == 0);
        total += *got;
      }
      return;
    }
    case 1:
      DrainTyped<int16_t>(decoder);
      return;
    default:
      DrainTyped<uint8_t>(decoder);
  }
}

void DecodeDictionary(BytesView input, uint8_t param) {
  // The first `param` bytes are a PLAIN dictionary (of int32 or byte arrays), the rest an
  // index page.
  size_t split = std::min<size_t>(param, input.size());
  BytesView dictionary_page = input.subspan(0, split);
  BytesView indices_page = input.subspan(split);
  ByteArrays dictionary;
  PlainByteArrayDecoder plain;
  Check(plain.Reset(dictionary_page).has_value());
  (void)plain.Get(dictionary, 1000);
  CheckArrays(dictionary);
  std::vector<int32_t> ints(split / 4 + 1);
  PlainFixedDecoder fixed(4);
  Check(fixed.Reset(dictionary_page).has_value());
  size_t num_ints = fixed.Get(ints.data(), split / 4).value_or(0);
  bool arrays = param & 1;
  auto size = static_cast<uint32_t>(arrays ? dictionary.size() : num_ints);
  DictIndexDecoder decoder;
  if (!decoder.Reset(indices_page, size).has_value()) return;
  uint32_t indices[kBatch];
  int32_t values[kBatch];
  ByteArrays out;
  for (size_t total = 0; total < kMaxValues;) {
    Result<size_t> got = decoder.Get(indices, kBatch);
    if (!got.has_value() || *got == 0) return;
    for (size_t i = 0; i < *got; ++i) Check(indices[i] < size);
    if (arrays) {
      out.Clear();
      if (GatherByteArrays(dictionary.view(), indices, *got, out).has_value()) {
        Check(out.size() == *got);
        CheckArrays(out);
      }
    } else {
      GatherDictionary(ints.data(), indices, *got, values);
    }
    total += *got;
  }
}

// Values from the input's bytes, little-endian.
template <typename T>
std::vector<T> ValuesFrom(BytesView input) {
  std::vector<T> values(input.size() / sizeof(T));
  if (!values.empty()) std::memcpy(values.data(), input.data(), values.size() * sizeof(T));
  return values;
}

// Strings from the input, cut at each 0xFF byte.
std::vector<std::string> StringsFrom(BytesView input) {
  std::vector<std::string> strings(1);
  for (uint8_t b : input) {
    if (b == 0xFF) {
      strings.emplace_back();
    } else {
      strings.back().push_back(static_cast<char>(b));
    }
  }
  return strings;
}

void RoundTripRle(BytesView input, uint8_t param) {
  int width = param % 33;
  uint32_t mask = width == 32 ? UINT32_MAX : (uint32_t{1} << width) - 1;
  std::vector<uint32_t> values;
  for (size_t i = 0; i + 1 < input.size(); i += 2) {
    // Byte pairs: a value (masked) and how many times it repeats.
    uint32_t v = (input[i] * 0x01010101u) & mask;
    values.insert(values.end(), input[i + 1] % 20 + 1, v);
  }
  RleBitPackedEncoder encoder(width);
  encoder.Put(values.data(), values.size() / 2);
  for (size_t i = values.size() / 2; i < values.size(); ++i) encoder.Put(values[i]);
  data::Buffer out;
  encoder.FlushTo(out);
  RleBitPackedDecoder decoder;
  Check(decoder.Reset(out.view(), width).has_value());
  std::vector<uint32_t> decoded(values.size() + 8);
  Result<size_t> got = decoder.Get(decoded.data(), decoded.size());
  Check(got.has_value() && *got >= values.size() && *got < values.size() + 8);
  Check(values.empty() || std::memcmp(decoded.data(), values.data(), values.size() * 4) == 0);
}

template <typename T>
void RoundTripDelta(BytesView input) {
  std::vector<T> values = ValuesFrom<T>(input);
  DeltaBinaryPackedEncoder<T> encoder;
  encoder.Put(values.data(), values.size() / 3);
  encoder.Put(values.data() + values.size() / 3, values.size() - values.size() / 3);
  data::Buffer out;
  encoder.FlushTo(out);
  DeltaBinaryPackedDecoder<T> decoder;
  Check(decoder.Reset(out.view()).has_value());
  Check(decoder.encoded_bytes() == out.size());
  std::vector<T> decoded(values.size() + 1);
  Result<size_t> got = decoder.Get(decoded.data(), decoded.size());
  Check(got.has_value() && *got == values.size());
  Check(values.empty() ||
        std::memcmp(decoded.data(), values.data(), values.size() * sizeof(T)) == 0);
}

void RoundTripStrings(BytesView input, uint8_t param) {
  std::vector<std::string> strings = StringsFrom(input);
  ByteArrays values;
  for (const std::string& s : strings) values.Append(AsBytes(s));
  data::Buffer out;
  ByteArrays decoded;
  if (param & 1) {
    DeltaByteArrayEncoder encoder;
    encoder.Put(values.view());
    encoder.FlushTo(out);
    DeltaByteArrayDecoder decoder;
    Check(decoder.Reset(out.view()).has_value());
    Check(decoder.Get(decoded, strings.size() + 1).value_or(0) == strings.size());
  } else {
    ByteArrayDictEncoder encoder;
    std::vector<uint32_t> indices(strings.size());
    encoder.Put(values.view(), indices.data());
    EncodeDictionaryIndices(indices.data(), indices.size(), encoder.num_entries(), out);
    DictIndexDecoder decoder;
    Check(decoder.Reset(out.view(), encoder.num_entries()).has_value());
    std::vector<uint32_t> got(strings.size());
    Check(decoder.Get(got.data(), got.size()).value_or(0) == got.size());
    Check(GatherByteArrays(encoder.entries(), got.data(), got.size(), decoded).has_value());
  }
  Check(decoded.size() == strings.size());
  for (size_t i = 0; i < strings.size(); ++i) Check(decoded.str(i) == strings[i]);
}

void RoundTripDictionary(BytesView input) {
  std::vector<float> values = ValuesFrom<float>(input);
  DictEncoder<float> encoder;
  std::vector<uint32_t> indices(values.size());
  encoder.Put(values.data(), values.size(), indices.data());
  std::vector<float> gathered(values.size());
  GatherDictionary(encoder.entries(), indices.data(), indices.size(), gathered.data());
  Check(values.empty() || std::memcmp(gathered.data(), values.data(), values.size() * 4) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) {
    return 0;
  }
  uint8_t param = data[1];
  BytesView input(data + 2, size - 2);
  switch (data[0] % 16) {
    case 0:
      DecodeRle(input, param);
      break;
    case 1:
      DecodeDictionary(input, param);
      break;
    case 2: {
      PlainFixedDecoder decoder(param % 17 + 1);
      Check(decoder.Reset(input).has_value());
      DrainFixed(decoder, param % 17 + 1);
      break;
    }
    case 3: {
      PlainBooleanDecoder decoder;
      Check(decoder.Reset(input).has_value());
      DrainTyped<uint8_t>(decoder);
      break;
    }
    case 4: {
      PlainByteArrayDecoder decoder;
      Check(decoder.Reset(input).has_value());
      DrainArrays(decoder);
      break;
    }
    case 5: {
      DeltaBinaryPackedDecoder<int32_t> decoder;
      if (decoder.Reset(input).has_value()) {
        Check(decoder.encoded_bytes() <= input.size());
        DrainTyped<int32_t>(decoder);
      }
      break;
    }
    case 6: {
      DeltaBinaryPackedDecoder<int64_t> decoder;
      if (decoder.Reset(input).has_value()) {
        Check(decoder.encoded_bytes() <= input.size());
        DrainTyped<int64_t>(decoder);
      }
      break;
    }
    case 7: {
      DeltaLengthByteArrayDecoder decoder;
      if (decoder.Reset(input).has_value()) DrainArrays(decoder);
      break;
    }
    case 8: {
      DeltaByteArrayDecoder decoder;
      if (decoder.Reset(input).has_value()) DrainArrays(decoder);
      break;
    }
    case 9: {
      int width = param % 20 + 1;
      DeltaByteArrayDecoder decoder(width);
      if (decoder.Reset(input).has_value()) DrainFixed(decoder, static_cast<size_t>(width));
      break;
    }
    case 10: {
      int width = param % 17 + 1;
      ByteStreamSplitDecoder decoder(width);
      if (decoder.Reset(input).has_value()) DrainFixed(decoder, static_cast<size_t>(width));
      break;
    }
    case 11:
      RoundTripRle(input, param);
      break;
    case 12:
      RoundTripDelta<int32_t>(input);
      break;
    case 13:
      RoundTripDelta<int64_t>(input);
      break;
    case 14:
      RoundTripStrings(input, param);
      break;
    default:
      RoundTripDictionary(input);
  }
  return 0;
}
