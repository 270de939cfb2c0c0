// SPDX-License-Identifier: Apache-2.0
// Schema resolution: values written with one schema read as another ("Schema Resolution").
#include "cqlbulk/formats/avro/resolve.h"

#include <string>

#include <gtest/gtest.h>

#include "avro/avro_test_util.h"
#include "cqlbulk/formats/avro/encoding.h"
#include "cqlbulk/formats/avro/value_json.h"
#include "testing/matchers.h"

namespace cqlbulk::formats::avro {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::HasValue;
using cqlbulk::testing::IsError;

// Writes `json` (the JSON encoding) with `writer`, reads it back as `reader`.
Result<Value> ReadAs(std::string_view writer_json, std::string_view value_json,
                     std::string_view reader_json) {
  Schema writer = ParseOrDie(writer_json);
  Schema reader = ParseOrDie(reader_json);
  Result<Value> value = ValueFromJsonText(writer, value_json);
  if (!value.has_value()) return value.error();
  data::Buffer bytes;
  if (Status s = Encode(writer, *value, bytes); !s.has_value()) return s.error();
  Result<Resolution> resolution = Resolution::Make(writer, reader);
  if (!resolution.has_value()) return resolution.error();
  Decoder decoder(writer, bytes.view());
  Result<Value> read = decoder.Next(*resolution);
  if (read.has_value() && !decoder.empty()) return Internal("bytes left");
  return read;
}

// The reader's value as the JSON encoding of the reader's schema.
std::string ReadAsJson(std::string_view writer_json, std::string_view value_json,
                       std::string_view reader_json) {
  Result<Value> v = ReadAs(writer_json, value_json, reader_json);
  if (!v.has_value()) return "error: " + v.error().message();
  Result<std::string> json = ValueToJson(ParseOrDie(reader_json), *v);
  return json.has_value() ? *json : "error: " + json.error().message();
}

TEST(AvroResolveTest, Promotions) {
  EXPECT_EQ(ReadAsJson("\"int\"", "7", "\"long\""), "7");
  EXPECT_EQ(ReadAsJson("\"int\"", "-7", "\"double\""), "-7");
  EXPECT_EQ(ReadAsJson("\"int\"", "16777217", "\"float\""), "16777216");
  EXPECT_EQ(ReadAsJson("\"long\"", "9007199254740993", "\"double\""), "9007199254740992");
  EXPECT_EQ(ReadAsJson("\"float\"", "0.1", "\"double\""), "0.10000000149011612");
  EXPECT_EQ(ReadAsJson("\"string\"", "\"a\\u00e9\"", "\"bytes\""), "\"a\\u00c3\\u00a9\"");
  EXPECT_EQ(ReadAsJson("\"bytes\"", "\"abc\"", "\"string\""), "\"abc\"");
  EXPECT_THAT(ReadAs("\"bytes\"", "\"\\u00ff\"", "\"string\""), HasMessage("not UTF-8"));
  EXPECT_THAT(ReadAs("\"long\"", "1", "\"int\""),
              HasMessage("the writer's long cannot be read as int"));
  EXPECT_THAT(ReadAs("\"double\"", "1", "\"float\""), IsError(ErrorCode::kInvalidArgument));
}

TEST(AvroResolveTest, RecordsMatchFieldsByName) {
  std::string_view writer = R"({"type": "record", "name": "r", "fields": [
      {"name": "a", "type": "int"}, {"name": "gone", "type": {"type": "array", "items": "string"}},
      {"name": "b", "type": "string"}]})";
  // Reordered, one dropped, one added with a default, one promoted.
  std::string_view reader = R"({"type": "record", "name": "r", "fields": [
      {"name": "b", "type": "string"}, {"name": "added", "type": ["null", "long"], "default": null},
      {"name": "a", "type": "long"}, {"name": "more", "type": "string", "default": "x"}]})";
  EXPECT_EQ(ReadAsJson(writer, R"({"a": 1, "gone": ["p", "q"], "b": "B"})", reader),
            R"({"b":"B","added":null,"a":1,"more":"x"})");
  std::string_view no_default = R"({"type": "record", "name": "r", "fields": [
      {"name": "a", "type": "int"}, {"name": "c", "type": "int"}]})";
  EXPECT_THAT(ReadAs(writer, R"({"a": 1, "gone": [], "b": "B"})", no_default),
              HasMessage("r: the reader's field c has no default and the writer has no such "
                         "field"));
  std::string_view wrong = R"({"type": "record", "name": "r", "fields": [
      {"name": "b", "type": "int"}]})";
  EXPECT_THAT(ReadAs(writer, R"({"a": 1, "gone": [], "b": "B"})", wrong),
              HasMessage("r.b: the writer's string cannot be read as int"));
}

