// SPDX-License-Identifier: Apache-2.0
// Load's straight CSV path against the path it replaces: the same CSV text, read by
// CsvReader::Read into a batch whose cells CellEncoder encodes (as load.cc's EncodeRow does,
// nulls and unset fields included), and read by CsvReader::ReadFields into a CqlRowWriter,
// must give the same rows with the same [value] bytes, the same record positions and texts,
// and the same rejected records with the same file, line, field, text and reason. Random and
// edge-case texts of every scalar CQL type CqlRowWriter takes, under several dialects, text
// options and missing-field rules.
#include "cqlbulk/ops/text/cql_rows.h"

#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/formats/csv/csv_reader.h"
#include "cqlbulk/formats/io/memory_stream.h"
#include "cqlbulk/formats/text/fast_parse.h"
#include "cqlbulk/ops/cql_data.h"
#include "testing/matchers.h"

namespace cqlbulk::ops {
namespace {

using cql::DataType;
using cql::DataTypePtr;
using cql::TypeId;

const std::vector<TypeId> kTaken = {
    TypeId::kBoolean, TypeId::kTinyint, TypeId::kSmallint, TypeId::kInt,    TypeId::kBigint,
    TypeId::kTimestamp, TypeId::kFloat, TypeId::kDouble,   TypeId::kVarchar, TypeId::kAscii,
    TypeId::kBlob,    TypeId::kUuid,    TypeId::kTimeuuid, TypeId::kDate,   TypeId::kTime,
    TypeId::kInet,    TypeId::kVarint,  TypeId::kDecimal};

// --- Random texts, valid and not, per type ---------------------------------------------------

class Texts {
 public:
  explicit Texts(uint32_t seed) : rng_(seed) {}

  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Coin(int percent) { return Int(0, 99) < percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Int(0, static_cast<int>(v.size()) - 1))];
  }
  std::string Digits(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('0' + Int(0, 9));
    return s;
  }
  std::string Two(int v) { return std::string(1, char('0' + v / 10)) + char('0' + v % 10); }

  std::string Integer(int64_t lo, int64_t hi) {
    switch (Int(0, 9)) {
      case 0: return Pick<std::string>({std::to_string(lo), std::to_string(hi),
                                        std::to_string(lo + 1), std::to_string(hi - 1)});
      case 1: {  // just past the width
        __extension__ typedef __int128 Wide;
        __extension__ typedef unsigned __int128 UWide;
        Wide v = Coin(50) ? Wide(hi) + 1 : Wide(lo) - 1;
        bool negative = v < 0;
        UWide a = negative ? static_cast<UWide>(-v) : static_cast<UWide>(v);
        std::string s;
        do { s.insert(s.begin(), char('0' + int(a % 10))); a /= 10; } while (a != 0);
        return (negative ? "-" : "") + s;
      }
      case 2: return Pick<std::string>({"", " ", "-", "+", "+5", "-0", "007", " 12", "12 ",
                                        "\t3", "1.0", "1e3", "abc", "0x10", "--1", "1-",
                                        "99999999999999999999999"});
      case 3: return (Coin(50) ? "-" : "") + Digits(Int(1, 25));
      default: {
        int64_t v = std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
        return std::to_string(v);
      }
    }
  }

