// SPDX-License-Identifier: Apache-2.0
// The SQLite backend of SqlStore: the only file that includes sqlite3.h.
#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/iceberg/catalog/sql_store.h"

namespace cqlbulk::iceberg {
namespace {

class SqliteStore final : public SqlStore {
 public:
  SqliteStore(sqlite3* db, std::string display) : db_(db), display_(std::move(display)) {}
  ~SqliteStore() override { sqlite3_close_v2(db_); }
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  Result<SqlResult> Execute(std::string_view sql, std::span<const SqlValue> params) override {
    // SQLite numbers parameters `?NNN`; the statements are written with PostgreSQL's `$NNN`
    // and hold no `$` elsewhere.
    std::string text(sql);
    for (char& c : text) {
      if (c == '$') c = '?';
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, text.c_str(), static_cast<int>(text.size()), &stmt, nullptr) !=
        SQLITE_OK) {
      return Fail(sql);
    }
    Statement guard(stmt);
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      const int rc = params[i] ? sqlite3_bind_text(stmt, index, params[i]->data(),
                                                   static_cast<int>(params[i]->size()),
                                                   SQLITE_TRANSIENT)
                               : sqlite3_bind_null(stmt, index);
      if (rc != SQLITE_OK) return Fail(sql);
    }
    SqlResult result;
    const int columns = sqlite3_column_count(stmt);
    while (true) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Fail(sql);
      std::vector<SqlValue>& row = result.rows.emplace_back();
      row.reserve(static_cast<size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
          row.emplace_back(std::nullopt);
        } else {
          const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
          row.emplace_back(std::string(data, static_cast<size_t>(sqlite3_column_bytes(stmt, c))));
        }
      }
    }
    result.changed = sqlite3_changes64(db_);
    return result;
  }

  Status BeginWrite() override {
    CQLBULK_RETURN_IF_ERROR(Execute("BEGIN IMMEDIATE", {}));
    return OkStatus();
  }

  Result<bool> TableExists(std::string_view table) override {
    const SqlValue params[] = {std::string(table)};
    CQLBULK_ASSIGN_OR_RETURN(
        SqlResult r,
        Execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1", params));
    return !r.rows.empty();
  }

  Result<bool> ColumnExists(std::string_view table, std::string_view column) override {
    const SqlValue params[] = {std::string(table), std::string(column)};
    CQLBULK_ASSIGN_OR_RETURN(
        SqlResult r, Execute("SELECT 1 FROM pragma_table_info($1) WHERE name = $2", params));
    return !r.rows.empty();
  }

  const std::string& display() const override { return display_; }

 private:
  struct Statement {
    explicit Statement(sqlite3_stmt* s) : stmt(s) {}
    ~Statement() { sqlite3_finalize(stmt); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    sqlite3_stmt* stmt;
  };

  Error Fail(std::string_view sql) const {
    const int code = sqlite3_extended_errcode(db_);
    std::string message = "catalog " + display_ + ": " + sqlite3_errmsg(db_) + " (in \"" +
                          std::string(sql.substr(0, 60)) + (sql.size() > 60 ? "...\")" : "\")");
    switch (code & 0xff) {
      case SQLITE_CONSTRAINT:
        if (code == SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLITE_CONSTRAINT_UNIQUE) {
          return AlreadyExists(std::move(message));
        }
        return IoError(std::move(message));
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        return Timeout(std::move(message));
      default:
        return IoError(std::move(message));
    }
  }

  sqlite3* db_;
  std::string display_;
};

}  // namespace

Result<std::unique_ptr<SqlStore>> OpenSqliteStore(const std::string& path, std::string display,
                                                  int busy_timeout_ms) {
  if (path != ":memory:") {
    // SQLite's own message ("unable to open database file") would not say why.
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
      return IoError("catalog " + display + ": directory '" + parent.string() +
                     "' does not exist");
    }
  }
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    std::string reason = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return IoError("catalog " + display + ": cannot open '" + path + "': " + reason);
  }
  // Other processes (PyIceberg, a second cqlbulk shard) commit to the same file: wait for their
  // locks instead of failing at once. The journal mode stays the default, so every SQLite
  // client (and a warehouse on a network file system) keeps working with the file.
  sqlite3_busy_timeout(db, busy_timeout_ms);
  sqlite3_extended_result_codes(db, 1);
  auto store = std::make_unique<SqliteStore>(db, std::move(display));
  // A file that is not a database fails on first use: make that the opening's error.
  CQLBULK_RETURN_IF_ERROR(store->Execute("SELECT count(*) FROM sqlite_master", {}));
  return std::unique_ptr<SqlStore>(std::move(store));
}

}  // namespace cqlbulk::iceberg
