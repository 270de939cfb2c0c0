// SPDX-License-Identifier: Apache-2.0
// CsvReader: RFC 4180 quoting, line ends, BOM, blank lines, line numbers, headers, missing
// fields, bad records (rolled back), reads cut at every byte, truncated compressed input.
#include "cqlbulk/formats/csv/csv_reader.h"

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

ReadResult ReadCsv(std::string text, data::SchemaPtr schema, std::vector<std::string> fields,
                   CsvOptions options = {}, MissingField missing = MissingField::kUnset,
                   size_t max_read = 1 << 20, size_t max_records = 1000) {
  TrickleInputStream in(std::move(text), max_read);
  auto reader = CsvReader::Make(in, "in.csv", schema, std::move(fields), options, missing);
  if (!reader.has_value()) {
    ReadResult result;
    result.error = "make: " + reader.error().message();
    return result;
  }
  return ReadAllRecords(**reader, schema, max_records);
}

TEST(CsvReaderTest, ReadsTypedColumnsByHeaderName) {
  auto schema = Columns({{"i", T::Int32()},
                         {"b", T::Int64()},
                         {"t", T::String()},
                         {"d", T::Float64()},
                         {"u", T::Uuid()},
                         {"ts", T::Timestamp()}});
  std::string csv =
      "ts,u,d,t,b,i\n"
      "2021-03-04T05:06:07.089Z,123e4567-e89b-42d3-a456-426614174000,1.5,hello,-7,42\n"
      "1970-01-01,123e4567-e89b-42d3-a456-426614174001,-0.25,\"a, b\",9000000000,-1\n";

  ReadResult r = ReadCsv(csv, schema, {"i", "b", "t", "d", "u", "ts"});

  EXPECT_EQ(r.error, "");
  EXPECT_EQ(ErrorsToString(r.errors), "");
  EXPECT_EQ(r.rows,
            "(42, -7, 'hello', 1.5, 123e4567-e89b-42d3-a456-426614174000, "
            "2021-03-04T05:06:07.089Z)\n"
            "(-1, 9000000000, 'a, b', -0.25, 123e4567-e89b-42d3-a456-426614174001, "
            "1970-01-01T00:00:00.000Z)\n");
  EXPECT_THAT(r.lines, ElementsAre(2, 3));
  EXPECT_THAT(r.records, ElementsAre(1, 2));
  EXPECT_EQ(r.texts[1],
            "1970-01-01,123e4567-e89b-42d3-a456-426614174001,-0.25,\"a, b\",9000000000,-1");
  EXPECT_EQ(r.consumed, 2u);
}

TEST(CsvReaderTest, QuotedFieldsHoldDelimitersQuotesAndNewlines) {
  std::string csv =
      "id,name\n"
      "1,\"say \"\"hi\"\"\"\n"
      "2,\"two\nlines\r\nhere\"\n"
      "3,\"\"\n"
      "4,\n"
      "5,plain\n";

  ReadResult r = ReadCsv(csv, IdName(), {"id", "name"});

  EXPECT_EQ(ErrorsToString(r.errors), "");
  EXPECT_EQ(r.rows, "(1, 'say \"hi\"')\n(2, 'two\nlines\r\nhere')\n(3, '')\n(4, null)\n(5, 'plain')\n");
  EXPECT_THAT(r.lines, ElementsAre(2, 3, 6, 7, 8));
  EXPECT_EQ(r.texts[1], "2,\"two\nlines\r\nhere\"");
}

TEST(CsvReaderTest, CrlfBomBlankLinesAndNoFinalLineEnd) {
  std::string csv = "\xEF\xBB\xBFid,name\r\n\r\n1,a\r\n\n\n2,b\r3,c";

  ReadResult r = ReadCsv(csv, IdName(), {"id", "name"});

  EXPECT_EQ(ErrorsToString(r.errors), "");
  EXPECT_EQ(r.rows, "(1, 'a')\n(2, 'b')\n(3, 'c')\n");
  EXPECT_THAT(r.lines, ElementsAre(3, 6, 7));
  EXPECT_THAT(r.texts, ElementsAre("1,a", "2,b", "3,c"));
}

