// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/io/random_access_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace cqlbulk::formats {
namespace {

Error SystemError(const char* what, const std::string& path, int err) {
  return IoError(std::string(what) + " " + path + ": " + std::strerror(err));
}

}  // namespace

RandomAccessFile::RandomAccessFile(std::string path, int fd, uint64_t size, Bytes bytes)
    : path_(std::move(path)), fd_(fd), size_(size), bytes_(std::move(bytes)) {}

RandomAccessFile::~RandomAccessFile() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<RandomAccessFile>> RandomAccessFile::Open(std::string path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return SystemError("cannot open", path, errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return SystemError("cannot stat", path, err);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return IoError("cannot read " + path + ": not a regular file");
  }
  return std::unique_ptr<RandomAccessFile>(
      new RandomAccessFile(std::move(path), fd, static_cast<uint64_t>(st.st_size), {}));
}

std::unique_ptr<RandomAccessFile> RandomAccessFile::FromBytes(Bytes bytes, std::string name) {
  uint64_t size = bytes.size();
  return std::unique_ptr<RandomAccessFile>(
      new RandomAccessFile(std::move(name), -1, size, std::move(bytes)));
}

Status RandomAccessFile::ReadAt(uint64_t offset, std::span<uint8_t> out) const {
  if (offset > size_ || out.size() > size_ - offset) {
    return Error(ErrorCode::kCorrupt, path_ + ": " + std::to_string(out.size()) +
                                          " bytes at offset " + std::to_string(offset) +
                                          " pass the end of the file (" + std::to_string(size_) +
                                          " bytes)");
  }
  if (fd_ < 0) {
    if (!out.empty()) std::memcpy(out.data(), bytes_.data() + offset, out.size());
    return OkStatus();
  }
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::pread(fd_, out.data() + done, out.size() - done,
                        static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return SystemError("cannot read", path_, errno);
    }
    if (n == 0) {
      return Error(ErrorCode::kCorrupt, path_ + ": the file ended at " +
                                            std::to_string(offset + done) + " bytes while reading");
    }
    done += static_cast<size_t>(n);
  }
  return OkStatus();
}

}  // namespace cqlbulk::formats
