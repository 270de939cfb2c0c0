// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <span>
#include <string>

#include "cqlbulk/cli/cli.h"

namespace cqlbulk::cli {

// One function per subcommand, each in its own <name>_command.cc.
ExitCode CountCommand(std::span<const std::string> args, Console& console);
ExitCode RingCommand(std::span<const std::string> args, Console& console);

}  // namespace cqlbulk::cli
