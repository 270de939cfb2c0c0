// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/parquet/writer.h"

#include <algorithm>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/parquet/column_writer.h"

namespace cqlbulk::formats::parquet {
namespace {

constexpr char kMagic[4] = {'P', 'A', 'R', '1'};
/// Rows shredded at a time: pages and row groups are cut between slices.
constexpr size_t kSliceRows = 1024;

/// The file's field names and ids are the writer's: a batch needs only the same types, and
/// no null where the writer's field is required (an Iceberg export's rows carry no field ids,
/// and every column of theirs may be null).
bool SameLayout(const data::Batch& batch, const data::Schema& writer) {
  if (batch.num_columns() != writer.num_fields()) return false;
  for (size_t i = 0; i < writer.num_fields(); ++i) {
    const data::Field& a = batch.schema().fields[i];
    const data::Field& b = writer.fields[i];
    if (!(*a.type == *b.type)) return false;
    if (!b.nullable && batch.column(i).null_count() > 0) return false;
  }
  return true;
}

}  // namespace

class ParquetWriter::Impl {
 public:
  Impl(data::SchemaPtr schema, ParquetSchema parquet, std::unique_ptr<OutputStream> sink,
       WriterOptions options, std::shared_ptr<BlockCompressor> compressor)
      : schema_(std::move(schema)),
        parquet_(std::move(parquet)),
        sink_(std::move(sink)),
        options_(std::move(options)),
        compressor_(std::move(compressor)) {
    leaves_.resize(parquet_.leaves.size());
    chunks_.reserve(parquet_.leaves.size());
    for (const LeafColumn& leaf : parquet_.leaves) {
      chunks_.emplace_back(leaf, options_, *compressor_, page_scratch_);
    }
  }

  Status Start() { return WriteBytes(AsBytes(std::string_view(kMagic, 4))); }

  Status Write(const data::Batch& batch, size_t begin, size_t rows_end) {
    if (closed_) return Error(ErrorCode::kInternal, "parquet: Write after Close");
    if (batch.schema_ptr() != schema_ && !SameLayout(batch, *schema_)) {
      return Error(ErrorCode::kInvalidArgument,
                   "parquet: a batch's schema differs from the writer's");
    }
    if (begin > rows_end || rows_end > batch.num_rows()) {
      return Error(ErrorCode::kInvalidArgument, "parquet: rows " + std::to_string(begin) +
                                                    " to " + std::to_string(rows_end) +
                                                    " are not in a batch of " +
                                                    std::to_string(batch.num_rows()));
    }
    size_t row = begin;
    while (row < rows_end) {
      size_t room = options_.row_group_rows - group_rows_;
      size_t end = row + std::min({kSliceRows, rows_end - row, room});
      for (LeafData& leaf : leaves_) leaf.Clear();
      for (size_t i = 0; i < batch.num_columns(); ++i) {
        CQLBULK_RETURN_IF_ERROR(
            Shred(batch.column(i), parquet_.fields[i], parquet_, row, end, leaves_));
      }
      for (size_t i = 0; i < chunks_.size(); ++i) {
        values_changed_ += static_cast<int64_t>(leaves_[i].num_changed);
        CQLBULK_RETURN_IF_ERROR(chunks_[i].Add(leaves_[i]));
      }
      group_rows_ += end - row;
      row = end;
      if (group_rows_ >= options_.row_group_rows || BufferedBytes() >= options_.row_group_bytes) {
        CQLBULK_RETURN_IF_ERROR(FlushRowGroup());
      }
    }
    return OkStatus();
  }

  Status Close() {
    if (closed_) return OkStatus();
    closed_ = true;
    if (group_rows_ > 0) CQLBULK_RETURN_IF_ERROR(FlushRowGroup());
    FileMetaData& m = metadata_;
    m.version = 2;
    m.schema = parquet_.elements;
    m.num_rows = rows_written_;
    m.key_value_metadata = options_.key_value_metadata;
    m.created_by = options_.created_by;
    m.column_orders.assign(parquet_.leaves.size(), ColumnOrder::kTypeDefined);
    data::Buffer footer;
    Serialize(m, footer);
    uint8_t length[4];
    auto n = static_cast<uint32_t>(footer.size());
    for (int i = 0; i < 4; ++i) length[i] = static_cast<uint8_t>(n >> (8 * i));
    footer.Append(BytesView(length, 4));
    footer.Append(AsBytes(std::string_view(kMagic, 4)));
    CQLBULK_RETURN_IF_ERROR(WriteBytes(footer.view()));
    CQLBULK_RETURN_IF_ERROR(sink_->Close());
    finished_ = true;
    return OkStatus();
  }

  Status Restart(std::unique_ptr<OutputStream> sink) {
    if (!finished_) return Error(ErrorCode::kInternal, "parquet: Restart before Close");
    sink_ = std::move(sink);
    metadata_ = FileMetaData{};
    group_rows_ = 0;
    rows_written_ = offset_ = values_changed_ = 0;
    closed_ = finished_ = false;
    return Start();  // every chunk writer was left empty by the last row group
  }

  Status FlushAndRelease() {
    if (closed_) return Error(ErrorCode::kInternal, "parquet: FlushRowGroup after Close");
    if (group_rows_ > 0) CQLBULK_RETURN_IF_ERROR(FlushRowGroup());
    for (ColumnChunkWriter& chunk : chunks_) chunk.ReleaseMemory();
    for (LeafData& leaf : leaves_) leaf = LeafData{};
    page_scratch_ = data::Buffer();
    return OkStatus();
  }

  size_t BufferedBytes() const {
    size_t total = 0;
    for (const ColumnChunkWriter& chunk : chunks_) total += chunk.EstimatedBytes();
    return total;
  }

