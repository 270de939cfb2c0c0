// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ops/iceberg/partitioned_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>
#include <unordered_map>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/data/serialized_batch.h"
#include "cqlbulk/iceberg/metadata/location.h"
#include "cqlbulk/iceberg/metadata/metrics.h"
#include "cqlbulk/iceberg/spec/partition_path.h"
#include "cqlbulk/iceberg/spec/transform.h"
#include "cqlbulk/iceberg/spec/value_literal.h"

namespace cqlbulk::ops {
namespace {

namespace fs = std::filesystem;
using iceberg::DataFile;
using iceberg::Literal;

/// Rows a partition's builder takes before they are encoded, at most.
constexpr size_t kBuilderRows = 4096;
/// Rows of one Write that go to an unpartitioned table's writer as they are (fewer are
/// gathered into the builder first: the writer encodes small batches slowly).
constexpr size_t kDirectRows = 256;
/// Partition fields a spec may have for rows to find their partition by PartitionKeyPart.
constexpr size_t kMaxKeyedFields = 4;

/// A new data file (O_EXCL) whose descriptor is held only while bytes are written to it:
/// Release() closes it, and the next write opens the file again to append (an unpartitioned
/// table's file stays open over an epoch without holding a descriptor). Writes are gathered
/// (up to kWriteBuffer, until Release) into few system calls: the writer writes a page header
/// and a page at a time, and a partition's file is often a few KiB. Not synced: FinishAll syncs
/// the epoch's files together (SyncFiles).
class DataFileStream final : public formats::OutputStream {
 public:
  static Result<std::unique_ptr<DataFileStream>> Create(std::string path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return IoError("cannot create " + path + ": " + std::strerror(errno));
    return std::unique_ptr<DataFileStream>(new DataFileStream(std::move(path), fd));
  }
  ~DataFileStream() override {
    if (fd_ >= 0) ::close(fd_);
  }

  /// Writes what is gathered and lets the descriptor and the buffer go.
  Status Release() {
    CQLBULK_RETURN_IF_ERROR(WriteGathered());
    std::vector<uint8_t>().swap(gathered_);
    if (fd_ < 0) return {};
    if (::close(std::exchange(fd_, -1)) != 0) {
      return IoError("cannot close " + path_ + ": " + std::strerror(errno));
    }
    return {};
  }

 protected:
  Status DoWrite(BytesView data) override {
    if (gathered_.size() + data.size() > kWriteBuffer) {
      CQLBULK_RETURN_IF_ERROR(WriteGathered());
      if (data.size() >= kWriteBuffer) return WriteAll(data);
    }
    gathered_.insert(gathered_.end(), data.begin(), data.end());
    return {};
  }
  Status DoFlush() override { return WriteGathered(); }
  Status DoClose() override {
    return Release();
  }

 private:
  DataFileStream(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  static constexpr size_t kWriteBuffer = 256 << 10;

  Status Hold() {
    if (fd_ >= 0) return {};
    fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd_ < 0) return IoError("cannot open " + path_ + " again: " + std::strerror(errno));
    return {};
  }

  Status WriteGathered() {
    if (gathered_.empty()) return {};
    CQLBULK_RETURN_IF_ERROR(WriteAll(gathered_));
    gathered_.clear();
    return {};
  }

  Status WriteAll(BytesView data) {
    CQLBULK_RETURN_IF_ERROR(Hold());
    const uint8_t* p = data.data();
    size_t left = data.size();
    while (left > 0) {
      ssize_t n = ::write(fd_, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return IoError("cannot write " + path_ + ": " + std::strerror(errno));
      p += n;
      left -= static_cast<size_t>(n);
    }
    return {};
  }

  std::string path_;
  int fd_ = -1;
  std::vector<uint8_t> gathered_;  ///< written, not yet given to the system
};

/// The column of `source` in `batch` (a struct's field: one row per row of the struct).
const data::Column& SourceColumn(const data::Batch& batch, const PartitionSource& source) {
  const data::Column* column = &batch.column(source.path[0]);
  for (size_t i = 1; i < source.path.size(); ++i) column = &column->child(source.path[i]);
  return *column;
}

/// Whether a struct holding `source` is null at `row` (its fields then hold placeholders).
bool NullAbove(const data::Batch& batch, const PartitionSource& source, size_t row) {
  const data::Column* column = &batch.column(source.path[0]);
  for (size_t i = 1; i < source.path.size(); ++i) {
    if (column->IsNull(row)) return true;
    column = &column->child(source.path[i]);
  }
  return false;
}

/// Makes `dir` and its parents: one mkdir when only `dir` is missing (a partition's folder).
Status MakeDirectory(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) == 0 || errno == EEXIST) return {};
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return IoError("cannot create " + dir + ": " + ec.message());
  return {};
}

/// Makes the files written under `dir` durable: syncfs(2) of its file system, one call for an
/// epoch's files however many (an fsync a file costs a journal commit and a device flush each).
Status SyncFiles(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError("cannot open " + dir + ": " + std::strerror(errno));
  int synced = ::syncfs(fd);
  int error = errno;
  ::close(fd);
  if (synced != 0) return IoError("cannot sync " + dir + ": " + std::strerror(error));
  return {};
}

}  // namespace

