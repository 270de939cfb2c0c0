// SPDX-License-Identifier: Apache-2.0
// The decoders read what pyarrow and DuckDB write, and the encoders write pyarrow's bytes
// where the encoding leaves no choice: pyarrow_pages.py (run here with the referee Python)
// writes one-column files of every physical type in every encoding, data page v1 and v2,
// required and optional, and cuts out each page's levels and values; every page must decode
// to exactly the values pyarrow (or DuckDB, for its own files) reads back.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/parquet/encoding/byte_stream_split.h"
#include "cqlbulk/formats/parquet/encoding/delta.h"
#include "cqlbulk/formats/parquet/encoding/dictionary.h"
#include "cqlbulk/formats/parquet/encoding/plain.h"
#include "cqlbulk/formats/parquet/encoding/rle.h"
#include "testing/matchers.h"

namespace cqlbulk::formats::parquet {
namespace {

namespace fs = std::filesystem;

// Encoding enum values (parquet.thrift).
constexpr int kPlain = 0;
constexpr int kPlainDictionary = 2;
constexpr int kRle = 3;
constexpr int kDeltaBinaryPacked = 5;
constexpr int kDeltaLengthByteArray = 6;
constexpr int kDeltaByteArray = 7;
constexpr int kRleDictionary = 8;
constexpr int kByteStreamSplit = 9;

struct Page {
  std::string column;
  int index = 0;
  std::string physical;
  int width = 0;  // FLBA and INT96
  bool is_dictionary = false;
  std::string version;
  int encoding = 0;
  size_t num_values = 0;
  bool nullable = false;
};

Bytes ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

size_t ValueWidth(const Page& page) {
  if (page.physical == "INT32" || page.physical == "FLOAT") return 4;
  if (page.physical == "INT64" || page.physical == "DOUBLE") return 8;
  return static_cast<size_t>(page.width);  // FLBA, INT96
}

// Byte arrays as pyarrow_pages.py writes them: 4-byte length + bytes each.
Bytes Serialize(const ByteArrays& values) {
  PlainByteArrayEncoder encoder;
  data::Buffer out;
  encoder.Put(values.view());
  encoder.FlushTo(out);
  return Bytes(out.data(), out.data() + out.size());
}

// Calls get(offset, n) -> Result<size_t> in uneven batches until `total` values or the end.
template <typename Get>
Result<size_t> InBatches(size_t total, Get get) {
  static constexpr size_t kBatches[] = {1, 100, 31, 1000, 7};
  size_t done = 0;
  for (size_t call = 0; done < total; ++call) {
    size_t want = std::min(kBatches[call % 5], total - done);
    CQLBULK_ASSIGN_OR_RETURN(size_t got, get(done, want));
    done += got;
    if (got < want) break;
  }
  return done;
}

/// The decoded dictionary of a column chunk.
struct Dictionary {
  Bytes fixed;  // entries of ValueWidth() bytes
  ByteArrays arrays;
  uint32_t size = 0;
};

class PyarrowInteropTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() /
                        ("cqlbulk_pyarrow_pages_" + std::to_string(getpid())));
    std::string command = std::string(CQLBULK_REFEREE_PYTHON) + " " + CQLBULK_PYARROW_PAGES +
                          " " + dir_->string();
    status_ = std::system(command.c_str());
  }
  static void TearDownTestSuite() {
    std::error_code ignored;
    fs::remove_all(*dir_, ignored);
    delete dir_;
  }

  // Checks one data page against pyarrow's values.
  void CheckDataPage(const Page& page, const Dictionary& dictionary) {
    std::string base = page.column + "." + std::to_string(page.index);
    Bytes levels = ReadFile(*dir_ / (base + ".levels"));
    Bytes values = ReadFile(*dir_ / (base + ".values"));
    Bytes expected = ReadFile(*dir_ / (base + ".expect"));
    Bytes expected_levels = ReadFile(*dir_ / (base + ".deflevels"));

    size_t non_null = page.num_values;
    if (page.nullable) {
      BytesView runs = levels;
      if (page.version == "1.0") {
        CQLBULK_ASSERT_OK_AND_ASSIGN(runs, SplitLengthPrefixed(levels));
        ASSERT_EQ(runs.size() + 4, levels.size());
      }
      RleBitPackedDecoder decoder;
      CQLBULK_ASSERT_OK(decoder.Reset(runs, 1));
      std::vector<int16_t> decoded(page.num_values);
      CQLBULK_ASSERT_OK_AND_ASSIGN(size_t got, InBatches(page.num_values, [&](size_t at, size_t n) {
                                     return decoder.Get(decoded.data() + at, n);
                                   }));
      ASSERT_EQ(got, page.num_values);
      ASSERT_EQ(std::vector<int16_t>(expected_levels.begin(), expected_levels.end()), decoded);
      non_null = 0;
      for (int16_t level : decoded) non_null += static_cast<size_t>(level);
    }

    Bytes actual;
    size_t width = ValueWidth(page);
    // Most encodings say exactly how many values they hold: asking for one more must give
    // only what is there. Bit-packed booleans cannot (padding bits decode as values).
    size_t ask = non_null + 1;
    auto fixed = [&](auto& decoder) -> Status {
      actual.resize(ask * width);
      CQLBULK_ASSIGN_OR_RETURN(size_t got, InBatches(ask, [&](size_t at, size_t n) {
                                 return decoder.Get(actual.data() + at * width, n);
                               }));
      actual.resize(got * width);
      return OkStatus();
    };
    auto arrays = [&](auto& decoder) -> Status {
      ByteArrays out;
      CQLBULK_ASSIGN_OR_RETURN(size_t got, InBatches(ask, [&](size_t, size_t n) {
                                 return decoder.Get(out, n);
                               }));
      EXPECT_EQ(got, out.size());
      actual = Serialize(out);
      return OkStatus();
    };

    Status status;
    bool is_arrays = page.physical == "BYTE_ARRAY";
    switch (page.encoding) {
      case kPlain:
        if (page.physical == "BOOLEAN") {
          PlainBooleanDecoder decoder;
          CQLBULK_ASSERT_OK(decoder.Reset(values));
          ask = non_null;
          width = 1;
          status = fixed(decoder);
        } else if (is_arrays) {
          PlainByteArrayDecoder decoder;
          CQLBULK_ASSERT_OK(decoder.Reset(values));
          status = arrays(decoder);
        } else {
          PlainFixedDecoder decoder(static_cast<int>(width));
          CQLBULK_ASSERT_OK(decoder.Reset(values));
          status = fixed(decoder);
        }
        break;
      case kRle: {
        ASSERT_EQ(page.physical, "BOOLEAN");
        CQLBULK_ASSERT_OK_AND_ASSIGN(BytesView runs, SplitLengthPrefixed(values));
        RleBitPackedDecoder decoder;
        CQLBULK_ASSERT_OK(decoder.Reset(runs, 1));
        ask = non_null;
        width = 1;
        status = fixed(decoder);
        break;
      }
      case kPlainDictionary:
      case kRleDictionary: {
        DictIndexDecoder decoder;
        CQLBULK_ASSERT_OK(decoder.Reset(values, dictionary.size));
        std::vector<uint32_t> indices(non_null);
        CQLBULK_ASSERT_OK_AND_ASSIGN(size_t got, InBatches(non_null, [&](size_t at, size_t n) {
                                       return decoder.Get(indices.data() + at, n);
                                     }));
        ASSERT_EQ(got, non_null);
        if (is_arrays) {
          ByteArrays out;
          CQLBULK_ASSERT_OK(GatherByteArrays(dictionary.arrays.view(), indices.data(), got, out));
          actual = Serialize(out);
        } else {
          actual.resize(got * width);
          GatherFixed(dictionary.fixed.data(), static_cast<int>(width), indices.data(), got,
                      actual.data());
        }
        break;
      }
      case kDeltaBinaryPacked:
        if (page.physical == "INT32") {
          DeltaBinaryPackedDecoder<int32_t> decoder;
          CQLBULK_ASSERT_OK(decoder.Reset(values));
          EXPECT_EQ(decoder.encoded_bytes(), values.size());
          auto typed = [&](size_t at, size_t n) {
            return decoder.Get(reinterpret_cast<int32_t*>(actual.data()) + at, n);
          };
          actual.resize(ask * 4);
          CQLBULK_ASSERT_OK_AND_ASSIGN(size_t got, InBatches(ask, typed));
          actual.resize(got * 4);
        } else {
          DeltaBinaryPackedDecoder<int64_t> decoder;
          CQLBULK_ASSERT_OK(decoder.Reset(values));
          EXPECT_EQ(decoder.encoded_bytes(), values.size());
          auto typed = [&](size_t at, size_t n) {
            return decoder.Get(reinterpret_cast<int64_t*>(actual.data()) + at, n);
          };
          actual.resize(ask * 8);
          CQLBULK_ASSERT_OK_AND_ASSIGN(size_t got, InBatches(ask, typed));
          actual.resize(got * 8);
        }
        break;
      case kDeltaLengthByteArray: {
        DeltaLengthByteArrayDecoder decoder;
        CQLBULK_ASSERT_OK(decoder.Reset(values));
        status = arrays(decoder);
        break;
      }
      case kDeltaByteArray:
        if (is_arrays) {
          DeltaByteArrayDecoder decoder;
          CQLBULK_ASSERT_OK(decoder.Reset(values));
          status = arrays(decoder);
        } else {
          DeltaByteArrayDecoder decoder(static_cast<int>(width));
          CQLBULK_ASSERT_OK(decoder.Reset(values));
          status = fixed(decoder);
        }
        break;
      case kByteStreamSplit: {
        ByteStreamSplitDecoder decoder(static_cast<int>(width));
        CQLBULK_ASSERT_OK(decoder.Reset(values));
        status = fixed(decoder);
        break;
      }
      default:
        FAIL() << "encoding " << page.encoding << " in " << base;
    }
    CQLBULK_ASSERT_OK(status);
    ASSERT_EQ(actual.size(), expected.size()) << "decoded a different count";
    ASSERT_TRUE(actual == expected) << "values differ";
    ++checked_;
    // DELTA_BINARY_PACKED INT64 is left out: Arrow writes blocks of 256 values there, we
    // write 128 (as parquet-java does); both are valid. Dictionary indices are checked by
    // decoding (the unit tests).
    bool int64_delta = page.encoding == kDeltaBinaryPacked && page.physical == "INT64";
    bool duckdb = page.column.starts_with("duckdb_");  // other choices again
    if (page.encoding != kPlainDictionary && page.encoding != kRleDictionary && !int64_delta &&
        !duckdb) {
      ExpectSameEncoding(page, values, actual, non_null);
    }
  }

  // Our encoder, given pyarrow's values, writes pyarrow's bytes (where the encoding leaves
  // the writer no choice to make).
  void ExpectSameEncoding(const Page& page, const Bytes& pyarrow, const Bytes& decoded,
                          size_t count) {
    data::Buffer out;
    size_t width = ValueWidth(page);
    ByteArrays arrays;
    if (page.physical == "BYTE_ARRAY") {
      PlainByteArrayDecoder plain;  // `decoded` is in PLAIN's layout
      CQLBULK_ASSERT_OK(plain.Reset(decoded));
      ASSERT_EQ(plain.Get(arrays, count).value_or(0), count);
    }
    switch (page.encoding) {
      case kPlain:
        if (page.physical == "BOOLEAN") {
          PlainBooleanEncoder encoder;
          encoder.Put(decoded.data(), count);
          encoder.FlushTo(out);
        } else if (page.physical == "BYTE_ARRAY") {
          PlainByteArrayEncoder encoder;
          encoder.Put(arrays.view());
          encoder.FlushTo(out);
        } else {
          PlainFixedEncoder encoder(static_cast<int>(width));
          encoder.Put(decoded.data(), count);
          encoder.FlushTo(out);
        }
        break;
      case kRle: {
        RleBitPackedEncoder encoder(1);
        encoder.Put(decoded.data(), count);
        encoder.FlushWithLengthTo(out);
        break;
      }
      case kDeltaBinaryPacked:
        if (page.physical == "INT32") {
          DeltaBinaryPackedEncoder<int32_t> encoder;
          encoder.Put(reinterpret_cast<const int32_t*>(decoded.data()), count);
          encoder.FlushTo(out);
        } else {
          DeltaBinaryPackedEncoder<int64_t> encoder;
          encoder.Put(reinterpret_cast<const int64_t*>(decoded.data()), count);
          encoder.FlushTo(out);
        }
        break;
      case kDeltaLengthByteArray: {
        DeltaLengthByteArrayEncoder encoder;
        encoder.Put(arrays.view());
        encoder.FlushTo(out);
        break;
      }
      case kDeltaByteArray:
        if (page.physical == "BYTE_ARRAY") {
          DeltaByteArrayEncoder encoder;
          encoder.Put(arrays.view());
          encoder.FlushTo(out);
        } else {
          DeltaByteArrayEncoder encoder(static_cast<int>(width));
          encoder.Put(decoded.data(), count);
          encoder.FlushTo(out);
        }
        break;
      case kByteStreamSplit: {
        ByteStreamSplitEncoder encoder(static_cast<int>(width));
        encoder.Put(decoded.data(), count);
        encoder.FlushTo(out);
        break;
      }
    }
    EXPECT_TRUE(Bytes(out.data(), out.data() + out.size()) == pyarrow)
        << "our encoding differs from pyarrow's (" << out.size() << " vs " << pyarrow.size()
        << " bytes)";
    ++reencoded_;
  }

  void ReadDictionary(const Page& page, Dictionary& dictionary) {
    Bytes values = ReadFile(*dir_ / (page.column + "." + std::to_string(page.index) + ".values"));
    ASSERT_EQ(page.encoding, kPlain);  // PLAIN (or PLAIN_DICTIONARY's PLAIN) dictionary page
    dictionary = Dictionary{};
    dictionary.size = static_cast<uint32_t>(page.num_values);
    if (page.physical == "BYTE_ARRAY") {
      PlainByteArrayDecoder decoder;
      CQLBULK_ASSERT_OK(decoder.Reset(values));
      EXPECT_EQ(decoder.Get(dictionary.arrays, page.num_values + 1).value_or(0), page.num_values);
    } else {
      size_t width = ValueWidth(page);
      PlainFixedDecoder decoder(static_cast<int>(width));
      CQLBULK_ASSERT_OK(decoder.Reset(values));
      dictionary.fixed.resize((page.num_values + 1) * width);
      EXPECT_EQ(decoder.Get(dictionary.fixed.data(), page.num_values + 1).value_or(0),
                page.num_values);
    }
  }

  static fs::path* dir_;
  static int status_;
  size_t checked_ = 0;
  size_t reencoded_ = 0;
};

