// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/schema.h"
#include "cqlbulk/formats/io/block_codec.h"
#include "cqlbulk/formats/parquet/format/metadata.h"

namespace cqlbulk::formats::parquet {

/// \brief How the logical types without one exact, natural Parquet form are written
/// (README.md, "Parquet types"). The defaults keep every value exactly; the other forms are
/// what engines read more naturally, and the writer counts the values they change.
struct TypeMapping {
  /// A decimal whose scale varies per value (CQL decimal): as its text (`"123.45"`, exact) when
  /// unset, else DECIMAL(precision, scale) (a value with more fraction digits is rounded half
  /// even and counted; one that does not fit the precision is an error).
  std::optional<int32_t> decimal_precision;
  int32_t decimal_scale = 0;
  /// A big integer (CQL varint): as its decimal text (exact) when false, else DECIMAL(38, 0)
  /// (a value past 38 digits is an error).
  bool big_integer_as_decimal = false;
  /// Time of day: NANOS (exact) or MICROS (sub-microsecond digits dropped and counted).
  TimeUnit time_unit = TimeUnit::kNanos;
  /// Timestamps: MILLIS (exact) or MICROS (Iceberg's unit; a value past ±292,277 years from
  /// 1970 is an error).
  TimeUnit timestamp_unit = TimeUnit::kMillis;
  /// int8 and int16 as plain INT32, without their INT(8) / INT(16) annotations: the same
  /// values, in the type Iceberg calls int (readers take an annotated column for a narrower
  /// type than the table's).
  bool plain_small_integers = false;
  /// Time in nanoseconds (time_unit kNanos) as plain INT64, without the TIME(NANOS)
  /// annotation: the same values, in the type Iceberg calls long (Iceberg's time is micros).
  bool plain_time_nanos = false;
};

/// \brief How a leaf's values come out of a data::Column: the conversion a leaf writer applies.
enum class LeafForm : uint8_t {
  kBoolean,
  kInt32,           ///< int32, date
  kInt32FromInt8,   ///< widened
  kInt32FromInt16,  ///< widened
  kInt64,           ///< int64, counter, time (nanos), timestamp (millis)
  kInt64Micros,     ///< time (nanos → micros) or timestamp (millis → micros)
  kFloat,
  kDouble,
  kBytes,           ///< string, binary: the bytes as they are
  kInetText,        ///< inet as its text ("192.168.0.1")
  kDecimalText,     ///< decimal as Java BigDecimal text
  kBigIntegerText,  ///< varint as decimal digits
  kDecimalFixed,    ///< decimal or varint as DECIMAL(p, s): INT32, INT64 or FIXED_LEN_BYTE_ARRAY
  kUuid,            ///< FIXED_LEN_BYTE_ARRAY(16)
  kDurationMonths,  ///< the three leaves of a duration group
  kDurationDays,
  kDurationNanos,
  // Forms only other writers' files hold (the reader's side).
  kInt32Millis,  ///< TIME(MILLIS) in INT32 → nanoseconds
  kInt64Nanos,   ///< TIMESTAMP(NANOS) → milliseconds (rounded down)
  kInt96,        ///< legacy INT96 timestamps (nanoseconds of the day, Julian day) → milliseconds
  kUint32,       ///< INT(32, unsigned) → int64
  kUint64,       ///< INT(64, unsigned) → big integer
  kFloat16,      ///< FLOAT16 in FIXED_LEN_BYTE_ARRAY(2) → float32
};

/// \brief A leaf column of the Parquet schema: a path of names from the root, its physical
/// type, its levels, and how its values come out of the batch.
struct LeafColumn {
  std::vector<std::string> path;
  PhysicalType physical_type = PhysicalType::kInt32;
  int32_t type_length = 0;  ///< FIXED_LEN_BYTE_ARRAY width
  int16_t max_definition_level = 0;
  int16_t max_repetition_level = 0;
  LeafForm form = LeafForm::kInt32;
  /// Index of the SchemaElement in ParquetSchema::elements.
  size_t element = 0;
  /// Statistics compare as unsigned bytes (strings, binary, uuid) rather than signed values.
  bool unsigned_order = false;
};

/// "a.b.c": a leaf's or field's path for messages.
std::string DottedPath(const std::vector<std::string>& path);

/// The page codec of io/block_codec.h that a column chunk's codec names; kUnimplemented for
/// LZO and codecs of newer writers.
Result<BlockCodec> BlockCodecOf(CompressionCodec codec);

/// \brief A node of the schema tree as the shredder walks it (writer.cc): a group, a list or
/// map (three-level form), a duration group, or a leaf.
struct SchemaNode {
  enum class Kind : uint8_t { kLeaf, kStruct, kList, kMap, kDuration };
  Kind kind = Kind::kLeaf;
  bool optional = true;
  /// Definition level of a present (non-null) value of this node.
  int16_t definition_level = 0;
  /// Repetition level of this node's values: that of its nearest repeated ancestor.
  int16_t repetition_level = 0;
  /// Leaf (and the first leaf of a duration): index into ParquetSchema::leaves.
  size_t leaf = 0;
  /// Struct: one per field; list: {element}; map: {key, value}.
  std::vector<SchemaNode> children;
};

/// \brief The Parquet schema cqlbulk writes for a logical schema: the flattened schema
/// elements of the footer, the leaf columns, and one node tree per top-level field.
struct ParquetSchema {
  std::vector<SchemaElement> elements;  ///< depth first, the root first
  std::vector<LeafColumn> leaves;
  std::vector<SchemaNode> fields;  ///< one per field of the logical schema
};

/// \brief A Parquet file's schema as the reader sees it: the logical schema of its top-level
/// fields and the Parquet tree (`parquet.elements` are the file's own).
struct FileSchema {
  data::SchemaPtr schema;
  ParquetSchema parquet;
};

/// \brief The logical schema of a file's schema elements (README.md, "Reading Parquet"): the
/// types by their logical (or legacy converted) annotations, lists in the three-level form and
/// the older forms the spec keeps readable (two-level lists, repeated groups, bare repeated
/// fields), maps, and field ids. kCorrupt naming the element for a tree that does not add up
/// (children past the end, a leaf without a type, a group without children); kUnimplemented
/// naming the column for a type cqlbulk cannot read (an unrecognized logical type).
Result<FileSchema> SchemaFromParquet(const std::vector<SchemaElement>& elements);

/// \brief Maps a logical schema to Parquet (README.md, "Parquet types"): required fields for
/// non-nullable ones, lists, sets and vectors in the three-level LIST form, maps in the MAP
/// form, structs as groups, durations as groups of three required integers; logical type
/// annotations with the legacy converted types beside them. Every element carries a field id:
/// the Field's own, or else the next free number in depth-first order (Iceberg needs them).
/// kInvalidArgument naming the field for a name Parquet cannot hold (empty) or a mapping
/// option out of range.
Result<ParquetSchema> MakeParquetSchema(const data::Schema& schema, const TypeMapping& mapping);

}  // namespace cqlbulk::formats::parquet
