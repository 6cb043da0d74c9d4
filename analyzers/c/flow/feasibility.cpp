// Conditions: NULL narrowing, constants, correlated facts, #if groups (analyzer.hpp).
#include "c/flow/analyzer.hpp"

namespace c2py::analysis::c::flow::detail {

void FunctionAnalyzer::invalidate_facts(State& s, int32_t root) {
  if (s.facts.empty()) return;
  std::erase_if(s.facts, [&](const auto& fact) {
    const auto& mentions = fact_mentions_[static_cast<size_t>(fact.first)];
    return std::find(mentions.begin(), mentions.end(), root) != mentions.end();
  });
}

void FunctionAnalyzer::drop_volatile_facts(State& s) {
  std::erase_if(s.facts, [&](const auto& fact) { return fact_volatile_[static_cast<size_t>(fact.first)]; });
}

int32_t FunctionAnalyzer::fact_id(TSNode cond) {
  // The answer depends only on the node and on what the function declares: computed once per node.
  if (is_null(cond)) return compute_fact_id(cond);
  int32_t index = nodes_.index(cond);
  if (int32_t known = by_node(node_facts_, index); known != -2) return known;
  int32_t id = compute_fact_id(cond);
  by_node(node_facts_, index) = id;
  return id;
}

int32_t FunctionAnalyzer::compute_fact_id(TSNode cond) {
  bool pure = true, is_volatile = false;
  std::vector<int32_t> mentions;
  int count = 0;
  syntax::walk(cond, [&](TSNode n) {
    NK k = kind_of(n);
    if (++count > 200) pure = false;
    if (k == NK::Call || k == NK::Assign || k == NK::Update) pure = false;
    if (k == NK::FieldExpr || k == NK::Subscript || k == NK::PointerExpr) is_volatile = true;
    if (k == NK::Identifier) {
      auto t = text_of(n, src_);
      if (!is_local(t) || global_names_.count(t)) is_volatile = true;
      mentions.push_back(intern(t));
    }
    return pure;
  });
  if (!pure) return -1;
  std::string text = no_space(text_of(cond, src_));
  // A condition written once in the function is never tested again with the same words: its fact
  // would only split states. (A loop's test is written once and re-tested, but the loop's own
  // state decides it again each turn.)
  if (body_compact_.empty()) body_compact_ = no_space(text_of(field(fn_, F::body), src_));
  size_t first = body_compact_.find(text);
  if (first == std::string::npos || body_compact_.find(text, first + 1) == std::string::npos) return -1;
  int32_t id = intern("?" + text);
  if (fact_mentions_.size() <= static_cast<size_t>(id)) {
    fact_mentions_.resize(static_cast<size_t>(id) + 1);
    fact_volatile_.resize(static_cast<size_t>(id) + 1);
  }
  fact_mentions_[static_cast<size_t>(id)] = std::move(mentions);
  fact_volatile_[static_cast<size_t>(id)] = is_volatile;
  return id;
}

bool FunctionAnalyzer::narrow(State& s, const MaybeValue& v, bool want_null, TSNode expr) {
  if (!v) {
    // An untracked pointer variable known to be NULL on this side.
    TSNode e = strip(expr);
    if (want_null && kind_of(e) == NK::Identifier && local_node(e)) {
      auto local = locals_.find(text_of(e, src_));
      if (local != locals_.end() && local->second.pointer) set_var(s, name_of(e), Value{VK::Null, -1});
    }
    return true;
  }
  switch (v->kind) {
    case VK::Null: return want_null;
    case VK::Stack:
    case VK::Literal:
    case VK::Int: return !want_null;
    case VK::Interior: return true;
    case VK::Obj: break;
  }
  Obj& o = s.objs[static_cast<size_t>(v->ref)];
  if (o.st == OS::NonNull) return !want_null;
  if (o.st == OS::Param && !want_null) o.checked = true;
  if (o.st == OS::Param && want_null) {
    s.fates[static_cast<size_t>(o.param)] = Fate::Null;
    replace_refs(s, v->ref, Value{VK::Null, -1});
    o.st = OS::Escaped;
    return true;
  }
  if (o.st != OS::MaybeNull) return true;
  if (!want_null) {
    o.st = OS::NonNull;
    o.realloc_src = -1;
    return true;
  }
  // The allocation failed: the block never existed; a failed realloc leaves the old one.
  int32_t src = o.realloc_src;
  OS prev = o.realloc_prev;
  o.st = OS::Escaped;
  o.realloc_src = -1;
  replace_refs(s, v->ref, Value{VK::Null, -1});
  if (src >= 0) {
    Obj& old = s.objs[static_cast<size_t>(src)];
    old.st = prev;
    old.freed_at = -1;
    old.by_realloc_free = false;
    if (!referenced(s, src)) old.st = OS::Escaped;  // `p = realloc(p, n)`: realloc-leak reports it
  }
  return true;
}

void FunctionAnalyzer::replace_refs(State& s, int32_t obj, Value with) {
  for (auto& [id, v] : s.vars)
    if ((v.kind == VK::Obj || v.kind == VK::Interior) && v.ref == obj) v = with;
  for (auto& f : s.fields)
    if ((f.v.kind == VK::Obj || f.v.kind == VK::Interior) && f.v.ref == obj) f.v = with;
}

bool FunctionAnalyzer::referenced(const State& s, int32_t obj) {
  for (const auto& [id, v] : s.vars)
    if ((v.kind == VK::Obj || v.kind == VK::Interior) && v.ref == obj) return true;
  for (const auto& f : s.fields)
    if ((f.v.kind == VK::Obj || f.v.kind == VK::Interior) && f.v.ref == obj) return true;
  return false;
}

bool FunctionAnalyzer::null_test_condition(TSNode cond) {
  if (int8_t known = nodes_[cond].null_test; known >= 0) return known == 1;
  bool test = is_null_test(cond);
  nodes_[cond].null_test = test ? 1 : 0;
  return test;
}

bool FunctionAnalyzer::is_null_test(TSNode e) {
  e = strip(e);
  while (kind_of(e) == NK::Unary && text(field(e, F::op)) == "!") e = strip(field(e, F::argument));
  if (kind_of(e) == NK::Identifier || kind_of(e) == NK::FieldExpr) return true;
  if (kind_of(e) == NK::Binary) {
    auto op = text(field(e, F::op));
    return (op == "==" || op == "!=") && (is_null_literal(field(e, F::left)) || is_null_literal(field(e, F::right)));
  }
  return false;
}

bool FunctionAnalyzer::is_null_literal(TSNode e) {
  if (is_null(e)) return false;
  if (int8_t known = nodes_[e].null_literal; known >= 0) return known == 1;
  bool result = false;
  TSNode x = strip(e);
  if (kind_of(x) == NK::Null) result = true;
  else if (kind_of(x) == NK::Cast) result = is_null_literal(field(x, F::value));
  else if (kind_of(x) == NK::Number) {
    auto k = constant(x);
    result = k && *k == 0;
  }
  nodes_[e].null_literal = result ? 1 : 0;
  return result;
}

States FunctionAnalyzer::assume(State s, TSNode cond, bool truth, int depth) {
  if (depth > kMaxExprDepth) throw GiveUp("condition too deep");
  States out;
  cond = strip(cond);
  const int32_t at = nodes_.index(cond);
  NK kind = nodes_.at(at).kind;
  if (kind == NK::Unary && text(nodes_.field(at, F::op)) == "!")
    return assume(std::move(s), nodes_.field(at, F::argument), !truth, depth + 1);
  if (kind == NK::Binary) {
    auto op = text(nodes_.field(at, F::op));
    TSNode left = nodes_.field(at, F::left), right = nodes_.field(at, F::right);
    if (op == "&&" || op == "||") {
      bool short_value = op == "||";  // the left value that decides the whole
      if (truth == short_value) {
        for (auto& a : assume(s, left, short_value, depth + 1)) out.push_back(std::move(a));
        for (auto& a : assume(std::move(s), left, !short_value, depth + 1))
          for (auto& b : assume(std::move(a), right, short_value, depth + 1)) out.push_back(std::move(b));
      } else {
        for (auto& a : assume(std::move(s), left, !short_value, depth + 1))
          for (auto& b : assume(std::move(a), right, !short_value, depth + 1)) out.push_back(std::move(b));
      }
      return out;
    }
    if (auto out_alloc = out_alloc_test(s, cond, truth, depth)) {
      if (*out_alloc) out.push_back(std::move(s));
      return out;
    }
    if (op == "<" || op == "<=" || op == ">" || op == ">=") {
      // Integer constants both sides (a loop's first test, `i = 0; i < 3`): decided.
      int32_t fact = fact_id(cond);
      MaybeValue a = eval(s, left, depth + 1);
      MaybeValue b = eval(s, right, depth + 1);
      if (s.dead) return out;
      auto number = [](const MaybeValue& v) -> std::optional<long long> {
        if (v && v->kind == VK::Null) return 0;
        if (v && v->kind == VK::Int) return v->ref;
        return std::nullopt;
      };
      auto x = number(a), y = number(b);
      if (x && y) {
        bool holds = op == "<" ? *x < *y : op == "<=" ? *x <= *y : op == ">" ? *x > *y : *x >= *y;
        if (holds == truth) out.push_back(std::move(s));
        return out;
      }
      if (fact >= 0 && !apply_fact(s, fact, truth)) return out;
      out.push_back(std::move(s));
      return out;
    }
    if ((op == "==" || op == "!=") && !is_null_literal(left) && !is_null_literal(right)) {
      MaybeValue a = eval(s, left, depth + 1);
      MaybeValue b = eval(s, right, depth + 1);
      if (s.dead) return out;
      auto equal = known_equal(s, a, b);
      if (!equal || *equal == ((op == "==") == truth)) out.push_back(std::move(s));
      return out;
    }
    if ((op == "==" || op == "!=") && (is_null_literal(left) || is_null_literal(right))) {
      TSNode x = is_null_literal(right) ? left : right;
      MaybeValue v = eval(s, x, depth + 1);
      if (s.dead) return out;
      bool want_null = (op == "==") == truth;
      if (narrow(s, v, want_null, x)) out.push_back(std::move(s));
      return out;
    }
  }
  if (kind == NK::Identifier || kind == NK::FieldExpr || kind == NK::Subscript || kind == NK::Call ||
      kind == NK::Assign || kind == NK::PointerExpr || kind == NK::Cast) {
    int32_t fact = kind == NK::Call || kind == NK::Assign ? -1 : fact_id(cond);
    MaybeValue v = eval(s, cond, depth + 1);
    if (s.dead) return out;
    if (v) {
      if (narrow(s, v, !truth, cond)) out.push_back(std::move(s));
      return out;
    }
    if (fact >= 0 && !apply_fact(s, fact, truth)) return out;
    if (!narrow(s, v, !truth, cond)) return out;
    out.push_back(std::move(s));
    return out;
  }
  if (kind == NK::Comma) {
    // `while (item, &list, entry)`: a loop macro rewritten by macro_noise.hpp (a comma list of
    // plain names is otherwise no condition anyone writes). The macro assigns its variables on
    // each turn: whatever they held before is no longer known to be theirs.
    TSNode part = cond;
    for (int guard = 0; guard < 16 && !is_null(part); ++guard) {
      bool comma = kind_of(part) == NK::Comma;
      TSNode item = strip(comma ? field(part, F::left) : part);
      if (kind_of(item) == NK::Identifier && local_node(item)) {
        int32_t id = name_of(item);
        escape(s, get_var(s, id));
        set_var(s, id, std::nullopt);
      }
      part = comma ? field(part, F::right) : TSNode{};
    }
    drop_volatile_facts(s);
    out.push_back(std::move(s));
    return out;
  }
  if (auto k = constant(cond)) {
    if ((*k != 0) == truth) out.push_back(std::move(s));
    return out;
  }
  int32_t fact = fact_id(cond);
  eval(s, cond, depth + 1);
  if (s.dead) return out;
  if (fact >= 0 && !apply_fact(s, fact, truth)) return out;
  out.push_back(std::move(s));
  return out;
}

std::optional<bool> FunctionAnalyzer::known_equal(const State& s, const MaybeValue& a, const MaybeValue& b) {
  if (!a || !b) return std::nullopt;
  auto non_null = [&](const Value& v) {
    if (v.kind == VK::Stack || v.kind == VK::Literal || v.kind == VK::Int) return true;
    return v.kind == VK::Obj && s.objs[static_cast<size_t>(v.ref)].st == OS::NonNull;
  };
  if (a->kind == VK::Null && b->kind == VK::Null) return true;
  if (a->kind == VK::Int && b->kind == VK::Int) return a->ref == b->ref;
  if ((a->kind == VK::Int && b->kind == VK::Null) || (a->kind == VK::Null && b->kind == VK::Int)) return false;
  if ((a->kind == VK::Null && non_null(*b)) || (b->kind == VK::Null && non_null(*a))) return false;
  if (a->kind == VK::Stack && b->kind == VK::Stack) return a->ref == b->ref ? std::optional<bool>(true) : std::optional<bool>(false);
  if (a->kind == VK::Obj && b->kind == VK::Obj && a->ref == b->ref) return true;
  bool a_heap = a->kind == VK::Obj && non_null(*a), b_heap = b->kind == VK::Obj && non_null(*b);
  if ((a_heap && (b->kind == VK::Stack || b->kind == VK::Literal)) || (b_heap && (a->kind == VK::Stack || a->kind == VK::Literal)))
    return false;
  if (a_heap && b_heap && s.objs[static_cast<size_t>(a->ref)].param < 0 && s.objs[static_cast<size_t>(b->ref)].param < 0)
    return false;  // two live blocks of this function are distinct
  return std::nullopt;
}

std::pair<int32_t, bool> FunctionAnalyzer::preproc_fact(TSNode group) {
  auto type = type_of(group);
  std::string key;
  bool positive = true;
  if (type == "preproc_ifdef" || type == "preproc_elifdef") {
    auto directive = type_of(ts_node_child(group, 0));
    positive = directive == "#ifdef" || directive == "#elifdef";
    key = "#defined " + std::string(text_of(field(group, F::name), src_));
  } else {
    TSNode cond = field(group, F::condition);
    while (kind_of(cond) == NK::Unary && text(field(cond, F::op)) == "!") {
      positive = !positive;
      cond = field(cond, F::argument);
    }
    if (type_of(cond) == "preproc_defined") {
      TSNode name = ts_node_named_child_count(cond) > 0 ? ts_node_named_child(cond, 0) : TSNode{};
      key = "#defined " + std::string(text_of(name, src_));
    } else if (auto k = constant(cond)) {
      return {(*k != 0) == positive ? -2 : -3, true};
    } else {
      key = "#if " + no_space(text_of(cond, src_));
    }
  }
  int32_t id = intern(key);
  if (fact_mentions_.size() <= static_cast<size_t>(id)) {
    fact_mentions_.resize(static_cast<size_t>(id) + 1);
    fact_volatile_.resize(static_cast<size_t>(id) + 1);
  }
  return {id, positive};
}

bool FunctionAnalyzer::apply_fact(State& s, int32_t fact, bool truth) {
  auto it = std::lower_bound(s.facts.begin(), s.facts.end(), fact, [](const auto& p, int32_t k) { return p.first < k; });
  if (it != s.facts.end() && it->first == fact) return it->second == truth;
  s.facts.insert(it, {fact, truth});
  return true;
}

}  // namespace c2py::analysis::c::flow::detail
