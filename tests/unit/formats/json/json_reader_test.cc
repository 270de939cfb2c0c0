// SPDX-License-Identifier: Apache-2.0
// JsonReader: JSON lines and top-level arrays, missing and extra keys, bad records with their
// lines, reads cut at every byte.
#include "cqlbulk/formats/json/json_reader.h"

#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cqlbulk/formats/io/compression.h"
#include "cqlbulk/formats/io/memory_stream.h"
#include "reader_test_util.h"
#include "testing/matchers.h"

namespace cqlbulk::formats {
namespace {

using data::LogicalType;
using testing::Columns;
using testing::ErrorsToString;
using testing::ReadAllRecords;
using testing::ReadResult;
using testing::TrickleInputStream;
using ::testing::ElementsAre;
using T = LogicalType;

data::SchemaPtr IdName() { return Columns({{"id", T::Int32()}, {"name", T::String()}}); }

ReadResult ReadJson(std::string text, data::SchemaPtr schema, std::vector<std::string> fields,
                    MissingField missing = MissingField::kUnset, size_t max_read = 1 << 20,
                    size_t max_records = 1000, TextOptions options = {}) {
  TrickleInputStream in(std::move(text), max_read);
  auto reader = JsonReader::Make(in, "in.json", schema, std::move(fields), options, missing);
  if (!reader.has_value()) {
    ReadResult result;
    result.error = "make: " + reader.error().message();
    return result;
  }
  return ReadAllRecords(**reader, schema, max_records);
}

TEST(JsonReaderTest, ReadsJsonLines) {
  auto schema = Columns({{"i", T::Int32()},
                         {"d", T::Decimal()},
                         {"t", T::String()},
                         {"ts", T::Timestamp()},
                         {"l", T::List(T::Int32())},
                         {"m", T::Map(T::String(), T::Boolean())}});
  std::string json =
      R"({"i": 1, "d": 1.50, "t": "a\"b", "ts": "2021-03-04T05:06:07.089Z", "l": [1, 2], "m": {"x": true}})"
      "\n"
      "\n"
      R"({"m": {}, "l": [], "ts": 0, "t": "", "d": "-1E-7", "i": -2, "extra": [1, {"x": 2}]})"
      "\r\n"
      R"({"i": null, "d": null, "t": null, "ts": null, "l": null, "m": null})";

  ReadResult r = ReadJson(json, schema, {"i", "d", "t", "ts", "l", "m"});

  EXPECT_EQ(r.error, "");
  EXPECT_EQ(ErrorsToString(r.errors), "");
  EXPECT_EQ(r.rows,
            "(1, 150E-2, 'a\"b', 2021-03-04T05:06:07.089Z, [1, 2], {'x': true})\n"
            "(-2, -1E-7, '', 1970-01-01T00:00:00.000Z, [], {})\n"
            "(null, null, null, null, null, null)\n");
  EXPECT_THAT(r.lines, ElementsAre(1, 3, 4));
  EXPECT_THAT(r.records, ElementsAre(1, 2, 3));
  EXPECT_EQ(r.texts[1].back(), '}');
}

TEST(JsonReaderTest, ReadsATopLevelArray) {
  std::string json =
      "\xEF\xBB\xBF[\n"
      "  {\"id\": 1, \"name\": \"a\"},\n"
      "  {\n"
      "    \"id\": 2,\n"
      "    \"name\": \"multi\\nline\"\n"
      "  },\n"
      "  {\"id\": 3, \"name\": \"]}\\\"\"}\n"
      "]\n";

  ReadResult r = ReadJson(json, IdName(), {"id", "name"});

  EXPECT_EQ(ErrorsToString(r.errors), "");
  EXPECT_EQ(r.rows, "(1, 'a')\n(2, 'multi\nline')\n(3, ']}\"')\n");
  EXPECT_THAT(r.lines, ElementsAre(2, 3, 7));
  EXPECT_EQ(r.texts[0], "{\"id\": 1, \"name\": \"a\"}");
}

TEST(JsonReaderTest, EmptyInputsAndEmptyArrays) {
  EXPECT_EQ(ReadJson("", IdName(), {"id", "name"}).consumed, 0u);
  EXPECT_EQ(ReadJson(" \n\n ", IdName(), {"id", "name"}).consumed, 0u);
  ReadResult r = ReadJson("[ ]\n", IdName(), {"id", "name"});
  EXPECT_EQ(r.consumed, 0u);
  EXPECT_EQ(ErrorsToString(r.errors), "");
  r = ReadJson("[]\n[{\"id\": 1}]", IdName(), {"id", "name"}, MissingField::kNull);
  EXPECT_EQ(r.rows, "(1, null)\n");
  std::string many;
  for (int i = 0; i < 200000; ++i) many += "[]";
  r = ReadJson(many + "{\"id\": 2}", IdName(), {"id", "name"}, MissingField::kNull);
  EXPECT_EQ(r.rows, "(2, null)\n");
}

