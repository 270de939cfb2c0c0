// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/iceberg/metadata/metrics.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::iceberg {

namespace pq = formats::parquet;

namespace {

// A leaf column of the footer's schema, in column-chunk order.
struct Leaf {
  const pq::SchemaElement* element = nullptr;
  std::string path;
  bool repeated = false;  // inside a list or map (any repeated ancestor, or itself)
};

Status CollectLeaves(const std::vector<pq::SchemaElement>& elements, size_t& next,
                     const std::string& prefix, bool repeated, std::vector<Leaf>& leaves) {
  if (next >= elements.size()) {
    return Corrupt("Parquet footer: the schema's children pass its end");
  }
  const pq::SchemaElement& e = elements[next++];
  bool is_repeated = repeated || e.repetition_type == pq::Repetition::kRepeated;
  std::string path = prefix.empty() ? e.name : prefix + "." + e.name;
  int32_t children = e.num_children.value_or(0);
  if (!e.num_children || children == 0) {
    leaves.push_back(Leaf{&e, std::move(path), is_repeated});
    return OkStatus();
  }
  for (int32_t i = 0; i < children; ++i) {
    CQLBULK_RETURN_IF_ERROR(CollectLeaves(elements, next, path, is_repeated, leaves));
  }
  return OkStatus();
}

template <typename T>
Result<T> LoadLittleEndian(std::string_view bytes, const std::string& column) {
  if (bytes.size() != sizeof(T)) {
    return Corrupt("Parquet statistics of column " + column + ": " +
                   std::to_string(bytes.size()) + " bytes for a value of " +
                   std::to_string(sizeof(T)));
  }
  T value;
  std::memcpy(&value, bytes.data(), sizeof(T));  // little-endian host (x86-64, aarch64)
  return value;
}

// Scales a time value to microseconds; `upper` rounds up (a bound must still hold the value).
int64_t ToMicros(int64_t value, pq::TimeUnit unit, bool upper) {
  switch (unit) {
    case pq::TimeUnit::kMillis:
      if (value > std::numeric_limits<int64_t>::max() / 1000) {
        return std::numeric_limits<int64_t>::max();
      }
      if (value < std::numeric_limits<int64_t>::min() / 1000) {
        return std::numeric_limits<int64_t>::min();
      }
      return value * 1000;
    case pq::TimeUnit::kMicros:
      return value;
    case pq::TimeUnit::kNanos: {
      int64_t q = value / 1000;
      int64_t r = value % 1000;
      if (r != 0 && (value < 0) != upper) {
        q += upper ? 1 : -1;
      }
      return q;
    }
  }
  return value;
}

pq::TimeUnit UnitOf(const pq::SchemaElement& e) {
  if (e.logical_type.kind == pq::LogicalTypeAnnotation::Kind::kTimestamp ||
      e.logical_type.kind == pq::LogicalTypeAnnotation::Kind::kTime) {
    return e.logical_type.unit;
  }
  if (e.converted_type == pq::ConvertedType::kTimestampMillis ||
      e.converted_type == pq::ConvertedType::kTimeMillis) {
    return pq::TimeUnit::kMillis;
  }
  return pq::TimeUnit::kMicros;
}

// The Literal of a Parquet statistic (PLAIN bytes without a length) of a leaf holding values of
// `type`; nullopt when no bound can be given (NaN, a type cqlbulk does not bound).
Result<std::optional<Literal>> StatToLiteral(const Type& type, const pq::SchemaElement& e,
                                             std::string_view bytes, bool upper,
                                             const std::string& column) {
  using Opt = std::optional<Literal>;
  pq::PhysicalType physical = e.type.value_or(pq::PhysicalType::kByteArray);
  switch (type.id()) {
    case TypeId::kBoolean:
      if (bytes.size() != 1) {
        return Corrupt("Parquet statistics of column " + column + ": a boolean of " +
                       std::to_string(bytes.size()) + " bytes");
      }
      return Opt(Literal::Boolean(bytes[0] != 0));
    case TypeId::kInt:
    case TypeId::kDate: {
      CQLBULK_ASSIGN_OR_RETURN(int32_t v, LoadLittleEndian<int32_t>(bytes, column));
      return Opt(Literal::Int(v));
    }
    case TypeId::kLong:
      if (physical == pq::PhysicalType::kInt32) {
        CQLBULK_ASSIGN_OR_RETURN(int32_t v, LoadLittleEndian<int32_t>(bytes, column));
        return Opt(Literal::Long(v));
      } else {
        CQLBULK_ASSIGN_OR_RETURN(int64_t v, LoadLittleEndian<int64_t>(bytes, column));
        return Opt(Literal::Long(v));
      }
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: {
      if (physical == pq::PhysicalType::kInt96) {
        return Opt();
      }
      int64_t v = 0;
      if (physical == pq::PhysicalType::kInt32) {
        CQLBULK_ASSIGN_OR_RETURN(int32_t v32, LoadLittleEndian<int32_t>(bytes, column));
        v = v32;
      } else {
        CQLBULK_ASSIGN_OR_RETURN(v, LoadLittleEndian<int64_t>(bytes, column));
      }
      return Opt(Literal::Long(ToMicros(v, UnitOf(e), upper)));
    }
    case TypeId::kFloat: {
      CQLBULK_ASSIGN_OR_RETURN(float v, LoadLittleEndian<float>(bytes, column));
      return std::isnan(v) ? Opt() : Opt(Literal::Float(v));
    }
    case TypeId::kDouble: {
      double v = 0;
      if (physical == pq::PhysicalType::kFloat) {
        CQLBULK_ASSIGN_OR_RETURN(float f, LoadLittleEndian<float>(bytes, column));
        v = f;
      } else {
        CQLBULK_ASSIGN_OR_RETURN(v, LoadLittleEndian<double>(bytes, column));
      }
      return std::isnan(v) ? Opt() : Opt(Literal::Double(v));
    }
    case TypeId::kDecimal: {
      if (e.logical_type.kind != pq::LogicalTypeAnnotation::Kind::kDecimal &&
          e.converted_type != pq::ConvertedType::kDecimal) {
        return Opt();  // a decimal kept as text orders as text, not by value
      }
      Int128 unscaled = 0;
      if (physical == pq::PhysicalType::kInt32) {
        CQLBULK_ASSIGN_OR_RETURN(int32_t v, LoadLittleEndian<int32_t>(bytes, column));
        unscaled = v;
      } else if (physical == pq::PhysicalType::kInt64) {
        CQLBULK_ASSIGN_OR_RETURN(int64_t v, LoadLittleEndian<int64_t>(bytes, column));
        unscaled = v;
      } else {
        auto v = DecimalUnscaled(bytes);
        if (!v) {
          return Corrupt("Parquet statistics of column " + column + ": " + v.error().message());
        }
        unscaled = *v;
      }
      return Opt(Literal::Bytes(DecimalBytes(unscaled)));
    }
    case TypeId::kString:
    case TypeId::kBinary:
    case TypeId::kFixed:
    case TypeId::kUuid:
      if (physical != pq::PhysicalType::kByteArray &&
          physical != pq::PhysicalType::kFixedLenByteArray) {
        return Opt();  // a string kept as something else (inet as text is a string already)
      }
      return Opt(Literal::Bytes(std::string(bytes)));
    default:
      return Opt();
  }
}

// Per field id, over the row groups.
struct ColumnAccumulator {
  int64_t size = 0;
  int64_t values = 0;
  int64_t nulls = 0;
  int64_t nans = 0;
  bool all_nulls_known = true;
  bool all_nans_known = true;
  bool bounds_valid = true;
  std::optional<Literal> lower;
  std::optional<Literal> upper;
};

}  // namespace

