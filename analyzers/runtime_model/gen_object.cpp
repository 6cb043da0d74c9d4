// Generators (Objects/genobject.c): a call of a function with `yield` in its body makes a
// generator object that owns the function's frame; each next() runs the frame to its next
// `yield` and suspends it there. Generator expressions are generators too, whose frame holds
// `.0` (the iterator of the first iterable, made where the expression is) and the variables.
//
// The evaluation loop is a tree walk on the C++ stack, so a frame cannot stay suspended in it.
// It suspends by returning: the `yield` statement returns Flow::Yield, and each loop it leaves
// hands its iterator to the generator (its value stack). To resume, the walk descends again from
// the function's body to the `yield` statement (the path is the statement's ancestors), taking
// each loop's iterator back, and goes on after it. A `yield` is therefore followed only as a
// statement (`yield v`, `x = yield v`, `yield from xs`) inside `if`/`for`/`while` blocks (the
// scope analysis refuses the others, see yield_unsupported).
//
// What the counts show (measured against CPython 3.11–3.13 by the oracle): the generator holds
// its function (the frame's f_func), its frame's variables and the iterators of the loops it is
// suspended in; while it runs, its frame is a live frame like a call's; while it is suspended,
// what its frame holds is the interpreter's, not the program's (the tracer counts the same way).
// The yielded value is held by the interpreter until the consumer takes it. sys.getsizeof of a
// generator depends on the compiled frame's stack depth: unknown here.
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

namespace {

enum GenState : int64_t { kCreated = 0, kSuspended = 1, kRunning = 2, kFinished = 3, kLost = 4 };

bool is_statement_kind(std::string_view ty) {
  return ty == "for_statement" || ty == "while_statement" || ty == "if_statement" || ty == "expression_statement";
}

bool is_yield_from(TSNode yield) {
  uint32_t n = ts_node_child_count(yield);
  for (uint32_t i = 0; i < n; ++i)
    if (type_of(ts_node_child(yield, i)) == "from") return true;
  return false;
}

bool contains(TSNode outer, TSNode inner) {
  return ts_node_start_byte(outer) <= ts_node_start_byte(inner) && ts_node_end_byte(inner) <= ts_node_end_byte(outer);
}

}  // namespace

std::string Interp::yield_unsupported(TSNode yield, TSNode body) {
  TSNode stmt = ts_node_parent(yield);
  if (type_of(stmt) == "assignment") {
    if (is_yield_from(yield)) return "`x = yield from …` in a generator";
    if (!ts_node_eq(field(stmt, "right"), yield)) return "a `yield` inside an expression";
    stmt = ts_node_parent(stmt);
  }
  if (type_of(stmt) != "expression_statement" || ts_node_named_child_count(stmt) != 1)
    return "a `yield` inside an expression";
  // Up to the function's body, through the blocks of if/elif/else, for and while only.
  TSNode s = stmt;
  for (int guard = 0; guard < kMaxDepth; ++guard) {
    TSNode block = ts_node_parent(s);
    if (ts_node_is_null(block) || type_of(block) != "block") return "a `yield` the model does not resume";
    if (ts_node_eq(block, body)) return "";
    TSNode owner = ts_node_parent(block);
    auto ty = type_of(owner);
    if (ty == "elif_clause") {
      owner = ts_node_parent(owner);
    } else if (ty == "else_clause") {
      owner = ts_node_parent(owner);
      if (type_of(owner) != "if_statement") return "a `yield` in a loop's else";
    } else if (ty == "for_statement" || ty == "while_statement") {
      if (!ts_node_eq(field(owner, "body"), block)) return "a `yield` in a loop's else";
    } else if (ty != "if_statement") {
      return "a `yield` inside a " + std::string(ty) + " (not resumed by the model)";
    }
    s = owner;
  }
  return "a `yield` nested deeper than the model follows";
}

Ref Interp::make_generator(Id fn, std::unique_ptr<Frame> frame) {
  Obj g;
  g.kind = Kind::Generator;
  g.type = "generator";
  g.size_unknown = true;  // the frame's size comes from the compiler's stack depth
  g.def = heap_[fn].def;
  g.name = heap_[fn].name;
  g.attrs = std::move(frame->vars);  // the frame's references move into the generator
  incref(fn);
  g.target = fn;
  g.index = kCreated;
  g.range_start = static_cast<int64_t>(frame->serial);
  return fresh(std::move(g));
}

