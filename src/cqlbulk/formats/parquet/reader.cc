// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/parquet/reader.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/formats/parquet/assemble.h"
#include "cqlbulk/formats/parquet/column_reader.h"

namespace cqlbulk::formats::parquet {
namespace {

constexpr uint8_t kMagic[4] = {'P', 'A', 'R', '1'};

void CollectLeaves(const SchemaNode& node, std::vector<size_t>& out) {
  if (node.kind == SchemaNode::Kind::kLeaf) {
    out.push_back(node.leaf);
    return;
  }
  for (const SchemaNode& child : node.children) CollectLeaves(child, out);
}

/// -1, 0, 1: how a statistic (PLAIN bytes of `type`) compares with the predicate's value;
/// nullopt when they cannot be compared.
std::optional<int> Compare(PhysicalType type, const std::string& stat,
                           const StatisticsPredicate& p) {
  auto sign = [](auto a, auto b) { return a < b ? -1 : (a > b ? 1 : 0); };
  if (const auto* i = std::get_if<int64_t>(&p.value)) {
    if (type == PhysicalType::kInt32 && stat.size() == 4) {
      int32_t v;
      std::memcpy(&v, stat.data(), 4);
      return sign(int64_t{v}, *i);
    }
    if (type == PhysicalType::kInt64 && stat.size() == 8) {
      int64_t v;
      std::memcpy(&v, stat.data(), 8);
      return sign(v, *i);
    }
    return std::nullopt;
  }
  if (const auto* d = std::get_if<double>(&p.value)) {
    if (type == PhysicalType::kFloat && stat.size() == 4) {
      float v;
      std::memcpy(&v, stat.data(), 4);
      return sign(double{v}, *d);
    }
    if (type == PhysicalType::kDouble && stat.size() == 8) {
      double v;
      std::memcpy(&v, stat.data(), 8);
      return sign(v, *d);
    }
    return std::nullopt;
  }
  const auto& s = std::get<std::string>(p.value);
  if (type != PhysicalType::kByteArray && type != PhysicalType::kFixedLenByteArray) {
    return std::nullopt;
  }
  size_t n = std::min(stat.size(), s.size());
  int c = n == 0 ? 0 : std::memcmp(stat.data(), s.data(), n);  // unsigned bytes
  if (c != 0) return c < 0 ? -1 : 1;
  return sign(stat.size(), s.size());
}

/// Whether the row group's statistics show that no row matches `p`.
bool RulesOut(const ColumnMetaData& md, const LeafColumn& leaf, const StatisticsPredicate& p) {
  if (!md.statistics || !md.statistics->min_value || !md.statistics->max_value) return false;
  if (!leaf.unsigned_order && md.type == PhysicalType::kFixedLenByteArray) return false;
  std::optional<int> lo = Compare(md.type, *md.statistics->min_value, p);
  std::optional<int> hi = Compare(md.type, *md.statistics->max_value, p);
  if (!lo || !hi) return false;
  using Op = StatisticsPredicate::Op;
  switch (p.op) {
    case Op::kEqual:
      return *lo > 0 || *hi < 0;
    case Op::kLess:
      return *lo >= 0;
    case Op::kLessOrEqual:
      return *lo > 0;
    case Op::kGreater:
      return *hi <= 0;
    case Op::kGreaterOrEqual:
      return *hi < 0;
  }
  return false;
}

/// Drops the level entries and values before the cursor from `d` (the records a batch took),
/// moving what is left to the front, and puts the cursor at the front: a leaf holds the
/// records of the next batch and the rest of the last page decoded, not its whole chunk.
void DropConsumed(const LeafColumn& leaf, LeafData& d, LeafCursor& c) {
  if (c.level == 0 && c.value == 0) return;
  auto drop_levels = [&](std::vector<int16_t>& levels) {
    if (!levels.empty()) {
      levels.erase(levels.begin(), levels.begin() + static_cast<ptrdiff_t>(c.level));
    }
  };
  drop_levels(d.definition_levels);
  drop_levels(d.repetition_levels);
  size_t left = d.num_values - c.value;
  int width = DecodedValueWidth(leaf);
  if (c.value == 0) {
    // no values taken (only nulls, or none)
  } else if (width > 0) {
    size_t from = c.value * static_cast<size_t>(width);
    std::memmove(d.fixed.mutable_data(), d.fixed.data() + from, d.fixed.size() - from);
    d.fixed.Truncate(d.fixed.size() - from);
  } else if (left == 0) {
    d.strings.Clear();
  } else {
    auto* offsets = reinterpret_cast<int32_t*>(d.strings.offsets.mutable_data());
    int32_t base = offsets[c.value];
    auto bytes = static_cast<size_t>(offsets[d.num_values] - base);
    std::memmove(d.strings.bytes.mutable_data(), d.strings.bytes.data() + base, bytes);
    d.strings.bytes.Truncate(bytes);
    for (size_t i = 0; i <= left; ++i) offsets[i] = offsets[c.value + i] - base;
    d.strings.offsets.Truncate((left + 1) * sizeof(int32_t));
  }
  d.num_levels -= c.level;
  d.num_values = left;
  c.level = 0;
  c.value = 0;
}

}  // namespace

Result<FileMetaData> ReadFileMetaData(const RandomAccessFile& file) {
  const std::string& name = file.path();
  if (file.size() < 12) {
    return Error(ErrorCode::kCorrupt, name + ": not a Parquet file (" +
                                          std::to_string(file.size()) + " bytes)");
  }
  uint8_t head[4];
  uint8_t tail[8];
  CQLBULK_RETURN_IF_ERROR(file.ReadAt(0, head));
  CQLBULK_RETURN_IF_ERROR(file.ReadAt(file.size() - 8, tail));
  if (std::memcmp(head, kMagic, 4) != 0) {
    return Error(ErrorCode::kCorrupt, name + ": not a Parquet file (no PAR1 at the start)");
  }
  if (std::memcmp(tail + 4, kMagic, 4) != 0) {
    return Error(ErrorCode::kCorrupt,
                 name + ": no PAR1 at the end: the file is truncated or not Parquet");
  }
  uint32_t length = uint32_t{tail[0]} | uint32_t{tail[1]} << 8 | uint32_t{tail[2]} << 16 |
                    uint32_t{tail[3]} << 24;
  if (length > file.size() - 12) {
    return Error(ErrorCode::kCorrupt, name + ": a footer of " + std::to_string(length) +
                                          " bytes does not fit a file of " +
                                          std::to_string(file.size()));
  }
  Bytes footer(length);
  CQLBULK_RETURN_IF_ERROR(file.ReadAt(file.size() - 8 - length, footer));
  Result<FileMetaData> metadata = ParseFileMetaData(footer);
  if (!metadata.has_value()) {
    return Error(ErrorCode::kCorrupt, name + ": footer: " + metadata.error().message());
  }
  return metadata;
}

class ParquetReader::Impl {
 public:
  Impl(std::unique_ptr<RandomAccessFile> file, ReaderOptions options, FileMetaData metadata,
       FileSchema schema)
      : file_(std::move(file)),
        options_(std::move(options)),
        metadata_(std::move(metadata)),
        file_schema_(std::move(schema)) {}