Result<DataFile> ParquetMetrics(const pq::FileMetaData& footer, const Schema& schema,
                                const MetricsOptions& options) {
  std::vector<Leaf> leaves;
  if (!footer.schema.empty()) {
    // The root's children; the root itself is not a column.
    size_t next = 1;
    int32_t children = footer.schema[0].num_children.value_or(0);
    for (int32_t i = 0; i < children; ++i) {
      CQLBULK_RETURN_IF_ERROR(CollectLeaves(footer.schema, next, "", false, leaves));
    }
  }
  DataFile file;
  file.record_count = footer.num_rows;
  std::map<int32_t, ColumnAccumulator> columns;
  for (size_t g = 0; g < footer.row_groups.size(); ++g) {
    const pq::RowGroup& group = footer.row_groups[g];
    if (group.columns.size() != leaves.size()) {
      return Corrupt("Parquet footer: row group " + std::to_string(g) + " has " +
                     std::to_string(group.columns.size()) + " column chunks for " +
                     std::to_string(leaves.size()) + " leaf columns");
    }
    std::optional<int64_t> start = group.file_offset;
    for (size_t c = 0; c < leaves.size(); ++c) {
      const Leaf& leaf = leaves[c];
      const pq::ColumnChunk& chunk = group.columns[c];
      if (!chunk.meta_data) {
        continue;
      }
      const pq::ColumnMetaData& meta = *chunk.meta_data;
      if (c == 0 && !start) {
        start = meta.dictionary_page_offset.value_or(meta.data_page_offset);
      }
      if (!leaf.element->field_id) {
        continue;
      }
      int32_t id = *leaf.element->field_id;
      const NestedField* field = schema.FindField(id);
      if (field == nullptr || !field->type || !field->type->is_primitive()) {
        continue;
      }
      ColumnAccumulator& acc = columns[id];
      acc.size += meta.total_compressed_size;
      acc.values += meta.num_values;
      const std::optional<pq::Statistics>& stats = meta.statistics;
      if (stats && stats->null_count) {
        acc.nulls += *stats->null_count;
      } else {
        acc.all_nulls_known = false;
      }
      if (stats && stats->nan_count) {
        acc.nans += *stats->nan_count;
      } else {
        acc.all_nans_known = false;
      }
      if (leaf.repeated || !acc.bounds_valid) {
        acc.bounds_valid = false;
        continue;
      }
      // A chunk of nulls only has no min and max and bounds nothing.
      bool all_null = stats && stats->null_count && *stats->null_count == meta.num_values;
      if (all_null) {
        continue;
      }
      if (!stats || !stats->min_value || !stats->max_value) {
        acc.bounds_valid = false;
        continue;
      }
      const Type& type = *field->type;
      CQLBULK_ASSIGN_OR_RETURN(std::optional<Literal> lower,
                               StatToLiteral(type, *leaf.element, *stats->min_value, false,
                                             leaf.path));
      CQLBULK_ASSIGN_OR_RETURN(std::optional<Literal> upper,
                               StatToLiteral(type, *leaf.element, *stats->max_value, true,
                                             leaf.path));
      if (!lower || !upper) {
        acc.bounds_valid = false;
        continue;
      }
      CQLBULK_ASSIGN_OR_RETURN(int lower_order,
                               acc.lower ? Compare(type, *lower, *acc.lower) : Result<int>(-1));
      if (lower_order < 0) {
        acc.lower = std::move(lower);
      }
      CQLBULK_ASSIGN_OR_RETURN(int upper_order,
                               acc.upper ? Compare(type, *upper, *acc.upper) : Result<int>(1));
      if (upper_order > 0) {
        acc.upper = std::move(upper);
      }
    }
    if (start) {
      file.split_offsets.push_back(*start);
    }
  }
  for (auto& [id, acc] : columns) {
    file.column_sizes[id] = acc.size;
    file.value_counts[id] = acc.values;
    if (acc.all_nulls_known) {
      file.null_value_counts[id] = acc.nulls;
    }
    const Type& type = *schema.FindField(id)->type;
    bool floating = type.id() == TypeId::kFloat || type.id() == TypeId::kDouble;
    if (floating && acc.all_nans_known) {
      file.nan_value_counts[id] = acc.nans;
    }
    if (!acc.bounds_valid || !acc.lower || !acc.upper) {
      continue;
    }
    Literal lower = TruncateLowerBound(type, *acc.lower, options.truncate_length);
    std::optional<Literal> upper = TruncateUpperBound(type, *acc.upper, options.truncate_length);
    auto lower_bytes = ToBytes(type, lower);
    if (!lower_bytes) {
      return Corrupt("Parquet statistics of field " + std::to_string(id) + ": " +
                     lower_bytes.error().message());
    }
    file.lower_bounds[id] = std::move(*lower_bytes);
    if (upper) {
      auto upper_bytes = ToBytes(type, *upper);
      if (!upper_bytes) {
        return Corrupt("Parquet statistics of field " + std::to_string(id) + ": " +
                       upper_bytes.error().message());
      }
      file.upper_bounds[id] = std::move(*upper_bytes);
    }
  }
  return file;
}

}  // namespace cqlbulk::iceberg