Ref Interp::make_genexpr(TSNode node, bool soft) {
  std::vector<TSNode> clauses;
  for (TSNode c : kids(node)) {
    auto ct = type_of(c);
    if (ct == "for_in_clause" || ct == "if_clause") clauses.push_back(c);
  }
  if (clauses.empty() || type_of(clauses[0]) != "for_in_clause") throw GiveUp{"a generator expression"};
  // The first iterable is evaluated and iterated here; the rest inside, lazily.
  Ref iter;
  {
    Ref seq = eval(field(clauses[0], "right"));
    iter = make_iter(seq.get(), soft);
    if (soft_give_up_) return {};
  }
  Obj g;
  g.kind = Kind::Generator;
  g.type = "generator";
  g.size_unknown = true;
  g.def = node;
  g.name = "<genexpr>";
  g.attrs.emplace_back(".0", iter.release());
  g.index = kCreated;
  g.range_step = static_cast<int64_t>(frame().serial);  // names resolve in the frame that made it
  g.cap = static_cast<int64_t>(frame().comp.size());
  return fresh(std::move(g));
}

Ref Interp::gen_next(Id gen) {
  {
    const Obj& g = heap_[gen];
    if (g.index == kFinished) return {};
    if (g.index == kRunning) throw GiveUp{"a generator that is already running (ValueError)"};
    if (g.index == kLost || g.unknown) throw GiveUp{"a generator the model lost track of"};
  }
  if (type_of(heap_[gen].def) == "generator_expression") return genexpr_next(gen);
  if (frames_.size() >= static_cast<size_t>(kMaxFrames)) throw GiveUp{"recursion deeper than the model follows"};
  Obj& g = heap_[gen];
  TSNode def = g.def;
  const ScopeInfo& info = scope_of(def);
  auto fr = std::make_unique<Frame>();
  fr->serial = static_cast<uint64_t>(g.range_start);
  fr->scope = &info;
  fr->func = g.target;
  fr->vars = std::move(g.attrs);
  g.attrs.clear();
  for (size_t i = 0; i < fr->vars.size(); ++i) fr->index.emplace(fr->vars[i].first, i);
  fr->last_line = static_cast<uint32_t>(g.ival);
  std::vector<Id> stack = std::move(g.items);
  g.items.clear();
  bool created = g.index == kCreated;
  uint32_t resume_at = static_cast<uint32_t>(g.len);
  g.index = kRunning;
  frames_.push_back(std::move(fr));
  size_t mark = yield_stack_.size();
  // A give-up (or the end of the run) inside: the frame is lost with what it held.
  struct Lost {
    Interp* in;
    Id gen;
    std::vector<Id>& stack;
    bool armed = true;
    ~Lost() {
      if (!armed || in->stopping_) return;
      std::unique_ptr<Frame> dead = std::move(in->frames_.back());
      in->frames_.pop_back();
      Obj& o = in->heap_[gen];
      o.index = kLost;
      for (auto& [n, id] : dead->vars) in->taint(id);
      for (Id id : stack) in->taint(id);
      in->taint(gen);
    }
  } lost{this, gen, stack};
  Flow flow = created ? exec_block(field(def, "body"), 0) : gen_resume(field(def, "body"), resume_at, stack);
  if (flow == Flow::Break || flow == Flow::Continue) throw GiveUp{"break outside a loop"};
  lost.armed = false;
  std::unique_ptr<Frame> dead = std::move(frames_.back());
  frames_.pop_back();
  Obj& s = heap_[gen];
  if (flow == Flow::Yield) {
    s.attrs = std::move(dead->vars);
    // The loops pushed their iterators innermost first: the stack is outermost first.
    s.items.assign(yield_stack_.rbegin(), yield_stack_.rend() - static_cast<std::ptrdiff_t>(mark));
    yield_stack_.resize(mark);
    s.index = kSuspended;
    s.len = yield_at_;
    s.ival = dead->last_line;
    Id v = yielded_;
    yielded_ = 0;
    return Ref(this, v);
  }
  // Returned: the frame is cleared as a call's is (locals in order), then its function.
  s.index = kFinished;
  return_attr_ = std::make_pair(dead->last_line, dead->last_first);
  return_serial_ = dead->serial;
  for (auto& [n, id] : dead->vars) decref(id);
  dead->vars.clear();
  return_attr_.reset();
  Id fn = heap_[gen].target;
  heap_[gen].target = 0;
  decref(fn);
  return {};
}

