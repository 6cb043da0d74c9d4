// The evaluation loop for statements (CPython's Python/ceval.c): blocks, simple and compound
// statements, names and scopes, assignment, deletion, augmented assignment.
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

RunResult Interp::run(TSNode root) {
  if (frames_.empty()) frames_.push_back(new_frame());  // a resumed copy has its module frame
  try {
    // CPython runs nothing of a file with a syntax error.
    root_ = root;
    if (ts_node_has_error(root)) throw GiveUp{"the file has a syntax error: CPython would not run it"};
    exec_block(root, 0);
  } catch (const GiveUp& g) {
    result_.complete = false;
    result_.gave_up = g.reason;
    result_.gave_up_line = static_cast<int64_t>(cur_line_);
  } catch (const Stop&) {
  }
  stopping_ = true;  // no more bookkeeping while the C++ stack unwinds
  result_.steps = steps_;
  return std::move(result_);
}

Id* Interp::slot(std::string_view name, bool for_store) {
  Frame& f = frame();
  for (auto it = f.comp.rbegin(); it != f.comp.rend(); ++it)
    if (Id* s = find_var(*it, name)) return s;
  HashedName key(name);  // hashed once for the scope's roles and the frames' names
  if (f.scope) {
    uint8_t role = f.scope->role(key);
    if (role & ScopeInfo::Local) {
      Id* s = frame_var(f, key);
      if (!s && for_store) s = frame_add(f, name);
      if (s && (role & ScopeInfo::Cell)) return &heap_[*s].target;
      return s;
    }
    if (f.func && !(role & ScopeInfo::Global)) {
      Obj& fn = heap_[f.func];
      for (auto& [n, cell] : fn.cells)
        if (n == name) return &heap_[cell].target;
    }
    Frame& m = module();
    Id* s = frame_var(m, key);
    if (!s && for_store) s = frame_add(m, name);
    return s;
  }
  Id* s = frame_var(f, key);
  if (s) return s;
  if (for_store) return frame_add(f, name);
  if (f.is_class) return frame_var(module(), key);
  return nullptr;
}

Ref Interp::load_name(TSNode node) {
  std::string_view name = text_of(node, src_);
  Id* s = slot(name, false);
  if (s && *s) return share(*s);
  if (Id b = builtin(name)) return share(b);
  if (name == "__name__") return make_str("__main__", true);
  if (Id b = unknown_builtin(name)) return share(b);
  if (is_builtin_name(name) || is_module_dunder(name) || star_import_) {
    Id id = hidden_object(Kind::Builtin, std::string(name));
    heap_[id].unknown = true;
    return share(id);
  }
  throw GiveUp{"`" + std::string(name) + "` is not defined where the model reaches it"};
}

void Interp::store_name(std::string_view name, Ref value) {
  Id id = value.release();
  note_name(id, name);
  Id* s = slot(name, true);
  Id old = *s;
  *s = id;
  if (old) decref(old);
}

void Interp::delete_name(std::string_view name) {
  Id* s = slot(name, false);
  if (!s || !*s) throw GiveUp{"`del " + std::string(name) + "` of an unbound name raises NameError"};
  Id old = *s;
  *s = 0;
  decref(old);
}

Flow Interp::exec_block(TSNode block, int start) {
  DepthGuard guard(depth_);
  if (ts_node_is_null(block)) throw GiveUp{"a statement without its block"};
  const std::vector<TSNode>& stmts = block_statements(block);
  bool top = ts_node_eq(block, root_);
  if (top) result_.module_statements = static_cast<int64_t>(stmts.size());
  for (size_t i = top ? top_.resume_at : static_cast<size_t>(start); i < stmts.size(); ++i) {
    if (top) at_top_level(i, stmts);  // checkpoints (model.cpp)
    TSNode next = i + 1 < stmts.size() ? stmts[i + 1] : TSNode{};
    // A statement the model cannot follow is stepped over (recover.cpp), in functions too,
    // unless what it skips may jump (a return inside it): then the statement around it is.
    bool clean = true;
    int64_t give_ups = give_up_count_;
    Flow flow = exec_recoverable(stmts[i], next, clean);
    if (top && clean && give_ups == give_up_count_) ++result_.module_statements_clean;
    if (flow != Flow::Normal) return flow;
  }
  return Flow::Normal;
}