  Status Project() {
    const data::Schema& all = *file_schema_.schema;
    data::Schema projected;
    if (options_.columns.empty()) {
      for (size_t i = 0; i < all.num_fields(); ++i) fields_.push_back(i);
    } else {
      for (const std::string& name : options_.columns) {
        std::optional<size_t> index = all.FieldIndex(name);
        if (!index) {
          return Error(ErrorCode::kInvalidArgument,
                       file_->path() + ": no column '" + name + "' in the file");
        }
        fields_.push_back(*index);
      }
    }
    for (size_t f : fields_) {
      projected.fields.push_back(all.fields[f]);
      CollectLeaves(file_schema_.parquet.fields[f], leaves_);
    }
    schema_ = std::make_shared<const data::Schema>(std::move(projected));
    data_.resize(file_schema_.parquet.leaves.size());
    streams_.resize(file_schema_.parquet.leaves.size());
    cursors_.resize(file_schema_.parquet.leaves.size());
    for (const RowGroup& group : metadata_.row_groups) {
      if (group.columns.size() != file_schema_.parquet.leaves.size()) {
        return Error(ErrorCode::kCorrupt,
                     file_->path() + ": a row group has " + std::to_string(group.columns.size()) +
                         " column chunks for " +
                         std::to_string(file_schema_.parquet.leaves.size()) + " columns");
      }
    }
    for (const StatisticsPredicate& p : options_.predicates) {
      std::optional<size_t> index = all.FieldIndex(p.column);
      if (!index || file_schema_.parquet.fields[*index].kind != SchemaNode::Kind::kLeaf) {
        return Error(ErrorCode::kInvalidArgument,
                     file_->path() + ": a predicate on '" + p.column +
                         "', which is not a top-level primitive column");
      }
      predicate_leaves_.push_back(file_schema_.parquet.fields[*index].leaf);
    }
    return OkStatus();
  }

