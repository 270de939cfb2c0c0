// SPDX-License-Identifier: Apache-2.0
// Unload's text fast paths against the path they replace: the same random pages of every
// scalar CQL type, decoded by RowDecoder into a batch and written by CsvWriter (JsonWriter),
// must come out of CsvPageWriter (JsonPageWriter) byte for byte and in the same pieces, for
// many dialects and text options; malformed pages must fail in both.
#include "cqlbulk/ops/text/csv_page_writer.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/cql/protocol/rows.h"
#include "cqlbulk/cql/types/duration.h"
#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/formats/csv/csv_writer.h"
#include "cqlbulk/formats/json/json_writer.h"
#include "cqlbulk/ops/text/json_page_writer.h"
#include "testing/matchers.h"

namespace cqlbulk::ops::text {
namespace {

using cql::DataType;
using cql::DataTypePtr;
using cql::TypeId;
using Cells = std::vector<std::vector<std::optional<Bytes>>>;

/// Records every piece written, so that the pieces can be compared too.
class PiecesStream final : public formats::OutputStream {
 public:
  std::string text;
  std::vector<size_t> pieces;

 protected:
  Status DoWrite(BytesView data) override {
    text.append(reinterpret_cast<const char*>(data.data()), data.size());
    pieces.push_back(data.size());
    return OkStatus();
  }
  Status DoFlush() override { return OkStatus(); }
  Status DoClose() override { return OkStatus(); }
};

const std::vector<TypeId> kScalarTypes = {
    TypeId::kBoolean, TypeId::kTinyint, TypeId::kSmallint, TypeId::kInt,     TypeId::kBigint,
    TypeId::kCounter, TypeId::kTimestamp, TypeId::kFloat,  TypeId::kDouble,  TypeId::kVarchar,
    TypeId::kAscii,   TypeId::kBlob,    TypeId::kUuid,     TypeId::kTimeuuid, TypeId::kDate,
    TypeId::kTime,    TypeId::kDuration, TypeId::kInet,    TypeId::kVarint,  TypeId::kDecimal};

cql::RowsMetadata Columns(const std::vector<DataTypePtr>& types, bool odd_names = false) {
  static const char* kOdd[] = {"a\"b", "é", "back\\slash", "tab\there", "c"};
  cql::RowsMetadata m;
  m.columns_count = static_cast<int32_t>(types.size());
  m.global_table = cql::TableSpec{"ks", "t"};
  for (size_t i = 0; i < types.size(); ++i) {
    std::string name = "c" + std::to_string(i);
    if (odd_names) name = kOdd[i % 5] + name;
    m.columns.push_back({"ks", "t", name, types[i]});
  }
  return m;
}

Bytes RowsBody(const cql::RowsMetadata& metadata, const Cells& rows) {
  cql::RowsBuilder builder(metadata, 5);
  for (const auto& row : rows) {
    for (const auto& cell : row) {
      builder.AddNullableCell(cell ? std::optional<BytesView>(*cell) : std::nullopt);
    }
  }
  auto body = std::move(builder).FinishBody();
  EXPECT_TRUE(body.has_value());
  return body.has_value() ? *body : Bytes{};
}

Bytes BigEndian(uint64_t v, size_t n) {
  Bytes out(n);
  for (size_t i = 0; i < n; ++i) out[n - 1 - i] = static_cast<uint8_t>(v >> (8 * i));
  return out;
}

/// Random values that reach the text forms' edges.
class CellMaker {
 public:
  explicit CellMaker(uint64_t seed) : rng_(seed) {}

  size_t Below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  uint64_t Bits() { return rng_(); }

  std::string Text(bool ascii) {
    static const std::vector<std::string> kPieces = {
        "a", "Z", "0", "9", " ", ",", ";", "|", "\t", "\"", "'", "\\", "\n", "\r", "\r\n",
        "-", ".", ":", "e", "NULL", "null", "N", "x", "é", "日本", "😀", "\u00a0", "+", "T"};
    std::string s;
    const size_t n = Below(4) == 0 ? 0 : Below(12);
    for (size_t i = 0; i < n; ++i) {
      const std::string& piece = kPieces[Below(kPieces.size())];
      if (ascii && static_cast<unsigned char>(piece[0]) >= 0x80) continue;
      s += piece;
    }
    if (Below(20) == 0) s = std::string(Below(200) + 16, 'q') + s;  // past one SSE block
    return s;
  }