TEST(CsvReaderTest, BadRecordsAreReportedAndAddNoRow) {
  auto schema = Columns({{"id", T::Int32()}, {"name", T::String()}, {"tags", T::List(T::Int32())}});
  std::string csv =
      "id,name,tags\n"
      "1,a,[1]\n"
      "2,b\n"                      // too few fields
      "3,c,[2],extra\n"            // too many
      "x,d,[3]\n"                  // bad int
      "5,\"e\"x,[4]\n"             // text after a closing quote
      "6,\xFF,[5]\n"               // invalid UTF-8
      "7,g,\"[6, \"\"no\"\"]\"\n"  // bad list element, after the first element was appended
      "8,h,[7]\n"
      "9,\"unterminated,[8]\n"
      "10,i,[9]\n";

  ReadResult r = ReadCsv(csv, schema, {"id", "name", "tags"});

  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.rows, "(1, 'a', [1])\n(8, 'h', [7])\n");
  EXPECT_THAT(r.lines, ElementsAre(2, 9));
  EXPECT_THAT(r.records, ElementsAre(1, 8));
  EXPECT_EQ(ErrorsToString(r.errors),
            "in.csv:3 #2 [] 2 fields, the header has 3 <2,b>\n"
            "in.csv:4 #3 [] 4 fields, the header has 3 <3,c,[2],extra>\n"
            "in.csv:5 #4 [id] not an int32: 'x' <x,d,[3]>\n"
            "in.csv:6 #5 [] text after the closing quote of a field <5,\"e\"x,[4]>\n"
            "in.csv:7 #6 [name] invalid UTF-8 at byte 0 <6,\xFF,[5]>\n"
            "in.csv:8 #7 [tags] element 1: not an int32: 'no' <7,g,\"[6, \"\"no\"\"]\">\n"
            "in.csv:10 #9 [] unterminated quoted field <9,\"unterminated,[8]\n10,i,[9]\n>\n");
  EXPECT_EQ(r.consumed, 9u);
}

TEST(CsvReaderTest, NullStringAndEmptyFields) {
  auto schema = Columns({{"i", T::Int32()}, {"s", T::String()}, {"b", T::Binary()}});
  CsvOptions options;
  options.text.null_string = "NULL";
  std::string csv =
      "i,s,b\n"
      "NULL,NULL,NULL\n"
      "\"\",\"NULL\",\"\"\n"
      ",,\n";

  ReadResult r = ReadCsv(csv, schema, {"i", "s", "b"}, options);

  EXPECT_EQ(ErrorsToString(r.errors), "");
  EXPECT_EQ(r.rows, "(null, null, null)\n(null, 'NULL', 0x)\n(null, '', 0x)\n");
}

TEST(CsvReaderTest, DefaultNullIsTheEmptyUnquotedField) {
  auto schema = Columns({{"i", T::Int32()}, {"s", T::String()}});

  ReadResult r = ReadCsv("i,s\n,\n\"\",\"\"\n", schema, {"i", "s"});

  EXPECT_EQ(r.rows, "(null, null)\n(null, '')\n");
}

TEST(CsvReaderTest, OtherDialects) {
  CsvOptions options;
  options.delimiter = ';';
  options.quote = '\'';
  options.escape = '\\';
  std::string csv = "id;name\n1;'it\\'s; \\\\ ok'\n2;'a\\b'\n";

  ReadResult r = ReadCsv(csv, IdName(), {"id", "name"}, options);

  EXPECT_EQ(ErrorsToString(r.errors), "");
  EXPECT_EQ(r.rows, "(1, 'it's; \\ ok')\n(2, 'a\\b')\n");

  options = {};
  options.delimiter = '\t';
  r = ReadCsv("id\tname\n1\ta b\n", IdName(), {"id", "name"}, options);
  EXPECT_EQ(r.rows, "(1, 'a b')\n");
}

TEST(CsvReaderTest, HeaderColumnMissingFromTheFile) {
  auto schema = Columns({{"id", T::Int32()}, {"name", T::String()}, {"age", T::Int32()}});
  std::string csv = "name,id\na,1\nb,2\n";

  ReadResult unset = ReadCsv(csv, schema, {"id", "name", "age"}, {}, MissingField::kUnset);
  EXPECT_EQ(unset.rows, "(1, 'a', null)\n(2, 'b', null)\n");
  ASSERT_EQ(unset.unset.size(), 3u);
  EXPECT_TRUE(unset.unset[0].empty());
  EXPECT_THAT(unset.unset[2], ElementsAre(1, 1));

  ReadResult null = ReadCsv(csv, schema, {"id", "name", "age"}, {}, MissingField::kNull);
  EXPECT_EQ(null.rows, "(1, 'a', null)\n(2, 'b', null)\n");
  EXPECT_TRUE(null.unset.size() < 3 || null.unset[2].empty());

  ReadResult error = ReadCsv(csv, schema, {"id", "name", "age"}, {}, MissingField::kError);
  EXPECT_EQ(error.error, "make: in.csv: the CSV header has no column 'age'");
}