  std::string Timestamp() {
    int year = Coin(90) ? Int(1900, 2100) : Int(0, 9999);
    int month = Coin(95) ? Int(1, 12) : Int(0, 13);
    int day = Coin(90) ? Int(1, 28) : Int(0, 32);
    int hour = Coin(95) ? Int(0, 23) : Int(0, 25);
    int minute = Coin(95) ? Int(0, 59) : 60;
    int second = Coin(95) ? Int(0, 59) : 60;
    char y[8];
    std::snprintf(y, sizeof y, "%04d", year);
    std::string date = std::string(y) + "-" + Two(month) + "-" + Two(day);
    // Timestamps in a file mostly share their day with the one before (the fast path keeps
    // the last date it read): the last date again, valid or not, with another time.
    if (!last_date_.empty() && Coin(40)) date = last_date_;
    last_date_ = date;
    std::string clock = Two(hour) + ":" + Two(minute) + ":" + Two(second);
    std::string fraction;
    switch (Int(0, 5)) {
      case 0: break;
      case 1: case 2: fraction = "." + Digits(3); break;
      case 3: fraction = "." + Digits(Int(1, 9)); break;
      case 4: fraction = "." + Digits(3) + "000000"; break;
      default: fraction = "."; break;
    }
    std::string zone = Pick<std::string>({"Z", "Z", "Z", "Z", "", "+02:00", "-05:30", "+0200",
                                          "z", "+00:00", "+14:00", "+25:00"});
    std::string sep = Coin(90) ? "T" : Pick<std::string>({" ", "t", "_"});
    switch (Int(0, 12)) {
      case 0: return date;
      case 1: return std::to_string(std::uniform_int_distribution<int64_t>(
                  -4'000'000'000'000, 4'000'000'000'000)(rng_));
      case 2: return Pick<std::string>({"", " ", "now", "2021-02-29T00:00:00Z",
                                        "2020-02-29T23:59:59.999Z", "0000-01-01T00:00:00Z",
                                        "9999-12-31T23:59:59.999Z", "+10000-01-01T00:00:00Z",
                                        "-0001-12-31T00:00:00Z", "1900-02-29T00:00:00Z",
                                        "2000-02-29T00:00:00Z", "2020-01-01T00:00Z",
                                        "2020-1-01T00:00:00Z", "2020-01-01T00:00:00.12Z",
                                        " 2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z ",
                                        "99999999999999999999"});
      default: return date + sep + clock + fraction + zone;
    }
  }

  std::string Decimal() {
    switch (Int(0, 9)) {
      case 0: return Pick<std::string>({"", " ", ".", "-", "+", "1.", ".5", "-.5", "+1.50",
                                        "1..2", "1.2.3", "1e5", "1E-5", "-1.23E+5", "NaN",
                                        "0", "-0", "0.000", "00012.3400", "1,5", " 1.5",
                                        "9223372036854775807", "-9223372036854775808",
                                        "999999999999999999", "-999999999999999999",
                                        "1000000000000000000", "0.999999999999999999"});
      case 1: {
        std::string digits = Digits(Int(1, 40));
        size_t point = static_cast<size_t>(Int(0, static_cast<int>(digits.size())));
        std::string s = digits.substr(0, point) + "." + digits.substr(point);
        return (Coin(50) ? "-" : "") + s + (Coin(30) ? "E" + std::to_string(Int(-40, 40)) : "");
      }
      default: {
        std::string digits = Digits(Int(1, 19));
        if (Coin(80)) {
          size_t point = static_cast<size_t>(Int(0, static_cast<int>(digits.size())));
          digits.insert(point, ".");
        }
        return Pick<std::string>({"", "", "-", "+"}) + digits;
      }
    }
  }

  std::string Text(bool ascii) {
    static const std::vector<std::string> kPieces = {
        "a", "b", "Z", " ", ",", ";", "\"", "'", "\\", "\n", "\r\n", "\t", "é", "日本",
        "😀", "\xC3", "\xE2\x82", "\xFF", "\xED\xA0\x80", "\xC0\xAF", "NULL", "null", "0"};
    std::string s;
    int n = Coin(10) ? 0 : Int(1, 12);
    for (int i = 0; i < n; ++i) {
      const std::string& piece = kPieces[static_cast<size_t>(Int(0, ascii && Coin(80) ? 11 : 22))];
      s += piece;
    }
    return s;
  }

  /// The share of values (in percent) that take the form a file mostly holds: what unload
  /// writes, which the fast paths take.
  int typical = 0;

