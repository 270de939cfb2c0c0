// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "cqlbulk/cli/cli.h"
#include "cqlbulk/core/flags.h"

namespace cqlbulk::cli {

/// \brief What every subcommand does with its arguments first: adds `--help`, parses `args`
/// into `flags`, prints "usage: <usage>", `description` and the options for --help, and refuses
/// positional arguments. Returns the exit code when the command should stop there (--help, or
/// an error already reported), nullopt to go on.
std::optional<ExitCode> ParseCommandFlags(FlagSet& flags, std::span<const std::string> args,
                                          std::string_view usage, std::string_view description,
                                          Console& console);

// One function per subcommand, each in its own <name>_command.cc.
ExitCode CountCommand(std::span<const std::string> args, Console& console);
ExitCode RingCommand(std::span<const std::string> args, Console& console);
ExitCode UnloadCommand(std::span<const std::string> args, Console& console);
ExitCode LoadCommand(std::span<const std::string> args, Console& console);

}  // namespace cqlbulk::cli
