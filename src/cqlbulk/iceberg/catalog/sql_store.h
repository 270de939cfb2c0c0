// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"

namespace cqlbulk::iceberg {

/// \brief A SQL value as text; std::nullopt is NULL.
using SqlValue = std::optional<std::string>;

/// \brief The rows a statement returned, and how many rows it changed.
struct SqlResult {
  std::vector<std::vector<SqlValue>> rows;
  int64_t changed = 0;
};

/// \brief The narrow interface SqlCatalog needs from a database: one connection that runs
/// parameterized statements. One backend per library (sqlite_store.cc, postgres_store.cc).
///
/// Statements are written once for both backends: parameters are `$1`, `$2`, ... and bound as
/// text (never spliced into the SQL). Errors: kAlreadyExists for a unique-key violation,
/// kTimeout when the database stayed locked, kUnavailable when the server is unreachable, kIo
/// otherwise; each message names the store's display URI. Not thread-safe.
class SqlStore {
 public:
  virtual ~SqlStore() = default;

  /// \brief Runs one statement with its parameters.
  virtual Result<SqlResult> Execute(std::string_view sql, std::span<const SqlValue> params) = 0;

  /// \brief Starts a transaction that will write (SQLite takes its write lock now, so that a
  /// transaction never fails half way for a lock another one holds).
  virtual Status BeginWrite() = 0;

  /// \brief Whether the table exists (as the connection resolves unqualified names).
  virtual Result<bool> TableExists(std::string_view table) = 0;

  /// \brief Whether the table has the column.
  virtual Result<bool> ColumnExists(std::string_view table, std::string_view column) = 0;

  /// The URI for messages, password hidden.
  virtual const std::string& display() const = 0;
};

/// \brief Opens (creating it if absent) the SQLite database at path (":memory:" for one in
/// memory), waiting up to busy_timeout_ms for other processes' locks. kIo when the directory
/// does not exist or the file cannot be opened; messages name display.
Result<std::unique_ptr<SqlStore>> OpenSqliteStore(const std::string& path, std::string display,
                                                  int busy_timeout_ms = 30000);

/// \brief Connects to PostgreSQL with a libpq connection string or URI. kUnavailable (naming
/// display and libpq's reason) when the connection fails.
Result<std::unique_ptr<SqlStore>> OpenPostgresStore(const std::string& conninfo,
                                                    std::string display);

}  // namespace cqlbulk::iceberg