  std::string Typical(TypeId id) {
    switch (id) {
      case TypeId::kInt: return std::to_string(Int(-2000000000, 2000000000));
      case TypeId::kBigint:
        return std::to_string(std::uniform_int_distribution<int64_t>(
            std::numeric_limits<int64_t>::min() / 100, std::numeric_limits<int64_t>::max() / 100)(rng_));
      case TypeId::kTimestamp: {
        char s[32];
        std::snprintf(s, sizeof s, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(1, 9999),
                      Int(1, 12), Int(1, 28), Int(0, 23), Int(0, 59), Int(0, 59), Int(0, 999));
        if (last_date_.size() == 10 && Coin(60)) std::memcpy(s, last_date_.data(), 10);
        last_date_.assign(s, 10);
        return Coin(80) ? s : std::string(s, 19) + "Z";
      }
      case TypeId::kDecimal:
        return (Coin(20) ? "-" : "") + std::to_string(Int(0, 999999)) + "." + Digits(Int(0, 4));
      case TypeId::kVarchar: return "order " + Digits(Int(1, 6)) + " é, \"gift\"";
      case TypeId::kAscii: return "customer" + Digits(Int(1, 6)) + "@example.com";
      default: return Raw(id);
    }
  }

  std::string Value(TypeId id) { return Coin(typical) ? Typical(id) : Raw(id); }

  std::string Raw(TypeId id) {
    switch (id) {
      case TypeId::kTinyint: return Integer(-128, 127);
      case TypeId::kSmallint: return Integer(-32768, 32767);
      case TypeId::kInt:
        return Integer(std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max());
      case TypeId::kBigint:
        return Integer(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
      case TypeId::kVarint: return Coin(50) ? Decimal() : Integer(-1000000, 1000000);
      case TypeId::kTimestamp: return Timestamp();
      case TypeId::kDecimal: return Decimal();
      case TypeId::kVarchar: return Text(false);
      case TypeId::kAscii: return Text(true);
      case TypeId::kBoolean:
        return Pick<std::string>({"true", "false", "TRUE", "False", "1", "0", "y", "n", "yes",
                                  "No", "t", "f", "", "maybe", " true"});
      case TypeId::kFloat:
      case TypeId::kDouble:
        return Pick<std::string>({"1.5", "-0.0", "NaN", "Infinity", "-Infinity", "inf", "1e39",
                                  "1e-50", "3.4028235E38", "1.7976931348623157E308", "1e309",
                                  "0.1", "", "abc", "1.", ".5", "+2.5", "1e", "123456789012345678"}) ;
      case TypeId::kBlob:
        return Pick<std::string>({"", "0x", "0xCAFE", "0xcafe", "0xabc", "0xzz", "AQID",
                                  "AQI=", "AQ==", "AQ=", "A", "AR==", "!!!!", "0X00ff"});
      case TypeId::kUuid:
      case TypeId::kTimeuuid:
        return Pick<std::string>({"123e4567-e89b-12d3-a456-426614174000",
                                  "123e4567-e89b-42d3-a456-426614174000",
                                  "123E4567-E89B-12D3-A456-426614174000", "", "not-a-uuid",
                                  "123e4567e89b12d3a456426614174000"});
      case TypeId::kDate:
        return Pick<std::string>({"2020-01-01", "1970-01-01", "-0001-12-31", "+10000-01-01",
                                  "2021-02-29", "2147483648", "0", "4294967295", "4294967296",
                                  "", "2020-13-01", "20200101"});
      case TypeId::kTime:
        return Pick<std::string>({"00:00:00", "23:59:59.999999999", "12:34", "24:00:00",
                                  "86399999999999", "86400000000000", "", "1:2:3", "12:00:00.1"});
      case TypeId::kInet:
        return Pick<std::string>({"127.0.0.1", "::1", "2001:db8::8a2e:370:7334", "1.2.3",
                                  "256.0.0.1", "", "localhost", "::ffff:1.2.3.4"});
      default: return "";
    }
  }

 private:
  std::string last_date_;  // of the last timestamp made
  std::mt19937 rng_;
};

// --- The CSV text ----------------------------------------------------------------------------

std::string Field(const std::string& text, const formats::CsvOptions& o, bool force_quote) {
  bool quote = force_quote || text.find_first_of(std::string{o.delimiter, o.quote, o.escape,
                                                             '\n', '\r'}) != std::string::npos;
  if (!quote) return text;
  std::string out(1, o.quote);
  for (char c : text) {
    if (c == o.quote || (c == o.escape && o.escape != o.quote)) out += o.escape;
    out += c;
  }
  return out + o.quote;
}

// --- The two paths ---------------------------------------------------------------------------

struct Outcome {
  std::vector<Bytes> rows;  // each row's [value]s, field by field
  formats::RecordInfo info;
  std::vector<formats::RecordError> errors;
  int64_t consumed = 0;
};

void ExpectSameErrors(const std::vector<formats::RecordError>& a,
                      const std::vector<formats::RecordError>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].source, b[i].source) << i;
    EXPECT_EQ(a[i].line, b[i].line) << i;
    EXPECT_EQ(a[i].record, b[i].record) << i;
    EXPECT_EQ(a[i].field, b[i].field) << i;
    EXPECT_EQ(a[i].text, b[i].text) << i;
    EXPECT_EQ(a[i].reason, b[i].reason) << i << " " << a[i].text;
  }
}