fs::path* PyarrowInteropTest::dir_ = nullptr;
int PyarrowInteropTest::status_ = -1;

TEST_F(PyarrowInteropTest, PagesDecodeToPyarrowsValuesAndReencodeToItsBytes) {
  ASSERT_EQ(status_, 0) << "pyarrow_pages.py failed (is the referee venv installed? "
                        << "scripts/install-referees.sh)";
  std::ifstream manifest(*dir_ / "manifest.txt");
  ASSERT_TRUE(manifest.good());
  std::map<std::string, Dictionary> dictionaries;
  std::map<int, size_t> pages_by_encoding;
  std::string line;
  while (std::getline(manifest, line)) {
    std::istringstream in(line);
    std::string tag;
    std::string role;
    Page page;
    int nullable = 0;
    in >> tag >> page.column >> page.index >> page.physical >> page.width >> role >>
        page.version >> page.encoding >> page.num_values >> nullable;
    ASSERT_EQ(tag, "page") << line;
    page.is_dictionary = role == "dict";
    page.nullable = nullable != 0;
    SCOPED_TRACE(line);
    if (page.is_dictionary) {
      ReadDictionary(page, dictionaries[page.column]);
    } else {
      CheckDataPage(page, dictionaries[page.column]);
      ++pages_by_encoding[page.encoding];
    }
    if (HasFatalFailure()) return;
  }
  // Every encoding was met, in pages of both versions.
  for (int encoding : {kPlain, kRle, kDeltaBinaryPacked, kDeltaLengthByteArray, kDeltaByteArray,
                       kRleDictionary, kByteStreamSplit}) {
    EXPECT_GE(pages_by_encoding[encoding], 2u) << "encoding " << encoding;
  }
  EXPECT_GE(checked_, 350u);
  EXPECT_GE(reencoded_, 250u);
}

}  // namespace
}  // namespace cqlbulk::formats::parquet
