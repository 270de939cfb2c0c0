// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/parquet/column_reader.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/parquet/encoding/byte_stream_split.h"
#include "cqlbulk/formats/parquet/encoding/delta.h"
#include "cqlbulk/formats/parquet/encoding/dictionary.h"
#include "cqlbulk/formats/parquet/encoding/plain.h"
#include "cqlbulk/formats/parquet/encoding/rle.h"

namespace cqlbulk::formats::parquet {

int DecodedValueWidth(const LeafColumn& leaf) {
  switch (leaf.physical_type) {
    case PhysicalType::kBoolean:
      return 1;
    case PhysicalType::kInt32:
    case PhysicalType::kFloat:
      return 4;
    case PhysicalType::kInt64:
    case PhysicalType::kDouble:
      return 8;
    case PhysicalType::kInt96:
      return 12;
    case PhysicalType::kFixedLenByteArray:
      return leaf.type_length;
    default:
      return 0;
  }
}

namespace {

/// Runs a decoder's Get until n values are in or it fails; kCorrupt when the data ends first.
template <typename Get>
Status GetExactly(size_t n, Get get) {
  size_t done = 0;
  while (done < n) {
    CQLBULK_ASSIGN_OR_RETURN(size_t got, get(done, n - done));
    if (got == 0) {
      return Error(ErrorCode::kCorrupt, "the values end after " + std::to_string(done) + " of " +
                                            std::to_string(n));
    }
    done += got;
  }
  return OkStatus();
}

// Level scans in blocks of a fixed length, which GCC vectorises at -O2 (a loop of unknown
// length it does not).
constexpr size_t kLevelBlock = 32;

/// The largest of n levels (0 for none).
int16_t MaxLevel(const int16_t* levels, size_t n) {
  int16_t max = 0;
  size_t i = 0;
  for (; i + kLevelBlock <= n; i += kLevelBlock) {
    int16_t block = 0;
    for (size_t k = 0; k < kLevelBlock; ++k) block = std::max(block, levels[i + k]);
    max = std::max(max, block);
  }
  for (; i < n; ++i) max = std::max(max, levels[i]);
  return max;
}

/// The value of the first run of a hybrid-encoded section when it is an RLE run of at least n
/// values (the levels of a page without nulls, or without lists), else nullopt.
std::optional<uint32_t> LeadingRun(BytesView data, int bit_width, size_t n) {
  uint64_t header = 0;
  size_t pos = 0;
  for (int shift = 0; pos < data.size() && shift < 64; shift += 7) {
    uint8_t byte = data[pos++];
    header |= uint64_t{byte & 0x7fu} << shift;
    if ((byte & 0x80) == 0) {
      if ((header & 1) != 0 || (header >> 1) < n) return std::nullopt;
      auto width = static_cast<size_t>((bit_width + 7) / 8);
      if (data.size() - pos < width) return std::nullopt;
      uint32_t value = 0;
      for (size_t i = 0; i < width; ++i) value |= uint32_t{data[pos + i]} << (8 * i);
      return value;
    }
  }
  return std::nullopt;
}

/// levels[0, n) = level, in blocks of a fixed length (vectorised).
void FillLevels(int16_t* levels, size_t n, int16_t level) {
  size_t i = 0;
  for (; i + kLevelBlock <= n; i += kLevelBlock) {
    for (size_t k = 0; k < kLevelBlock; ++k) levels[i + k] = level;
  }
  for (; i < n; ++i) levels[i] = level;
}

}  // namespace

size_t CountLevel(const int16_t* levels, size_t n, int16_t level) {
  size_t count = 0;
  size_t i = 0;
  for (; i + kLevelBlock <= n; i += kLevelBlock) {
    unsigned block = 0;
    for (size_t k = 0; k < kLevelBlock; ++k) block += levels[i + k] == level ? 1 : 0;
    count += block;
  }
  for (; i < n; ++i) count += levels[i] == level ? 1 : 0;
  return count;
}

ColumnChunkReader::ColumnChunkReader(const LeafColumn& leaf, const ColumnMetaData& metadata,
                                     BytesView chunk, std::string where,
                                     std::unique_ptr<BlockDecompressor> decompressor)
    : leaf_(leaf),
      metadata_(metadata),
      chunk_(chunk),
      where_(std::move(where)),
      decompressor_(std::move(decompressor)) {}

ColumnChunkReader::~ColumnChunkReader() = default;

Result<std::unique_ptr<ColumnChunkReader>> ColumnChunkReader::Make(const LeafColumn& leaf,
                                                                   const ColumnMetaData& metadata,
                                                                   BytesView chunk,
                                                                   std::string where) {
  if (metadata.type != leaf.physical_type) {
    return Error(ErrorCode::kCorrupt, where + ": the chunk's type " +
                                          std::string(PhysicalTypeName(metadata.type)) +
                                          " is not the schema's " +
                                          std::string(PhysicalTypeName(leaf.physical_type)));
  }
  Result<BlockCodec> codec = BlockCodecOf(metadata.codec);
  if (!codec.has_value()) {
    return Error(codec.error().code(), where + ": " + codec.error().message());
  }
  CQLBULK_ASSIGN_OR_RETURN(std::unique_ptr<BlockDecompressor> decompressor,
                           BlockDecompressor::Make(*codec));
  return std::unique_ptr<ColumnChunkReader>(
      new ColumnChunkReader(leaf, metadata, chunk, std::move(where), std::move(decompressor)));
}

Error ColumnChunkReader::Corrupt(const std::string& what) const {
  return Error(ErrorCode::kCorrupt,
               where_ + ", page at chunk byte " + std::to_string(page_offset_) + ": " + what);
}

Result<BytesView> ColumnChunkReader::Decompress(BytesView body, size_t uncompressed_size,
                                                size_t levels_bytes, bool compressed) {
  if (levels_bytes > body.size() || levels_bytes > uncompressed_size) {
    return Corrupt("the levels pass the end of the page");
  }
  if (!compressed || metadata_.codec == CompressionCodec::kUncompressed) {
    if (body.size() != uncompressed_size) {
      return Corrupt("an uncompressed page of " + std::to_string(body.size()) +
                     " bytes claims " + std::to_string(uncompressed_size));
    }
    return body;
  }
  // No codec here expands a block by more than about 1000 times (deflate's limit is 1032): a
  // larger claim is corrupt, and refusing it keeps a bad header from sizing memory.
  if (uncompressed_size > std::max<size_t>(body.size() * 2048, 1 << 20)) {
    return Corrupt("a page of " + std::to_string(body.size()) + " bytes claims " +
                   std::to_string(uncompressed_size) + " uncompressed");
  }
  page_.Clear();
  uint8_t* out = page_.Grow(uncompressed_size);
  std::copy_n(body.data(), levels_bytes, out);
  Status s = decompressor_->Decompress(body.subspan(levels_bytes),
                                       {out + levels_bytes, uncompressed_size - levels_bytes});
  if (!s.has_value()) return Corrupt(s.error().message());
  return page_.view();
}

Status ColumnChunkReader::ReadDictionary(const PageHeader& header, BytesView body) {
  if (!header.dictionary_page_header) return Corrupt("a dictionary page without its header");
  const DictionaryPageHeader& dict = *header.dictionary_page_header;
  if (dict.encoding != Encoding::kPlain && dict.encoding != Encoding::kPlainDictionary) {
    return Corrupt("a dictionary page in " + std::string(EncodingName(dict.encoding)));
  }
  if (dict.num_values < 0) return Corrupt("a dictionary of a negative size");
  CQLBULK_ASSIGN_OR_RETURN(
      BytesView data,
      Decompress(body, static_cast<size_t>(header.uncompressed_page_size), 0, true));
  auto n = static_cast<size_t>(dict.num_values);
  int width = DecodedValueWidth(leaf_);
  Status s;
  if (leaf_.physical_type == PhysicalType::kByteArray) {
    dictionary_strings_.Clear();
    PlainByteArrayDecoder decoder;
    s = decoder.Reset(data);
    if (s.has_value()) {
      s = GetExactly(n, [&](size_t, size_t k) { return decoder.Get(dictionary_strings_, k); });
    }
  } else if (leaf_.physical_type == PhysicalType::kBoolean) {
    return Corrupt("a dictionary page for a BOOLEAN column");
  } else {
    if (n > data.size() / static_cast<size_t>(width)) {
      return Corrupt("a dictionary of " + std::to_string(n) + " values in " +
                     std::to_string(data.size()) + " bytes");
    }
    dictionary_fixed_.Clear();
    uint8_t* out = dictionary_fixed_.Grow(n * static_cast<size_t>(width));
    PlainFixedDecoder decoder(width);
    s = decoder.Reset(data);
    if (s.has_value()) {
      s = GetExactly(n, [&](size_t done, size_t k) {
        return decoder.Get(out + done * static_cast<size_t>(width), k);
      });
    }
  }
  if (!s.has_value()) return Corrupt("dictionary: " + s.error().message());
  has_dictionary_ = true;
  dictionary_size_ = static_cast<uint32_t>(n);
  return OkStatus();
}

Status ColumnChunkReader::DecodeLevels(BytesView data, int16_t max_level, size_t n,
                                       std::vector<int16_t>& out) {
  int bit_width = BitWidth(static_cast<uint64_t>(max_level));
  size_t before = out.size();
  if (std::optional<uint32_t> run = LeadingRun(data, bit_width, n)) {
    if (*run > static_cast<uint32_t>(max_level)) {
      return Error(ErrorCode::kCorrupt, "level " + std::to_string(*run) + " past the maximum " +
                                            std::to_string(max_level));
    }
    out.resize(before + n);
    FillLevels(out.data() + before, n, static_cast<int16_t>(*run));
    return OkStatus();
  }
  RleBitPackedDecoder decoder;
  CQLBULK_RETURN_IF_ERROR(decoder.Reset(data, bit_width));
  out.resize(before + n);
  Status s = GetExactly(n, [&](size_t done, size_t k) {
    return decoder.Get(out.data() + before + done, k);
  });
  if (!s.has_value()) return s;
  if (MaxLevel(out.data() + before, n) <= max_level) return OkStatus();
  for (size_t i = before; i < out.size(); ++i) {
    if (out[i] > max_level) {
      return Error(ErrorCode::kCorrupt, "level " + std::to_string(out[i]) + " past the maximum " +
                                            std::to_string(max_level));
    }
  }
  return OkStatus();
}

Status ColumnChunkReader::DecodeDictionaryValues(BytesView data, size_t n, LeafData& out) {
  if (!has_dictionary_) return Error(ErrorCode::kCorrupt, "dictionary indices without a dictionary");
  DictIndexDecoder decoder;
  CQLBULK_RETURN_IF_ERROR(decoder.Reset(data, dictionary_size_));
  indices_.resize(n);
  CQLBULK_RETURN_IF_ERROR(GetExactly(n, [&](size_t done, size_t k) {
    return decoder.Get(indices_.data() + done, k);
  }));
  if (leaf_.physical_type == PhysicalType::kByteArray) {
    return GatherByteArrays(dictionary_strings_.view(), indices_.data(), n, out.strings);
  }
  auto width = static_cast<size_t>(DecodedValueWidth(leaf_));
  GatherFixed(dictionary_fixed_.data(), static_cast<int>(width), indices_.data(), n,
              out.fixed.Grow(n * width));
  return OkStatus();
}

Status ColumnChunkReader::DecodeValues(Encoding encoding, BytesView data, size_t n,
                                       LeafData& out) {
  if (encoding == Encoding::kPlainDictionary || encoding == Encoding::kRleDictionary) {
    return DecodeDictionaryValues(data, n, out);
  }
  PhysicalType type = leaf_.physical_type;
  int width = DecodedValueWidth(leaf_);
  if (type == PhysicalType::kByteArray) {
    auto run = [&](auto& decoder) -> Status {
      CQLBULK_RETURN_IF_ERROR(decoder.Reset(data));
      return GetExactly(n, [&](size_t, size_t k) { return decoder.Get(out.strings, k); });
    };
    switch (encoding) {
      case Encoding::kPlain: {
        PlainByteArrayDecoder decoder;
        return run(decoder);
      }
      case Encoding::kDeltaLengthByteArray: {
        DeltaLengthByteArrayDecoder decoder;
        return run(decoder);
      }
      case Encoding::kDeltaByteArray: {
        DeltaByteArrayDecoder decoder;
        return run(decoder);
      }
      default:
        break;
    }
  } else {
    uint8_t* dest = out.fixed.Grow(n * static_cast<size_t>(width));
    auto run = [&](auto& decoder) -> Status {
      CQLBULK_RETURN_IF_ERROR(decoder.Reset(data));
      return GetExactly(n, [&](size_t done, size_t k) {
        return decoder.Get(dest + done * static_cast<size_t>(width), k);
      });
    };
    switch (encoding) {
      case Encoding::kPlain:
        if (type == PhysicalType::kBoolean) {
          PlainBooleanDecoder decoder;
          return run(decoder);
        } else {
          PlainFixedDecoder decoder(width);
          return run(decoder);
        }
      case Encoding::kRle:
        if (type == PhysicalType::kBoolean) {
          CQLBULK_ASSIGN_OR_RETURN(BytesView runs, SplitLengthPrefixed(data));
          RleBitPackedDecoder decoder;
          CQLBULK_RETURN_IF_ERROR(decoder.Reset(runs, 1));
          return GetExactly(n, [&](size_t done, size_t k) { return decoder.Get(dest + done, k); });
        }
        break;
      case Encoding::kDeltaBinaryPacked:
        if (type == PhysicalType::kInt32) {
          DeltaBinaryPackedDecoder<int32_t> decoder;
          CQLBULK_RETURN_IF_ERROR(decoder.Reset(data));
          auto* typed = reinterpret_cast<int32_t*>(dest);
          return GetExactly(n, [&](size_t done, size_t k) { return decoder.Get(typed + done, k); });
        }
        if (type == PhysicalType::kInt64) {
          DeltaBinaryPackedDecoder<int64_t> decoder;
          CQLBULK_RETURN_IF_ERROR(decoder.Reset(data));
          auto* typed = reinterpret_cast<int64_t*>(dest);
          return GetExactly(n, [&](size_t done, size_t k) { return decoder.Get(typed + done, k); });
        }
        break;
      case Encoding::kDeltaByteArray:
        if (type == PhysicalType::kFixedLenByteArray) {
          DeltaByteArrayDecoder decoder(width);
          return run(decoder);
        }
        break;
      case Encoding::kByteStreamSplit:
        if (type != PhysicalType::kBoolean && type != PhysicalType::kInt96) {
          ByteStreamSplitDecoder decoder(width);
          return run(decoder);
        }
        break;
      default:
        break;
    }
  }
  return Error(ErrorCode::kUnimplemented,
               std::string(EncodingName(encoding)) + " values of " +
                   std::string(PhysicalTypeName(type)) + " are not read");
}

Result<bool> ColumnChunkReader::ReadPage(LeafData& out) {
  while (levels_read_ < metadata_.num_values) {
    page_offset_ = position_;
    if (position_ >= chunk_.size()) {
      return Corrupt("the chunk ends after " + std::to_string(levels_read_) + " of " +
                     std::to_string(metadata_.num_values) + " values");
    }
    size_t header_size = 0;
    Result<PageHeader> parsed = ParsePageHeader(chunk_.subspan(position_), &header_size);
    if (!parsed.has_value()) return Corrupt(parsed.error().message());
    const PageHeader& header = *parsed;
    if (header.compressed_page_size < 0 || header.uncompressed_page_size < 0 ||
        static_cast<size_t>(header.compressed_page_size) >
            chunk_.size() - position_ - header_size) {
      return Corrupt("a page of " + std::to_string(header.compressed_page_size) +
                     " bytes passes the end of the chunk");
    }
    BytesView body =
        chunk_.subspan(position_ + header_size, static_cast<size_t>(header.compressed_page_size));
    position_ += header_size + body.size();
    auto uncompressed = static_cast<size_t>(header.uncompressed_page_size);

    // The values of a page are decoded at once: a count no real writer makes (they cut pages
    // at about 20,000 values or 1 MiB) is refused before it sizes any memory.
    auto check_count = [&](int32_t count) -> Status {
      if (count < 0 || static_cast<size_t>(count) > std::max<size_t>(8 * uncompressed, 1 << 22) ||
          count > metadata_.num_values - levels_read_) {
        return Corrupt("a page of " + std::to_string(count) + " values in " +
                       std::to_string(uncompressed) + " bytes (" +
                       std::to_string(metadata_.num_values - levels_read_) + " left in the chunk)");
      }
      return OkStatus();
    };
    size_t n = 0;
    Encoding encoding = Encoding::kPlain;
    BytesView values;
    size_t levels_before = out.num_levels;
    size_t def_before = out.definition_levels.size();
    if (header.type == PageType::kDictionaryPage) {
      if (has_dictionary_) return Corrupt("a second dictionary page");
      CQLBULK_RETURN_IF_ERROR(ReadDictionary(header, body));
      continue;
    }
    if (header.type == PageType::kDataPage) {
      if (!header.data_page_header) return Corrupt("a data page without its header");
      const DataPageHeader& h = *header.data_page_header;
      CQLBULK_RETURN_IF_ERROR(check_count(h.num_values));
      n = static_cast<size_t>(h.num_values);
      encoding = h.encoding;
      CQLBULK_ASSIGN_OR_RETURN(BytesView page, Decompress(body, uncompressed, 0, true));
      // v1: each level section is prefixed by its 4-byte length.
      auto section = [&](int16_t max_level, std::vector<int16_t>& levels) -> Status {
        if (max_level == 0) return OkStatus();
        Result<BytesView> runs = SplitLengthPrefixed(page);
        if (!runs.has_value()) return Corrupt("levels: " + runs.error().message());
        Status s = DecodeLevels(*runs, max_level, n, levels);
        if (!s.has_value()) return Corrupt("levels: " + s.error().message());
        page = page.subspan(4 + runs->size());
        return OkStatus();
      };
      CQLBULK_RETURN_IF_ERROR(section(leaf_.max_repetition_level, out.repetition_levels));
      CQLBULK_RETURN_IF_ERROR(section(leaf_.max_definition_level, out.definition_levels));
      values = page;
    } else if (header.type == PageType::kDataPageV2) {
      if (!header.data_page_header_v2) return Corrupt("a data page v2 without its header");
      const DataPageHeaderV2& h = *header.data_page_header_v2;
      CQLBULK_RETURN_IF_ERROR(check_count(h.num_values));
      if (h.repetition_levels_byte_length < 0 || h.definition_levels_byte_length < 0) {
        return Corrupt("negative level lengths in a data page v2 header");
      }
      n = static_cast<size_t>(h.num_values);
      encoding = h.encoding;
      auto rep_bytes = static_cast<size_t>(h.repetition_levels_byte_length);
      auto def_bytes = static_cast<size_t>(h.definition_levels_byte_length);
      CQLBULK_ASSIGN_OR_RETURN(BytesView page,
                               Decompress(body, uncompressed, rep_bytes + def_bytes,
                                          h.is_compressed));
      if (leaf_.max_repetition_level > 0) {
        Status s = DecodeLevels(page.subspan(0, rep_bytes), leaf_.max_repetition_level, n,
                                out.repetition_levels);
        if (!s.has_value()) return Corrupt("repetition levels: " + s.error().message());
      }
      if (leaf_.max_definition_level > 0) {
        Status s = DecodeLevels(page.subspan(rep_bytes, def_bytes), leaf_.max_definition_level,
                                n, out.definition_levels);
        if (!s.has_value()) return Corrupt("definition levels: " + s.error().message());
      }
      values = page.subspan(rep_bytes + def_bytes);
    } else {
      continue;  // an index page, or a page type of a newer writer
    }
    size_t present = n;
    if (leaf_.max_definition_level > 0) {
      present = CountLevel(out.definition_levels.data() + def_before,
                           out.definition_levels.size() - def_before, leaf_.max_definition_level);
    }
    Status s = DecodeValues(encoding, values, present, out);
    if (!s.has_value()) {
      return Error(s.error().code(), where_ + ", page at chunk byte " +
                                         std::to_string(page_offset_) + ": " +
                                         s.error().message());
    }
    out.num_levels = levels_before + n;
    out.num_values += present;
    levels_read_ += static_cast<int64_t>(n);
    return true;
  }
  return false;
}

}  // namespace cqlbulk::formats::parquet