void Interp::begin_stmt(TSNode stmt) {
  step(stmt);
  if (foreign_) {
    // Run by doctest: not the program's own execution of its lines (nothing recorded there).
    cur_line_ = foreign_line_;
    active_.push_back({foreign_line_, freed_.size(), false, stmt});
    track_ = false;
    return;
  }
  uint32_t line = ts_node_start_point(stmt).row;
  cur_line_ = line;
  auto& ev = result_.lines[line];
  bool first = !ev.executed;
  if (first) {
    ev.executed = true;
    ev.stmt = stmt;
    ev.top = static_cast<uint32_t>(top_.index);
  }
  active_.push_back({line, freed_.size(), first, stmt});
  if (active_.size() == 1 || first) {
    // A snapshot run needs no findings: it only stops at its line.
    track_ = first && !goal_.capture_line;
    touched_.clear();
    id_mark_ = static_cast<Id>(heap_.size());
  }
}

void Interp::end_stmt(TSNode stmt, TSNode next) {
  if (!pending_.empty()) throw GiveUp{pending_};
  Active act = active_.back();
  active_.pop_back();
  cur_line_ = act.line;
  frame().last_line = act.line;
  frame().last_first = act.first && track_;
  if (act.first && track_) record_line(stmt, act);
  if (!active_.empty()) track_ = false;
  // The snapshot is taken after the last statement that starts on the requested line.
  if (goal_.capture_line && *goal_.capture_line == act.line && act.first &&
      (ts_node_is_null(next) || ts_node_start_point(next).row != act.line)) {
    result_.captured = capture(act);
    throw Stop{};
  }
}

Flow Interp::exec_stmt(TSNode stmt, TSNode next) {
  DepthGuard guard(depth_);
  Sym ty = sym(stmt);
  if (ty == Sym::if_statement) return exec_if(stmt, next);
  if (ty == Sym::for_statement) return exec_for(stmt, next);
  if (ty == Sym::while_statement) return exec_while(stmt, next);
  if (ty == Sym::function_definition) {
    begin_stmt(stmt);
    define_function(stmt);
    end_stmt(stmt, next);
    return Flow::Normal;
  }
  if (ty == Sym::class_definition) {
    begin_stmt(stmt);
    define_class(stmt);
    end_stmt(stmt, next);
    return Flow::Normal;
  }
  if (ty == Sym::try_statement) return exec_try(stmt, next);
  if (ty == Sym::with_statement) return exec_with(stmt, next);
  if (ty == Sym::decorated_definition) {
    begin_stmt(stmt);
    define_decorated(stmt);
    end_stmt(stmt, next);
    return Flow::Normal;
  }
  begin_stmt(stmt);
  Flow flow = Flow::Normal;
  if (ty == Sym::expression_statement) {
    TSNode e = ts_node_named_child(stmt, 0);
    Sym et = sym(e);
    if (et == Sym::yield) flow = exec_yield(stmt, e);
    else if (et == Sym::assignment && sym(field(e, "right")) == Sym::yield) flow = exec_yield(stmt, field(e, "right"));
    else if (et == Sym::assignment) {
      if (!exec_assignment(e)) return Flow::GaveUp;
    } else if (et == Sym::augmented_assignment) {
      if (!exec_augmented(e)) return Flow::GaveUp;
    } else {
      if (ts_node_named_child_count(stmt) != 1) throw GiveUp{"a tuple expression statement"};
      Ref r = eval(e, true);
      if (soft_give_up_) return Flow::GaveUp;
      if (doctest_frame_ && &frame() == doctest_frame_) display(std::move(r));
    }
  } else if (ty == Sym::pass_statement) {
  } else if (ty == Sym::return_statement) {
    if (frames_.size() < 2 || frame().is_class) throw GiveUp{"return outside a function"};
    TSNode value = ts_node_named_child(stmt, 0);
    Ref r = ts_node_is_null(value) ? make_none() : eval_tuple_or_expr(value, true);
    if (soft_give_up_) return Flow::GaveUp;
    frame().ret = std::move(r);
    flow = Flow::Return;
  } else if (ty == Sym::delete_statement) {
    TSNode target = ts_node_named_child(stmt, 0);
    if (type_of(target) == "expression_list")
      for (TSNode t : kids(target)) delete_target(t);
    else delete_target(target);
  } else if (ty == Sym::break_statement) {
    flow = Flow::Break;
  } else if (ty == Sym::continue_statement) {
    flow = Flow::Continue;
  } else if (ty == Sym::import_statement || ty == Sym::import_from_statement) {
    exec_import(stmt);
  } else if (ty == Sym::future_import_statement) {
    // A compiler directive that also binds the feature's name (a __future__._Feature).
    for (TSNode n : kids(stmt)) {
      TSNode name_node = type_of(n) == "aliased_import" ? field(n, "name") : n;
      std::string name(text_of(name_node, src_));
      if (name == "annotations") future_annotations_ = true;
      // Shown: a shared object (the __future__ module holds it), no count, its size known.
      Id feature = hidden_object(Kind::Opaque, "__future__." + name);
      heap_[feature].hidden = false;
      heap_[feature].immortal = false;
      heap_[feature].type = "_Feature";
      store_name(type_of(n) == "aliased_import" ? text_of(field(n, "alias"), src_) : std::string_view(name), share(feature));
    }
  } else if (ty == Sym::global_statement) {
  } else if (ty == Sym::assert_statement) {
    Ref r = eval(ts_node_named_child(stmt, 0), true);
    if (soft_give_up_) return Flow::GaveUp;
    bool holds = truth(r.get(), true);
    if (soft_give_up_) return Flow::GaveUp;
    if (!holds) throw GiveUp{"an assert fails here (AssertionError)"};
  } else {
    if (ty == Sym::raise_statement && foreign_ && handlers_ == 0 && ts_node_named_child_count(stmt) >= 1) {
      // In an example doctest runs, with no handler in between: the exception goes to doctest,
      // which reports it; the example ends, what it made is released.
      { Ref exc = eval(ts_node_named_child(stmt, 0)); }
      raising_ = true;
      throw PyRaise{};
    }
    throw GiveUp{"`" + std::string(type_of(stmt)) + "` is not modelled"};
  }
  end_stmt(stmt, next);
  return flow;
}