class CqlRowsTest : public ::testing::Test {
 protected:
  void SetUp() override {}

  // A schema of one field per type (LogicalTypeOf, as a load builds it), named c0, c1, ...
  void UseTypes(const std::vector<TypeId>& ids) {
    ids_ = ids;
    types_.clear();
    auto schema = std::make_shared<data::Schema>();
    for (size_t i = 0; i < ids.size(); ++i) {
      types_.push_back(DataType::Native(ids[i]));
      CQLBULK_ASSERT_OK_AND_ASSIGN(auto type, LogicalTypeOf(*types_.back()));
      schema->fields.push_back({"c" + std::to_string(i), type, true});
    }
    schema_ = schema;
  }

  // CsvReader::Read, then each cell as EncodeRow writes it.
  Outcome Batches(const std::string& csv, const std::vector<std::string>& sources,
                  const formats::CsvOptions& options, formats::MissingField missing,
                  size_t chunk) {
    Outcome out;
    formats::MemoryInputStream in(Bytes(csv.begin(), csv.end()));
    auto reader = formats::CsvReader::Make(in, "in.csv", schema_, sources, options, missing);
    EXPECT_THAT(reader, testing::IsOk());
    if (!reader.has_value()) return out;
    std::vector<CellEncoder> encoders;
    for (size_t f = 0; f < types_.size(); ++f) {
      encoders.emplace_back(*schema_->fields[f].type, *types_[f]);
    }
    for (;;) {
      data::BatchBuilder builder(schema_, chunk);
      formats::RecordInfo info;
      auto n = (*reader)->Read(builder, chunk, info, out.errors);
      EXPECT_THAT(n, testing::IsOk());
      if (!n.has_value() || *n == 0) break;
      auto batch = builder.Finish();
      EXPECT_THAT(batch, testing::IsOk());
      for (size_t row = 0; row < info.size(); ++row) {
        data::Buffer values;
        for (size_t f = 0; f < types_.size(); ++f) {
          if (info.IsUnset(f, row)) {
            StoreBE32(values.Grow(4), 0xFFFFFFFEu);
          } else if (batch->column(f).IsNull(row)) {
            StoreBE32(values.Grow(4), 0xFFFFFFFFu);
          } else {
            Status encoded = encoders[f].AppendBytes(batch->column(f), row, values);
            // CqlRowWriter's claim: a straight pair's encoder finds nothing the parser let by.
            EXPECT_THAT(encoded, testing::IsOk()) << info.Text(row);
          }
        }
        out.rows.emplace_back(values.data(), values.data() + values.size());
        AddRow(info, row, out.info);
      }
    }
    out.consumed = (*reader)->records_consumed();
    return out;
  }

  // Row `row` of `info` appended to `out`.
  static void AddRow(const formats::RecordInfo& info, size_t row, formats::RecordInfo& out) {
    out.lines.push_back(info.lines[row]);
    out.records.push_back(info.records[row]);
    out.text.append(info.Text(row));
    out.text_end.push_back(static_cast<uint32_t>(out.text.size()));
  }

