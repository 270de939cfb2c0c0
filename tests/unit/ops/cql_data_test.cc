// SPDX-License-Identifier: Apache-2.0
// The adapter between CQL values and data batches: type mapping, the ROWS decoder, the load
// encoder, checked against cql_values.json (bytes a real Cassandra 4.0 returned) and against the
// cql module's own codec.
#include "cqlbulk/ops/cql_data.h"

#include <bit>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "cqlbulk/cql/protocol/rows.h"
#include "cqlbulk/cql/types/type_parser.h"
#include "cqlbulk/cql/types/value.h"
#include "cqlbulk/cql/types/value_codec.h"
#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/data/debug_string.h"
#include "testing/matchers.h"
#include "testing/testdata.h"

namespace cqlbulk::ops {
namespace {

using ::cqlbulk::testing::HasMessage;
using ::cqlbulk::testing::Hex;
using ::cqlbulk::testing::IsError;
using ::cqlbulk::testing::IsOk;
using cql::DataType;
using cql::DataTypePtr;
using cql::TypeId;
using cql::Value;
using cql::ValueKind;
using data::Column;
using data::LogicalType;
using data::LogicalTypePtr;
using data::TypeKind;
using ::testing::AllOf;

// --- helpers ---------------------------------------------------------------------------------

DataTypePtr Native(TypeId id) { return DataType::Native(id); }

DataTypePtr UdtAb() {
  return DataType::Udt("ks", "udt_ab", {"a", "b"}, {Native(TypeId::kInt), Native(TypeId::kVarchar)},
                       true);
}

DataTypePtr Parse(const std::string& text) {
  auto resolver = [](std::string_view, std::string_view name) -> DataTypePtr {
    return name == "udt_ab" ? UdtAb() : nullptr;
  };
  auto type = cql::ParseCqlType(text, resolver);
  EXPECT_TRUE(type.has_value()) << text << ": " << type.error().ToString();
  return type.has_value() ? *type : nullptr;
}

cql::RowsMetadata Columns(const std::vector<DataTypePtr>& types) {
  cql::RowsMetadata m;
  m.columns_count = static_cast<int32_t>(types.size());
  m.global_table = cql::TableSpec{"ks", "t"};
  for (size_t i = 0; i < types.size(); ++i) {
    m.columns.push_back({"ks", "t", "c" + std::to_string(i), types[i]});
  }
  return m;
}

/// A RESULT Rows body: one row per entry of `cells`, each as wide as `metadata`.
Bytes RowsBody(const cql::RowsMetadata& metadata,
               const std::vector<std::vector<std::optional<Bytes>>>& cells, int version = 5) {
  cql::RowsBuilder builder(metadata, version);
  for (const auto& row : cells) {
    for (const auto& cell : row) {
      builder.AddNullableCell(cell ? std::optional<BytesView>(*cell) : std::nullopt);
    }
  }
  auto body = std::move(builder).FinishBody();
  EXPECT_TRUE(body.has_value()) << body.error().ToString();
  return body.has_value() ? *body : Bytes{};
}

/// Decodes the one-column cells into a batch (one row per cell).
Result<data::Batch> DecodeCells(const DataTypePtr& type,
                                const std::vector<std::optional<Bytes>>& cells,
                                int version = 5) {
  cql::RowsMetadata metadata = Columns({type});
  std::vector<std::vector<std::optional<Bytes>>> rows;
  for (const auto& cell : cells) {
    rows.push_back({cell});
  }
  Bytes body = RowsBody(metadata, rows, version);
  CQLBULK_ASSIGN_OR_RETURN(cql::RowsResult result, cql::ParseRowsResult(body, version));
  CQLBULK_ASSIGN_OR_RETURN(RowDecoder decoder, RowDecoder::Make(metadata));
  data::BatchBuilder builder(decoder.schema(), 0);
  CQLBULK_ASSIGN_OR_RETURN(size_t n, decoder.AppendRows(result, builder));
  if (n != cells.size()) {
    return Internal("decoded " + std::to_string(n) + " rows");
  }
  return builder.Finish();
}

Result<Bytes> Encode(const Column& column, size_t row, const DataType& target) {
  data::Buffer out;
  CQLBULK_RETURN_IF_ERROR(EncodeCell(column, row, target, out));
  return Bytes(out.data(), out.data() + out.size());
}

Bytes BytesOf(const data::Buffer& buffer) {
  return Bytes(buffer.data(), buffer.data() + buffer.size());
}

int64_t IntegerAt(const Column& column, size_t row) {
  switch (column.kind()) {
    case TypeKind::kInt8:
      return column.Int8(row);
    case TypeKind::kInt16:
      return column.Int16(row);
    case TypeKind::kInt32:
      return column.Int32(row);
    default:
      return column.Int64(row);
  }
}

/// Checks cell `row` of `column` against the value the cql codec decoded from the same bytes.
void ExpectCellIs(const Column& column, size_t row, const Value& value) {
  SCOPED_TRACE("row " + std::to_string(row) + " vs " + value.ToString());
  switch (value.kind()) {
    case ValueKind::kNull:
      EXPECT_TRUE(column.IsNull(row));
      return;
    case ValueKind::kEmpty:
      // An empty int, uuid, tuple... reads as null (where the batch can hold one).
      EXPECT_TRUE(column.IsNull(row));
      return;
    default:
      break;
  }
  ASSERT_FALSE(column.IsNull(row));
  switch (value.kind()) {
    case ValueKind::kBoolean:
      EXPECT_EQ(column.Boolean(row), value.as_bool());
      break;
    case ValueKind::kTinyint:
    case ValueKind::kSmallint:
    case ValueKind::kInt:
    case ValueKind::kBigint:
    case ValueKind::kCounter:
      EXPECT_EQ(IntegerAt(column, row), value.as_int64());
      break;
    case ValueKind::kTimestamp:
      EXPECT_EQ(column.kind(), TypeKind::kTimestamp);
      EXPECT_EQ(column.Timestamp(row), value.as_int64());
      break;
    case ValueKind::kTime:
      EXPECT_EQ(column.kind(), TypeKind::kTime);
      EXPECT_EQ(column.Time(row), value.as_int64());
      break;
    case ValueKind::kDate:
      EXPECT_EQ(column.kind(), TypeKind::kDate);
      EXPECT_EQ(column.Date(row), value.date_days_since_epoch());
      break;
    case ValueKind::kFloat:
      EXPECT_EQ(std::bit_cast<uint32_t>(column.Float32(row)),
                std::bit_cast<uint32_t>(value.as_float()));
      break;
    case ValueKind::kDouble:
      EXPECT_EQ(std::bit_cast<uint64_t>(column.Float64(row)),
                std::bit_cast<uint64_t>(value.as_double()));
      break;
    case ValueKind::kAscii:
    case ValueKind::kText:
      EXPECT_EQ(column.String(row), value.as_string());
      break;
    case ValueKind::kBlob:
      EXPECT_EQ(ToHex(column.Bytes(row)), ToHex(value.as_blob()));
      break;
    case ValueKind::kUuid:
    case ValueKind::kTimeuuid:
      EXPECT_EQ(ToHex(column.UuidBytes(row)), ToHex(value.as_uuid().bytes));
      break;
    case ValueKind::kInet:
      EXPECT_EQ(ToHex(column.Bytes(row)), ToHex(value.as_inet().bytes()));
      break;
    case ValueKind::kVarint:
      EXPECT_EQ(ToHex(column.Bytes(row)), ToHex(value.as_varint().bytes()));
      break;
    case ValueKind::kDecimal:
      EXPECT_EQ(ToHex(column.DecimalUnscaled(row)), ToHex(value.as_decimal().unscaled().bytes()));
      EXPECT_EQ(column.DecimalScale(row), value.as_decimal().scale());
      break;
    case ValueKind::kDuration: {
      data::DurationValue d = column.Duration(row);
      EXPECT_EQ(d.months, value.as_duration().months);
      EXPECT_EQ(d.days, value.as_duration().days);
      EXPECT_EQ(d.nanos, value.as_duration().nanoseconds);
      break;
    }
    case ValueKind::kList:
    case ValueKind::kSet:
    case ValueKind::kVector: {
      auto [first, last] = column.ElementRange(row);
      ASSERT_EQ(last - first, value.elements().size());
      for (size_t i = 0; i < value.elements().size(); ++i) {
        ExpectCellIs(column.child(), first + i, value.elements()[i]);
      }
      break;
    }
    case ValueKind::kMap: {
      auto [first, last] = column.ElementRange(row);
      ASSERT_EQ(last - first, value.entries().size());
      for (size_t i = 0; i < value.entries().size(); ++i) {
        ExpectCellIs(column.map_keys(), first + i, value.entries()[i].first);
        ExpectCellIs(column.map_values(), first + i, value.entries()[i].second);
      }
      break;
    }
    case ValueKind::kTuple:
    case ValueKind::kUdt: {
      ASSERT_EQ(column.kind(), TypeKind::kStruct);
      for (size_t i = 0; i < column.num_children(); ++i) {
        Value field = i < value.elements().size() ? value.elements()[i] : Value::Null();
        ExpectCellIs(column.child(i), row, field);
      }
      break;
    }
    default:
      ADD_FAILURE() << "unexpected value kind";
  }
}

// --- type mapping ----------------------------------------------------------------------------

TEST(LogicalTypeOfTest, MapsEveryCqlTypeAsTheDataReadmeTableSays) {
  using L = LogicalType;
  struct Case {
    std::string cql;
    LogicalTypePtr logical;
  };
  std::vector<Case> cases = {
      {"boolean", L::Boolean()},
      {"tinyint", L::Int8()},
      {"smallint", L::Int16()},
      {"int", L::Int32()},
      {"bigint", L::Int64()},
      {"counter", L::Counter()},
      {"float", L::Float32()},
      {"double", L::Float64()},
      {"decimal", L::Decimal()},
      {"varint", L::BigInteger()},
      {"text", L::String()},
      {"varchar", L::String()},
      {"ascii", L::Ascii()},
      {"blob", L::Binary()},
      {"uuid", L::Uuid()},
      {"timeuuid", L::TimeUuid()},
      {"date", L::Date()},
      {"time", L::Time()},
      {"timestamp", L::Timestamp()},
      {"duration", L::Duration()},
      {"inet", L::Inet()},
      {"list<int>", L::List(L::Int32())},
      {"set<text>", L::Set(L::String())},
      {"map<text, int>", L::Map(L::String(), L::Int32())},
      {"frozen<list<frozen<map<text, int>>>>", L::List(L::Map(L::String(), L::Int32()))},
      {"vector<float, 3>", L::Vector(L::Float32(), 3)},
      {"vector<text, 2>", L::Vector(L::String(), 2)},
      {"tuple<int, text>", L::Tuple({L::Int32(), L::String()})},
      {"udt_ab", L::Struct({{.name = "a", .type = L::Int32()}, {.name = "b", .type = L::String()}},
                           "udt_ab")},
      {"tuple<int, frozen<list<text>>, frozen<udt_ab>>",
       L::Tuple({L::Int32(), L::List(L::String()),
                 L::Struct({{.name = "a", .type = L::Int32()}, {.name = "b", .type = L::String()}},
                           "udt_ab")})},
  };

  for (const Case& c : cases) {
    SCOPED_TRACE(c.cql);
    DataTypePtr type = Parse(c.cql);
    ASSERT_NE(type, nullptr);

    CQLBULK_ASSERT_OK_AND_ASSIGN(LogicalTypePtr logical, LogicalTypeOf(*type));

    EXPECT_EQ(*logical, *c.logical) << logical->ToString() << " vs " << c.logical->ToString();
  }
}

TEST(LogicalTypeOfTest, KeepsTheFlagsAndNullabilityOfTheTable) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(LogicalTypePtr counter, LogicalTypeOf(*Native(TypeId::kCounter)));
  CQLBULK_ASSERT_OK_AND_ASSIGN(LogicalTypePtr ascii, LogicalTypeOf(*Native(TypeId::kAscii)));
  CQLBULK_ASSERT_OK_AND_ASSIGN(LogicalTypePtr timeuuid, LogicalTypeOf(*Native(TypeId::kTimeuuid)));
  CQLBULK_ASSERT_OK_AND_ASSIGN(LogicalTypePtr map, LogicalTypeOf(*Parse("map<int, text>")));
  CQLBULK_ASSERT_OK_AND_ASSIGN(LogicalTypePtr vector, LogicalTypeOf(*Parse("vector<int, 2>")));
  CQLBULK_ASSERT_OK_AND_ASSIGN(LogicalTypePtr tuple, LogicalTypeOf(*Parse("tuple<int, text>")));