TEST(JsonReaderTest, MissingKeysFollowTheRule) {
  std::string json = "{\"id\": 1}\n{\"id\": 2, \"name\": \"b\"}\n";

  ReadResult unset = ReadJson(json, IdName(), {"id", "name"}, MissingField::kUnset);
  EXPECT_EQ(unset.rows, "(1, null)\n(2, 'b')\n");
  ASSERT_EQ(unset.unset.size(), 2u);
  EXPECT_TRUE(unset.unset[0].empty());
  EXPECT_THAT(unset.unset[1], ElementsAre(1, 0));

  ReadResult null = ReadJson(json, IdName(), {"id", "name"}, MissingField::kNull);
  EXPECT_EQ(null.rows, "(1, null)\n(2, 'b')\n");
  EXPECT_TRUE(null.unset.size() < 2 || null.unset[1].empty());

  ReadResult error = ReadJson(json, IdName(), {"id", "name"}, MissingField::kError);
  EXPECT_EQ(error.rows, "(2, 'b')\n");
  EXPECT_EQ(ErrorsToString(error.errors), "in.json:1 #1 [name] missing field 'name' <{\"id\": 1}>\n");
}

TEST(JsonReaderTest, KeysInAnyOrderAndOneKeyFeedingTwoColumns) {
  auto schema = Columns({{"a", T::Int32()}, {"b", T::Int32()}, {"a2", T::Int64()}});
  std::string json =
      "{\"a\": 1, \"b\": 2}\n"
      "{\"b\": 3, \"a\": 4}\n"
      "{\"x\": 0, \"a\": 5, \"b\": 6}\n"
      "{\"x\": 0, \"y\": 0, \"b\": 7, \"a\": 8}\n"
      "{\"a\": 9, \"b\": 10}\n";

  ReadResult r = ReadJson(json, schema, {"a", "b", "a"});

  EXPECT_EQ(ErrorsToString(r.errors), "");
  EXPECT_EQ(r.rows, "(1, 2, 1)\n(4, 3, 4)\n(5, 6, 5)\n(8, 7, 8)\n(9, 10, 9)\n");
}

TEST(JsonReaderTest, BadRecordsAreReportedWithTheirLines) {
  auto schema = Columns({{"id", T::Int32()}, {"tags", T::Set(T::String())}});
  std::string json =
      "{\"id\": 1, \"tags\": [\"a\"]}\n"
      "{\"id\": 2, \"tags\": [\"a\"]\n"           // not closed
      "[1, 2]\n"                                  // not an object
      "{\"id\": \"x\"}\n"                         // bad value
      "{\"id\": 5, \"id\": 6}\n"                  // duplicate key
      "{\"id\": 7, \"tags\": [\"b\", null]}\n"    // null in a set, after an element
      "{\"id\": 8, \"tags\": [\"c\"]} trailing\n"
      "{\"id\": 9, \"tags\": [\"\xFF\"]}\n"       // invalid UTF-8
      "{\"id\": 10}\n";

  ReadResult r = ReadJson(json, schema, {"id", "tags"}, MissingField::kNull);

  EXPECT_EQ(r.rows, "(1, {'a'})\n(10, null)\n");
  EXPECT_THAT(r.lines, ElementsAre(1, 9));
  EXPECT_EQ(ErrorsToString(r.errors),
            "in.json:2 #2 [] invalid JSON at byte 23: unterminated object <{\"id\": 2, \"tags\": [\"a\"]>\n"
            "in.json:3 #3 [] not a JSON object <[1, 2]>\n"
            "in.json:4 #4 [id] not an int32: 'x' <{\"id\": \"x\"}>\n"
            "in.json:5 #5 [id] key 'id' twice <{\"id\": 5, \"id\": 6}>\n"
            "in.json:6 #6 [tags] element 1: null in a set <{\"id\": 7, \"tags\": [\"b\", null]}>\n"
            "in.json:7 #7 [] invalid JSON at byte 25: unexpected text after the value <{\"id\": 8, \"tags\": [\"c\"]} trailing>\n"
            "in.json:8 #8 [] invalid JSON at byte 20: invalid UTF-8 in a string <{\"id\": 9, \"tags\": [\"\xFF\"]}>\n");
}

TEST(JsonReaderTest, BadArrays) {
  ReadResult missing_comma =
      ReadJson("[{\"id\": 1} {\"id\": 2}, {\"id\": 3}]", IdName(), {"id", "name"}, MissingField::kNull);
  EXPECT_EQ(missing_comma.rows, "(1, null)\n(3, null)\n");
  EXPECT_EQ(ErrorsToString(missing_comma.errors),
            "in.json:1 #2 [] expected ',' or ']' before this value <{\"id\": 2}>\n");

  ReadResult not_closed =
      ReadJson("[{\"id\": 1},\n{\"id\": 2}\n", IdName(), {"id", "name"}, MissingField::kNull);
  EXPECT_EQ(not_closed.rows, "(1, null)\n(2, null)\n");
  EXPECT_EQ(ErrorsToString(not_closed.errors),
            "in.json:3 #3 [] the JSON array is not closed (no ']' at the end) <>\n");

  ReadResult cut = ReadJson("[{\"id\": 1}, {\"id\": ", IdName(), {"id", "name"}, MissingField::kNull);
  EXPECT_EQ(cut.rows, "(1, null)\n");
  EXPECT_EQ(ErrorsToString(cut.errors),
            "in.json:1 #2 [] the JSON array is not closed (no ']' at the end) <{\"id\": >\n");

  ReadResult stray = ReadJson("[1, }, {\"id\": 4}]", IdName(), {"id", "name"}, MissingField::kNull);
  EXPECT_EQ(stray.rows, "(4, null)\n");
  EXPECT_EQ(ErrorsToString(stray.errors),
            "in.json:1 #1 [] not a JSON object <1>\n"
            "in.json:1 #2 [] invalid JSON at byte 0: unexpected character <}>\n");
}