  // CsvReader::ReadFields into a CqlRowWriter.
  Outcome Straight(const std::string& csv, const std::vector<std::string>& sources,
                   const formats::CsvOptions& options, formats::MissingField missing,
                   size_t chunk) {
    Outcome out;
    formats::MemoryInputStream in(Bytes(csv.begin(), csv.end()));
    auto reader = formats::CsvReader::Make(in, "in.csv", schema_, sources, options, missing);
    EXPECT_THAT(reader, testing::IsOk());
    if (!reader.has_value()) return out;
    for (size_t f = 0; f < types_.size(); ++f) {
      EXPECT_TRUE(CqlRowWriter::Takes(schema_->fields[f], *types_[f])) << f;
    }
    auto writer = CqlRowWriter::Make(schema_, sources, options.text, missing);
    EXPECT_THAT(writer, testing::IsOk());
    if (!writer.has_value()) return out;
    for (;;) {
      CqlRows rows(types_.size());
      (*writer)->set_output(&rows);
      formats::RecordInfo info;
      auto n = (*reader)->ReadFields(**writer, chunk, info, out.errors);
      EXPECT_THAT(n, testing::IsOk());
      if (!n.has_value() || *n == 0) break;
      EXPECT_EQ(rows.num_rows(), info.size());
      for (size_t row = 0; row < info.size() && row < rows.num_rows(); ++row) {
        BytesView bytes = rows.Row(row);
        out.rows.emplace_back(bytes.begin(), bytes.end());
        // Value() agrees with Row(): the values one after another.
        size_t at = 0;
        for (size_t f = 0; f < types_.size(); ++f) {
          EXPECT_EQ(rows.Value(row, f), bytes.data() + at);
          at += 4 + static_cast<size_t>(std::max(CqlRows::Length(rows.Value(row, f)), 0));
        }
        EXPECT_EQ(at, bytes.size());
        AddRow(info, row, out.info);
      }
    }
    out.consumed = (*reader)->records_consumed();
    return out;
  }

  void ExpectSame(const std::string& csv, const std::vector<std::string>& sources,
                  const formats::CsvOptions& options, formats::MissingField missing,
                  size_t chunk = 64) {
    Outcome a = Batches(csv, sources, options, missing, chunk);
    Outcome b = Straight(csv, sources, options, missing, chunk);
    ASSERT_EQ(a.rows.size(), b.rows.size());
    for (size_t i = 0; i < a.rows.size(); ++i) {
      ASSERT_EQ(a.rows[i], b.rows[i]) << "row " << i << ": " << a.info.Text(i);
    }
    EXPECT_EQ(a.info.lines, b.info.lines);
    EXPECT_EQ(a.info.records, b.info.records);
    EXPECT_EQ(a.info.text, b.info.text);
    EXPECT_EQ(a.info.text_end, b.info.text_end);
    ExpectSameErrors(a.errors, b.errors);
    EXPECT_EQ(a.consumed, b.consumed);
    rows_compared_ += a.rows.size();
    errors_compared_ += a.errors.size();
  }

  // `records` random records of the types, written in the dialect: some fields the null
  // string, some quoted, some records short of fields or with one too many.
  std::string RandomCsv(Texts& t, const formats::CsvOptions& o, size_t records,
                        bool ragged) {
    std::string csv;
    if (o.header) {
      for (size_t f = 0; f < ids_.size(); ++f) {
        csv += (f == 0 ? "" : std::string(1, o.delimiter)) + "c" + std::to_string(f);
      }
      csv += "\n";
    }
    for (size_t r = 0; r < records; ++r) {
      size_t n = ids_.size();
      if (ragged && t.Coin(5)) n = static_cast<size_t>(t.Int(0, static_cast<int>(n) + 1));
      for (size_t f = 0; f < n; ++f) {
        if (f > 0) csv += o.delimiter;
        if (t.Coin(5)) {
          csv += o.text.null_string;  // unquoted: null
        } else if (t.Coin(3)) {
          csv += Field(o.text.null_string, o, true);  // quoted: the text itself
        } else {
          csv += Field(t.Value(f < ids_.size() ? ids_[f] : TypeId::kInt), o, t.Coin(10));
        }
      }
      if (t.Coin(2)) csv += "\"bad";  // a quoting problem (or just text)
      csv += t.Coin(10) ? "\r\n" : "\n";
      if (t.Coin(2)) csv += "\n";  // a blank line
    }
    return csv;
  }