Flow Interp::exec_if(TSNode stmt, TSNode next) {
  FieldList& fs = fields(stmt);
  begin_stmt(stmt);
  bool cond;
  {
    Ref c = eval(fs["condition"], true);
    if (soft_give_up_) return Flow::GaveUp;
    cond = truth(c.get(), true);
    if (soft_give_up_) return Flow::GaveUp;
  }
  end_stmt(stmt, next);
  if (cond) return exec_block(fs["consequence"], 0);
  uint32_t count = ts_node_named_child_count(stmt);
  for (uint32_t i = 0; i < count; ++i) {
    TSNode alt = ts_node_named_child(stmt, i);
    Sym ty = sym(alt);
    if (ty == Sym::elif_clause) {
      begin_stmt(alt);
      bool c2;
      {
        Ref c = eval(field(alt, "condition"), true);
        if (soft_give_up_) return Flow::GaveUp;
        c2 = truth(c.get(), true);
        if (soft_give_up_) return Flow::GaveUp;
      }
      end_stmt(alt, TSNode{});
      if (c2) return exec_block(field(alt, "consequence"), 0);
    } else if (ty == Sym::else_clause) {
      return exec_block(field(alt, "body"), 0);
    }
  }
  return Flow::Normal;
}

Flow Interp::exec_while(TSNode stmt, TSNode next) {
  FieldList& fs = fields(stmt);
  TSNode otherwise = fs["alternative"];  // while … else: runs unless a break ended the loop
  while (true) {
    begin_stmt(stmt);
    bool cond;
    {
      Ref c = eval(fs["condition"], true);
      if (soft_give_up_) return Flow::GaveUp;
      cond = truth(c.get(), true);
      if (soft_give_up_) return Flow::GaveUp;
    }
    end_stmt(stmt, next);
    if (!cond) return ts_node_is_null(otherwise) ? Flow::Normal : exec_block(field(otherwise, "body"), 0);
    Flow flow = exec_block(fs["body"], 0);
    if (flow == Flow::Break) return Flow::Normal;
    if (flow == Flow::Return || flow == Flow::Yield) return flow;
  }
}

