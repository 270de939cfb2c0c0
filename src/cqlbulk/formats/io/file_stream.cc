// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/io/file_stream.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::formats {
namespace {

std::string DisplayName(const std::string& path, std::string_view stdio_name) {
  return path == kStdioPath ? std::string(stdio_name) : path;
}

Error SystemError(std::string_view what, const std::string& name, int err) {
  return IoError(std::string(what) + " " + name + ": " + std::strerror(err));
}

}  // namespace

Result<std::unique_ptr<FileOutputStream>> FileOutputStream::Open(std::string path,
                                                                 size_t buffer_bytes) {
  if (path == kStdioPath) {
    return std::unique_ptr<FileOutputStream>(
        new FileOutputStream(std::move(path), STDOUT_FILENO, false, buffer_bytes));
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) {
    return SystemError("cannot create", path, errno);
  }
  return std::unique_ptr<FileOutputStream>(
      new FileOutputStream(std::move(path), fd, true, buffer_bytes));
}

FileOutputStream::FileOutputStream(std::string path, int fd, bool owns_fd, size_t buffer_bytes)
    : path_(std::move(path)),
      fd_(fd),
      owns_fd_(owns_fd),
      buffer_(std::max<size_t>(buffer_bytes, 1)) {}

FileOutputStream::~FileOutputStream() {
  if (owns_fd_ && fd_ >= 0) {
    ::close(fd_);
  }
}

Status FileOutputStream::WriteFully(BytesView data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return SystemError("cannot write", DisplayName(path_, "standard output"), errno);
    }
    data = data.subspan(static_cast<size_t>(n));
  }
  return OkStatus();
}

Status FileOutputStream::DoWrite(BytesView data) {
  if (buffered_ + data.size() <= buffer_.size()) {
    std::memcpy(buffer_.data() + buffered_, data.data(), data.size());
    buffered_ += data.size();
    return OkStatus();
  }
  CQLBULK_RETURN_IF_ERROR(DoFlush());
  if (data.size() >= buffer_.size()) {
    return WriteFully(data);
  }
  std::memcpy(buffer_.data(), data.data(), data.size());
  buffered_ = data.size();
  return OkStatus();
}

Status FileOutputStream::DoFlush() {
  size_t n = std::exchange(buffered_, 0);
  return WriteFully(BytesView(buffer_).first(n));
}

Status FileOutputStream::DoClose() {
  Status flushed = DoFlush();
  if (!owns_fd_) {
    return flushed;
  }
  int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0 && flushed.has_value()) {
    return SystemError("cannot close", path_, errno);
  }
  return flushed;
}

Result<std::unique_ptr<FileInputStream>> FileInputStream::Open(std::string path,
                                                               size_t buffer_bytes) {
  if (path == kStdioPath) {
    return std::unique_ptr<FileInputStream>(
        new FileInputStream(std::move(path), STDIN_FILENO, false, buffer_bytes));
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return SystemError("cannot open", path, errno);
  }
  return std::unique_ptr<FileInputStream>(
      new FileInputStream(std::move(path), fd, true, buffer_bytes));
}

FileInputStream::FileInputStream(std::string path, int fd, bool owns_fd, size_t buffer_bytes)
    : path_(std::move(path)),
      fd_(fd),
      owns_fd_(owns_fd),
      buffer_(std::max<size_t>(buffer_bytes, 1)) {}

FileInputStream::~FileInputStream() {
  if (owns_fd_) {
    ::close(fd_);
  }
}

Result<size_t> FileInputStream::ReadSome(std::span<uint8_t> out) {
  while (true) {
    ssize_t n = ::read(fd_, out.data(), out.size());
    if (n >= 0) {
      return static_cast<size_t>(n);
    }
    if (errno != EINTR) {
      return SystemError("cannot read", DisplayName(path_, "standard input"), errno);
    }
  }
}

Result<size_t> FileInputStream::DoRead(std::span<uint8_t> out) {
  if (begin_ == end_) {
    // Large reads go straight to the caller's memory; small ones are served from the buffer.
    if (out.size() >= buffer_.size()) {
      return ReadSome(out);
    }
    CQLBULK_ASSIGN_OR_RETURN(end_, ReadSome(buffer_));
    begin_ = 0;
  }
  size_t n = std::min(out.size(), end_ - begin_);
  std::memcpy(out.data(), buffer_.data() + begin_, n);
  begin_ += n;
  return n;
}

}  // namespace cqlbulk::formats
