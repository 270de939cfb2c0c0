// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/data/serialized_batch.h"

#include <bit>
#include <string>
#include <utility>
#include <vector>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::data {
namespace {

/// Nesting deeper than this is not read (the writer's schemas stop far sooner).
constexpr int kMaxDepth = 64;

void PutU64(Buffer& out, uint64_t v) { StoreBE64(out.Grow(8), v); }

void PutBuffer(Buffer& out, BytesView bytes) {
  PutU64(out, bytes.size());
  out.Append(bytes);
}

BytesView AsBytesOf(std::span<const int32_t> values) {
  return {reinterpret_cast<const uint8_t*>(values.data()), values.size_bytes()};
}

/// Kinds whose values are byte ranges given by offsets.
bool HasByteValues(TypeKind kind) {
  return kind == TypeKind::kString || kind == TypeKind::kBinary ||
         kind == TypeKind::kBigInteger || kind == TypeKind::kInet || kind == TypeKind::kDecimal;
}

bool IsListLike(TypeKind kind) {
  return kind == TypeKind::kList || kind == TypeKind::kSet || kind == TypeKind::kMap;
}

void AppendColumn(const Column& column, Buffer& out) {
  const size_t rows = column.num_rows();
  PutU64(out, rows);
  PutU64(out, column.null_count());
  const uint8_t* validity = column.validity_bitmap();
  PutBuffer(out, validity == nullptr ? BytesView{} : BytesView(validity, (rows + 7) / 8));
  PutBuffer(out, column.values());
  PutBuffer(out, AsBytesOf(column.offsets()));
  PutBuffer(out, AsBytesOf(column.scales()));
  PutU64(out, column.num_children());
  for (size_t i = 0; i < column.num_children(); ++i) AppendColumn(column.child(i), out);
}

}  // namespace

/// Reads columns back into their private parts (Column's friend).
class SerializedColumnReader {
 public:
  explicit SerializedColumnReader(BytesView in) : in_(in) {}

  size_t position() const { return in_.position(); }

  Result<uint64_t> ReadU64() { return in_.ReadU64(); }

  Result<Column> Read(const LogicalTypePtr& type, int depth) {
    if (depth > kMaxDepth) return Corrupt("nested deeper than " + std::to_string(kMaxDepth));
    const TypeKind kind = type->kind();
    Column column(type);
    CQLBULK_ASSIGN_OR_RETURN(uint64_t rows, in_.ReadU64());
    CQLBULK_ASSIGN_OR_RETURN(uint64_t nulls, in_.ReadU64());
    if (rows > (uint64_t{1} << 40) || nulls > rows) {
      return Bad(*type, std::to_string(nulls) + " nulls in " + std::to_string(rows) + " rows");
    }
    column.num_rows_ = static_cast<size_t>(rows);
    column.null_count_ = static_cast<size_t>(nulls);
    CQLBULK_RETURN_IF_ERROR(ReadBuffer(column.validity_));
    CQLBULK_RETURN_IF_ERROR(ReadBuffer(column.values_));
    CQLBULK_RETURN_IF_ERROR(ReadBuffer(column.offsets_));
    CQLBULK_RETURN_IF_ERROR(ReadBuffer(column.scales_));
    CQLBULK_ASSIGN_OR_RETURN(uint64_t children, in_.ReadU64());
    const bool nested = IsListLike(kind) || kind == TypeKind::kStruct || kind == TypeKind::kVector;
    const size_t expected_children = nested ? type->fields().size() : 0;
    if (children != expected_children) {
      return Bad(*type, std::to_string(children) + " children, not " +
                            std::to_string(expected_children));
    }
    for (size_t i = 0; i < expected_children; ++i) {
      CQLBULK_ASSIGN_OR_RETURN(Column child, Read(type->fields()[i].type, depth + 1));
      column.children_.push_back(std::move(child));
    }
    CQLBULK_RETURN_IF_ERROR(Check(column));
    return column;
  }

 private:
  Status ReadBuffer(Buffer& buffer) {
    CQLBULK_ASSIGN_OR_RETURN(uint64_t size, in_.ReadU64());
    if (size > in_.remaining()) return in_.Truncated(static_cast<size_t>(size));
    CQLBULK_ASSIGN_OR_RETURN(BytesView bytes, in_.ReadBytes(static_cast<size_t>(size)));
    buffer.Append(bytes);
    return {};
  }

  static Error Bad(const LogicalType& type, const std::string& what) {
    return Corrupt("a serialized " + std::string(TypeKindName(type.kind())) + " column: " + what);
  }