/// The rows set aside in an epoch, every partition's in one file in the run's directory:
/// records are serialized into a buffer written a MiB at a time (however many partitions),
/// and each is read back by its place. Removed when the epoch ends.
class PartitionedFiles::SpillLog {
 public:
  explicit SpillLog(std::string path) : path_(std::move(path)) {}
  ~SpillLog() { Remove(); }

  /// Appends `batch` (data/serialized_batch.h); returns its record's offset and size.
  Result<std::pair<uint64_t, size_t>> Append(const data::Batch& batch) {
    if (fd_ < 0) {
      fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
      if (fd_ < 0) return IoError("cannot create " + path_ + ": " + std::strerror(errno));
    }
    const size_t before = pending_.size();
    data::AppendSerializedBatch(batch, pending_);
    std::pair<uint64_t, size_t> place{written_ + before, pending_.size() - before};
    if (pending_.size() >= kBuffer) CQLBULK_RETURN_IF_ERROR(WritePending());
    return place;
  }

  /// Reads the `size` bytes at `offset` into `out`.
  Status Read(uint64_t offset, size_t size, data::Buffer& out) {
    if (offset + size > written_) CQLBULK_RETURN_IF_ERROR(WritePending());
    out.Clear();
    uint8_t* p = out.Grow(size);
    while (size > 0) {
      ssize_t got = ::pread(fd_, p, size, static_cast<off_t>(offset));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) return IoError("cannot read " + path_ + ": " + std::strerror(errno));
      if (got == 0) return Corrupt(path_ + " ends early");
      p += got;
      offset += static_cast<uint64_t>(got);
      size -= static_cast<size_t>(got);
    }
    return {};
  }

  /// Closes and removes the file.
  void Remove() {
    if (fd_ < 0) return;
    ::close(std::exchange(fd_, -1));
    ::unlink(path_.c_str());
    written_ = 0;
    pending_ = data::Buffer();
  }

 private:
  static constexpr size_t kBuffer = 1 << 20;

  Status WritePending() {
    CQLBULK_RETURN_IF_ERROR(WriteAll(pending_.view()));
    pending_.Clear();
    return {};
  }

  Status WriteAll(BytesView bytes) {
    const uint8_t* p = bytes.data();
    size_t left = bytes.size();
    while (left > 0) {
      ssize_t n = ::pwrite(fd_, p, left, static_cast<off_t>(written_));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return IoError("cannot write " + path_ + ": " + std::strerror(errno));
      p += n;
      left -= static_cast<size_t>(n);
      written_ += static_cast<uint64_t>(n);
    }
    return {};
  }

  std::string path_;
  int fd_ = -1;
  uint64_t written_ = 0;  ///< bytes in the file
  data::Buffer pending_;  ///< appended after them, not yet written
};

