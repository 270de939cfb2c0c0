// SPDX-License-Identifier: Apache-2.0
// Every CQL type goes in as a literal or a bound value and comes back with the same bytes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cqlbulk/cql/types/cql_literal.h"
#include "cqlbulk/cql/types/type_parser.h"
#include "cqlbulk/cql/types/value_codec.h"
#include "engine_test_util.h"

namespace cqlbulk::sim::testing {
namespace {

struct TypeCase {
  std::string type;
  std::string literal;
};

const std::vector<TypeCase>& Cases() {
  static const std::vector<TypeCase> kCases = {
      {"ascii", "'abc'"},
      {"bigint", "-9223372036854775808"},
      {"blob", "0xcafebabe"},
      {"boolean", "true"},
      {"date", "'2024-02-29'"},
      {"decimal", "-12.345e-7"},
      {"double", "3.5e300"},
      {"duration", "1y2mo3d4h5m6s7ms8us9ns"},
      {"float", "-0.125"},
      {"inet", "'2001:db8::1'"},
      {"int", "-42"},
      {"smallint", "32767"},
      {"text", "'héllo ''quoted'''"},
      {"time", "'13:45:07.123456789'"},
      {"timestamp", "'2021-03-31T12:34:56.789Z'"},
      {"timeuuid", "d2177dd0-eaa2-11de-a572-001b779c76e3"},
      {"tinyint", "-128"},
      {"uuid", "550e8400-e29b-41d4-a716-446655440000"},
      {"varint", "123456789012345678901234567890"},
      {"list<int>", "[3, 1, 2]"},
      {"set<text>", "{'b', 'a', 'c'}"},
      {"map<text, int>", "{'z': 1, 'a': 2}"},
      {"frozen<list<frozen<set<int>>>>", "[{2, 1}, {3}]"},
      {"frozen<map<int, frozen<list<text>>>>", "{2: ['x'], 1: ['y', 'z']}"},
      {"tuple<int, text, boolean>", "(1, 'a', false)"},
      {"frozen<addr>", "{street: 'Main', no: 5}"},
      {"addr", "{street: 'Side', no: 7}"},
      {"vector<float, 3>", "[1.5, -2.0, 0.25]"},
  };
  return kCases;
}

class EngineTypesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    f_.Exec("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    f_.Exec("CREATE TYPE ks.addr (street text, no int)");
  }

  cql::DataTypePtr TypeOf(const std::string& text) {
    const KeyspaceSchema* ks = f_.engine().schema()->FindKeyspace("ks");
    auto type = cql::ParseCqlType(text, [&](std::string_view, std::string_view name) -> cql::DataTypePtr {
      auto it = ks->types.find(std::string(name));
      return it == ks->types.end() ? nullptr : it->second->AsDataType(false);
    });
    EXPECT_TRUE(type.has_value()) << text;
    return *type;
  }

  EngineFixture f_;
};

TEST_F(EngineTypesTest, LiteralsAndBoundValuesRoundTripWithTheSameBytes) {
  for (size_t i = 0; i < Cases().size(); ++i) {
    const TypeCase& c = Cases()[i];
    SCOPED_TRACE(c.type);
    std::string table = "ks.t" + std::to_string(i);
    f_.Exec("CREATE TABLE " + table + " (k int PRIMARY KEY, v " + c.type + ")");
    cql::DataTypePtr type = TypeOf(c.type);
    auto value = cql::ParseCqlLiteral(*type, c.literal);
    ASSERT_TRUE(value.has_value()) << value.error().ToString();
    auto expected = cql::EncodeValueToBytes(*type, *value);
    ASSERT_TRUE(expected.has_value());

    f_.Exec("INSERT INTO " + table + " (k, v) VALUES (1, " + c.literal + ")");
    f_.Exec("INSERT INTO " + table + " (k, v) VALUES (?, ?)", {Int(2), cql::BoundValue::Of(*expected)});
    Rows rows = f_.Select("SELECT k, v FROM " + table);

    ASSERT_EQ(rows.size(), 2u);
    for (size_t r = 0; r < 2; ++r) {
      ASSERT_TRUE(rows.cells[r][1].has_value());
      EXPECT_EQ(*rows.cells[r][1], *expected) << "row " << r;
    }
    EXPECT_TRUE(*rows.types[1] == *type) << rows.types[1]->ToCql();
  }
}

TEST_F(EngineTypesTest, TypedKeysWorkForEveryFrozenType) {
  for (size_t i = 0; i < Cases().size(); ++i) {
    const TypeCase& c = Cases()[i];
    if (c.type == "duration" || c.type == "addr" || c.type.starts_with("list") ||
        c.type.starts_with("set") || c.type.starts_with("map")) {
      continue;  // not allowed in a primary key
    }
    SCOPED_TRACE(c.type);
    std::string table = "ks.k" + std::to_string(i);
    f_.Exec("CREATE TABLE " + table + " (p " + c.type + ", c " + c.type + ", v int, PRIMARY KEY (p, c))");

    f_.Exec("INSERT INTO " + table + " (p, c, v) VALUES (" + c.literal + ", " + c.literal + ", 7)");
    Rows rows = f_.Select("SELECT v FROM " + table + " WHERE p = " + c.literal + " AND c = " + c.literal);

    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows.Text(0, 0), "7");
  }
}

