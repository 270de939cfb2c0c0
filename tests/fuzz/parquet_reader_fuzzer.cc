// SPDX-License-Identifier: Apache-2.0
// Feeds arbitrary bytes to the Parquet reader as a whole file and reads every batch: nothing
// may crash, over-read, hang or allocate without bound; errors are fine. Seeds are files
// pyarrow writes (parquet_reader_seeds.py, run by scripts/fuzz.sh).
#include <cstddef>
#include <cstdint>
#include <memory>

#include "cqlbulk/formats/io/random_access_file.h"
#include "cqlbulk/formats/parquet/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cqlbulk;
  formats::parquet::ReaderOptions options;
  options.batch_rows = 97;
  options.max_batch_values = 1 << 20;
  auto reader = formats::parquet::ParquetReader::Open(
      formats::RandomAccessFile::FromBytes(Bytes(data, data + size), "fuzz.parquet"), options);
  if (!reader.has_value()) return 0;
  for (int batches = 0; batches < 10000; ++batches) {
    auto next = (*reader)->Next();
    if (!next.has_value() || !*next) break;
  }
  return 0;
}
