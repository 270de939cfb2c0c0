// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/protocol/result_metadata.h"

#include <string>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::cql {
namespace {

Result<int32_t> ReadCount(ProtocolReader& in, std::string_view what) {
  CQLBULK_ASSIGN_OR_RETURN(int32_t n, in.ReadI32());
  if (n < 0) {
    return in.Malformed("negative " + std::string(what) + " " + std::to_string(n));
  }
  return n;
}

Result<TableSpec> ReadTableSpec(ProtocolReader& in) {
  TableSpec t;
  CQLBULK_ASSIGN_OR_RETURN(std::string_view ks, in.ReadString());
  CQLBULK_ASSIGN_OR_RETURN(std::string_view table, in.ReadString());
  t.keyspace = std::string(ks);
  t.table = std::string(table);
  return t;
}

/// Reads `n` <col_spec_i>; each needs at least 4 bytes (name + type id), 8 more without a
/// global table spec, which bounds `n` before anything is reserved.
Result<std::vector<ColumnSpec>> ReadColumnSpecs(ProtocolReader& in, int32_t n,
                                                const std::optional<TableSpec>& global) {
  const size_t min_bytes = global ? 4 : 8;
  if (static_cast<size_t>(n) > in.remaining() / min_bytes) {
    return in.Malformed(std::to_string(n) + " column specs cannot fit in the body");
  }
  std::vector<ColumnSpec> columns;
  columns.reserve(static_cast<size_t>(n));
  for (int32_t i = 0; i < n; ++i) {
    ColumnSpec c;
    if (global) {
      c.keyspace = global->keyspace;
      c.table = global->table;
    } else {
      CQLBULK_ASSIGN_OR_RETURN(TableSpec t, ReadTableSpec(in));
      c.keyspace = std::move(t.keyspace);
      c.table = std::move(t.table);
    }
    CQLBULK_ASSIGN_OR_RETURN(std::string_view name, in.ReadString());
    c.name = std::string(name);
    CQLBULK_ASSIGN_OR_RETURN(c.type, ReadOption(in));
    columns.push_back(std::move(c));
  }
  return columns;
}

void WriteColumnSpecs(ProtocolWriter& out, const std::vector<ColumnSpec>& columns,
                      const std::optional<TableSpec>& global, int version) {
  if (global) {
    out.WriteString(global->keyspace);
    out.WriteString(global->table);
  }
  for (const ColumnSpec& c : columns) {
    if (!global) {
      out.WriteString(c.keyspace);
      out.WriteString(c.table);
    }
    out.WriteString(c.name);
    if (!c.type) {
      out.Fail(InvalidArgument("column " + c.name + " has no type"));
      return;
    }
    WriteOption(out, *c.type, version);
  }
}

}  // namespace

bool operator==(const ColumnSpec& a, const ColumnSpec& b) {
  if (a.keyspace != b.keyspace || a.table != b.table || a.name != b.name) {
    return false;
  }
  if (!a.type || !b.type) {
    return a.type == b.type;
  }
  return *a.type == *b.type;
}

std::optional<TableSpec> CommonTable(const std::vector<ColumnSpec>& columns) {
  if (columns.empty()) {
    return std::nullopt;
  }
  for (const ColumnSpec& c : columns) {
    if (c.keyspace != columns[0].keyspace || c.table != columns[0].table) {
      return std::nullopt;
    }
  }
  return TableSpec{columns[0].keyspace, columns[0].table};
}

uint32_t RowsMetadata::flags() const noexcept {
  uint32_t f = 0;
  if (global_table && !no_metadata) f |= kRowsFlagGlobalTablesSpec;
  if (paging_state) f |= kRowsFlagHasMorePages;
  if (no_metadata) f |= kRowsFlagNoMetadata;
  if (new_metadata_id) f |= kRowsFlagMetadataChanged;
  return f;
}

uint32_t PreparedMetadata::flags() const noexcept {
  return global_table ? kRowsFlagGlobalTablesSpec : 0;
}

