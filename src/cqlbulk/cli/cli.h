// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>

#include "cqlbulk/core/result.h"

namespace cqlbulk::cli {

/// \brief Exit codes of the cqlbulk command (documented in the README).
enum class ExitCode : int {
  kOk = 0,
  kCompletedWithErrors = 1,  ///< finished, but some records were rejected
  kUsage = 2,                ///< invalid arguments or configuration
  kFatal = 3,                ///< the operation could not complete
  kInterrupted = 4,          ///< stopped by SIGINT/SIGTERM
  kTooManyErrors = 5,        ///< a load stopped at --max-errors rejected records
};

/// \brief Where a subcommand writes; tests pass string streams.
struct Console {
  std::ostream& out;
  std::ostream& err;
  bool is_terminal = false;  ///< stderr is a terminal: progress lines are shown
  /// Turns true on SIGINT/SIGTERM (Main installs the handler); commands stop starting new
  /// work and exit with kInterrupted. May be null.
  const std::atomic<bool>* interrupted = nullptr;
};

/// \brief A subcommand: `cqlbulk <name> [flags]`. One file per subcommand implements `run`.
struct Command {
  std::string_view name;
  std::string_view summary;
  ExitCode (*run)(std::span<const std::string> args, Console& console);
};

/// The subcommand table, in the order `help` lists it.
std::span<const Command> Commands();

/// Runs `cqlbulk args...` (args excludes the program name).
ExitCode Run(std::span<const std::string> args, Console& console);

/// The process entry point used by apps/cqlbulk_main.cc.
int Main(int argc, char** argv);

/// Prints "error: <message>" and returns the exit code for an error (the one mapping).
ExitCode ReportError(const Error& error, Console& console);

}  // namespace cqlbulk::cli