  Bytes RandomBytes(size_t n) {
    Bytes b(n);
    for (auto& x : b) x = static_cast<uint8_t>(Bits());
    return b;
  }

  /// A cell of `id`: null one time in ten, empty (where the decoder reads it) one in twenty.
  std::optional<Bytes> Cell(TypeId id) {
    if (Below(10) == 0) return std::nullopt;
    if (Below(20) == 0 && id != TypeId::kTinyint && id != TypeId::kSmallint &&
        id != TypeId::kDate && id != TypeId::kTime && id != TypeId::kDuration) {
      return Bytes{};
    }
    const uint64_t edges64[] = {0,
                                1,
                                uint64_t(std::numeric_limits<int64_t>::min()),
                                uint64_t(std::numeric_limits<int64_t>::max()),
                                uint64_t(-1),
                                uint64_t(253402300800000),  // year 10000
                                uint64_t(-62167219200001)};  // before year 0
    switch (id) {
      case TypeId::kBoolean: return Bytes{static_cast<uint8_t>(Below(3) == 0 ? 0xff : Below(2))};
      case TypeId::kTinyint: return BigEndian(Bits(), 1);
      case TypeId::kSmallint: return BigEndian(Bits(), 2);
      case TypeId::kInt:
        return BigEndian(Below(4) == 0 ? edges64[Below(5)] : Bits() >> Below(32), 4);
      case TypeId::kBigint:
      case TypeId::kCounter:
      case TypeId::kDouble:
        return BigEndian(Below(4) == 0 ? edges64[Below(7)] : Bits() >> Below(64), 8);
      case TypeId::kTimestamp: {
        if (Below(4) == 0) return BigEndian(edges64[Below(7)], 8);
        // Mostly around now, a third with whole seconds (no fraction).
        int64_t ms = 1600000000000 + static_cast<int64_t>(Bits() % 400000000000) - 200000000000;
        if (Below(3) == 0) ms -= ms % 1000;
        if (Below(5) == 0) ms = -ms;
        return BigEndian(static_cast<uint64_t>(ms), 8);
      }
      case TypeId::kFloat: {
        const uint32_t edges[] = {0, 0x80000000u, 0x7f800000u, 0xff800000u, 0x7fc00000u, 1,
                                  0x7f7fffffu, 0x3f800000u};
        return BigEndian(Below(3) == 0 ? edges[Below(8)] : static_cast<uint32_t>(Bits()), 4);
      }
      case TypeId::kVarchar: {
        std::string s = Text(false);
        return Bytes(s.begin(), s.end());
      }
      case TypeId::kAscii: {
        std::string s = Text(true);
        return Bytes(s.begin(), s.end());
      }
      case TypeId::kBlob:
        if (Below(10) == 0) return Bytes{0xd3, 0x10, 0x01};  // base64 "0xAB": written as hex
        return RandomBytes(Below(24));
      case TypeId::kUuid: return RandomBytes(16);
      case TypeId::kTimeuuid: {
        Bytes b = RandomBytes(16);
        b[6] = static_cast<uint8_t>(0x10 | (b[6] & 0x0f));
        return b;
      }
      case TypeId::kDate: {
        const uint32_t edges[] = {0, 0x80000000u, 0xffffffffu, 0x80000000u + 2932897u,
                                  0x80000000u - 719529u};
        return BigEndian(Below(3) == 0 ? edges[Below(5)] : 0x80000000u + Bits() % 60000 - 30000,
                         4);
      }
      case TypeId::kTime: {
        const uint64_t day = 86400000000000ull;
        if (Below(6) == 0) return BigEndian(Bits(), 8);  // out of range: still written
        uint64_t t = Bits() % day;
        if (Below(3) == 0) t -= t % 1000000000;
        else if (Below(3) == 0) t -= t % 1000000;
        return BigEndian(t, 8);
      }
      case TypeId::kDuration: {
        cql::Duration d;
        const int sign = Below(2) == 0 ? 1 : -1;
        d.months = sign * static_cast<int32_t>(Below(3) == 0 ? 0 : Bits() % 100000);
        d.days = sign * static_cast<int32_t>(Below(3) == 0 ? 0 : Bits() % 100000);
        d.nanoseconds = sign * static_cast<int64_t>(Below(3) == 0 ? 0 : Bits() >> 2);
        ByteWriter w;
        d.Encode(w);
        return std::move(w).Take();
      }
      case TypeId::kInet: {
        if (Below(2) == 0) return RandomBytes(4);
        Bytes b = RandomBytes(16);
        if (Below(2) == 0) {  // runs of zeros, and IPv4-mapped addresses
          for (size_t i = Below(8); i < 16 && Below(4) != 0; ++i) b[i] = 0;
        }
        if (Below(5) == 0) {
          Bytes mapped(10, 0);
          mapped.insert(mapped.end(), {0xff, 0xff, 10, 0, 0, 1});
          return mapped;
        }
        return b;
      }
      case TypeId::kVarint: return RandomBytes(1 + Below(Below(4) == 0 ? 40 : 9));
      case TypeId::kDecimal: {
        const int32_t scales[] = {0, 1, 2, 3, -1, -5, 7, 20, -20, 2147483647, -2147483647 - 1};
        int32_t scale = Below(3) == 0 ? static_cast<int32_t>(Bits()) : scales[Below(11)];
        Bytes b = BigEndian(static_cast<uint32_t>(scale), 4);
        Bytes unscaled = RandomBytes(1 + Below(Below(4) == 0 ? 30 : 8));
        b.insert(b.end(), unscaled.begin(), unscaled.end());
        return b;
      }
      default: return std::nullopt;
    }
  }

