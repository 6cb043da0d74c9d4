// Log levels for --log-level; the server logs to stderr, and mirrors warnings and errors a user
// should see to window/logMessage.
#pragma once

#include <iostream>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace c2py::server {

enum class LogLevel { Error = 1, Warning = 2, Info = 3, Debug = 4 };

inline std::optional<LogLevel> parse_log_level(std::string_view name) {
  if (name == "error") return LogLevel::Error;
  if (name == "warn" || name == "warning") return LogLevel::Warning;
  if (name == "info") return LogLevel::Info;
  if (name == "debug" || name == "verbose") return LogLevel::Debug;
  return std::nullopt;
}

class Logger {
 public:
  explicit Logger(LogLevel level = LogLevel::Info) : level_(level) {}
  bool enabled(LogLevel level) const { return level <= level_; }
  void log(LogLevel level, std::string_view text) {
    if (!enabled(level)) return;
    static constexpr const char* names[] = {"", "E", "W", "I", "D"};
    std::lock_guard lock(mutex_);
    std::cerr << names[static_cast<int>(level)] << " c2py: " << text << '\n';
  }

 private:
  LogLevel level_;
  std::mutex mutex_;
};

}  // namespace c2py::server
