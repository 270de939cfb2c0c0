// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace cqlbulk::ops {

/// \brief Where a count, unload or load stands; passed to ProgressListener::OnProgress.
struct Progress {
  size_t ranges_done = 0;   ///< token ranges done (count, unload) or files done (load)
  size_t ranges_total = 0;
  int64_t rows = 0;         ///< rows counted, written to files, or loaded
  int64_t errors = 0;       ///< records rejected so far
  uint64_t bytes_done = 0;  ///< load: input bytes read so far (compressed, as on disk)
  uint64_t bytes_total = 0; ///< load: input bytes in all (0 when unknown, e.g. stdin)
  std::chrono::steady_clock::duration elapsed{};
};

/// \brief Receives progress of a long operation. ops never prints: the caller renders it.
///
/// Called from the operation's worker coroutines, one call at a time (never concurrently),
/// after each range (or batch) completes. Must not block for long.
class ProgressListener {
 public:
  virtual ~ProgressListener() = default;
  virtual void OnProgress(const Progress& progress) = 0;
};

}  // namespace cqlbulk::ops
