// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/formats/io/stream.h"

namespace cqlbulk::formats {

/// The path that names standard output (for FileOutputStream) or standard input (for
/// FileInputStream).
inline constexpr std::string_view kStdioPath = "-";

/// \brief A buffered file written through a POSIX file descriptor; "-" is standard output.
///
/// Errors are kIo and name the path and the system's reason. Close() flushes and closes the
/// descriptor (standard output is flushed, not closed).
class FileOutputStream final : public OutputStream {
 public:
  /// \brief Creates or truncates `path`.
  static Result<std::unique_ptr<FileOutputStream>> Open(std::string path,
                                                        size_t buffer_bytes = 64 * 1024);
  ~FileOutputStream() override;

  const std::string& path() const noexcept { return path_; }

 protected:
  Status DoWrite(BytesView data) override;
  Status DoFlush() override;
  Status DoClose() override;

 private:
  FileOutputStream(std::string path, int fd, bool owns_fd, size_t buffer_bytes);
  Status WriteFully(BytesView data);

  std::string path_;
  int fd_;
  bool owns_fd_;
  Bytes buffer_;
  size_t buffered_ = 0;
};

/// \brief A buffered file read through a POSIX file descriptor; "-" is standard input.
///
/// Errors are kIo and name the path and the system's reason.
class FileInputStream final : public InputStream {
 public:
  static Result<std::unique_ptr<FileInputStream>> Open(std::string path,
                                                       size_t buffer_bytes = 64 * 1024);
  ~FileInputStream() override;

  const std::string& path() const noexcept { return path_; }

 protected:
  Result<size_t> DoRead(std::span<uint8_t> out) override;

 private:
  FileInputStream(std::string path, int fd, bool owns_fd, size_t buffer_bytes);
  Result<size_t> ReadSome(std::span<uint8_t> out);

  std::string path_;
  int fd_;
  bool owns_fd_;
  Bytes buffer_;
  size_t begin_ = 0;
  size_t end_ = 0;
};

}  // namespace cqlbulk::formats
