// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/parquet/column_writer.h"

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <utility>
#include <variant>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/parquet/encoding/dictionary.h"
#include "cqlbulk/formats/parquet/encoding/plain.h"
#include "cqlbulk/formats/parquet/encoding/rle.h"

namespace cqlbulk::formats::parquet {
namespace {

int32_t Int32Size(size_t n) { return static_cast<int32_t>(n); }

/// Copies `blocks` whole 16-byte blocks (a short value and the bytes after it).
inline void CopyBlocks(uint8_t* dst, const uint8_t* src, size_t blocks) {
  for (size_t i = 0; i < blocks; ++i) {
    uint8_t block[16];
    std::memcpy(block, src + 16 * i, 16);
    std::memcpy(dst + 16 * i, block, 16);
  }
}

}  // namespace

Status AppendPage(PageHeader& header, BytesView levels, BytesView body,
                  BlockCompressor* compressor, data::Buffer& out) {
  header.uncompressed_page_size = Int32Size(levels.size() + body.size());
  const size_t start = out.size();
  if (compressor == nullptr) {
    header.compressed_page_size = header.uncompressed_page_size;
    Serialize(header, out);
    out.Append(levels);
    out.Append(body);
    return OkStatus();
  }
  // Room for the header as if the page did not shrink, then the levels and the compressed
  // body after it.
  header.compressed_page_size = header.uncompressed_page_size;
  Serialize(header, out);
  const size_t room = out.size() - start;
  out.Append(levels);
  CQLBULK_RETURN_IF_ERROR(compressor->Compress(body, out));
  const size_t page_bytes = out.size() - start - room;
  header.compressed_page_size = Int32Size(page_bytes);
  // The real header goes into the room; the page moves only if its length differs.
  data::Buffer header_bytes;
  Serialize(header, header_bytes);
  const size_t header_size = header_bytes.size();
  if (header_size != room) {
    if (header_size > room) out.Grow(header_size - room);
    uint8_t* base = out.mutable_data() + start;
    std::memmove(base + header_size, base + room, page_bytes);
    out.Truncate(start + header_size + page_bytes);
  }
  std::memcpy(out.mutable_data() + start, header_bytes.data(), header_size);
  return OkStatus();
}

/// The chunk's dictionary, of the leaf's physical type.
class DictionaryState {
 public:
  explicit DictionaryState(const LeafColumn& leaf) : encoder_(MakeEncoder(leaf)) {}

  /// Adds the values of `data`, appending their indices.
  void Put(const LeafData& data, data::Buffer& indices) {
    auto* out = reinterpret_cast<uint32_t*>(indices.Grow(data.num_values * sizeof(uint32_t)));
    std::visit(
        [&](auto& encoder) {
          using E = std::decay_t<decltype(encoder)>;
          if constexpr (std::is_same_v<E, ByteArrayDictEncoder>) {
            encoder.Put(data.string_values(), out);
          } else if constexpr (std::is_same_v<E, FixedDictEncoder>) {
            encoder.Put(data.fixed_values().data(), data.num_values, out);
          } else {
            using T = std::remove_const_t<std::remove_pointer_t<decltype(encoder.entries())>>;
            encoder.Put(reinterpret_cast<const T*>(data.fixed_values().data()), data.num_values,
                       out);
          }
        },
        encoder_);
  }
  uint32_t size() const {
    return std::visit([](const auto& e) { return e.num_entries(); }, encoder_);
  }
  size_t plain_bytes() const {
    return std::visit([](const auto& e) { return e.dictionary_bytes(); }, encoder_);
  }
  /// Appends the entries from index `first` on to `out` as values of the leaf's type.
  void EntriesFrom(uint32_t first, LeafData& out) const {
    std::visit(
        [&](const auto& encoder) {
          using E = std::decay_t<decltype(encoder)>;
          size_t n = encoder.num_entries() - first;
          if constexpr (std::is_same_v<E, ByteArrayDictEncoder>) {
            ByteArraysView entries = encoder.entries();
            for (size_t i = first; i < entries.size; ++i) out.strings.Append(entries[i]);
          } else if constexpr (std::is_same_v<E, FixedDictEncoder>) {
            auto width = static_cast<size_t>(encoder.width());
            out.fixed.Append(BytesView(encoder.entries() + first * width, n * width));
          } else {
            out.fixed.Append(BytesView(reinterpret_cast<const uint8_t*>(encoder.entries() + first),
                                       n * sizeof(*encoder.entries())));
          }
          out.num_values += n;
          out.num_levels += n;
        },
        encoder_);
  }
  /// Appends the PLAIN encoding of the entries `indices` name (what EncodePlain writes for
  /// those values).
  void PlainFromIndices(const uint32_t* indices, size_t n, data::Buffer& out) const {
    std::visit(
        [&](const auto& encoder) {
          using E = std::decay_t<decltype(encoder)>;
          if constexpr (std::is_same_v<E, ByteArrayDictEncoder>) {
            ByteArraysView entries = encoder.entries();
            for (size_t i = 0; i < n; ++i) {
              BytesView b = entries[indices[i]];
              out.Append(static_cast<uint32_t>(b.size()));
              out.Append(b);
            }
          } else if constexpr (std::is_same_v<E, FixedDictEncoder>) {
            auto width = static_cast<size_t>(encoder.width());
            for (size_t i = 0; i < n; ++i) {
              out.Append(BytesView(encoder.entries() + indices[i] * width, width));
            }
          } else {
            for (size_t i = 0; i < n; ++i) out.Append(encoder.entries()[indices[i]]);
          }
        },
        encoder_);
  }
  void WriteDictionary(data::Buffer& out) const {
    std::visit([&](const auto& e) { e.WriteDictionaryTo(out); }, encoder_);
  }
  void Clear() {
    std::visit([](auto& e) { e.Clear(); }, encoder_);
  }

