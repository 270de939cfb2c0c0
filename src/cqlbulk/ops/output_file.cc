// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ops/output_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cqlbulk::ops {

Result<std::unique_ptr<OutputFile>> OutputFile::Open(std::string path, uint64_t length) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot create " + path + ": " + std::strerror(errno));
  std::unique_ptr<OutputFile> file(new OutputFile(std::move(path), fd, 0));
  if (Status cut = file->Truncate(length); !cut.has_value()) return Unexpected(cut.error());
  return file;
}

OutputFile::~OutputFile() {
  if (fd_ >= 0) ::close(fd_);
}

Status OutputFile::Truncate(uint64_t length) {
  if (::ftruncate(fd_, static_cast<off_t>(length)) != 0 ||
      ::lseek(fd_, static_cast<off_t>(length), SEEK_SET) < 0) {
    return IoError("cannot truncate " + path_ + ": " + std::strerror(errno));
  }
  size_ = length;
  return {};
}

Status OutputFile::DoWrite(BytesView data) {
  const uint8_t* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot write " + path_ + ": " + std::strerror(errno));
    }
    p += n;
    left -= static_cast<size_t>(n);
    size_ += static_cast<uint64_t>(n);
  }
  return {};
}

Status OutputFile::DoClose() {
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) return IoError("cannot close " + path_ + ": " + std::strerror(errno));
  return {};
}

}  // namespace cqlbulk::ops
