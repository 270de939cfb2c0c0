// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <ostream>
#include <string>

#include "cqlbulk/ops/progress.h"

namespace cqlbulk::cli {

/// \brief A progress line on stderr, rewritten in place at most five times a second (only when
/// stderr is a terminal): "ranges 12/385 (3%), 120000 rows, 95000 rows/s, 2 errors, ETA 40 s".
class ProgressDisplay : public ops::ProgressListener {
 public:
  /// `unit` names what ranges_done counts ("ranges", "files").
  ProgressDisplay(std::ostream& err, std::string unit) : err_(err), unit_(std::move(unit)) {}

  void OnProgress(const ops::Progress& p) override;
  /// Clears the line (before the summary is printed).
  void Finish();

 private:
  std::ostream& err_;
  std::string unit_;
  std::chrono::steady_clock::time_point last_{};
  bool shown_ = false;
};

}  // namespace cqlbulk::cli
