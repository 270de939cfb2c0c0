// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/parquet/record_reader.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/data/debug_string.h"

namespace cqlbulk::formats::parquet {
namespace {

using data::Column;
using data::ColumnBuilder;
using data::TypeKind;

bool IsInteger(TypeKind k) {
  return k == TypeKind::kInt8 || k == TypeKind::kInt16 || k == TypeKind::kInt32 ||
         k == TypeKind::kInt64;
}

int64_t IntegerAt(const Column& c, size_t row) {
  switch (c.kind()) {
    case TypeKind::kInt8: return c.Int8(row);
    case TypeKind::kInt16: return c.Int16(row);
    case TypeKind::kInt32: return c.Int32(row);
    default: return c.Int64(row);
  }
}

/// The fewest big-endian two's-complement bytes of v.
Bytes MinimalBytes(int64_t v) {
  Bytes b(8);
  StoreBE64(b.data(), static_cast<uint64_t>(v));
  size_t skip = 0;
  while (skip < 7 && (b[skip] == 0x00 || b[skip] == 0xff) && ((b[skip] ^ b[skip + 1]) & 0x80) == 0) {
    ++skip;
  }
  b.erase(b.begin(), b.begin() + static_cast<ptrdiff_t>(skip));
  return b;
}

Error Cannot(const Column& source, const ColumnBuilder& target, const std::string& why = {}) {
  return Error(ErrorCode::kInvalidArgument,
               "a " + source.type()->ToString() + " does not convert to " +
                   target.type()->ToString() + (why.empty() ? "" : ": " + why));
}

Status AppendInteger(int64_t v, const Column& source, ColumnBuilder& target) {
  auto out_of_range = [&] {
    return Error(ErrorCode::kInvalidArgument, std::to_string(v) + " does not fit " +
                                                  std::string(TypeKindName(target.type()->kind())));
  };
  switch (target.type()->kind()) {
    case TypeKind::kInt8:
      if (v < INT8_MIN || v > INT8_MAX) return out_of_range();
      target.AppendInt8(static_cast<int8_t>(v));
      return OkStatus();
    case TypeKind::kInt16:
      if (v < INT16_MIN || v > INT16_MAX) return out_of_range();
      target.AppendInt16(static_cast<int16_t>(v));
      return OkStatus();
    case TypeKind::kInt32:
      if (v < INT32_MIN || v > INT32_MAX) return out_of_range();
      target.AppendInt32(static_cast<int32_t>(v));
      return OkStatus();
    case TypeKind::kInt64:
      target.AppendInt64(v);
      return OkStatus();
    case TypeKind::kBigInteger:
      target.AppendBytes(MinimalBytes(v));
      return OkStatus();
    case TypeKind::kDecimal:
      target.AppendDecimal(MinimalBytes(v), 0);
      return OkStatus();
    default:
      return Cannot(source, target);
  }
}

Status AppendList(const Column& source, size_t row, ValueParser& parser, ColumnBuilder& target) {
  auto [begin, end] = source.ElementRange(row);
  TypeKind t = target.type()->kind();
  if (t == TypeKind::kVector && end - begin != static_cast<size_t>(target.type()->dimension())) {
    return Error(ErrorCode::kInvalidArgument,
                 std::to_string(end - begin) + " elements for a vector of " +
                     std::to_string(target.type()->dimension()));
  }
  target.BeginList();
  for (size_t i = begin; i < end; ++i) {
    Status s = source.kind() == TypeKind::kMap
                   ? AppendConverted(source.map_keys(), i, parser, target.map_keys())
                   : AppendConverted(source.child(), i, parser, target.child());
    if (s.has_value() && source.kind() == TypeKind::kMap) {
      s = AppendConverted(source.map_values(), i, parser, target.map_values());
    }
    if (!s.has_value()) {
      return Error(ErrorCode::kInvalidArgument,
                   "element " + std::to_string(i - begin + 1) + ": " + s.error().message());
    }
  }
  target.EndList();
  return OkStatus();
}

Status AppendStruct(const Column& source, size_t row, ValueParser& parser, ColumnBuilder& target) {
  const auto& from = source.type()->fields();
  const auto& to = target.type()->fields();
  bool by_position = target.type()->name().empty();  // a tuple: _1, _2, ...
  for (size_t i = 0; i < to.size(); ++i) {
    std::optional<size_t> s;
    for (size_t j = 0; j < from.size(); ++j) {
      if (from[j].name == to[i].name) s = j;
    }
    if (!s && by_position && i < from.size()) s = i;
    if (!s) {
      target.child(i).AppendNull();
      continue;
    }
    Status status = AppendConverted(source.child(*s), row, parser, target.child(i));
    if (!status.has_value()) {
      return Error(ErrorCode::kInvalidArgument,
                   "field " + to[i].name + ": " + status.error().message());
    }
  }
  target.AppendStructValid();
  return OkStatus();
}

/// The struct {months, days, nanoseconds} cqlbulk writes a duration as.
Status AppendDurationStruct(const Column& source, size_t row, ColumnBuilder& target) {
  const auto& fields = source.type()->fields();
  int64_t parts[3];
  const char* names[3] = {"months", "days", "nanoseconds"};
  for (int p = 0; p < 3; ++p) {
    size_t i = 0;
    while (i < fields.size() && fields[i].name != names[p]) ++i;
    if (i == fields.size() || !IsInteger(source.child(i).kind()) || source.child(i).IsNull(row)) {
      return Cannot(source, target, std::string("needs an integer ") + names[p]);
    }
    parts[p] = IntegerAt(source.child(i), row);
  }
  if (parts[0] < INT32_MIN || parts[0] > INT32_MAX || parts[1] < INT32_MIN || parts[1] > INT32_MAX) {
    return Error(ErrorCode::kInvalidArgument, "months or days past 32 bits");
  }
  target.AppendDuration(static_cast<int32_t>(parts[0]), static_cast<int32_t>(parts[1]), parts[2]);
  return OkStatus();
}

/// Whether a column of kind k holds fixed-width values that a column of the same kind takes
/// as they are (the kinds AppendConverted copies value by value when source and target agree).
bool CopiesAsIs(TypeKind k) {
  switch (k) {
    case TypeKind::kBoolean:
    case TypeKind::kInt8:
    case TypeKind::kInt16:
    case TypeKind::kInt32:
    case TypeKind::kInt64:
    case TypeKind::kFloat32:
    case TypeKind::kFloat64:
    case TypeKind::kDate:
    case TypeKind::kTime:
    case TypeKind::kTimestamp:
    case TypeKind::kDuration:
      return true;
    default:
      return false;
  }
}

/// Whether rows [begin, begin + n) of `c` are all non-null.
bool AllValid(const Column& c, size_t begin, size_t n) {
  if (c.null_count() == 0) return true;
  for (size_t r = begin; r < begin + n; ++r) {
    if (c.IsNull(r)) return false;
  }
  return true;
}

}  // namespace

Status AppendConvertedRange(const Column& source, size_t begin, size_t n, ValueParser& parser,
                            ColumnBuilder& target) {
  TypeKind s = source.kind();
  TypeKind t = target.type()->kind();
  if (s == t && CopiesAsIs(s) && AllValid(source, begin, n)) {
    auto width = static_cast<size_t>(source.type()->fixed_width());
    target.AppendFixedWidth(source.values().data() + begin * width, n);
    return OkStatus();
  }
  if (s == TypeKind::kString && t != TypeKind::kBinary) {  // AppendConverted's first case
    for (size_t r = begin; r < begin + n; ++r) {
      if (source.IsNull(r)) {
        target.AppendNull();
      } else {
        CQLBULK_RETURN_IF_ERROR(parser.AppendText(source.String(r), target));
      }
    }
    return OkStatus();
  }
  for (size_t r = begin; r < begin + n; ++r) {
    CQLBULK_RETURN_IF_ERROR(AppendConverted(source, r, parser, target));
  }
  return OkStatus();
}

Status AppendConverted(const Column& source, size_t row, ValueParser& parser,
                       ColumnBuilder& target) {
  if (source.IsNull(row)) {
    target.AppendNull();
    return OkStatus();
  }
  TypeKind s = source.kind();
  TypeKind t = target.type()->kind();
  if (s == TypeKind::kString || (s == TypeKind::kBinary && t == TypeKind::kString)) {
    if (t == TypeKind::kBinary) {
      target.AppendBytes(source.Bytes(row));
      return OkStatus();
    }
    return parser.AppendText(source.String(row), target);  // checks UTF-8, ASCII, the form
  }
  switch (t) {
    case TypeKind::kBoolean:
      if (s != TypeKind::kBoolean) break;
      target.AppendBoolean(source.Boolean(row));
      return OkStatus();
    case TypeKind::kInt8:
    case TypeKind::kInt16:
    case TypeKind::kInt32:
    case TypeKind::kInt64:
    case TypeKind::kBigInteger:
      if (IsInteger(s)) return AppendInteger(IntegerAt(source, row), source, target);
      if (s == TypeKind::kBigInteger && t == TypeKind::kBigInteger) {
        target.AppendBytes(source.Bytes(row));
        return OkStatus();
      }
      if (s == TypeKind::kDecimal && t == TypeKind::kBigInteger && source.DecimalScale(row) == 0) {
        target.AppendBytes(source.DecimalUnscaled(row));
        return OkStatus();
      }
      break;
    case TypeKind::kFloat32:
      if (s == TypeKind::kFloat32) {
        target.AppendFloat32(source.Float32(row));
        return OkStatus();
      }
      if (s == TypeKind::kFloat64) {
        double v = source.Float64(row);
        auto f = static_cast<float>(v);
        if (!std::isnan(v) && static_cast<double>(f) != v) {
          return Error(ErrorCode::kInvalidArgument, "the double " + std::to_string(v) +
                                                        " is not exactly a float");
        }
        target.AppendFloat32(f);
        return OkStatus();
      }
      break;
    case TypeKind::kFloat64:
      if (s == TypeKind::kFloat32 || s == TypeKind::kFloat64) {
        target.AppendFloat64(s == TypeKind::kFloat32 ? source.Float32(row) : source.Float64(row));
        return OkStatus();
      }
      break;
    case TypeKind::kDecimal:
      if (s == TypeKind::kDecimal) {
        target.AppendDecimal(source.DecimalUnscaled(row), source.DecimalScale(row));
        return OkStatus();
      }
      if (IsInteger(s)) return AppendInteger(IntegerAt(source, row), source, target);
      if (s == TypeKind::kBigInteger) {
        target.AppendDecimal(source.Bytes(row), 0);
        return OkStatus();
      }
      break;
    case TypeKind::kBinary:
      if (s == TypeKind::kBinary) {
        target.AppendBytes(source.Bytes(row));
        return OkStatus();
      }
      if (s == TypeKind::kUuid) {
        target.AppendBytes(source.UuidBytes(row));
        return OkStatus();
      }
      break;
    case TypeKind::kUuid:
      if (s == TypeKind::kUuid || (s == TypeKind::kBinary && source.Bytes(row).size() == 16)) {
        BytesView b = s == TypeKind::kUuid ? source.UuidBytes(row) : source.Bytes(row);
        if (target.type()->is_time_based() && (b[6] >> 4) != 1) {
          return Error(ErrorCode::kInvalidArgument, "a version " + std::to_string(b[6] >> 4) +
                                                        " uuid is not a timeuuid");
        }
        target.AppendUuid(b.data());
        return OkStatus();
      }
      break;
    case TypeKind::kDate:
      if (s != TypeKind::kDate) break;
      target.AppendDate(source.Date(row));
      return OkStatus();
    case TypeKind::kTime:
      if (s != TypeKind::kTime) break;
      target.AppendTime(source.Time(row));
      return OkStatus();
    case TypeKind::kTimestamp:
      if (s == TypeKind::kTimestamp) {
        target.AppendTimestamp(source.Timestamp(row));
        return OkStatus();
      }
      if (s == TypeKind::kDate) {
        target.AppendTimestamp(int64_t{source.Date(row)} * 86'400'000);
        return OkStatus();
      }
      break;
    case TypeKind::kDuration:
      if (s == TypeKind::kDuration) {
        data::DurationValue d = source.Duration(row);
        target.AppendDuration(d.months, d.days, d.nanos);
        return OkStatus();
      }
      if (s == TypeKind::kStruct) return AppendDurationStruct(source, row, target);
      break;
    case TypeKind::kInet:
      if (s == TypeKind::kInet || (s == TypeKind::kBinary && (source.Bytes(row).size() == 4 ||
                                                              source.Bytes(row).size() == 16))) {
        target.AppendBytes(source.Bytes(row));
        return OkStatus();
      }
      break;
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kVector:
      if (s == TypeKind::kList || s == TypeKind::kSet || s == TypeKind::kVector) {
        return AppendList(source, row, parser, target);
      }
      break;
    case TypeKind::kMap:
      if (s == TypeKind::kMap) return AppendList(source, row, parser, target);
      break;
    case TypeKind::kStruct:
      if (s == TypeKind::kStruct) return AppendStruct(source, row, parser, target);
      break;
    case TypeKind::kString:
      break;  // text came above
  }
  return Cannot(source, target);
}

ParquetRecordReader::ParquetRecordReader(std::unique_ptr<ParquetReader> reader, std::string name,
                                         data::SchemaPtr target, std::vector<int> sources,
                                         ValueParser parser, MissingField missing)
    : reader_(std::move(reader)),
      name_(std::move(name)),
      target_(std::move(target)),
      sources_(std::move(sources)),
      parser_(std::move(parser)),
      missing_(missing) {}

ParquetRecordReader::~ParquetRecordReader() = default;

Result<std::unique_ptr<ParquetRecordReader>> ParquetRecordReader::Make(
    std::unique_ptr<RandomAccessFile> file, data::SchemaPtr target,
    std::vector<std::string> source_fields, const TextOptions& text, MissingField missing) {
  if (source_fields.size() != target->num_fields()) {
    return Error(ErrorCode::kInvalidArgument, "parquet: one source field per target field");
  }
  std::string name = file->path();
  CQLBULK_ASSIGN_OR_RETURN(FileMetaData metadata, ReadFileMetaData(*file));
  Result<FileSchema> file_schema = SchemaFromParquet(metadata.schema);
  if (!file_schema.has_value()) {
    return Error(file_schema.error().code(), name + ": " + file_schema.error().message());
  }
  // Project the fields the mapping names, in the file's order.
  ReaderOptions options;
  std::vector<int> sources;
  for (size_t i = 0; i < source_fields.size(); ++i) {
    if (!file_schema->schema->FieldIndex(source_fields[i])) {
      if (missing == MissingField::kError) {
        return Error(ErrorCode::kInvalidArgument,
                     name + ": no column '" + source_fields[i] + "' for " +
                         target->fields[i].name);
      }
      sources.push_back(-1);
      continue;
    }
    auto it = std::find(options.columns.begin(), options.columns.end(), source_fields[i]);
    sources.push_back(static_cast<int>(it - options.columns.begin()));
    if (it == options.columns.end()) options.columns.push_back(source_fields[i]);
  }
  CQLBULK_ASSIGN_OR_RETURN(ValueParser parser, ValueParser::Make(text));
  CQLBULK_ASSIGN_OR_RETURN(std::unique_ptr<ParquetReader> reader,
                           ParquetReader::Open(std::move(file), std::move(options)));
  return std::unique_ptr<ParquetRecordReader>(new ParquetRecordReader(
      std::move(reader), std::move(name), std::move(target), std::move(sources),
      std::move(parser), missing));
}

int64_t ParquetRecordReader::num_rows() const noexcept { return reader_->metadata().num_rows; }

Status ParquetRecordReader::ConvertRow(size_t row, data::BatchBuilder& builder) {
  for (size_t i = 0; i < sources_.size(); ++i) {
    if (sources_[i] < 0) {
      builder.column(i).AppendNull();
      continue;
    }
    Status s = AppendConverted(batch_->column(static_cast<size_t>(sources_[i])), row, parser_,
                               builder.column(i));
    if (!s.has_value()) {
      return Error(ErrorCode::kInvalidArgument,
                   batch_->schema().fields[static_cast<size_t>(sources_[i])].name + "\n" +
                       s.error().message());
    }
  }
  return OkStatus();
}

bool ParquetRecordReader::ConvertRows(size_t begin, size_t n, data::BatchBuilder& builder) {
  for (size_t i = 0; i < sources_.size(); ++i) {
    data::ColumnBuilder& target = builder.column(i);
    if (sources_[i] < 0) {
      for (size_t r = 0; r < n; ++r) target.AppendNull();
      continue;
    }
    if (!AppendConvertedRange(batch_->column(static_cast<size_t>(sources_[i])), begin, n,
                              parser_, target)
             .has_value()) {
      return false;
    }
  }
  return true;
}

void ParquetRecordReader::AddRecordInfo(RecordInfo& info, size_t n) const {
  size_t before = info.size();
  info.lines.resize(before + n, 0);
  for (size_t r = 1; r <= n; ++r) info.records.push_back(consumed_ - static_cast<int64_t>(n - r));
  info.text_end.resize(before + n, static_cast<uint32_t>(info.text.size()));
  for (size_t i = 0; i < sources_.size(); ++i) {
    bool unset = sources_[i] < 0 && missing_ == MissingField::kUnset;
    std::vector<uint8_t>& flags = info.unset[i];
    if (unset && flags.size() < before) flags.resize(before, 0);
    if (unset || !flags.empty()) flags.resize(before + n, unset ? 1 : 0);
  }
}

Result<size_t> ParquetRecordReader::Read(data::BatchBuilder& builder, size_t max_records,
                                         RecordInfo& info, std::vector<RecordError>& errors) {
  size_t consumed = 0;
  if (info.unset.size() < sources_.size()) info.unset.resize(sources_.size());
  while (consumed < max_records) {
    if (!batch_ || next_row_ == batch_->num_rows()) {
      CQLBULK_ASSIGN_OR_RETURN(batch_, reader_->Next());
      next_row_ = 0;
      if (!batch_) break;
    }
    // The rows left of the batch, a column at a time; when one of them does not convert,
    // they are converted again row by row, so that only the bad rows are left out.
    size_t n = std::min(max_records - consumed, batch_->num_rows() - next_row_);
    size_t before = builder.num_rows();
    if (ConvertRows(next_row_, n, builder)) {
      consumed_ += static_cast<int64_t>(n);
      AddRecordInfo(info, n);
      next_row_ += n;
      consumed += n;
      continue;
    }
    builder.Truncate(before);
    for (size_t end = next_row_ + n; next_row_ < end;) {
      size_t row = next_row_++;
      ++consumed;
      ++consumed_;
      size_t at = builder.num_rows();
      Status s = ConvertRow(row, builder);
      if (!s.has_value()) {
        builder.Truncate(at);
        const std::string& message = s.error().message();
        size_t split = message.find('\n');
        errors.push_back(RecordError{name_, 0, consumed_, message.substr(0, split),
                                     data::DebugString(*batch_, row), message.substr(split + 1)});
        continue;
      }
      AddRecordInfo(info, 1);
    }
  }
  return consumed;
}

}  // namespace cqlbulk::formats::parquet