  Result<std::optional<data::Batch>> Next() {
    while (rows_left_ == 0) {
      if (next_group_ >= metadata_.row_groups.size()) return std::optional<data::Batch>();
      CQLBULK_RETURN_IF_ERROR(LoadRowGroup(next_group_++));
    }
    size_t n = std::min<size_t>(options_.batch_rows, rows_left_);
    for (size_t leaf : leaves_) CQLBULK_RETURN_IF_ERROR(Fill(leaf, n));
    data::BatchBuilder builder(schema_, n);
    for (size_t i = 0; i < fields_.size(); ++i) {
      Status s = Assemble(file_schema_.parquet.fields[fields_[i]], file_schema_.parquet, n,
                          cursors_, builder.column(i));
      if (!s.has_value()) return Error(s.error().code(), Where() + ": " + s.error().message());
    }
    for (size_t leaf : leaves_) {
      LeafStream& stream = streams_[leaf];
      stream.records_ahead -= std::min(stream.records_ahead, n);
    }
    rows_left_ -= n;
    rows_read_ += static_cast<int64_t>(n);
    Result<data::Batch> batch = builder.Finish();
    if (!batch.has_value()) {
      return Error(ErrorCode::kCorrupt, Where() + ": " + batch.error().message());
    }
    return std::optional<data::Batch>(std::move(*batch));
  }

  const data::SchemaPtr& schema() const { return schema_; }
  const FileMetaData& metadata() const { return metadata_; }
  const FileSchema& file_schema() const { return file_schema_; }
  int64_t rows_read() const { return rows_read_; }
  int64_t skipped() const { return skipped_; }

 private:
  std::string Where() const {
    return file_->path() + ": row group " + std::to_string(next_group_ - 1);
  }

  /// Decodes pages of `leaf` until it holds `records` whole records past its cursor (or its
  /// chunk ends: Assemble then finds the levels short), after dropping what earlier batches took.
  Status Fill(size_t leaf, size_t records) {
    const LeafColumn& column = file_schema_.parquet.leaves[leaf];
    LeafData& data = data_[leaf];
    LeafCursor& cursor = cursors_[leaf];
    LeafStream& stream = streams_[leaf];
    DropConsumed(column, data, cursor);
    bool repeated = column.max_repetition_level > 0;
    if (!repeated) stream.records_ahead = data.num_levels;
    // A repeated leaf's record ends where the next one starts (repetition level 0), so it
    // needs the start of record `records` + 1 too, or the end of the chunk.
    size_t needed = repeated ? records + 1 : records;
    while (!stream.done && stream.records_ahead < needed) {
      size_t before = data.num_levels;
      CQLBULK_ASSIGN_OR_RETURN(bool more, stream.reader->ReadPage(data));
      if (!more) {
        stream.done = true;
        break;
      }
      stream.records_ahead += repeated ? CountLevel(data.repetition_levels.data() + before,
                                                    data.num_levels - before, 0)
                                       : data.num_levels - before;
      if (data.num_levels > static_cast<size_t>(options_.max_batch_values)) {
        return Error(ErrorCode::kCorrupt,
                     Where() + ", column " + DottedPath(column.path) + ": " +
                         std::to_string(records) + " records hold more than " +
                         std::to_string(options_.max_batch_values) +
                         " values, the most a batch is read with");
      }
    }
    return OkStatus();
  }

