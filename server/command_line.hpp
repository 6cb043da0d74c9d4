// The command line of c2py-lsp: `--opt value` and `--opt=value`, parsed into what main() runs.
// Kept apart from main.cpp so that it can be tested without starting a process.
#pragma once

#include <string>
#include <vector>

#include "server/check_mode.hpp"
#include "server/log.hpp"

namespace c2py::server {

struct CommandLine {
  enum class Mode { Serve, Check, Help, Version, Usage };
  Mode mode = Mode::Serve;
  LogLevel log_level = LogLevel::Info;
  CheckOptions check;
  std::string error;  // with Mode::Usage: what is wrong, for stderr (exit status 2)
};

CommandLine parse_command_line(const std::vector<std::string>& args);

extern const char* const kHelpText;

}  // namespace c2py::server
