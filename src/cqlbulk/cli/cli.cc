// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cli/cli.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <vector>

#include "cqlbulk/cli/commands.h"

namespace cqlbulk::cli {
namespace {

ExitCode HelpCommand(std::span<const std::string> args, Console& console);

ExitCode VersionCommand(std::span<const std::string>, Console& console) {
  console.out << "cqlbulk " << CQLBULK_VERSION << "\n";
  return ExitCode::kOk;
}

constexpr Command kCommands[] = {
    {"count", "count the rows of a table over the token ring", CountCommand},
    {"unload", "export a table (or a query) to CSV or JSON files", UnloadCommand},
    {"load", "import CSV or JSON files into a table", LoadCommand},
    {"ring", "show the token ranges of a ring and their replicas", RingCommand},
    {"version", "print the version", VersionCommand},
    {"help", "list the commands, or explain one: cqlbulk help <command>", HelpCommand},
};

ExitCode HelpCommand(std::span<const std::string> args, Console& console) {
  if (!args.empty()) {
    return Run(std::vector<std::string>{args[0], "--help"}, console);
  }
  console.out << "cqlbulk: count, unload and load Apache Cassandra tables in bulk.\n\n"
              << "usage: cqlbulk <command> [options]\n\ncommands:\n";
  for (const Command& c : kCommands) {
    console.out << "  " << c.name << std::string(10 - c.name.size(), ' ') << c.summary << "\n";
  }
  console.out << "\nRun 'cqlbulk <command> --help' for the options of a command.\n";
  return ExitCode::kOk;
}

}  // namespace

std::span<const Command> Commands() { return kCommands; }

ExitCode ReportError(const Error& error, Console& console) {
  console.err << "error: " << error.message() << "\n";
  switch (error.code()) {
    case ErrorCode::kInvalidArgument:
      return ExitCode::kUsage;
    case ErrorCode::kCancelled:
      return ExitCode::kInterrupted;
    default:
      return ExitCode::kFatal;
  }
}

std::optional<ExitCode> ParseCommandFlags(FlagSet& flags, std::span<const std::string> args,
                                          std::string_view usage, std::string_view description,
                                          Console& console) {
  bool help = false;
  flags.AddSwitch("help", "show this help", &help);
  auto positional = flags.Parse(args);
  if (!positional) return ReportError(positional.error(), console);
  if (help) {
    console.out << "usage: " << usage << "\n\n" << description << "\n\noptions:\n"
                << flags.Usage();
    return ExitCode::kOk;
  }
  if (!positional->empty()) {
    return ReportError(InvalidArgument("unexpected argument '" + positional->front() + "'"),
                       console);
  }
  return std::nullopt;
}

ExitCode Run(std::span<const std::string> args, Console& console) {
  if (args.empty()) {
    HelpCommand({}, console);
    return ExitCode::kUsage;
  }
  std::string_view name = args[0];
  if (name == "--version" || name == "-V") name = "version";
  if (name == "--help" || name == "-h") name = "help";
  for (const Command& c : kCommands) {
    if (c.name == name) {
      return c.run(args.subspan(1), console);
    }
  }
  return ReportError(InvalidArgument("unknown command '" + std::string(args[0]) +
                                     "' (run 'cqlbulk help' for the list)"),
                     console);
}

namespace {

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

extern "C" void OnInterrupt(int) { g_interrupted.store(true); }

/// The first SIGINT/SIGTERM asks the running command to stop; SA_RESETHAND restores the
/// default action, so a second one ends the process at once.
void InstallInterruptHandlers() {
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  action.sa_flags = SA_RESETHAND;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

}  // namespace

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  InstallInterruptHandlers();
  Console console{std::cout, std::cerr, isatty(STDERR_FILENO) == 1, &g_interrupted};
  return static_cast<int>(Run(args, console));
}

}  // namespace cqlbulk::cli
