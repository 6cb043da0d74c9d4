// `c2py-lsp --check FILE...`: runs every feature over files, in the manner of `clangd --check`,
// and prints what an editor would show. The same feature code as the server, with UTF-8
// positions printed 1-based.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "server/log.hpp"

namespace c2py::server {

struct CheckOptions {
  std::vector<std::string> files;
  bool json = false;
  std::string python_version = "3.12";
};

// Exit status: 0, or 1 when a file cannot be read or has syntax errors.
int run_check(const CheckOptions& options, std::ostream& out, Logger& logger);

}  // namespace c2py::server