Flow Interp::gen_resume(TSNode body, uint32_t at, std::vector<Id>& stack) {
  // The statements from the body down to the `yield` statement.
  TSNode n = ts_node_descendant_for_byte_range(body, at, at);
  while (!ts_node_is_null(n) && !(type_of(n) == "expression_statement" && ts_node_start_byte(n) == at))
    n = ts_node_parent(n);
  if (ts_node_is_null(n)) throw GiveUp{"a generator the model cannot resume"};
  std::vector<TSNode> chain{n};
  for (int guard = 0; guard < kMaxDepth; ++guard) {
    TSNode p = ts_node_parent(chain.back());
    while (!ts_node_is_null(p) && !ts_node_eq(p, body) && !is_statement_kind(type_of(p))) p = ts_node_parent(p);
    if (ts_node_is_null(p) || ts_node_eq(p, body)) break;
    chain.push_back(p);
  }
  std::reverse(chain.begin(), chain.end());
  size_t pos = 0;
  Flow flow = resume_level(body, chain, 0, stack, pos);
  return flow;
}

Flow Interp::resume_level(TSNode block, const std::vector<TSNode>& chain, size_t k, std::vector<Id>& stack, size_t& pos) {
  DepthGuard guard(depth_);
  const std::vector<TSNode>& stmts = block_statements(block);  // as exec_block runs them
  size_t i = 0;
  while (i < stmts.size() && !ts_node_eq(stmts[i], chain[k])) ++i;
  if (i == stmts.size()) throw GiveUp{"a generator the model cannot resume"};
  TSNode stmt = chain[k];
  TSNode next = i + 1 < stmts.size() ? stmts[i + 1] : TSNode{};
  Flow flow = Flow::Normal;
  auto ty = type_of(stmt);
  auto take = [&]() {
    if (pos >= stack.size()) throw GiveUp{"a generator the model cannot resume"};
    Id id = stack[pos];
    stack[pos++] = 0;
    return Ref(this, id);
  };
  if (k + 1 == chain.size()) {
    // The `yield` statement: what follows the suspension.
    TSNode e = ts_node_named_child(stmt, 0);
    if (type_of(e) == "assignment") {
      assign_target(field(e, "left"), make_none());  // next() sends None
    } else if (is_yield_from(e)) {
      Ref sub = take();
      flow = yield_from(stmt, std::move(sub));
    }
  } else if (ty == "for_statement") {
    Ref iter = take();
    flow = resume_level(field(stmt, "body"), chain, k + 1, stack, pos);
    if (flow == Flow::Yield) {
      yield_stack_.push_back(iter.release());
      return flow;
    }
    if (flow == Flow::Break) flow = Flow::Normal;
    else if (flow != Flow::Return) flow = for_loop(stmt, next, std::move(iter), false);
    if (flow == Flow::GaveUp) throw_soft();  // a statement stepped over is the consumer's
  } else if (ty == "while_statement") {
    flow = resume_level(field(stmt, "body"), chain, k + 1, stack, pos);
    if (flow == Flow::Break) flow = Flow::Normal;
    else if (flow == Flow::Normal || flow == Flow::Continue) flow = exec_while(stmt, next);
    if (flow == Flow::GaveUp) throw_soft();
  } else if (ty == "if_statement") {
    TSNode inner = chain[k + 1];
    TSNode blk = field(stmt, "consequence");
    if (!contains(blk, inner)) {
      blk = TSNode{};
      for (TSNode alt : kids(stmt)) {
        auto at = type_of(alt);
        TSNode b = at == "elif_clause" ? field(alt, "consequence") : at == "else_clause" ? field(alt, "body") : TSNode{};
        if (!ts_node_is_null(b) && contains(b, inner)) blk = b;
      }
      if (ts_node_is_null(blk)) throw GiveUp{"a generator the model cannot resume"};
    }
    flow = resume_level(blk, chain, k + 1, stack, pos);
  } else {
    throw GiveUp{"a generator the model cannot resume"};
  }
  if (flow != Flow::Normal) return flow;
  return i + 1 < stmts.size() ? exec_block(block, static_cast<int>(i + 1)) : Flow::Normal;
}

