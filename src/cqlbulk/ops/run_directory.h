// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "cqlbulk/core/result.h"
#include "cqlbulk/formats/text/record.h"

namespace cqlbulk::ops {

/// \brief The folder of one unload or load run: its log, its error file, its checkpoint and
/// its summary. A resumed run reopens the folder of the run it continues.
///
/// Files: `operation.log` (what the run did, timestamped lines), `<operation>-errors.log`
/// (one block per rejected record: source, line, record, field, reason, text),
/// `checkpoint.json` (replaced atomically: written to a temporary file, then renamed) and
/// `summary.json`. Not thread-safe (ops calls it from one strand).
class RunDirectory {
 public:
  /// \brief Creates `dir` (and its parents), or when `dir` is empty a new folder
  /// `./logs/<operation>_<YYYYmmdd-HHMMSS>` (with "-2", "-3", ... when taken). kIo naming
  /// the path when it cannot be made.
  static Result<std::unique_ptr<RunDirectory>> Create(std::string_view operation,
                                                      std::string dir);
  /// \brief Opens the folder of an earlier run of `operation` to resume it: kNotFound when
  /// it holds no checkpoint.json.
  static Result<std::unique_ptr<RunDirectory>> Open(std::string_view operation, std::string dir);

  ~RunDirectory();
  RunDirectory(const RunDirectory&) = delete;
  RunDirectory& operator=(const RunDirectory&) = delete;

  const std::string& path() const noexcept { return path_; }
  std::string errors_path() const;
  std::string checkpoint_path() const;
  std::string summary_path() const;

  /// Appends "<UTC time> <line>" to operation.log (best effort: a log that cannot be
  /// written does not stop the run).
  void Log(std::string_view line);
  /// Appends one rejected record to the error file and flushes it. kIo if it cannot.
  Status WriteError(const formats::RecordError& error);
  /// Rejected records written to the error file by this process.
  int64_t errors_written() const noexcept { return errors_written_; }

  /// Replaces checkpoint.json with `json`, atomically. kIo if it cannot.
  Status WriteCheckpoint(std::string_view json);
  /// The checkpoint's text; kNotFound when there is none.
  Result<std::string> ReadCheckpoint() const;
  /// Writes summary.json. kIo if it cannot.
  Status WriteSummary(std::string_view json);

 private:
  RunDirectory(std::string operation, std::string path);
  Status OpenFiles();

  std::string operation_;
  std::string path_;
  std::FILE* log_ = nullptr;
  std::FILE* errors_ = nullptr;
  int64_t errors_written_ = 0;
};

}  // namespace cqlbulk::ops
