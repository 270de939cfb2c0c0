// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "cqlbulk/core/result.h"
#include "cqlbulk/formats/io/stream.h"

namespace cqlbulk::ops {

/// \brief An output file that can be cut back: unload writes a range into it and, if the
/// range fails, truncates it to where the range began, so no partial range stays behind.
///
/// Unbuffered: what Write() returns from is in the operating system's hands (a SIGKILL
/// loses nothing written), so size() is the file's length. The writers and compressors in
/// front of it buffer.
class OutputFile final : public formats::OutputStream {
 public:
  /// Creates `path`, or truncates it to `length` and appends from there (a resumed run).
  static Result<std::unique_ptr<OutputFile>> Open(std::string path, uint64_t length = 0);
  ~OutputFile() override;

  const std::string& path() const noexcept { return path_; }
  uint64_t size() const noexcept { return size_; }
  /// Cuts the file back to `length` bytes and writes on from there.
  Status Truncate(uint64_t length);

 protected:
  Status DoWrite(BytesView data) override;
  Status DoFlush() override { return {}; }
  Status DoClose() override;

 private:
  OutputFile(std::string path, int fd, uint64_t size)
      : path_(std::move(path)), fd_(fd), size_(size) {}

  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

}  // namespace cqlbulk::ops