 private:
  std::mt19937_64 rng_;
};

struct Written {
  Status status;
  std::string text;
  std::vector<size_t> pieces;
};

/// The reference: RowDecoder into a batch, then the format's record writer (`make(out,
/// schema)`).
template <typename MakeWriter>
Written ReferenceWith(const cql::RowsMetadata& metadata, BytesView body, MakeWriter make) {
  Written w;
  auto rows = cql::ParseRowsResult(body, 5);
  auto decoder = RowDecoder::Make(metadata);
  EXPECT_TRUE(rows.has_value() && decoder.has_value());
  data::BatchBuilder builder(decoder->schema(), 0);
  auto appended = decoder->AppendRows(*rows, builder);
  if (!appended) {
    w.status = std::move(appended).error();
    return w;
  }
  auto batch = builder.Finish();
  PiecesStream out;
  auto writer = make(out, decoder->schema());
  EXPECT_TRUE(writer.has_value());
  Status s = (*writer)->Write(*batch);
  if (s.has_value()) s = (*writer)->Flush();
  w.status = s;
  w.text = out.text;
  w.pieces = out.pieces;
  return w;
}

/// The fast path (`make(decoder)`), `step` rows a call (0: all at once).
template <typename MakeWriter>
Written FastWith(const cql::RowsMetadata& metadata, BytesView body, size_t step,
                 MakeWriter make) {
  Written w;
  auto rows = cql::ParseRowsResult(body, 5);
  auto decoder = RowDecoder::Make(metadata);
  EXPECT_TRUE(rows.has_value() && decoder.has_value());
  auto writer = make(*decoder);
  EXPECT_TRUE(writer.has_value() && *writer != nullptr);
  PiecesStream out;
  auto page = (*writer)->Begin(*rows);
  if (!page) {
    w.status = std::move(page).error();
    return w;
  }
  while (page->rows_left > 0) {
    const size_t before = static_cast<size_t>(page->rows_left);
    auto n = (*writer)->Write(*page, step == 0 ? before : step, out);
    if (!n) {
      w.status = std::move(n).error();
      return w;
    }
    EXPECT_EQ(*n, std::min(before, step == 0 ? before : step));
  }
  w.status = (*writer)->Flush(out);
  w.text = out.text;
  w.pieces = out.pieces;
  return w;
}

/// The reference: RowDecoder into a batch, then CsvWriter.
Written Reference(const cql::RowsMetadata& metadata, BytesView body,
                  const formats::CsvOptions& options) {
  return ReferenceWith(metadata, body, [&](PiecesStream& out, const data::SchemaPtr& schema) {
    formats::CsvOptions no_header = options;
    no_header.header = false;  // the sink writes the header itself
    return formats::CsvWriter::Make(out, schema, no_header);
  });
}

/// The fast path, `step` rows a call (0: all at once).
Written Fast(const cql::RowsMetadata& metadata, BytesView body,
             const formats::CsvOptions& options, size_t step) {
  return FastWith(metadata, body, step,
                  [&](const RowDecoder& decoder) { return CsvPageWriter::Make(decoder, options); });
}

/// Dialects and text options, ordinary and odd.
std::vector<formats::CsvOptions> OptionSets() {
  std::vector<formats::CsvOptions> sets;
  const char delimiters[] = {',', ';', '|', '\t', '-', '.', ':', 'e', ' ', 'T', '0', 'x'};
  const std::pair<char, char> quotes[] = {{'"', '"'}, {'\'', '\''}, {'"', '\\'}, {'\'', '0'}};
  const char* nulls[] = {"", "NULL", "-", "0", "\\N", "null", "true", "1970-01-01", "AA=="};
  const char* formats[] = {"iso", "%Y-%m-%d %H:%M:%S.%f%z", "%d/%m/%Y;%H:%M%Ez", "%Y|\"%f\"",
                           "%%%Y"};
  const char* zones[] = {"UTC", "+05:30", "-08:00", "Z", "+18:00"};
  size_t k = 0;
  for (char delimiter : delimiters) {
    for (auto [quote, escape] : quotes) {
      formats::CsvOptions o;
      o.delimiter = delimiter;
      o.quote = quote;
      o.escape = escape;
      o.text.null_string = nulls[k % 9];
      o.text.timestamp_format = formats[k % 5];
      o.text.time_zone = zones[(k / 2) % 5];
      o.text.binary = k % 3 == 0 ? formats::BinaryEncoding::kHex : formats::BinaryEncoding::kBase64;
      o.line_end = k % 4 == 1 ? "\r\n" : "\n";
      ++k;
      if (!formats::CsvWriter::CheckOptions(o).has_value()) continue;
      sets.push_back(o);
    }
  }
  sets.push_back(formats::CsvOptions{});  // every default
  return sets;
}

TEST(CsvPageWriterTest, WritesWhatTheDecoderAndCsvWriterWriteForEveryScalarTypeAndOption) {
  std::vector<DataTypePtr> types;
  for (TypeId id : kScalarTypes) types.push_back(DataType::Native(id));
  types.push_back(DataType::Native(TypeId::kVarchar));  // text twice: delimiters between
  const cql::RowsMetadata metadata = Columns(types);
  const auto option_sets = OptionSets();
  ASSERT_GT(option_sets.size(), 30u);
  CellMaker maker(20261203);
  size_t compared_rows = 0;
  for (size_t set = 0; set < option_sets.size(); ++set) {
    Cells rows(300 + maker.Below(300));
    for (auto& row : rows) {
      for (TypeId id : kScalarTypes) row.push_back(maker.Cell(id));
      row.push_back(maker.Cell(TypeId::kVarchar));
    }
    const Bytes body = RowsBody(metadata, rows);
    const Written expected = Reference(metadata, body, option_sets[set]);
    CQLBULK_ASSERT_OK(expected.status);
    ASSERT_FALSE(expected.text.empty());
    for (size_t step : {size_t{0}, size_t{1}, size_t{7}}) {
      const Written got = Fast(metadata, body, option_sets[set], step);
      CQLBULK_ASSERT_OK(got.status);
      ASSERT_EQ(got.text, expected.text) << "option set " << set << ", step " << step;
      ASSERT_EQ(got.pieces, expected.pieces);
    }
    compared_rows += rows.size();
  }
  EXPECT_GT(compared_rows, 10000u);
}

TEST(CsvPageWriterTest, WritesInThePiecesCsvWriterWritesAcrossCalls) {
  // Wide text rows: the 64 KiB pieces end after the same rows in both paths.
  const cql::RowsMetadata metadata =
      Columns({DataType::Native(TypeId::kVarchar), DataType::Native(TypeId::kInt)});
  CellMaker maker(7);
  Cells rows;
  for (int i = 0; i < 3000; ++i) {
    std::string s(maker.Below(400), 'x');
    s += maker.Text(false);
    rows.push_back({Bytes(s.begin(), s.end()), maker.Cell(TypeId::kInt)});
  }
  const Bytes body = RowsBody(metadata, rows);
  const Written expected = Reference(metadata, body, formats::CsvOptions{});
  ASSERT_GT(expected.pieces.size(), 5u);
  for (size_t step : {size_t{0}, size_t{13}, size_t{1000}}) {
    const Written got = Fast(metadata, body, formats::CsvOptions{}, step);
    EXPECT_EQ(got.text, expected.text);
    EXPECT_EQ(got.pieces, expected.pieces);
  }
}

TEST(CsvPageWriterTest, RowsLargerThanTheBufferGrowIt) {
  // Cells of tens of kilobytes (quoted text with escapes, hex blobs, long varints): the
  // buffer grows past its 80 KiB, with the same text and pieces as the reference.
  const cql::RowsMetadata metadata =
      Columns({DataType::Native(TypeId::kVarchar), DataType::Native(TypeId::kBlob),
               DataType::Native(TypeId::kVarint), DataType::Native(TypeId::kDecimal)});
  CellMaker maker(11);
  Cells rows;
  for (int i = 0; i < 12; ++i) {
    std::string s;
    while (s.size() < 20000 + maker.Below(60000)) s += maker.Text(false) + "\"";
    Bytes decimal = BigEndian(3, 4);
    Bytes digits = maker.RandomBytes(maker.Below(3000));
    decimal.insert(decimal.end(), digits.begin(), digits.end());
    rows.push_back({Bytes(s.begin(), s.end()), maker.RandomBytes(maker.Below(50000)),
                    maker.RandomBytes(1 + maker.Below(4000)), decimal});
  }
  const Bytes body = RowsBody(metadata, rows);
  for (auto binary : {formats::BinaryEncoding::kHex, formats::BinaryEncoding::kBase64}) {
    formats::CsvOptions options;
    options.text.binary = binary;
    const Written expected = Reference(metadata, body, options);
    CQLBULK_ASSERT_OK(expected.status);
    for (size_t step : {size_t{0}, size_t{1}, size_t{5}}) {
      const Written got = Fast(metadata, body, options, step);
      CQLBULK_ASSERT_OK(got.status);
      EXPECT_EQ(got.text, expected.text);
      EXPECT_EQ(got.pieces, expected.pieces);
    }
  }
}

TEST(CsvPageWriterTest, MalformedPagesFailWhereTheDecoderFails) {
  std::vector<DataTypePtr> types;
  for (TypeId id : kScalarTypes) types.push_back(DataType::Native(id));
  const cql::RowsMetadata metadata = Columns(types);
  CellMaker maker(99);
  size_t failures = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    Cells rows(1 + maker.Below(4));
    for (auto& row : rows) {
      for (TypeId id : kScalarTypes) row.push_back(maker.Cell(id));
    }
    // One cell of a random column made wrong: a byte more or less, invalid UTF-8 or a
    // non-ASCII byte, a timeuuid of another version, or empty where the type keeps none.
    auto& row = rows[maker.Below(rows.size())];
    const size_t column = maker.Below(kScalarTypes.size());
    std::optional<Bytes>& cell = row[column];
    if (!cell) cell = Bytes{};
    switch (maker.Below(5)) {
      case 0: cell->push_back(static_cast<uint8_t>(maker.Bits())); break;
      case 1:
        if (!cell->empty()) cell->pop_back();
        break;
      case 2: cell->insert(cell->begin() + maker.Below(cell->size() + 1), 0xff); break;
      case 3: cell->insert(cell->begin() + maker.Below(cell->size() + 1), 0x80); break;
      default:
        if (cell->size() > 6) (*cell)[6] = static_cast<uint8_t>(maker.Bits());
        break;
    }
    const Bytes body = RowsBody(metadata, rows);
    const Written expected = Reference(metadata, body, formats::CsvOptions{});
    const Written got = Fast(metadata, body, formats::CsvOptions{}, maker.Below(3));
    ASSERT_EQ(got.status.has_value(), expected.status.has_value())
        << "column " << column << ": "
        << (expected.status.has_value() ? "" : expected.status.error().message());
    if (!expected.status.has_value()) {
      ++failures;
      EXPECT_EQ(got.status.error().code(), ErrorCode::kProtocol);
    } else {
      EXPECT_EQ(got.text, expected.text);
    }
  }
  EXPECT_GT(failures, 500u);
  // A page cut short, and a page of another width.
  Cells rows(3);
  for (auto& r : rows) {
    for (TypeId id : kScalarTypes) r.push_back(maker.Cell(id));
  }
  Bytes body = RowsBody(metadata, rows);
  body.resize(body.size() - 3);
  EXPECT_FALSE(Reference(metadata, body, formats::CsvOptions{}).status.has_value());
  EXPECT_FALSE(Fast(metadata, body, formats::CsvOptions{}, 0).status.has_value());
  auto decoder = RowDecoder::Make(metadata);
  ASSERT_TRUE(decoder.has_value());
  auto writer = CsvPageWriter::Make(*decoder, formats::CsvOptions{});
  ASSERT_TRUE(writer.has_value() && *writer != nullptr);
  cql::RowsResult narrow;
  narrow.metadata = Columns({DataType::Native(TypeId::kInt)});
  EXPECT_FALSE((*writer)->Begin(narrow).has_value());
}

/// JSON lines: the reference is RowDecoder + JsonWriter.
Written JsonReference(const cql::RowsMetadata& metadata, BytesView body,
                      const formats::TextOptions& options) {
  return ReferenceWith(metadata, body, [&](PiecesStream& out, const data::SchemaPtr& schema) {
    formats::JsonOptions json;
    json.text = options;
    return formats::JsonWriter::Make(out, schema, json);
  });
}

Written JsonFast(const cql::RowsMetadata& metadata, BytesView body,
                 const formats::TextOptions& options, size_t step) {
  return FastWith(metadata, body, step,
                  [&](const RowDecoder& decoder) { return JsonPageWriter::Make(decoder, options); });
}

TEST(JsonPageWriterTest, WritesWhatTheDecoderAndJsonWriterWriteForEveryScalarTypeAndOption) {
  std::vector<DataTypePtr> types;
  for (TypeId id : kScalarTypes) types.push_back(DataType::Native(id));
  types.push_back(DataType::Native(TypeId::kVarchar));
  CellMaker maker(424242);
  const char* formats[] = {"iso", "%Y-%m-%d %H:%M:%S.%f%z", "%Y|\"%f\"\\", "%d/%m/%Y\t%Hé",
                           "%%%Y%Ez"};
  const char* zones[] = {"UTC", "+05:30", "-08:00"};
  size_t compared_rows = 0;
  for (int set = 0; set < 30; ++set) {
    formats::TextOptions options;
    options.timestamp_format = formats[set % 5];
    options.time_zone = zones[set % 3];
    options.binary = set % 2 == 0 ? formats::BinaryEncoding::kBase64 : formats::BinaryEncoding::kHex;
    options.null_string = set % 4 == 0 ? "NULL" : "";  // not used by JSON
    const cql::RowsMetadata metadata = Columns(types, set % 3 == 1);
    Cells rows(200 + maker.Below(300));
    for (auto& row : rows) {
      for (TypeId id : kScalarTypes) row.push_back(maker.Cell(id));
      row.push_back(maker.Cell(TypeId::kVarchar));
    }
    const Bytes body = RowsBody(metadata, rows);
    const Written expected = JsonReference(metadata, body, options);
    CQLBULK_ASSERT_OK(expected.status);
    for (size_t step : {size_t{0}, size_t{1}, size_t{7}}) {
      const Written got = JsonFast(metadata, body, options, step);
      CQLBULK_ASSERT_OK(got.status);
      ASSERT_EQ(got.text, expected.text) << "set " << set << ", step " << step;
      ASSERT_EQ(got.pieces, expected.pieces);
    }
    compared_rows += rows.size();
  }
  EXPECT_GT(compared_rows, 6000u);
}

TEST(JsonPageWriterTest, LargeCellsAndMalformedPages) {
  // Cells of tens of kilobytes grow the buffer; malformed cells fail where the decoder fails.
  const cql::RowsMetadata wide =
      Columns({DataType::Native(TypeId::kVarchar), DataType::Native(TypeId::kBlob),
               DataType::Native(TypeId::kDecimal)});
  CellMaker maker(5);
  Cells rows;
  for (int i = 0; i < 10; ++i) {
    std::string s;
    while (s.size() < 20000 + maker.Below(50000)) s += maker.Text(false) + "\x01";
    Bytes decimal = BigEndian(2, 4);
    Bytes digits = maker.RandomBytes(maker.Below(2000));
    decimal.insert(decimal.end(), digits.begin(), digits.end());
    rows.push_back({Bytes(s.begin(), s.end()), maker.RandomBytes(maker.Below(40000)), decimal});
  }
  const Bytes body = RowsBody(wide, rows);
  const Written expected = JsonReference(wide, body, formats::TextOptions{});
  CQLBULK_ASSERT_OK(expected.status);
  for (size_t step : {size_t{0}, size_t{1}, size_t{3}}) {
    const Written got = JsonFast(wide, body, formats::TextOptions{}, step);
    EXPECT_EQ(got.text, expected.text);
    EXPECT_EQ(got.pieces, expected.pieces);
  }
  std::vector<DataTypePtr> types;
  for (TypeId id : kScalarTypes) types.push_back(DataType::Native(id));
  const cql::RowsMetadata metadata = Columns(types);
  size_t failures = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    Cells page(1 + maker.Below(4));
    for (auto& row : page) {
      for (TypeId id : kScalarTypes) row.push_back(maker.Cell(id));
    }
    std::optional<Bytes>& cell = page[maker.Below(page.size())][maker.Below(kScalarTypes.size())];
    if (!cell) cell = Bytes{};
    switch (maker.Below(4)) {
      case 0: cell->push_back(static_cast<uint8_t>(maker.Bits())); break;
      case 1:
        if (!cell->empty()) cell->pop_back();
        break;
      case 2: cell->insert(cell->begin() + maker.Below(cell->size() + 1), 0xff); break;
      default: cell->insert(cell->begin() + maker.Below(cell->size() + 1), 0x80); break;
    }
    const Bytes bad = RowsBody(metadata, page);
    const Written want = JsonReference(metadata, bad, formats::TextOptions{});
    const Written got = JsonFast(metadata, bad, formats::TextOptions{}, maker.Below(3));
    ASSERT_EQ(got.status.has_value(), want.status.has_value());
    if (want.status.has_value()) {
      EXPECT_EQ(got.text, want.text);
    } else {
      ++failures;
    }
  }
  EXPECT_GT(failures, 300u);
}

TEST(CsvPageWriterTest, TakesOnlyScalarColumnsAndTheOptionsCsvWriterTakes) {
  auto decoder = RowDecoder::Make(
      Columns({DataType::Native(TypeId::kInt), DataType::List(DataType::Native(TypeId::kInt))}));
  ASSERT_TRUE(decoder.has_value());
  auto none = CsvPageWriter::Make(*decoder, formats::CsvOptions{});
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(*none, nullptr);
  auto scalar = RowDecoder::Make(Columns({DataType::Native(TypeId::kInt)}));
  ASSERT_TRUE(scalar.has_value());
  formats::CsvOptions bad;
  bad.delimiter = '"';
  EXPECT_FALSE(CsvPageWriter::Make(*scalar, bad).has_value());
  bad = {};
  bad.text.time_zone = "Mars";
  EXPECT_FALSE(CsvPageWriter::Make(*scalar, bad).has_value());
}

}  // namespace
}  // namespace cqlbulk::ops::text