namespace {

/// Appends `n` values of `width` bytes at `rows` of a batch column to `dst`: runs of valid
/// values are gathered into `scratch` and appended whole, nulls one by one.
template <size_t kWidth>
void GatherFixed(std::span<const data::Batch> batches, std::span<const RowRef> rows,
                 size_t column, data::ColumnBuilder& dst, std::vector<uint8_t>& scratch) {
  scratch.resize(rows.size() * kWidth);
  uint8_t* out = scratch.data();
  size_t run = 0;  // values gathered and not yet appended
  uint32_t current = UINT32_MAX;
  const data::Column* src = nullptr;
  const uint8_t* values = nullptr;
  for (const auto& [b, row] : rows) {
    if (b != current) {
      current = b;
      src = &batches[b].column(column);
      values = src->values().data();
    }
    if (src->null_count() > 0 && src->IsNull(row)) {
      dst.AppendFixedWidth(out - run * kWidth, run);
      run = 0;
      dst.AppendNull();
      continue;
    }
    std::memcpy(out, values + size_t{row} * kWidth, kWidth);
    out += kWidth;
    ++run;
  }
  dst.AppendFixedWidth(out - run * kWidth, run);
}

/// Appends the values at `rows` of a string, binary, big_integer or inet column to `dst`: the
/// values' places first, then each run of valid values at once (room for all its bytes, then
/// the copies), nulls one by one. The rows are anywhere in the batches: the loads of the first
/// pass do not wait for each other, nor the copies of the second.
void GatherBytes(std::span<const data::Batch> batches, std::span<const RowRef> rows,
                 size_t column, data::ColumnBuilder& dst) {
  struct Piece {
    const uint8_t* data;
    uint32_t size;
    bool null;
  };
  thread_local std::vector<Piece> pieces;
  pieces.resize(rows.size());
  uint32_t current = UINT32_MAX;
  const data::Column* src = nullptr;
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& [b, row] = rows[i];
    if (b != current) {
      current = b;
      src = &batches[b].column(column);
    }
    if (src->null_count() > 0 && src->IsNull(row)) {
      pieces[i] = {nullptr, 0, true};
      continue;
    }
    BytesView value = src->Bytes(row);
    pieces[i] = {value.data(), static_cast<uint32_t>(value.size()), false};
  }
  for (size_t i = 0; i < pieces.size();) {
    if (pieces[i].null) {
      dst.AppendNull();
      ++i;
      continue;
    }
    size_t end = i;
    size_t total = 0;
    while (end < pieces.size() && !pieces[end].null) total += pieces[end++].size;
    int32_t* ends = nullptr;
    int64_t offset = 0;
    uint8_t* out = dst.AppendBytesSlots(end - i, total, ends, offset);
    for (; i < end; ++i) {
      if (pieces[i].size > 0) std::memcpy(out, pieces[i].data, pieces[i].size);
      out += pieces[i].size;
      offset += pieces[i].size;
      *ends++ = static_cast<int32_t>(offset);
    }
  }
}

}  // namespace

void CopyValue(const data::Column& src, size_t row, data::ColumnBuilder& dst) {
  if (src.IsNull(row)) {
    dst.AppendNull();
    return;
  }
  using data::TypeKind;
  switch (src.kind()) {
    case TypeKind::kBoolean: dst.AppendBoolean(src.Boolean(row)); return;
    case TypeKind::kInt8: dst.AppendInt8(src.Int8(row)); return;
    case TypeKind::kInt16: dst.AppendInt16(src.Int16(row)); return;
    case TypeKind::kInt32: dst.AppendInt32(src.Int32(row)); return;
    case TypeKind::kInt64: dst.AppendInt64(src.Int64(row)); return;
    case TypeKind::kFloat32: dst.AppendFloat32(src.Float32(row)); return;
    case TypeKind::kFloat64: dst.AppendFloat64(src.Float64(row)); return;
    case TypeKind::kDate: dst.AppendDate(src.Date(row)); return;
    case TypeKind::kTime: dst.AppendTime(src.Time(row)); return;
    case TypeKind::kTimestamp: dst.AppendTimestamp(src.Timestamp(row)); return;
    case TypeKind::kDuration: {
      data::DurationValue d = src.Duration(row);
      dst.AppendDuration(d.months, d.days, d.nanos);
      return;
    }
    case TypeKind::kUuid: dst.AppendUuid(src.UuidBytes(row).data()); return;
    case TypeKind::kString:
    case TypeKind::kBinary:
    case TypeKind::kBigInteger:
    case TypeKind::kInet: dst.AppendBytes(src.Bytes(row)); return;
    case TypeKind::kDecimal:
      dst.AppendDecimal(src.DecimalUnscaled(row), src.DecimalScale(row));
      return;
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kVector:
    case TypeKind::kMap: {
      dst.BeginList();
      auto [begin, end] = src.ElementRange(row);
      for (size_t i = begin; i < end; ++i) CopyValue(src.child(0), i, dst.child(0));
      dst.EndList();
      return;
    }
    case TypeKind::kStruct:
      for (size_t c = 0; c < src.num_children(); ++c) CopyValue(src.child(c), row, dst.child(c));
      dst.AppendStructValid();
      return;
  }
}


KeyPartKind KeyPartKindOf(data::TypeKind kind, iceberg::Transform::Kind transform) {
  using data::TypeKind;
  using Kind = iceberg::Transform::Kind;
  switch (kind) {
    case TypeKind::kBoolean:
    case TypeKind::kInt8: return KeyPartKind::kInt8;
    case TypeKind::kInt16: return KeyPartKind::kInt16;
    case TypeKind::kInt32:
    case TypeKind::kDate: return KeyPartKind::kInt32;
    case TypeKind::kInt64:
    case TypeKind::kTime: return KeyPartKind::kInt64;
    case TypeKind::kTimestamp:
      if (transform == Kind::kDay || transform == Kind::kMonth || transform == Kind::kYear) {
        return KeyPartKind::kTimestampDay;
      }
      return transform == Kind::kHour ? KeyPartKind::kTimestampHour : KeyPartKind::kTimestamp;
    default: return KeyPartKind::kNone;
  }
}

