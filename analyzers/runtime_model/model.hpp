// The runtime model: an abstract interpreter over the tree-sitter tree of a Python file that
// simulates CPython's object model (frames, heap objects, reference counts, sizes, frees, cycles)
// without running the user's code. See ARCHITECTURE.md, "Runtime model (issue 5)".
//
// simulate() runs the module once and keeps what the editor shows at every line (findings: inlay
// hints, hover notes, the reference-cycle diagnostic), and checkpoints of its state between
// top-level statements (checkpoint.cpp). A heap snapshot at one line is made on demand by
// running the same deterministic simulation again from the last checkpoint before the line's
// first execution: object ids are allocation numbers, so they are the same in every snapshot of
// one document version, and no per-line copy of the heap is stored. Given the trace of the
// document's previous version, simulate() resumes from the last checkpoint still valid for the
// new text (the statements before it unchanged) and reuses the trace up to it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "check.hpp"
#include "finding.hpp"
#include "syntax/syntax.hpp"

namespace c2py::runtime_model {

struct ModelCheckpoint;
struct ScopeMemo;

// Which checkpoints a run keeps (checkpoint.cpp): none; about 16 over the file where the work
// since the last one pays for the copy (documents of the server); at every top-level statement
// (tests), within the same bound on memory.
enum class Checkpoints { None, Bounded, Every };

struct RefView {
  uint32_t to = 0;
  std::string via;  // "[0]", ".next", "['key']", "<cell>", "__defaults__[0]", "<iterable>"
};

struct ObjectView {
  uint32_t id = 0;
  std::string type;
  std::optional<int64_t> refcount;  // references the program holds; nullopt: immortal, a shared
                                    // constant, or unknown
  std::optional<int64_t> interpreter_refs;  // references the interpreter holds (a call's
                                            // arguments, a for loop's iterator); same nullopt rule
  bool immortal = false;
  std::optional<int64_t> size, length, capacity;
  std::optional<std::string> value;  // repr() of None, a bool, an int, a float or a short
                                     // printable str, exactly as CPython prints it
  std::vector<std::string> names;
  std::vector<RefView> refs;
  std::vector<uint32_t> referrers;
  bool unreachable = false;
};

struct FreedView {
  uint32_t id = 0;
  std::string type;
  std::optional<int64_t> size;
};

struct HeapSnapshot {
  uint32_t line = 0;       // 0-based
  bool executed = false;   // the model reached the line
  bool complete = false;   // every number in it is certain
  std::string reason;      // why it is not complete, for logs and tests
  std::vector<ObjectView> objects;
  std::vector<FreedView> freed;
};

// The result of simulating one version of a file. Immutable once built; shared by requests.
class Trace {
 public:
  Trace(syntax::Tree tree, std::string source, analysis::AnalysisOptions options);

  std::vector<analysis::Finding> findings;  // hints, notes and diagnostics, in no order
  bool complete = true;                     // the whole module ran without the model giving up
  std::string gave_up;                      // why it gave up ("" when it did not)
  int64_t gave_up_line = -1;                // 0-based line where it gave up
  int64_t steps = 0;
  std::vector<std::pair<int64_t, std::string>> give_ups;  // statements stepped over: line, why
  int64_t module_statements = 0, module_statements_clean = 0;
  // Top-level statements of the module whose run was reused from the previous version's trace
  // (0: the run started at the first), and the checkpoints this trace holds.
  size_t resumed_at = 0;
  size_t checkpoint_count() const { return checkpoints_.size(); }

  // The state right after the statement on `line` first executes (re-simulated on demand from
  // the last checkpoint before it).
  HeapSnapshot snapshot(uint32_t line) const;

  const std::string& source() const { return source_; }
  const syntax::Tree& tree() const { return *tree_; }
  const analysis::AnalysisOptions& options() const { return options_; }

 private:
  friend std::shared_ptr<const Trace> simulate(const syntax::Tree&, std::string_view, const analysis::AnalysisOptions&,
                                               const Trace*, Checkpoints);
  // Every line the run executed (or lost): when it first ran and under which top-level statement.
  struct LineRun {
    uint32_t line = 0;
    uint32_t top = 0;
    bool lost = false;
    std::string lost_reason;  // why the statement that may have first run it was stepped over
  };
  std::shared_ptr<const syntax::Tree> tree_;  // the run's nodes point into this very tree
  std::string source_;
  analysis::AnalysisOptions options_;
  std::vector<LineRun> lines_;  // by line
  std::vector<std::shared_ptr<const ModelCheckpoint>> checkpoints_;  // by top-level statement
  std::shared_ptr<const ScopeMemo> scopes_;  // the scopes of its defs, by text
};

// Runs the model over a parsed Python module. Never throws for any input; bounded by
// options.max_steps and by fixed depth limits. `previous`: the trace of the same document's
// previous version, to resume from (the result is the same as without it). `checkpoints`: those
// kept in the trace, for the next version and for snapshots.
std::shared_ptr<const Trace> simulate(const syntax::Tree& tree, std::string_view source,
                                      const analysis::AnalysisOptions& options, const Trace* previous = nullptr,
                                      Checkpoints checkpoints = Checkpoints::None);

}  // namespace c2py::runtime_model
