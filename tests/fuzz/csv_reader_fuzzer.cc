// SPDX-License-Identifier: Apache-2.0
// Feeds arbitrary bytes to CsvReader (the first two bytes pick the dialect, the header mode,
// the missing-field rule and how many bytes each read returns): nothing may crash, over-read
// or hang, every record is either a row or an error, and the batch is always valid.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/formats/csv/csv_reader.h"

namespace {

using namespace cqlbulk;
using namespace cqlbulk::formats;

class ChunkedStream final : public InputStream {
 public:
  ChunkedStream(const uint8_t* data, size_t size, size_t max_read)
      : data_(data), size_(size), max_read_(max_read) {}

 protected:
  Result<size_t> DoRead(std::span<uint8_t> out) override {
    size_t n = std::min({out.size(), max_read_, size_ - pos_});
    std::memcpy(out.data(), data_ + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t max_read_;
  size_t pos_ = 0;
};

data::SchemaPtr Schema() {
  using T = data::LogicalType;
  return std::make_shared<data::Schema>(data::Schema{{
      data::Field{.name = "a", .type = T::Int32()},
      data::Field{.name = "b", .type = T::String()},
      data::Field{.name = "c", .type = T::Decimal()},
      data::Field{.name = "d", .type = T::Timestamp()},
      data::Field{.name = "e", .type = T::List(T::Map(T::String(), T::Tuple({T::Int8(), T::Uuid()})))},
      data::Field{.name = "f", .type = T::Binary()},
  }});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) {
    return 0;
  }
  CsvOptions options;
  static constexpr char kDelimiters[] = {',', ';', '\t', '|'};
  options.delimiter = kDelimiters[data[0] & 3];
  options.escape = (data[0] & 4) ? '\\' : '"';
  options.header = (data[0] & 8) == 0;
  options.text.null_string = (data[0] & 16) ? "NULL" : "";
  auto missing = static_cast<MissingField>((data[0] >> 5) % 3);
  size_t max_read = 1 + data[1] % 64;
  std::vector<std::string> fields =
      options.header ? std::vector<std::string>{"a", "b", "c", "d", "e", "f"}
                     : std::vector<std::string>{"0", "1", "2", "3", "4", "5"};
  ChunkedStream in(data + 2, size - 2, max_read);
  data::SchemaPtr schema = Schema();
  auto reader = CsvReader::Make(in, "fuzz", schema, fields, options, missing);
  if (!reader.has_value()) {
    return 0;
  }
  data::BatchBuilder builder(schema, 8);
  RecordInfo info;
  std::vector<RecordError> errors;
  size_t consumed = 0;
  for (int calls = 0; calls < 100000; ++calls) {
    Result<size_t> n = (*reader)->Read(builder, 7, info, errors);
    if (!n.has_value() || *n == 0) {
      break;
    }
    consumed += *n;
  }
  if (info.size() + errors.size() != consumed || builder.num_rows() != info.size() ||
      static_cast<int64_t>(consumed) != (*reader)->records_consumed() ||
      !builder.Finish().has_value()) {
    std::abort();
  }
  return 0;
}
