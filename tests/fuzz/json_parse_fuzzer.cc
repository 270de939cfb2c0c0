// SPDX-License-Identifier: Apache-2.0
// Feeds arbitrary bytes to JsonDocument (walking every parsed tree) and, with the first byte's
// high bit set, to JsonReader with a nested schema: nothing may crash, over-read or hang,
// every record is either a row or an error, and the batch is always valid.
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/formats/io/memory_stream.h"
#include "cqlbulk/formats/json/json_reader.h"
#include "cqlbulk/formats/text/json_parse.h"

namespace {

using namespace cqlbulk;
using namespace cqlbulk::formats;

// Visits every node; returns how many, so the spans are checked against num_nodes().
size_t Walk(JsonValue v) {
  size_t nodes = 1;
  if (v.type() == JsonType::kArray) {
    uint32_t count = 0;
    for (JsonValue e : v.elements()) {
      nodes += Walk(e);
      ++count;
    }
    if (count != v.size()) std::abort();
  } else if (v.type() == JsonType::kObject) {
    uint32_t count = 0;
    for (JsonMember m : v.members()) {
      if (FindInvalidUtf8(m.key).has_value()) std::abort();
      nodes += 1 + Walk(m.value);
      ++count;
    }
    if (count != v.size()) std::abort();
  } else if (v.type() == JsonType::kString && FindInvalidUtf8(v.text()).has_value()) {
    std::abort();
  }
  return nodes;
}

void ReadRecords(const uint8_t* data, size_t size) {
  using T = data::LogicalType;
  auto schema = std::make_shared<data::Schema>(data::Schema{{
      data::Field{.name = "a", .type = T::Int64()},
      data::Field{.name = "b", .type = T::Set(T::String())},
      data::Field{.name = "c", .type = T::Map(T::Date(), T::Vector(T::Float32(), 2))},
      data::Field{.name = "d",
                  .type = T::Struct({data::Field{.name = "x", .type = T::Duration()},
                                     data::Field{.name = "y", .type = T::Inet()}},
                                    "udt")},
  }});
  MemoryInputStream in(Bytes(data, data + size));
  auto reader = JsonReader::Make(in, "fuzz", schema, {"a", "b", "c", "d"}, {},
                                 static_cast<MissingField>(size % 3));
  if (!reader.has_value()) std::abort();
  data::BatchBuilder builder(schema, 8);
  RecordInfo info;
  std::vector<RecordError> errors;
  size_t consumed = 0;
  for (;;) {
    Result<size_t> n = (*reader)->Read(builder, 5, info, errors);
    if (!n.has_value() || *n == 0) break;
    consumed += *n;
  }
  if (info.size() + errors.size() != consumed || builder.num_rows() != info.size() ||
      !builder.Finish().has_value()) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  if (data[0] & 0x80) {
    ReadRecords(data + 1, size - 1);
    return 0;
  }
  JsonDocument document(1 + data[0] % 64);
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  if (document.Parse(text).has_value() && Walk(document.root()) != document.num_nodes()) {
    std::abort();
  }
  return 0;
}
