// Statements and expressions: lvalues, loads, stores, assignments, declarations (analyzer.hpp).
#include "c/flow/analyzer.hpp"

namespace c2py::analysis::c::flow::detail {

FunctionAnalyzer::Loc FunctionAnalyzer::resolve(State& s, TSNode e, int depth) {
  if (depth > kMaxExprDepth) throw GiveUp("expression too deep");
  e = strip(e);
  const int32_t at = nodes_.index(e);
  NK kind = nodes_.at(at).kind;
  if (kind == NK::Identifier) {
    if (local_node(e)) return {Loc::Kind::Var, name_of(e)};
    return {};
  }
  // The names a member or element access stands for are interned when first needed and then
  // kept by node (by_node: node_members_, node_paths_).
  if (kind == NK::FieldExpr) {
    TSNode base = nodes_.field(at, F::argument);
    bool arrow = text(nodes_.field(at, F::op)) == "->";
    if (!arrow) {
      TSNode b = strip(base);
      if (kind_of(b) == NK::Identifier && local_node(b)) {
        int32_t& path = by_node(node_paths_, at);
        if (path < 0) {
          if (locals_[std::string(text_of(b, src_))].is_union)
            path = intern_path(std::string(text_of(b, src_)) + ".#union", text_of(b, src_));
          else
            path = intern_path(no_space(text_of(e, src_)), text_of(b, src_));
        }
        return {Loc::Kind::Var, path};
      }
      eval(s, base, depth + 1);
      return {};
    }
    MaybeValue v = eval(s, base, depth + 1);
    check_deref(s, v, e);
    if (v && v->kind == VK::Obj) {
      int32_t& member = by_node(node_members_, at);
      if (member < 0) member = intern("->" + std::string(text_of(nodes_.field(at, F::field), src_)));
      return {Loc::Kind::Field, v->ref, member};
    }
    return {};
  }
  if (kind == NK::Subscript) {
    TSNode base = nodes_.field(at, F::argument);
    MaybeValue v = eval(s, base, depth + 1);
    TSNode index = nodes_.field(at, F::index);
    eval(s, index, depth + 1);
    check_deref(s, v, e);
    auto k = constant(index);
    if (!k) {
      // `arr[i]`: any element may be meant, so the elements known by constant index are no
      // longer followed one by one (coarse arrays: no finding rather than a wrong one).
      forget_elements(s, v, strip(base));
      return {};
    }
    if (v && v->kind == VK::Obj) {
      int32_t& slot = by_node(node_members_, at);
      if (slot < 0) slot = intern("[" + std::to_string(*k) + "]");
      return {Loc::Kind::Field, v->ref, slot};
    }
    TSNode b = strip(base);
    if (v && v->kind == VK::Stack && kind_of(b) == NK::Identifier && local_node(b)) {
      int32_t& path = by_node(node_paths_, at);
      if (path < 0) path = intern_path(std::string(text_of(b, src_)) + "[" + std::to_string(*k) + "]", text_of(b, src_));
      return {Loc::Kind::Var, path};
    }
    return {};
  }
  if (kind == NK::PointerExpr && text(nodes_.field(at, F::op)) == "*") {
    MaybeValue v = eval(s, nodes_.field(at, F::argument), depth + 1);
    check_deref(s, v, e);
    if (v && v->kind == VK::Obj) {
      if (zero_slot_ < 0) zero_slot_ = intern("[0]");
      return {Loc::Kind::Field, v->ref, zero_slot_};
    }
    // `*pp` where `pp = &p`: p itself.
    if (v && v->kind == VK::Stack && name(v->ref) != kAllocaBlock && is_local(name(v->ref)) &&
        !locals_[name(v->ref)].array)
      return {Loc::Kind::Var, v->ref};
    return {};
  }
  eval(s, e, depth + 1);
  return {};
}

void FunctionAnalyzer::forget_elements(State& s, const MaybeValue& v, TSNode base) {
  if (!v) return;
  if (v->kind == VK::Stack && kind_of(base) == NK::Identifier) {
    std::string prefix = std::string(text_of(base, src_)) + "[";
    for (const auto& [id, val] : std::vector(s.vars))
      if (name(id).rfind(prefix, 0) == 0) escape(s, val);
  } else if (v->kind == VK::Obj || v->kind == VK::Interior) {
    std::vector<Value> elements;
    for (const auto& f : s.fields)
      if (f.obj == v->ref && name(f.name)[0] == '[') elements.push_back(f.v);
    for (const auto& e : elements) escape(s, e);
  }
}

void FunctionAnalyzer::forget(State& s, const Loc& loc) {
  if (loc.kind == Loc::Kind::Var) set_var(s, loc.a, std::nullopt);
  else if (loc.kind == Loc::Kind::Field) set_field(s, loc.a, loc.b, std::nullopt);
}

MaybeValue FunctionAnalyzer::load(const State& s, const Loc& loc) {
  if (loc.kind == Loc::Kind::Var) return get_var(s, loc.a);
  if (loc.kind == Loc::Kind::Field) return get_field(s, loc.a, loc.b);
  return std::nullopt;
}

void FunctionAnalyzer::store(State& s, const Loc& loc, MaybeValue v) {
  if (loc.kind == Loc::Kind::Var) {
    set_var(s, loc.a, v);
    if (v && v->kind == VK::Obj && s.objs[static_cast<size_t>(v->ref)].name < 0)
      s.objs[static_cast<size_t>(v->ref)].name = loc.a;
  } else if (loc.kind == Loc::Kind::Field) {
    if (s.objs[static_cast<size_t>(loc.a)].st == OS::Escaped || s.objs[static_cast<size_t>(loc.a)].st == OS::Param) {
      escape(s, v);  // stored into memory the caller or someone else owns
      return;
    }
    set_field(s, loc.a, loc.b, v);
    if (v && v->kind == VK::Obj && s.objs[static_cast<size_t>(v->ref)].name < 0)
      s.objs[static_cast<size_t>(v->ref)].name = intern(name(loc.b).substr(name(loc.b)[0] == '-' ? 2 : 0));
  } else {
    escape(s, v);
  }
}

void FunctionAnalyzer::copy_members(State& s, std::string_view dst, std::string_view src) {
  std::string from = std::string(src) + ".", to = std::string(dst) + ".";
  std::vector<std::pair<int32_t, Value>> copies;
  for (const auto& [id, v] : s.vars)
    if (name(id).rfind(from, 0) == 0) copies.emplace_back(intern_path(to + name(id).substr(from.size()), dst), v);
  for (const auto& [id, v] : copies) set_var(s, id, v);
}

MaybeValue FunctionAnalyzer::eval(State& s, TSNode e, int depth) {
  if (is_null(e) || s.dead) return std::nullopt;
  if (++work_ > kMaxWork) throw GiveUp("over budget");
  if (depth > kMaxExprDepth) throw GiveUp("expression too deep");
  const int32_t index = nodes_.index(e);
  NK kind = nodes_.at(index).kind;
  if (kind == NK::Paren) {
    MaybeValue v;
    for (TSNode child : children(e)) v = eval(s, child, depth + 1);
    return v;
  }
  if (kind == NK::Cast) return eval(s, nodes_.field(index, F::value), depth + 1);
  if (kind == NK::Identifier) {
    if (!local_node(e)) {
      // What a name of the file stands for does not change during the analysis: once per node.
      if (static_cast<size_t>(index) < node_values_.size() && node_values_[static_cast<size_t>(index)])
        return *node_values_[static_cast<size_t>(index)];
      auto t = text_of(e, src_);
      MaybeValue v;
      // A static array is not on the heap either (its elements are not followed).
      if (static_arrays_.count(t)) {
        v = Value{VK::Stack, intern(t)};
      } else if (!statics_.count(t)) {
        depend(t, Dep::Constant);
        auto k = scope_.constants.find(std::string(t));
        if (k != scope_.constants.end() && k->second > -1000000 && k->second < 1000000)
          v = k->second == 0 ? Value{VK::Null, -1} : Value{VK::Int, static_cast<int32_t>(k->second)};
      }
      if (static_cast<size_t>(index) >= node_values_.size()) node_values_.resize(static_cast<size_t>(index) + 64);
      node_values_[static_cast<size_t>(index)] = v;
      return v;
    }
    return get_var(s, name_of(e));
  }
  if (kind == NK::Null || kind == NK::False) return Value{VK::Null, -1};
  if (kind == NK::True) return Value{VK::Int, 1};
  if (kind == NK::Number) {
    auto k = constant(e);
    if (k && *k == 0) return Value{VK::Null, -1};
    if (k && *k > -1000000 && *k < 1000000) return Value{VK::Int, static_cast<int32_t>(*k)};
    return std::nullopt;
  }
  if (kind == NK::String || kind == NK::ConcatString) return Value{VK::Literal, -1};
  if (kind == NK::FieldExpr || kind == NK::Subscript ||
      (kind == NK::PointerExpr && text(nodes_.field(index, F::op)) == "*")) {
    TSNode base = strip(nodes_.field(index, F::argument));
    // A member of a local struct array (`arr[i]`, not a pointer) is not a dereference.
    Loc loc = resolve(s, e, depth + 1);
    (void)base;
    return load(s, loc);
  }
  if (kind == NK::PointerExpr) return address_of(s, nodes_.field(index, F::argument), depth);
  if (kind == NK::Call) return eval_call(s, e, depth);
  if (kind == NK::Assign) return eval_assign(s, e, depth);
  if (kind == NK::Update) {
    TSNode arg = nodes_.field(index, F::argument);
    Loc loc = resolve(s, arg, depth + 1);
    MaybeValue old = load(s, loc);
    if (old && (old->kind == VK::Obj || old->kind == VK::Interior)) {
      if (text(nodes_.field(index, F::op)) == "--") escape(s, old);  // before the start: a header trick
      store(s, loc, Value{VK::Interior, old->ref});
    } else if (old && (old->kind == VK::Null || old->kind == VK::Int)) {
      // A counter: `for (i = 0; i < 1; i++)` runs once. Small values only, so a long loop is
      // unrolled a few times and then joins the general case.
      long long k = (old->kind == VK::Int ? old->ref : 0) + (text(nodes_.field(index, F::op)) == "++" ? 1 : -1);
      store(s, loc, counter(k));
    } else {
      forget(s, loc);
    }
    return std::nullopt;
  }
  if (kind == NK::Binary) {
    MaybeValue left = eval(s, nodes_.field(index, F::left), depth + 1);
    MaybeValue right = eval(s, nodes_.field(index, F::right), depth + 1);
    auto op = text(nodes_.field(index, F::op));
    if (op == "+" || op == "-") {
      auto scalar = [](const MaybeValue& v) { return !v || v->kind == VK::Null || v->kind == VK::Int; };
      auto pointer = [](const MaybeValue& v) { return v && (v->kind == VK::Obj || v->kind == VK::Interior); };
      if (pointer(left) && scalar(right)) {
        auto k = constant(nodes_.field(index, F::right));
        if (k && *k == 0) return left;
        // Stepping back may reach the start again, or a header before it: stop judging its frees.
        if (op == "-") escape(s, left);
        return Value{VK::Interior, left->ref};
      }
      if (op == "+" && pointer(right) && scalar(left)) return Value{VK::Interior, right->ref};
      if (left && (left->kind == VK::Stack || left->kind == VK::Literal) && scalar(right)) return left;
    }
    return std::nullopt;
  }
  if (kind == NK::Conditional) {
    eval(s, nodes_.field(index, F::condition), depth + 1);
    MaybeValue a = eval(s, nodes_.field(index, F::consequence), depth + 1);
    MaybeValue b = eval(s, nodes_.field(index, F::alternative), depth + 1);
    if (a == b) return a;
    // Either block may be the result: neither is tracked further.
    escape(s, a);
    escape(s, b);
    return std::nullopt;
  }
  if (kind == NK::Comma) {
    eval(s, nodes_.field(index, F::left), depth + 1);
    return eval(s, nodes_.field(index, F::right), depth + 1);
  }
  if (kind == NK::Sizeof || kind == NK::Alignof || kind == NK::Offsetof ||
      kind == NK::Char)
    return std::nullopt;
  if (kind == NK::InitList || kind == NK::CompoundLiteral || kind == NK::InitPair) {
    for (TSNode child : children(e)) escape(s, eval(s, child, depth + 1));
    return std::nullopt;
  }
  for (TSNode child : children(e)) eval(s, child, depth + 1);
  return std::nullopt;
}

MaybeValue FunctionAnalyzer::counter(long long k) {
  constexpr long long kMaxCounter = 8;
  if (k < -kMaxCounter || k > kMaxCounter) return std::nullopt;
  return k == 0 ? Value{VK::Null, -1} : Value{VK::Int, static_cast<int32_t>(k)};
}

MaybeValue FunctionAnalyzer::address_of(State& s, TSNode arg, int depth) {
  TSNode a = strip(arg);
  NK kind = kind_of(a);
  if (kind == NK::Identifier) {
    auto t = text_of(a, src_);
    if (is_local(t)) return Value{VK::Stack, intern(t)};
    return std::nullopt;
  }
  if (kind == NK::Subscript || kind == NK::FieldExpr) {
    TSNode base = field(a, F::argument);
    MaybeValue v = eval(s, base, depth + 1);
    if (kind == NK::Subscript) eval(s, field(a, F::index), depth + 1);
    if (v && v->kind == VK::Stack) return v;
    if (v && (v->kind == VK::Obj || v->kind == VK::Interior)) {
      if (kind == NK::Subscript) {
        auto k = constant(field(a, F::index));
        if (k && *k == 0) return v;
      }
      return Value{VK::Interior, v->ref};
    }
    return std::nullopt;
  }
  eval(s, a, depth + 1);
  return std::nullopt;
}

MaybeValue FunctionAnalyzer::eval_assign(State& s, TSNode e, int depth) {
  const int32_t at = nodes_.index(e);
  TSNode left = nodes_.field(at, F::left), right = nodes_.field(at, F::right);
  auto op = text(nodes_.field(at, F::op));
  if (op != "=") {
    MaybeValue r = eval(s, right, depth + 1);
    Loc loc = resolve(s, left, depth + 1);
    MaybeValue old = load(s, loc);
    (void)r;
    auto step = constant(right);
    if ((op == "+=" || op == "-=") && old && (old->kind == VK::Obj || old->kind == VK::Interior)) {
      if (op == "-=") escape(s, old);
      store(s, loc, Value{VK::Interior, old->ref});
    } else if ((op == "+=" || op == "-=") && step && old && (old->kind == VK::Null || old->kind == VK::Int)) {
      long long k = old->kind == VK::Int ? old->ref : 0;
      store(s, loc, counter(op == "+=" ? k + *step : k - *step));
    } else {
      forget(s, loc);
    }
    return std::nullopt;
  }
  MaybeValue v = eval(s, right, depth + 1);
  TSNode l = strip(left), r = strip(right);
  Loc loc = resolve(s, left, depth + 1);
  store(s, loc, v);
  if (kind_of(l) == NK::Identifier && kind_of(r) == NK::Identifier && local_node(l) && local_node(r))
    copy_members(s, text_of(l, src_), text_of(r, src_));
  return v;
}

void FunctionAnalyzer::eval_declaration(State& s, TSNode decl) {
  for (TSNode child : children(decl)) {
    if (ts_node_eq(child, field(decl, F::type))) continue;
    NK kind = kind_of(child);
    if (kind != NK::InitDeclarator && kind != NK::Identifier && kind != NK::PointerDeclarator && kind != NK::ArrayDeclarator)
      continue;
    TSNode d = kind == NK::InitDeclarator ? field(child, F::declarator) : child;
    int stars = 0;
    bool array = false;
    TSNode id = declared(d, stars, array);
    if (is_null(id)) continue;
    auto n = text_of(id, src_);
    if (!is_local(n)) {
      if (kind == NK::InitDeclarator) escape(s, eval(s, field(child, F::value), 0));
      continue;
    }
    int32_t var = intern(n);
    if (array) {
      if (kind == NK::InitDeclarator) eval(s, field(child, F::value), 0);
      set_var(s, var, Value{VK::Stack, var});
      continue;
    }
    if (kind != NK::InitDeclarator) {
      set_var(s, var, std::nullopt);
      continue;
    }
    TSNode value = field(child, F::value);
    MaybeValue v = eval(s, value, 0);
    if (s.dead) return;
    store(s, Loc{Loc::Kind::Var, var}, v);
    TSNode r = strip(value);
    if (kind_of(r) == NK::Identifier && local_node(r)) copy_members(s, n, text_of(r, src_));
  }
}

}  // namespace c2py::analysis::c::flow::detail
