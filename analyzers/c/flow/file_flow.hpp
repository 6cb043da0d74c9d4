// The C memory dataflow over a whole file: wrapper summaries computed to a fixed point, each
// function analyzed once per (its text, the summaries of the file functions it calls), and the
// findings of every code shared by the checks that report them (memory_leak.cpp, ...).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "check.hpp"
#include "finding.hpp"

namespace c2py::analysis::c::flow {

// Every dataflow finding of the file, sorted by position, line numbers rendered. `memory` is the
// document's: it keeps each function's analysis for the next version of the file.
// `project`: the included headers and build macros (check.hpp), or null.
std::shared_ptr<const std::vector<Finding>> file_findings(TSNode root, std::string_view source, CheckMemory& memory,
                                                          const ProjectContext* project = nullptr);

// The same, computed from scratch with no memory of earlier versions (benchmarks, tests).
std::vector<Finding> file_findings_uncached(TSNode root, std::string_view source,
                                           const ProjectContext* project = nullptr);

// What the dataflow did with each function of the file (for the corpus runs in bench/).
struct FunctionStat {
  std::string name;
  uint32_t row = 0;          // 0-based first line
  std::string gave_up;       // empty when analyzed; else why it was skipped
  size_t work = 0;           // budget units spent
  double cpu_ms = 0;         // CPU time of its (last) analysis
};
std::vector<FunctionStat> function_stats(TSNode root, std::string_view source, const ProjectContext* project = nullptr);

// Whether the file's function (or one it declares) `name` never returns: declared so, or every
// path of its body ends in a call that does not return. Shares the file's cached analysis.
bool never_returns(const CheckInput& input, const std::string& name);

// Appends the file's findings with diagnostic code `code` (the body of each flow check).
void emit(const CheckInput& input, std::string_view code, std::vector<Finding>& out);

}  // namespace c2py::analysis::c::flow
