// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ops/run_directory.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::ops {
namespace {

namespace fs = std::filesystem;

std::string UtcNow(const char* format) {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[64];
  std::strftime(text, sizeof(text), format, &tm);
  return text;
}

Status WriteWhole(const std::string& path, std::string_view text) {
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) return IoError("cannot write " + temporary + ": " + std::strerror(errno));
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) return IoError("cannot rename " + temporary + " to " + path + ": " + ec.message());
  return {};
}

/// The error file keeps one field per line: a newline in a value would start a false field.
std::string OneLine(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\\') {
      out += "\\\\";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

RunDirectory::RunDirectory(std::string operation, std::string path)
    : operation_(std::move(operation)), path_(std::move(path)) {}

RunDirectory::~RunDirectory() {
  if (log_ != nullptr) std::fclose(log_);
  if (errors_ != nullptr) std::fclose(errors_);
}

Result<std::unique_ptr<RunDirectory>> RunDirectory::Create(std::string_view operation,
                                                           std::string dir) {
  std::error_code ec;
  if (dir.empty()) {
    std::string base = "logs/" + std::string(operation) + "_" + UtcNow("%Y%m%d-%H%M%S");
    dir = base;
    for (int n = 2; fs::exists(dir, ec); ++n) dir = base + "-" + std::to_string(n);
  } else if (fs::exists(fs::path(dir) / "checkpoint.json", ec)) {
    return InvalidArgument("log directory " + dir +
                           " holds an earlier run (checkpoint.json): continue it with --resume " +
                           dir + ", or choose another --log-dir");
  }
  fs::create_directories(dir, ec);
  if (ec) return IoError("cannot create the log directory " + dir + ": " + ec.message());
  std::unique_ptr<RunDirectory> run(new RunDirectory(std::string(operation), std::move(dir)));
  CQLBULK_RETURN_IF_ERROR(run->OpenFiles());
  return run;
}

Result<std::unique_ptr<RunDirectory>> RunDirectory::Open(std::string_view operation,
                                                         std::string dir) {
  std::error_code ec;
  if (!fs::exists(fs::path(dir) / "checkpoint.json", ec)) {
    return NotFound("cannot resume from " + dir + ": it holds no checkpoint.json (is it the "
                    "log directory of an earlier " + std::string(operation) + "?)");
  }
  std::unique_ptr<RunDirectory> run(new RunDirectory(std::string(operation), std::move(dir)));
  CQLBULK_RETURN_IF_ERROR(run->OpenFiles());
  return run;
}

Status RunDirectory::OpenFiles() {
  std::string log_path = path_ + "/operation.log";
  log_ = std::fopen(log_path.c_str(), "a");
  if (log_ == nullptr) return IoError("cannot open " + log_path + ": " + std::strerror(errno));
  errors_ = std::fopen(errors_path().c_str(), "a");
  if (errors_ == nullptr) {
    return IoError("cannot open " + errors_path() + ": " + std::strerror(errno));
  }
  return {};
}

std::string RunDirectory::errors_path() const { return path_ + "/" + operation_ + "-errors.log"; }
std::string RunDirectory::checkpoint_path() const { return path_ + "/checkpoint.json"; }
std::string RunDirectory::summary_path() const { return path_ + "/summary.json"; }

void RunDirectory::Log(std::string_view line) {
  std::string text = UtcNow("%Y-%m-%dT%H:%M:%SZ ") + std::string(line) + "\n";
  std::fwrite(text.data(), 1, text.size(), log_);
  std::fflush(log_);
}

Status RunDirectory::WriteError(const formats::RecordError& error) {
  std::ostringstream block;
  block << "source: " << error.source << "\n";
  if (error.line > 0) block << "line: " << error.line << "\n";
  if (error.record > 0) block << "record: " << error.record << "\n";
  if (!error.field.empty()) block << "field: " << error.field << "\n";
  block << "reason: " << OneLine(error.reason) << "\n";
  block << "text: " << OneLine(error.text) << "\n\n";
  std::string text = block.str();
  if (std::fwrite(text.data(), 1, text.size(), errors_) != text.size() ||
      std::fflush(errors_) != 0) {
    return IoError("cannot write to " + errors_path() + ": " + std::strerror(errno));
  }
  ++errors_written_;
  return {};
}

Status RunDirectory::WriteCheckpoint(std::string_view json) {
  return WriteWhole(checkpoint_path(), json);
}

Result<std::string> RunDirectory::ReadCheckpoint() const {
  std::ifstream in(checkpoint_path(), std::ios::binary);
  if (!in) return NotFound("no checkpoint in " + path_);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Status RunDirectory::WriteSummary(std::string_view json) {
  return WriteWhole(summary_path(), json);
}

}  // namespace cqlbulk::ops
