// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cqlbulk/client/topology.h"
#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/notation.h"
#include "cqlbulk/cql/protocol/result_metadata.h"
#include "cqlbulk/cql/protocol/rows.h"
#include "cqlbulk/cql/types/data_type.h"
#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/data/buffer.h"
#include "cqlbulk/data/column.h"
#include "cqlbulk/data/logical_type.h"
#include "cqlbulk/data/schema.h"

/// \file
/// The adapter between CQL values and data batches (DESIGN.md: `cql` and `formats` do not know
/// each other; `ops` owns this one file per direction of the boundary):
/// - types: CQL type -> logical type, per the table in data/README.md;
/// - unload: RowDecoder walks a ROWS cursor and decodes every cell from its wire bytes
///   straight into the typed appends of a data::BatchBuilder;
/// - load: EncodeCell serialises one cell of a data::Column into the wire bytes of a target
///   CQL type (protocol v4+ value encoding; the same in v5).

namespace cqlbulk::ops {

// --- types -----------------------------------------------------------------------------------

/// \brief The logical type of a CQL type (data/README.md): date becomes signed days (CQL's
/// uint32 − 2^31), a tuple a Struct of fields "_1", "_2"..., a UDT a Struct named after the
/// UDT, counter Int64 with is_counter(), timeuuid Uuid with is_time_based(), ascii String
/// with is_ascii(), a map key not nullable, vector elements not nullable. Frozen-ness is not
/// kept. kUnimplemented naming the class for custom types (vector and duration arrive as
/// their own ids); kInvalidArgument for an incomplete descriptor, a vector dimension past
/// INT32_MAX or nesting deeper than cql::kMaxValueDepth.
Result<data::LogicalTypePtr> LogicalTypeOf(const cql::DataType& type);

/// \brief The schema of a result's columns: one nullable field per column, named after it, in
/// column order. Errors of LogicalTypeOf, with the column named.
Result<data::SchemaPtr> SchemaOf(const std::vector<cql::ColumnSpec>& columns);

/// \brief The logical schema of `columns` of `table` (in that order; every column of the
/// table, in its CQL order, when `columns` is empty). kInvalidArgument naming the column and
/// the table for an unknown or repeated column; errors of LogicalTypeOf with the column named.
Result<data::SchemaPtr> TableSchema(const client::TableMetadata& table,
                                    const std::vector<std::string>& columns);

// --- unload: ROWS -> batch -------------------------------------------------------------------

/// \brief Decodes the cells of ROWS results into a data::BatchBuilder: the unload hot path.
///
/// Make() compiles the columns' CQL types against the schema's logical types once; decoding
/// then reads each cell's wire bytes with big-endian loads and appends them with the typed
/// appends (no cql::Value, no allocation per cell; nested values recursively). Immutable after
/// Make: one decoder may serve many threads, each with its own builder.
///
/// Cell rules: null ([bytes] length -1) appends a null. A zero-length value of a type where
/// Cassandra keeps one (int, bigint, counter, boolean, float, double, uuid, timeuuid,
/// timestamp, inet, varint, decimal, tuple, UDT, vector: `blobAsInt(0x)`) also appends a null,
/// as the Java driver reads it; text, ascii and blob read it as the empty value. Boolean bytes
/// other than 0 read as true. Inside a map key or a vector, where the logical type has no
/// null, such an empty value is malformed. A tuple or UDT with fewer fields than declared reads
/// the missing ones as null.
///
/// Malformed bytes (a wrong fixed length, truncation, a bad count, a null collection element,
/// invalid UTF-8 or non-ASCII text, a timeuuid that is not version 1, trailing bytes...) are
/// kProtocol naming the column and the row, with the cql codec's own description.
class RowDecoder {
 public:
  /// `columns` are the result's column specs (a Rows or Prepared result's metadata);
  /// `schema` must have one field per column whose logical type has the layout
  /// LogicalTypeOf gives for the column's CQL type (field names and nullability are free).
  /// kInvalidArgument when it does not; errors of LogicalTypeOf.
  static Result<RowDecoder> Make(const std::vector<cql::ColumnSpec>& columns,
                                 data::SchemaPtr schema);
  /// The same over `metadata.columns`; kInvalidArgument if `metadata.no_metadata` (make the
  /// decoder from the Prepared result's metadata, then decode its no-metadata pages).
  static Result<RowDecoder> Make(const cql::RowsMetadata& metadata, data::SchemaPtr schema);
  /// With the schema SchemaOf(metadata.columns).
  static Result<RowDecoder> Make(const cql::RowsMetadata& metadata);

  RowDecoder(RowDecoder&&) noexcept;
  RowDecoder& operator=(RowDecoder&&) noexcept;
  ~RowDecoder();

  const data::SchemaPtr& schema() const noexcept { return schema_; }
  size_t num_columns() const noexcept;
  /// The CQL type of column `i` (< num_columns()).
  const cql::DataType& column_type(size_t i) const noexcept;

  /// \brief Appends the cursor's current row (after a successful Next()) to `out`, whose schema
  /// must have this decoder's layout (kInvalidArgument otherwise). On error the row is not
  /// appended (`out` is rolled back to its previous row count).
  Status AppendRow(const cql::RowsCursor& cursor, data::BatchBuilder& out) const;

