// SPDX-License-Identifier: Apache-2.0
// Feeds arbitrary bytes to the Avro container reader as a whole file and reads every record:
// nothing may crash, over-read, hang or allocate without bound; errors are fine. What reads
// must also hold together: the writer's schema prints to JSON that parses back equal, and each
// record encodes with it to bytes that decode back equal. Seeds are files fastavro writes
// (avro_container_seeds.py, run by scripts/fuzz.sh).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "cqlbulk/formats/avro/container.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cqlbulk;
  using namespace cqlbulk::formats::avro;
  ContainerReaderOptions options;
  options.max_block_bytes = 1 << 20;
  auto reader = ContainerReader::OpenBytes(Bytes(data, data + size), "fuzz.avro", options);
  if (!reader.has_value()) return 0;
  const Schema& schema = (*reader)->writer_schema();
  Result<Schema> reparsed = Schema::Parse(schema.ToJson());
  if (!reparsed.has_value() || !(*reparsed == schema)) {
    std::fprintf(stderr, "schema does not print back: %s\n", schema.ToJson().c_str());
    std::abort();
  }
  data::Buffer encoded;
  for (int records = 0; records < 100000; ++records) {
    auto next = (*reader)->Next();
    if (!next.has_value() || !*next) break;
    encoded.Clear();
    Status status = Encode(schema, **next, encoded);
    Result<Value> back =
        status.has_value() ? Decode(schema, encoded.view()) : Result<Value>(status.error());
    if (!back.has_value() || !(*back == **next)) {
      std::fprintf(stderr, "record %d does not encode back: %s\n", records,
                   (**next).DebugString().c_str());
      std::abort();
    }
  }
  return 0;
}
