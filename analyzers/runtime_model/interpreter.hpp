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
  uint32_t top = 0;   // the top-level statement (index among the module's) it first ran under
  std::string lost_reason;  // … why that code was stepped over
};

// The run's LineEvents by 0-based line. A copy (a checkpoint) shares the events; writing one
// (`operator[]`) first copies an event another table still holds, so a checkpoint costs the
// lines the run changes after it. Copies are taken only between top-level statements, when no
// `LineEvents&` is held.
class LineTable {
  using Map = std::map<uint32_t, std::shared_ptr<LineEvents>>;

 public:
  class const_iterator {
   public:
    explicit const_iterator(Map::const_iterator it) : it_(it) {}
    std::pair<uint32_t, const LineEvents&> operator*() const { return {it_->first, *it_->second}; }
    const_iterator& operator++() {
      ++it_;
      return *this;
    }
    bool operator==(const const_iterator&) const = default;

   private:
    Map::const_iterator it_;
  };
  LineEvents& operator[](uint32_t line) {
    auto& events = map_[line];
    if (!events) events = std::make_shared<LineEvents>();
    else if (events.use_count() > 1) events = std::make_shared<LineEvents>(*events);
    return *events;
  }
  const LineEvents* find(uint32_t line) const {
    auto it = map_.find(line);
    return it == map_.end() ? nullptr : it->second.get();
  }
  size_t size() const { return map_.size(); }
  bool empty() const { return map_.empty(); }
  uint32_t last_line() const { return map_.rbegin()->first; }  // not empty
  const_iterator begin() const { return const_iterator(map_.begin()); }
  const_iterator end() const { return const_iterator(map_.end()); }

 private:
  Map map_;
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
  LineTable lines;
  std::optional<HeapSnapshot> captured;
  std::shared_ptr<const ScopeMemo> scopes;  // the scopes of the module's defs the run saw
};

namespace engine {
class Interp;
struct ScopeInfo;
}

// The scopes of a run's defs by their text, so that the next version's run (or a snapshot run)
// need not walk the body of a def whose text it already saw.
struct ScopeMemo {
  std::unordered_map<std::string, std::shared_ptr<const engine::ScopeInfo>> by_text;
};

// The interpreter's whole state between two top-level statements of the module, from which a
// later run resumes (model.cpp, "Checkpoints").
struct ModelCheckpoint {
  size_t index = 0;          // the top-level statement the run resumes at
  uint32_t prefix_end = 0;   // where the statements before it end (byte)
  size_t records = 0;        // heap records and lines held: what it costs
  int64_t steps = 0;         // the run's steps before it
  uint32_t at = 0;           // where its statement starts (byte)
  std::shared_ptr<const engine::Interp> state;
  // The trees the state's nodes point into (a function defined three versions ago keeps the
  // node of that version's tree, whose text before prefix_end is the same).
  std::vector<std::shared_ptr<const syntax::Tree>> trees;
};

// Where a run puts the checkpoints it takes, and how many it may take.
struct CheckpointSink {
  std::vector<std::shared_ptr<const ModelCheckpoint>> taken;  // by index
  std::vector<std::shared_ptr<const syntax::Tree>> trees;     // of the state the run started from, and its own
  uint32_t spacing = 0;   // bytes of source between two checkpoints
  uint32_t next_at = 0;   // the next checkpoint at the first statement starting here or later
  size_t records = 0;     // held by `taken`
  // Copying costs time (a fraction of a microsecond per heap record and line, as much again to
  // free): a checkpoint is taken only once the run did at least `work_per_record` units of work
  // per record it would copy since the last one, a unit being a step or 16 bytes of top-level
  // statements run (a def costs one step but a walk of its body). 0: at every statement (tests).
  int64_t work_per_record = 2;
  int64_t last_steps = 0;  // the run's steps at the last checkpoint (or where it resumed)
  uint32_t last_at = 0;    // … and the byte its statement starts at
};

RunResult run_model(TSNode root, std::string_view source, const analysis::AnalysisOptions& options,
                    const RunGoal& goal, CheckpointSink* sink = nullptr, const ScopeMemo* memo = nullptr);
// The latest of `checkpoints` (taken over `old_root`'s module or carried to it) that is valid
// for the module `root`, or null.
const ModelCheckpoint* usable_checkpoint(const std::vector<std::shared_ptr<const ModelCheckpoint>>& checkpoints,
                                         TSNode old_root, std::string_view old_source, TSNode root,
                                         std::string_view source);
// The same run from a checkpoint of `root`'s module (valid for it: see model.cpp).
RunResult resume_model(const ModelCheckpoint& from, TSNode root, std::string_view source, const RunGoal& goal,
                       CheckpointSink* sink = nullptr, const ScopeMemo* memo = nullptr);

}  // namespace c2py::runtime_model