TEST_F(EngineTypesTest, WrongBoundValueSizeIsInvalid) {
  f_.Exec("CREATE TABLE ks.w (k int PRIMARY KEY, v bigint)");

  auto error = ErrorOf(f_.Query("INSERT INTO ks.w (k, v) VALUES (?, ?)", {Int(1), Int(2)}));
  auto literal = ErrorOf(f_.Query("INSERT INTO ks.w (k, v) VALUES (1, 'text')"));

  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, 0x2200);
  EXPECT_EQ(error->message, "Expected 8 or 0 byte long (4)");
  ASSERT_TRUE(literal.has_value());
  EXPECT_EQ(literal->message, "Invalid STRING constant ('text') for \"v\" of type bigint");
}

TEST_F(EngineTypesTest, UnsetValuesLeaveColumnsUntouched) {
  f_.Exec("CREATE TABLE ks.u (k int PRIMARY KEY, a int, b int)");
  f_.Exec("INSERT INTO ks.u (k, a, b) VALUES (1, 10, 20)");

  f_.Exec("INSERT INTO ks.u (k, a, b) VALUES (?, ?, ?)", {Int(1), cql::BoundValue::Unset(), Int(21)});
  f_.Exec("INSERT INTO ks.u (k, a, b) VALUES (?, ?, ?)", {Int(1), cql::BoundValue::Null(), cql::BoundValue::Unset()});
  Rows rows = f_.Select("SELECT a, b FROM ks.u WHERE k = 1");

  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows.Lines()[0], "null|21");
}

