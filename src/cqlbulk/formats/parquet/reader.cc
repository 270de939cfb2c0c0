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
    data::BatchBuilder builder(schema_, n);
    for (size_t i = 0; i < fields_.size(); ++i) {
      Status s = Assemble(file_schema_.parquet.fields[fields_[i]], file_schema_.parquet, n,
                          cursors_, builder.column(i));
      if (!s.has_value()) return Error(s.error().code(), Where() + ": " + s.error().message());
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
    int64_t values = 0;
    for (size_t leaf : leaves_) {
      const ColumnChunk& chunk = group.columns[leaf];
      if (chunk.meta_data) values += std::max<int64_t>(chunk.meta_data->num_values, 0);
    }
    if (values > options_.max_row_group_values) {
      return Error(ErrorCode::kCorrupt, Where() + ": " + std::to_string(values) +
                                            " values in the projected columns, more than the " +
                                            std::to_string(options_.max_row_group_values) +
                                            " a row group is read with");
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
      CQLBULK_ASSIGN_OR_RETURN(
          std::unique_ptr<ColumnChunkReader> reader,
          ColumnChunkReader::Make(file_schema_.parquet.leaves[leaf], md, bytes.view(), where));
      LeafData& data = data_[leaf];
      data.Clear();
      while (true) {
        CQLBULK_ASSIGN_OR_RETURN(bool more, reader->ReadPage(data));
        if (!more) break;
      }
      cursors_[leaf] = LeafCursor{&data, 0, 0};
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
  std::vector<LeafData> data_;
  std::vector<LeafCursor> cursors_;
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