void GatherColumn(std::span<const data::Batch> batches, std::span<const RowRef> rows,
                  size_t column, data::ColumnBuilder& dst) {
  if (rows.empty()) return;
  using data::TypeKind;
  thread_local std::vector<uint8_t> scratch;
  switch (dst.type()->kind()) {
    case TypeKind::kBoolean:
    case TypeKind::kInt8:
      return GatherFixed<1>(batches, rows, column, dst, scratch);
    case TypeKind::kInt16:
      return GatherFixed<2>(batches, rows, column, dst, scratch);
    case TypeKind::kInt32:
    case TypeKind::kFloat32:
    case TypeKind::kDate:
      return GatherFixed<4>(batches, rows, column, dst, scratch);
    case TypeKind::kInt64:
    case TypeKind::kFloat64:
    case TypeKind::kTime:
    case TypeKind::kTimestamp:
      return GatherFixed<8>(batches, rows, column, dst, scratch);
    case TypeKind::kUuid:
      return GatherFixed<16>(batches, rows, column, dst, scratch);
    case TypeKind::kDuration:
      return GatherFixed<sizeof(data::DurationValue)>(batches, rows, column, dst, scratch);
    case TypeKind::kString:
    case TypeKind::kBinary:
    case TypeKind::kBigInteger:
    case TypeKind::kInet:
      return GatherBytes(batches, rows, column, dst);
    case TypeKind::kDecimal:
      for (const auto& [b, row] : rows) {
        const data::Column& src = batches[b].column(column);
        if (src.null_count() > 0 && src.IsNull(row)) {
          dst.AppendNull();
        } else {
          dst.AppendDecimal(src.DecimalUnscaled(row), src.DecimalScale(row));
        }
      }
      return;
    default:
      for (const auto& [b, row] : rows) CopyValue(batches[b].column(column), row, dst);
      return;
  }
}

/// One partition's rows of the epoch: set aside, waiting, and its file once it is started.
struct PartitionedFiles::Partition {
  std::string key;  ///< the partition path
  std::vector<Literal> values;
  /// Rows not yet encoded (unpartitioned tables); null when idle.
  std::unique_ptr<data::BatchBuilder> builder;
  std::string location;              ///< the file's, once started
  DataFileStream* stream = nullptr;  ///< the writer's sink
  std::unique_ptr<formats::parquet::ParquetWriter> writer;
  size_t held = 0;  ///< memory() when last accounted
  /// The writer's buffered_bytes() after it was last written to (it changes only then).
  size_t encoding = 0;
  /// Rows set aside this epoch (partitioned tables): their records' places in the spill log.
  std::vector<std::pair<uint64_t, size_t>> spilled;

  /// Its rows' room in the builder, and the row group being encoded.
  size_t memory() const {
    return (builder != nullptr ? builder->capacity_bytes() : 0) +
           (writer != nullptr ? encoding : 0);
  }
};

/// The rows of staged batches that fall in one partition, in the order they came.
struct PartitionedFiles::Group {
  const std::string* key;  ///< in paths_
  std::vector<Literal> values;
  std::span<const RowRef> rows;  ///< in grouped_
};

PartitionedFiles::PartitionedFiles(Options options, RunDirectory& run)
    : options_(std::move(options)),
      run_(&run),
      spill_dir_((fs::path(run.path()) / "iceberg-spill").string()),
      // An unpartitioned table's rows wait for more (the writer encodes small batches slowly).
      builder_bytes_(std::max<size_t>(options_.memory_bytes / 16, 16 << 10)),
      scratch_(options_.data_schema, 16) {
  options_.writer.dictionary_probe_values = options_.dictionary_probe_values;
  // Rows set aside by an interrupted run are not wanted: its epoch is written again.
  std::error_code ec;
  fs::remove_all(spill_dir_, ec);
}

PartitionedFiles::~PartitionedFiles() = default;

