// `c2py-lsp --check PATH...`: runs every feature over files, in the manner of `clangd --check`,
// and prints what an editor would show, or, for CI, the diagnostics as SARIF or as GitHub Actions
// annotations. Folders are searched for C and Python files; files are analysed in parallel and
// reported in a stable order (the order of the arguments, then by path), as each is ready.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "server/log.hpp"
#include "server/project_files.hpp"

namespace c2py::server {

enum class OutputFormat { Text, Json, Sarif, Github };

struct CheckOptions {
  std::vector<std::string> paths;
  OutputFormat format = OutputFormat::Text;
  std::string python_version = "3.12";
  // Diagnostics (with their fixes) only: no inlay hints or hovers. SARIF and GitHub output never
  // carry hints or hovers; for text and JSON it saves their work.
  bool diagnostics_only = false;
  bool full_hovers = false;  // text: each hover's whole Markdown, not only its first line
  // Findings at or above this LSP severity (1 error ... 4 hint) make the exit status
  // kExitFindings; 0 never. Unset: none for text and JSON, warning for SARIF and GitHub.
  std::optional<int> fail_on;
  unsigned jobs = 0;  // files analysed at once; 0: the number of cores
  ProjectOptions project;  // -I DIR and -D NAME[=V], added to each C file's compile flags
};

// Exit statuses of --check (2 is bad usage, from the command line).
constexpr int kExitOk = 0;
constexpr int kExitUnreadable = 1;  // a file could not be read, is not C or Python, or has syntax errors
constexpr int kExitFindings = 3;    // findings at or above --fail-on (and nothing worse)

int fail_on_default(OutputFormat format);

int run_check(const CheckOptions& options, std::ostream& out, std::ostream& err, Logger& logger);

}  // namespace c2py::server