Flow Interp::exec_for(TSNode stmt, TSNode next) {
  Ref iter;
  {
    begin_stmt(stmt);
    Ref seq = eval_tuple_or_expr(field(stmt, "right"), true);
    if (soft_give_up_) return Flow::GaveUp;
    iter = make_iter(seq.get(), true);
    if (soft_give_up_) return Flow::GaveUp;
  }
  return for_loop(stmt, next, std::move(iter), true);
}

Flow Interp::for_loop(TSNode stmt, TSNode next, Ref iter, bool first_pass) {
  FieldList& fs = fields(stmt);
  while (true) {
    if (!first_pass) begin_stmt(stmt);
    Ref item = iter_next(iter.get());
    if (!item) {
      end_stmt(stmt, next);
      // for … else: the exhausted iterator is dropped, then the else block runs.
      TSNode otherwise = fs["alternative"];
      if (ts_node_is_null(otherwise)) return Flow::Normal;
      iter.reset();
      return exec_block(field(otherwise, "body"), 0);
    }
    if (!assign_target(fs["left"], std::move(item), true)) return Flow::GaveUp;
    end_stmt(stmt, next);
    first_pass = false;
    Flow flow = exec_block(fs["body"], 0);
    if (flow == Flow::Break) return Flow::Normal;
    if (flow == Flow::Return) return flow;
    if (flow == Flow::Yield) {  // a generator suspends: its stack keeps the iterator
      yield_stack_.push_back(iter.release());
      return flow;
    }
  }
}

// with cm as x: … for a context manager of the library (an opaque object: open(), a lock):
// BEFORE_WITH keeps its bound __exit__ (and so the manager) while the body runs; __enter__'s
// result is bound to the target; __exit__ then runs, library code given nothing of the
// program's. A manager of the program's own class runs user code: not followed.
Flow Interp::exec_with(TSNode stmt, TSNode next) {
  begin_stmt(stmt);
  std::vector<Ref> managers;
  TSNode clause{};
  for (TSNode c : kids(stmt))
    if (type_of(c) == "with_clause") clause = c;
  if (ts_node_is_null(clause)) throw GiveUp{"a with statement the model does not read"};
  for (TSNode item : kids(clause)) {
    if (type_of(item) != "with_item") throw GiveUp{"a with statement the model does not read"};
    TSNode value = field(item, "value");
    TSNode target{};
    if (type_of(value) == "as_pattern") {
      target = field(value, "alias");
      value = ts_node_named_child(value, 0);
    }
    Ref cm = eval(value);
    const Obj& m = heap_[cm.get()];
    if (m.kind != Kind::Opaque || m.runs_user_code)
      throw GiveUp{"a context manager whose __enter__/__exit__ the model does not follow"};
    check_unknown_call(Args{});
    Ref entered = opaque();  // __enter__()'s result
    if (!ts_node_is_null(target)) {
      TSNode t = type_of(target) == "as_pattern_target" ? ts_node_named_child(target, 0) : target;
      assign_target(t, std::move(entered));
    }
    managers.push_back(std::move(cm));
  }
  end_stmt(stmt, next);
  Flow flow = exec_block(field(stmt, "body"), 0);
  return flow;
}

Flow Interp::exec_try(TSNode stmt, TSNode) {
  // Without a raise the model knows of, only the body and the finally clause run.
  Flow flow = Flow::Normal;
  bool handlers = false;
  for (TSNode c : kids(stmt))
    if (type_of(c) == "except_clause" || type_of(c) == "except_group_clause") handlers = true;
  for (TSNode c : kids(stmt)) {
    auto ty = type_of(c);
    if (ty == "block") {
      // Inside handlers, a call the model does not know might raise and jump to them.
      struct Guard {
        int& n;
        bool on;
        ~Guard() { n -= on; }
      } guard{handlers_, handlers};
      handlers_ += handlers;
      flow = exec_block(c, 0);
    }
    else if (ty == "finally_clause") {
      if (flow != Flow::Normal) throw GiveUp{"finally after a jump is not modelled"};
      for (TSNode b : kids(c))
        if (type_of(b) == "block") flow = exec_block(b, 0);
    } else if (ty == "else_clause") {
      if (flow == Flow::Normal) flow = exec_block(field(c, "body"), 0);
    }
    if (flow == Flow::Return && ty == "block") break;
  }
  return flow;
}

