// SPDX-License-Identifier: Apache-2.0
// formats/parquet: encode and decode throughput of ParquetWriter and ParquetReader, per column
// type, codec and dictionary mode. For each case it builds one data::Batch of --rows rows of
// one column (deterministic values), writes it into memory (MemoryOutputStream) and reads it
// back (RandomAccessFile::FromBytes), --repeat times each, timing the thread's CPU; it prints
// one JSON line per case on stdout. bench/parquet_benchmark.py runs it and measures pyarrow on
// the same data (the files --data-dir keeps). It asserts nothing about timing; it fails only
// when a write or read fails or the data read back differs from the data written.
#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <malloc.h>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bench_util.h"
#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/flags.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/formats/io/memory_stream.h"
#include "cqlbulk/formats/io/random_access_file.h"
#include "cqlbulk/formats/parquet/reader.h"
#include "cqlbulk/formats/parquet/writer.h"

namespace cqlbulk::bench {
namespace {

using data::Column;
using data::ColumnBuilder;
using data::LogicalType;
using data::TypeKind;
using formats::parquet::CompressionCodec;

struct Options {
  int64_t rows = 1'000'000;
  int64_t repeat = 5;
  std::string types;   ///< comma-separated column types; empty: all
  std::string codecs;  ///< comma-separated codecs; empty: all
  std::string phase = "both";
  std::string data_dir;
  bool no_check = false;
  bool malloc_defaults = false;
  bool list_types = false;
};

/// splitmix64: the same values on every run and machine.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return Next() % n; }

 private:
  uint64_t state_;
};

/// One column's data: its type and how `rows` values are made.
struct ColumnSpec {
  std::string name;
  data::LogicalTypePtr type;
  /// Appends `rows` values to the builder.
  std::function<void(ColumnBuilder&, size_t rows, Rng&)> fill;
  /// Whether the dictionary-off cases run too (the string and integer columns).
  bool dictionary_off = false;
  /// Whether the GZIP case runs too.
  bool gzip = false;
};

std::vector<ColumnSpec> Specs() {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::vector<std::string> categories;
  for (int k = 0; k < 100; ++k) {  // 100 distinct strings of 10 to 19 bytes
    categories.push_back("category-" + std::to_string(100 + k) + std::string(k % 10, 'x'));
  }
  return {
      {"int32_ids", LogicalType::Int32(),
       [](ColumnBuilder& b, size_t rows, Rng&) {
         for (size_t i = 0; i < rows; ++i) b.AppendInt32(static_cast<int32_t>(i));
       },
       true, false},
      {"int64_random", LogicalType::Int64(),
       [](ColumnBuilder& b, size_t rows, Rng& rng) {
         for (size_t i = 0; i < rows; ++i) b.AppendInt64(static_cast<int64_t>(rng.Next()));
       },
       true, true},
      {"timestamp_increasing", LogicalType::Timestamp(),
       [](ColumnBuilder& b, size_t rows, Rng& rng) {
         int64_t t = 1'700'000'000'000;  // 2023-11-14, milliseconds
         for (size_t i = 0; i < rows; ++i) {
           t += static_cast<int64_t>(rng.Below(2000));
           b.AppendTimestamp(t);
         }
       },
       true, false},
      {"double", LogicalType::Float64(),
       [](ColumnBuilder& b, size_t rows, Rng& rng) {
         for (size_t i = 0; i < rows; ++i) {
           b.AppendFloat64(static_cast<double>(rng.Next() >> 11) * 0x1p-53 * 1e6);
         }
       },
       false, false},
      {"string20_random", LogicalType::String(),
       [alphabet](ColumnBuilder& b, size_t rows, Rng& rng) {
         char s[20];
         for (size_t i = 0; i < rows; ++i) {
           for (char& c : s) c = alphabet[rng.Below(alphabet.size())];
           b.AppendString(std::string_view(s, sizeof(s)));
         }
       },
       true, false},
      {"string_100_distinct", LogicalType::String(),
       [categories](ColumnBuilder& b, size_t rows, Rng& rng) {
         for (size_t i = 0; i < rows; ++i) b.AppendString(categories[rng.Below(100)]);
       },
       true, false},
      {"uuid", LogicalType::Uuid(),
       [](ColumnBuilder& b, size_t rows, Rng& rng) {
         uint8_t u[16];
         for (size_t i = 0; i < rows; ++i) {
           uint64_t hi = rng.Next(), lo = rng.Next();
           for (int k = 0; k < 8; ++k) {
             u[k] = static_cast<uint8_t>(hi >> (8 * k));
             u[8 + k] = static_cast<uint8_t>(lo >> (8 * k));
           }
           u[6] = static_cast<uint8_t>((u[6] & 0x0f) | 0x40);  // version 4
           u[8] = static_cast<uint8_t>((u[8] & 0x3f) | 0x80);  // variant 1
           b.AppendUuid(u);
         }
       },
       false, false},
      {"int64_nullable_10pct", LogicalType::Int64(),
       [](ColumnBuilder& b, size_t rows, Rng& rng) {
         for (size_t i = 0; i < rows; ++i) {
           uint64_t v = rng.Next();
           if (v % 10 == 0) {
             b.AppendNull();
           } else {
             b.AppendInt64(static_cast<int64_t>(v));
           }
         }
       },
       false, false},
      {"list_int32_0to5", LogicalType::List(LogicalType::Int32()),
       [](ColumnBuilder& b, size_t rows, Rng& rng) {
         for (size_t i = 0; i < rows; ++i) {
           b.BeginList();
           uint64_t n = rng.Below(6);
           for (uint64_t k = 0; k < n; ++k) {
             b.child().AppendInt32(static_cast<int32_t>(rng.Below(1000)));
           }
           b.EndList();
         }
       },
       false, false},
  };
}

struct Case {
  std::string codec_name;
  CompressionCodec codec;
  bool dictionary;
};

std::vector<Case> CasesOf(const ColumnSpec& spec) {
  const std::pair<const char*, CompressionCodec> codecs[] = {
      {"none", CompressionCodec::kUncompressed},
      {"snappy", CompressionCodec::kSnappy},
      {"zstd", CompressionCodec::kZstd}};
  std::vector<Case> cases;
  for (bool dictionary : {true, false}) {
    if (!dictionary && !spec.dictionary_off) continue;
    for (const auto& [name, codec] : codecs) cases.push_back({name, codec, dictionary});
  }
  if (spec.gzip) cases.push_back({"gzip", CompressionCodec::kGzip, true});
  return cases;
}

bool Selected(const std::string& list, const std::string& name) {
  if (list.empty()) return true;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item == name) return true;
  }
  return false;
}

