// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"

namespace cqlbulk::formats {

/// \brief A file read at any offset (pread), for formats whose index is at the end (Parquet's
/// footer). Thread-safe: reads do not move a shared position.
///
/// Errors are kIo naming the path and the system's reason; a read past the end is kCorrupt
/// ("<path>: <n> bytes at offset <o> pass the end of the file (<size> bytes)").
class RandomAccessFile {
 public:
  static Result<std::unique_ptr<RandomAccessFile>> Open(std::string path);
  /// Reads bytes that a test or caller already holds in memory, named `name`.
  static std::unique_ptr<RandomAccessFile> FromBytes(Bytes bytes, std::string name);
  ~RandomAccessFile();

  const std::string& path() const noexcept { return path_; }
  uint64_t size() const noexcept { return size_; }
  /// Reads exactly out.size() bytes at `offset`.
  Status ReadAt(uint64_t offset, std::span<uint8_t> out) const;

 private:
  RandomAccessFile(std::string path, int fd, uint64_t size, Bytes bytes);

  std::string path_;
  int fd_;
  uint64_t size_;
  Bytes bytes_;  // FromBytes
};

}  // namespace cqlbulk::formats
