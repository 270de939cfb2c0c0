// SPDX-License-Identifier: Apache-2.0
// Small measuring helpers shared by the benchmarks that print their own figures.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace cqlbulk::bench {

/// \brief Wall-clock and CPU seconds of one measured stretch.
struct Elapsed {
  double wall = 0;
  double cpu = 0;

  void Add(const Elapsed& other) {
    wall += other.wall;
    cpu += other.cpu;
  }
};

/// \brief Measures wall-clock time and the calling thread's CPU time from construction.
///
/// On a machine shared with other work the CPU figure is the steadier one: time the thread
/// spent waiting for a core does not count. Read it from the thread that made the watch.
class Stopwatch {
 public:
  Stopwatch();
  Elapsed elapsed() const;

 private:
  std::chrono::steady_clock::time_point wall_start_;
  double cpu_start_;
};

/// CPU seconds the calling thread has used.
double ThreadCpuSeconds();

/// VmRSS of this process in bytes, from /proc/self/status (0 when it cannot be read).
int64_t ResidentBytes();

/// `count / seconds`, 0 when no time passed.
double PerSecond(int64_t count, double seconds);

/// Rounded, with thousands separators: 1234567.8 -> "1,234,568".
std::string Grouped(double value);

}  // namespace cqlbulk::bench