TEST(CsvReaderTest, WithoutHeaderFieldsAreColumnIndexes) {
  auto schema = Columns({{"id", T::Int32()}, {"name", T::String()}});
  CsvOptions options;
  options.header = false;
  std::string csv = "x,1,a\ny,2\nz,3,c,extra\n";

  ReadResult r = ReadCsv(csv, schema, {"1", "2"}, options, MissingField::kUnset);

  EXPECT_EQ(ErrorsToString(r.errors), "");
  EXPECT_EQ(r.rows, "(1, 'a')\n(2, null)\n(3, 'c')\n");
  EXPECT_THAT(r.lines, ElementsAre(1, 2, 3));
  ASSERT_EQ(r.unset.size(), 2u);
  EXPECT_THAT(r.unset[1], ElementsAre(0, 1, 0));

  ReadResult strict = ReadCsv(csv, schema, {"1", "2"}, options, MissingField::kError);
  EXPECT_EQ(ErrorsToString(strict.errors), "in.csv:2 #2 [2] missing field '2' <y,2>\n");

  ReadResult bad = ReadCsv(csv, schema, {"1", "name"}, options);
  EXPECT_EQ(bad.error, "make: CSV without a header: source field 'name' is not a 0-based column index");
}

TEST(CsvReaderTest, MakeRejectsAmbiguousDialectsAndMismatchedFields) {
  CsvOptions options;
  options.delimiter = '"';
  EXPECT_EQ(ReadCsv("", IdName(), {"id", "name"}, options).error,
            "make: CSV: the delimiter '\"' is also the quote or the escape");
  options = {};
  options.quote = '\n';
  EXPECT_EQ(ReadCsv("", IdName(), {"id", "name"}, options).error,
            "make: CSV: the delimiter, quote and escape cannot be CR or LF");
  EXPECT_EQ(ReadCsv("", IdName(), {"id"}).error,
            "make: CSV reader: 1 source fields for 2 target fields");
  options = {};
  options.text.time_zone = "Mars/Olympus";
  EXPECT_THAT(ReadCsv("", IdName(), {"id", "name"}, options).error,
              ::testing::HasSubstr("time zone 'Mars/Olympus'"));
  EXPECT_EQ(ReadCsv("\"id,name\n", IdName(), {"id", "name"}).error,
            "make: in.csv: CSV header: unterminated quoted field");
}

TEST(CsvReaderTest, EmptyInputHasNoRecords) {
  ReadResult r = ReadCsv("", IdName(), {"id", "name"}, {}, MissingField::kError);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.consumed, 0u);
  r = ReadCsv("\xEF\xBB\xBF", IdName(), {"id", "name"});
  EXPECT_EQ(r.consumed, 0u);
  r = ReadCsv("id,name\n", IdName(), {"id", "name"});
  EXPECT_EQ(r.consumed, 0u);
}

TEST(CsvReaderTest, NonNullableColumnGetsNoNull) {
  auto schema = std::make_shared<data::Schema>(data::Schema{
      {data::Field{.name = "id", .type = T::Int32(), .nullable = false},
       data::Field{.name = "name", .type = T::String()}}});

  ReadResult r = ReadCsv("id,name\n,a\n2,b\n", schema, {"id", "name"});

  EXPECT_EQ(r.rows, "(2, 'b')\n");
  EXPECT_EQ(ErrorsToString(r.errors),
            "in.csv:2 #1 [id] null for the non-nullable field 'id' <,a>\n");
}

// Every way of cutting the input into reads gives the same records, lines and errors.
TEST(CsvReaderTest, ReadsCutAtEveryByteGiveTheSameResult) {
  auto schema = Columns({{"id", T::Int32()}, {"name", T::String()}, {"m", T::Map(T::String(), T::Int32())}});
  std::string csv =
      "\xEF\xBB\xBFid,name,m\r\n"
      "1,\"multi\r\nline \"\"quoted\"\"\",\"{\"\"a\"\": 1}\"\r\n"
      "\r\n"
      "2,plain,\r"
      "x,bad,\n"
      "3,\"\",\"{}\"\n"
      "4,\"last\",";
  ReadResult whole = ReadCsv(csv, schema, {"id", "name", "m"});
  ASSERT_EQ(whole.error, "");
  EXPECT_EQ(whole.rows,
            "(1, 'multi\r\nline \"quoted\"', {'a': 1})\n(2, 'plain', null)\n(3, '', {})\n"
            "(4, 'last', null)\n");
  EXPECT_THAT(whole.lines, ElementsAre(2, 5, 7, 8));
  EXPECT_EQ(ErrorsToString(whole.errors), "in.csv:6 #3 [id] not an int32: 'x' <x,bad,>\n");

  for (size_t max_read : {1, 2, 3, 5, 7, 16}) {
    for (size_t max_records : {1, 2, 1000}) {
      ReadResult cut = ReadCsv(csv, schema, {"id", "name", "m"}, {}, MissingField::kUnset,
                               max_read, max_records);
      EXPECT_EQ(cut.rows, whole.rows) << max_read << " " << max_records;
      EXPECT_EQ(cut.lines, whole.lines) << max_read;
      EXPECT_EQ(cut.texts, whole.texts) << max_read;
      EXPECT_EQ(ErrorsToString(cut.errors), ErrorsToString(whole.errors)) << max_read;
    }
  }
}

