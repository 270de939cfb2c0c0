// SPDX-License-Identifier: Apache-2.0
#include "bench_util.h"

#include <cmath>
#include <cstdlib>
#include <ctime>
#include <fstream>

namespace cqlbulk::bench {

Stopwatch::Stopwatch()
    : wall_start_(std::chrono::steady_clock::now()), cpu_start_(ThreadCpuSeconds()) {}

Elapsed Stopwatch::elapsed() const {
  std::chrono::duration<double> wall = std::chrono::steady_clock::now() - wall_start_;
  return {.wall = wall.count(), .cpu = ThreadCpuSeconds() - cpu_start_};
}

double ThreadCpuSeconds() {
  timespec ts{};
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) {
    return 0;
  }
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

int64_t ResidentBytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::strtoll(line.c_str() + 6, nullptr, 10) * 1024;  // "VmRSS:  1234 kB"
    }
  }
  return 0;
}

double PerSecond(int64_t count, double seconds) {
  return seconds > 0 ? static_cast<double>(count) / seconds : 0;
}

std::string Grouped(double value) {
  std::string digits = std::to_string(std::llround(value));
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && digits[i - 1] != '-' && (digits.size() - i) % 3 == 0) {
      out += ',';
    }
    out += digits[i];
  }
  return out;
}

}  // namespace cqlbulk::bench
