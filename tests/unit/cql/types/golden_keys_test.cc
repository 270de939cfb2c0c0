// SPDX-License-Identifier: Apache-2.0
// Partition keys of murmur3_tokens.json: the CQL literal a client wrote, and the key bytes a
// real Cassandra 4.0 returned for it.
#include <string>

#include "cqlbulk/cql/types/cql_literal.h"
#include "cqlbulk/cql/types/type_parser.h"
#include "cqlbulk/cql/types/value_codec.h"
#include "testing/matchers.h"
#include "testing/testdata.h"
#include "value_test_util.h"

namespace cqlbulk::cql {
namespace {

using ::cqlbulk::testing::Hex;

class GoldenKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    golden_ = cqlbulk::testing::LoadTestdataJson("murmur3_tokens.json");
    udts_.AddFromJson(golden_["keyspace"].get<std::string>(), golden_["udts"]);
  }

  std::vector<DataTypePtr> KeyTypes(const nlohmann::json& table) {
    std::vector<DataTypePtr> types;
    for (const auto& name : table["key_types"]) {
      auto t = ParseCqlType(name.get<std::string>(), udts_.Resolver());
      EXPECT_TRUE(t.has_value()) << name;
      types.push_back(t ? *t : DataType::Native(TypeId::kBlob));
    }
    return types;
  }

  /// The literal's bytes, or "<error>".
  static std::string LiteralHex(const DataType& type, const std::string& literal) {
    auto value = ParseCqlLiteral(type, literal);
    if (!value) return "<" + value.error().ToString() + ">";
    auto bytes = EncodeValueToBytes(type, *value);
    if (!bytes) return "<" + bytes.error().ToString() + ">";
    return ToHex(*bytes);
  }

  nlohmann::json golden_;
  testing::UdtRegistry udts_;
};

TEST_F(GoldenKeysTest, EveryKeyLiteralEncodesToTheServersKeyBytes) {
  int components = 0;

  for (const auto& table : golden_["tables"]) {
    std::vector<DataTypePtr> types = KeyTypes(table);
    for (const auto& row : table["rows"]) {
      for (size_t i = 0; i < types.size(); ++i) {
        std::string literal = row["cql_literals"][i].get<std::string>();
        std::string want = row["key_hex"][i].get<std::string>();

        EXPECT_EQ(LiteralHex(*types[i], literal), want)
            << table["table"] << " " << types[i]->ToCql() << " " << literal;
        ++components;
      }
    }
  }
  EXPECT_EQ(components, 790);
}

TEST_F(GoldenKeysTest, EveryKeyDecodesAndReencodesExactly) {
  int checked = 0;

  for (const auto& table : golden_["tables"]) {
    std::vector<DataTypePtr> types = KeyTypes(table);
    for (const auto& row : table["rows"]) {
      for (size_t i = 0; i < types.size(); ++i) {
        Bytes bytes = Hex(row["key_hex"][i].get<std::string>());
        SCOPED_TRACE(types[i]->ToCql() + " " + row["cql_literals"][i].get<std::string>());

        CQLBULK_ASSERT_OK_AND_ASSIGN(Value decoded, DecodeValue(*types[i], bytes));
        CQLBULK_ASSERT_OK_AND_ASSIGN(
            Value parsed, ParseCqlLiteral(*types[i], row["cql_literals"][i].get<std::string>()));
        CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes again, EncodeValueToBytes(*types[i], decoded));
        std::string formatted = FormatCqlLiteral(*types[i], decoded);

        EXPECT_EQ(decoded, parsed);
        EXPECT_EQ(ToHex(again), ToHex(bytes));
        EXPECT_EQ(LiteralHex(*types[i], formatted), ToHex(bytes)) << formatted;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 790);
}

TEST_F(GoldenKeysTest, CompositeRoutingKeysAreLengthPrefixedComponents) {
  int checked = 0;

  for (const auto& table : golden_["tables"]) {
    if (table["key_types"].size() < 2) continue;
    std::vector<DataTypePtr> types = KeyTypes(table);
    for (const auto& row : table["rows"]) {
      ByteWriter routing;
      for (size_t i = 0; i < types.size(); ++i) {
        CQLBULK_ASSERT_OK_AND_ASSIGN(
            Value v, ParseCqlLiteral(*types[i], row["cql_literals"][i].get<std::string>()));
        CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes b, EncodeValueToBytes(*types[i], v));
        routing.WriteU16(static_cast<uint16_t>(b.size()));
        routing.WriteBytes(b);
        routing.WriteU8(0);
      }

      EXPECT_EQ(ToHex(routing.view()), row["routing_key_hex"].get<std::string>());
      ++checked;
    }
  }
  EXPECT_EQ(checked, 60);
}

TEST_F(GoldenKeysTest, OverwrittenLiteralsEncodeLikeTheLiteralThatReplacedThem) {
  int checked = 0;

  for (const auto& table : golden_["tables"]) {
    if (!table.contains("overwritten")) continue;
    std::vector<DataTypePtr> types = KeyTypes(table);
    for (const auto& o : table["overwritten"]) {
      std::string a = o["cql_literals"][0].get<std::string>();
      std::string b = o["same_key_as"][0].get<std::string>();

      EXPECT_EQ(LiteralHex(*types[0], a), LiteralHex(*types[0], b)) << a << " vs " << b;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 3);
}

TEST_F(GoldenKeysTest, ADateWithAnUnsignedFiveDigitYearIsRejectedAsByTheServer) {
  // The other rejected keys ('' text/ascii, 0x blob) are valid values that Cassandra refuses
  // only as partition keys ("Key may not be empty"): that rule belongs to the caller.
  auto date = DataType::Native(TypeId::kDate);

  EXPECT_THAT(ParseCqlLiteral(*date, "'10000-01-01'"),
              cqlbulk::testing::IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ParseCqlLiteral(*date, "'+10000-01-01'"), cqlbulk::testing::IsOk());
}

}  // namespace
}  // namespace cqlbulk::cql
