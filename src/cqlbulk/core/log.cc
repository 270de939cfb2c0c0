// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/core/log.h"

namespace cqlbulk {
namespace {

class NullLogger final : public Logger {
 public:
  bool Enabled(LogLevel) const override { return false; }
  void Log(LogLevel, std::string_view) override {}
};

NullLogger null_logger;
Logger* current_logger = &null_logger;

}  // namespace

Logger& GetLogger() { return *current_logger; }
void SetLogger(Logger* logger) { current_logger = logger != nullptr ? logger : &null_logger; }

}  // namespace cqlbulk