  std::vector<TypeId> ids_;
  std::vector<DataTypePtr> types_;
  data::SchemaPtr schema_;
  size_t rows_compared_ = 0;
  size_t errors_compared_ = 0;
};

TEST_F(CqlRowsTest, TakesTheStraightScalarPairsOnly) {
  for (TypeId id : kTaken) {
    auto type = DataType::Native(id);
    CQLBULK_ASSERT_OK_AND_ASSIGN(auto logical, LogicalTypeOf(*type));
    EXPECT_TRUE(CqlRowWriter::Takes({"c", logical, true}, *type)) << static_cast<int>(id);
  }
  for (TypeId id : {TypeId::kCounter, TypeId::kDuration}) {
    auto type = DataType::Native(id);
    CQLBULK_ASSERT_OK_AND_ASSIGN(auto logical, LogicalTypeOf(*type));
    EXPECT_FALSE(CqlRowWriter::Takes({"c", logical, true}, *type)) << static_cast<int>(id);
  }
  auto list = DataType::List(DataType::Native(TypeId::kInt));
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto logical_list, LogicalTypeOf(*list));
  EXPECT_FALSE(CqlRowWriter::Takes({"c", logical_list, true}, *list));
  // A field of another kind than the column's (an int read into a bigint column).
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto int32, LogicalTypeOf(*DataType::Native(TypeId::kInt)));
  EXPECT_FALSE(CqlRowWriter::Takes({"c", int32, true}, *DataType::Native(TypeId::kBigint)));
  // ascii text into a varchar column and the reverse.
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto ascii, LogicalTypeOf(*DataType::Native(TypeId::kAscii)));
  EXPECT_FALSE(CqlRowWriter::Takes({"c", ascii, true}, *DataType::Native(TypeId::kVarchar)));
}

TEST_F(CqlRowsTest, EveryScalarTypeAlone) {
  for (TypeId id : kTaken) {
    UseTypes({TypeId::kInt, id});
    Texts t(static_cast<uint32_t>(id) * 7919u);
    formats::CsvOptions o;
    ExpectSame(RandomCsv(t, o, 3000, false), {"c0", "c1"}, o, formats::MissingField::kUnset);
  }
  EXPECT_GT(rows_compared_, 20000u);
  EXPECT_GT(errors_compared_, 2000u);
}

TEST_F(CqlRowsTest, OrdersLikeRecordsUnderDialectsOptionsAndMissingRules) {
  UseTypes({TypeId::kInt, TypeId::kInt, TypeId::kTimestamp, TypeId::kVarchar, TypeId::kDecimal,
            TypeId::kInt, TypeId::kVarchar, TypeId::kAscii, TypeId::kBigint});
  std::vector<std::string> named;
  std::vector<std::string> positions;
  for (size_t f = 0; f < ids_.size(); ++f) {
    named.push_back("c" + std::to_string(f));
    positions.push_back(std::to_string(f));
  }
  uint32_t seed = 1;
  for (int dialect = 0; dialect < 3; ++dialect) {
    for (const char* null_string : {"", "NULL"}) {
      for (const char* zone : {"UTC", "+02:00"}) {
        for (const char* format : {"iso", "%Y-%m-%dT%H:%M:%S.%fZ"}) {
          for (auto missing : {formats::MissingField::kUnset, formats::MissingField::kNull,
                               formats::MissingField::kError}) {
            formats::CsvOptions o;
            if (dialect == 1) {
              o.delimiter = ';';
              o.quote = '\'';
              o.escape = '\\';
            }
            o.header = dialect != 2;
            o.text.null_string = null_string;
            o.text.time_zone = zone;
            o.text.timestamp_format = format;
            Texts t(seed++);
            t.typical = 90;
            // Without a header, a short record lacks fields (MissingField decides); with
            // one, its field count is wrong.
            ExpectSame(RandomCsv(t, o, 400, true), o.header ? named : positions, o, missing,
                       static_cast<size_t>(t.Int(1, 300)));
          }
        }
      }
    }
  }
  EXPECT_GT(rows_compared_, 10000u);
  EXPECT_GT(errors_compared_, 3000u);
}