  EXPECT_TRUE(counter->is_counter());
  EXPECT_TRUE(ascii->is_ascii());
  EXPECT_TRUE(timeuuid->is_time_based());
  EXPECT_FALSE(map->key().nullable);
  EXPECT_TRUE(map->value().nullable);
  EXPECT_FALSE(vector->element().nullable);
  EXPECT_EQ(tuple->fields()[0].name, "_1");
  EXPECT_EQ(tuple->fields()[1].name, "_2");
  EXPECT_TRUE(tuple->name().empty());
}

TEST(LogicalTypeOfTest, RefusesCustomTypesNamingTheClass) {
  DataTypePtr custom = DataType::Custom("com.example.MyType");

  EXPECT_THAT(LogicalTypeOf(*custom), AllOf(IsError(ErrorCode::kUnimplemented),
                                            HasMessage("com.example.MyType")));
  EXPECT_THAT(LogicalTypeOf(*DataType::List(custom)), IsError(ErrorCode::kUnimplemented));
}

TEST(LogicalTypeOfTest, RefusesIncompleteDescriptors) {
  DataType list;
  list.id = TypeId::kList;

  EXPECT_THAT(LogicalTypeOf(list), IsError(ErrorCode::kInvalidArgument));
}

TEST(SchemaOfTest, NamesFieldsAfterTheColumns) {
  cql::RowsMetadata m = Columns({Native(TypeId::kInt), Parse("list<text>")});

  CQLBULK_ASSERT_OK_AND_ASSIGN(data::SchemaPtr schema, SchemaOf(m.columns));

  ASSERT_EQ(schema->num_fields(), 2u);
  EXPECT_EQ(schema->fields[0].name, "c0");
  EXPECT_EQ(*schema->fields[0].type, *LogicalType::Int32());
  EXPECT_TRUE(schema->fields[0].nullable);
  EXPECT_EQ(schema->fields[1].name, "c1");
  EXPECT_EQ(*schema->fields[1].type, *LogicalType::List(LogicalType::String()));
}

TEST(SchemaOfTest, NamesTheColumnOfAnUnmappableType) {
  cql::RowsMetadata m = Columns({Native(TypeId::kInt), DataType::Custom("x.Y")});

  EXPECT_THAT(SchemaOf(m.columns),
              AllOf(IsError(ErrorCode::kUnimplemented), HasMessage("column 'c1'")));
}

client::TableMetadata SampleTable() {
  client::TableMetadata table;
  table.keyspace = "ks";
  table.name = "t";
  table.columns = {{.name = "id", .type = Native(TypeId::kUuid)},
                   {.name = "ts", .type = Native(TypeId::kTimestamp)},
                   {.name = "tags", .type = Parse("set<text>")},
                   {.name = "n", .type = Native(TypeId::kCounter)}};
  table.partition_key = {0};
  table.clustering_key = {1};
  return table;
}

TEST(TableSchemaTest, MapsTheChosenColumnsInTheirOrder) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(data::SchemaPtr schema,
                               TableSchema(SampleTable(), {"tags", "id", "n"}));

  ASSERT_EQ(schema->num_fields(), 3u);
  EXPECT_EQ(schema->fields[0].name, "tags");
  EXPECT_EQ(*schema->fields[0].type, *LogicalType::Set(LogicalType::String()));
  EXPECT_EQ(schema->fields[1].name, "id");
  EXPECT_EQ(*schema->fields[1].type, *LogicalType::Uuid());
  EXPECT_TRUE(schema->fields[2].type->is_counter());
}

TEST(TableSchemaTest, NoColumnsMeansEveryColumnOfTheTable) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(data::SchemaPtr schema, TableSchema(SampleTable(), {}));

  ASSERT_EQ(schema->num_fields(), 4u);
  EXPECT_EQ(schema->fields[1].name, "ts");
  EXPECT_EQ(*schema->fields[1].type, *LogicalType::Timestamp());
}

TEST(TableSchemaTest, NamesAnUnknownColumnAndTheTable) {
  EXPECT_THAT(TableSchema(SampleTable(), {"id", "nope"}),
              AllOf(IsError(ErrorCode::kInvalidArgument), HasMessage("'nope'"),
                    HasMessage("ks.t")));
  EXPECT_THAT(TableSchema(SampleTable(), {"id", "id"}),
              AllOf(IsError(ErrorCode::kInvalidArgument), HasMessage("twice")));
}

// --- golden values: decode, compare, re-encode -----------------------------------------------

struct GoldenType {
  std::string cql_type;
  DataTypePtr wire;
  nlohmann::json entry;
};

class GoldenRoundTripTest : public ::testing::Test {
 protected:
  void SetUp() override {
    nlohmann::json golden = cqlbulk::testing::LoadTestdataJson("cql_values.json");
    for (const auto& t : golden["types"]) {
      Bytes option = Hex(t["result_type_option_hex"].get<std::string>());
      ByteReader r(option, ErrorCode::kProtocol);
      auto wire = cql::ReadOption(r);
      ASSERT_TRUE(wire.has_value()) << wire.error().ToString();
      types_.push_back({t["cql_type"].get<std::string>(), *wire, t});
    }
    ASSERT_EQ(types_.size(), 35u);
  }

  std::vector<GoldenType> types_;
};

bool KeepsEmptyValue(const DataType& type) {
  return type.id == TypeId::kVarchar || type.id == TypeId::kAscii || type.id == TypeId::kBlob;
}

TEST_F(GoldenRoundTripTest, EveryValueDecodesIntoTheBatchAndEncodesBackToTheServersBytes) {
  int checked = 0;
  int empties = 0;

  for (const auto& t : types_) {
    for (const auto& v : t.entry["values"]) {
      if (v["hex"].is_null()) {
        continue;
      }
      SCOPED_TRACE(t.cql_type + " " + v["cql_literal"].get<std::string>());
      Bytes bytes = Hex(v["hex"].get<std::string>());
      CQLBULK_ASSERT_OK_AND_ASSIGN(Value expected, cql::DecodeValue(*t.wire, bytes));

      CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, DecodeCells(t.wire, {bytes}, 4));
      ASSERT_EQ(batch.num_rows(), 1u);
      const Column& column = batch.column(0);
      ExpectCellIs(column, 0, expected);

      if (bytes.empty() && !KeepsEmptyValue(*t.wire)) {
        // blobAsInt(0x) and friends: read as null, as the Java driver does; nothing to encode.
        EXPECT_TRUE(column.IsNull(0));
        ++empties;
        continue;
      }
      CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes reencoded, Encode(column, 0, *t.wire));
      // The one value that does not come back byte for byte: boolean 0x02 is true, sent as 01.
      std::string want = v.contains("driver_reserialized_hex")
                             ? v["driver_reserialized_hex"].get<std::string>()
                             : v["hex"].get<std::string>();
      EXPECT_EQ(ToHex(reencoded), want);
      ++checked;
    }
  }
  EXPECT_EQ(checked + empties, 207);
  EXPECT_EQ(empties, 11);  // bigint, boolean, decimal, double, float, inet, int, timestamp,
                           // timeuuid, uuid, varint
}

TEST_F(GoldenRoundTripTest, EveryTypesValuesDecodeAsOnePageWithNulls) {
  int rows = 0;

  for (const auto& t : types_) {
    SCOPED_TRACE(t.cql_type);
    std::vector<std::optional<Bytes>> cells;
    for (const auto& v : t.entry["values"]) {
      cells.push_back(v["hex"].is_null() ? std::nullopt
                                         : std::optional<Bytes>(Hex(v["hex"].get<std::string>())));
    }

    CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, DecodeCells(t.wire, cells, 4));

    ASSERT_EQ(batch.num_rows(), cells.size());
    for (size_t i = 0; i < cells.size(); ++i) {
      if (!cells[i]) {
        EXPECT_TRUE(batch.column(0).IsNull(i));
        cql::BoundValue bound = cql::BoundValue::Of(Hex("01"));
        CQLBULK_ASSERT_OK(EncodeBoundValue(batch.column(0), i, *t.wire, bound));
        EXPECT_TRUE(bound.is_null());
        EXPECT_THAT(Encode(batch.column(0), i, *t.wire), IsError(ErrorCode::kInvalidArgument));
        continue;
      }
      CQLBULK_ASSERT_OK_AND_ASSIGN(Value expected, cql::DecodeValue(*t.wire, *cells[i]));
      ExpectCellIs(batch.column(0), i, expected);
      ++rows;
    }
  }
  EXPECT_EQ(rows, 207);
}

