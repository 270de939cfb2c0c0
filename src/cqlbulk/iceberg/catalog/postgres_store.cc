// SPDX-License-Identifier: Apache-2.0
// The PostgreSQL backend of SqlStore: the only file that includes libpq-fe.h.
#include <libpq-fe.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/iceberg/catalog/sql_store.h"

namespace cqlbulk::iceberg {
namespace {

// SQLSTATE codes (PostgreSQL manual, Appendix A).
constexpr std::string_view kUniqueViolation = "23505";
constexpr std::string_view kLockNotAvailable = "55P03";
constexpr std::string_view kQueryCanceled = "57014";

std::string Trimmed(const char* message) {
  std::string text = message != nullptr ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

class PostgresStore final : public SqlStore {
 public:
  PostgresStore(PGconn* conn, std::string display) : conn_(conn), display_(std::move(display)) {}
  ~PostgresStore() override { PQfinish(conn_); }
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  Result<SqlResult> Execute(std::string_view sql, std::span<const SqlValue> params) override {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const SqlValue& p : params) values.push_back(p ? p->c_str() : nullptr);
    const std::string text(sql);
    // Text parameters, types inferred by the server: values never enter the SQL text.
    Reply reply(PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                             values.data(), nullptr, nullptr, 0));
    const ExecStatusType status = reply.res != nullptr ? PQresultStatus(reply.res)
                                                       : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return Fail(reply.res, sql);
    SqlResult result;
    const int rows = PQntuples(reply.res);
    const int columns = PQnfields(reply.res);
    result.rows.reserve(static_cast<size_t>(rows));
    for (int r = 0; r < rows; ++r) {
      std::vector<SqlValue>& row = result.rows.emplace_back();
      row.reserve(static_cast<size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(reply.res, r, c)) {
          row.emplace_back(std::nullopt);
        } else {
          row.emplace_back(std::string(PQgetvalue(reply.res, r, c),
                                       static_cast<size_t>(PQgetlength(reply.res, r, c))));
        }
      }
    }
    const char* changed = PQcmdTuples(reply.res);
    result.changed = changed != nullptr && *changed != '\0' ? std::atoll(changed) : 0;
    return result;
  }

  Status BeginWrite() override {
    CQLBULK_RETURN_IF_ERROR(Execute("BEGIN", {}));
    return OkStatus();
  }

  Result<bool> TableExists(std::string_view table) override {
    // to_regclass resolves the name through search_path, as an unqualified query would.
    const SqlValue params[] = {std::string(table)};
    CQLBULK_ASSIGN_OR_RETURN(SqlResult r,
                             Execute("SELECT to_regclass($1) IS NOT NULL", params));
    return !r.rows.empty() && r.rows[0][0] == "t";
  }

  Result<bool> ColumnExists(std::string_view table, std::string_view column) override {
    const SqlValue params[] = {std::string(table), std::string(column)};
    CQLBULK_ASSIGN_OR_RETURN(
        SqlResult r, Execute("SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) "
                             "AND attname = $2 AND attnum > 0 AND NOT attisdropped",
                             params));
    return !r.rows.empty();
  }

  const std::string& display() const override { return display_; }

 private:
  struct Reply {
    explicit Reply(PGresult* r) : res(r) {}
    ~Reply() { PQclear(res); }
    Reply(const Reply&) = delete;
    Reply& operator=(const Reply&) = delete;
    PGresult* res;
  };

  Error Fail(const PGresult* res, std::string_view sql) const {
    std::string reason = Trimmed(res != nullptr ? PQresultErrorMessage(res) : nullptr);
    if (reason.empty()) reason = Trimmed(PQerrorMessage(conn_));
    std::string message = "catalog " + display_ + ": " + reason + " (in \"" +
                          std::string(sql.substr(0, 60)) + (sql.size() > 60 ? "...\")" : "\")");
    if (PQstatus(conn_) == CONNECTION_BAD) return Unavailable(std::move(message));
    const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const std::string_view sqlstate = state != nullptr ? state : "";
    if (sqlstate == kUniqueViolation) return AlreadyExists(std::move(message));
    if (sqlstate == kLockNotAvailable || sqlstate == kQueryCanceled) {
      return Timeout(std::move(message));
    }
    return IoError(std::move(message));
  }

  PGconn* conn_;
  std::string display_;
};

}  // namespace

Result<std::unique_ptr<SqlStore>> OpenPostgresStore(const std::string& conninfo,
                                                    std::string display) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) return Unavailable("catalog " + display + ": out of memory in libpq");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string reason = Trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return Unavailable("catalog " + display + ": cannot connect: " + reason);
  }
  // Notices (e.g. "relation already exists, skipping") would go to stderr; nothing below cli/
  // prints.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<SqlStore>(std::make_unique<PostgresStore>(conn, std::move(display)));
}

}  // namespace cqlbulk::iceberg