size_t PartitionedFiles::LiteralsHash::operator()(
    const std::vector<Literal>& values) const noexcept {
  size_t h = values.size();
  auto mix = [&h](size_t v) { h = (h ^ v) * 0x9E3779B97F4A7C15ull; };
  for (const Literal& v : values) {
    mix(static_cast<size_t>(v.kind));
    mix(static_cast<size_t>(v.boolean));
    mix(static_cast<size_t>(static_cast<uint32_t>(v.int_value)));
    mix(static_cast<size_t>(v.long_value));
    mix(std::hash<float>{}(v.float_value));
    mix(std::hash<double>{}(v.double_value));
    mix(std::hash<std::string>{}(v.bytes));
  }
  return h;
}

Result<const std::string*> PartitionedFiles::PathOf(const std::vector<Literal>& values) {
  auto it = paths_.find(values);
  if (it != paths_.end()) return &it->second;
  CQLBULK_ASSIGN_OR_RETURN(std::string path,
                           iceberg::PartitionPath(options_.spec, options_.schema, values));
  return &paths_.emplace(values, std::move(path)).first->second;
}

bool PartitionedFiles::WritesAsIs(const data::Batch& batch) const {
  const data::Schema& files = *options_.data_schema;
  if (batch.schema_ptr() == options_.data_schema) return true;
  if (batch.num_columns() != files.num_fields()) return false;
  for (size_t i = 0; i < files.num_fields(); ++i) {
    const data::Field& ours = files.fields[i];
    const data::Field& theirs = batch.schema().fields[i];
    // Nested types carry field ids in their children: those go through the builders (and a
    // null in a required column, to be refused there).
    if (!(*ours.type == *theirs.type)) return false;
    if (!ours.nullable && batch.column(i).null_count() > 0) return false;
  }
  return true;
}

Status PartitionedFiles::Write(std::vector<data::Batch> batches) {
  for (const data::Batch& batch : batches) taken_bytes_ += batch.size_bytes();
  if (!spilling()) return Route(batches);
  for (data::Batch& batch : batches) {
    if (batch.num_rows() == 0) continue;
    staged_bytes_ += batch.size_bytes();
    staged_.push_back(std::move(batch));
  }
  return staged_bytes_ >= options_.memory_bytes ? SpillStaged() : Status{};
}

Status PartitionedFiles::Route(std::span<const data::Batch> batches) {
  size_t num_rows = 0;
  for (const data::Batch& batch : batches) num_rows += batch.num_rows();
  if (num_rows == 0) return {};
  Partition& p = Find("", {});
  if (num_rows >= kDirectRows &&
      std::all_of(batches.begin(), batches.end(),
                  [this](const data::Batch& b) { return WritesAsIs(b); })) {
    // Batches its writer takes as they are: no copy into a builder.
    CQLBULK_RETURN_IF_ERROR(Encode(p));  // the rows it holds first
    if (p.writer == nullptr) CQLBULK_RETURN_IF_ERROR(StartFile(p));
    for (const data::Batch& batch : batches) {
      if (batch.num_rows() > 0) CQLBULK_RETURN_IF_ERROR(p.writer->Write(batch));
    }
    p.encoding = p.writer->buffered_bytes();
    CQLBULK_RETURN_IF_ERROR(p.stream->Release());  // the writer may have written a row group
  } else {
    std::vector<RowRef> rows;
    rows.reserve(num_rows);
    for (uint32_t b = 0; b < batches.size(); ++b) {
      for (uint32_t row = 0; row < batches[b].num_rows(); ++row) rows.emplace_back(b, row);
    }
    CQLBULK_RETURN_IF_ERROR(Append(p, batches, rows));
    if (p.builder->size_bytes() >= builder_bytes_) CQLBULK_RETURN_IF_ERROR(Encode(p));
  }
  Account(p);
  return KeepWithinBudget();
}