TEST(JsonReaderTest, ReadsCutAtEveryByteGiveTheSameResult) {
  auto schema = Columns({{"id", T::Int32()}, {"name", T::String()}, {"v", T::Vector(T::Float32(), 2)}});
  std::string lines =
      "\xEF\xBB\xBF{\"id\": 1, \"name\": \"\\u00e9\\\"\", \"v\": [1, 2]}\r\n"
      "\n"
      "{\"id\": \"bad\"}\n"
      "  {\"v\": [0.5, -1], \"id\": 3}  \n"
      "{\"id\": 4, \"name\": \"end\"}";
  std::string array =
      "[{\"id\": 1, \"name\": \"\\u00e9\\\"\", \"v\": [1, 2]},\r\n"
      "\n"
      "{\"id\": \"bad\"},\n"
      "  {\"v\": [0.5, -1],\n \"id\": 3}  ,\n"
      "{\"id\": 4, \"name\": \"end\"}]";
  for (const std::string& json : {lines, array}) {
    ReadResult whole = ReadJson(json, schema, {"id", "name", "v"});
    ASSERT_EQ(whole.error, "");
    EXPECT_EQ(whole.rows, "(1, '\xC3\xA9\"', [1, 2])\n(3, null, [0.5, -1])\n(4, 'end', null)\n");
    EXPECT_THAT(whole.lines, ElementsAre(1, 4, 5 + (json == array ? 1 : 0)));
    EXPECT_EQ(whole.errors.size(), 1u);
    for (size_t max_read : {1, 2, 3, 5, 7}) {
      for (size_t max_records : {1, 1000}) {
        ReadResult cut = ReadJson(json, schema, {"id", "name", "v"}, MissingField::kUnset,
                                  max_read, max_records);
        EXPECT_EQ(cut.rows, whole.rows) << max_read;
        EXPECT_EQ(cut.lines, whole.lines) << max_read;
        EXPECT_EQ(cut.texts, whole.texts) << max_read;
        EXPECT_EQ(cut.unset, whole.unset) << max_read;
        EXPECT_EQ(ErrorsToString(cut.errors), ErrorsToString(whole.errors)) << max_read;
      }
    }
  }
}

TEST(JsonReaderTest, TruncatedZstdReturnsTheRowsBeforeTheError) {
  std::string json;
  for (int i = 0; i < 200000; ++i) {
    json += "{\"id\": " + std::to_string(i) + ", \"name\": \"row " + std::to_string(i) + "\"}\n";
  }
  Bytes compressed;
  {
    auto out = CompressingStream(Compression::kZstd,
                                 std::make_unique<MemoryOutputStream>(&compressed));
    ASSERT_TRUE(out.has_value());
    CQLBULK_ASSERT_OK((*out)->Write(AsBytes(json)));
    CQLBULK_ASSERT_OK((*out)->Close());
  }
  compressed.resize(compressed.size() / 2);
  auto in = DecompressingStream(Compression::kZstd,
                                std::make_unique<MemoryInputStream>(std::move(compressed)),
                                "cut.json.zst");
  ASSERT_TRUE(in.has_value());
  auto schema = IdName();
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto reader, JsonReader::Make(**in, "cut.json.zst", schema,
                                                             {"id", "name"}, {},
                                                             MissingField::kUnset));
  data::BatchBuilder builder(schema, 1024);
  RecordInfo info;
  std::vector<RecordError> errors;

  CQLBULK_ASSERT_OK_AND_ASSIGN(size_t n, reader->Read(builder, 1'000'000, info, errors));
  EXPECT_GT(n, 1000u);
  EXPECT_LT(n, 200000u);
  EXPECT_THAT(reader->Read(builder, 1'000'000, info, errors),
              cqlbulk::testing::IsError(ErrorCode::kCorrupt));
  EXPECT_TRUE(errors.empty());
}

TEST(JsonReaderTest, MakeChecksItsArguments) {
  EXPECT_EQ(ReadJson("", IdName(), {"id"}).error,
            "make: JSON reader: 1 source fields for 2 target fields");
  TextOptions options;
  options.timestamp_format = "%Y%";
  EXPECT_EQ(ReadJson("", IdName(), {"id", "name"}, MissingField::kUnset, 1 << 20, 1000, options).error,
            "make: timestamp format '%Y%' ends with '%'");
}

}  // namespace
}  // namespace cqlbulk::formats