bool Interp::exec_assignment(TSNode node) {
  // a = b = value: the value is computed once and bound to each target, left to right.
  std::vector<TSNode> targets;
  TSNode cur = node;
  while (sym(cur) == Sym::assignment) {
    FieldList& f = fields(cur);
    if (!ts_node_is_null(f["type"]) && ts_node_is_null(f["right"])) return true;  // x: int
    targets.push_back(f["left"]);
    cur = f["right"];
    if (ts_node_is_null(cur)) return true;
  }
  Ref value = eval_tuple_or_expr(cur, true);
  if (soft_give_up_) return false;
  for (size_t i = 0; i < targets.size(); ++i) {
    Ref copy = share(value.get());
    if (!assign_target(targets[i], std::move(copy), true)) return false;
  }
  return true;
}

// With `soft`, unpacking a value or storing into an object the model does not know returns
// false instead of throwing (give_up).
bool Interp::assign_target(TSNode target, Ref value, bool soft) {
  DepthGuard guard(depth_);
  Sym ty = sym(target);
  if (ty == Sym::identifier) {
    store_name(text_of(target, src_), std::move(value));
  } else if (ty == Sym::pattern_list || ty == Sym::tuple_pattern || ty == Sym::list_pattern || ty == Sym::expression_list ||
             ty == Sym::tuple || ty == Sym::list) {
    auto targets = kids(target);
    if (vague(value.get())) {
      give_up(soft, "unpacking a value the model does not know");
      return false;
    }
    Obj& v = heap_[value.get()];
    if (v.kind != Kind::Tuple && v.kind != Kind::List) throw GiveUp{"unpacking a " + v.type + " is not modelled"};
    if (v.items.size() != targets.size()) throw GiveUp{"unpacking a sequence of the wrong length (ValueError)"};
    std::vector<Ref> items;
    for (Id item : v.items) items.push_back(share(item));
    value.reset();
    for (size_t i = 0; i < targets.size(); ++i)
      if (!assign_target(targets[i], std::move(items[i]), soft)) return false;
  } else if (ty == Sym::attribute) {
    FieldList& f = fields(target);
    Ref obj = eval(f["object"]);
    set_attr(obj.get(), std::string(text_of(f["attribute"], src_)), std::move(value));
  } else if (ty == Sym::subscript) {
    FieldList& f = fields(target);
    Ref obj = eval(f["value"]);
    TSNode sub = f["subscript"];
    if (sym(sub) == Sym::slice) throw GiveUp{"slice assignment is not modelled"};
    Ref key = eval(sub);
    return set_item(obj.get(), key.get(), std::move(value), target, soft);
  } else if (ty == Sym::parenthesized_expression) {
    return assign_target(ts_node_named_child(target, 0), std::move(value), soft);
  } else {
    throw GiveUp{"assignment to `" + std::string(type_of(target)) + "` is not modelled"};
  }
  return true;
}

void Interp::note_cycle(Id holder, Id value, TSNode where) {
  if (heap_[value].constant || heap_[holder].constant) return;
  if (!reaches(value, holder)) return;
  uint32_t line = cur_line_;
  if (!foreign_ && !active_.empty()) {
    // The statement still running: after a call in it returns, cur_line_ is the callee's last
    // line (`tree.left = Node(parent=tree)` closes the cycle, not __init__'s last statement).
    const Active& running = active_.back();
    line = running.line;
    if (ts_node_is_null(where) || ts_node_start_point(where).row != line) where = running.stmt;
  }
  if (foreign_) {
    // Run by doctest: report the program's own statement that closed the cycle (a method the
    // examples call), not the testmod() call, where the reader can do nothing about it. A cycle
    // an example's own code makes is not the program's.
    TSNode stmt = active_.empty() ? TSNode{} : active_.back().stmt;
    if (ts_node_is_null(stmt) || !module_node(stmt)) return;
    line = ts_node_start_point(stmt).row;
    if (ts_node_is_null(result_.lines[line].stmt)) result_.lines[line].stmt = stmt;
    if (!module_node(where) || ts_node_start_point(where).row != line) where = stmt;
  }
  auto& ev = result_.lines[line];
  if (!ev.cycle_message.empty()) return;
  // One note per class (or per function outside classes): a linked structure closes cycles on
  // every link its methods make, and one note says it.
  TSNode scope{};
  TSNode up = ev.stmt;
  for (int depth = 0; depth < 200 && !ts_node_is_null(up); ++depth, up = ts_node_parent(up)) {
    auto ty = type_of(up);
    if (ty == "class_definition" || (ty == "function_definition" && ts_node_is_null(scope))) scope = up;
    if (ty == "class_definition") break;
  }
  if (!ts_node_is_null(scope) && !cycle_scopes_.insert(ts_node_start_byte(scope)).second) return;
  std::string what = std::string(text_of(where, src_));
  if (what.size() > 60) what = what.substr(0, 57) + "...";
  ev.cycle_message = "`" + what + "` closes a reference cycle: these objects keep each other alive, so when the last "
                     "name goes their counts stay above zero and only CPython's cyclic garbage collector frees them.";
}