// --- the check that what is read is what was written ---------------------------------------

bool SameValue(const Column& a, size_t i, const Column& b, size_t j) {
  if (a.IsNull(i) || b.IsNull(j)) return a.IsNull(i) == b.IsNull(j);
  switch (a.kind()) {
    case TypeKind::kInt32:
      return a.Int32(i) == b.Int32(j);
    case TypeKind::kInt64:
    case TypeKind::kTimestamp:
      return a.Int64(i) == b.Int64(j);
    case TypeKind::kFloat64:
      return std::bit_cast<uint64_t>(a.Float64(i)) == std::bit_cast<uint64_t>(b.Float64(j));
    case TypeKind::kString:
      return a.String(i) == b.String(j);
    case TypeKind::kUuid:
      return std::ranges::equal(a.UuidBytes(i), b.UuidBytes(j));
    case TypeKind::kList: {
      auto [ab, ae] = a.ElementRange(i);
      auto [bb, be] = b.ElementRange(j);
      if (ae - ab != be - bb) return false;
      for (size_t k = 0; k < ae - ab; ++k) {
        if (!SameValue(a.child(), ab + k, b.child(), bb + k)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/// Reads `file` whole and compares every row with `expected`'s column 0.
Status CheckRoundTrip(const Bytes& file, const data::Batch& expected, const std::string& name) {
  CQLBULK_ASSIGN_OR_RETURN(
      std::unique_ptr<formats::parquet::ParquetReader> reader,
      formats::parquet::ParquetReader::Open(formats::RandomAccessFile::FromBytes(file, name)));
  size_t row = 0;
  while (true) {
    CQLBULK_ASSIGN_OR_RETURN(std::optional<data::Batch> batch, reader->Next());
    if (!batch) break;
    const Column& got = batch->column(0);
    for (size_t i = 0; i < batch->num_rows(); ++i, ++row) {
      if (row >= expected.num_rows() || !SameValue(expected.column(0), row, got, i)) {
        return Error(ErrorCode::kInternal, name + ": row " + std::to_string(row) +
                                               " read back differs from the row written");
      }
    }
  }
  if (row != expected.num_rows()) {
    return Error(ErrorCode::kInternal, name + ": " + std::to_string(row) + " rows read of " +
                                           std::to_string(expected.num_rows()));
  }
  return OkStatus();
}

// --- timing ---------------------------------------------------------------------------------

Result<Bytes> WriteOnce(const data::Batch& batch, const Case& c) {
  Bytes file;
  formats::parquet::WriterOptions writer_options;  // every other option at its default
  writer_options.codec = c.codec;
  writer_options.dictionary = c.dictionary;
  CQLBULK_ASSIGN_OR_RETURN(
      std::unique_ptr<formats::parquet::ParquetWriter> writer,
      formats::parquet::ParquetWriter::Make(batch.schema_ptr(),
                                            std::make_unique<formats::MemoryOutputStream>(&file),
                                            std::move(writer_options)));
  CQLBULK_RETURN_IF_ERROR(writer->Write(batch));
  CQLBULK_RETURN_IF_ERROR(writer->Close());
  return file;
}

Result<size_t> ReadOnce(std::unique_ptr<formats::RandomAccessFile> file) {
  CQLBULK_ASSIGN_OR_RETURN(std::unique_ptr<formats::parquet::ParquetReader> reader,
                           formats::parquet::ParquetReader::Open(std::move(file)));
  size_t rows = 0;
  while (true) {
    CQLBULK_ASSIGN_OR_RETURN(std::optional<data::Batch> batch, reader->Next());
    if (!batch) break;
    rows += batch->num_rows();
  }
  return rows;
}

double Best(std::vector<double> v) { return v.empty() ? 0 : *std::min_element(v.begin(), v.end()); }

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/// Rows for flat columns, elements for the list: the values a writer encodes.
size_t ValuesOf(const data::Batch& batch) {
  const Column& c = batch.column(0);
  return c.kind() == TypeKind::kList ? c.child().num_rows() : c.num_rows();
}

Status RunCase(const Options& options, const ColumnSpec& spec, const data::Batch& batch,
               const Case& c, bool keep_file) {
  std::string name = spec.name + "/" + c.codec_name + "/" + (c.dictionary ? "dict" : "plain");
  std::vector<double> write_cpu, read_cpu;
  Bytes file;
  for (int64_t r = 0; r < options.repeat; ++r) {
    Stopwatch watch;
    CQLBULK_ASSIGN_OR_RETURN(file, WriteOnce(batch, c));
    write_cpu.push_back(watch.elapsed().cpu);
    if (options.phase == "read") break;  // one write for the reads' file
  }
  if (options.phase != "write") {
    for (int64_t r = 0; r < options.repeat; ++r) {
      std::unique_ptr<formats::RandomAccessFile> in = formats::RandomAccessFile::FromBytes(file, name);
      Stopwatch watch;
      CQLBULK_ASSIGN_OR_RETURN(size_t rows, ReadOnce(std::move(in)));
      read_cpu.push_back(watch.elapsed().cpu);
      if (rows != batch.num_rows()) {
        return Error(ErrorCode::kInternal, name + ": read " + std::to_string(rows) + " rows");
      }
    }
  }
  if (options.phase == "read") write_cpu.clear();
  if (!options.no_check) CQLBULK_RETURN_IF_ERROR(CheckRoundTrip(file, batch, name));
  if (keep_file) {
    std::string path = options.data_dir + "/" + spec.name + ".parquet";
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(file.data()), static_cast<std::streamsize>(file.size()));
    if (!out) return Error(ErrorCode::kIo, path + ": cannot write the data file");
  }

  size_t values = ValuesOf(batch);
  size_t plain = batch.size_bytes();
  double write_s = Best(write_cpu), read_s = Best(read_cpu);
  auto mb_per_s = [&](double s) { return s > 0 ? static_cast<double>(plain) / 1e6 / s : 0; };
  std::printf(
      "{\"case\": \"%s\", \"type\": \"%s\", \"codec\": \"%s\", \"dictionary\": %s, "
      "\"rows\": %zu, \"values\": %zu, \"plain_bytes\": %zu, \"encoded_bytes\": %zu, "
      "\"repeat\": %" PRId64 ", \"write_s\": %.6f, \"write_s_median\": %.6f, "
      "\"read_s\": %.6f, \"read_s_median\": %.6f, \"write_values_per_s\": %.0f, "
      "\"write_mb_per_s\": %.1f, \"read_values_per_s\": %.0f, \"read_mb_per_s\": %.1f}\n",
      name.c_str(), spec.name.c_str(), c.codec_name.c_str(), c.dictionary ? "true" : "false",
      batch.num_rows(), values, plain, file.size(), options.repeat, write_s, Median(write_cpu),
      read_s, Median(read_cpu), PerSecond(static_cast<int64_t>(values), write_s),
      mb_per_s(write_s), PerSecond(static_cast<int64_t>(values), read_s), mb_per_s(read_s));
  std::fflush(stdout);
  return OkStatus();
}

Status Run(const Options& options) {
  for (const ColumnSpec& spec : Specs()) {
    if (!Selected(options.types, spec.name)) continue;
    auto schema = std::make_shared<const data::Schema>(
        data::Schema{{data::Field{.name = spec.name, .type = spec.type}}});
    data::BatchBuilder builder(schema, static_cast<size_t>(options.rows));
    Rng rng(0x5eed0000 + std::hash<std::string>{}(spec.name) % 1000);
    spec.fill(builder.column(0), static_cast<size_t>(options.rows), rng);
    CQLBULK_ASSIGN_OR_RETURN(data::Batch batch, builder.Finish());
    bool kept = options.data_dir.empty();
    for (const Case& c : CasesOf(spec)) {
      if (!Selected(options.codecs, c.codec_name)) continue;
      CQLBULK_RETURN_IF_ERROR(RunCase(options, spec, batch, c, !kept));
      kept = true;
    }
  }
  return OkStatus();
}

}  // namespace
}  // namespace cqlbulk::bench

int main(int argc, char** argv) {
  cqlbulk::bench::Options options;
  bool help = false;
  cqlbulk::FlagSet flags;
  flags.AddInt("rows", "N", "rows per case (default 1000000)", &options.rows, 1, 100'000'000);
  flags.AddInt("repeat", "N", "writes and reads per case; the best CPU time counts (default 5)",
               &options.repeat, 1, 1000);
  flags.AddString("types", "LIST",
                  "column types to run, comma-separated (default all: int32_ids, int64_random, "
                  "timestamp_increasing, double, string20_random, string_100_distinct, uuid, "
                  "int64_nullable_10pct, list_int32_0to5)",
                  &options.types);
  flags.AddString("codecs", "LIST", "codecs to run: none, snappy, zstd, gzip (default all)",
                  &options.codecs);
  flags.AddString("phase", "P", "both, write or read (one untimed write): for profiling",
                  &options.phase);
  flags.AddString("data-dir", "DIR",
                  "write each type's data there as <type>.parquet (the first case's file)",
                  &options.data_dir);
  flags.AddSwitch("no-check", "skip the untimed read-back comparison", &options.no_check);
  flags.AddSwitch("list-types", "print the column types, one a line, and exit",
                  &options.list_types);
  flags.AddSwitch("malloc-defaults",
                  "leave glibc malloc as it is (else freed memory is kept for reuse, as "
                  "pyarrow's mimalloc keeps it: see bench/README.md)",
                  &options.malloc_defaults);
  flags.AddSwitch("help", "show this help", &help);
  std::vector<std::string> args(argv + 1, argv + argc);
  auto positional = flags.Parse(args);
  bool bad_phase = options.phase != "both" && options.phase != "write" && options.phase != "read";
  if (!positional.has_value() || help || !positional->empty() || bad_phase) {
    if (!positional.has_value()) {
      std::fprintf(stderr, "%s\n", positional.error().message().c_str());
    }
    std::printf("usage: parquet_benchmark [flags]\n\nOne JSON line per case on stdout.\n\n%s",
                flags.Usage().c_str());
    return help ? 0 : 2;
  }
  if (options.list_types) {
    for (const cqlbulk::bench::ColumnSpec& spec : cqlbulk::bench::Specs()) {
      std::printf("%s\n", spec.name.c_str());
    }
    return 0;
  }
  if (!options.malloc_defaults) {
    // glibc maps large blocks afresh and trims the heap's top on free, so each repetition
    // would fault its buffers in again (about 2 us a 4 KiB page here) and the figures would
    // depend on where earlier cases left the heap. Blocks of up to 32 MiB (the most glibc
    // allows) now come from the heap, and freed memory stays there for the next repetition.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
  }
  cqlbulk::Status status = cqlbulk::bench::Run(options);
  if (!status.has_value()) {
    std::fprintf(stderr, "parquet_benchmark: %s\n", status.error().ToString().c_str());
    return 1;
  }
  return 0;
}