TEST(CsvReaderTest, RecordsLongerThanTheChunk) {
  std::string big(3 << 20, 'x');
  big[1000] = '\n';
  big[2000] = '"';
  std::string quoted;
  for (char c : big) {
    quoted += c;
    if (c == '"') quoted += '"';
  }
  std::string csv = "id,name\n1,\"" + quoted + "\"\n2,small\n";

  ReadResult r = ReadCsv(csv, IdName(), {"id", "name"});

  EXPECT_EQ(r.error, "");
  EXPECT_EQ(ErrorsToString(r.errors), "");
  ASSERT_EQ(r.texts.size(), 2u);
  EXPECT_EQ(r.texts[0].size(), 2 + 1 + quoted.size() + 1);
  EXPECT_THAT(r.lines, ElementsAre(2, 4));
}

TEST(CsvReaderTest, ManyRecordsAcrossChunks) {
  std::string csv = "id,name\n";
  for (int i = 0; i < 200000; ++i) {
    csv += std::to_string(i) + ",name" + std::to_string(i % 100) + "\n";
  }
  MemoryInputStream in(Bytes(csv.begin(), csv.end()));
  auto schema = IdName();
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto reader,
                               CsvReader::Make(in, "big.csv", schema, {"id", "name"}, {},
                                               MissingField::kUnset));
  data::BatchBuilder builder(schema, 4096);
  RecordInfo info;
  std::vector<RecordError> errors;
  int64_t expected = 0;
  for (;;) {
    CQLBULK_ASSERT_OK_AND_ASSIGN(size_t n, reader->Read(builder, 4096, info, errors));
    if (n == 0) break;
    CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, builder.Finish());
    for (size_t row = 0; row < batch.num_rows(); ++row, ++expected) {
      ASSERT_EQ(batch.column(0).Int32(row), expected);
      ASSERT_EQ(info.lines[row], expected + 2);
    }
    info.Clear();
  }
  EXPECT_EQ(expected, 200000);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(reader->records_consumed(), 200000);
}

TEST(CsvReaderTest, TruncatedGzipReturnsTheRowsBeforeTheError) {
  std::string csv = "id,name\n";
  for (int i = 0; i < 300000; ++i) {
    csv += std::to_string(i) + ",some text for row " + std::to_string(i) + "\n";
  }
  Bytes compressed;
  {
    auto out = CompressingStream(Compression::kGzip,
                                 std::make_unique<MemoryOutputStream>(&compressed));
    ASSERT_TRUE(out.has_value());
    CQLBULK_ASSERT_OK((*out)->Write(AsBytes(csv)));
    CQLBULK_ASSERT_OK((*out)->Close());
  }
  compressed.resize(compressed.size() * 2 / 3);
  auto in = DecompressingStream(Compression::kGzip,
                                std::make_unique<MemoryInputStream>(std::move(compressed)),
                                "cut.csv.gz");
  ASSERT_TRUE(in.has_value());
  auto schema = IdName();
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto reader, CsvReader::Make(**in, "cut.csv.gz", schema,
                                                            {"id", "name"}, {},
                                                            MissingField::kUnset));
  data::BatchBuilder builder(schema, 1024);
  RecordInfo info;
  std::vector<RecordError> errors;

  CQLBULK_ASSERT_OK_AND_ASSIGN(size_t n, reader->Read(builder, 1'000'000, info, errors));
  EXPECT_GT(n, 1000u);
  EXPECT_LT(n, 300000u);
  EXPECT_EQ(builder.num_rows(), n);
  Result<size_t> next = reader->Read(builder, 1'000'000, info, errors);
  EXPECT_THAT(next, cqlbulk::testing::IsError(ErrorCode::kCorrupt));
  EXPECT_THAT(reader->Read(builder, 10, info, errors), cqlbulk::testing::IsError(ErrorCode::kCorrupt));
  EXPECT_TRUE(errors.empty());
  CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, builder.Finish());
  EXPECT_EQ(batch.column(0).Int32(n - 1), static_cast<int32_t>(n - 1));
}

}  // namespace
}  // namespace cqlbulk::formats