Result<RowsMetadata> ReadRowsMetadata(ProtocolReader& in, int protocol_version) {
  RowsMetadata m;
  CQLBULK_ASSIGN_OR_RETURN(uint32_t flags, in.ReadU32());
  CQLBULK_ASSIGN_OR_RETURN(m.columns_count, ReadCount(in, "columns_count"));
  if ((flags & kRowsFlagHasMorePages) != 0) {
    CQLBULK_ASSIGN_OR_RETURN(std::optional<BytesView> state, in.ReadBytesField());
    m.paging_state = state ? Bytes(state->begin(), state->end()) : Bytes();
  }
  if (protocol_version >= 5 && (flags & kRowsFlagMetadataChanged) != 0) {
    CQLBULK_ASSIGN_OR_RETURN(BytesView id, in.ReadShortBytes());
    m.new_metadata_id = Bytes(id.begin(), id.end());
  }
  m.no_metadata = (flags & kRowsFlagNoMetadata) != 0;
  if (m.no_metadata) {
    return m;
  }
  if ((flags & kRowsFlagGlobalTablesSpec) != 0) {
    CQLBULK_ASSIGN_OR_RETURN(m.global_table, ReadTableSpec(in));
  }
  CQLBULK_ASSIGN_OR_RETURN(m.columns, ReadColumnSpecs(in, m.columns_count, m.global_table));
  return m;
}

void WriteRowsMetadata(ProtocolWriter& out, const RowsMetadata& m, int protocol_version) {
  if (!m.no_metadata && m.columns.size() != static_cast<size_t>(m.columns_count)) {
    out.Fail(InvalidArgument("rows metadata has " + std::to_string(m.columns.size()) +
                             " column specs for columns_count " + std::to_string(m.columns_count)));
    return;
  }
  if (protocol_version < 5 && m.new_metadata_id) {
    out.Fail(InvalidArgument("new_metadata_id needs protocol v5"));
    return;
  }
  out.WriteU32(m.flags());
  out.WriteI32(m.columns_count);
  if (m.paging_state) out.WriteBytesField(*m.paging_state);
  if (m.new_metadata_id) out.WriteShortBytes(*m.new_metadata_id);
  if (!m.no_metadata) {
    WriteColumnSpecs(out, m.columns, m.global_table, protocol_version);
  }
}

Result<PreparedMetadata> ReadPreparedMetadata(ProtocolReader& in, int protocol_version) {
  PreparedMetadata m;
  CQLBULK_ASSIGN_OR_RETURN(uint32_t flags, in.ReadU32());
  CQLBULK_ASSIGN_OR_RETURN(int32_t columns_count, ReadCount(in, "columns_count"));
  CQLBULK_ASSIGN_OR_RETURN(int32_t pk_count, ReadCount(in, "pk_count"));
  if (static_cast<size_t>(pk_count) > in.remaining() / 2) {
    return in.Malformed(std::to_string(pk_count) + " pk indexes cannot fit in the body");
  }
  m.pk_indexes.reserve(static_cast<size_t>(pk_count));
  for (int32_t i = 0; i < pk_count; ++i) {
    CQLBULK_ASSIGN_OR_RETURN(uint16_t index, in.ReadU16());
    m.pk_indexes.push_back(index);
  }
  if ((flags & kRowsFlagGlobalTablesSpec) != 0) {
    CQLBULK_ASSIGN_OR_RETURN(m.global_table, ReadTableSpec(in));
  }
  (void)protocol_version;  // the layout is the same in v4 and v5
  CQLBULK_ASSIGN_OR_RETURN(m.columns, ReadColumnSpecs(in, columns_count, m.global_table));
  return m;
}

void WritePreparedMetadata(ProtocolWriter& out, const PreparedMetadata& m, int protocol_version) {
  out.WriteU32(m.flags());
  if (m.columns.size() > static_cast<size_t>(INT32_MAX) ||
      m.pk_indexes.size() > static_cast<size_t>(INT32_MAX)) {
    out.Fail(InvalidArgument("prepared metadata too large"));
    return;
  }
  out.WriteI32(static_cast<int32_t>(m.columns.size()));
  out.WriteI32(static_cast<int32_t>(m.pk_indexes.size()));
  for (uint16_t index : m.pk_indexes) {
    out.WriteU16(index);
  }
  WriteColumnSpecs(out, m.columns, m.global_table, protocol_version);
}

}  // namespace cqlbulk::cql
