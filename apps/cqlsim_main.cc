// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/server/sim_main.h"

int main(int argc, char** argv) { return cqlbulk::sim::Main(argc, argv); }
