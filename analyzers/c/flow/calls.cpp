// Calls: libc models, the file's function summaries, unknown callees; this function's summary (analyzer.hpp).
#include "c/flow/analyzer.hpp"

#include <array>

namespace c2py::analysis::c::flow::detail {

void FunctionAnalyzer::do_free(State& s, const MaybeValue& v, TSNode call, TSNode arg, bool wrapper) {
  if (!v) {
    // A pointer the analysis did not follow (loaded from a list, say): from now on it is
    // known to point to freed memory, which is all later uses need.
    TSNode a = strip(arg);
    if (kind_of(a) == NK::Identifier && local_node(a)) {
      int32_t var = name_of(a);
      int32_t o = new_obj(s, OS::Freed, TSNode{}, var);
      s.objs[static_cast<size_t>(o)].freed_at = at_index(call);
      set_var(s, var, Value{VK::Obj, o});
    }
    return;
  }
  switch (v->kind) {
    case VK::Null:
    case VK::Int: return;
    case VK::Literal: report_non_heap(call, arg, "literal", "", nullptr); return;
    case VK::Stack: {
      const std::string& array = name(v->ref);
      if (array == kAllocaBlock) report_non_heap(call, arg, "alloca", "", nullptr);
      else if (static_arrays_.count(array)) report_non_heap(call, arg, "static", array, nullptr);
      else if (locals_.count(array) && locals_[array].array) report_non_heap(call, arg, "array", array, nullptr);
      else report_non_heap(call, arg, "local", array, nullptr);
      return;
    }
    case VK::Interior: {
      Obj& o = s.objs[static_cast<size_t>(v->ref)];
      if (o.st == OS::Freed) return;
      if (o.st == OS::Param) {
        // Stepped forward from a parameter: past the start of whatever the caller passed.
        if (o.name >= 0) report_non_heap(call, arg, "param", name(o.name), nullptr);
        else report_non_heap(call, arg, "param_unnamed", "", nullptr);
        o.st = OS::Escaped;
        return;
      }
      if (o.st == OS::Escaped) return;  // not known to be the block's start
      report_non_heap(call, arg, "interior", "", &o);
      o.st = OS::Escaped;  // what happens to the block now is anyone's guess: no further findings
      return;
    }
    case VK::Obj: break;
  }
  Obj& o = s.objs[static_cast<size_t>(v->ref)];
  if (o.st == OS::Freed) {
    report_double_free(s, v->ref, call, arg);
    return;
  }
  if (wrapper) {
    // The wrapper may free the members too: stop following them.
    std::vector<Value> children;
    for (const auto& f : s.fields)
      if (f.obj == v->ref) children.push_back(f.v);
    for (const auto& c : children) escape(s, c);
  }
  if (o.param >= 0) s.fates[static_cast<size_t>(o.param)] = Fate::Freed;
  if (o.alloc_at >= 0) handled_allocs_.insert(o.alloc_byte);
  o.st = OS::Freed;
  o.freed_at = at_index(call);
  o.by_realloc_free = false;
}

namespace {

// The constant that the statement right before the one holding `call`, in the same block, assigns
// to `global` (`badStatic = 1; badSink(data);`), if it does.
std::optional<long long> assigned_just_before(TSNode call, const std::string& global, std::string_view src) {
  TSNode statement = call;
  for (int guard = 0; guard < 4 && !is_null(statement) && kind_of(statement) != NK::ExpressionStatement; ++guard)
    statement = ts_node_parent(statement);
  if (kind_of(statement) != NK::ExpressionStatement) return std::nullopt;
  TSNode previous = ts_node_prev_named_sibling(statement);
  while (!is_null(previous) && kind_of(previous) == NK::Comment) previous = ts_node_prev_named_sibling(previous);
  if (kind_of(previous) != NK::ExpressionStatement) return std::nullopt;
  TSNode assignment = strip(ts_node_named_child(previous, 0));
  if (kind_of(assignment) != NK::Assign || text_of(field(assignment, F::op), src) != "=") return std::nullopt;
  TSNode left = strip(field(assignment, F::left));
  if (kind_of(left) != NK::Identifier || text_of(left, src) != global) return std::nullopt;
  return c::constant_value(field(assignment, F::right), src);
}

}  // namespace

const FunctionAnalyzer::CallInfo& FunctionAnalyzer::call_info(TSNode call) {
  int32_t& known = by_node(node_calls_, nodes_.index(call));
  if (known >= 0) return calls_[static_cast<size_t>(known)];
  CallInfo info;
  info.callee = std::string(call_name(call));
  if (auto alias = aliases_.find(info.callee); alias != aliases_.end()) info.callee = alias->second;
  depend(info.callee, Dep::Macro);
  if (auto macro = scope_.function_macros.find(info.callee); macro != scope_.function_macros.end())
    info.callee = macro->second;
  const std::string& callee = info.callee;
  depend(callee, Dep::Summary | Dep::Defined);
  auto summary = callee.empty() ? summaries_.end() : summaries_.find(callee);
  if (summary != summaries_.end()) info.summary = &summary->second;
  info.file_function = !callee.empty() && defined_.count(callee);
  if (info.file_function) callees_.insert(callee);
  info.kind = info.file_function || callee.empty() ? CallKind::Unknown : call_kind(callee);
  if (info.kind == CallKind::Borrows) {
    info.derefs = dereferences_arguments(callee);
    info.returns_first = returns_first_argument(callee);
  }
  calls_.push_back(std::move(info));
  by_node(node_calls_, nodes_.index(call)) = static_cast<int32_t>(calls_.size()) - 1;
  return calls_.back();
}

MaybeValue FunctionAnalyzer::eval_call(State& s, TSNode call, int depth) {
  const CallInfo& info = call_info(call);
  const std::string& callee = info.callee;
  const auto& args = children(field(call, F::arguments));
  bool file_function = info.file_function;
  if (info.summary) {
    const Summary& sum = *info.summary;
    const std::vector<ParamEffect>* params = &sum.params;
    if (!sum.guard.empty() && !is_local(sum.guard))
      if (auto flag = assigned_just_before(call, sum.guard, src_)) params = *flag ? &sum.params_if_true : &sum.params_if_false;
    // The arguments' values, without a heap allocation for the usual handful.
    std::array<MaybeValue, 8> few;
    std::vector<MaybeValue> many(args.size() > few.size() ? args.size() : 0);
    MaybeValue* values = args.size() > few.size() ? many.data() : few.data();
    for (size_t i = 0; i < args.size(); ++i) values[i] = eval(s, args[i], depth + 1);
    for (size_t i = 0; i < args.size(); ++i) {
      ParamEffect effect = i < params->size() ? (*params)[i] : ParamEffect::Unknown;
      // The callee reads through this argument before testing it: a NULL or freed block here
      // is used there.
      if (i < sum.derefs.size() && sum.derefs[i]) {
        if (Obj* o = obj_of(s, values[i]); o && values[i]->kind == VK::Obj && o->st == OS::Freed)
          report_use_after_free(s, values[i]->ref, call, "reads", callee);
        else
          check_deref(s, values[i], call);
      }
      if (effect == ParamEffect::Frees) do_free(s, values[i], call, args[i], true);
      else if (effect == ParamEffect::Borrows) borrowed_argument(s, args[i], values[i], call, callee, !file_function);
      else unknown_argument(s, args[i], values[i], call, callee);
    }
    if (file_function) apply_global_effects(s, sum, call, callee);
    else escape_globals(s);  // a prototype's function: unknown code
    if (!file_function || sum.calls_unknown) calls_unknown_ = true;
    drop_volatile_facts(s);
    if (sum.noreturn) {
      s.dead = true;
      return std::nullopt;
    }
    if (sum.allocator) {
      int32_t o = new_obj(s, sum.may_return_null ? OS::MaybeNull : OS::NonNull, call, -1);
      s.objs[static_cast<size_t>(o)].wrapper = true;
      return Value{VK::Obj, o};
    }
    if (sum.returns_param && static_cast<size_t>(*sum.returns_param) < args.size() &&
        values[static_cast<size_t>(*sum.returns_param)])
      return values[static_cast<size_t>(*sum.returns_param)];
    if (sum.returns_freed) {
      int32_t o = new_obj(s, OS::Freed, call, -1);
      s.objs[static_cast<size_t>(o)].freed_at = at_index(call);
      return Value{VK::Obj, o};
    }
    if (sum.constant && *sum.constant > -1000000 && *sum.constant < 1000000)
      return *sum.constant == 0 ? Value{VK::Null, -1} : Value{VK::Int, static_cast<int32_t>(*sum.constant)};
    return std::nullopt;
  }
  CallKind kind = info.kind;
  switch (kind) {
    case CallKind::Allocator:
    case CallKind::AllocatorNonNull: {
      for (TSNode a : args) eval(s, a, depth + 1);
      return Value{VK::Obj, new_obj(s, kind == CallKind::Allocator ? OS::MaybeNull : OS::NonNull, call, -1)};
    }
    case CallKind::Realloc: {
      if (args.empty()) return std::nullopt;
      MaybeValue old = eval(s, args[0], depth + 1);
      for (size_t i = 1; i < args.size(); ++i) eval(s, args[i], depth + 1);
      int32_t fresh = new_obj(s, OS::MaybeNull, call, -1);
      Obj* o = obj_of(s, old);
      if (o && old->kind == VK::Obj) {
        if (o->st == OS::Freed) {
          report_use_after_free(s, old->ref, call, "passed", callee);
          return Value{VK::Obj, fresh};
        }
        if (o->param >= 0) s.fates[static_cast<size_t>(o->param)] = Fate::Escaped;
        Obj& r = s.objs[static_cast<size_t>(fresh)];
        r.realloc_src = old->ref;
        r.realloc_prev = o->st == OS::MaybeNull ? OS::NonNull : o->st;
        if (o->alloc_at >= 0) handled_allocs_.insert(o->alloc_byte);
        o->st = OS::Freed;
        o->freed_at = at_index(call);
        o->by_realloc_free = true;
      } else {
        escape(s, old);
      }
      return Value{VK::Obj, fresh};
    }
    case CallKind::OutAllocator:
    case CallKind::Getline: {
      for (size_t i = 1; i < args.size(); ++i) check_pass(s, eval(s, args[i], depth + 1), call, callee);
      if (args.empty()) return std::nullopt;
      TSNode a = strip(args[0]);
      if (kind_of(a) == NK::PointerExpr && text(field(a, F::op)) == "&") {
        Loc loc = resolve(s, field(a, F::argument), depth + 1);
        MaybeValue old = load(s, loc);
        if (kind == CallKind::OutAllocator || (old && old->kind == VK::Null)) {
          store(s, loc, Value{VK::Obj, new_obj(s, OS::NonNull, call, -1)});
        } else if (!(old && old->kind == VK::Obj)) {
          store(s, loc, std::nullopt);
        }
      } else {
        escape(s, eval(s, args[0], depth + 1));
      }
      return std::nullopt;
    }
    case CallKind::StackAllocator:
      for (TSNode a : args) eval(s, a, depth + 1);
      return Value{VK::Stack, intern(kAllocaBlock)};
    case CallKind::Free: {
      if (args.size() != 1) return std::nullopt;
      MaybeValue v = eval(s, args[0], depth + 1);
      do_free(s, v, call, args[0], false);
      return std::nullopt;
    }
    case CallKind::NoReturn:
      for (TSNode a : args) eval(s, a, depth + 1);
      s.dead = true;
      return std::nullopt;
    case CallKind::Assert: {
      if (args.size() != 1) return std::nullopt;
      auto states = assume(std::move(s), args[0], true, depth + 1);
      if (states.empty()) {
        s = State{};
        s.dead = true;
      } else {
        s = std::move(states.front());  // assert conditions rarely split further
      }
      return std::nullopt;
    }
    case CallKind::Borrows: {
      bool derefs = info.derefs;
      MaybeValue first;
      for (TSNode a : args) {
        MaybeValue v = eval(s, a, depth + 1);
        if (!first) first = v;
        if (derefs) check_deref(s, v, call);
        else check_pass(s, v, call, callee);
        // `memcpy(&dst, &p, sizeof p)` copies the pointer itself somewhere: it escapes.
        TSNode stripped = strip(a);
        if (kind_of(stripped) == NK::PointerExpr && text(field(stripped, F::op)) == "&") {
          TSNode target = strip(field(stripped, F::argument));
          if (kind_of(target) == NK::Identifier && local_node(target)) {
            escape(s, get_var(s, name_of(target)));
            escape_members(s, text_of(target, src_));
          }
        }
      }
      // memcpy, strcpy and the like return their destination.
      if (info.returns_first && first && (first->kind == VK::Obj || first->kind == VK::Interior))
        return first;
      return std::nullopt;
    }
    case CallKind::Unknown: {
      if (callee.empty()) eval(s, field(call, F::function), depth + 1);
      for (TSNode a : args) unknown_argument(s, a, eval(s, a, depth + 1), call, callee);
      escape_globals(s);
      calls_unknown_ = true;
      drop_volatile_facts(s);
      return std::nullopt;
    }
  }
  return std::nullopt;
}

void FunctionAnalyzer::borrowed_argument(State& s, TSNode arg, const MaybeValue& v, TSNode call, std::string_view callee,
                                         bool reads) {
  if (reads) check_pass(s, v, call, callee);
  TSNode a = strip(arg);
  if (kind_of(a) == NK::PointerExpr && text(field(a, F::op)) == "&") a = strip(field(a, F::argument));
  if (kind_of(a) == NK::Identifier && local_node(a)) escape_members(s, text_of(a, src_));
  if (v && v->kind == VK::Stack) escape_members(s, name(v->ref));
  if (v && (v->kind == VK::Obj || v->kind == VK::Interior)) {
    std::vector<Value> children;
    for (const auto& f : s.fields)
      if (f.obj == v->ref) children.push_back(f.v);
    for (const auto& c : children) escape(s, c);
  }
}

void FunctionAnalyzer::unknown_argument(State& s, TSNode arg, const MaybeValue& v, TSNode call, std::string_view callee) {
  (void)call;
  (void)callee;
  TSNode a = strip(arg);
  if (kind_of(a) == NK::PointerExpr && text(field(a, F::op)) == "&") {
    TSNode target = strip(field(a, F::argument));
    if (kind_of(target) == NK::Identifier && local_node(target)) {
      int32_t id = name_of(target);
      escape(s, get_var(s, id));
      escape_members(s, text_of(target, src_));
      set_var(s, id, std::nullopt);
      return;
    }
  }
  if (kind_of(a) == NK::Identifier && local_node(a)) escape_members(s, text_of(a, src_));
  if (v && v->kind == VK::Stack) {
    // A local array or &var given away: whatever pointers it holds go with it.
    escape_members(s, name(v->ref));
    // Its elements `a[...]` (escape changes no variable: no copy of them to walk).
    const std::string& array = name(v->ref);
    for (const auto& [id, val] : s.vars) {
      const std::string& n = name(id);
      if (n.size() > array.size() && n[array.size()] == '[' && n.compare(0, array.size(), array) == 0) escape(s, val);
    }
  }
  escape(s, v);
}

std::optional<bool> FunctionAnalyzer::out_alloc_test(State& s, TSNode cond, bool truth, int depth) {
  // Whether the left side is a call of an out-allocator: once per condition node.
  int32_t& shape = by_node(node_out_alloc_, nodes_.index(cond));
  if (shape == 0) return std::nullopt;
  TSNode left = strip(field(cond, F::left));
  if (shape == -2) {
    bool call = kind_of(left) == NK::Call && call_kind(callee_name(left, src_)) == CallKind::OutAllocator;
    if (call) {
      depend(callee_name(left, src_), Dep::Summary);
      call = !summaries_.count(std::string(callee_name(left, src_)));
    }
    by_node(node_out_alloc_, nodes_.index(cond)) = call ? 1 : 0;
    if (!call) return std::nullopt;
  }
  auto op = text(field(cond, F::op));
  auto k = constant(field(cond, F::right));
  if (!k) return std::nullopt;
  auto holds = [&](long long r) {
    if (op == "<") return r < *k;
    if (op == "<=") return r <= *k;
    if (op == ">") return r > *k;
    if (op == ">=") return r >= *k;
    if (op == "==") return r == *k;
    if (op == "!=") return r != *k;
    return true;
  };
  bool failure = holds(-1) == truth;
  bool success = holds(0) == truth || holds(1 << 20) == truth;
  eval(s, left, depth + 1);
  if (s.dead) return false;
  if (failure && !success) {
    const auto& args = children(field(left, F::arguments));
    TSNode a = args.empty() ? TSNode{} : strip(args[0]);
    if (kind_of(a) == NK::PointerExpr) {
      Loc loc = resolve(s, field(a, F::argument), depth + 1);
      if (Obj* o = obj_of(s, load(s, loc))) o->st = OS::Escaped;
      store(s, loc, std::nullopt);
    }
  }
  return true;
}

void FunctionAnalyzer::note_return(State& s, const MaybeValue& v) {
  long long k = v && v->kind == VK::Int ? v->ref : 0;
  if (v && (v->kind == VK::Int || v->kind == VK::Null) && !ret_varied_ && (!ret_constant_ || *ret_constant_ == k))
    ret_constant_ = k;
  else
    ret_varied_ = true;
  Obj* o = obj_of(s, v);
  if (o && v->kind == VK::Obj && o->param >= 0 && o->st != OS::Freed && (ret_param_ < 0 || ret_param_ == o->param))
    ret_param_ = o->param;
  else
    ret_not_param_ = true;
  if (v && v->kind == VK::Null) {
    ret_null_ = true;
  } else if (o && v->kind == VK::Obj && o->param < 0 && (o->st == OS::MaybeNull || o->st == OS::NonNull)) {
    ret_fresh_ = true;
    if (o->st == OS::MaybeNull) ret_null_ = true;
  } else if (o && v->kind == VK::Obj && o->param < 0 && o->st == OS::Freed && !is_null(alloc_of(*o))) {
    ret_freed_ = true;  // a block it allocated and freed: the caller gets a dangling pointer
  } else {
    ret_other_ = true;
  }
}

void FunctionAnalyzer::apply_global_effects(State& s, const Summary& sum, TSNode call, const std::string& callee) {
  for (const auto& [index, var] : globals_) {
    const std::string& g = name(var);
    MaybeValue v = get_var(s, var);
    if (!sum.global_derefs.count(g)) continue;
    if (Obj* o = obj_of(s, v); o && v->kind == VK::Obj && o->st == OS::Freed)
      report_use_after_free(s, v->ref, call, "global", callee, g);
    else
      check_deref(s, v, call);
  }
  for (const auto& [index, var] : globals_) {
    const std::string& g = name(var);
    MaybeValue v = get_var(s, var);
    auto effect = sum.globals.find(g);
    if (effect == sum.globals.end() || effect->second == ParamEffect::Borrows) continue;
    if (effect->second == ParamEffect::Frees) {
      free_label_ = g;
      do_free(s, v, call, call, true);
      free_label_.clear();
    } else {
      escape(s, v);  // kept, or the global reassigned: no longer followed
      set_var(s, var, std::nullopt);
    }
  }
  // What it did to the blocks the globals held on entry is above; unknown code it called may
  // also have given the globals new values.
  if (sum.calls_unknown) escape_globals(s);
}

Summary FunctionAnalyzer::make_summary() const {
  Summary sum;
  sum.allocator = ret_fresh_ && !ret_other_ && !ret_freed_ && !returns_void_end_;
  // NULL on some paths (`if (!s) return NULL;`) does not make the others any less dangling.
  sum.returns_freed = ret_freed_ && !ret_fresh_ && !ret_other_ && !returns_void_end_;
  sum.may_return_null = ret_null_;
  sum.noreturn = exits_ == 0;
  if (!ret_varied_ && !returns_void_end_ && exits_ > 0) sum.constant = ret_constant_;
  if (ret_param_ >= 0 && !ret_not_param_ && !returns_void_end_ && exits_ > 0) sum.returns_param = ret_param_;
  sum.params.assign(static_cast<size_t>(std::max(param_count_, 0)), ParamEffect::Unknown);
  sum.derefs.assign(sum.params.size(), false);
  for (int16_t index : derefs_)
    if (index >= 0 && static_cast<size_t>(index) < sum.derefs.size()) sum.derefs[static_cast<size_t>(index)] = true;
  std::vector<bool> pointer(sum.params.size(), false);
  for (const auto& [index, var] : params_) pointer[static_cast<size_t>(index)] = true;
  for (size_t i = 0; i < sum.params.size(); ++i) {
    if (!pointer[i]) {
      sum.params[i] = ParamEffect::Borrows;  // values, not blocks
      continue;
    }
    if (exits_ == 0 || i >= fates_seen_.size()) continue;
    uint8_t seen = fates_seen_[i];
    auto bit = [](Fate f) { return static_cast<uint8_t>(1u << static_cast<unsigned>(f)); };
    if ((seen & ~(bit(Fate::Freed) | bit(Fate::Null))) == 0 && (seen & bit(Fate::Freed))) sum.params[i] = ParamEffect::Frees;
    else if ((seen & (bit(Fate::Freed) | bit(Fate::Escaped))) == 0) sum.params[i] = ParamEffect::Borrows;
  }
  sum.calls_unknown = calls_unknown_;
  for (const auto& [index, var] : globals_) {
    const std::string& g = name(var);
    ParamEffect effect = ParamEffect::Unknown;
    size_t i = static_cast<size_t>(index);
    if (exits_ > 0 && i < fates_seen_.size() && !written_globals_.count(g)) {
      uint8_t seen = fates_seen_[i];
      auto bit = [](Fate f) { return static_cast<uint8_t>(1u << static_cast<unsigned>(f)); };
      if ((seen & ~(bit(Fate::Freed) | bit(Fate::Null))) == 0 && (seen & bit(Fate::Freed))) effect = ParamEffect::Frees;
      else if ((seen & (bit(Fate::Freed) | bit(Fate::Escaped))) == 0) effect = ParamEffect::Borrows;
    }
    sum.globals[g] = effect;
    if (derefs_.count(static_cast<int16_t>(index))) sum.global_derefs.insert(g);
  }
  return sum;
}

}  // namespace c2py::analysis::c::flow::detail