 private:
  using Encoder = std::variant<DictEncoder<int32_t>, DictEncoder<int64_t>, DictEncoder<float>,
                               DictEncoder<double>, ByteArrayDictEncoder, FixedDictEncoder>;
  static Encoder MakeEncoder(const LeafColumn& leaf) {
    switch (leaf.physical_type) {
      case PhysicalType::kInt32:
        return DictEncoder<int32_t>();
      case PhysicalType::kInt64:
        return DictEncoder<int64_t>();
      case PhysicalType::kFloat:
        return DictEncoder<float>();
      case PhysicalType::kDouble:
        return DictEncoder<double>();
      case PhysicalType::kByteArray:
        return ByteArrayDictEncoder();
      default:
        return FixedDictEncoder(leaf.type_length);
    }
  }
  Encoder encoder_;
};

ColumnChunkWriter::ColumnChunkWriter(const LeafColumn& leaf, const WriterOptions& options,
                                     BlockCompressor& compressor, data::Buffer& page_scratch)
    : leaf_(&leaf),
      options_(&options),
      compressor_(&compressor),
      statistics_(leaf),
      page_scratch_(&page_scratch) {
  // The dictionary is made by the first Add: a writer that never gets rows (one of many
  // open files) holds no hash table.
  make_dictionary_ = options.dictionary && leaf.physical_type != PhysicalType::kBoolean;
}

ColumnChunkWriter::~ColumnChunkWriter() = default;
ColumnChunkWriter::ColumnChunkWriter(ColumnChunkWriter&&) noexcept = default;

size_t ColumnChunkWriter::EstimatedBytes() const noexcept {
  size_t page = PlainBytes() + num_page_indices() + page_booleans_.size() / 8 +
                (page_definition_levels_.size() + page_repetition_levels_.size()) / 4;
  return pages_bytes_ + page + (dictionary_ ? dictionary_->plain_bytes() : 0) +
         fallback_dictionary_.size();
}

void ColumnChunkWriter::EncodePlain(const LeafData& data) {
  switch (leaf_->physical_type) {
    case PhysicalType::kBoolean:
      page_booleans_.insert(page_booleans_.end(), data.fixed_values().data(),
                            data.fixed_values().data() + data.num_values);
      break;
    case PhysicalType::kByteArray: {
      // Room for every value at once, then a length and a copy each.
      ByteArraysView v = data.string_values();
      if (v.size == 0) break;
      StartPlain();
      // 64 bytes of slack past the values: a short value is copied in whole 16-byte blocks
      // (those past it are written over by the next, then the slack dropped).
      constexpr size_t kSlack = 64;
      uint8_t* out = page_plain_.Grow(4 * v.size + v.total_bytes() + kSlack);
      const uint8_t* const source_end = v.data + v.offsets[v.size];
      for (size_t i = 0; i < v.size; ++i) {
        auto length = static_cast<uint32_t>(v.offsets[i + 1] - v.offsets[i]);
        const uint8_t* source = v.data + v.offsets[i];
        std::memcpy(out, &length, 4);  // native, as Buffer::Append writes it
        const size_t blocks = (length + 15) / 16;
        if (blocks <= kSlack / 16 && static_cast<size_t>(source_end - source) >= 16 * blocks) {
          CopyBlocks(out + 4, source, blocks);
        } else {
          std::memcpy(out + 4, source, length);
        }
        out += 4 + length;
      }
      page_plain_.Truncate(page_plain_.size() - kSlack);
      break;
    }
    default:
      StartPlain();
      page_plain_.Append(data.fixed_values());
  }
}

namespace {

/// Values a page holds at most, roughly: its limit and a slice more (pages end between slices).
size_t PageValuesBound(const WriterOptions& options) {
  return std::min<size_t>(options.data_page_values, size_t{1} << 20) + 1024;
}

}  // namespace

size_t ColumnChunkWriter::FirstPageCapacity() const noexcept {
  size_t width = 0;
  switch (leaf_->physical_type) {
    case PhysicalType::kInt32:
    case PhysicalType::kFloat:
      width = 4;
      break;
    case PhysicalType::kInt64:
    case PhysicalType::kDouble:
      width = 8;
      break;
    case PhysicalType::kInt96:
      width = 12;
      break;
    case PhysicalType::kFixedLenByteArray:
      width = static_cast<size_t>(std::max(leaf_->type_length, 1));
      break;
    default:
      break;  // byte arrays: as many bytes as a page's limit
  }
  const size_t by_bytes = options_->data_page_bytes + (size_t{64} << 10);
  const size_t bytes = width > 0 ? std::min(PageValuesBound(*options_) * width, by_bytes) : by_bytes;
  return kPlainRoom + std::min(bytes, size_t{8} << 20);
}

size_t ColumnChunkWriter::FirstIndicesCapacity() const noexcept {
  return PageValuesBound(*options_) * sizeof(uint32_t);
}

void ColumnChunkWriter::AddValues(const LeafData& data) {
  if (dictionary_ && !fell_back_) {
    if (page_indices_.capacity() == 0) page_indices_.Reserve(FirstIndicesCapacity());
    dictionary_->Put(data, page_indices_);
  } else {
    EncodePlain(data);
  }
}

Status ColumnChunkWriter::Add(const LeafData& data) {
  if (make_dictionary_) {
    dictionary_ = std::make_unique<DictionaryState>(*leaf_);
    make_dictionary_ = false;
  }
  bool dictionary_mode = dictionary_ && !fell_back_;
  uint32_t entries_before = dictionary_mode ? dictionary_->size() : 0;
  if (!dictionary_mode) statistics_.Update(data);
  if (leaf_->max_definition_level > 0) {
    if (data.AllDefined()) {
      // No null: nothing to store while the page has none either (EndPage writes one run).
      if (page_definition_levels_.empty()) {
        page_implicit_levels_ += data.num_levels;
      } else {
        page_definition_levels_.resize(page_definition_levels_.size() + data.num_levels,
                                       leaf_->max_definition_level);
      }
    } else {
      if (page_implicit_levels_ > 0) {
        page_definition_levels_.assign(page_implicit_levels_, leaf_->max_definition_level);
        page_implicit_levels_ = 0;
      }
      page_definition_levels_.insert(page_definition_levels_.end(),
                                     data.definition_levels.begin(),
                                     data.definition_levels.end());
    }
  }
  page_repetition_levels_.insert(page_repetition_levels_.end(), data.repetition_levels.begin(),
                                 data.repetition_levels.end());
  if (leaf_->max_repetition_level == 0) {
    page_rows_ += data.num_levels;
  } else {
    page_rows_ += static_cast<size_t>(
        std::count(data.repetition_levels.begin(), data.repetition_levels.end(), 0));
  }
  page_levels_ += data.num_levels;
  page_values_ += data.num_values;
  AddValues(data);
  if (dictionary_mode) {
    // Each value of the slice is now a dictionary entry, and only the entries it added can
    // move the chunk's minimum or maximum: statistics take those (and the slice's nulls)
    // instead of every value, which for a column of few distinct values is almost nothing.
    LeafData& entries = new_entries_;  // reused: no allocation per slice
    entries.Clear();
    dictionary_->EntriesFrom(entries_before, entries);
    entries.num_levels += data.num_levels - data.num_values;
    statistics_.Update(entries);
  }
  if (dictionary_mode && options_->dictionary_probe_values > 0 && !probed_ &&
      num_data_pages_ == 0 && page_values_ >= options_->dictionary_probe_values) {
    probed_ = true;
    if (size_t{dictionary_->size()} * 8 > page_values_ * 7) {
      // Nearly every value is new: the dictionary would only cost (its inserts, its page, its
      // memory till the chunk ends). The chunk is PLAIN from its start: the page so far too.
      StartPlain();
      dictionary_->PlainFromIndices(page_index_data(), num_page_indices(), page_plain_);
      page_indices_.Clear();
      dictionary_.reset();
      dropped_dictionary_ = true;
    }
  }
  bool dictionary_full = dictionary_ && !fell_back_ &&
                         dictionary_->plain_bytes() >= options_->dictionary_page_bytes;
  size_t page_bytes = EstimatedBytes() - pages_bytes_ -
                      (dictionary_ ? dictionary_->plain_bytes() : 0) - fallback_dictionary_.size();
  if (dictionary_full || page_bytes >= options_->data_page_bytes ||
      page_levels_ >= options_->data_page_values) {
    CQLBULK_RETURN_IF_ERROR(EndPage());
    if (dictionary_full) {
      // The pages so far refer to the dictionary: keep its page, free its hash table (a full
      // one holds several MiB, and every column of every worker may have one).
      fell_back_ = true;
      fallback_dictionary_size_ = dictionary_->size();
      fallback_dictionary_.Clear();
      dictionary_->WriteDictionary(fallback_dictionary_);
      dictionary_ = std::make_unique<DictionaryState>(*leaf_);
    }
  }
  return OkStatus();
}

void ColumnChunkWriter::AppendToBlocks(BytesView bytes) {
  constexpr size_t kMinBlock = size_t{64} << 10;
  constexpr size_t kMaxBlock = size_t{1} << 20;
  pages_bytes_ += bytes.size();
  while (!bytes.empty()) {
    data::Buffer* block = num_blocks_ > 0 ? &page_blocks_[num_blocks_ - 1] : nullptr;
    if (block == nullptr || block->size() == block->capacity()) {
      if (num_blocks_ == page_blocks_.size()) page_blocks_.emplace_back();
      block = &page_blocks_[num_blocks_++];
      block->Clear();
      block->Reserve(std::clamp(pages_bytes_ - bytes.size(), kMinBlock, kMaxBlock));
    }
    const size_t n = std::min(bytes.size(), block->capacity() - block->size());
    block->Append(bytes.first(n));
    bytes = bytes.subspan(n);
  }
}

Status ColumnChunkWriter::WritePage(PageHeader& header, BytesView uncompressed_levels,
                                    BytesView body) {
  data::Buffer& page = *page_scratch_;
  page.Clear();
  if (options_->codec == CompressionCodec::kUncompressed) {
    // The page's bytes go straight after its header: no copy through the scratch.
    header.uncompressed_page_size = Int32Size(uncompressed_levels.size() + body.size());
    header.compressed_page_size = header.uncompressed_page_size;
    Serialize(header, page);
    AppendToBlocks(page.view());
    AppendToBlocks(uncompressed_levels);
    AppendToBlocks(body);
    uncompressed_bytes_ += static_cast<int64_t>(page.size()) + header.uncompressed_page_size;
    return OkStatus();
  }
  CQLBULK_RETURN_IF_ERROR(AppendPage(header, uncompressed_levels, body, compressor_, page));
  AppendToBlocks(page.view());
  // The header's bytes and the page's uncompressed size.
  uncompressed_bytes_ += static_cast<int64_t>(page.size()) - header.compressed_page_size +
                         header.uncompressed_page_size;
  return OkStatus();
}

Status ColumnChunkWriter::EndPage() {
  if (page_levels_ == 0) return OkStatus();
  bool dictionary_page = dictionary_ && !fell_back_;
  Encoding encoding = dictionary_page ? Encoding::kRleDictionary : Encoding::kPlain;

  // Levels, then values, in scratch_; PLAIN values stay where they are when the page does not
  // need them next to the levels (v1 pages compress levels and values as one body).
  data::Buffer& page = scratch_;
  page.Clear();
  auto encode_levels = [&](const std::vector<int16_t>& values, int16_t max_level,
                           size_t implicit = 0) {
    RleBitPackedEncoder encoder(BitWidth(static_cast<uint64_t>(max_level)));
    if (implicit > 0) {
      encoder.PutRepeated(static_cast<uint32_t>(max_level), implicit);
    } else {
      encoder.Put(values.data(), values.size());
    }
    if (options_->data_page_v2) {
      size_t before = page.size();
      encoder.FlushTo(page);
      return Int32Size(page.size() - before);
    }
    encoder.FlushWithLengthTo(page);
    return 0;
  };
  int32_t repetition_bytes = 0;
  int32_t definition_bytes = 0;
  if (leaf_->max_repetition_level > 0) {
    repetition_bytes = encode_levels(page_repetition_levels_, leaf_->max_repetition_level);
  }
  if (leaf_->max_definition_level > 0) {
    definition_bytes = encode_levels(page_definition_levels_, leaf_->max_definition_level,
                                     page_implicit_levels_);
  }
  size_t levels_size = page.size();
  bool uncompressed = options_->codec == CompressionCodec::kUncompressed;
  bool plain_in_place = !dictionary_page && leaf_->physical_type != PhysicalType::kBoolean &&
                        (options_->data_page_v2 || uncompressed);
  if (dictionary_page) {
    EncodeDictionaryIndices(page_index_data(), num_page_indices(), dictionary_->size(),
                            page);
  } else if (leaf_->physical_type == PhysicalType::kBoolean) {
    PlainBooleanEncoder encoder;
    encoder.Put(page_booleans_.data(), page_booleans_.size());
    encoder.FlushTo(page);
  }
  BytesView v1_body = page.view();  // levels and values, as a v1 page compresses them
  if (!dictionary_page && leaf_->physical_type != PhysicalType::kBoolean && !plain_in_place) {
    if (!page_plain_.empty() && levels_size <= kPlainRoom) {
      // The levels go into the room before the values: no copy of the values.
      uint8_t* front = page_plain_.mutable_data() + kPlainRoom - levels_size;
      if (levels_size > 0) std::memcpy(front, page.data(), levels_size);
      v1_body = BytesView(front, levels_size + PlainBytes());
    } else {
      page.Append(PlainValues());
      v1_body = page.view();
    }
  }
  BytesView levels = page.view().first(levels_size);
  BytesView values = plain_in_place ? PlainValues() : page.view().subspan(levels_size);

  PageHeader header;
  auto num_levels = Int32Size(page_levels_);
  if (options_->data_page_v2) {
    header.type = PageType::kDataPageV2;
    DataPageHeaderV2 v2;
    v2.num_values = num_levels;
    v2.num_nulls = Int32Size(page_levels_ - page_values_);
    v2.num_rows = Int32Size(page_rows_);
    v2.encoding = encoding;
    v2.definition_levels_byte_length = definition_bytes;
    v2.repetition_levels_byte_length = repetition_bytes;
    header.data_page_header_v2 = v2;
    CQLBULK_RETURN_IF_ERROR(WritePage(header, levels, values));
  } else {
    header.type = PageType::kDataPage;
    DataPageHeader v1;
    v1.num_values = num_levels;
    v1.encoding = encoding;
    v1.definition_level_encoding = Encoding::kRle;
    v1.repetition_level_encoding = Encoding::kRle;
    header.data_page_header = v1;
    // Uncompressed, WritePage writes the two parts one after the other: the same bytes.
    CQLBULK_RETURN_IF_ERROR(uncompressed ? WritePage(header, levels, values)
                                         : WritePage(header, {}, v1_body));
  }
  num_values_ += num_levels;
  ++num_data_pages_;
  if (!dictionary_page) ++num_plain_pages_;
  page_definition_levels_.clear();
  page_implicit_levels_ = 0;
  page_repetition_levels_.clear();
  page_indices_.Clear();
  page_plain_.Clear();
  page_booleans_.clear();
  page_levels_ = 0;
  page_values_ = 0;
  page_rows_ = 0;
  return OkStatus();
}

Status ColumnChunkWriter::Finish(int64_t file_offset, const ChunkSink& write, ColumnChunk& chunk) {
  CQLBULK_RETURN_IF_ERROR(EndPage());
  ColumnMetaData md;
  md.type = leaf_->physical_type;
  md.path_in_schema = leaf_->path;
  md.codec = options_->codec;
  md.num_values = num_values_;

  int64_t written = 0;
  bool has_dictionary = dictionary_ && num_data_pages_ > num_plain_pages_;
  if (has_dictionary) {
    data::Buffer body;
    if (fell_back_) {
      body.Append(fallback_dictionary_.view());
    } else {
      dictionary_->WriteDictionary(body);
    }
    PageHeader header;
    header.type = PageType::kDictionaryPage;
    DictionaryPageHeader dict;
    dict.num_values = Int32Size(fell_back_ ? fallback_dictionary_size_ : dictionary_->size());
    dict.encoding = Encoding::kPlain;
    header.dictionary_page_header = dict;
    data::Buffer page;
    CQLBULK_RETURN_IF_ERROR(AppendPage(
        header, {}, body.view(),
        options_->codec == CompressionCodec::kUncompressed ? nullptr : compressor_, page));
    uncompressed_bytes_ += static_cast<int64_t>(page.size()) - header.compressed_page_size +
                           header.uncompressed_page_size;
    CQLBULK_RETURN_IF_ERROR(write(page.view()));
    written += static_cast<int64_t>(page.size());
    md.dictionary_page_offset = file_offset;
    md.encoding_stats.push_back({PageType::kDictionaryPage, Encoding::kPlain, 1});
  }
  md.data_page_offset = file_offset + written;
  for (size_t i = 0; i < num_blocks_; ++i) {  // straight from the blocks: no second copy
    CQLBULK_RETURN_IF_ERROR(write(page_blocks_[i].view()));
  }
  written += static_cast<int64_t>(pages_bytes_);
  md.total_compressed_size = written;
  md.total_uncompressed_size = uncompressed_bytes_;
  // The encodings in the chunk: the dictionary page's, the levels', the data pages'.
  if (has_dictionary) {
    md.encodings = {Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary};
    md.encoding_stats.push_back(
        {PageType::kDataPage, Encoding::kRleDictionary, num_data_pages_ - num_plain_pages_});
  } else {
    md.encodings = {Encoding::kPlain, Encoding::kRle};
  }
  if (num_plain_pages_ > 0) {
    md.encoding_stats.push_back({PageType::kDataPage, Encoding::kPlain, num_plain_pages_});
  }
  if (options_->data_page_v2) {
    for (PageEncodingStats& s : md.encoding_stats) {
      if (s.page_type == PageType::kDataPage) s.page_type = PageType::kDataPageV2;
    }
  }
  md.statistics = statistics_.Finish();
  chunk.file_offset = file_offset;
  chunk.meta_data = std::move(md);

  // Empty for the next row group (a new dictionary too).
  statistics_.Reset();
  num_blocks_ = 0;  // kept (each emptied when taken again) for the next row group
  pages_bytes_ = 0;
  num_values_ = 0;
  uncompressed_bytes_ = 0;
  num_data_pages_ = 0;
  num_plain_pages_ = 0;
  fell_back_ = false;
  fallback_dictionary_.Clear();
  if (dictionary_) dictionary_->Clear();
  probed_ = false;
  if (dropped_dictionary_) {  // the next row group's chunk tries a dictionary again
    dropped_dictionary_ = false;
    make_dictionary_ = true;
  }
  return OkStatus();
}

void ColumnChunkWriter::ReleaseMemory() {
  if (dictionary_) {  // made again by the next Add
    dictionary_.reset();
    make_dictionary_ = true;
  }
  fallback_dictionary_ = {};
  new_entries_ = LeafData{};
  page_definition_levels_ = {};
  page_repetition_levels_ = {};
  page_indices_ = {};
  page_plain_ = {};
  page_booleans_ = {};
  std::vector<data::Buffer>().swap(page_blocks_);
  num_blocks_ = 0;
  scratch_ = {};
}

}  // namespace cqlbulk::formats::parquet
