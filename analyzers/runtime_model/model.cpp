// simulate(): one run of the interpreter (resumed from a checkpoint of the previous version when
// one is valid), turned into findings (inlay hints, hover notes, the reference-cycle diagnostic).
// Trace::snapshot(): a second run, from the last checkpoint before the line, that stops there.
#include "runtime_model/model.hpp"

#include <set>

#include "runtime_model/interpreter.hpp"

namespace c2py::runtime_model {

using analysis::Finding;
using analysis::HintKind;

Trace::Trace(syntax::Tree tree, std::string source, analysis::AnalysisOptions options)
    : tree_(std::make_shared<const syntax::Tree>(std::move(tree))),
      source_(std::move(source)),
      options_(std::move(options)) {}

HeapSnapshot Trace::snapshot(uint32_t line) const {
  HeapSnapshot empty;
  empty.line = line;
  if (!*tree_) return empty;
  // The snapshot run is the findings run again (the same state at every step), so what that run
  // saw of the line says whether and from where to run.
  auto it = std::lower_bound(lines_.begin(), lines_.end(), line,
                             [](const LineRun& l, uint32_t at) { return l.line < at; });
  bool executed = it != lines_.end() && it->line == line;
  auto not_reached = [&](const std::string* lost_reason, bool run_complete, const std::string& why) {
    if (lost_reason) empty.reason = "the line may first run in a statement the model stepped over: " + *lost_reason;
    else empty.reason = run_complete ? "the line is not executed" : "the model gave up before the line: " + why;
    return empty;
  };
  if (!executed || it->lost) return not_reached(executed && it->lost ? &it->lost_reason : nullptr, complete, gave_up);
  RunGoal goal;
  goal.capture_line = line;
  const ModelCheckpoint* from = nullptr;
  for (const auto& cp : checkpoints_)
    if (cp->index <= it->top) from = cp.get();
  RunResult run = from ? resume_model(*from, tree_->root(), source_, goal, nullptr, scopes_.get())
                       : run_model(tree_->root(), source_, options_, goal, nullptr, scopes_.get());
  if (run.captured) return std::move(*run.captured);
  const LineEvents* ran = run.lines.find(line);
  bool lost = ran && ran->lost;
  return not_reached(lost ? &ran->lost_reason : nullptr, run.complete, run.gave_up);
}

namespace {

uint32_t line_end(TSNode stmt, std::string_view source) {
  // Hints go at the end of the statement's first line (a compound statement's header).
  uint32_t begin = ts_node_start_byte(stmt);
  uint32_t end = ts_node_end_byte(stmt);
  size_t nl = source.find('\n', begin);
  if (nl != std::string_view::npos && nl < end) end = static_cast<uint32_t>(nl);
  // Before a trailing colon of a header: after it reads better.
  return end;
}

std::string cap_label(const std::vector<std::string>& steps) {
  // Steps are "before\x1fafter"; consecutive ones chain: 0 → 4 → 8 → 16.
  std::vector<std::string> chain;
  for (const auto& s : steps) {
    auto sep = s.find('\x1f');
    std::string before = s.substr(0, sep), after = s.substr(sep + 1);
    if (chain.empty() || chain.back() != before) {
      if (!chain.empty()) chain.push_back("…");
      chain.push_back(before);
    }
    chain.push_back(after);
  }
  std::string label = "cap ";
  size_t shown = 0;
  for (size_t i = 0; i < chain.size(); ++i) {
    if (chain.size() > 8 && i == 5) {
      label += " → … → " + chain.back();
      break;
    }
    label += (i ? " → " : "") + chain[i];
    ++shown;
  }
  return label;
}

}  // namespace

std::shared_ptr<const Trace> simulate(const syntax::Tree& tree, std::string_view source,
                                      const analysis::AnalysisOptions& options, const Trace* previous,
                                      Checkpoints checkpoints) {
  auto trace = std::make_shared<Trace>(tree, std::string(source), options);
  if (!tree) return trace;
  TSNode root = trace->tree_->root();  // the run's nodes (kept by checkpoints) are of the trace's tree
  const ModelCheckpoint* from = nullptr;
  if (previous && previous->options_ == options)
    from = usable_checkpoint(previous->checkpoints_, previous->tree_->root(), previous->source_, root,
                             trace->source());
  CheckpointSink sink;
  bool keep = checkpoints != Checkpoints::None;
  if (keep) {
    // At most about 16 over the file (the first statement past each 1/16 of its bytes), or at
    // every statement.
    bool every = checkpoints == Checkpoints::Every;
    sink.spacing = every ? 1 : std::max<uint32_t>(1, static_cast<uint32_t>(source.size() / 16));
    if (every) sink.work_per_record = 0;
    sink.next_at = sink.spacing;
    if (from) {
      for (const auto& cp : previous->checkpoints_) {
        if (cp->index > from->index) break;
        sink.taken.push_back(cp);
        sink.records += cp->records;
      }
      sink.trees = from->trees;
      sink.next_at = from->prefix_end + sink.spacing;
    }
    sink.trees.push_back(trace->tree_);
  }
  if (from) {
    sink.last_steps = from->steps;
    sink.last_at = from->at;
  }
  // The previous version's scopes by text spare the walk of every def whose text is unchanged.
  const ScopeMemo* memo = previous ? previous->scopes_.get() : nullptr;
  RunResult run = from ? resume_model(*from, root, trace->source(), RunGoal{}, keep ? &sink : nullptr, memo)
                       : run_model(root, trace->source(), options, RunGoal{}, keep ? &sink : nullptr, memo);
  if (keep) trace->scopes_ = run.scopes;
  trace->resumed_at = from ? from->index : 0;
  trace->checkpoints_ = std::move(sink.taken);
  for (const auto& [line, ev] : run.lines)
    if (ev.executed) trace->lines_.push_back({line, ev.top, ev.lost, ev.lost_reason});
  trace->complete = run.complete;
  trace->gave_up = run.gave_up;
  trace->gave_up_line = run.gave_up_line;
  trace->steps = run.steps;
  trace->give_ups = run.give_ups;
  trace->module_statements = run.module_statements;
  trace->module_statements_clean = run.module_statements_clean;
  std::string_view src = trace->source();
  if (!run.complete && run.gave_up_line >= 0) {
    // Say where and why the hints stop, so that their absence below is not read as "nothing
    // happens there".
    const LineEvents* it = run.lines.find(static_cast<uint32_t>(run.gave_up_line));
    if (it && !ts_node_is_null(it->stmt)) {
      TSNode stmt = it->stmt;
      uint32_t at = line_end(stmt, src);
      Finding f;
      f.idiom = "object-lifetime";
      f.range = {ts_node_start_byte(stmt), at};
      std::string reason = run.gave_up;
      if (reason.size() > 48) reason = reason.substr(0, 45) + "...";
      f.hints.push_back({at, "model stops: " + reason, HintKind::Lifetimes, {}});
      f.note = "The runtime model stops here: " + run.gave_up +
               ". It shows nothing it cannot be sure of, so no counts, frees or sizes appear after this point.";
      trace->findings.push_back(std::move(f));
    }
  }
  // Statements the model stepped over: say so where it happened, and why. The hint is drawn on
  // the first one of each function (or of the module) only: it tells the reader that counts may
  // be missing from there on; the others keep the reason in their hover.
  std::set<int64_t> marked;
  std::set<uint32_t> hinted_scopes;
  auto scope_of = [](TSNode node) {
    for (int depth = 0; depth < 200 && !ts_node_is_null(node); ++depth, node = ts_node_parent(node))
      if (syntax::type_of(node) == "function_definition") return ts_node_start_byte(node);
    return UINT32_MAX;  // the module
  };
  for (const auto& [line, why] : run.give_ups) {
    if (marked.size() >= 50 || !marked.insert(line).second) continue;
    const LineEvents* it = run.lines.find(static_cast<uint32_t>(line));
    if (!it || ts_node_is_null(it->stmt)) continue;
    TSNode stmt = it->stmt;
    uint32_t at = line_end(stmt, src);
    Finding f;
    f.idiom = "object-lifetime";
    f.range = {ts_node_start_byte(stmt), at};
    std::string reason = why;
    if (reason.size() > 48) reason = reason.substr(0, 45) + "...";
    if (hinted_scopes.insert(scope_of(stmt)).second)
      f.hints.push_back({at, "not followed: " + reason, HintKind::Lifetimes, {}});
    f.note = "The runtime model does not follow this statement: " + why +
             ". What it may have changed is shown without counts (unknown); the model goes on with the next "
             "statement, and what does not depend on this one stays exact.";
    trace->findings.push_back(std::move(f));
  }
  for (const auto& [line, ev] : run.lines) {
    // A line only doctest ran can still carry the cycle its statement closed (note_cycle).
    if (ts_node_is_null(ev.stmt) || (!ev.executed && ev.cycle_message.empty())) continue;
    TSNode stmt = ev.stmt;
    uint32_t at = line_end(stmt, src);
    syntax::ByteRange range{ts_node_start_byte(stmt), at};
    auto add = [&, &note = ev.note](const char* idiom, HintKind kind, const std::string& label) {
      Finding f;
      f.idiom = idiom;
      f.range = range;
      f.hints.push_back({at, label, kind, {}});
      f.note = note;
      trace->findings.push_back(std::move(f));
    };
    for (const auto& label : ev.ref_labels) add("reference-counting", HintKind::Refcounts, label);
    for (const auto& label : ev.freed_labels) add("object-lifetime", HintKind::Lifetimes, label);
    if (!ev.cap_steps.empty()) add("list-overallocation", HintKind::Allocations, cap_label(ev.cap_steps));
    for (const auto& label : ev.size_labels) add("object-size", HintKind::Sizes, label);
    if (!ev.cycle_message.empty()) {
      Finding f;
      f.idiom = "reference-cycle";
      f.range = range;
      analysis::Diagnostic d;
      d.code = "reference-cycle";
      d.severity = analysis::Severity::Information;
      d.message = ev.cycle_message;
      f.diagnostic = std::move(d);
      f.note = ev.cycle_message;
      trace->findings.push_back(std::move(f));
    }
    // Hover facts: the statement (what it freed), then each name in it.
    if (!ev.note.empty() && ev.ref_labels.empty() && ev.freed_labels.empty()) {
      Finding f;
      f.idiom = "object-lifetime";
      f.range = range;
      f.note = ev.note;
      trace->findings.push_back(std::move(f));
    }
    for (const auto& [node, note] : ev.name_notes) {
      Finding f;
      f.idiom = "reference-counting";
      f.range = syntax::range_of(node);
      f.note = note + " — after this line first runs.";
      trace->findings.push_back(std::move(f));
    }
  }
  return trace;
}

}  // namespace c2py::runtime_model
