// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/types/type_parser.h"

#include "testing/matchers.h"
#include "value_test_util.h"

namespace cqlbulk::cql {
namespace {

using ::cqlbulk::testing::HasMessage;
using ::cqlbulk::testing::IsError;

class TypeParserTest : public ::testing::Test {
 protected:
  TypeParserTest() {
    udt_ = DataType::Udt("ks", "udt_ab", {"a", "b"},
                         {DataType::Native(TypeId::kInt), DataType::Native(TypeId::kVarchar)});
    quoted_ = DataType::Udt("ks", "MyType", {"x"}, {DataType::Native(TypeId::kInt)});
    resolver_ = [this](std::string_view keyspace, std::string_view name) -> DataTypePtr {
      last_keyspace_ = std::string(keyspace);
      if (name == "udt_ab") return udt_;
      if (name == "MyType") return quoted_;
      return nullptr;
    };
  }

  std::string Roundtrip(std::string_view text) {
    auto t = ParseCqlType(text, resolver_);
    return t ? (*t)->ToCql() : "<" + t.error().ToString() + ">";
  }

  DataTypePtr udt_, quoted_;
  UdtResolver resolver_;
  std::string last_keyspace_;
};

TEST_F(TypeParserTest, ParsesNativeTypesCaseInsensitively) {
  EXPECT_EQ(Roundtrip("int"), "int");
  EXPECT_EQ(Roundtrip("  BigInt "), "bigint");
  EXPECT_EQ(Roundtrip("varchar"), "text");
  EXPECT_EQ(Roundtrip("TEXT"), "text");
  for (const char* name :
       {"ascii", "blob", "boolean", "counter", "date", "decimal", "double", "duration", "float",
        "inet", "smallint", "time", "timestamp", "timeuuid", "tinyint", "uuid", "varint"}) {
    EXPECT_EQ(Roundtrip(name), name);
  }
}

TEST_F(TypeParserTest, ParsesNestedAndFrozenTypes) {
  EXPECT_EQ(Roundtrip("frozen<map<text, frozen<list<int>>>>"),
            "frozen<map<text, frozen<list<int>>>>");
  EXPECT_EQ(Roundtrip("map < text , frozen < list < int > > >"), "map<text, frozen<list<int>>>");
  EXPECT_EQ(Roundtrip("Set<Frozen<Tuple<int, text>>>"), "set<tuple<int, text>>");
  EXPECT_EQ(Roundtrip("tuple<int, list<text>, udt_ab>"),
            "tuple<int, frozen<list<text>>, frozen<udt_ab>>");  // tuple members freeze
  EXPECT_EQ(Roundtrip("vector<float, 3>"), "vector<float, 3>");
  EXPECT_EQ(Roundtrip("VECTOR<vector<int,2>,1024>"), "vector<vector<int, 2>, 1024>");
  EXPECT_EQ(Roundtrip("list<frozen<udt_ab>>"), "list<frozen<udt_ab>>");
}

TEST_F(TypeParserTest, ResolvesQuotedAndQualifiedUdts) {
  auto plain = ParseCqlType("udt_ab", resolver_);
  auto qualified = ParseCqlType("KS.UDT_AB", resolver_);
  std::string qualified_keyspace = last_keyspace_;
  auto quoted = ParseCqlType("\"MyType\"", resolver_);

  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(**plain, *udt_);
  EXPECT_FALSE((*plain)->frozen);
  ASSERT_TRUE(qualified.has_value());
  EXPECT_EQ(qualified_keyspace, "ks");
  ASSERT_TRUE(quoted.has_value());
  EXPECT_EQ((*quoted)->name, "MyType");
  EXPECT_TRUE((*ParseCqlType("frozen<udt_ab>", resolver_))->frozen);
  EXPECT_THAT(ParseCqlType("mytype", resolver_), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(ParseCqlType("udt_ab"), IsError(ErrorCode::kNotFound));
}

TEST_F(TypeParserTest, MapsCustomClasses) {
  auto duration = ParseCqlType("'org.apache.cassandra.db.marshal.DurationType'");
  auto custom = ParseCqlType("'com.example.PointType'");

  EXPECT_EQ((*duration)->id, TypeId::kDuration);
  EXPECT_EQ((*custom)->id, TypeId::kCustom);
  EXPECT_EQ((*custom)->custom_class, "com.example.PointType");
}

TEST_F(TypeParserTest, AppliesCassandrasNestingRules) {
  EXPECT_THAT(ParseCqlType("list<list<int>>"), HasMessage("non-frozen collections"));
  EXPECT_THAT(ParseCqlType("map<int, set<int>>"), HasMessage("non-frozen collections"));
  EXPECT_THAT(ParseCqlType("list<udt_ab>", resolver_), HasMessage("non-frozen UDTs"));
  EXPECT_THAT(ParseCqlType("frozen<int>"), HasMessage("frozen<> is only allowed"));
  EXPECT_THAT(ParseCqlType("set<counter>"), HasMessage("counters"));
  EXPECT_THAT(ParseCqlType("set<duration>"), HasMessage("durations"));
  EXPECT_THAT(ParseCqlType("map<duration, int>"), HasMessage("durations"));
  EXPECT_THAT(ParseCqlType("vector<float, 0>"), HasMessage("dimension"));
}

TEST_F(TypeParserTest, NamesTextAndPositionInErrors) {
  EXPECT_THAT(ParseCqlType("list<int"),
              HasMessage("invalid CQL type 'list<int' at position 8: expected '>'"));
  EXPECT_THAT(ParseCqlType("map<int>"), HasMessage("at position 7: expected ','"));
  EXPECT_THAT(ParseCqlType("int int"), HasMessage("at position 4"));
  EXPECT_THAT(ParseCqlType(""), HasMessage("expected a type"));
  EXPECT_THAT(ParseCqlType("foo<int>"), HasMessage("unknown parameterised type"));
  EXPECT_THAT(ParseCqlType("'unterminated"), HasMessage("unterminated"));
}

TEST_F(TypeParserTest, RejectsDeepNesting) {
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += "frozen<list<";
  deep += "int";
  for (int i = 0; i < 1000; ++i) deep += ">>";

  EXPECT_THAT(ParseCqlType(deep), HasMessage("nested too deeply"));
}

}  // namespace
}  // namespace cqlbulk::cql
