// SPDX-License-Identifier: Apache-2.0
// Save / Load: schema as CQL DDL, data in a versioned binary file with a CRC.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <vector>

#include "cqlbulk/core/checksum.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/sim/engine/executor.h"
#include "cqlbulk/sim/engine/schema_cql.h"
#include "cqlbulk/sim/parser/cql_parser.h"

namespace cqlbulk::sim::internal {
namespace {

constexpr std::string_view kMagic = "CQLSIMDATA";
/// 2: rows in the blob format of storage_row.h (cells as [bytes], clustering keys as [bytes]
/// components) and each table's byte size. Version 1 files are refused.
constexpr uint32_t kFormatVersion = 2;

std::string SchemaPath(const std::string& dir) { return dir + "/schema.cql"; }
std::string DataPath(const std::string& dir) { return dir + "/data.bin"; }

Status WriteFile(const std::string& path, BytesView bytes) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return IoError("cannot write " + tmp);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) return IoError("cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return IoError("cannot rename " + tmp + ": " + ec.message());
  return OkStatus();
}

Result<Bytes> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot read " + path);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteString(ByteWriter& out, std::string_view s) {
  out.WriteU32(static_cast<uint32_t>(s.size()));
  out.WriteChars(s);
}

Result<std::string> ReadString(ByteReader& in) {
  CQLBULK_ASSIGN_OR_RETURN(uint32_t n, in.ReadU32());
  CQLBULK_ASSIGN_OR_RETURN(BytesView b, in.ReadBytes(n));
  return std::string(AsChars(b));
}

/// A row of the file: a view into the file's bytes until the run being built copies it.
Result<RowBlob> ReadBlob(ByteReader& in, const RowLayout& layout) {
  CQLBULK_ASSIGN_OR_RETURN(uint32_t n, in.ReadU32());
  CQLBULK_ASSIGN_OR_RETURN(BytesView b, in.ReadBytes(n));
  if (n == 0) return RowBlob();
  if (!RowBlob::IsWellFormed(b, layout)) return Corrupt("bad row");
  return RowBlob(b.data());
}

/// One table's partitions, in ring order, into a new sorted run that replaces its content.
Status LoadTable(ByteReader& in, TableStore& store) {
  CQLBULK_ASSIGN_OR_RETURN(uint64_t data_bytes, in.ReadU64());
  CQLBULK_ASSIGN_OR_RETURN(uint64_t num_partitions, in.ReadU64());
  if (data_bytes > in.remaining() || num_partitions > data_bytes) return Corrupt("bad table size");
  SortedRunBuilder builder(num_partitions, data_bytes);
  std::optional<PartitionKey> previous;
  std::vector<RowBlob> rows;
  for (uint64_t p = 0; p < num_partitions; ++p) {
    PartitionKey key;
    CQLBULK_ASSIGN_OR_RETURN(key.token, in.ReadI64());
    CQLBULK_ASSIGN_OR_RETURN(key.key, ReadString(in));
    if (previous && !PartitionKeyLess()(*previous, key)) {
      return Corrupt("partitions out of ring order");
    }
    CQLBULK_ASSIGN_OR_RETURN(RowBlob static_row, ReadBlob(in, store.layout(true)));
    CQLBULK_ASSIGN_OR_RETURN(uint32_t num_rows, in.ReadU32());
    if (num_rows > in.remaining()) return Corrupt("bad row count");
    rows.clear();
    for (uint32_t r = 0; r < num_rows; ++r) {
      CQLBULK_ASSIGN_OR_RETURN(RowBlob row, ReadBlob(in, store.layout(false)));
      if (row.is_null()) return Corrupt("empty row");
      rows.push_back(row);
    }
    builder.Add(
        PartitionView{.token = key.token, .key = key.key, .static_row = static_row, .rows = rows});
    previous = std::move(key);
  }
  store.Replace(std::move(builder).Finish());
  return OkStatus();
}

Status LoadData(EngineCore& core, BytesView bytes) {
  if (bytes.size() < kMagic.size() + 8 || AsChars(bytes.first(kMagic.size())) != kMagic) {
    return Corrupt("not a cqlsim data file");
  }
  uint32_t crc = LoadBE32(bytes.data() + bytes.size() - 4);
  if (Crc32(bytes.first(bytes.size() - 4)) != crc) return Corrupt("checksum mismatch");
  ByteReader in(bytes.subspan(kMagic.size(), bytes.size() - kMagic.size() - 4));
  CQLBULK_ASSIGN_OR_RETURN(uint32_t version, in.ReadU32());
  if (version != kFormatVersion) {
    return Corrupt("data file format version " + std::to_string(version) +
                   " is not supported: this cqlsim reads version " +
                   std::to_string(kFormatVersion) +
                   " only (start from an empty data directory and load the data again)");
  }
  SchemaPtr schema = core.CurrentSchema();
  while (!in.empty()) {
    CQLBULK_ASSIGN_OR_RETURN(std::string keyspace, ReadString(in));
    CQLBULK_ASSIGN_OR_RETURN(std::string name, ReadString(in));
    const TableSchema* table = schema->FindTable(keyspace, name);
    if (table == nullptr) return Corrupt("data for unknown table " + keyspace + "." + name);
    auto store = core.Store(table->id);
    if (store == nullptr) return Corrupt("no storage for " + keyspace + "." + name);
    std::unique_lock lock(store->mutex());
    CQLBULK_RETURN_IF_ERROR(LoadTable(in, *store));
  }
  return OkStatus();
}