// A differential check: truncated, extended and bit-flipped server bytes decode into the batch
// exactly when the cql codec accepts them, to the same values.
TEST_F(GoldenRoundTripTest, MutatedBytesFailExactlyWhereTheCqlCodecFails) {
  std::mt19937 rng(20240229);
  int accepted = 0;
  int refused = 0;

  for (const auto& t : types_) {
    for (const auto& v : t.entry["values"]) {
      if (v["hex"].is_null()) {
        continue;
      }
      Bytes bytes = Hex(v["hex"].get<std::string>());
      std::vector<Bytes> variants;
      for (size_t n = 0; n < bytes.size(); ++n) {
        variants.emplace_back(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
      }
      Bytes longer = bytes;
      longer.push_back(0);
      variants.push_back(longer);
      for (int i = 0; i < 24 && !bytes.empty(); ++i) {
        Bytes flipped = bytes;
        flipped[rng() % flipped.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
        variants.push_back(flipped);
      }
      for (const Bytes& variant : variants) {
        SCOPED_TRACE(t.cql_type + " " + ToHex(variant));
        auto want = cql::DecodeValue(*t.wire, variant);

        auto got = DecodeCells(t.wire, {variant}, 4);

        if (!want) {
          EXPECT_THAT(got, AllOf(IsError(ErrorCode::kProtocol),
                                 HasMessage(want.error().message())));
          ++refused;
        } else if (!got) {
          // Only an empty value where the batch has no null (a map key) may be refused.
          EXPECT_THAT(got, HasMessage("no null"));
          ++refused;
        } else {
          ExpectCellIs(got->column(0), 0, *want);
          ++accepted;
        }
      }
    }
  }
  EXPECT_GT(accepted, 500);
  EXPECT_GT(refused, 500);
}

TEST(RowDecoderTest, DecodesDatesAsSignedDaysAndBack) {
  // 2^31 is 1970-01-01; 0 and 2^32-1 are the ends of CQL's range.
  std::vector<std::pair<std::string, int32_t>> cases = {
      {"80000000", 0}, {"80000001", 1}, {"7fffffff", -1},
      {"00000000", std::numeric_limits<int32_t>::min()},
      {"ffffffff", std::numeric_limits<int32_t>::max()}};
  std::vector<std::optional<Bytes>> cells;
  for (const auto& c : cases) {
    cells.push_back(Hex(c.first));
  }

  CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, DecodeCells(Native(TypeId::kDate), cells));

  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(batch.column(0).Date(i), cases[i].second);
    EXPECT_THAT(Encode(batch.column(0), i, *Native(TypeId::kDate)),
                ::testing::Optional(Hex(cases[i].first)));
  }
}

TEST(RowDecoderTest, DecodesSixColumnsOfAPageAndRollsBackNothingOnSuccess) {
  cql::RowsMetadata metadata =
      Columns({Native(TypeId::kInt), Native(TypeId::kBigint), Native(TypeId::kVarchar),
               Native(TypeId::kDouble), Native(TypeId::kUuid), Native(TypeId::kTimestamp)});
  Bytes uuid = Hex("123456789abc4def8001020304050607");
  Bytes body = RowsBody(metadata, {{Hex("00000007"), Hex("0000000000000009"),
                                    Bytes{'h', 'i'}, Hex("3ff8000000000000"), uuid,
                                    Hex("0000018bcfe56800")},
                                   {std::nullopt, Hex("ffffffffffffffff"), Bytes{}, std::nullopt,
                                    std::nullopt, std::nullopt}});
  CQLBULK_ASSERT_OK_AND_ASSIGN(cql::RowsResult rows, cql::ParseRowsResult(body, 5));
  CQLBULK_ASSERT_OK_AND_ASSIGN(RowDecoder decoder, RowDecoder::Make(rows.metadata));
  data::BatchBuilder builder(decoder.schema(), 16);

  CQLBULK_ASSERT_OK_AND_ASSIGN(size_t n, decoder.AppendRows(rows, builder));
  CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, builder.Finish());

  EXPECT_EQ(n, 2u);
  EXPECT_EQ(data::DebugString(batch, 0),
            "(7, 9, 'hi', 1.5, 12345678-9abc-4def-8001-020304050607, 2023-11-14T22:13:20.000Z)");
  EXPECT_EQ(data::DebugString(batch, 1), "(null, -1, '', null, null, null)");
}

TEST(RowDecoderTest, AppendRowDecodesTheCursorsCurrentRow) {
  cql::RowsMetadata metadata = Columns({Native(TypeId::kInt), Parse("list<int>")});
  Bytes body = RowsBody(metadata, {{Hex("00000001"), Hex("000000020000000400000005000000040000"
                                                         "0006")}});
  CQLBULK_ASSERT_OK_AND_ASSIGN(cql::RowsResult rows, cql::ParseRowsResult(body, 5));
  CQLBULK_ASSERT_OK_AND_ASSIGN(RowDecoder decoder, RowDecoder::Make(rows.metadata));
  data::BatchBuilder builder(decoder.schema(), 0);
  cql::RowsCursor cursor = rows.cursor();
  CQLBULK_ASSERT_OK_AND_ASSIGN(bool more, cursor.Next());
  ASSERT_TRUE(more);

  CQLBULK_ASSERT_OK(decoder.AppendRow(cursor, builder));
  CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, builder.Finish());

  EXPECT_EQ(data::DebugString(batch, 0), "(1, [5, 6])");
}

TEST(RowDecoderTest, EmptyCollectionsAreEmptyNotNull) {
  std::vector<std::string> types = {"frozen<list<int>>", "frozen<set<text>>",
                                    "frozen<map<text, int>>"};
  for (const auto& text : types) {
    SCOPED_TRACE(text);
    DataTypePtr type = Parse(text);

    CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, DecodeCells(type, {Hex("00000000")}));

    ASSERT_FALSE(batch.column(0).IsNull(0));
    auto [first, last] = batch.column(0).ElementRange(0);
    EXPECT_EQ(first, last);
    EXPECT_THAT(Encode(batch.column(0), 0, *type), ::testing::Optional(Hex("00000000")));
  }
}

TEST(RowDecoderTest, NestedFrozenCollectionsInUdtsRoundTrip) {
  DataTypePtr udt = DataType::Udt(
      "ks", "deep", {"id", "tags", "scores", "pairs", "inner"},
      {Native(TypeId::kInt), Parse("frozen<list<text>>"), Parse("frozen<map<text, int>>"),
       Parse("frozen<set<frozen<tuple<int, text>>>>"), UdtAb()},
      true);
  DataTypePtr type = DataType::List(udt, true);
  Value element = Value::Udt({
      Value::Int(7),
      Value::List({Value::Text("a"), Value::Text("")}),
      Value::Map({{Value::Text("x"), Value::Int(1)}, {Value::Text("y"), Value::Int(-2)}}),
      Value::Set({Value::Tuple({Value::Int(1), Value::Null()}),
                  Value::Tuple({Value::Int(2), Value::Text("b")})}),
      Value::Udt({Value::Null(), Value::Text("z")}),
  });
  Value partial = Value::Udt({Value::Int(8), Value::List({}), Value::Null()});
  CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes bytes,
                               cql::EncodeValueToBytes(*type, Value::List({element, partial})));

  CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, DecodeCells(type, {bytes}));
  CQLBULK_ASSERT_OK_AND_ASSIGN(Value expected, cql::DecodeValue(*type, bytes));
  ExpectCellIs(batch.column(0), 0, expected);
  EXPECT_EQ(data::DebugString(batch.column(0), 0),
            "[{id: 7, tags: ['a', ''], scores: {'x': 1, 'y': -2}, pairs: {{_1: 1, _2: null}, "
            "{_1: 2, _2: 'b'}}, inner: {a: null, b: 'z'}}, {id: 8, tags: [], scores: null, "
            "pairs: null, inner: null}]");

  // The partial UDT comes back with its missing fields as explicit nulls.
  Value full_partial =
      Value::Udt({Value::Int(8), Value::List({}), Value::Null(), Value::Null(), Value::Null()});
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      Bytes want, cql::EncodeValueToBytes(*type, Value::List({element, full_partial})));
  EXPECT_THAT(Encode(batch.column(0), 0, *type), ::testing::Optional(want));
}

TEST(RowDecoderTest, VectorsOfFixedAndVariableSizeElementsRoundTrip) {
  struct Case {
    DataTypePtr type;
    Value value;
  };
  std::vector<Case> cases = {
      {DataType::Vector(Native(TypeId::kFloat), 3),
       Value::Vector({Value::Float(1.5f), Value::Float(-0.0f), Value::Float(3.0f)})},
      {DataType::Vector(Native(TypeId::kBigint), 2),
       Value::Vector({Value::Bigint(-1), Value::Bigint(1LL << 40)})},
      {DataType::Vector(Native(TypeId::kVarchar), 3),
       Value::Vector({Value::Text("a"), Value::Text(""), Value::Text(std::string(200, 'x'))})},
      {DataType::Vector(Native(TypeId::kVarint), 2),
       Value::Vector({Value::Varint(cql::Varint::FromInt64(300)),
                      Value::Varint(cql::Varint::FromInt64(-1))})},
      {DataType::Vector(Parse("frozen<list<int>>"), 2),
       Value::Vector({Value::List({Value::Int(1)}), Value::List({})})},
      {DataType::Vector(DataType::Vector(Native(TypeId::kInt), 2), 2),
       Value::Vector({Value::Vector({Value::Int(1), Value::Int(2)}),
                      Value::Vector({Value::Int(3), Value::Int(4)})})},
  };

  for (const Case& c : cases) {
    SCOPED_TRACE(c.type->ToCql());
    CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes bytes, cql::EncodeValueToBytes(*c.type, c.value));

    CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, DecodeCells(c.type, {bytes, std::nullopt}));

    ExpectCellIs(batch.column(0), 0, c.value);
    EXPECT_TRUE(batch.column(0).IsNull(1));
    EXPECT_THAT(Encode(batch.column(0), 0, *c.type), ::testing::Optional(bytes));
  }
}