  /// \brief Appends every row of a page and returns how many. kProtocol when the page's rows
  /// are malformed or not as wide as this decoder; then none of the page's rows is kept (`out`
  /// is rolled back to its row count before the call).
  Result<size_t> AppendRows(const cql::RowsResult& rows, data::BatchBuilder& out) const;

  struct Node;  // compiled decoding of one type (cql_data.cc)

 private:
  RowDecoder() = default;
  Status CheckBuilder(const data::BatchBuilder& out) const;
  /// AppendRows a row at a time (after its checks): the path with the precise errors.
  Result<size_t> AppendRowsOneByOne(const cql::RowsResult& rows, data::BatchBuilder& out) const;
  Error CellError(size_t column, int64_t row, BytesView cell, const char* reason) const;

  data::SchemaPtr schema_;
  std::vector<Node> nodes_;  // one per column
  std::vector<std::string> names_;
};

// --- load: batch -> CQL values ---------------------------------------------------------------

/// \brief OK when values of `source` can be loaded into a `target` column: the exact mapping of
/// LogicalTypeOf, or a lossless conversion: int8/16/32/64 into a wider (or equal) CQL integer,
/// varint or decimal; big_integer into varint or decimal; float32 into double; any string into
/// text, or into ascii (each value must then be 7-bit); uuid into timeuuid (each value must be
/// a version-1 uuid); binary into a custom type (its bytes as they are); nested types element
/// by element under the same rules (a struct into a UDT by field name, missing fields null;
/// into a tuple by position, with as many fields). Otherwise kInvalidArgument "cannot load a
/// <logical> value into a <cql type> column".
Status CheckLoadable(const data::LogicalType& source, const cql::DataType& target);

/// \brief Appends the wire bytes of cell `row` of `column` as a `target` value (no [bytes]
/// length prefix; collections with [int] counts and lengths, as protocol v4+ sends them). Sets
/// are encoded in the column's order (Cassandra sorts them). kInvalidArgument when the cell is
/// null (a null has no bytes: see EncodeBoundValue), when the types are not loadable
/// (CheckLoadable's message), or when the value does not fit: a null collection element, map
/// key or vector element, a non-7-bit string for ascii, a non-version-1 uuid for timeuuid, an
/// inet that is not 4 or 16 bytes, a duration of mixed signs. On failure `out` is left as it
/// was.
Status EncodeCell(const data::Column& column, size_t row, const cql::DataType& target,
                  data::Buffer& out);

/// \brief EncodeCell for one source type and one target type, chosen once, with the [bytes]
/// length in front: what a load writes for each bind marker of each row. The common pairs
/// (int, bigint, double, timestamp, date, boolean, uuid, text, decimal, each from its own
/// logical type) are written straight; every other pair, and any value a straight path does not
/// take (invalid UTF-8, an empty decimal), goes through EncodeCell. The result is always
/// EncodeCell's: the same bytes, or the same error with `out` as it was.
class CellEncoder {
 public:
  /// `target` must outlive the encoder.
  CellEncoder(const data::LogicalType& source, const cql::DataType& target);

  /// Appends the [int] length and the bytes of the non-null cell `row`. Errors of
  /// EncodeCell, and kInvalidArgument "a value of 2 GiB or more" for a value longer than a
  /// [bytes] can be.
  Status AppendBytes(const data::Column& column, size_t row, data::Buffer& out) const {
    if (path_ == Path::kGeneric) return AppendGeneric(column, row, out);
    return AppendDirect(column, row, out);
  }

  /// \brief AppendBytes into raw memory, for callers that keep their write position in a
  /// local (stores through a uint8_t* may alias anything, so a position kept in a Buffer is
  /// re-read after each). Writes what AppendBytes would append at `p` and returns the end of
  /// it when the cell takes a straight path and fits in [p, end); else writes nothing and
  /// returns nullptr (a null cell, no room, the generic path, a value the straight path does
  /// not take): then AppendBytes gives the bytes or the error.
  uint8_t* TryWrite(const data::Column& column, size_t row, uint8_t* p, uint8_t* end) const;

  /// Whether cells take a straight path (for the tests).
  bool direct() const noexcept { return path_ != Path::kGeneric; }

 private:
  enum class Path : uint8_t {
    kGeneric,
    kInt32,
    kInt64,
    kFloat64,
    kDate,
    kBoolean,
    kUuid,
    kVarchar,
    kAscii,
    kDecimal,
  };
  Status AppendDirect(const data::Column& column, size_t row, data::Buffer& out) const;
  Status AppendGeneric(const data::Column& column, size_t row, data::Buffer& out) const;

  const cql::DataType* target_;
  Path path_ = Path::kGeneric;
};

/// \brief Fills `out` with cell `row` as a bound value: BoundValue::Null() for a null cell,
/// else the bytes EncodeCell writes. Errors of EncodeCell.
Status EncodeBoundValue(const data::Column& column, size_t row, const cql::DataType& target,
                        cql::BoundValue& out);

}  // namespace cqlbulk::ops