TEST_F(EngineTypesTest, BoundSetsAndMapsAreStoredSortedAndWithoutDuplicates) {
  f_.Exec("CREATE TABLE ks.fc (k int, c frozen<set<int>>, m frozen<map<int, text>>, s set<int>, "
          "n frozen<list<frozen<set<int>>>>, tu frozen<tuple<int, frozen<set<int>>>>, "
          "PRIMARY KEY (k, c))");
  f_.Exec("CREATE TABLE ks.fp (k frozen<map<int, int>> PRIMARY KEY, v int)");
  auto ints = [](std::vector<int32_t> v) {
    cql::Value::Elements e;
    for (int32_t x : v) e.push_back(cql::Value::Int(x));
    return cql::Value::Set(std::move(e));
  };
  cql::DataTypePtr set_type = TypeOf("frozen<set<int>>");
  cql::DataTypePtr map_type = TypeOf("frozen<map<int, text>>");
  cql::DataTypePtr key_type = TypeOf("frozen<map<int, int>>");
  cql::DataTypePtr nested_type = TypeOf("frozen<list<frozen<set<int>>>>");
  cql::DataTypePtr tuple_type = TypeOf("frozen<tuple<int, frozen<set<int>>>>");
  const std::string insert = "INSERT INTO ks.fc (k, c, m, s, n, tu) VALUES (1, ?, ?, ?, ?, ?)";

  f_.Exec(insert, {Encoded(*set_type, ints({3, 1, 2})),
                   Encoded(*map_type, cql::Value::Map({{cql::Value::Int(5), cql::Value::Text("a")},
                                                       {cql::Value::Int(2), cql::Value::Text("b")},
                                                       {cql::Value::Int(5), cql::Value::Text("c")}})),
                   Encoded(*TypeOf("set<int>"), ints({9, 7, 9})),
                   Encoded(*nested_type, cql::Value::List({ints({2, 1}), ints({0})})),
                   Encoded(*tuple_type, cql::Value::Tuple({cql::Value::Int(1), ints({3, 1, 1})}))});
  f_.Exec(insert, {Encoded(*set_type, ints({1, 2, 3})), cql::BoundValue::Unset(),
                   cql::BoundValue::Unset(), cql::BoundValue::Unset(), cql::BoundValue::Unset()});
  f_.Exec(insert, {Encoded(*set_type, ints({2, 1, 1})), cql::BoundValue::Unset(),
                   cql::BoundValue::Unset(), cql::BoundValue::Unset(), cql::BoundValue::Unset()});
  for (auto entries : {cql::Value::Entries{{cql::Value::Int(3), cql::Value::Int(0)},
                                           {cql::Value::Int(1), cql::Value::Int(0)}},
                       cql::Value::Entries{{cql::Value::Int(1), cql::Value::Int(0)},
                                           {cql::Value::Int(3), cql::Value::Int(0)}}}) {
    f_.Exec("INSERT INTO ks.fp (k, v) VALUES (?, 1)", {Encoded(*key_type, cql::Value::Map(entries))});
  }
  Rows rows = f_.Select("SELECT c, m, s, n, tu FROM ks.fc WHERE k = 1");
  Rows by_literal = f_.Select("SELECT c FROM ks.fc WHERE k = 1 AND c = {3, 2, 1}");
  Rows keys = f_.Select("SELECT token(k), k FROM ks.fp");
  Rows literal_key = f_.Select("SELECT token(k) FROM ks.fp WHERE k = {1: 0, 3: 0}");

  // One row per distinct set, as Cassandra keeps them; the map's repeated key takes its last
  // value; a bound tuple (or UDT) is kept as sent, its set included, as Cassandra 5.0 does.
  EXPECT_THAT(rows.Lines(),
              ::testing::ElementsAre("{1, 2}|null|null|null|null",
                                     "{1, 2, 3}|{2: 'b', 5: 'c'}|{7, 9}|[{1, 2}, {0}]|(1, {3, 1, 1})"));
  EXPECT_EQ(by_literal.size(), 1u);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys.Text(0, 1), "{1: 0, 3: 0}");
  ASSERT_EQ(literal_key.size(), 1u);
  EXPECT_EQ(literal_key.Text(0, 0), keys.Text(0, 0));
}

TEST_F(EngineTypesTest, BoundSetsInDescendingClusteringColumnsAreKeptAsSent) {
  // Cassandra prepares a marker for a DESC clustering column against its ReversedType, which is
  // not a collection type: the bound bytes are stored unsorted, a key apart from the sorted set
  // (checked against Cassandra 5.0.9). A literal is sorted as everywhere.
  f_.Exec("CREATE TABLE ks.fd (k int, c frozen<set<int>>, v text, PRIMARY KEY (k, c)) "
          "WITH CLUSTERING ORDER BY (c DESC)");
  cql::DataTypePtr set_type = TypeOf("frozen<set<int>>");
  auto ints = [&](std::vector<int32_t> v) {
    cql::Value::Elements e;
    for (int32_t x : v) e.push_back(cql::Value::Int(x));
    return Encoded(*set_type, cql::Value::Set(std::move(e)));
  };

  f_.Exec("INSERT INTO ks.fd (k, c, v) VALUES (1, ?, 'unsorted')", {ints({3, 1, 2, 3})});
  f_.Exec("INSERT INTO ks.fd (k, c, v) VALUES (1, ?, 'sorted')", {ints({1, 2, 3})});
  f_.Exec("INSERT INTO ks.fd (k, c, v) VALUES (1, {3, 2, 1}, 'literal')");
  Rows rows = f_.Select("SELECT c, v FROM ks.fd WHERE k = 1");
  Rows by_bound = f_.Select("SELECT v FROM ks.fd WHERE k = 1 AND c = ?", {ints({3, 1, 2, 3})});

  EXPECT_THAT(rows.Lines(),
              ::testing::ElementsAre("{3, 1, 2, 3}|'unsorted'", "{1, 2, 3}|'literal'"));
  ASSERT_EQ(by_bound.size(), 1u);
  EXPECT_EQ(by_bound.Text(0, 0), "'unsorted'");
}

