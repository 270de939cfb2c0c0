// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace cqlbulk::sim {

/// \brief `cqlsim [options]` serves a cluster until SIGINT/SIGTERM; `cqlsim ctl ...` sends an
/// admin command to a running one. Returns the process exit code.
int Main(int argc, char** argv);

}  // namespace cqlbulk::sim