TEST(RowDecoderTest, CountersAndDurationsDecode) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch counters,
                               DecodeCells(Native(TypeId::kCounter), {Hex("000000000000002a")}));
  cql::Duration d{1, -0, 5};
  CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes duration_bytes,
                               cql::EncodeValueToBytes(*Native(TypeId::kDuration),
                                                       Value::Duration(d)));
  CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch durations,
                               DecodeCells(Native(TypeId::kDuration), {duration_bytes}));

  EXPECT_TRUE(counters.column(0).type()->is_counter());
  EXPECT_EQ(counters.column(0).Int64(0), 42);
  EXPECT_EQ(durations.column(0).Duration(0), (data::DurationValue{1, 0, 5}));
  EXPECT_THAT(Encode(durations.column(0), 0, *Native(TypeId::kDuration)),
              ::testing::Optional(duration_bytes));
}

// --- malformed bytes -------------------------------------------------------------------------

TEST(RowDecoderTest, MalformedCellsAreProtocolErrorsNamingTheColumn) {
  struct Case {
    std::string type;
    std::string hex;
    std::string message;
  };
  std::vector<Case> cases = {
      {"int", "000001", "expected 4 bytes, got 3"},
      {"bigint", "00", "expected 8 bytes"},
      {"tinyint", "", "expected 1 bytes, got 0"},
      {"date", "", "expected 4 bytes"},
      {"text", "c328", "invalid UTF-8"},
      {"ascii", "61ff", "above 0x7f"},
      {"timeuuid", "123456789abc4def8001020304050607", "not 1"},
      {"inet", "0102", "4 or 16 bytes"},
      {"decimal", "00000001", "at least one byte of digits"},
      {"duration", "0001", "at least 3 bytes"},
      {"list<int>", "00000001", "exceeds"},
      {"list<int>", "00000001ffffffff", "null element"},
      {"list<int>", "000000000000", "unexpected bytes"},
      {"list<int>", "", "missing element count"},
      {"map<text, int>", "0000000200000001610000000100", "exceeds"},
      {"tuple<int, text>", "00000004000000010000000161ffffffff", "declared fields"},
      {"vector<float, 2>", "3f800000", "cannot hold"},
      {"vector<text, 2>", "01", "cannot hold"},
      {"vector<text, 1>", "0261", "past the end"},
  };

  for (const Case& c : cases) {
    SCOPED_TRACE(c.type + " " + c.hex);
    DataTypePtr type = Parse(c.type);

    EXPECT_THAT(DecodeCells(type, {Hex(c.hex)}),
                AllOf(IsError(ErrorCode::kProtocol), HasMessage("column 'c0' (" + c.type),
                      HasMessage("row 0"), HasMessage(c.message)));
  }
}

TEST(RowDecoderTest, EmptyValuesWhereTheBatchHasNoNullAreMalformed) {
  // A map key cannot be null in a batch: an empty int key has nowhere to go.
  DataTypePtr map = Parse("frozen<map<int, int>>");
  DataTypePtr vector = DataType::Vector(Native(TypeId::kVarint), 1);

  EXPECT_THAT(DecodeCells(map, {Hex("00000001000000000000000400000001")}),
              AllOf(IsError(ErrorCode::kProtocol), HasMessage("map key")));
  EXPECT_THAT(DecodeCells(vector, {Hex("00")}),
              AllOf(IsError(ErrorCode::kProtocol), HasMessage("vector element")));
  // An empty value as a list element is a null element of the batch.
  CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch,
                               DecodeCells(Parse("list<int>"), {Hex("0000000100000000")}));
  EXPECT_TRUE(batch.column(0).child().IsNull(0));
}

TEST(RowDecoderTest, AMalformedPageKeepsNoneOfItsRows) {
  cql::RowsMetadata metadata = Columns({Native(TypeId::kInt), Native(TypeId::kVarchar)});
  CQLBULK_ASSERT_OK_AND_ASSIGN(RowDecoder decoder, RowDecoder::Make(metadata));
  data::BatchBuilder builder(decoder.schema(), 0);
  Bytes good = RowsBody(metadata, {{Hex("00000001"), Bytes{'a'}}});
  Bytes bad = RowsBody(metadata, {{Hex("00000002"), Bytes{'b'}}, {Hex("00000003"), Hex("ff")}});
  CQLBULK_ASSERT_OK_AND_ASSIGN(cql::RowsResult good_rows, cql::ParseRowsResult(good, 5));
  CQLBULK_ASSERT_OK_AND_ASSIGN(cql::RowsResult bad_rows, cql::ParseRowsResult(bad, 5));
  ASSERT_THAT(decoder.AppendRows(good_rows, builder), ::testing::Optional(1u));

  EXPECT_THAT(decoder.AppendRows(bad_rows, builder),
              AllOf(IsError(ErrorCode::kProtocol), HasMessage("column 'c1' (text), row 1")));

  EXPECT_EQ(builder.num_rows(), 1u);
  CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, builder.Finish());
  EXPECT_EQ(data::DebugString(batch, 0), "(1, 'a')");
}

TEST(RowDecoderTest, AMalformedNestedCellRollsBackItsHalfAppendedElements) {
  cql::RowsMetadata metadata = Columns({Native(TypeId::kInt), Parse("list<frozen<list<int>>>")});
  CQLBULK_ASSERT_OK_AND_ASSIGN(RowDecoder decoder, RowDecoder::Make(metadata));
  data::BatchBuilder builder(decoder.schema(), 0);
  // [[1], [2, <3 bytes>]]
  Bytes bad_list = Hex("00000002" "0000000c" "00000001" "00000004" "00000001"
                       "00000013" "00000002" "00000004" "00000002" "00000003" "000003");
  Bytes body = RowsBody(metadata, {{Hex("00000009"), bad_list}});
  CQLBULK_ASSERT_OK_AND_ASSIGN(cql::RowsResult rows, cql::ParseRowsResult(body, 5));

  EXPECT_THAT(decoder.AppendRows(rows, builder), IsError(ErrorCode::kProtocol));

  EXPECT_EQ(builder.num_rows(), 0u);
  CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, builder.Finish());
  EXPECT_EQ(batch.num_rows(), 0u);
  EXPECT_EQ(batch.column(1).child().num_rows(), 0u);
  EXPECT_EQ(batch.column(1).child().child().num_rows(), 0u);
}

TEST(RowDecoderTest, ATruncatedPageIsAProtocolError) {
  cql::RowsMetadata metadata = Columns({Native(TypeId::kInt)});
  Bytes body = RowsBody(metadata, {{Hex("00000001")}, {Hex("00000002")}});
  Bytes truncated(body.begin(), body.end() - 2);
  CQLBULK_ASSERT_OK_AND_ASSIGN(cql::RowsResult rows, cql::ParseRowsResult(truncated, 5));
  CQLBULK_ASSERT_OK_AND_ASSIGN(RowDecoder decoder, RowDecoder::Make(metadata));
  data::BatchBuilder builder(decoder.schema(), 0);

  EXPECT_THAT(decoder.AppendRows(rows, builder), IsError(ErrorCode::kProtocol));
  EXPECT_EQ(builder.num_rows(), 0u);
}

