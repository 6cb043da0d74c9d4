// Checkpoints of the runtime model: the interpreter's whole state between two top-level
// statements of the module, so that a run over an edited module resumes at the first statement
// the edit changed, and a heap snapshot starts from the last checkpoint before its line.
//
// A checkpoint is a copy of the interpreter (`Interp` is copyable: its members are values, and
// what belongs to one run only is NotCopied). It is valid for another version of the module
// when that version's text up to the end of the statements before it is the same, parsed the
// same, and nothing the run read before the checkpoint lies after it:
//   - the lines the run marked (lose_lines marks those a stepped-over statement may have run,
//     anywhere in the module) are all before the checkpoint's statement: checked when taken;
//   - the definitions the run looked up by name across the module (lose_lines) are not defined
//     after the checkpoint in the new version, nor are special methods: checked when resumed.
// The state's syntax nodes stay those of the tree they were made in (a function defined three
// versions ago keeps that version's node): the checkpoint keeps those trees alive, and their
// text and shape before the checkpoint are the new version's.
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model {

namespace {

// A checkpoint holds at most this many heap records and lines; all of a trace's at most
// kMaxCheckpointTotal (with the object budget this bounds their memory: about 500 bytes each).
constexpr size_t kMaxCheckpointRecords = 20000;
constexpr size_t kMaxCheckpointTotal = 60000;
// Trees one checkpoint may keep alive: a longer chain of edits starts the next run afresh.
constexpr size_t kMaxCheckpointTrees = 8;

// The statements of the module, as the evaluation loop walks them (comments are not).
std::vector<TSNode> top_statements(TSNode root) {
  std::vector<TSNode> out = syntax::named_children(root);
  std::erase_if(out, [](TSNode n) { return syntax::type_of(n) == "comment"; });
  return out;
}

// Whether two statements over the same text (the text before them the same too) were parsed
// the same: an incremental parse reuses the subtree of an unchanged statement (the same id);
// otherwise the same type, child count and number of descendants (both trees are free of
// errors: a module with one never runs, so it has no checkpoints, and is never resumed).
bool same_parse(TSNode a, TSNode b) {
  if (a.id == b.id) return true;
  return ts_node_symbol(a) == ts_node_symbol(b) && ts_node_child_count(a) == ts_node_child_count(b) &&
         ts_node_descendant_count(a) == ts_node_descendant_count(b);
}

bool is_dunder(std::string_view name) {
  return name.size() > 4 && name.substr(0, 2) == "__" && name.substr(name.size() - 2) == "__";
}

// Whether the statements from `from` on define a function that the run looked up by name, or a
// special method (lose_lines walks all of them).
bool defines_looked_up(const std::vector<TSNode>& stmts, size_t from, std::string_view source,
                       const std::unordered_set<std::string>& names) {
  bool found = false;
  for (size_t i = from; i < stmts.size() && !found; ++i) {
    syntax::walk(stmts[i], [&](TSNode n) {
      if (found) return false;
      if (syntax::type_of(n) == "function_definition") {
        std::string name(syntax::text_of(syntax::field(n, "name"), source));
        if (is_dunder(name) || names.count(name)) found = true;
      }
      return true;
    });
  }
  return found;
}

}  // namespace

const ModelCheckpoint* usable_checkpoint(const std::vector<std::shared_ptr<const ModelCheckpoint>>& checkpoints,
                                         TSNode old_root, std::string_view old_source, TSNode root,
                                         std::string_view source) {
  if (checkpoints.empty() || ts_node_is_null(old_root) || ts_node_is_null(root) || ts_node_has_error(root))
    return nullptr;
  // The first byte where the texts differ: a statement ending before it has the same text.
  size_t n = std::min(old_source.size(), source.size());
  size_t differ = std::mismatch(old_source.begin(), old_source.begin() + static_cast<long>(n), source.begin()).first -
                  old_source.begin();
  if (differ == n && old_source.size() == source.size()) differ = SIZE_MAX;
  std::vector<TSNode> old_stmts = top_statements(old_root), stmts = top_statements(root);
  size_t limit = checkpoints.back()->index;
  size_t same = 0;  // leading statements unchanged
  while (same < limit && same < old_stmts.size() && same < stmts.size()) {
    TSNode a = old_stmts[same], b = stmts[same];
    if (ts_node_end_byte(a) >= differ || ts_node_start_byte(a) != ts_node_start_byte(b) ||
        ts_node_end_byte(a) != ts_node_end_byte(b) || ts_node_symbol(a) != ts_node_symbol(b))
      break;
    if (!same_parse(a, b)) break;
    ++same;
  }
  for (auto it = checkpoints.rbegin(); it != checkpoints.rend(); ++it) {
    const ModelCheckpoint& cp = **it;
    if (cp.index > same || cp.index > stmts.size() || cp.trees.size() >= kMaxCheckpointTrees) continue;
    if (cp.state->def_index_used() && defines_looked_up(stmts, cp.index, source, cp.state->def_lookups())) continue;
    return &cp;
  }
  return nullptr;
}

RunResult resume_model(const ModelCheckpoint& from, TSNode root, std::string_view source, const RunGoal& goal,
                       CheckpointSink* sink, const ScopeMemo* memo) {
  RunResult result;
  try {
    auto interp = std::make_unique<engine::Interp>(*from.state);
    interp->set_scope_memo(memo);
    result = interp->resume(root, source, goal, from.index, sink);
    if (sink) result.scopes = interp->scope_memo();  // for the next version's run
  } catch (...) {
    result = RunResult{};
    result.complete = false;
    result.gave_up = "internal error in the model";
  }
  return result;
}

namespace engine {

std::shared_ptr<const ScopeMemo> Interp::scope_memo() const {
  auto memo = std::make_shared<ScopeMemo>();
  for (const auto& [key, info] : scopes_)
    if (module_node(info->def)) memo->by_text.emplace(std::string(text_of(info->def, src_)), info);
  return memo;
}

RunResult Interp::resume(TSNode root, std::string_view source, const RunGoal& goal, size_t index,
                         CheckpointSink* sink) {
  src_ = source;
  goal_ = goal;
  top_.resume_at = index;
  top_.sink = sink;
  depth_ = 0;  // the copy was taken inside the module's block
  return run(root);
}

void Interp::at_top_level(size_t i, const std::vector<TSNode>& stmts) {
  top_.index = i;
  CheckpointSink* sink = top_.sink;
  // Statement 0 needs none (a new interpreter is that state); the one resumed at is carried over.
  if (!sink || i == 0 || i == top_.resume_at) return;
  uint32_t at = ts_node_start_byte(stmts[i]);
  if (at < sink->next_at) return;
  // Between two statements of the module, nothing running.
  if (frames_.size() != 1 || !active_.empty() || levels_ != 0 || doctest_frame_ || foreign_ || stopping_ ||
      !pending_.empty() || frame().ret)
    return;
  TSNode prev = stmts[i - 1];
  uint32_t prev_row = ts_node_end_point(prev).row;
  if (ts_node_start_point(stmts[i]).row <= prev_row) return;
  // Lines marked further down (a stepped-over statement may have run a function defined
  // there): the state depends on text after the checkpoint.
  if (!result_.lines.empty() && result_.lines.last_line() > prev_row) return;
  size_t records = heap_.size() + result_.lines.size();
  if (records > kMaxCheckpointRecords || sink->records + records > kMaxCheckpointTotal) return;
  int64_t work = (steps_ - sink->last_steps) + (at - std::min(at, sink->last_at)) / 16;
  if (work < sink->work_per_record * static_cast<int64_t>(records)) return;
  auto cp = std::make_shared<ModelCheckpoint>();
  cp->index = i;
  cp->prefix_end = ts_node_end_byte(prev);
  cp->at = at;
  cp->records = records;
  cp->state = std::make_shared<const Interp>(*this);
  sink->last_steps = cp->steps = steps_;
  sink->last_at = at;
  cp->trees = sink->trees;
  sink->records += records;
  sink->taken.push_back(std::move(cp));
  sink->next_at = at + sink->spacing;
}

}  // namespace engine

}  // namespace c2py::runtime_model
