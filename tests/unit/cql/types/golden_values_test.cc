// SPDX-License-Identifier: Apache-2.0
// Every value of cql_values.json (bytes a real Cassandra 4.0 returned) against our codecs.
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

struct GoldenType {
  std::string cql_type;
  DataTypePtr declared;  // ParseCqlType(cql_type)
  DataTypePtr wire;      // ReadOption(result_type_option_hex)
  nlohmann::json entry;
};

class GoldenValuesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    golden_ = cqlbulk::testing::LoadTestdataJson("cql_values.json");
    udts_.AddFromJson(golden_["keyspace"].get<std::string>(), golden_["udts"]);
    for (const auto& t : golden_["types"]) {
      GoldenType g;
      g.cql_type = t["cql_type"].get<std::string>();
      auto declared = ParseCqlType(g.cql_type, udts_.Resolver());
      ASSERT_TRUE(declared.has_value()) << declared.error().ToString();
      g.declared = *declared;
      Bytes option = Hex(t["result_type_option_hex"].get<std::string>());
      ByteReader r(option, ErrorCode::kProtocol);
      auto wire = ReadOption(r);
      ASSERT_TRUE(wire.has_value()) << wire.error().ToString();
      g.wire = *wire;
      g.entry = t;
      types_.push_back(std::move(g));
    }
  }

  static bool ReadsBackAsNull(const nlohmann::json& v) {
    return v.contains("note") &&
           v["note"].get<std::string>().find("reads back as null") != std::string::npos;
  }

  nlohmann::json golden_;
  testing::UdtRegistry udts_;
  std::vector<GoldenType> types_;
};

TEST_F(GoldenValuesTest, DeclaredTypesMatchTheServersTypeDescriptors) {
  ASSERT_EQ(types_.size(), 35u);

  for (const auto& t : types_) {
    EXPECT_EQ(*t.declared, *t.wire) << t.cql_type << " vs " << t.wire->ToCql();
    EXPECT_EQ(t.declared->frozen,
              t.cql_type.starts_with("frozen<") || t.cql_type.starts_with("tuple"))
        << t.cql_type;
  }
}

TEST_F(GoldenValuesTest, EveryValueDecodesToItsLiteralAndEncodesBackToTheSameBytes) {
  int checked = 0;

  for (const auto& t : types_) {
    for (const auto& v : t.entry["values"]) {
      if (v["hex"].is_null()) continue;
      std::string literal = v["cql_literal"].get<std::string>();
      SCOPED_TRACE(t.cql_type + " " + literal);
      Bytes bytes = Hex(v["hex"].get<std::string>());

      CQLBULK_ASSERT_OK_AND_ASSIGN(Value decoded, DecodeValue(*t.wire, bytes));
      CQLBULK_ASSERT_OK_AND_ASSIGN(Value parsed, ParseCqlLiteral(*t.declared, literal));
      CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes reencoded, EncodeValueToBytes(*t.wire, decoded));
      CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes from_literal, EncodeValueToBytes(*t.declared, parsed));

      EXPECT_EQ(decoded, parsed);
      EXPECT_EQ(ToHex(reencoded), ToHex(bytes));
      EXPECT_EQ(ToHex(from_literal), ToHex(bytes));
      ++checked;
    }
  }
  EXPECT_EQ(checked, 207);
}

TEST_F(GoldenValuesTest, FormattedLiteralsParseBackToTheSameBytes) {
  int checked = 0;

  for (const auto& t : types_) {
    for (const auto& v : t.entry["values"]) {
      if (v["hex"].is_null()) continue;
      Bytes bytes = Hex(v["hex"].get<std::string>());
      CQLBULK_ASSERT_OK_AND_ASSIGN(Value decoded, DecodeValue(*t.wire, bytes));
      std::string formatted = FormatCqlLiteral(*t.declared, decoded);
      SCOPED_TRACE(t.cql_type + " " + formatted);

      CQLBULK_ASSERT_OK_AND_ASSIGN(Value reparsed, ParseCqlLiteral(*t.declared, formatted));
      CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes again, EncodeValueToBytes(*t.declared, reparsed));

      EXPECT_EQ(ToHex(again), ToHex(bytes));
      ++checked;
    }
  }
  EXPECT_EQ(checked, 207);
}