Status PartitionedFiles::GroupRows(std::span<const data::Batch> batches,
                                   std::vector<Group>& groups) {
  const std::vector<iceberg::PartitionField>& fields = options_.spec.fields;
  groups.clear();
  std::unordered_map<const std::string*, size_t> group_of;
  std::vector<Literal> values(fields.size());
  size_t g = SIZE_MAX;
  // A row whose key (PartitionKeyPart of every field) was seen finds its group by it, with no
  // Literal made (most rows: a partition holds many).
  using Key = std::array<int64_t, kMaxKeyedFields>;
  struct KeyHash {
    size_t operator()(const Key& key) const noexcept {
      size_t h = 0;
      for (int64_t v : key) h = (h ^ static_cast<size_t>(v)) * 0x9E3779B97F4A7C15ull;
      return h;
    }
  };
  std::unordered_map<Key, size_t, KeyHash> group_of_key;
  std::array<KeyPartKind, kMaxKeyedFields> key_kinds{};
  Key key{};
  Key last_key{};
  size_t last_keyed_group = SIZE_MAX;
  group_of_row_.clear();  // each row's group, in the order they came
  for (uint32_t b = 0; b < batches.size(); ++b) {
    const data::Batch& batch = batches[b];
    bool keyed_spec = fields.size() <= kMaxKeyedFields;
    std::array<const data::Column*, kMaxKeyedFields> key_columns{};
    for (size_t f = 0; f < fields.size() && keyed_spec; ++f) {
      const PartitionSource& source = options_.partition_sources[f];
      key_columns[f] = &SourceColumn(batch, source);
      key_kinds[f] = KeyPartKindOf(key_columns[f]->kind(), fields[f].transform.kind);
      // A struct's field may hold a placeholder where the struct is null: the general path.
      keyed_spec = key_kinds[f] != KeyPartKind::kNone && source.path.size() == 1;
    }
    for (uint32_t row = 0; row < batch.num_rows(); ++row) {
      bool keyed = keyed_spec;
      for (size_t f = 0; f < fields.size() && keyed; ++f) {
        keyed = PartitionKeyPart(*key_columns[f], row, key_kinds[f], key[f]);
      }
      if (keyed) {
        // Neighbouring rows often share their partition.
        if (last_keyed_group != SIZE_MAX && g == last_keyed_group && key == last_key) {
          group_of_row_.push_back(static_cast<uint32_t>(g));
          continue;
        }
        auto it = group_of_key.find(key);
        if (it != group_of_key.end()) {
          g = last_keyed_group = it->second;
          last_key = key;
          group_of_row_.push_back(static_cast<uint32_t>(g));
          continue;
        }
      }
      for (size_t f = 0; f < fields.size(); ++f) {
        const PartitionSource& source = options_.partition_sources[f];
        Literal value = Literal::Null();
        if (!NullAbove(batch, source, row)) {
          CQLBULK_ASSIGN_OR_RETURN(
              value, iceberg::LiteralOfValue(SourceColumn(batch, source), row, *source.type));
        }
        CQLBULK_ASSIGN_OR_RETURN(values[f],
                                 iceberg::ApplyTransform(fields[f].transform, *source.type, value));
      }
      // Neighbouring rows often share their partition; a partition's path is made once.
      if (g == SIZE_MAX || groups[g].values != values) {
        CQLBULK_ASSIGN_OR_RETURN(const std::string* path, PathOf(values));
        auto [it, added] = group_of.try_emplace(path, groups.size());
        if (added) groups.push_back(Group{path, values, {}});
        g = it->second;
      }
      if (keyed) {
        group_of_key.emplace(key, g);
        last_key = key;
        last_keyed_group = g;
      }
      group_of_row_.push_back(static_cast<uint32_t>(g));
    }
  }
  // Each group's rows together, in the order they came (a counting sort).
  std::vector<size_t> next(groups.size());  // a group's count, then where its next row goes
  for (uint32_t group : group_of_row_) ++next[group];
  grouped_.resize(group_of_row_.size());
  for (size_t i = 0, start = 0; i < groups.size(); ++i) {
    groups[i].rows = std::span<const RowRef>(grouped_).subspan(start, next[i]);
    start += std::exchange(next[i], start);
  }
  size_t i = 0;
  for (uint32_t b = 0; b < batches.size(); ++b) {
    for (uint32_t row = 0; row < batches[b].num_rows(); ++row) {
      grouped_[next[group_of_row_[i++]]++] = RowRef(b, row);
    }
  }
  // In the order of their paths, the order of partitions_.
  std::sort(groups.begin(), groups.end(),
            [](const Group& x, const Group& y) { return *x.key < *y.key; });
  return {};
}

Status PartitionedFiles::SpillStaged() {
  std::vector<Group> groups;
  CQLBULK_RETURN_IF_ERROR(GroupRows(staged_, groups));
  for (const Group& group : groups) {
    Partition& p = Find(*group.key, group.values);
    std::span<const RowRef> rows = group.rows;
    for (size_t i = 0; i < rows.size(); i += kBuilderRows) {
      const size_t n = std::min(kBuilderRows, rows.size() - i);
      CQLBULK_ASSIGN_OR_RETURN(data::Batch batch, Gather(staged_, rows.subspan(i, n)));
      CQLBULK_RETURN_IF_ERROR(Spill(p, batch));
    }
  }
  staged_.clear();
  staged_bytes_ = 0;
  return {};
}