Flow Interp::exec_yield(TSNode stmt, TSNode yield) {
  if (!frame().scope || !frame().scope->generator) throw GiveUp{"`yield` outside a generator"};
  TSNode operand = ts_node_named_child(yield, 0);
  if (is_yield_from(yield)) {
    Ref sub;
    {
      Ref src = eval(operand);
      sub = make_iter(src.get());  // GET_YIELD_FROM_ITER: a generator is its own iterator
    }
    return yield_from(stmt, std::move(sub));
  }
  Ref value = ts_node_is_null(operand) ? make_none() : eval_tuple_or_expr(operand);
  yielded_ = value.release();
  yield_at_ = ts_node_start_byte(stmt);
  return Flow::Yield;
}

Flow Interp::yield_from(TSNode stmt, Ref sub) {
  Ref item = iter_next(sub.get());
  if (!item) return Flow::Normal;  // exhausted: the statement is done, the iterator released
  yielded_ = item.release();
  yield_at_ = ts_node_start_byte(stmt);
  yield_stack_.push_back(sub.release());
  return Flow::Yield;
}

Ref Interp::genexpr_next(Id gen) {
  TSNode node = heap_[gen].def;
  if (frame().serial != static_cast<uint64_t>(heap_[gen].range_step) ||
      frame().comp.size() != static_cast<size_t>(heap_[gen].cap))
    throw GiveUp{"a generator expression run away from where it was made"};
  std::vector<TSNode> clauses, fors;
  for (TSNode c : kids(node)) {
    auto ct = type_of(c);
    if (ct == "for_in_clause" || ct == "if_clause") clauses.push_back(c);
  }
  std::vector<size_t> for_at;
  for (size_t i = 0; i < clauses.size(); ++i)
    if (type_of(clauses[i]) == "for_in_clause") for_at.push_back(i);
  // Its variables are a comprehension scope of the frame while it runs.
  Obj& g = heap_[gen];
  bool created = g.index == kCreated;
  g.index = kRunning;
  frame().comp.push_back(std::move(g.attrs));
  g.attrs.clear();
  std::vector<Id> stack = std::move(g.items);  // the iterators of the inner for clauses
  g.items.clear();
  struct Lost {
    Interp* in;
    Id gen;
    std::vector<Id>& stack;
    bool armed = true;
    ~Lost() {
      if (!armed || in->stopping_) return;
      auto& comp = in->frame().comp;
      if (!comp.empty()) {
        for (auto& [n, id] : comp.back()) in->taint(id);
        comp.pop_back();
      }
      for (Id id : stack) in->taint(id);
      in->heap_[gen].index = kLost;
      in->taint(gen);
    }
  } lost{this, gen, stack};
  size_t level = created ? 0 : stack.size();
  Ref result;
  while (true) {
    step(node);
    Id it = 0;
    if (level == 0) {
      if (Id* s = find_var(frame().comp.back(), ".0")) it = *s;
    } else {
      it = stack[level - 1];
    }
    if (!it) throw GiveUp{"a generator expression the model lost"};
    Ref item = iter_next(it);
    if (!item) {
      if (level == 0) break;
      Id done = stack.back();
      stack.pop_back();
      decref(done);
      --level;
      continue;
    }
    comp_assign(field(clauses[for_at[level]], "left"), std::move(item));
    bool pass = true;
    for (size_t c = for_at[level] + 1; pass && c < clauses.size() && type_of(clauses[c]) == "if_clause"; ++c) {
      Ref cond = eval(ts_node_named_child(clauses[c], 0));
      pass = truth(cond.get());
    }
    if (!pass) continue;
    if (level + 1 < for_at.size()) {
      Ref inner;
      {
        Ref seq = eval(field(clauses[for_at[level + 1]], "right"));
        inner = make_iter(seq.get());
      }
      stack.push_back(inner.release());
      ++level;
      continue;
    }
    result = eval(field(node, "body"));
    break;
  }
  lost.armed = false;
  auto vars = std::move(frame().comp.back());
  frame().comp.pop_back();
  Obj& s = heap_[gen];
  if (result) {
    s.attrs = std::move(vars);
    s.items = std::move(stack);
    s.index = kSuspended;
    return result;
  }
  s.index = kFinished;
  for (auto& [n, id] : vars) decref(id);
  return {};
}

}  // namespace c2py::runtime_model::engine

