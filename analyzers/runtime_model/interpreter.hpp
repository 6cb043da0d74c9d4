// The abstract interpreter behind runtime_model::simulate: executes a Python module's tree over
// the model heap. Internal to analyzers/runtime_model.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime_model/heap.hpp"
#include "runtime_model/model.hpp"

namespace c2py::runtime_model {

// What one simulation run should do besides running: nothing (findings only) or stop at a line
// and capture the heap there.
struct RunGoal {
  std::optional<uint32_t> capture_line;
};

// What the run observed, for findings.
struct LineEvents {
  TSNode stmt{};
  std::vector<std::pair<Id, int64_t>> rc_changes;  // object, count after (first execution)
  std::vector<std::string> ref_labels;             // "refs 2: a, b"
  std::vector<std::string> freed_labels;           // "freed: big, 8.0 MB"
  std::vector<std::string> cap_steps;              // "4 → 8" over every execution
  std::vector<std::string> size_labels;
  std::string cycle_message;                       // reference-cycle diagnostic
  std::string note;                                // hover facts for the statement
  std::vector<std::pair<TSNode, std::string>> name_notes;  // hover facts per identifier
  bool executed = false;
  bool lost = false;  // it may have first run in code the model stepped over: no snapshot there
  std::string lost_reason;  // … why that code was stepped over
};

struct RunResult {
  bool complete = true;
  std::string gave_up;
  int64_t gave_up_line = -1;
  int64_t steps = 0;
  // Statements the model could not follow but stepped over, going on with what did not depend on
  // them (0-based line, reason), at most kMaxGiveUps of them.
  std::vector<std::pair<int64_t, std::string>> give_ups;
  int64_t module_statements = 0;        // statements at the top level of the module
  int64_t module_statements_clean = 0;  // … run through without a give-up
  std::map<uint32_t, LineEvents> lines;  // by 0-based line
  std::optional<HeapSnapshot> captured;
};

RunResult run_model(TSNode root, std::string_view source, const analysis::AnalysisOptions& options,
                    const RunGoal& goal);

}  // namespace c2py::runtime_model