void WriteBlob(ByteWriter& out, RowBlob row) {
  out.WriteU32(static_cast<uint32_t>(row.size_bytes()));
  out.WriteBytes(row.bytes());
}

void PatchU64(ByteWriter& out, size_t pos, uint64_t v) {
  out.PatchU32(pos, static_cast<uint32_t>(v >> 32));
  out.PatchU32(pos + 4, static_cast<uint32_t>(v));
}

/// A table's partitions in ring order, preceded by their byte size and number.
void SaveTable(ByteWriter& out, const TableStore& store) {
  size_t sizes_pos = out.size();
  out.WriteU64(0);
  out.WriteU64(0);
  uint64_t num_partitions = 0;
  for (PartitionCursor cursor = store.Begin(); !cursor.done(); cursor.Next()) {
    const PartitionView& partition = cursor.partition();
    out.WriteI64(partition.token);
    WriteString(out, partition.key);
    WriteBlob(out, partition.static_row);
    out.WriteU32(static_cast<uint32_t>(partition.rows.size()));
    for (RowBlob row : partition.rows) WriteBlob(out, row);
    ++num_partitions;
  }
  PatchU64(out, sizes_pos, out.size() - sizes_pos - 16);
  PatchU64(out, sizes_pos + 8, num_partitions);
}

}  // namespace

Status SaveEngine(EngineCore& core, const std::string& directory) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) return IoError("cannot create " + directory + ": " + ec.message());
  SchemaPtr schema = core.CurrentSchema();
  std::string script;
  for (const std::string& statement : SchemaToCql(*schema)) script += statement + ";\n";
  CQLBULK_RETURN_IF_ERROR(WriteFile(SchemaPath(directory), AsBytes(script)));
  ByteWriter out;
  out.WriteChars(kMagic);
  out.WriteU32(kFormatVersion);
  for (const auto& [ks_name, keyspace] : schema->keyspaces) {
    for (const auto& [name, table] : keyspace->tables) {
      auto store = core.Store(table->id);
      if (store == nullptr) continue;
      std::shared_lock lock(store->mutex());
      WriteString(out, ks_name);
      WriteString(out, name);
      SaveTable(out, *store);
    }
  }
  out.WriteU32(Crc32(out.view()));
  return WriteFile(DataPath(directory), out.view());
}

Status LoadEngine(EngineCore& core, const std::string& directory) {
  std::error_code ec;
  if (!std::filesystem::exists(SchemaPath(directory), ec) &&
      !std::filesystem::exists(DataPath(directory), ec)) {
    return OkStatus();  // a new data directory: start empty
  }
  CQLBULK_ASSIGN_OR_RETURN(Bytes script, ReadFile(SchemaPath(directory)));
  CQLBULK_ASSIGN_OR_RETURN(Bytes data, ReadFile(DataPath(directory)));
  {
    // Load replaces whatever the engine held.
    std::lock_guard ddl(core.ddl_mutex);
    std::unique_lock lock(core.mutex);
    auto empty = std::make_shared<Schema>();
    empty->version = core.RandomUuid();
    core.schema = std::move(empty);
    core.stores.clear();
  }
  Session session;
  for (const std::string& text : SplitCqlScript(AsChars(script))) {
    auto parsed = ParseStatement(text);
    if (!parsed.has_value()) {
      return Corrupt(SchemaPath(directory) + ": " + parsed.error().message());
    }
    RequestContext ctx(core, session);
    Reply reply = ExecuteDdl(ctx, parsed->statement);
    if (auto* response = std::get_if<cql::Response>(&reply.message)) {
      if (auto* error = std::get_if<cql::ErrorResponse>(response)) {
        return Corrupt(SchemaPath(directory) + ": " + error->message);
      }
    }
  }
  Status loaded = LoadData(core, data);
  if (!loaded.has_value()) return Corrupt(DataPath(directory) + ": " + loaded.error().message());
  return OkStatus();
}

}  // namespace cqlbulk::sim::internal