Result<data::Batch> PartitionedFiles::Gather(std::span<const data::Batch> batches,
                                             std::span<const RowRef> rows) {
  for (size_t c = 0; c < scratch_.num_columns(); ++c) {
    GatherColumn(batches, rows, c, scratch_.column(c));
  }
  Result<data::Batch> batch = scratch_.Finish();
  if (!batch.has_value()) scratch_.Reset();
  return batch;
}

Status PartitionedFiles::Append(Partition& p, std::span<const data::Batch> batches,
                                std::span<const RowRef> rows) {
  // Small at first: most partitions of a range get a few rows (it grows geometrically).
  if (p.builder == nullptr) {
    p.builder = std::make_unique<data::BatchBuilder>(options_.data_schema, 16);
  }
  while (!rows.empty()) {
    size_t n = std::min(rows.size(), kBuilderRows - p.builder->num_rows());
    for (size_t c = 0; c < options_.data_schema->num_fields(); ++c) {
      GatherColumn(batches, rows.first(n), c, p.builder->column(c));
    }
    rows = rows.subspan(n);
    if (p.builder->num_rows() >= kBuilderRows) CQLBULK_RETURN_IF_ERROR(Encode(p));
  }
  return {};
}

PartitionedFiles::Partition& PartitionedFiles::Find(const std::string& key,
                                                     const std::vector<Literal>& values) {
  std::unique_ptr<Partition>& p = partitions_[key];
  if (p == nullptr) {
    p = std::make_unique<Partition>();
    p->key = key;
    p->values = values;
  }
  return *p;
}

Status PartitionedFiles::Spill(Partition& p, const data::Batch& batch) {
  if (spill_ == nullptr) {
    CQLBULK_RETURN_IF_ERROR(MakeDirectory(spill_dir_));
    spill_ = std::make_unique<SpillLog>(
        (fs::path(spill_dir_) / ("epoch-" + std::to_string(next_spill_++))).string());
  }
  CQLBULK_ASSIGN_OR_RETURN(auto place, spill_->Append(batch));
  p.spilled.push_back(place);
  return {};
}

Status PartitionedFiles::WriteSpilled(Partition& p) {
  for (const auto& [offset, size] : p.spilled) {
    CQLBULK_RETURN_IF_ERROR(spill_->Read(offset, size, spill_buffer_));
    BytesView record = spill_buffer_.view();
    Result<data::Batch> batch = data::ReadSerializedBatch(record, options_.data_schema);
    if (!batch.has_value()) {
      return Corrupt(spill_dir_ + ": a record set aside: " + batch.error().message());
    }
    CQLBULK_RETURN_IF_ERROR(p.writer->Write(*batch));
  }
  p.spilled.clear();
  return {};
}

Status PartitionedFiles::Encode(Partition& p) {
  if (p.builder == nullptr || p.builder->num_rows() == 0) return {};
  if (p.writer == nullptr) CQLBULK_RETURN_IF_ERROR(StartFile(p));
  CQLBULK_ASSIGN_OR_RETURN(data::Batch batch, p.builder->Finish());
  CQLBULK_RETURN_IF_ERROR(p.writer->Write(batch));
  p.encoding = p.writer->buffered_bytes();
  return p.stream->Release();  // the writer may have written a row group
}

Status PartitionedFiles::StartFile(Partition& p) {
  const std::string dir_location = iceberg::JoinLocation(
      options_.location, p.key.empty() ? "data" : "data/" + p.key);
  CQLBULK_ASSIGN_OR_RETURN(std::string dir, iceberg::LocalPath(dir_location));
  CQLBULK_RETURN_IF_ERROR(MakeDirectory(dir));
  char number[32];
  std::snprintf(number, sizeof(number), "-%05d.parquet", options_.next_file++);
  const std::string name = options_.run_id + number;
  p.location = iceberg::JoinLocation(dir_location, name);
  CQLBULK_ASSIGN_OR_RETURN(std::unique_ptr<DataFileStream> out,
                           DataFileStream::Create((fs::path(dir) / name).string()));
  p.stream = out.get();
  if (spare_writer_ != nullptr) {  // the last file's, with the buffers it grew
    CQLBULK_RETURN_IF_ERROR(spare_writer_->Restart(std::move(out)));
    p.writer = std::move(spare_writer_);
    return {};
  }
  CQLBULK_ASSIGN_OR_RETURN(p.writer, formats::parquet::ParquetWriter::Make(
                                         options_.data_schema, std::move(out), options_.writer));
  return {};
}