TEST_F(CqlRowsTest, HeaderWithoutAColumnLeavesItMissing) {
  UseTypes({TypeId::kInt, TypeId::kVarchar, TypeId::kTimestamp});
  formats::CsvOptions o;
  const std::string csv = "c0,c2\n1,2020-01-01T00:00:00Z\n2,\n3,NULL\n,x\n";
  for (auto missing : {formats::MissingField::kUnset, formats::MissingField::kNull}) {
    ExpectSame(csv, {"c0", "c1", "c2"}, o, missing);
  }
  o.text.null_string = "NULL";
  ExpectSame(csv, {"c0", "c1", "c2"}, o, formats::MissingField::kUnset);
  // 1 and 2 in each; "3,NULL" only with NULL the null string; ",x" never (not a timestamp).
  EXPECT_EQ(rows_compared_, 7u);
}

TEST_F(CqlRowsTest, NonNullableFieldsRefuseNullsAndMissingFields) {
  ids_ = {TypeId::kInt, TypeId::kVarchar};
  types_ = {DataType::Native(TypeId::kInt), DataType::Native(TypeId::kVarchar)};
  auto schema = std::make_shared<data::Schema>();
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto int32, LogicalTypeOf(*types_[0]));
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto text, LogicalTypeOf(*types_[1]));
  schema->fields.push_back({"c0", int32, false});
  schema->fields.push_back({"c1", text, false});
  schema_ = schema;
  formats::CsvOptions o;
  o.header = false;
  o.text.null_string = "N";
  ExpectSame("1,a\nN,b\n,c\n2,N\n3\n4,\"N\"\n", {"0", "1"}, o, formats::MissingField::kUnset);
  // "1,a" and "4,\"N\"" load; a null int, an empty int (null), a null text and a missing
  // text are refused.
  EXPECT_EQ(rows_compared_, 2u);
  EXPECT_EQ(errors_compared_, 4u);
}

// The timestamp fast path with its date memo (CqlRowWriter's) against the one without: the
// same answer and value for every text of a sequence whose dates repeat, valid or not, next to
// times valid or not and texts of other shapes.
TEST(FastIsoTimestampMemoTest, SameAsWithoutTheMemo) {
  const std::vector<std::string> dates = {"2020-02-29", "2021-02-29", "2020-13-01", "2020-00-10",
                                          "0000-01-01", "9999-12-31", "2020-1a-01", "1970-01-01",
                                          "1969-12-31", "2024-12-00", "2024-12-32", "1900-02-29",
                                          "2024-12-01", "2024-12-31", "2020-02-28"};
  const std::vector<std::string> times = {"T00:00:00Z", "T23:59:59.999Z", "T24:00:00Z",
                                          "T12:60:00Z", "T12:00:60.000Z", "T12:00:00.1x0Z",
                                          "T12:00:00.12Z", "T12:00:00", " 12:00:00Z",
                                          "T01:02:03.004Z", "T1:02:03.004Z"};
  std::mt19937 rng(20261203);
  auto pick = [&](const std::vector<std::string>& v) {
    return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
  };
  formats::IsoDateMemo memo;
  size_t taken = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string text = pick(dates) + pick(times);
    if (i % 97 == 0) text = text.substr(0, text.size() / 2);  // another shape
    int64_t with = -1;
    int64_t without = -2;
    const bool a = formats::FastIsoTimestamp(text, with, memo);
    const bool b = formats::FastIsoTimestamp(text, without);
    ASSERT_EQ(a, b) << text;
    if (a) {
      ASSERT_EQ(with, without) << text;
      ++taken;
    }
  }
  EXPECT_GT(taken, 20000u);
}

}  // namespace
}  // namespace cqlbulk::ops
