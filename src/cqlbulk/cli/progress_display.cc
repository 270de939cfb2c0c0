// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cli/progress_display.h"

#include <cstdint>

namespace cqlbulk::cli {

void ProgressDisplay::OnProgress(const ops::Progress& p) {
  auto now = std::chrono::steady_clock::now();
  if (p.ranges_done != p.ranges_total && now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  double elapsed = std::chrono::duration<double>(p.elapsed).count();
  double rate = elapsed > 0 ? static_cast<double>(p.rows) / elapsed : 0;
  // Done: by bytes when they are known (a load), else by ranges.
  double done = p.bytes_total > 0 ? static_cast<double>(p.bytes_done) /
                                        static_cast<double>(p.bytes_total)
                : p.ranges_total > 0
                    ? static_cast<double>(p.ranges_done) / static_cast<double>(p.ranges_total)
                    : 0;
  double eta = done > 0 ? elapsed * (1 - done) / done : 0;
  err_ << "\r" << unit_ << " " << p.ranges_done << "/" << p.ranges_total << " ("
       << static_cast<int>(done * 100) << "%), " << p.rows << " rows, "
       << static_cast<int64_t>(rate) << " rows/s";
  if (p.errors > 0) err_ << ", " << p.errors << " errors";
  err_ << ", ETA " << static_cast<int64_t>(eta) << " s   " << std::flush;
  shown_ = true;
}

void ProgressDisplay::Finish() {
  if (shown_) err_ << "\r\033[K" << std::flush;
  shown_ = false;
}

}  // namespace cqlbulk::cli