TEST_F(GoldenValuesTest, NullLiteralsAreNullValues) {
  int checked = 0;

  for (const auto& t : types_) {
    for (const auto& v : t.entry["values"]) {
      if (!v["hex"].is_null() || ReadsBackAsNull(v)) continue;
      SCOPED_TRACE(t.cql_type);

      CQLBULK_ASSERT_OK_AND_ASSIGN(
          Value parsed, ParseCqlLiteral(*t.declared, v["cql_literal"].get<std::string>()));
      CQLBULK_ASSERT_OK_AND_ASSIGN(Value decoded, DecodeNullableValue(*t.wire, std::nullopt));
      ByteWriter w;
      CQLBULK_ASSERT_OK(EncodeValueAsBytes(*t.wire, parsed, w));

      EXPECT_TRUE(parsed.is_null());
      EXPECT_TRUE(decoded.is_null());
      EXPECT_EQ(ToHex(w.view()), "ffffffff");
      ++checked;
    }
  }
  EXPECT_EQ(checked, 35);
}

// Deliberate exception: a non-frozen empty collection, or a non-frozen UDT whose fields are all
// null, is stored as no cells and reads back as null. Our literal still means the empty value;
// the frozen forms of the same literals do come back as bytes (checked above).
TEST_F(GoldenValuesTest, NonFrozenEmptyValuesReadBackAsNullOnTheServerOnly) {
  int checked = 0;

  for (const auto& t : types_) {
    for (const auto& v : t.entry["values"]) {
      if (!ReadsBackAsNull(v)) continue;
      SCOPED_TRACE(t.cql_type + " " + v["cql_literal"].get<std::string>());

      CQLBULK_ASSERT_OK_AND_ASSIGN(
          Value parsed, ParseCqlLiteral(*t.declared, v["cql_literal"].get<std::string>()));

      EXPECT_FALSE(t.declared->frozen);
      if (parsed.kind() == ValueKind::kUdt) {
        for (const Value& field : parsed.elements()) EXPECT_TRUE(field.is_null());
      } else if (parsed.kind() == ValueKind::kMap) {
        EXPECT_TRUE(parsed.entries().empty());
      } else {
        EXPECT_TRUE(parsed.elements().empty());
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 5);
}

TEST_F(GoldenValuesTest, KeepsTheServersBytesWhereThePythonDriverCannot) {
  // blobAsBoolean(0x02) (the driver re-sends 01) and timestamps at INT64 min/max (the driver
  // overflows): the server's bytes are the reference, and we keep them.
  int checked = 0;

  for (const auto& t : types_) {
    for (const auto& v : t.entry["values"]) {
      if (!v.contains("driver_reserialized_hex") && !v.contains("driver_error")) continue;
      Bytes bytes = Hex(v["hex"].get<std::string>());
      SCOPED_TRACE(t.cql_type + " " + v["cql_literal"].get<std::string>());

      CQLBULK_ASSERT_OK_AND_ASSIGN(Value decoded, DecodeValue(*t.wire, bytes));
      CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes again, EncodeValueToBytes(*t.wire, decoded));

      EXPECT_EQ(ToHex(again), ToHex(bytes));
      if (v.contains("driver_reserialized_hex")) {
        EXPECT_NE(ToHex(again), v["driver_reserialized_hex"].get<std::string>());
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 3);
}

TEST_F(GoldenValuesTest, RejectedLiteralsAreRejected) {
  int checked = 0;

  for (const auto& t : types_) {
    if (!t.entry.contains("rejected")) continue;
    for (const auto& r : t.entry["rejected"]) {
      std::string literal = r["cql_literal"].get<std::string>();
      SCOPED_TRACE(t.cql_type + " " + literal + " (server: " + r["error"].get<std::string>() + ")");

      auto parsed = ParseCqlLiteral(*t.declared, literal);

      EXPECT_THAT(parsed, cqlbulk::testing::IsError(ErrorCode::kInvalidArgument));
      ++checked;
    }
  }
  EXPECT_EQ(checked, 6);
}

TEST_F(GoldenValuesTest, EmptyValuesAreAcceptedExactlyWhereTheServerAcceptedThem) {
  // blobAs<type>(0x) came back as a zero-length value for these; the server refused it for
  // date, time, smallint and tinyint (the rejected rows above).
  int empty = 0;

  for (const auto& t : types_) {
    for (const auto& v : t.entry["values"]) {
      if (v["hex"].is_null() || !v["hex"].get<std::string>().empty()) continue;
      SCOPED_TRACE(t.cql_type);

      CQLBULK_ASSERT_OK_AND_ASSIGN(Value decoded, DecodeValue(*t.wire, BytesView()));
      TypeId id = t.wire->id;

      bool is_string = id == TypeId::kAscii || id == TypeId::kVarchar || id == TypeId::kBlob;
      EXPECT_EQ(decoded.is_empty(), !is_string);
      ++empty;
    }
  }
  EXPECT_EQ(empty, 15);
}

}  // namespace
}  // namespace cqlbulk::cql