bool Interp::reaches(Id from, Id to) {
  if (from != to) {  // most stores: a value that refers to nothing
    bool refers = false;
    for_each_child(heap_[from], [&](Id) { refers = true; });
    if (!refers) return false;
  }
  std::vector<Id> work{from};
  std::set<Id> seen;
  while (!work.empty() && seen.size() < 20000) {
    Id id = work.back();
    work.pop_back();
    if (id == to) return true;
    if (!seen.insert(id).second) continue;
    if (heap_[id].constant) continue;
    for_each_child(heap_[id], [&](Id child) { work.push_back(child); });
  }
  return false;
}

void Interp::set_attr(Id obj, const std::string& name, Ref value) {
  Obj& o = heap_[obj];
  if (o.kind != Kind::Instance && o.kind != Kind::Class) throw GiveUp{"setting ." + name + " on a " + o.type};
  if (o.unknown) throw GiveUp{"setting an attribute of an object the model does not know"};
  Id v = value.release();
  note_cycle(obj, v, TSNode{cur_stmt_node()});
  for (auto& [n, id] : o.attrs)
    if (n == name) {
      Id old = id;
      id = v;
      decref(old);
      return;
    }
  o.attrs.emplace_back(name, v);
}

TSNode Interp::cur_stmt_node() {
  const LineEvents* ev = std::as_const(result_.lines).find(cur_line_);
  return ev ? ev->stmt : TSNode{};
}

bool Interp::set_item(Id obj, Id key, Ref value, TSNode where, bool soft) {
  Obj& o = heap_[obj];
  if (o.unknown) {
    give_up(soft, "storing into an object the model does not know");
    return false;
  }
  if (o.kind == Kind::List) {
    int64_t i = index_of(obj, key, static_cast<int64_t>(o.items.size()));
    Id v = value.release();
    note_cycle(obj, v, where);
    Id old = heap_[obj].items[static_cast<size_t>(i)];
    heap_[obj].items[static_cast<size_t>(i)] = v;
    decref(old);
  } else if (o.kind == Kind::Dict) {
    note_cycle(obj, value.get(), where);
    dict_set(obj, share(key), std::move(value));
  } else if (o.kind == Kind::Bytearray || o.kind == Kind::Array) {
    index_of(obj, key, o.len);
    if (o.kind == Kind::Bytearray) o.has_value = false;
  } else {
    throw GiveUp{"item assignment on a " + o.type + " is not modelled"};
  }
  return true;
}

