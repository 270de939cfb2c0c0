// SPDX-License-Identifier: Apache-2.0
// Temporary directories, text files and a shell for the tests that run the referee scripts
// (PyIceberg, pyarrow: scripts/install-referees.sh installs them; CQLBULK_REFEREE_PYTHON).
#pragma once

#include <string>
#include <string_view>

namespace cqlbulk::iceberg::testing {

/// A fresh directory under /tmp, removed with its files when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string Path(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// Writes `text` to `path`; fails the current test if it cannot.
void WriteText(const std::string& path, const std::string& text);
/// Reads a whole file; fails the current test (and returns "") if it cannot.
std::string ReadText(const std::string& path);
/// Lower-case hex of bytes, and back (for the scripts' JSON).
std::string Hex(std::string_view bytes);
std::string Unhex(std::string_view hex);

/// Runs `script` (a path from the source tree) with the referee python and `args`; returns
/// its exit code.
int RunReferee(const std::string& script, const std::string& args);

}  // namespace cqlbulk::iceberg::testing
