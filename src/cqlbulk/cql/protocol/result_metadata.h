// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/notation.h"
#include "cqlbulk/cql/types/data_type.h"

namespace cqlbulk::cql {

/// Rows <metadata> flags (v5 §4.2.5.2; Metadata_changed is v5 only).
inline constexpr uint32_t kRowsFlagGlobalTablesSpec = 0x0001;
inline constexpr uint32_t kRowsFlagHasMorePages = 0x0002;
inline constexpr uint32_t kRowsFlagNoMetadata = 0x0004;
inline constexpr uint32_t kRowsFlagMetadataChanged = 0x0008;

/// \brief A keyspace and table name pair (<global_table_spec>).
struct TableSpec {
  std::string keyspace;
  std::string table;
  friend bool operator==(const TableSpec&, const TableSpec&) = default;
};

/// \brief One <col_spec_i>. With a global table spec, keyspace/table repeat the global one.
struct ColumnSpec {
  std::string keyspace;
  std::string table;
  std::string name;
  DataTypePtr type;
  friend bool operator==(const ColumnSpec& a, const ColumnSpec& b);
};

/// \brief Rows <metadata> (§4.2.5.2), also the <result_metadata> of a Prepared result.
///
/// Flags are derived from the fields: Global_tables_spec from `global_table`,
/// Has_more_pages from `paging_state`, Metadata_changed from `new_metadata_id`.
struct RowsMetadata {
  /// Row width. Equal to columns.size() unless `no_metadata`.
  int32_t columns_count = 0;
  bool no_metadata = false;
  std::optional<Bytes> paging_state;
  std::optional<Bytes> new_metadata_id;  ///< v5 only
  std::optional<TableSpec> global_table;
  std::vector<ColumnSpec> columns;  ///< empty with no_metadata

  uint32_t flags() const noexcept;
  bool has_more_pages() const noexcept { return paging_state.has_value(); }
  friend bool operator==(const RowsMetadata&, const RowsMetadata&) = default;
};

/// \brief Bind-marker <metadata> of a Prepared result (§4.2.5.4), with pk indexes.
struct PreparedMetadata {
  std::vector<uint16_t> pk_indexes;
  std::optional<TableSpec> global_table;
  std::vector<ColumnSpec> columns;

  uint32_t flags() const noexcept;
  friend bool operator==(const PreparedMetadata&, const PreparedMetadata&) = default;
};

/// Reads Rows <metadata>. kProtocol for negative or impossible counts and bad types.
Result<RowsMetadata> ReadRowsMetadata(ProtocolReader& in, int protocol_version);
/// Records kInvalidArgument in `out` if columns and columns_count disagree, or if a v5-only
/// field is set for v4.
void WriteRowsMetadata(ProtocolWriter& out, const RowsMetadata& metadata, int protocol_version);

Result<PreparedMetadata> ReadPreparedMetadata(ProtocolReader& in, int protocol_version);
void WritePreparedMetadata(ProtocolWriter& out, const PreparedMetadata& metadata,
                           int protocol_version);

/// A TableSpec shared by every column, if there is one: the natural global table spec.
std::optional<TableSpec> CommonTable(const std::vector<ColumnSpec>& columns);

}  // namespace cqlbulk::cql