  const ParquetSchema& parquet_schema() const { return parquet_; }
  int64_t rows_written() const { return rows_written_ + static_cast<int64_t>(group_rows_); }
  int64_t bytes_written() const { return offset_; }
  int64_t values_changed() const { return values_changed_; }
  const FileMetaData* metadata() const { return finished_ ? &metadata_ : nullptr; }

 private:
  Status WriteBytes(BytesView bytes) {
    CQLBULK_RETURN_IF_ERROR(sink_->Write(bytes));
    offset_ += static_cast<int64_t>(bytes.size());
    return OkStatus();
  }

  Status FlushRowGroup() {
    RowGroup group;
    group.num_rows = static_cast<int64_t>(group_rows_);
    group.file_offset = offset_;
    group.ordinal = static_cast<int16_t>(metadata_.row_groups.size());
    int64_t compressed = 0;
    group.columns.reserve(chunks_.size());  // the footer's metadata stays in memory till Close
    for (ColumnChunkWriter& writer : chunks_) {
      ColumnChunk chunk;
      CQLBULK_RETURN_IF_ERROR(
          writer.Finish(offset_, [this](BytesView bytes) { return WriteBytes(bytes); }, chunk));
      group.total_byte_size += chunk.meta_data->total_uncompressed_size;
      compressed += chunk.meta_data->total_compressed_size;
      group.columns.push_back(std::move(chunk));
    }
    group.total_compressed_size = compressed;
    metadata_.row_groups.push_back(std::move(group));
    rows_written_ += static_cast<int64_t>(group_rows_);
    group_rows_ = 0;
    return OkStatus();
  }

  data::SchemaPtr schema_;
  ParquetSchema parquet_;
  std::unique_ptr<OutputStream> sink_;
  WriterOptions options_;
  std::shared_ptr<BlockCompressor> compressor_;
  std::vector<LeafData> leaves_;
  data::Buffer page_scratch_;  // the columns' pages are compressed here, one at a time
  std::vector<ColumnChunkWriter> chunks_;
  FileMetaData metadata_;
  size_t group_rows_ = 0;
  int64_t rows_written_ = 0;
  int64_t offset_ = 0;
  int64_t values_changed_ = 0;
  bool closed_ = false;
  bool finished_ = false;
};

Result<std::shared_ptr<BlockCompressor>> MakeCompressor(const WriterOptions& options) {
  if (options.codec == CompressionCodec::kLz4) {  // deprecated: LZ4_RAW is what to write
    return Error(ErrorCode::kInvalidArgument, "parquet: the writer writes LZ4_RAW, not LZ4");
  }
  CQLBULK_ASSIGN_OR_RETURN(BlockCodec codec, BlockCodecOf(options.codec));
  std::optional<int> level = options.compression_level;
  // Arrow's GZIP default (9) compresses a page at about 1 MB/s for the same ratio as 6.
  if (codec == BlockCodec::kGzip && !level) level = 6;
  CQLBULK_ASSIGN_OR_RETURN(std::unique_ptr<BlockCompressor> compressor,
                           BlockCompressor::Make(codec, level));
  return std::shared_ptr<BlockCompressor>(std::move(compressor));
}

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::Make(data::SchemaPtr schema,
                                                           std::unique_ptr<OutputStream> sink,
                                                           WriterOptions options) {
  if (options.row_group_rows == 0 || options.data_page_bytes == 0) {
    return Error(ErrorCode::kInvalidArgument,
                 "parquet: row groups and pages must hold at least one row or byte");
  }
  CQLBULK_ASSIGN_OR_RETURN(ParquetSchema parquet, MakeParquetSchema(*schema, options.mapping));
  std::shared_ptr<BlockCompressor> compressor = options.compressor;
  if (compressor == nullptr) {
    CQLBULK_ASSIGN_OR_RETURN(compressor, MakeCompressor(options));
  } else if (compressor->codec() != BlockCodecOf(options.codec).value_or(BlockCodec::kNone) ||
             options.codec == CompressionCodec::kLz4) {
    return Error(ErrorCode::kInvalidArgument, "parquet: the shared compressor is for another codec");
  }
  auto impl = std::make_unique<Impl>(std::move(schema), std::move(parquet), std::move(sink),
                                     std::move(options), std::move(compressor));
  CQLBULK_RETURN_IF_ERROR(impl->Start());
  return std::unique_ptr<ParquetWriter>(new ParquetWriter(std::move(impl)));
}

ParquetWriter::ParquetWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ParquetWriter::~ParquetWriter() = default;

Status ParquetWriter::Write(const data::Batch& batch) {
  return impl_->Write(batch, 0, batch.num_rows());
}
Status ParquetWriter::Write(const data::Batch& batch, size_t begin, size_t end) {
  return impl_->Write(batch, begin, end);
}
Status ParquetWriter::FlushRowGroup() { return impl_->FlushAndRelease(); }
Status ParquetWriter::Close() { return impl_->Close(); }
Status ParquetWriter::Restart(std::unique_ptr<OutputStream> sink) {
  return impl_->Restart(std::move(sink));
}
const ParquetSchema& ParquetWriter::parquet_schema() const noexcept {
  return impl_->parquet_schema();
}
int64_t ParquetWriter::rows_written() const noexcept { return impl_->rows_written(); }
int64_t ParquetWriter::bytes_written() const noexcept { return impl_->bytes_written(); }
size_t ParquetWriter::buffered_bytes() const noexcept { return impl_->BufferedBytes(); }
int64_t ParquetWriter::values_changed() const noexcept { return impl_->values_changed(); }
const FileMetaData* ParquetWriter::metadata() const noexcept { return impl_->metadata(); }

}  // namespace cqlbulk::formats::parquet