  Status LoadRowGroup(size_t index) {
    const RowGroup& group = metadata_.row_groups[index];
    if (group.num_rows < 0) return Error(ErrorCode::kCorrupt, Where() + ": negative row count");
    for (size_t p = 0; p < options_.predicates.size(); ++p) {
      const ColumnChunk& chunk = group.columns[predicate_leaves_[p]];
      if (chunk.meta_data && RulesOut(*chunk.meta_data,
                                      file_schema_.parquet.leaves[predicate_leaves_[p]],
                                      options_.predicates[p])) {
        ++skipped_;
        return OkStatus();
      }
    }
    for (size_t leaf : leaves_) {
      const ColumnChunk& chunk = group.columns[leaf];
      std::string where = Where() + ", column " + DottedPath(file_schema_.parquet.leaves[leaf].path);
      if (!chunk.meta_data) {
        return Error(ErrorCode::kUnimplemented, where + ": column chunks in other files (" +
                                                    chunk.file_path.value_or("") +
                                                    ") are not read");
      }
      const ColumnMetaData& md = *chunk.meta_data;
      int64_t start = md.data_page_offset;
      if (md.dictionary_page_offset && *md.dictionary_page_offset > 0 &&
          *md.dictionary_page_offset < start) {
        start = *md.dictionary_page_offset;
      }
      if (start < 0 || md.total_compressed_size < 0 ||
          static_cast<uint64_t>(start) > file_->size() ||
          static_cast<uint64_t>(md.total_compressed_size) > file_->size() - static_cast<uint64_t>(start)) {
        return Error(ErrorCode::kCorrupt, where + ": the chunk at byte " + std::to_string(start) +
                                              " of " + std::to_string(md.total_compressed_size) +
                                              " bytes passes the end of the file");
      }
      // A Buffer, not Bytes: the read fills it, so it is not zeroed first.
      data::Buffer& bytes = chunk_bytes_[leaf];
      bytes.Clear();
      auto size = static_cast<size_t>(md.total_compressed_size);
      CQLBULK_RETURN_IF_ERROR(
          file_->ReadAt(static_cast<uint64_t>(start), {bytes.Grow(size), size}));
      LeafStream& stream = streams_[leaf];
      CQLBULK_ASSIGN_OR_RETURN(
          stream.reader,
          ColumnChunkReader::Make(file_schema_.parquet.leaves[leaf], md, bytes.view(), where));
      stream.done = false;
      stream.records_ahead = 0;
      data_[leaf].Clear();
      cursors_[leaf] = LeafCursor{&data_[leaf], 0, 0};
    }
    rows_left_ = static_cast<size_t>(group.num_rows);
    return OkStatus();
  }


  std::unique_ptr<RandomAccessFile> file_;
  ReaderOptions options_;
  FileMetaData metadata_;
  FileSchema file_schema_;
  data::SchemaPtr schema_;
  std::vector<size_t> fields_;  // projected top-level fields
  std::vector<size_t> leaves_;  // their leaves
  std::vector<size_t> predicate_leaves_;
  /// Per leaf (of the file; the projected ones used): its chunk's page reader.
  struct LeafStream {
    std::unique_ptr<ColumnChunkReader> reader;
    bool done = true;  // the chunk's pages are all decoded
    /// Records whose first level entry is at or past the cursor (a flat leaf: its entries).
    size_t records_ahead = 0;
  };

  std::vector<LeafData> data_;  // the decoded pages not yet taken by a batch
  std::vector<LeafCursor> cursors_;
  std::vector<LeafStream> streams_;
  std::map<size_t, data::Buffer> chunk_bytes_;
  size_t next_group_ = 0;
  size_t rows_left_ = 0;
  int64_t rows_read_ = 0;
  int64_t skipped_ = 0;
};

Result<std::unique_ptr<ParquetReader>> ParquetReader::Open(std::unique_ptr<RandomAccessFile> file,
                                                           ReaderOptions options) {
  if (options.batch_rows == 0) {
    return Error(ErrorCode::kInvalidArgument, "parquet: batches must hold at least one row");
  }
  CQLBULK_ASSIGN_OR_RETURN(FileMetaData metadata, ReadFileMetaData(*file));
  Result<FileSchema> schema = SchemaFromParquet(metadata.schema);
  if (!schema.has_value()) {
    return Error(schema.error().code(), file->path() + ": " + schema.error().message());
  }
  auto impl = std::make_unique<Impl>(std::move(file), std::move(options), std::move(metadata),
                                     std::move(*schema));
  CQLBULK_RETURN_IF_ERROR(impl->Project());
  return std::unique_ptr<ParquetReader>(new ParquetReader(std::move(impl)));
}

ParquetReader::ParquetReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ParquetReader::~ParquetReader() = default;
const data::SchemaPtr& ParquetReader::schema() const noexcept { return impl_->schema(); }
const FileMetaData& ParquetReader::metadata() const noexcept { return impl_->metadata(); }
const FileSchema& ParquetReader::file_schema() const noexcept { return impl_->file_schema(); }
Result<std::optional<data::Batch>> ParquetReader::Next() { return impl_->Next(); }
int64_t ParquetReader::rows_read() const noexcept { return impl_->rows_read(); }
int64_t ParquetReader::row_groups_skipped() const noexcept { return impl_->skipped(); }

}  // namespace cqlbulk::formats::parquet