  /// The buffers are those of a column of its type and length.
  static Status Check(const Column& c) {
    const LogicalType& type = *c.type_;
    const TypeKind kind = type.kind();
    const size_t rows = c.num_rows_;
    auto expect = [&](const Buffer& buffer, size_t size, const char* name) -> Status {
      if (buffer.size() == size) return {};
      return Bad(type, std::string(name) + " of " + std::to_string(buffer.size()) +
                           " bytes for " + std::to_string(rows) + " rows");
    };
    if (c.null_count_ == 0) {
      CQLBULK_RETURN_IF_ERROR(expect(c.validity_, 0, "validity"));
    } else {
      CQLBULK_RETURN_IF_ERROR(expect(c.validity_, (rows + 7) / 8, "validity"));
      size_t valid = 0;
      for (size_t row = 0; row < rows; ++row) {
        valid += (c.validity_.data()[row >> 3] >> (row & 7)) & 1;
      }
      if (rows - valid != c.null_count_) return Bad(type, "a null count that is not its bitmap's");
    }
    const auto width = static_cast<size_t>(type.fixed_width());
    if (width != 0 || kind == TypeKind::kStruct || kind == TypeKind::kVector) {
      CQLBULK_RETURN_IF_ERROR(expect(c.values_, rows * width, "values"));
      CQLBULK_RETURN_IF_ERROR(expect(c.offsets_, 0, "offsets"));
    } else {
      // Offsets: rows + 1 of them, from 0, never falling, the last within the values (or the
      // child's rows).
      CQLBULK_RETURN_IF_ERROR(expect(c.offsets_, (rows + 1) * sizeof(int32_t), "offsets"));
      const size_t end = HasByteValues(kind) ? c.values_.size() : c.children_[0].num_rows_;
      int32_t previous = 0;
      for (size_t row = 0; row <= rows; ++row) {
        const int32_t offset = c.offsets_.Load<int32_t>(row);
        if ((row == 0 && offset != 0) || offset < previous) {
          return Bad(type, "offsets out of order");
        }
        previous = offset;
      }
      if (static_cast<size_t>(previous) != end) {
        return Bad(type, "offsets that end at " + std::to_string(previous) + ", not " +
                             std::to_string(end));
      }
      if (!HasByteValues(kind)) CQLBULK_RETURN_IF_ERROR(expect(c.values_, 0, "values"));
    }
    CQLBULK_RETURN_IF_ERROR(
        expect(c.scales_, kind == TypeKind::kDecimal ? rows * sizeof(int32_t) : 0, "scales"));
    if (kind == TypeKind::kStruct) {
      for (const Column& child : c.children_) {
        if (child.num_rows_ != rows) return Bad(type, "a field of another length");
      }
    }
    if (kind == TypeKind::kVector &&
        c.children_[0].num_rows_ != rows * static_cast<size_t>(type.dimension())) {
      return Bad(type, "elements that are not its dimension times its rows");
    }
    return {};
  }

  ByteReader in_;
};

void AppendSerializedBatch(const Batch& batch, Buffer& out) {
  PutU64(out, batch.num_rows());
  PutU64(out, batch.num_columns());
  for (size_t i = 0; i < batch.num_columns(); ++i) AppendColumn(batch.column(i), out);
}

Result<Batch> ReadSerializedBatch(BytesView& in, const SchemaPtr& schema) {
  SerializedColumnReader reader(in);
  CQLBULK_ASSIGN_OR_RETURN(uint64_t rows, reader.ReadU64());
  CQLBULK_ASSIGN_OR_RETURN(uint64_t columns, reader.ReadU64());
  if (columns != schema->num_fields()) {
    return Corrupt("a serialized batch of " + std::to_string(columns) + " columns, not " +
                   std::to_string(schema->num_fields()));
  }
  std::vector<Column> read;
  read.reserve(schema->num_fields());
  for (size_t i = 0; i < schema->num_fields(); ++i) {
    CQLBULK_ASSIGN_OR_RETURN(Column column, reader.Read(schema->fields[i].type, 0));
    if (column.num_rows() != rows) {
      return Corrupt("a serialized batch of " + std::to_string(rows) + " rows with a column of " +
                     std::to_string(column.num_rows()));
    }
    read.push_back(std::move(column));
  }
  in = in.subspan(reader.position());
  return Batch(schema, std::move(read), static_cast<size_t>(rows));
}

}  // namespace cqlbulk::data
