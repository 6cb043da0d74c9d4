// Stepping over a statement the model cannot follow: what it may have changed becomes unknown
// and the run goes on with the next statement.
#include "runtime_model/interp.hpp"

#include <optional>

namespace c2py::runtime_model::engine {

Flow Interp::exec_recoverable(TSNode stmt, TSNode next, bool& clean) {
  Checkpoint cp{frames_.size(), active_.size(), frame().comp.size(), heap_.size(), dirty_.size(), level_seq_};
  level_seq_ = dirty_seq_;
  ++levels_;
  Flow flow = Flow::Normal;
  // What a give-up does (thrown, or returned as Flow::GaveUp): the flow after the statement
  // stepped over, or none when the give-up goes on to the statement around (the caller throws
  // it there, from its own frame: a rethrow through a lambda's frame would cost another unwind).
  auto gave_up = [&](const GiveUp& g) -> std::optional<Flow> {
    --levels_;
    level_seq_ = cp.level_seq;
    if (g.final) return std::nullopt;
    // `return <something unknown>`: the function returns an object the model does not know.
    const Frame& own = *frames_[cp.frames - 1];
    bool returns = type_of(stmt) == "return_statement" && own.scope && cp.frames > 1 && !foreign_;
    // A statement whose remainder may jump (a return, a break, an exception a handler around
    // it catches) is not stepped over: the one around it is, or the call that ran it.
    // Nor, in a function, one where CPython raises (the call ends there, its frame stays with
    // the traceback).
    // Code doctest runs often raises on purpose (an example expecting a traceback): there a
    // call is never stepped over part-way.
    bool raises = g.reason.find("Error)") != std::string::npos || foreign_;
    if (!returns && (jumps_out(stmt) || (own.scope && (handlers_ > 0 || raises)))) return std::nullopt;
    recover(stmt, cp, g.reason);
    clean = false;
    if (returns) {
      frame().ret = opaque();
      return Flow::Return;
    }
    return Flow::Normal;
  };
  try {
    flow = exec_stmt(stmt, next);
  } catch (const PyRaise&) {
    --levels_;
    level_seq_ = cp.level_seq;
    throw;
  } catch (const GiveUp& g) {
    if (auto after = gave_up(g)) return *after;
    throw;
  }
  if (flow == Flow::GaveUp) {
    // The references released on the way back were not counted (decref), as in an unwind.
    GiveUp g{std::move(soft_reason_)};
    soft_give_up_ = false;
    if (auto after = gave_up(g)) return *after;
    throw g;
  }
  --levels_;
  level_seq_ = cp.level_seq;
  if (levels_ == 0) dirty_.clear();
  return flow;
}

void Interp::recover(TSNode stmt, const Checkpoint& cp, const std::string& reason) {
  ++give_up_count_;
  if (result_.give_ups.size() < kMaxGiveUps) result_.give_ups.emplace_back(cur_line_, reason);
  while (frames_.size() > cp.frames) frames_.pop_back();
  active_.resize(cp.active);
  if (frame().comp.size() > cp.comp) frame().comp.resize(cp.comp);
  pending_.clear();
  return_attr_.reset();
  cur_line_ = ts_node_start_point(stmt).row;
  if (!active_.empty()) track_ = false;
  for (Id id = static_cast<Id>(cp.heap); id < heap_.size(); ++id)
    if (heap_[id].alive) taint(id);
  // The lines it may have run unseen, and whether that code can rebind names of other scopes.
  bool rebinds = lose_lines(stmt, reason);
  // A function's size and identity do not change; unless the code it may run rebinds names
  // (`global`, `nonlocal`, reflection), a name bound to a function still is, and only the
  // function's count becomes unknown.
  auto taint_var = [&](Id id) {
    if (id && !rebinds && heap_[id].kind == Kind::Function && !heap_[id].unknown) count_unknown(id);
    else taint(id);
  };
  for (size_t i = cp.dirty; i < dirty_.size(); ++i) taint_var(dirty_[i]);
  if (may_run_user_code(stmt)) {
    for (auto& f : frames_) {
      for (auto& [n, id] : f->vars) taint_var(id);
      for (auto& scope : f->comp)
        for (auto& [n, id] : scope) taint_var(id);
    }
  } else {
    for (std::string_view name : subtree_facts(stmt).names)
      if (Id* s = slot(name, false); s && *s) taint(*s);
  }
  for (const auto& name : bound_names(stmt)) store_name(name, opaque());
}

bool Interp::jumps_out(TSNode stmt) {
  // A function of the statement's subtree: a statement stepped over in a loop asks each time.
  auto memo = syntax_memo_.jumps.find(SyntaxKey::of(stmt));
  if (memo != syntax_memo_.jumps.end()) return memo->second;
  bool jumps = false;
  std::vector<std::pair<uint32_t, uint32_t>> loops;  // loops inside stmt seen so far (pre-order)
  syntax::walk(stmt, [&](TSNode n) {
    if (jumps) return false;
    auto ty = type_of(n);
    if (ty == "function_definition" || ty == "class_definition" || ty == "lambda") return false;
    if (ty == "return_statement" || ty == "raise_statement" || ty == "yield" || ty == "await") {
      jumps = true;
      return false;
    }
    if (ty == "for_statement" || ty == "while_statement") {
      // Its body only: a break in its else clause leaves the loop around it.
      TSNode body = field(n, "body");
      loops.emplace_back(ts_node_start_byte(body), ts_node_end_byte(body));
    } else if (ty == "break_statement" || ty == "continue_statement") {
      uint32_t at = ts_node_start_byte(n);
      bool inner = false;
      for (auto [b, e] : loops) inner |= b < at && at < e;
      if (!inner) jumps = true;
    }
    return true;
  });
  syntax_memo_.jumps.emplace(SyntaxKey::of(stmt), jumps);
  return jumps;
}

bool Interp::lose_lines(TSNode stmt, const std::string& reason) {
  if (foreign_) return true;  // doctest's own runs are not the program's first executions
  def_index_used_ = true;  // what follows reads every def of the module (checkpoints: model.cpp)
  if (!def_index_.built) {
    def_index_.built = true;
    syntax::walk(root_, [&](TSNode n) {
      if (type_of(n) == "function_definition") {
        std::string name(text_of(field(n, "name"), src_));
        if (name.size() > 4 && name.rfind("__", 0) == 0 && name.compare(name.size() - 2, 2, "__") == 0)
          def_index_.dunders.push_back(n);
        def_index_.by_name[name].push_back(n);
      }
      return true;
    });
  }
  // The statement's own subtree, then every function it may reach: by name (a def of that name
  // anywhere, a method called through an attribute), through the objects its names are bound
  // to (a function kept in a list or dict, an instance's class), and the special methods that
  // operators and calls run implicitly.
  std::vector<TSNode> work{stmt};
  std::unordered_set<uint32_t> queued{ts_node_start_byte(stmt)};
  seen_.start(heap_.size());  // (nothing is allocated while this runs)
  auto queue = [&](TSNode def) {
    if (queued.insert(ts_node_start_byte(def)).second) work.push_back(def);
  };
  for (TSNode d : def_index_.dunders) queue(d);
  // Bounded: past kMaxVisits edges the walk stops and every function counts as reachable.
  constexpr int64_t kMaxVisits = 50000;
  int64_t visits = 0;
  bool every_function = false, queued_all = false;
  auto objects_from = [&](Id root) {
    std::vector<Id> walk{root};
    while (!walk.empty() && !every_function) {
      Id id = walk.back();
      walk.pop_back();
      if (!id || !seen_.first(id)) continue;
      const Obj& o = heap_[id];
      if (o.kind == Kind::Function && !ts_node_is_null(o.def)) queue(o.def);
      if (o.kind == Kind::Instance || o.kind == Kind::Class) walk.push_back(o.cls);
      for_each_child(o, [&](Id child) {
        if (++visits > kMaxVisits) every_function = true;
        const Obj& c = heap_[child];
        bool scalar = c.kind == Kind::Int || c.kind == Kind::Float || c.kind == Kind::Bool ||
                      c.kind == Kind::None || c.kind == Kind::Str || c.kind == Kind::Bytes;
        if (!scalar && !every_function) walk.push_back(child);
      });
    }
    if (every_function && !queued_all) {
      queued_all = true;
      for (const auto& [n, defs] : def_index_.by_name)
        for (TSNode d : defs) queue(d);
    }
  };
  int64_t visited = 0;
  bool rebinds = false;
  while (!work.empty()) {
    TSNode n0 = work.back();
    work.pop_back();
    SubtreeFacts& facts = subtree_facts(n0);
    visited += facts.nodes;
    for (uint32_t line : facts.lines) {
      // A line once executed (or lost) stays so: the table is not written again.
      if (const LineEvents* seen = std::as_const(result_.lines).find(line); seen && seen->executed) continue;
      auto& ev = result_.lines[line];
      ev.executed = true;
      ev.lost = true;
      ev.lost_reason = reason;
    }
    rebinds |= facts.scope_statement || facts.rebinding_name;
    if (!facts.defs_known) {  // the defs of its names, once per run (def_lookups_ keeps the names)
      facts.defs_known = true;
      for (std::string_view view : facts.names) {
        std::string name(view);
        auto it = def_index_.by_name.find(name);
        facts.defs.push_back(it == def_index_.by_name.end() ? nullptr : &it->second);
        def_lookups_.insert(std::move(name));
      }
    }
    for (size_t i = 0; i < facts.names.size(); ++i) {
      if (facts.defs[i])
        for (TSNode d : *facts.defs[i]) queue(d);
      if (Id* s = slot(facts.names[i], false); s && *s) objects_from(*s);
    }
  }
  charge(visited + visits);
  return rebinds;
}

bool Interp::may_run_user_code(TSNode stmt) {
  const SubtreeFacts& facts = subtree_facts(stmt);
  if (facts.defines) return true;
  for (std::string_view name : facts.names) {
    Id* s = slot(name, false);
    if (!s || !*s) {  // an attribute's name, a keyword, a target not bound yet, a builtin
      if (is_reflective(name)) return true;
      continue;
    }
    const Obj& o = heap_[*s];
    if (o.kind == Kind::Function || o.kind == Kind::Class || o.kind == Kind::Instance || o.runs_user_code ||
        (o.kind == Kind::Module && runs_main_module(o.name + ".")) || runs_main_module(o.name))
      return true;
  }
  return false;
}

std::vector<std::string> Interp::bound_names(TSNode stmt) {
  // A function of the statement's subtree (see jumps_out).
  auto memo = syntax_memo_.bound.find(SyntaxKey::of(stmt));
  if (memo != syntax_memo_.bound.end()) return memo->second;
  std::vector<std::string> out;
  auto add = [&](TSNode n) {
    if (ts_node_is_null(n)) return;
    syntax::walk(n, [&](TSNode m) {
      auto ty = type_of(m);
      if (ty == "identifier") {
        std::string name(text_of(m, src_));
        if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
      }
      return ty != "attribute" && ty != "subscript";
    });
  };
  syntax::walk(stmt, [&](TSNode n) {
    auto ty = type_of(n);
    if (ty == "function_definition" || ty == "class_definition") {
      add(field(n, "name"));
      return false;
    }
    if (ty == "lambda" || ty == "list_comprehension" || ty == "set_comprehension" ||
        ty == "dictionary_comprehension" || ty == "generator_expression")
      return false;
    if (ty == "assignment" || ty == "augmented_assignment" || ty == "for_statement") add(field(n, "left"));
    else if (ty == "named_expression") add(field(n, "name"));
    else if (ty == "except_clause") add(field(n, "alias"));
    else if (ty == "as_pattern") add(field(n, "alias"));
    else if (ty == "import_statement") {
      for (TSNode c : kids(n)) {
        if (type_of(c) == "aliased_import") add(field(c, "alias"));
        else {
          std::string name(text_of(c, src_));
          name = name.substr(0, name.find('.'));
          if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
        }
      }
      return false;
    } else if (ty == "import_from_statement") {
      TSNode module = field(n, "module_name");
      for (TSNode c : kids(n)) {
        if (ts_node_eq(c, module)) continue;
        if (type_of(c) == "aliased_import") add(field(c, "alias"));
        else if (type_of(c) == "dotted_name") add(c);
      }
      return false;
    }
    return true;
  });
  syntax_memo_.bound.emplace(SyntaxKey::of(stmt), out);
  return out;
}

}  // namespace c2py::runtime_model::engine
