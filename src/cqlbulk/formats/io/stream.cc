// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/io/stream.h"

#include <utility>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::formats {

Status OutputStream::Latch(Status status) {
  if (!status.has_value()) {
    error_ = status.error();
  }
  return status;
}

Status OutputStream::Write(BytesView data) {
  if (error_) {
    return *error_;
  }
  if (closed_) {
    return Internal("write to a closed stream");
  }
  if (data.empty()) {
    return OkStatus();
  }
  CQLBULK_RETURN_IF_ERROR(Latch(DoWrite(data)));
  bytes_written_ += data.size();
  return OkStatus();
}

Status OutputStream::Flush() {
  if (error_) {
    return *error_;
  }
  if (closed_) {
    return Internal("flush of a closed stream");
  }
  return Latch(DoFlush());
}

Status OutputStream::Close() {
  if (error_) {
    return *error_;
  }
  if (closed_) {
    return OkStatus();
  }
  closed_ = true;
  return Latch(DoClose());
}

Result<size_t> InputStream::Read(std::span<uint8_t> out) {
  if (error_) {
    return *error_;
  }
  if (out.empty()) {
    return size_t{0};
  }
  auto n = DoRead(out);
  if (!n.has_value()) {
    error_ = n.error();
    return n;
  }
  bytes_read_ += *n;
  return n;
}

Result<Bytes> ReadAll(InputStream& in) {
  Bytes all;
  size_t size = 0;
  while (true) {
    all.resize(size + 64 * 1024);
    CQLBULK_ASSIGN_OR_RETURN(size_t n, in.Read(std::span<uint8_t>(all).subspan(size)));
    if (n == 0) {
      break;
    }
    size += n;
  }
  all.resize(size);
  return all;
}

Result<uint64_t> CopyStream(InputStream& in, OutputStream& out, size_t buffer_bytes) {
  Bytes buffer(buffer_bytes);
  uint64_t total = 0;
  while (true) {
    CQLBULK_ASSIGN_OR_RETURN(size_t n, in.Read(buffer));
    if (n == 0) {
      return total;
    }
    CQLBULK_RETURN_IF_ERROR(out.Write(BytesView(buffer).first(n)));
    total += n;
  }
}

namespace {

class BorrowedStream final : public OutputStream {
 public:
  explicit BorrowedStream(OutputStream& target) : target_(target) {}

 protected:
  Status DoWrite(BytesView data) override { return target_.Write(data); }
  Status DoFlush() override { return target_.Flush(); }
  Status DoClose() override { return target_.Flush(); }

 private:
  OutputStream& target_;
};

}  // namespace

std::unique_ptr<OutputStream> Borrow(OutputStream& target) {
  return std::make_unique<BorrowedStream>(target);
}

}  // namespace cqlbulk::formats
