// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/schema.h"
#include "cqlbulk/formats/parquet/schema.h"
#include "cqlbulk/iceberg/spec/schema.h"

namespace cqlbulk::iceberg {

/// \brief How the CQL types without one exact Iceberg type are mapped (README.md, "Iceberg
/// types"). The defaults keep every value exactly.
struct TypeMappingOptions {
  /// CQL time (nanoseconds): Iceberg long of nanoseconds (exact) when false; Iceberg time
  /// (microseconds: sub-microsecond digits dropped, counted by the Parquet writer) when true.
  bool time_as_time = false;
  /// CQL decimal (a scale per value): Iceberg string, its text (exact), when unset; else
  /// decimal(precision, scale) (more fraction digits rounded half even and counted, a value
  /// past the precision an error).
  std::optional<int32_t> decimal_precision;
  int32_t decimal_scale = 0;
  /// CQL varint: Iceberg string of its digits (exact) when false, else decimal(38, 0) (a value
  /// past 38 digits is an error).
  bool varint_as_decimal = false;
};

/// \brief A table's logical schema mapped to Iceberg, and how to write its Parquet data files.
struct IcebergMapping {
  /// Fresh field ids as Java's CREATE TABLE numbers them (a struct's fields first, then what
  /// they hold); the primary key columns required, the other columns optional.
  Schema schema;
  /// The input schema with the Iceberg field id on every field, nested ones too, and the same
  /// nullability: what the Parquet writer writes so that the file's ids are the table's.
  data::Schema data_schema;
  /// The Parquet forms whose physical types are the Iceberg types of `schema`.
  formats::parquet::TypeMapping parquet;
  /// The primary key columns that cannot be Iceberg identifier fields (float, double, nested
  /// types: the spec allows neither). When there are any, `schema` has no identifier fields at
  /// all (a part of the key does not identify a row); the caller may warn.
  std::vector<std::string> key_columns_not_identifiers;
};

/// \brief Maps a logical (CQL) schema to Iceberg (README.md, "Iceberg types"): tinyint,
/// smallint, int → int; bigint, counter → long; varint → string or decimal(38, 0); decimal →
/// string or decimal(P, S); float, double; boolean; text, ascii, inet → string; blob → binary;
/// uuid, timeuuid → uuid; date; time → long of nanoseconds or time; timestamp → timestamptz;
/// duration → struct<months: int, days: int, nanoseconds: long>; list, set, vector → list;
/// map → map; UDT, tuple → struct. `primary_key` names the key columns (top-level, in order).
/// kInvalidArgument naming the column for an unknown key column, a duplicate name, or an
/// option out of range.
Result<IcebergMapping> MapToIceberg(const data::Schema& schema,
                                    std::span<const std::string> primary_key,
                                    const TypeMappingOptions& options = {});

/// \brief The logical schema to read an Iceberg table's Parquet files into, field ids on every
/// field: boolean, int (int32), long (int64), float, double, decimal(P, S), date, time
/// (nanoseconds), timestamp and timestamptz (milliseconds), string, uuid, fixed and binary
/// (binary), struct, list, map; nullable where the field is optional.
data::Schema DataSchemaFromIceberg(const Schema& schema);

}  // namespace cqlbulk::iceberg