Result<DataFile> PartitionedFiles::Finish(Partition& p, std::span<const RowRef> staged) {
  Forget(p);
  if (p.writer == nullptr) CQLBULK_RETURN_IF_ERROR(StartFile(p));
  CQLBULK_RETURN_IF_ERROR(WriteSpilled(p));
  for (size_t i = 0; i < staged.size(); i += kBuilderRows) {
    const size_t n = std::min(kBuilderRows, staged.size() - i);
    CQLBULK_ASSIGN_OR_RETURN(data::Batch batch, Gather(staged_, staged.subspan(i, n)));
    CQLBULK_RETURN_IF_ERROR(p.writer->Write(batch));
  }
  CQLBULK_RETURN_IF_ERROR(Encode(p));
  CQLBULK_RETURN_IF_ERROR(p.writer->Close());
  CQLBULK_ASSIGN_OR_RETURN(DataFile file,
                           iceberg::ParquetMetrics(*p.writer->metadata(), options_.schema));
  file.file_path = p.location;
  file.file_size_in_bytes = p.writer->bytes_written();
  file.partition = p.values;
  values_changed_ += p.writer->values_changed();
  spare_writer_ = std::move(p.writer);
  return file;
}

void PartitionedFiles::Account(Partition& p) {
  Forget(p);
  p.held = p.memory();
  held_bytes_ += p.held;
}

void PartitionedFiles::Forget(Partition& p) {
  held_bytes_ -= p.held;
  p.held = 0;
}

Status PartitionedFiles::KeepWithinBudget() {
  if (held_bytes_ <= options_.memory_bytes) return {};
  std::vector<std::pair<size_t, std::string>> held;
  for (const auto& [key, p] : partitions_) {
    if (p->held > 0) held.emplace_back(p->held, key);
  }
  std::sort(held.begin(), held.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [bytes, key] : held) {
    auto it = partitions_.find(key);
    Partition& p = *it->second;
    CQLBULK_RETURN_IF_ERROR(Encode(p));
    if (p.writer != nullptr) {
      CQLBULK_RETURN_IF_ERROR(p.writer->FlushRowGroup());
      p.encoding = p.writer->buffered_bytes();
      CQLBULK_RETURN_IF_ERROR(p.stream->Release());
    }
    p.builder.reset();  // made again when the partition has rows
    Account(p);
    // Down to half: each pass writes a few large row groups rather than many small ones.
    if (held_bytes_ <= options_.memory_bytes / 2) break;
  }
  return {};
}

Result<std::vector<DataFile>> PartitionedFiles::FinishAll() {
  // The rows still staged go to their files straight, after the records set aside.
  std::vector<Group> groups;
  CQLBULK_RETURN_IF_ERROR(GroupRows(staged_, groups));
  for (const Group& group : groups) Find(*group.key, group.values);
  std::vector<DataFile> files;
  auto group = groups.begin();  // both in the order of their paths
  for (auto it = partitions_.begin(); it != partitions_.end(); it = partitions_.erase(it)) {
    Partition& p = *it->second;
    std::span<const RowRef> staged;
    if (group != groups.end() && *group->key == it->first) staged = (group++)->rows;
    if (p.writer == nullptr && p.spilled.empty() && staged.empty() &&
        (p.builder == nullptr || p.builder->num_rows() == 0)) {
      continue;  // no rows: no file
    }
    CQLBULK_ASSIGN_OR_RETURN(DataFile file, Finish(p, staged));
    files.push_back(std::move(file));  // its memory goes as soon as it is finished
  }
  paths_.clear();
  staged_.clear();
  staged_bytes_ = 0;
  taken_bytes_ = 0;
  spill_.reset();  // the epoch's rows set aside are all written
  if (!files.empty()) {
    // A checkpoint or a commit that lists the files finds them whole after a crash.
    CQLBULK_ASSIGN_OR_RETURN(std::string data,
                             iceberg::LocalPath(iceberg::JoinLocation(options_.location, "data")));
    CQLBULK_RETURN_IF_ERROR(SyncFiles(data));
  }
  return files;
}

void PartitionedFiles::Abandon() {
  std::vector<std::string> locations;
  for (const auto& [key, p] : partitions_) {
    if (p->writer != nullptr) locations.push_back(p->location);
  }
  spill_.reset();
  std::error_code ec;
  fs::remove_all(spill_dir_, ec);
  partitions_.clear();
  paths_.clear();
  staged_.clear();
  staged_bytes_ = held_bytes_ = 0;
  taken_bytes_ = 0;
  for (const std::string& location : locations) {
    if (auto path = iceberg::LocalPath(location); path.has_value()) {
      fs::remove(*path, ec);
    }
  }
}

}  // namespace cqlbulk::ops
