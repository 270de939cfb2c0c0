// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"

namespace cqlbulk::formats {

/// \brief A synchronous sink of bytes: a file, stdout, memory, or a compressor in front of one.
///
/// After the first error every later call returns that error again. Close() finishes the
/// stream (a compressor writes its trailer) and closes what it owns; a stream destroyed
/// without Close() releases its resources but may leave its output incomplete.
/// Not thread-safe.
class OutputStream {
 public:
  OutputStream() = default;
  OutputStream(const OutputStream&) = delete;
  OutputStream& operator=(const OutputStream&) = delete;
  virtual ~OutputStream() = default;

  /// \brief Writes all of `data`. kIo names the path; kInternal after Close().
  Status Write(BytesView data);
  /// \brief Pushes buffered bytes down to the operating system (and makes a compressed
  /// stream decodable up to here, at some cost in ratio).
  Status Flush();
  /// \brief Finishes and closes the stream; a second call does nothing.
  Status Close();

  /// The bytes given to Write() so far (before compression).
  uint64_t bytes_written() const noexcept { return bytes_written_; }
  bool is_closed() const noexcept { return closed_; }

 protected:
  virtual Status DoWrite(BytesView data) = 0;
  virtual Status DoFlush() = 0;
  virtual Status DoClose() = 0;

 private:
  Status Latch(Status status);

  uint64_t bytes_written_ = 0;
  bool closed_ = false;
  std::optional<Error> error_;
};

/// \brief A synchronous source of bytes: a file, stdin, memory, or a decompressor.
///
/// After the first error every later call returns that error again. Not thread-safe.
class InputStream {
 public:
  InputStream() = default;
  InputStream(const InputStream&) = delete;
  InputStream& operator=(const InputStream&) = delete;
  virtual ~InputStream() = default;

  /// \brief Reads up to out.size() bytes; returns how many, 0 only at the end (or when `out`
  /// is empty). kIo for a read error, kCorrupt for bad compressed data; both name the stream.
  Result<size_t> Read(std::span<uint8_t> out);

  /// The bytes returned by Read() so far (after decompression).
  uint64_t bytes_read() const noexcept { return bytes_read_; }

 protected:
  /// Called with a non-empty `out`.
  virtual Result<size_t> DoRead(std::span<uint8_t> out) = 0;

 private:
  uint64_t bytes_read_ = 0;
  std::optional<Error> error_;
};

/// \brief Reads `in` to its end into memory (for small files: metadata, tests).
Result<Bytes> ReadAll(InputStream& in);

/// \brief Copies `in` to its end into `out` through one buffer of `buffer_bytes`; returns the
/// number of bytes copied. Does not close `out`.
Result<uint64_t> CopyStream(InputStream& in, OutputStream& out, size_t buffer_bytes = 64 * 1024);

/// \brief A stream that writes through to `target` and whose Close() only flushes it, for
/// putting a stream that owns its sink (a compressor) in front of one that must outlive it:
/// one compressed frame after another in one file. `target` must outlive the result.
std::unique_ptr<OutputStream> Borrow(OutputStream& target);

}  // namespace cqlbulk::formats
