// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/iceberg/metadata/location.h"

#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace cqlbulk::iceberg {
namespace {

Error SystemError(std::string_view what, const std::string& path, int error) {
  std::string message = std::string(what) + " " + path + ": " + std::strerror(error);
  if (error == ENOENT) {
    return NotFound(std::move(message));
  }
  if (error == EEXIST) {
    return AlreadyExists(std::move(message));
  }
  return IoError(std::move(message));
}

// Writes straight to a descriptor: the Avro writers hand it whole blocks.
class NewFileStream final : public formats::OutputStream {
 public:
  NewFileStream(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~NewFileStream() override {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }

 protected:
  Status DoWrite(BytesView data) override {
    const uint8_t* p = data.data();
    size_t left = data.size();
    while (left > 0) {
      ssize_t n = ::write(fd_, p, left);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        return SystemError("cannot write", path_, errno);
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
    return OkStatus();
  }
  Status DoFlush() override { return OkStatus(); }
  Status DoClose() override {
    int fd = fd_;
    fd_ = -1;
    if (::fsync(fd) != 0) {
      int error = errno;
      ::close(fd);
      return SystemError("cannot sync", path_, error);
    }
    if (::close(fd) != 0) {
      return SystemError("cannot close", path_, errno);
    }
    return OkStatus();
  }

 private:
  std::string path_;
  int fd_;
};

}  // namespace

Result<std::unique_ptr<formats::OutputStream>> OpenNewFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return SystemError("cannot create", path, errno);
  }
  return std::unique_ptr<formats::OutputStream>(new NewFileStream(path, fd));
}

Result<std::string> LocalPath(std::string_view location) {
  std::string_view path = location;
  if (path.starts_with("file://")) {
    path.remove_prefix(7);  // file:///abs -> /abs; file://host/abs is not local
  } else if (path.starts_with("file:")) {
    path.remove_prefix(5);
  } else if (auto colon = path.find("://"); colon != std::string_view::npos) {
    return Unimplemented("location '" + std::string(location) + "': the scheme '" +
                         std::string(path.substr(0, colon)) +
                         "' is not supported (only local files: file:// or an absolute path)");
  }
  if (!path.starts_with('/')) {
    return InvalidArgument("location '" + std::string(location) + "' is not an absolute path");
  }
  return std::string(path);
}

std::string JoinLocation(std::string_view location, std::string_view name) {
  std::string out(location);
  if (!out.ends_with('/')) {
    out += '/';
  }
  out += name;
  return out;
}

Status WriteNewFile(const std::string& path, BytesView data) {
  uint64_t nonce = 0;
  if (getrandom(&nonce, sizeof(nonce), 0) != sizeof(nonce)) {
    nonce = static_cast<uint64_t>(getpid());
  }
  std::string temp = path + ".tmp-" + std::to_string(nonce);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return SystemError("cannot create", temp, errno);
  }
  const uint8_t* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      int error = errno;
      ::close(fd);
      ::unlink(temp.c_str());
      return SystemError("cannot write", temp, error);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    int error = errno;
    ::unlink(temp.c_str());
    return SystemError("cannot sync", temp, error);
  }
  int linked = ::link(temp.c_str(), path.c_str());
  int error = errno;
  ::unlink(temp.c_str());
  if (linked != 0) {
    return SystemError("cannot create", path, error);
  }
  // The new name must survive a crash too: sync the directory that holds it.
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return OkStatus();
}

Result<std::string> ReadLocalFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return SystemError("cannot open", path, errno);
  }
  std::string out;
  char buffer[64 * 1024];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      int error = errno;
      ::close(fd);
      return SystemError("cannot read", path, error);
    }
    if (n == 0) {
      break;
    }
    out.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

}  // namespace cqlbulk::iceberg