TEST(RowDecoderTest, MakeChecksTheSchemaAndTheMetadata) {
  cql::RowsMetadata metadata = Columns({Native(TypeId::kInt), Parse("list<text>")});
  auto good = std::make_shared<data::Schema>(data::Schema{
      {{.name = "x", .type = LogicalType::Int32(), .nullable = false},
       {.name = "y", .type = LogicalType::List(LogicalType::Ascii())}}});
  auto wrong = std::make_shared<data::Schema>(data::Schema{
      {{.name = "x", .type = LogicalType::Int64()},
       {.name = "y", .type = LogicalType::List(LogicalType::String())}}});
  auto short_schema = std::make_shared<data::Schema>(
      data::Schema{{{.name = "x", .type = LogicalType::Int32()}}});
  cql::RowsMetadata no_metadata;
  no_metadata.no_metadata = true;
  no_metadata.columns_count = 2;

  EXPECT_THAT(RowDecoder::Make(metadata, good), IsOk());
  EXPECT_THAT(RowDecoder::Make(metadata, wrong),
              AllOf(IsError(ErrorCode::kInvalidArgument), HasMessage("column 'c0' (int)")));
  EXPECT_THAT(RowDecoder::Make(metadata, short_schema), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(RowDecoder::Make(no_metadata), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(RowDecoder::Make(Columns({DataType::Custom("a.B")})),
              IsError(ErrorCode::kUnimplemented));
}

TEST(RowDecoderTest, DecodesNoMetadataPagesWithThePreparedMetadata) {
  cql::RowsMetadata prepared = Columns({Native(TypeId::kInt)});
  cql::RowsMetadata page_metadata;
  page_metadata.no_metadata = true;
  page_metadata.columns_count = 1;
  Bytes body = RowsBody(page_metadata, {{Hex("00000005")}});
  CQLBULK_ASSERT_OK_AND_ASSIGN(cql::RowsResult rows, cql::ParseRowsResult(body, 5));
  CQLBULK_ASSERT_OK_AND_ASSIGN(RowDecoder decoder, RowDecoder::Make(prepared));
  data::BatchBuilder builder(decoder.schema(), 0);

  EXPECT_THAT(decoder.AppendRows(rows, builder), ::testing::Optional(1u));
  EXPECT_EQ(builder.column(0).length(), 1u);
}

TEST(RowDecoderTest, RefusesABuilderOfAnotherLayoutOrAPageOfAnotherWidth) {
  cql::RowsMetadata metadata = Columns({Native(TypeId::kInt)});
  CQLBULK_ASSERT_OK_AND_ASSIGN(RowDecoder decoder, RowDecoder::Make(metadata));
  auto other = std::make_shared<data::Schema>(
      data::Schema{{{.name = "x", .type = LogicalType::List(LogicalType::Int32())}}});
  data::BatchBuilder wrong_builder(other, 0);
  data::BatchBuilder builder(decoder.schema(), 0);
  cql::RowsMetadata wide = Columns({Native(TypeId::kInt), Native(TypeId::kInt)});
  Bytes body = RowsBody(wide, {{Hex("00000001"), Hex("00000002")}});
  CQLBULK_ASSERT_OK_AND_ASSIGN(cql::RowsResult wide_rows, cql::ParseRowsResult(body, 5));

  EXPECT_THAT(decoder.AppendRows(wide_rows, wrong_builder), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(decoder.AppendRows(wide_rows, builder), IsError(ErrorCode::kProtocol));
}

// --- load: conversions -----------------------------------------------------------------------

/// A one-column batch of `type` built by `append`.
template <typename Append>
data::Batch OneColumn(LogicalTypePtr type, Append append) {
  auto schema = std::make_shared<data::Schema>(data::Schema{{{.name = "v", .type = type}}});
  data::BatchBuilder builder(schema, 0);
  append(builder.column(0));
  auto batch = builder.Finish();
  EXPECT_TRUE(batch.has_value()) << batch.error().ToString();
  return std::move(batch).value();
}

std::string CqlHex(const DataType& type, const Value& value) {
  auto bytes = cql::EncodeValueToBytes(type, value);
  EXPECT_TRUE(bytes.has_value()) << bytes.error().ToString();
  return bytes.has_value() ? ToHex(*bytes) : "";
}

TEST(EncodeCellTest, WidensIntegersLosslessly) {
  std::vector<int64_t> values = {0, 1, -1, 127, -128};
  data::Batch batch = OneColumn(LogicalType::Int8(), [&](data::ColumnBuilder& b) {
    for (int64_t v : values) {
      b.AppendInt8(static_cast<int8_t>(v));
    }
  });

  for (size_t i = 0; i < values.size(); ++i) {
    const Column& c = batch.column(0);
    EXPECT_EQ(ToHex(*Encode(c, i, *Native(TypeId::kTinyint))),
              CqlHex(*Native(TypeId::kTinyint), Value::Tinyint(static_cast<int8_t>(values[i]))));
    EXPECT_EQ(ToHex(*Encode(c, i, *Native(TypeId::kSmallint))),
              CqlHex(*Native(TypeId::kSmallint), Value::Smallint(static_cast<int16_t>(values[i]))));
    EXPECT_EQ(ToHex(*Encode(c, i, *Native(TypeId::kInt))),
              CqlHex(*Native(TypeId::kInt), Value::Int(static_cast<int32_t>(values[i]))));
    EXPECT_EQ(ToHex(*Encode(c, i, *Native(TypeId::kBigint))),
              CqlHex(*Native(TypeId::kBigint), Value::Bigint(values[i])));
    EXPECT_EQ(ToHex(*Encode(c, i, *Native(TypeId::kCounter))),
              CqlHex(*Native(TypeId::kCounter), Value::Counter(values[i])));
  }
}

TEST(EncodeCellTest, IntegersBecomeMinimalVarintsAndDecimalsOfScaleZero) {
  std::vector<int64_t> values = {0,    1,    -1,    127,   128,  -128, -129, 255, 256, 32767,
                                 -32768, 1LL << 40, std::numeric_limits<int64_t>::min(),
                                 std::numeric_limits<int64_t>::max()};
  data::Batch batch = OneColumn(LogicalType::Int64(), [&](data::ColumnBuilder& b) {
    for (int64_t v : values) {
      b.AppendInt64(v);
    }
  });

  for (size_t i = 0; i < values.size(); ++i) {
    SCOPED_TRACE(values[i]);
    cql::Varint varint = cql::Varint::FromInt64(values[i]);
    EXPECT_EQ(ToHex(*Encode(batch.column(0), i, *Native(TypeId::kVarint))),
              CqlHex(*Native(TypeId::kVarint), Value::Varint(varint)));
    EXPECT_EQ(ToHex(*Encode(batch.column(0), i, *Native(TypeId::kDecimal))),
              CqlHex(*Native(TypeId::kDecimal), Value::Decimal(cql::Decimal(varint, 0))));
  }
}

TEST(EncodeCellTest, WidensFloatsAndBigIntegers) {
  data::Batch floats = OneColumn(LogicalType::Float32(),
                                 [](data::ColumnBuilder& b) { b.AppendFloat32(0.1f); });
  data::Batch big = OneColumn(LogicalType::BigInteger(),
                              [](data::ColumnBuilder& b) { b.AppendBytes(Hex("0100")); });

  EXPECT_EQ(ToHex(*Encode(floats.column(0), 0, *Native(TypeId::kDouble))),
            CqlHex(*Native(TypeId::kDouble), Value::Double(static_cast<double>(0.1f))));
  EXPECT_EQ(ToHex(*Encode(big.column(0), 0, *Native(TypeId::kDecimal))), "000000000100");
  EXPECT_EQ(ToHex(*Encode(big.column(0), 0, *Native(TypeId::kVarint))), "0100");
}

TEST(EncodeCellTest, LoadsSevenBitTextIntoAsciiAndRefusesTheRest) {
  data::Batch batch = OneColumn(LogicalType::String(), [](data::ColumnBuilder& b) {
    b.AppendString("plain");
    b.AppendString("caf\xc3\xa9");
  });

  EXPECT_THAT(Encode(batch.column(0), 0, *Native(TypeId::kAscii)),
              ::testing::Optional(Bytes{'p', 'l', 'a', 'i', 'n'}));
  EXPECT_THAT(Encode(batch.column(0), 1, *Native(TypeId::kAscii)),
              AllOf(IsError(ErrorCode::kInvalidArgument), HasMessage("ascii")));
  EXPECT_THAT(Encode(batch.column(0), 1, *Native(TypeId::kVarchar)), IsOk());
}

TEST(EncodeCellTest, RefusesInvalidUtf8ForText) {
  data::Batch batch = OneColumn(LogicalType::String(),
                                [](data::ColumnBuilder& b) { b.AppendString("a\xff"); });

  EXPECT_THAT(Encode(batch.column(0), 0, *Native(TypeId::kVarchar)),
              AllOf(IsError(ErrorCode::kInvalidArgument), HasMessage("UTF-8")));
}

TEST(EncodeCellTest, LoadsOnlyVersionOneUuidsIntoTimeuuid) {
  data::Batch batch = OneColumn(LogicalType::Uuid(), [](data::ColumnBuilder& b) {
    b.AppendUuid(Hex("8f7f9d2e6c1a11eebe560242ac120002").data());
    b.AppendUuid(Hex("123456789abc4def8001020304050607").data());
  });

  EXPECT_THAT(Encode(batch.column(0), 0, *Native(TypeId::kTimeuuid)), IsOk());
  EXPECT_THAT(Encode(batch.column(0), 1, *Native(TypeId::kTimeuuid)),
              AllOf(IsError(ErrorCode::kInvalidArgument), HasMessage("version 4")));
  EXPECT_THAT(Encode(batch.column(0), 1, *Native(TypeId::kUuid)), IsOk());
}

TEST(EncodeCellTest, RefusesLossyOrMeaninglessConversionsNamingBothTypes) {
  data::Batch ints =
      OneColumn(LogicalType::Int64(), [](data::ColumnBuilder& b) { b.AppendInt64(1); });
  data::Batch strings =
      OneColumn(LogicalType::String(), [](data::ColumnBuilder& b) { b.AppendString("1"); });
  data::Batch doubles =
      OneColumn(LogicalType::Float64(), [](data::ColumnBuilder& b) { b.AppendFloat64(1); });
  LogicalTypePtr list_type = LogicalType::List(LogicalType::Int64());
  data::Batch lists = OneColumn(list_type, [](data::ColumnBuilder& b) {
    b.BeginList();
    b.child().AppendInt64(1);
    b.EndList();
  });

  EXPECT_THAT(Encode(ints.column(0), 0, *Native(TypeId::kInt)),
              AllOf(IsError(ErrorCode::kInvalidArgument),
                    HasMessage("cannot load a int64 value into a int column")));
  EXPECT_THAT(Encode(strings.column(0), 0, *Native(TypeId::kInt)),
              HasMessage("cannot load a string value into a int column"));
  EXPECT_THAT(Encode(doubles.column(0), 0, *Native(TypeId::kFloat)),
              HasMessage("cannot load a float64 value into a float column"));
  EXPECT_THAT(Encode(ints.column(0), 0, *Native(TypeId::kTimestamp)),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(Encode(lists.column(0), 0, *Parse("list<int>")),
              HasMessage("cannot load a list<int64> value into a list<int> column"));
  EXPECT_THAT(Encode(lists.column(0), 0, *Parse("set<bigint>")),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(Encode(lists.column(0), 0, *Parse("list<bigint>")), IsOk());
  EXPECT_THAT(Encode(lists.column(0), 0, *Parse("list<varint>")), IsOk());
}

TEST(EncodeCellTest, CheckLoadableAgreesWithEncodeCell) {
  using L = LogicalType;
  std::vector<LogicalTypePtr> sources = {L::Boolean(), L::Int8(),   L::Int16(),     L::Int32(),
                                         L::Int64(),   L::Float32(), L::Float64(),  L::String(),
                                         L::Binary(),  L::Date(),    L::Timestamp(), L::Time()};
  std::vector<TypeId> ids = {
      TypeId::kBoolean, TypeId::kTinyint, TypeId::kSmallint, TypeId::kInt,       TypeId::kBigint,
      TypeId::kCounter, TypeId::kVarint,  TypeId::kDecimal,  TypeId::kFloat,     TypeId::kDouble,
      TypeId::kVarchar, TypeId::kAscii,   TypeId::kBlob,     TypeId::kDate,      TypeId::kTimestamp,
      TypeId::kTime,    TypeId::kUuid,    TypeId::kInet};
  int loadable = 0;

  for (const LogicalTypePtr& source : sources) {
    data::Batch batch = OneColumn(source, [&](data::ColumnBuilder& b) {
      switch (source->kind()) {
        case TypeKind::kBoolean:
          b.AppendBoolean(true);
          break;
        case TypeKind::kInt8:
          b.AppendInt8(1);
          break;
        case TypeKind::kInt16:
          b.AppendInt16(1);
          break;
        case TypeKind::kInt32:
          b.AppendInt32(1);
          break;
        case TypeKind::kInt64:
          b.AppendInt64(1);
          break;
        case TypeKind::kFloat32:
          b.AppendFloat32(1);
          break;
        case TypeKind::kFloat64:
          b.AppendFloat64(1);
          break;
        case TypeKind::kString:
          b.AppendString("a");
          break;
        case TypeKind::kBinary:
          b.AppendBytes(Hex("01"));
          break;
        case TypeKind::kDate:
          b.AppendDate(1);
          break;
        case TypeKind::kTimestamp:
          b.AppendTimestamp(1);
          break;
        case TypeKind::kTime:
          b.AppendTime(1);
          break;
        default:
          break;
      }
    });
    for (TypeId id : ids) {
      SCOPED_TRACE(source->ToString() + " -> " + Native(id)->ToCql());
      Status check = CheckLoadable(*source, *Native(id));
      auto encoded = Encode(batch.column(0), 0, *Native(id));

      EXPECT_EQ(check.has_value(), encoded.has_value());
      if (!check.has_value() && !encoded.has_value()) {
        EXPECT_EQ(check.error().message(), encoded.error().message());
      }
      loadable += check.has_value() ? 1 : 0;
    }
  }
  // boolean 1; int8 7, int16 6, int32 5, int64 4 (wider integers, counter, varint, decimal);
  // float32 2, float64 1, string 2 (text, ascii), binary 1, date 1, timestamp 1, time 1.
  EXPECT_EQ(loadable, 32);
}

TEST(EncodeCellTest, StructsLoadIntoUdtsByFieldName) {
  using L = LogicalType;
  // Fields in another order than the UDT's, one of them missing.
  LogicalTypePtr reordered = L::Struct({{.name = "b", .type = L::String()},
                                        {.name = "a", .type = L::Int32()}});
  LogicalTypePtr partial = L::Struct({{.name = "b", .type = L::String()}});
  LogicalTypePtr extra = L::Struct({{.name = "a", .type = L::Int32()},
                                    {.name = "c", .type = L::Int32()}});
  data::Batch batch = OneColumn(reordered, [](data::ColumnBuilder& b) {
    b.child(0).AppendString("x");
    b.child(1).AppendInt32(5);
    b.AppendStructValid();
  });
  data::Batch partial_batch = OneColumn(partial, [](data::ColumnBuilder& b) {
    b.child(0).AppendString("x");
    b.AppendStructValid();
  });
  data::Batch extra_batch = OneColumn(extra, [](data::ColumnBuilder& b) {
    b.child(0).AppendInt32(1);
    b.child(1).AppendInt32(2);
    b.AppendStructValid();
  });

  EXPECT_EQ(ToHex(*Encode(batch.column(0), 0, *UdtAb())),
            CqlHex(*UdtAb(), Value::Udt({Value::Int(5), Value::Text("x")})));
  EXPECT_EQ(ToHex(*Encode(partial_batch.column(0), 0, *UdtAb())),
            CqlHex(*UdtAb(), Value::Udt({Value::Null(), Value::Text("x")})));
  EXPECT_THAT(Encode(extra_batch.column(0), 0, *UdtAb()),
              AllOf(IsError(ErrorCode::kInvalidArgument), HasMessage("cannot load a struct")));
  EXPECT_THAT(CheckLoadable(*reordered, *UdtAb()), IsOk());
  EXPECT_THAT(CheckLoadable(*partial, *UdtAb()), IsOk());
  EXPECT_THAT(CheckLoadable(*extra, *UdtAb()), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(CheckLoadable(*reordered, *Parse("tuple<int, text>")),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(CheckLoadable(*L::Tuple({L::Int8(), L::String()}), *Parse("tuple<int, text>")),
              IsOk());
}

TEST(EncodeCellTest, RefusesNullsWhereCqlHasNone) {
  using L = LogicalType;
  data::Batch lists = OneColumn(L::List(L::Int32()), [](data::ColumnBuilder& b) {
    b.BeginList();
    b.child().AppendInt32(1);
    b.child().AppendNull();
    b.EndList();
  });
  data::Batch maps = OneColumn(L::Map(L::Int32(), L::Int32()), [](data::ColumnBuilder& b) {
    b.BeginList();
    b.map_keys().AppendInt32(1);
    b.map_values().AppendNull();
    b.EndList();
  });
  data::Batch tuples = OneColumn(L::Tuple({L::Int32(), L::String()}), [](data::ColumnBuilder& b) {
    b.child(0).AppendNull();
    b.child(1).AppendString("a");
    b.AppendStructValid();
  });
  data::Buffer out;
  out.Append(uint8_t{0xAA});

  EXPECT_THAT(EncodeCell(lists.column(0), 0, *Parse("list<int>"), out),
              AllOf(IsError(ErrorCode::kInvalidArgument), HasMessage("list element")));
  EXPECT_EQ(BytesOf(out), Bytes{0xAA});  // left as it was
  EXPECT_THAT(Encode(maps.column(0), 0, *Parse("map<int, int>")), HasMessage("map value"));
  EXPECT_EQ(ToHex(*Encode(tuples.column(0), 0, *Parse("tuple<int, text>"))),
            "ffffffff0000000161");
}

TEST(EncodeCellTest, ValidatesInetSizesAndDurationSigns) {
  data::Batch inets = OneColumn(LogicalType::Inet(), [](data::ColumnBuilder& b) {
    b.AppendBytes(Hex("7f000001"));
    b.AppendBytes(Hex("7f0000"));
  });
  data::Batch durations = OneColumn(LogicalType::Duration(), [](data::ColumnBuilder& b) {
    b.AppendDuration(1, 2, 3);
    b.AppendDuration(1, -2, 3);
  });

  EXPECT_THAT(Encode(inets.column(0), 0, *Native(TypeId::kInet)),
              ::testing::Optional(Hex("7f000001")));
  EXPECT_THAT(Encode(inets.column(0), 1, *Native(TypeId::kInet)),
              AllOf(IsError(ErrorCode::kInvalidArgument), HasMessage("4 or 16 bytes")));
  EXPECT_EQ(ToHex(*Encode(durations.column(0), 0, *Native(TypeId::kDuration))),
            CqlHex(*Native(TypeId::kDuration), Value::Duration(cql::Duration{1, 2, 3})));
  EXPECT_THAT(Encode(durations.column(0), 1, *Native(TypeId::kDuration)),
              AllOf(IsError(ErrorCode::kInvalidArgument), HasMessage("mixes signs")));
}

TEST(EncodeCellTest, BoundValuesBindNullsAsNull) {
  data::Batch batch = OneColumn(LogicalType::Int32(), [](data::ColumnBuilder& b) {
    b.AppendInt32(3);
    b.AppendNull();
  });
  cql::BoundValue bound = cql::BoundValue::Text("previous");

  CQLBULK_ASSERT_OK(EncodeBoundValue(batch.column(0), 0, *Native(TypeId::kInt), bound));
  EXPECT_EQ(bound, cql::BoundValue::Int(3));
  CQLBULK_ASSERT_OK(EncodeBoundValue(batch.column(0), 1, *Native(TypeId::kInt), bound));
  EXPECT_EQ(bound, cql::BoundValue::Null());
  EXPECT_THAT(Encode(batch.column(0), 1, *Native(TypeId::kInt)),
              AllOf(IsError(ErrorCode::kInvalidArgument), HasMessage("null")));
}

TEST(EncodeCellTest, AppendsAfterWhatTheBufferHolds) {
  data::Batch batch = OneColumn(LogicalType::String(), [](data::ColumnBuilder& b) {
    b.AppendString("ab");
  });
  data::Buffer out;
  out.Append(uint8_t{0x01});

  CQLBULK_ASSERT_OK(EncodeCell(batch.column(0), 0, *Native(TypeId::kVarchar), out));

  EXPECT_EQ(ToHex(BytesOf(out)), "016162");
}

// --- CellEncoder: the straight paths against EncodeCell ----------------------------------------

/// Random cells of `type` (one in eight null), with the edge values of each kind.
data::Batch RandomCells(const LogicalTypePtr& type, std::mt19937_64& random, size_t rows) {
  auto schema = std::make_shared<data::Schema>(
      data::Schema{{data::Field{.name = "c", .type = type, .nullable = true}}});
  data::BatchBuilder builder(schema, rows);
  data::ColumnBuilder& c = builder.column(0);
  // Strings: ASCII, two- to four-byte UTF-8, and invalid sequences (a lone continuation, an
  // overlong form, a truncated sequence, a surrogate, 0xFF), at any place and length.
  const std::vector<std::string> pieces = {"a", "Zz 09", "\xC3\xA9", "\xE2\x82\xAC",
                                           "\xF0\x9F\x98\x80", "\x80", "\xC0\xAF",
                                           "\xE2\x82", "\xED\xA0\x80", "\xFF", "\xC0\x80",
                                           std::string(17, 'x')};
  for (size_t row = 0; row < rows; ++row) {
    if (random() % 8 == 0) {
      c.AppendNull();
      continue;
    }
    const uint64_t r = random();
    const int64_t edge[] = {0, 1, -1, std::numeric_limits<int64_t>::min(),
                            std::numeric_limits<int64_t>::max(), static_cast<int64_t>(r)};
    const int64_t v = edge[random() % 6];
    switch (type->kind()) {
      case TypeKind::kInt32: c.AppendInt32(static_cast<int32_t>(v)); break;
      case TypeKind::kInt64: c.AppendInt64(v); break;
      case TypeKind::kTimestamp: c.AppendTimestamp(v); break;
      case TypeKind::kTime: c.AppendTime(v % 86'400'000'000'000); break;
      case TypeKind::kFloat64: c.AppendFloat64(std::bit_cast<double>(r)); break;
      case TypeKind::kDate: c.AppendDate(static_cast<int32_t>(v)); break;
      case TypeKind::kBoolean: c.AppendBoolean((r & 1) != 0); break;
      case TypeKind::kUuid: {
        uint8_t uuid[16];
        for (auto& b : uuid) b = static_cast<uint8_t>(random());
        c.AppendUuid(uuid);
        break;
      }
      case TypeKind::kString: {
        std::string text;
        for (size_t n = random() % 8; n > 0; --n) {
          // Mostly valid pieces, so that long valid strings come up as well as bad ones.
          const size_t pick = random() % 4 == 0 ? random() % pieces.size() : random() % 5;
          text += pieces[pick];
        }
        c.AppendString(text);
        break;
      }
      case TypeKind::kDecimal: {
        Bytes unscaled(random() % 20);  // empty now and then: EncodeCell's error
        for (auto& b : unscaled) b = static_cast<uint8_t>(random());
        c.AppendDecimal(unscaled, static_cast<int32_t>(v));
        break;
      }
      default:
        ADD_FAILURE() << "no random cells of " << type->ToString();
        c.AppendNull();
    }
  }
  auto batch = builder.Finish();
  EXPECT_TRUE(batch.has_value());
  return std::move(*batch);
}

// Every pair with a straight path (and a few that go through EncodeCell) on random cells:
// AppendBytes writes the [int] length and EncodeCell's bytes, or fails with EncodeCell's
// message and leaves what was in the buffer as it was.
TEST(CellEncoderTest, MatchesEncodeCellOnRandomCells) {
  struct Pair {
    LogicalTypePtr source;
    std::string target;
    bool direct;
  };
  const std::vector<Pair> pairs = {
      {LogicalType::Int32(), "int", true},           {LogicalType::Int64(), "bigint", true},
      {LogicalType::Int64(), "counter", true},       {LogicalType::Timestamp(), "timestamp", true},
      {LogicalType::Time(), "time", true},           {LogicalType::Float64(), "double", true},
      {LogicalType::Date(), "date", true},           {LogicalType::Boolean(), "boolean", true},
      {LogicalType::Uuid(), "uuid", true},           {LogicalType::String(), "text", true},
      {LogicalType::String(), "ascii", true},        {LogicalType::Decimal(), "decimal", true},
      {LogicalType::Int32(), "bigint", false},       {LogicalType::Uuid(), "timeuuid", false},
      {LogicalType::Int64(), "varint", false},       {LogicalType::Int32(), "text", false},
  };
  std::mt19937_64 random(99);
  for (const Pair& pair : pairs) {
    SCOPED_TRACE(pair.source->ToString() + " into " + pair.target);
    DataTypePtr target = Parse(pair.target);
    CellEncoder encoder(*pair.source, *target);
    EXPECT_EQ(encoder.direct(), pair.direct);
    data::Batch batch = RandomCells(pair.source, random, 4000);
    const Column& column = batch.column(0);
    int errors = 0;
    for (size_t row = 0; row < column.num_rows(); ++row) {
      data::Buffer reference;
      reference.Append(AsBytes("head"));
      reference.Grow(4);
      Status expected = EncodeCell(column, row, *target, reference);
      if (expected.has_value()) {
        StoreBE32(reference.mutable_data() + 4, static_cast<uint32_t>(reference.size() - 8));
      } else {
        reference.Truncate(4);
        ++errors;
      }
      data::Buffer out;
      out.Append(AsBytes("head"));
      Status got = encoder.AppendBytes(column, row, out);
      ASSERT_EQ(got.has_value(), expected.has_value()) << "row " << row;
      if (!expected.has_value()) {
        ASSERT_EQ(got.error().message(), expected.error().message()) << "row " << row;
      }
      ASSERT_EQ(ToHex(BytesOf(out)), ToHex(BytesOf(reference))) << "row " << row;
    }
    if (pair.target == "text" && pair.direct) {
      EXPECT_GT(errors, 400);  // invalid UTF-8 was tried, not only valid text
    }
  }
}

// TryWrite, the cursor form a load's rows are encoded with, against AppendBytes on random
// cells (nulls, invalid UTF-8, empty decimals: the cells it declines) at every room from none
// to more than the value needs: it writes exactly AppendBytes's bytes when they fit and it
// takes them, and nothing at all (not a byte past `end` or before `p`) otherwise.
TEST(CellEncoderTest, TryWriteMatchesAppendBytesAtEveryRoom) {
  struct Pair {
    LogicalTypePtr source;
    std::string target;
  };
  const std::vector<Pair> pairs = {
      {LogicalType::Int32(), "int"},        {LogicalType::Int64(), "bigint"},
      {LogicalType::Timestamp(), "timestamp"}, {LogicalType::Time(), "time"},
      {LogicalType::Float64(), "double"},   {LogicalType::Date(), "date"},
      {LogicalType::Boolean(), "boolean"},  {LogicalType::Uuid(), "uuid"},
      {LogicalType::String(), "text"},      {LogicalType::String(), "ascii"},
      {LogicalType::Decimal(), "decimal"},  {LogicalType::Int32(), "bigint"},
      {LogicalType::Uuid(), "timeuuid"},    {LogicalType::Int32(), "text"},
  };
  std::mt19937_64 random(7);
  for (const Pair& pair : pairs) {
    SCOPED_TRACE(pair.source->ToString() + " into " + pair.target);
    DataTypePtr target = Parse(pair.target);
    CellEncoder encoder(*pair.source, *target);
    data::Batch batch = RandomCells(pair.source, random, 1500);
    const Column& column = batch.column(0);
    int written = 0;
    int declined = 0;
    for (size_t row = 0; row < column.num_rows(); ++row) {
      data::Buffer reference;
      const bool ok = encoder.AppendBytes(column, row, reference).has_value();
      const size_t size = reference.size();
      bool took_it = false;
      for (size_t room = 0; room <= size + 3; ++room) {
        // Guard bytes on both sides of the room.
        std::vector<uint8_t> memory(room + 16, 0xA5);
        uint8_t* p = memory.data() + 8;
        uint8_t* end = encoder.TryWrite(column, row, p, p + room);
        if (end != nullptr) {
          ASSERT_TRUE(ok) << "row " << row << ", room " << room;
          ASSERT_GE(room, size) << "row " << row;
          ASSERT_EQ(end, p + size) << "row " << row << ", room " << room;
          ASSERT_EQ(ToHex(BytesView(p, size)), ToHex(BytesOf(reference))) << "row " << row;
          took_it = true;
        } else {
          ASSERT_FALSE(took_it && room >= size) << "row " << row << ": declined at room " << room
                                                << " after taking it with less";
        }
        for (size_t i = 0; i < memory.size(); ++i) {
          if (i >= 8 && i < 8 + room && end != nullptr) continue;
          ASSERT_EQ(memory[i], 0xA5) << "row " << row << ", room " << room << ", byte " << i;
        }
      }
      // Given room, it takes every cell a straight path encodes without error (nulls,
      // invalid strings and empty decimals are errors: it declines them).
      if (encoder.direct() && ok) {
        ASSERT_TRUE(took_it) << "row " << row;
      }
      took_it ? ++written : ++declined;
    }
    if (encoder.direct()) {
      EXPECT_GT(written, 200);  // ascii: most random strings are not
    } else {
      EXPECT_EQ(written, 0);  // the generic path is never taken by TryWrite
    }
    EXPECT_GT(declined, 0);  // nulls at least
  }
}

// --- AppendRows a column at a time, against the row loop ----------------------------------

/// AppendRows' reference: the cursor's rows appended one by one with AppendRow, everything
/// rolled back at the first error (what AppendRows promises).
Result<size_t> AppendRowByRow(const RowDecoder& decoder, const cql::RowsResult& rows,
                              data::BatchBuilder& builder) {
  const size_t before = builder.num_rows();
  cql::RowsCursor cursor = rows.cursor();
  size_t n = 0;
  while (true) {
    Result<bool> next = cursor.Next();
    if (!next) {
      builder.Truncate(before);
      return std::move(next).error();
    }
    if (!*next) return n;
    Status appended = decoder.AppendRow(cursor, builder);
    if (!appended.has_value()) {
      builder.Truncate(before);
      return appended.error();
    }
    ++n;
  }
}

/// A random cell of `type`: mostly well formed, with nulls and empty values (when `nulls`), extremes,
/// unicode, and (when `bad`) wrong lengths, invalid UTF-8 or non-ASCII bytes, a timeuuid of
/// another version, a collection cut short.
std::optional<Bytes> RandomCell(const DataType& type, std::mt19937_64& rng, bool bad,
                               bool nulls = true) {
  auto pick = [&](uint64_t n) { return rng() % n; };
  if (nulls && pick(10) == 0) return std::nullopt;
  // Empty values: Cassandra keeps them for most types (null or empty then); the others refuse.
  const bool empty_refused = type.id == TypeId::kTinyint || type.id == TypeId::kSmallint ||
                             type.id == TypeId::kDate || type.id == TypeId::kTime ||
                             type.id == TypeId::kDuration || type.id == TypeId::kList ||
                             type.id == TypeId::kSet;
  if (nulls && pick(25) == 0 && (bad || !empty_refused)) return Bytes{};
  auto random_bytes = [&](size_t n) {
    Bytes b(n);
    for (auto& x : b) x = static_cast<uint8_t>(rng());
    return b;
  };
  auto extreme = [&](size_t n) {  // all zeros, all ones, 0x80 00.., 0x7f ff.., or random
    Bytes b = random_bytes(n);
    if (b.empty()) return b;
    switch (pick(6)) {
      case 0: std::fill(b.begin(), b.end(), 0x00); break;
      case 1: std::fill(b.begin(), b.end(), 0xff); break;
      case 2: std::fill(b.begin(), b.end(), 0x00); b[0] = 0x80; break;
      case 3: std::fill(b.begin(), b.end(), 0xff); b[0] = 0x7f; break;
      default: break;
    }
    return b;
  };
  const bool wrong = bad && pick(40) == 0;
  auto fixed = [&](size_t n) { return extreme(wrong ? (n + 1 + pick(3)) % 20 : n); };
  switch (type.id) {
    case TypeId::kBoolean: return fixed(1);
    case TypeId::kTinyint: return fixed(1);
    case TypeId::kSmallint: return fixed(2);
    case TypeId::kInt:
    case TypeId::kFloat:
    case TypeId::kDate: return fixed(4);
    case TypeId::kBigint:
    case TypeId::kTimestamp:
    case TypeId::kDouble:
    case TypeId::kTime: return fixed(8);
    case TypeId::kUuid: return fixed(16);
    case TypeId::kTimeuuid: {
      Bytes b = fixed(16);
      if (b.size() == 16 && !(bad && pick(30) == 0)) b[6] = static_cast<uint8_t>(0x10 | (b[6] & 0x0f));
      return b;
    }
    case TypeId::kInet: return random_bytes(wrong ? 5 : (pick(2) ? 4 : 16));
    case TypeId::kVarint: return extreme(1 + pick(20));
    case TypeId::kDecimal: {
      Bytes b = random_bytes(4);
      const int32_t scale = pick(4) == 0 ? static_cast<int32_t>(rng()) : static_cast<int32_t>(pick(40)) - 5;
      for (int i = 0; i < 4; ++i) b[i] = static_cast<uint8_t>(static_cast<uint32_t>(scale) >> (24 - 8 * i));
      Bytes unscaled = extreme(wrong ? 0 : 1 + pick(pick(4) == 0 ? 24 : 8));
      b.insert(b.end(), unscaled.begin(), unscaled.end());
      if (wrong) b.resize(pick(5));
      return b;
    }
    case TypeId::kDuration: {
      Bytes b;
      for (int i = 0; i < 3; ++i) b.push_back(static_cast<uint8_t>(pick(0x80)));
      if (wrong) b.pop_back();
      return b;
    }
    case TypeId::kVarchar:
    case TypeId::kAscii: {
      static const std::vector<std::string> kPieces = {"a", "Z", "0", " ", ",", "\"", "\n",
                                                       "é", "€", "😀", "日本", "\x7f"};
      std::string text;
      const size_t pieces = pick(4) == 0 ? pick(60) : pick(8);
      for (size_t i = 0; i < pieces; ++i) {
        const std::string& piece = kPieces[pick(type.id == TypeId::kAscii ? 7 : kPieces.size())];
        text += piece;
      }
      Bytes b(text.begin(), text.end());
      if (wrong && !b.empty()) b[pick(b.size())] = static_cast<uint8_t>(0x80 | rng());
      return b;
    }
    case TypeId::kBlob: return random_bytes(pick(4) == 0 ? pick(300) : pick(20));
    case TypeId::kList:
    case TypeId::kSet: {
      const uint32_t count = static_cast<uint32_t>(pick(4));
      Bytes b = Hex("00000000");
      b[3] = static_cast<uint8_t>(count);
      for (uint32_t i = 0; i < count; ++i) {
        std::optional<Bytes> element = RandomCell(*type.params[0], rng, false);
        if (!element) element = fixed(4);
        const auto n = static_cast<uint32_t>(element->size());
        for (int k = 0; k < 4; ++k) b.push_back(static_cast<uint8_t>(n >> (24 - 8 * k)));
        b.insert(b.end(), element->begin(), element->end());
      }
      if (wrong) b.resize(pick(b.size() + 1));
      return b;
    }
    default: return random_bytes(pick(8));
  }
}

/// Whether two batches hold the same rows, nulls and buffers.
void ExpectSameBatch(const data::Batch& a, const data::Batch& b) {
  ASSERT_EQ(a.num_rows(), b.num_rows());
  ASSERT_EQ(a.num_columns(), b.num_columns());
  for (size_t i = 0; i < a.num_columns(); ++i) {
    SCOPED_TRACE("column " + std::to_string(i));
    EXPECT_EQ(a.column(i).null_count(), b.column(i).null_count());
    BytesView va = a.column(i).values();
    BytesView vb = b.column(i).values();
    EXPECT_EQ(Bytes(va.begin(), va.end()), Bytes(vb.begin(), vb.end()));
  }
  for (size_t row = 0; row < a.num_rows(); ++row) {
    ASSERT_EQ(data::DebugString(a, row), data::DebugString(b, row)) << "row " << row;
  }
}

TEST(RowDecoderTest, AppendRowsMatchesTheRowLoopOnRandomPages) {
  const std::vector<std::string> kTypes = {
      "int", "bigint", "text", "ascii", "blob", "decimal", "double", "float", "uuid",
      "timeuuid", "timestamp", "date", "time", "boolean", "tinyint", "smallint", "varint",
      "inet", "duration", "frozen<list<int>>", "frozen<set<text>>"};
  std::mt19937_64 rng(20261203);
  size_t pages_ok = 0;
  size_t pages_failed = 0;
  for (int round = 0; round < 1000; ++round) {
    // 1 to 12 columns of random types; pages from 0 rows to past a few of AppendRows' chunks.
    std::vector<DataTypePtr> types;
    const size_t columns = 1 + rng() % 12;
    for (size_t i = 0; i < columns; ++i) types.push_back(Parse(kTypes[rng() % kTypes.size()]));
    const size_t rows = rng() % 4 == 0 ? rng() % 3000 : rng() % 40;
    const bool bad = rng() % 4 == 0;
    const bool nulls = rng() % 2 == 0;  // without: whole chunks of a column go in one step
    cql::RowsMetadata metadata = Columns(types);
    std::vector<std::vector<std::optional<Bytes>>> cells(rows);
    for (auto& row : cells) {
      for (const auto& type : types) row.push_back(RandomCell(*type, rng, bad, nulls));
    }
    Bytes body = RowsBody(metadata, cells);
    if (bad && rng() % 4 == 0 && !body.empty()) {
      body.resize(body.size() - 1 - rng() % std::min<size_t>(body.size(), 12));  // cut short
    }
    auto parsed = cql::ParseRowsResult(body, 5);
    if (!parsed.has_value()) continue;
    CQLBULK_ASSERT_OK_AND_ASSIGN(RowDecoder decoder, RowDecoder::Make(parsed->metadata));
    // Both builders start with the same rows: a failed page must leave them.
    data::BatchBuilder fast(decoder.schema(), 0);
    data::BatchBuilder reference(decoder.schema(), 0);
    Bytes first_row_body = RowsBody(metadata, {std::vector<std::optional<Bytes>>(columns)});
    CQLBULK_ASSERT_OK_AND_ASSIGN(cql::RowsResult first_row, cql::ParseRowsResult(first_row_body, 5));
    ASSERT_THAT(decoder.AppendRows(first_row, fast), ::testing::Optional(1u));
    ASSERT_THAT(AppendRowByRow(decoder, first_row, reference), ::testing::Optional(1u));

    SCOPED_TRACE("round " + std::to_string(round));
    Result<size_t> got = decoder.AppendRows(*parsed, fast);
    Result<size_t> want = AppendRowByRow(decoder, *parsed, reference);
    ASSERT_EQ(got.has_value(), want.has_value())
        << (got.has_value() ? want.error().ToString() : got.error().ToString());
    if (got.has_value()) {
      EXPECT_EQ(*got, *want);
      ++pages_ok;
    } else {
      EXPECT_EQ(got.error().code(), want.error().code());
      EXPECT_EQ(got.error().message(), want.error().message());
      ++pages_failed;
    }
    EXPECT_EQ(fast.num_rows(), reference.num_rows());
    CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch a, fast.Finish());
    CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch b, reference.Finish());
    ExpectSameBatch(a, b);
  }
  // Both kinds of page were seen.
  EXPECT_GT(pages_ok, 300u) << pages_failed << " failed";
  EXPECT_GT(pages_failed, 100u) << pages_ok << " decoded";
}

// Text, ascii and blob cells of up to 64 bytes are checked and copied in whole 16-byte blocks
// (never read past the page, never written past the column's bytes): against the row loop,
// cells of every length from 0 to 80, with a non-ASCII byte (valid UTF-8, invalid, or in an
// ascii cell) at every place of the cell, the page's last cells ending at the page's end.
TEST(RowDecoderTest, ShortTextCellsCopiedInBlocksMatchTheRowLoop) {
  std::mt19937_64 rng(31337);
  const char* kTypes[] = {"text", "ascii", "blob"};
  size_t pages_ok = 0, pages_failed = 0, cells_seen = 0;
  for (int round = 0; round < 3000; ++round) {
    std::vector<DataTypePtr> types;
    const size_t columns = 1 + rng() % 3;
    for (size_t i = 0; i < columns; ++i) types.push_back(Parse(kTypes[rng() % 3]));
    const size_t rows = 1 + (rng() % 8 == 0 ? rng() % 3000 : rng() % 40);
    const int flavour = static_cast<int>(rng() % 4);  // 0: ASCII only; 1: é; 2: invalid; 3: any
    std::vector<std::vector<std::optional<Bytes>>> cells(rows);
    for (auto& row : cells) {
      for (size_t c = 0; c < columns; ++c) {
        const size_t size = rng() % 4 == 0 ? rng() % 81 : rng() % 66;
        Bytes b(size);
        for (auto& x : b) x = static_cast<uint8_t>(0x20 + rng() % 0x5f);
        if (flavour != 0 && size >= 2 && rng() % 3 == 0) {
          if (flavour == 1 || (flavour == 3 && rng() % 2)) {
            const size_t at = rng() % 2 ? size - 2 : rng() % (size - 1);
            b[at] = 0xC3, b[at + 1] = 0xA9;  // é, at the end too
          } else {
            const size_t at = rng() % 2 ? size - 1 : rng() % size;
            b[at] = static_cast<uint8_t>(0x80 | rng());  // invalid, at the last byte too
          }
        }
        ++cells_seen;
        row.push_back(std::move(b));
      }
    }
    cql::RowsMetadata metadata = Columns(types);
    Bytes body = RowsBody(metadata, cells);
    // The rows' content ends where the body does: the last cells end at the page's end.
    CQLBULK_ASSERT_OK_AND_ASSIGN(cql::RowsResult parsed, cql::ParseRowsResult(body, 5));
    ASSERT_EQ(parsed.rows_content.data() + parsed.rows_content.size(), body.data() + body.size());
    CQLBULK_ASSERT_OK_AND_ASSIGN(RowDecoder decoder, RowDecoder::Make(parsed.metadata));
    data::BatchBuilder fast(decoder.schema(), 0);
    data::BatchBuilder reference(decoder.schema(), 0);
    SCOPED_TRACE("round " + std::to_string(round));
    Result<size_t> got = decoder.AppendRows(parsed, fast);
    Result<size_t> want = AppendRowByRow(decoder, parsed, reference);
    ASSERT_EQ(got.has_value(), want.has_value())
        << (got.has_value() ? want.error().ToString() : got.error().ToString());
    if (got.has_value()) {
      EXPECT_EQ(*got, *want);
      ++pages_ok;
    } else {
      EXPECT_EQ(got.error().message(), want.error().message());
      ++pages_failed;
    }
    CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch a, fast.Finish());
    CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch b, reference.Finish());
    ExpectSameBatch(a, b);
  }
  EXPECT_GT(pages_ok, 1000u) << pages_failed << " failed";
  EXPECT_GT(pages_failed, 300u) << pages_ok << " decoded";
}

}  // namespace
}  // namespace cqlbulk::ops