void Interp::delete_target(TSNode t) {
  DepthGuard guard(depth_);
  auto ty = type_of(t);
  if (ty == "identifier") {
    delete_name(text_of(t, src_));
  } else if (ty == "subscript") {
    Ref obj = eval(field(t, "value"));
    TSNode sub = field(t, "subscript");
    if (type_of(sub) == "slice") throw GiveUp{"del of a slice is not modelled"};
    Ref key = eval(sub);
    Obj& o = heap_[obj.get()];
    if (o.kind == Kind::List) {
      int64_t i = index_of(obj.get(), key.get(), static_cast<int64_t>(o.items.size()));
      Id old = o.items[static_cast<size_t>(i)];
      o.items.erase(o.items.begin() + i);
      list_set_cap(obj.get(), static_cast<int64_t>(o.items.size()) + 1, static_cast<int64_t>(o.items.size()));
      decref(old);
    } else if (o.kind == Kind::Dict) {
      auto i = dict_find(o, key.get());
      if (!i) throw GiveUp{"del of a missing key (KeyError)"};
      Id k = o.items[*i], v = o.values[*i];
      key_erasing(o, *i);
      o.items.erase(o.items.begin() + static_cast<long>(*i));
      o.values.erase(o.values.begin() + static_cast<long>(*i));
      decref(k);
      decref(v);
    } else {
      throw GiveUp{"del on a " + o.type + " item is not modelled"};
    }
  } else if (ty == "attribute") {
    Ref obj = eval(field(t, "object"));
    Obj& o = heap_[obj.get()];
    std::string name(text_of(field(t, "attribute"), src_));
    if (o.kind != Kind::Instance) throw GiveUp{"del of an attribute of a " + o.type};
    for (size_t i = 0; i < o.attrs.size(); ++i)
      if (o.attrs[i].first == name) {
        Id old = o.attrs[i].second;
        o.attrs.erase(o.attrs.begin() + static_cast<long>(i));
        decref(old);
        return;
      }
    throw GiveUp{"del of a missing attribute (AttributeError)"};
  } else if (ty == "expression_list" || ty == "tuple") {
    for (TSNode c : kids(t)) delete_target(c);
  } else {
    throw GiveUp{"del of `" + std::string(ty) + "`"};
  }
}

bool Interp::exec_augmented(TSNode node) {
  FieldList& fn = fields(node);
  TSNode target = fn["left"];
  std::string op(text_of(fn["operator"], src_));
  op.pop_back();  // "+=" → "+"
  Sym tk = sym(target);
  FieldList& ft = fields(target);
  if (tk != Sym::identifier && tk != Sym::attribute && tk != Sym::subscript) throw GiveUp{"augmented assignment to this target"};
  if (tk == Sym::identifier) {
    Ref current = eval(target);
    Ref rhs = eval(fn["right"], true);
    if (soft_give_up_) return false;
    Ref result = inplace_op(op, std::move(current), std::move(rhs), node);
    assign_target(target, std::move(result));
    return true;
  }
  // x.a += v and x[i] += v evaluate x (and i) once and hold them while v is computed.
  Ref obj = eval(tk == Sym::attribute ? ft["object"] : ft["value"]);
  if (tk == Sym::attribute) {
    std::string name(text_of(ft["attribute"], src_));
    Ref current = get_attr(obj.get(), name);
    Ref rhs = eval(fn["right"], true);
    if (soft_give_up_) return false;
    Ref result = inplace_op(op, std::move(current), std::move(rhs), node);
    set_attr(obj.get(), name, std::move(result));
    return true;
  }
  TSNode sub = ft["subscript"];
  if (sym(sub) == Sym::slice) throw GiveUp{"augmented assignment to a slice"};
  Ref key = eval(sub);
  Ref current = get_item(obj.get(), key.get());
  Ref rhs = eval(fn["right"], true);
  if (soft_give_up_) return false;
  Ref result = inplace_op(op, std::move(current), std::move(rhs), node);
  return set_item(obj.get(), key.get(), std::move(result), target, true);
}

Ref Interp::inplace_op(const std::string& op, Ref left, Ref right, TSNode node) {
  Obj& l = heap_[left.get()];
  if (op == "+" && l.kind == Kind::List) {
    list_extend(left.get(), right.get(), node);
    return left;
  }
  if (op == "*" && l.kind == Kind::List) throw GiveUp{"list *= is not modelled"};
  if (op == "+" && l.kind == Kind::Bytearray) {
    Obj& r = heap_[right.get()];
    if (r.kind != Kind::Bytes && r.kind != Kind::Bytearray) throw GiveUp{"bytearray += of a " + r.type};
    int64_t n = l.len + r.len;
    l.cap = bytearray_resize_alloc(l.cap, n);
    l.len = n;
    l.has_value = false;
    return left;
  }
  if (l.kind == Kind::Instance || l.kind == Kind::Set || l.kind == Kind::Dict || l.kind == Kind::Array)
    throw GiveUp{"in-place " + op + " on a " + l.type + " is not modelled"};
  return binary(op, left.get(), right.get(), node, false);
}

}  // namespace c2py::runtime_model::engine