TEST_F(EngineTypesTest, BoundCollectionsGiveIpv4MappedAddressesBackAsIpv4) {
  // Cassandra rebuilds a bound list, set or map through java.net.InetAddress, which turns
  // ::ffff:a.b.c.d into a.b.c.d; a bound scalar or tuple keeps its 16 bytes (checked against
  // Cassandra 5.0.9).
  f_.Exec("CREATE TABLE ks.ip (k int PRIMARY KEY, s inet, l list<inet>, st set<inet>, "
          "m map<inet, inet>, t tuple<inet>)");
  auto mapped = *cql::ParseCqlLiteral(*TypeOf("blob"), "0x00000000000000000000ffff01020304");
  auto inet = cql::Value::Inet(*cql::IpAddress::FromBytes(mapped.as_blob()));
  auto v4 = cql::Value::Inet(*cql::IpAddress::Parse("1.2.3.4"));

  f_.Exec("INSERT INTO ks.ip (k, s, l, st, m, t) VALUES (1, ?, ?, ?, ?, ?)",
          {Encoded(*TypeOf("inet"), inet), Encoded(*TypeOf("list<inet>"), cql::Value::List({inet})),
           Encoded(*TypeOf("set<inet>"), cql::Value::Set({inet, v4})),
           Encoded(*TypeOf("map<inet, inet>"), cql::Value::Map({{inet, inet}})),
           Encoded(*TypeOf("tuple<inet>"), cql::Value::Tuple({inet}))});
  Rows rows = f_.Select("SELECT s, l, st, m, t FROM ks.ip WHERE k = 1");

  ASSERT_EQ(rows.size(), 1u);
  const std::string kept = "blobAsInet(0x00000000000000000000ffff01020304)";
  EXPECT_EQ(rows.Lines()[0],
            kept + "|['1.2.3.4']|{'1.2.3.4'}|{'1.2.3.4': '1.2.3.4'}|(" + kept + ")");
}

TEST_F(EngineTypesTest, UpdatingACollectionKeepsBoundTuplesInItAsSent) {
  // A bound tuple keeps its bytes, an unsorted set in it included; adding to the list that
  // holds it must not sort that set.
  f_.Exec("CREATE TABLE ks.lt (k int PRIMARY KEY, l list<frozen<tuple<frozen<set<int>>>>>)");
  cql::Value::Elements unsorted;
  for (int32_t x : {3, 1, 2}) unsorted.push_back(cql::Value::Int(x));
  cql::Value tuple = cql::Value::Tuple({cql::Value::Set(std::move(unsorted))});

  f_.Exec("INSERT INTO ks.lt (k, l) VALUES (1, ?)",
          {Encoded(*TypeOf("list<frozen<tuple<frozen<set<int>>>>>"), cql::Value::List({tuple}))});
  f_.Exec("UPDATE ks.lt SET l = l + [({5, 4})] WHERE k = 1");
  Rows rows = f_.Select("SELECT l FROM ks.lt WHERE k = 1");

  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows.Text(0, 0), "[({3, 1, 2}), ({4, 5})]");
}

TEST_F(EngineTypesTest, FieldUpdateOfANonFrozenUdtKeepsItsOtherFieldsAsBound) {
  // Cassandra stores a bound non-frozen UDT field by field, each as sent: a field update
  // leaves the unsorted set in another field alone.
  f_.Exec("CREATE TYPE ks.tagged (x int, tags frozen<set<int>>)");
  f_.Exec("CREATE TABLE ks.ut (k int PRIMARY KEY, u tagged)");
  cql::Value::Elements unsorted;
  for (int32_t x : {3, 1, 2}) unsorted.push_back(cql::Value::Int(x));
  cql::Value udt = cql::Value::Udt({cql::Value::Int(1), cql::Value::Set(std::move(unsorted))});
  cql::DataTypePtr type = cql::DataType::Udt(
      "ks", "tagged", {"x", "tags"}, {TypeOf("int"), TypeOf("frozen<set<int>>")}, false);

  f_.Exec("INSERT INTO ks.ut (k, u) VALUES (1, ?)", {Encoded(*type, udt)});
  f_.Exec("UPDATE ks.ut SET u.x = 7 WHERE k = 1");
  Rows rows = f_.Select("SELECT u FROM ks.ut WHERE k = 1");

  ASSERT_EQ(rows.size(), 1u);
  const cql::Value u = rows.Value(0, 0);
  ASSERT_EQ(u.elements().size(), 2u);
  EXPECT_EQ(u.elements()[0].as_int64(), 7);
  std::vector<int64_t> tags;
  for (const cql::Value& e : u.elements()[1].elements()) tags.push_back(e.as_int64());
  EXPECT_THAT(tags, ::testing::ElementsAre(3, 1, 2));
}

}  // namespace
}  // namespace cqlbulk::sim::testing
