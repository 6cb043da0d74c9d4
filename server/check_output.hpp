// The output formats of `--check`: what one file's analysis produced (a FileReport), and the
// writers that print reports in order as they arrive (text, JSON, SARIF 2.1.0, GitHub Actions).
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "knowledge/knowledge.hpp"
#include "server/check_mode.hpp"
#include "server/json_rpc.hpp"
#include "server/position.hpp"

namespace c2py::server {

struct FileReport {
  std::string path;      // as named or found
  std::string uri;       // absolute file:// URI
  std::string language;  // "c", "python"; empty when not analysed
  std::string problem;   // why it was not analysed (cannot read, not C or Python, too large)
  std::shared_ptr<const std::string> text;
  LineIndex lines;
  // LSP JSON, positions in the format's encoding (UTF-8 for text and JSON, UTF-16 otherwise).
  json syntax_errors = json::array();  // [{position, message}]
  size_t syntax_error_count = 0;       // all of them; syntax_errors holds the first few
  json diagnostics = json::array();
  json hints = json::array();
  json actions = json::array();  // code actions that fix a diagnostic
  json hovers = json::array();   // [{position, data, contents}]
};

class ReportWriter {
 public:
  virtual ~ReportWriter() = default;
  virtual void file(const FileReport& report) = 0;
  virtual void end() {}
};

std::unique_ptr<ReportWriter> make_writer(const CheckOptions& options, std::ostream& out,
                                          const knowledge::Base& knowledge);

// The position encoding a format reports columns in.
Encoding encoding_of(OutputFormat format);

}  // namespace c2py::server
