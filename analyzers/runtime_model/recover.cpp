// Stepping over a statement the model cannot follow: what it may have changed becomes unknown
// and the run goes on with the next statement.
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

Flow Interp::exec_recoverable(TSNode stmt, TSNode next, bool& clean) {
  Checkpoint cp{frames_.size(), active_.size(), frame().comp.size(), heap_.size(), dirty_.size(), level_seq_};
  level_seq_ = dirty_seq_;
  ++levels_;
  Flow flow = Flow::Normal;
  try {
    flow = exec_stmt(stmt, next);
  } catch (const PyRaise&) {
    --levels_;
    level_seq_ = cp.level_seq;
    throw;
  } catch (const GiveUp& g) {
    if (g.final) throw;
    --levels_;
    level_seq_ = cp.level_seq;
    recover(stmt, cp, g.reason);
    clean = false;
    return Flow::Normal;
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
  for (size_t i = cp.dirty; i < dirty_.size(); ++i) taint(dirty_[i]);
  for (Id id = static_cast<Id>(cp.heap); id < heap_.size(); ++id)
    if (heap_[id].alive) taint(id);
  if (may_run_user_code(stmt)) {
    for (auto& f : frames_) {
      for (auto& [n, id] : f->vars) taint(id);
      for (auto& scope : f->comp)
        for (auto& [n, id] : scope) taint(id);
    }
  } else {
    syntax::walk(stmt, [&](TSNode n) {
      if (type_of(n) == "identifier")
        if (Id* s = slot(text_of(n, src_), false); s && *s) taint(*s);
      return true;
    });
  }
  for (const auto& name : bound_names(stmt)) store_name(name, opaque());
}

bool Interp::may_run_user_code(TSNode stmt) {
  bool user = false;
  syntax::walk(stmt, [&](TSNode n) {
    if (user) return false;
    auto ty = type_of(n);
    if (ty == "class_definition" || ty == "decorated_definition") user = true;
    if (ty != "identifier") return true;
    std::string_view name = text_of(n, src_);
    Id* s = slot(name, false);
    if (!s || !*s) {  // an attribute's name, a keyword, a target not bound yet, a builtin
      if (is_reflective(name)) user = true;
      return true;
    }
    const Obj& o = heap_[*s];
    if (o.kind == Kind::Function || o.kind == Kind::Class || o.kind == Kind::Instance || o.runs_user_code ||
        (o.kind == Kind::Module && runs_main_module(o.name + ".")) || runs_main_module(o.name))
      user = true;
    return true;
  });
  return user;
}

std::vector<std::string> Interp::bound_names(TSNode stmt) {
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
  return out;
}

}  // namespace c2py::runtime_model::engine
