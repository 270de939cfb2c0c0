// SPDX-License-Identifier: Apache-2.0
// The SQL catalog on SQLite: semantics, schemas made by other tools, errors, and concurrent
// commits. catalog_interop_test.py checks the same against PyIceberg, and on PostgreSQL.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <barrier>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "cqlbulk/iceberg/catalog/catalog.h"
#include "cqlbulk/iceberg/catalog/sql_catalog.h"
#include "testing/matchers.h"

namespace cqlbulk::iceberg {
namespace {

using ::cqlbulk::testing::HasMessage;
using ::cqlbulk::testing::HasValue;
using ::cqlbulk::testing::IsError;
using ::cqlbulk::testing::IsOk;
using Tables = std::vector<TableIdentifier>;
using Namespaces = std::vector<Namespace>;

TableIdentifier Id(std::string_view text) { return TableIdentifier::Parse(text).value(); }

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "catalog_test_XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Runs SQL on a SQLite file with sqlite3 directly, as another tool would.
void RunSql(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  const std::string message = err != nullptr ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

TEST(TableIdentifierTest, ParsesNamespaceLevelsAndName) {
  EXPECT_THAT(TableIdentifier::Parse("ns.t"), HasValue(TableIdentifier{{"ns"}, "t"}));
  EXPECT_THAT(TableIdentifier::Parse("a.b.t"), HasValue(TableIdentifier{{"a", "b"}, "t"}));
  EXPECT_EQ(Id("a.b.t").ToString(), "a.b.t");
  EXPECT_THAT(ParseNamespace("a.b"), HasValue(Namespace{"a", "b"}));
}

TEST(TableIdentifierTest, RejectsMissingNamespaceAndEmptyLevels) {
  EXPECT_THAT(TableIdentifier::Parse("t"), HasMessage("'t' has no namespace"));
  EXPECT_THAT(TableIdentifier::Parse("a..t"), HasMessage("'a..t' has an empty level"));
  EXPECT_THAT(TableIdentifier::Parse(".t"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(TableIdentifier::Parse("ns."), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(TableIdentifier::Parse(""), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ParseNamespace(""), IsError(ErrorCode::kInvalidArgument));
}

// Catalog semantics on each backend: SQLite always; PostgreSQL when CQLBULK_TEST_POSTGRES_URI
// names a database (ctest's iceberg_catalog_postgres runs this binary under
// tests/testing/postgres_server.py, which starts a throwaway server and sets it).
std::vector<std::string> Backends() {
  std::vector<std::string> backends = {"sqlite"};
  if (std::getenv("CQLBULK_TEST_POSTGRES_URI") != nullptr) backends.emplace_back("postgresql");
  return backends;
}

class SqlCatalogTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    uri_ = GetParam() == "sqlite" ? (dir_.path() / "catalog.db").string()
                                  : std::string(std::getenv("CQLBULK_TEST_POSTGRES_URI"));
    // Tests share the PostgreSQL database: each uses catalogs of its own.
    name_ = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    auto opened = OpenCatalog(uri_, name_);
    ASSERT_THAT(opened, IsOk());
    catalog_ = std::move(*opened);
  }

  TempDir dir_;
  std::string uri_;
  std::string name_;
  std::unique_ptr<Catalog> catalog_;
};

INSTANTIATE_TEST_SUITE_P(Backends, SqlCatalogTest, ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param; });

TEST_P(SqlCatalogTest, CreatesAndListsNamespacesWithProperties) {
  ASSERT_THAT(catalog_->CreateNamespace({"sales"}, {{"owner", "ana"}}), IsOk());
  ASSERT_THAT(catalog_->CreateNamespace({"a", "b"}, {}), IsOk());

  EXPECT_THAT(catalog_->NamespaceExists({"sales"}), HasValue(true));
  EXPECT_THAT(catalog_->NamespaceExists({"a"}), HasValue(true));  // a level above a.b
  EXPECT_THAT(catalog_->NamespaceExists({"a", "b", "c"}), HasValue(false));
  EXPECT_THAT(catalog_->NamespaceExists({"sale"}), HasValue(false));
  EXPECT_THAT(catalog_->ListNamespaces({}),
              HasValue(Namespaces{Namespace{"a"}, Namespace{"sales"}}));
  EXPECT_THAT(catalog_->ListNamespaces({"a"}), HasValue(Namespaces{Namespace{"a", "b"}}));
  EXPECT_THAT(catalog_->ListNamespaces({"a", "b"}), HasValue(Namespaces{}));
  EXPECT_THAT(catalog_->LoadNamespaceProperties({"sales"}),
              HasValue(NamespaceProperties{{"owner", "ana"}}));
  EXPECT_THAT(catalog_->LoadNamespaceProperties({"a", "b"}),
              HasValue(NamespaceProperties{{"exists", "true"}}));
  EXPECT_THAT(catalog_->CreateNamespace({"sales"}, {}), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(catalog_->ListNamespaces({"nope"}), HasMessage("namespace nope does not exist"));
  EXPECT_THAT(catalog_->LoadNamespaceProperties({"nope"}), IsError(ErrorCode::kNotFound));
}

TEST_P(SqlCatalogTest, LikeWildcardsInNamesMatchOnlyThemselves) {
  ASSERT_THAT(catalog_->CreateNamespace({"a_b"}, {}), IsOk());
  ASSERT_THAT(catalog_->CreateNamespace({"x%"}, {}), IsOk());

  EXPECT_THAT(catalog_->NamespaceExists({"axb"}), HasValue(false));
  EXPECT_THAT(catalog_->NamespaceExists({"x"}), HasValue(false));
  EXPECT_THAT(catalog_->NamespaceExists({"A_B"}), HasValue(false));  // SQLite's LIKE ignores case
  EXPECT_THAT(catalog_->NamespaceExists({"a_b"}), HasValue(true));
}

TEST_P(SqlCatalogTest, CreatesLoadsListsAndDropsTables) {
  ASSERT_THAT(catalog_->CreateNamespace({"ns"}, {}), IsOk());

  ASSERT_THAT(catalog_->CreateTable(Id("ns.t2"), "/w/t2/metadata/00000.metadata.json"), IsOk());
  ASSERT_THAT(catalog_->CreateTable(Id("ns.t1"), "/w/t1/metadata/00000.metadata.json"), IsOk());

  EXPECT_THAT(catalog_->LoadTable(Id("ns.t1")),
              HasValue(std::string("/w/t1/metadata/00000.metadata.json")));
  EXPECT_THAT(catalog_->ListTables({"ns"}), HasValue(Tables{Id("ns.t1"), Id("ns.t2")}));
  EXPECT_THAT(catalog_->CreateTable(Id("ns.t1"), "/elsewhere"),
              HasMessage("table ns.t1 already exists"));
  EXPECT_THAT(catalog_->CreateTable(Id("other.t"), "/x"),
              HasMessage("namespace other does not exist"));
  ASSERT_THAT(catalog_->DropTable(Id("ns.t1")), IsOk());
  EXPECT_THAT(catalog_->LoadTable(Id("ns.t1")), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(catalog_->DropTable(Id("ns.t1")), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(catalog_->ListTables({"ns"}), HasValue(Tables{Id("ns.t2")}));
}

TEST_P(SqlCatalogTest, UnknownTableErrorNamesTableAndCatalog) {
  ASSERT_THAT(catalog_->CreateNamespace({"ns"}, {}), IsOk());

  auto loaded = catalog_->LoadTable(Id("ns.missing"));

  EXPECT_THAT(loaded, IsError(ErrorCode::kNotFound));
  EXPECT_THAT(loaded, HasMessage("table ns.missing does not exist in catalog " + name_ + " (" +
                                 uri_ + ")"));
}

TEST_P(SqlCatalogTest, CommitSwapsOnlyFromTheExpectedLocation) {
  ASSERT_THAT(catalog_->CreateNamespace({"ns"}, {}), IsOk());
  ASSERT_THAT(catalog_->CreateTable(Id("ns.t"), "m1"), IsOk());

  ASSERT_THAT(catalog_->CommitTable(Id("ns.t"), "m1", "m2"), IsOk());
  Status stale = catalog_->CommitTable(Id("ns.t"), "m1", "m3");

  EXPECT_THAT(stale, IsError(ErrorCode::kConflict));
  EXPECT_THAT(stale, HasMessage("its metadata location is now 'm2', not the expected 'm1'"));
  EXPECT_THAT(catalog_->LoadTable(Id("ns.t")), HasValue(std::string("m2")));
  EXPECT_THAT(catalog_->CommitTable(Id("ns.gone"), "m1", "m2"), IsError(ErrorCode::kNotFound));
}

TEST_P(SqlCatalogTest, RejectsLevelsThatCannotBeStored) {
  EXPECT_THAT(catalog_->CreateNamespace({"a.b"}, {}), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(catalog_->CreateNamespace({}, {}), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(catalog_->LoadTable(TableIdentifier{{"ns"}, ""}),
              IsError(ErrorCode::kInvalidArgument));
}

TEST_P(SqlCatalogTest, CatalogsOfOneDatabaseAreSeparate) {
  auto other = OpenCatalog(uri_, name_ + "-other");
  ASSERT_THAT(other, IsOk());

  ASSERT_THAT(catalog_->CreateNamespace({"ns"}, {}), IsOk());
  ASSERT_THAT(catalog_->CreateTable(Id("ns.t"), "m1"), IsOk());

  EXPECT_THAT((*other)->NamespaceExists({"ns"}), HasValue(false));
  EXPECT_THAT((*other)->ListNamespaces({}), HasValue(Namespaces{}));
  ASSERT_THAT((*other)->CreateNamespace({"ns"}, {}), IsOk());
  EXPECT_THAT((*other)->LoadTable(Id("ns.t")), IsError(ErrorCode::kNotFound));
}

TEST(OpenCatalogTest, SqliteUrisAreSqlAlchemys) {
  TempDir dir;
  const std::string absolute = (dir.path() / "abs.db").string();  // starts with '/'
  ASSERT_THAT(OpenCatalog("sqlite:///" + absolute, "c"), IsOk());
  EXPECT_TRUE(std::filesystem::exists(absolute));
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  auto relative = OpenCatalog("sqlite:///rel.db", "c");
  std::filesystem::current_path(cwd);
  ASSERT_THAT(relative, IsOk());
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "rel.db"));
  EXPECT_THAT(OpenCatalog("sqlite://", "c"), IsOk());  // in memory
}

// Iceberg Java's JdbcCatalog V0 DDL (core/src/main/java/org/apache/iceberg/jdbc/JdbcUtil.java):
// no iceberg_type column, nullable property columns.
constexpr const char* kJdbcV0Tables =
    "CREATE TABLE iceberg_tables(catalog_name VARCHAR(255) NOT NULL,table_namespace VARCHAR(255) "
    "NOT NULL,table_name VARCHAR(255) NOT NULL,metadata_location VARCHAR(1000),"
    "previous_metadata_location VARCHAR(1000),PRIMARY KEY (catalog_name, table_namespace, "
    "table_name));"
    "CREATE TABLE iceberg_namespace_properties(catalog_name VARCHAR(255) NOT NULL,namespace "
    "VARCHAR(255) NOT NULL,property_key VARCHAR(255),property_value VARCHAR(1000),PRIMARY KEY "
    "(catalog_name, namespace, property_key));";

TEST(SqlCatalogSchemaTest, UsesJdbcV0TablesAsTheyAre) {
  TempDir dir;
  const auto file = dir.path() / "jdbc.db";
  RunSql(file, kJdbcV0Tables);
  RunSql(file, "INSERT INTO iceberg_tables VALUES ('java', 'db', 'events', 'm1', NULL)");

  auto opened = OpenCatalog(file.string(), "java");
  ASSERT_THAT(opened, IsOk());
  Catalog& catalog = **opened;

  EXPECT_FALSE(dynamic_cast<SqlCatalog&>(catalog).has_iceberg_type());
  EXPECT_THAT(catalog.NamespaceExists({"db"}), HasValue(true));  // by its table alone
  EXPECT_THAT(catalog.LoadTable(Id("db.events")), HasValue(std::string("m1")));
  ASSERT_THAT(catalog.CommitTable(Id("db.events"), "m1", "m2"), IsOk());
  ASSERT_THAT(catalog.CreateTable(Id("db.more"), "n1"), IsOk());
  EXPECT_THAT(catalog.ListTables({"db"}), HasValue(Tables{Id("db.events"), Id("db.more")}));
}

TEST(SqlCatalogSchemaTest, ViewRowsAreNotTables) {
  TempDir dir;
  const auto file = dir.path() / "v1.db";
  {
    auto opened = OpenCatalog(file.string(), "c");
    ASSERT_THAT(opened, IsOk());
    ASSERT_TRUE(dynamic_cast<SqlCatalog&>(**opened).has_iceberg_type());
  }
  RunSql(file,
         "INSERT INTO iceberg_tables VALUES ('c', 'ns', 'v', 'vm1', NULL, 'VIEW');"
         "INSERT INTO iceberg_tables VALUES ('c', 'ns', 'old', 'om1', NULL, NULL);");

  auto opened = OpenCatalog(file.string(), "c");
  ASSERT_THAT(opened, IsOk());

  EXPECT_THAT((*opened)->ListTables({"ns"}), HasValue(Tables{Id("ns.old")}));
  EXPECT_THAT((*opened)->LoadTable(Id("ns.v")), IsError(ErrorCode::kNotFound));
  EXPECT_THAT((*opened)->CommitTable(Id("ns.v"), "vm1", "vm2"), IsError(ErrorCode::kNotFound));
  EXPECT_THAT((*opened)->DropTable(Id("ns.v")), IsError(ErrorCode::kNotFound));
}

TEST(OpenCatalogTest, BadUrisAreClearErrors) {
  EXPECT_THAT(OpenCatalog("mysql://u@h/db", "c"),
              HasMessage("catalog URI 'mysql://u@h/db' is not supported (unknown scheme 'mysql')"));
  EXPECT_THAT(OpenCatalog("catalog.txt", "c"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(OpenCatalog("sqlite://host/c.db", "c"), HasMessage("a SQLite URI has no host"));
  EXPECT_THAT(OpenCatalog("sqlite:///", "c"), HasMessage("no database path"));
  EXPECT_THAT(OpenCatalog("sqlite://", ""), HasMessage("the catalog name is empty"));
}

TEST(OpenCatalogTest, MissingSqliteDirectoryIsNamed) {
  auto opened = OpenCatalog("sqlite:////nonexistent/dir/catalog.db", "c");

  EXPECT_THAT(opened, IsError(ErrorCode::kIo));
  EXPECT_THAT(opened, HasMessage("catalog sqlite:////nonexistent/dir/catalog.db: directory "
                                 "'/nonexistent/dir' does not exist"));
}

TEST(OpenCatalogTest, FileThatIsNotADatabaseIsNamed) {
  TempDir dir;
  const auto file = dir.path() / "text.db";
  { std::ofstream(file) << "this is not a SQLite database, just some text long enough\n"; }

  auto opened = OpenCatalog(file.string(), "c");

  EXPECT_THAT(opened, IsError(ErrorCode::kIo));
  EXPECT_THAT(opened, HasMessage(file.string() + ": file is not a database"));
}

TEST(OpenCatalogTest, RefusedPostgresConnectionIsNamedWithoutPassword) {
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  auto opened = OpenCatalog("postgresql+psycopg2://ana:secret@127.0.0.1:1/iceberg", "c");

  EXPECT_THAT(opened, IsError(ErrorCode::kUnavailable));
  EXPECT_THAT(opened, HasMessage("catalog postgresql+psycopg2://ana:***@127.0.0.1:1/iceberg: "
                                 "cannot connect"));
  EXPECT_THAT(opened.error().message(), ::testing::Not(::testing::HasSubstr("secret")));
}

// Two writers with their own connections commit to one table, each reloading and retrying on a
// conflict: every commit lands once, so following previous-location links from the final
// location walks through all of them. Each round both writers load, then both swap (a barrier
// between), so while both run every round is a real race that exactly one of them wins.
TEST_P(SqlCatalogTest, EveryConcurrentCommitLandsExactlyOnce) {
  const std::string uri = uri_;
  const std::string name = name_;
  ASSERT_THAT(catalog_->CreateNamespace({"ns"}, {}), IsOk());
  ASSERT_THAT(catalog_->CreateTable(Id("ns.t"), "start"), IsOk());
  constexpr int kCommits = 100;
  std::map<std::string, std::string> previous[2];  // new -> previous, per writer
  int retries[2] = {0, 0};
  std::vector<bool> won[2];  // per round
  std::string failures[2];
  std::barrier sync(2);
  auto commit_all = [&](int w) {
    auto catalog = OpenCatalog(uri, name);
    if (!catalog) {
      failures[w] = catalog.error().ToString();
      return;
    }
    for (int i = 0; i < kCommits;) {
      const std::string next = "w" + std::to_string(w) + "-" + std::to_string(i);
      auto current = (*catalog)->LoadTable(Id("ns.t"));
      if (!current) {
        failures[w] = current.error().ToString();
        return;
      }
      sync.arrive_and_wait();  // both have loaded
      Status s = (*catalog)->CommitTable(Id("ns.t"), *current, next);
      sync.arrive_and_wait();  // both have tried before either reloads
      won[w].push_back(s.has_value());
      if (s) {
        previous[w][next] = *current;
        ++i;
      } else if (s.error().code() == ErrorCode::kConflict) {
        ++retries[w];
      } else {
        failures[w] = s.error().ToString();
        return;
      }
    }
  };
  auto writer = [&](int w) {
    commit_all(w);
    sync.arrive_and_drop();  // the other writer goes on alone
  };

  std::thread a(writer, 0), b(writer, 1);
  a.join();
  b.join();

  ASSERT_EQ(failures[0], "");
  ASSERT_EQ(failures[1], "");
  std::map<std::string, std::string> links = previous[0];
  links.insert(previous[1].begin(), previous[1].end());
  ASSERT_EQ(links.size(), 2u * kCommits);
  auto location = catalog_->LoadTable(Id("ns.t"));
  ASSERT_THAT(location, IsOk());
  std::set<std::string> seen;
  std::string at = *location;
  while (at != "start") {
    ASSERT_TRUE(seen.insert(at).second) << "cycle at " << at;
    ASSERT_TRUE(links.contains(at)) << "no commit produced " << at;
    at = links[at];
  }
  EXPECT_EQ(seen.size(), 2u * kCommits);  // no commit lost from the chain
  // While both ran, each round had exactly one winner (two would be a lost update, none a
  // false conflict).
  const size_t shared_rounds = std::min(won[0].size(), won[1].size());
  EXPECT_GE(shared_rounds, size_t{kCommits});
  for (size_t r = 0; r < shared_rounds; ++r) {
    ASSERT_NE(won[0][r], won[1][r]) << "round " << r;
  }
  EXPECT_EQ(retries[0] + retries[1], static_cast<int>(shared_rounds));
}

}  // namespace
}  // namespace cqlbulk::iceberg
