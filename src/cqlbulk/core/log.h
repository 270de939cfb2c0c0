// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string_view>

namespace cqlbulk {

enum class LogLevel : uint8_t { kTrace, kDebug, kInfo, kWarn, kError, kOff };

/// \brief Where library code sends diagnostics; nothing below cli/ prints directly.
///
/// Implementations must be thread-safe. The default logger discards everything.
class Logger {
 public:
  virtual ~Logger() = default;
  virtual bool Enabled(LogLevel level) const = 0;
  virtual void Log(LogLevel level, std::string_view message) = 0;
};

/// The process-wide logger; never null. Set it once at start-up, before any other thread runs.
Logger& GetLogger();
void SetLogger(Logger* logger);

}  // namespace cqlbulk