TEST(AvroResolveTest, Unions) {
  // Writer's union, reader's plain type: fine while the branch matches.
  EXPECT_EQ(ReadAsJson(R"(["null", "int"])", R"({"int": 3})", "\"long\""), "3");
  EXPECT_THAT(ReadAs(R"(["null", "int"])", "null", "\"long\""),
              HasMessage("value: the writer's null cannot be read as long (a value at byte 1)"));
  // Plain writer, reader's union: the same type first, else a promotion.
  EXPECT_EQ(ReadAsJson("\"int\"", "3", R"(["null", "double", "int"])"), R"({"int":3})");
  EXPECT_EQ(ReadAsJson("\"int\"", "3", R"(["null", "double"])"), R"({"double":3})");
  EXPECT_THAT(ReadAs("\"string\"", "\"s\"", R"(["null", "int"])"),
              HasMessage("matches no branch"));
  // Union to union, by branch.
  std::string_view reader = R"(["string", "null", "long"])";
  EXPECT_EQ(ReadAsJson(R"(["null", "int", "string"])", "null", reader), "null");
  EXPECT_EQ(ReadAsJson(R"(["null", "int", "string"])", R"({"int": 5})", reader), R"({"long":5})");
  EXPECT_EQ(ReadAsJson(R"(["null", "int", "string"])", R"({"string": "s"})", reader),
            R"({"string":"s"})");
  // Named branches match by unqualified name.
  EXPECT_EQ(ReadAsJson(R"(["null", {"type": "fixed", "name": "a.F", "size": 1}])",
                       R"({"a.F": "z"})",
                       R"(["null", {"type": "fixed", "name": "b.F", "size": 1}])"),
            R"({"b.F":"z"})");
}

TEST(AvroResolveTest, EnumsMapSymbolsByName) {
  std::string_view writer = R"({"type": "enum", "name": "E", "symbols": ["A", "B", "C"]})";
  std::string_view reader =
      R"({"type": "enum", "name": "E", "symbols": ["C", "A"], "default": "A"})";
  EXPECT_EQ(ReadAsJson(writer, "\"C\"", reader), "\"C\"");
  EXPECT_EQ(ReadAsJson(writer, "\"B\"", reader), "\"A\"");  // the reader's default
  std::string_view strict = R"({"type": "enum", "name": "E", "symbols": ["A"]})";
  EXPECT_EQ(ReadAsJson(writer, "\"A\"", strict), "\"A\"");
  EXPECT_THAT(ReadAs(writer, "\"B\"", strict), HasMessage("the reader's enum has no symbol B"));
}

TEST(AvroResolveTest, ArraysMapsFixedAndRecursion) {
  EXPECT_EQ(ReadAsJson(R"({"type": "array", "items": "int"})", "[1, 2]",
                       R"({"type": "array", "items": "double"})"),
            "[1,2]");
  EXPECT_EQ(ReadAsJson(R"({"type": "map", "values": "float"})", R"({"k": 0.5})",
                       R"({"type": "map", "values": "double"})"),
            R"({"k":0.5})");
  EXPECT_THAT(ReadAs(R"({"type": "fixed", "name": "F", "size": 2})", "\"ab\"",
                     R"({"type": "fixed", "name": "F", "size": 3})"),
              HasMessage("of 2 bytes cannot be read as fixed F of 3"));
  EXPECT_THAT(ReadAs(R"({"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 2})",
                     "\"a\"",
                     R"({"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 1})"),
              HasMessage("decimal(4, 2) cannot be read as decimal(4, 1)"));
  // A recursive record resolves against itself.
  std::string_view list = R"({"type": "record", "name": "L", "fields": [
      {"name": "v", "type": "int"}, {"name": "next", "type": ["null", "L"]}]})";
  std::string_view wider = R"({"type": "record", "name": "L", "fields": [
      {"name": "v", "type": "long"}, {"name": "next", "type": ["null", "L"]}]})";
  EXPECT_EQ(ReadAsJson(list, R"({"v": 1, "next": {"L": {"v": 2, "next": null}}})", wider),
            R"({"v":1,"next":{"L":{"v":2,"next":null}}})");
}

TEST(AvroResolveTest, IcebergManifestReadWithAnOlderReaderSchema) {
  // A reader that knows fewer data_file fields, and one that the writer did not write with a
  // default: the manifest still reads.
  std::string_view reader = R"({"type": "record", "name": "manifest_entry", "fields": [
      {"name": "status", "type": "int"},
      {"name": "data_file", "type": {"type": "record", "name": "r2", "fields": [
          {"name": "file_path", "type": "string"},
          {"name": "record_count", "type": "long"},
          {"name": "format_hint", "type": ["null", "string"], "default": null}]}}]})";
  std::string_view value = R"({"status": 1, "snapshot_id": {"long": 5},
      "sequence_number": null, "file_sequence_number": null,
      "data_file": {"content": 0, "file_path": "s3://t/data/a.parquet", "file_format": "PARQUET",
          "partition": {"id_bucket": {"int": 3}}, "record_count": 100, "file_size_in_bytes": 2048,
          "column_sizes": {"array": [{"key": 1, "value": 40}]}, "value_counts": null,
          "null_value_counts": null, "nan_value_counts": null, "lower_bounds": null,
          "upper_bounds": {"array": [{"key": 1, "value": "\u0001\u0000\u0000\u0000"}]},
          "key_metadata": null, "split_offsets": {"array": [4]}, "equality_ids": null,
          "sort_order_id": {"int": 0}, "referenced_data_file": null}})";
  EXPECT_EQ(ReadAsJson(IcebergManifestEntrySchema(), value, reader),
            R"({"status":1,"data_file":{"file_path":"s3://t/data/a.parquet","record_count":100,)"
            R"("format_hint":null}})");
}

}  // namespace
}  // namespace cqlbulk::formats::avro
