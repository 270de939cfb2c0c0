// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/csv/csv_writer.h"

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/formats/io/memory_stream.h"
#include "testing/matchers.h"
#include "writer_test_util.h"

namespace cqlbulk::formats {
namespace {

using ::cqlbulk::testing::HasMessage;
using ::cqlbulk::testing::IsError;
using ::cqlbulk::testing::IsOk;
using data::Batch;
using data::BatchBuilder;
using data::ColumnBuilder;
using data::Field;
using data::Schema;
using data::SchemaPtr;
using T = data::LogicalType;
using testing::OneColumnBatch;

/// Writes `batch` with `options` and returns the whole output.
std::string WriteCsv(const Batch& batch, CsvOptions options = {}) {
  Bytes bytes;
  MemoryOutputStream out(&bytes);
  auto writer = CsvWriter::Make(out, batch.schema_ptr(), std::move(options));
  EXPECT_TRUE(writer.has_value()) << writer.error().ToString();
  EXPECT_THAT((*writer)->Write(batch), IsOk());
  EXPECT_THAT((*writer)->Flush(), IsOk());
  EXPECT_EQ((*writer)->records_written(), static_cast<int64_t>(batch.num_rows()));
  return std::string(AsChars(bytes));
}

Batch Strings(std::vector<const char*> values) {
  return OneColumnBatch(T::String(), [&](ColumnBuilder& c) {
    for (const char* v : values) {
      v == nullptr ? c.AppendNull() : c.AppendString(v);
    }
  });
}

SchemaPtr ThreeColumns() {
  return std::make_shared<Schema>(Schema{{
      Field{.name = "id", .type = T::Int32()},
      Field{.name = "name", .type = T::String()},
      Field{.name = "score", .type = T::Float64()},
  }});
}

Batch ThreeColumnRows() {
  BatchBuilder builder(ThreeColumns(), 3);
  builder.column(0).AppendInt32(1);
  builder.column(1).AppendString("ann");
  builder.column(2).AppendFloat64(1.5);
  builder.column(0).AppendInt32(-2);
  builder.column(1).AppendNull();
  builder.column(2).AppendNull();
  builder.column(0).AppendInt32(3);
  builder.column(1).AppendString("Smith, J.");
  builder.column(2).AppendFloat64(-0.25);
  return std::move(builder.Finish()).value();
}

TEST(CsvWriterTest, WritesAHeaderAndRows) {
  EXPECT_EQ(WriteCsv(ThreeColumnRows()), "id,name,score\n1,ann,1.5\n-2,,\n3,\"Smith, J.\",-0.25\n");
}

TEST(CsvWriterTest, WritesNoHeaderWhenAskedAndCrLfLineEnds) {
  EXPECT_EQ(WriteCsv(ThreeColumnRows(), CsvOptions{.header = false, .line_end = "\r\n"}),
            "1,ann,1.5\r\n-2,,\r\n3,\"Smith, J.\",-0.25\r\n");
}

TEST(CsvWriterTest, QuotesFieldsThatNeedIt) {
  Batch batch = Strings({"plain", "", nullptr, "a,b", "say \"hi\"", "two\nlines", "cr\r",
                         " lead", "trail ", "mid space", "\"", "x\"\"y"});

  EXPECT_EQ(WriteCsv(batch, CsvOptions{.header = false}),
            "plain\n"
            "\"\"\n"
            "\n"
            "\"a,b\"\n"
            "\"say \"\"hi\"\"\"\n"
            "\"two\nlines\"\n"
            "\"cr\r\"\n"
            "\" lead\"\n"
            "\"trail \"\n"
            "mid space\n"
            "\"\"\"\"\n"
            "\"x\"\"\"\"y\"\n");
}

/// The quoting rules of CsvWriter's documentation, byte by byte: the reference the writer's
/// vectorised scan and quoting are compared with.
std::string ReferenceField(const std::string& value, const CsvOptions& o) {
  bool quote = value.empty() || value.front() == ' ' || value.back() == ' ' ||
               value == o.text.null_string;
  for (char c : value) {
    quote = quote || c == o.delimiter || c == o.quote || c == o.escape || c == '\r' || c == '\n';
  }
  if (!quote) return value;
  std::string out(1, o.quote);
  for (char c : value) {
    if (c == o.quote || c == o.escape) out += o.escape;
    out += c;
  }
  return out + o.quote;
}

// Random fields of 0 to 70 bytes (the scan's 16-byte blocks, their overlapping last block and
// the byte loop below 16) from an alphabet rich in the special characters, in three dialects:
// the writer's output is the reference's, field for field.
TEST(CsvWriterTest, QuotingMatchesTheReferenceOnRandomFields) {
  const std::string alphabet = std::string("ab ,;\t\"'\\\r\nNUL") + "\xC3\xA9" + "\x7F";
  std::mt19937 random(7);
  std::vector<CsvOptions> dialects(3);
  dialects[0].header = false;
  dialects[1] = CsvOptions{.delimiter = ';', .quote = '\'', .escape = '\\', .header = false};
  dialects[2] = CsvOptions{.delimiter = '\t', .header = false};
  dialects[2].text.null_string = "NUL";
  for (const CsvOptions& options : dialects) {
    std::vector<std::string> values;
    for (int i = 0; i < 3000; ++i) {
      std::string value(random() % 71, 'x');
      // Mostly plain letters, with a few specials, so that both the quoted and the bare
      // paths and every position of a special in a block are taken.
      for (char& c : value) {
        c = random() % 8 == 0 ? alphabet[random() % alphabet.size()]
                              : static_cast<char>('a' + random() % 26);
      }
      values.push_back(std::move(value));
    }
    values.push_back("NUL");
    values.push_back(std::string(16, 'q') + ",");
    values.push_back("," + std::string(31, 'q'));
    std::vector<const char*> pointers;
    for (const auto& v : values) pointers.push_back(v.c_str());
    std::string expected;
    for (const auto& v : values) expected += ReferenceField(v, options) + "\n";
    ASSERT_EQ(WriteCsv(Strings(pointers), options), expected);
  }
}

TEST(CsvWriterTest, EscapesQuotesAndEscapesWithADistinctEscape) {
  Batch batch = Strings({"a\"b", "back\\slash", "both \\\"", "none"});

  EXPECT_EQ(WriteCsv(batch, CsvOptions{.escape = '\\', .header = false}),
            "\"a\\\"b\"\n\"back\\\\slash\"\n\"both \\\\\\\"\"\nnone\n");
}

TEST(CsvWriterTest, NullStringIsWrittenBareAndAValueEqualToItIsQuoted) {
  Batch batch = Strings({nullptr, "NULL", "", "null"});
  CsvOptions options{.header = false};
  options.text.null_string = "NULL";

  EXPECT_EQ(WriteCsv(batch, options), "NULL\n\"NULL\"\n\"\"\nnull\n");
}

TEST(CsvWriterTest, NumbersThatLookLikeTheNullStringAreQuoted) {
  Batch batch = OneColumnBatch(T::Int32(), [](ColumnBuilder& c) {
    c.AppendInt32(0);
    c.AppendNull();
    c.AppendInt32(10);
  });
  CsvOptions options{.header = false};
  options.text.null_string = "0";

  EXPECT_EQ(WriteCsv(batch, options), "\"0\"\n0\n10\n");
}

TEST(CsvWriterTest, QuotesScalarsThatHoldTheDelimiter) {
  Batch doubles = OneColumnBatch(T::Float64(), [](ColumnBuilder& c) {
    c.AppendFloat64(1.5);
    c.AppendFloat64(2);
  });
  Batch times = OneColumnBatch(T::Time(), [](ColumnBuilder& c) { c.AppendTime(0); });
  Batch dates = OneColumnBatch(T::Date(), [](ColumnBuilder& c) { c.AppendDate(0); });

  EXPECT_EQ(WriteCsv(doubles, CsvOptions{.delimiter = '.', .header = false}), "\"1.5\"\n2\n");
  EXPECT_EQ(WriteCsv(times, CsvOptions{.delimiter = ':', .header = false}), "\"00:00:00\"\n");
  EXPECT_EQ(WriteCsv(dates, CsvOptions{.delimiter = '-', .header = false}),
            "\"1970-01-01\"\n");
}

TEST(CsvWriterTest, OtherDelimitersAndQuotes) {
  EXPECT_EQ(WriteCsv(ThreeColumnRows(), CsvOptions{.delimiter = '\t'}),
            "id\tname\tscore\n1\tann\t1.5\n-2\t\t\n3\tSmith, J.\t-0.25\n");
  EXPECT_EQ(WriteCsv(Strings({"it's", "a;b"}),
                     CsvOptions{.delimiter = ';', .quote = '\'', .escape = '\'', .header = false}),
            "'it''s'\n'a;b'\n");
}

TEST(CsvWriterTest, NestedValuesAreQuotedJson) {
  Batch batch = OneColumnBatch(T::Map(T::String(), T::List(T::Int32())), [](ColumnBuilder& c) {
    c.BeginList();
    c.map_keys().AppendString("a");
    c.map_values().BeginList();
    c.map_values().child().AppendInt32(1);
    c.map_values().child().AppendInt32(2);
    c.map_values().EndList();
    c.EndList();
    c.BeginList();
    c.EndList();
  });

  EXPECT_EQ(WriteCsv(batch, CsvOptions{.header = false}), "\"{\"\"a\"\":[1,2]}\"\n{}\n");
}

TEST(CsvWriterTest, HeaderNamesAreQuotedWhenNeeded) {
  auto schema = std::make_shared<Schema>(Schema{{
      Field{.name = "a,b", .type = T::Int32()},
      Field{.name = "say \"x\"", .type = T::Int32()},
      Field{.name = "plain", .type = T::Int32()},
  }});
  BatchBuilder builder(schema, 0);
  Batch batch = std::move(builder.Finish()).value();

  EXPECT_EQ(WriteCsv(batch), "\"a,b\",\"say \"\"x\"\"\",plain\n");
}

TEST(CsvWriterTest, AnEmptyBatchGivesTheHeaderOnly) {
  BatchBuilder builder(ThreeColumns(), 0);
  Batch batch = std::move(builder.Finish()).value();

  EXPECT_EQ(WriteCsv(batch), "id,name,score\n");
  EXPECT_EQ(WriteCsv(batch, CsvOptions{.header = false}), "");
}

TEST(CsvWriterTest, WritesARangeOfRows) {
  Batch batch = ThreeColumnRows();
  Bytes bytes;
  MemoryOutputStream out(&bytes);
  auto writer = std::move(CsvWriter::Make(out, batch.schema_ptr(), {.header = false})).value();

  EXPECT_THAT(writer->Write(batch, 1, 3), IsOk());
  EXPECT_THAT(writer->Write(batch, 0, 1), IsOk());
  EXPECT_THAT(writer->Write(batch, 2, 2), IsOk());
  EXPECT_THAT(writer->Write(batch, 2, 4), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(writer->Write(batch, 2, 1), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(writer->Flush(), IsOk());

  EXPECT_EQ(std::string(AsChars(bytes)), "-2,,\n3,\"Smith, J.\",-0.25\n1,ann,1.5\n");
  EXPECT_EQ(writer->records_written(), 3);
}

TEST(CsvWriterTest, RejectsABatchOfAnotherSchema) {
  Bytes bytes;
  MemoryOutputStream out(&bytes);
  auto writer = std::move(CsvWriter::Make(out, ThreeColumns(), {})).value();
  Batch other = Strings({"x"});

  EXPECT_THAT(writer->Write(other), IsError(ErrorCode::kInvalidArgument));
}

TEST(CsvWriterTest, AcceptsAnEqualSchemaHeldElsewhere) {
  Bytes bytes;
  MemoryOutputStream out(&bytes);
  auto writer = std::move(CsvWriter::Make(out, ThreeColumns(), {.header = false})).value();

  EXPECT_THAT(writer->Write(ThreeColumnRows()), IsOk());
}

TEST(CsvWriterTest, MakeRejectsAmbiguousDialects) {
  Bytes bytes;
  MemoryOutputStream out(&bytes);
  auto make = [&](CsvOptions options) { return CsvWriter::Make(out, ThreeColumns(), options); };
  CsvOptions null_with_delimiter;
  null_with_delimiter.text.null_string = "a,b";
  CsvOptions bad_zone;
  bad_zone.text.time_zone = "Mars/Olympus";

  EXPECT_THAT(make({.delimiter = '"'}), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(make({.delimiter = '\\', .escape = '\\'}), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(make({.delimiter = '\n'}), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(make({.quote = '\r'}), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(make({.line_end = ""}), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(make(null_with_delimiter), HasMessage("null string"));
  EXPECT_THAT(make(bad_zone), HasMessage("time_zone"));
  EXPECT_THAT(CsvWriter::Make(out, nullptr, {}), IsError(ErrorCode::kInvalidArgument));
}

/// An output stream that records the size of each write and can fail.
class RecordingStream final : public OutputStream {
 public:
  std::vector<size_t> writes;
  std::string data;
  bool fail = false;

 protected:
  Status DoWrite(BytesView bytes) override {
    if (fail) return IoError("disk full");
    writes.push_back(bytes.size());
    data.append(AsChars(bytes));
    return OkStatus();
  }
  Status DoFlush() override { return OkStatus(); }
  Status DoClose() override { return OkStatus(); }
};

Batch ManyRows(size_t rows) {
  return OneColumnBatch(T::Int64(), [&](ColumnBuilder& c) {
    for (size_t i = 0; i < rows; ++i) c.AppendInt64(static_cast<int64_t>(i) * 1'000'003);
  });
}

TEST(CsvWriterTest, WritesToTheStreamInChunksOfAbout64KiB) {
  Batch batch = ManyRows(100'000);
  RecordingStream out;
  auto writer = std::move(CsvWriter::Make(out, batch.schema_ptr(), {})).value();

  ASSERT_THAT(writer->Write(batch), IsOk());
  size_t before_flush = out.writes.size();
  ASSERT_THAT(writer->Flush(), IsOk());

  EXPECT_GT(before_flush, 10u);
  for (size_t size : out.writes) {
    EXPECT_LE(size, 64u * 1024 + 64);
  }
  for (size_t i = 0; i < before_flush; ++i) {
    EXPECT_GE(out.writes[i], 64u * 1024);
  }
  std::string expected = "c\n";
  for (int64_t i = 0; i < 100'000; ++i) expected += std::to_string(i * 1'000'003) + "\n";
  EXPECT_EQ(out.data, expected);
}

TEST(CsvWriterTest, ReportsStreamErrors) {
  Batch batch = ManyRows(100'000);
  RecordingStream out;
  out.fail = true;
  auto writer = std::move(CsvWriter::Make(out, batch.schema_ptr(), {})).value();

  EXPECT_THAT(writer->Write(batch), IsError(ErrorCode::kIo));
  EXPECT_THAT(writer->Flush(), IsError(ErrorCode::kIo));
}

}  // namespace
}  // namespace cqlbulk::formats