namespace c2py::runtime_model::engine {

Ref Interp::iterator_list(Id src) {
  Ref list = make_list({}, 0);
  extend_from_iterator(list.get(), src, true);
  return list;
}

Ref Interp::iterator_tuple(Id src) {
  // PySequence_Tuple: the iterator first, then the length hint (a user __len__ runs once); the
  // tuple is cut to size at the end.
  Ref it = make_iter(src);
  if (heap_[src].kind == Kind::Instance && heap_[src].cls) {
    if (class_lookup(heap_[src].cls, "__length_hint__")) throw GiveUp{"tuple() of a " + heap_[src].type + " runs its __length_hint__"};
    if (Id len = class_lookup(heap_[src].cls, "__len__")) user_len(src, len);
  }
  std::vector<Ref> items;
  while (Ref item = iter_next(it.get())) items.push_back(std::move(item));
  return make_tuple(std::move(items));
}

void Interp::extend_from_iterator(Id list, Id src, bool list_init) {
  Obj& s = heap_[src];
  int64_t hint = 8;  // PyObject_LengthHint's default: generators and instances have no hint
  Id len_method = 0;
  if (s.kind == Kind::Instance) {
    Id cls = s.cls;
    if (cls && class_lookup(cls, "__length_hint__")) throw GiveUp{"list() of a " + s.type + " runs its __length_hint__"};
    len_method = cls ? class_lookup(cls, "__len__") : 0;
  } else if (s.kind == Kind::Iterator) {
    if (s.type == "list_iterator" || s.type == "tuple_iterator")
      hint = s.target ? static_cast<int64_t>(heap_[s.target].items.size()) - s.index : 0;
    else if (s.type != "enumerate" && s.type != "zip" && s.type != "islice")
      throw GiveUp{"list() of a " + s.type + " is not modelled"};
    if (hint < 0) hint = 0;
  }
  (void)list_init;
  // The iterator first, then the length hint (a user __len__ runs then, once: measured); an
  // empty list is preallocated exactly to it, another grows by list_resize.
  Ref it = make_iter(src);
  if (len_method) hint = user_len(src, len_method);
  int64_t m = static_cast<int64_t>(heap_[list].items.size());
  if (m == 0 && heap_[list].cap == 0) {
    if (hint > 0) {
      heap_[list].cap = list_exact_cap(hint);
      note_cap(0, heap_[list].cap);
    }
  } else if (heap_[list].cap < m + hint) {
    list_set_cap(list, m, m + hint);
  }
  while (Ref item = iter_next(it.get())) {
    Obj& l = heap_[list];
    if (static_cast<int64_t>(l.items.size()) < l.cap) {
      l.items.push_back(item.release());
    } else {
      list_append(list, std::move(item));
    }
  }
  Obj& l = heap_[list];
  int64_t n = static_cast<int64_t>(l.items.size());
  if (n < l.cap) list_set_cap(list, n, n);  // cut back to what came
}

int64_t Interp::user_len(Id obj, Id method) {
  Ref hold = share(method);  // slot_sq_length holds the method while it runs
  Args args;
  args.positional.push_back(share(obj));
  Ref r = call_function(method, std::move(args), cur_stmt_node());
  const Obj& o = heap_[r.get()];
  if (o.kind != Kind::Int || !o.has_value) throw GiveUp{"__len__ returned a value the model does not know"};
  if (o.ival < 0) throw GiveUp{"__len__ returned a negative int (ValueError)"};
  return o.ival;
}

Ref Interp::reduce_iterator(const std::string& name, Id src) {
  Ref it = make_iter(src);
  wide_t acc = 0, best_value = 0;
  Ref best;
  while (Ref item = iter_next(it.get())) {
    std::optional<wide_t> v = int_value(item.get());
    if (!v) throw GiveUp{name + "() over values the model does not know"};
    if (name == "sum") {
      if (__builtin_add_overflow(acc, *v, &acc)) throw GiveUp{"an int beyond 128 bits"};
    } else if (!best || (name == "min" ? *v < best_value : *v > best_value)) {
      best = std::move(item);
      best_value = *v;
    }
  }
  if (name == "sum") return make_wide(acc);
  if (!best) throw GiveUp{name + "() of an empty sequence (ValueError)"};
  return best;
}

}  // namespace c2py::runtime_model::engine
