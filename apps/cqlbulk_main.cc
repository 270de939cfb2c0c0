// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cli/cli.h"

int main(int argc, char** argv) { return cqlbulk::cli::Main(argc, argv); }
