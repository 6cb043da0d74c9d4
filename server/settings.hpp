// The `c2py` settings section of design.md, validated. A wrong value keeps the default and yields
// a message for the user; it never fails the request that carried it.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "finding.hpp"

namespace c2py::server {

struct Settings {
  std::string python_version = "3.12";
  bool hints_allocations = true;
  bool hints_python_equivalents = true;
  bool hints_refcounts = true;
  bool hints_lifetimes = true;
  bool hints_sizes = true;
  bool diagnostics_enable = true;
  std::vector<std::string> knowledge_paths;
  long model_max_steps = 100000;
  std::vector<std::string> c_macros;         // c.macros: `-D` syntax, "NAME", "NAME=V", "NAME(a)=BODY"
  std::vector<std::string> c_include_paths;  // c.includePaths: folders searched for `#include`d headers

  bool hint_enabled(analysis::HintKind kind) const;
  friend bool operator==(const Settings&, const Settings&) = default;
};

// Reads the section object; unknown keys and wrong types are reported in `problems`.
Settings parse_settings(const nlohmann::json& section, std::vector<std::string>& problems);

}  // namespace c2py::server
