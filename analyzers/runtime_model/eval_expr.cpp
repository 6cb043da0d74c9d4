// Expressions: literals, comparisons, truth, attributes, subscripts, slices, comprehensions and
// generator expressions consumed at once.
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

int64_t Interp::index_of(Id seq, Id key, int64_t n) {
  const Obj& k = heap_[key];
  if ((k.kind != Kind::Int && k.kind != Kind::Bool) || !k.has_value) throw GiveUp{"an index the model does not know"};
  int64_t i = k.ival < 0 ? k.ival + n : k.ival;
  if (i < 0 || i >= n) throw GiveUp{"index out of range (IndexError) on " + heap_[seq].type};
  return i;
}

Ref Interp::eval_tuple_or_expr(TSNode node, bool soft) {
  Sym ty = sym(node);
  if (ty == Sym::expression_list || ty == Sym::pattern_list) {
    std::vector<Ref> items;
    for (TSNode c : kids(node)) {
      items.push_back(eval(c, soft));
      if (soft_give_up_) return {};
    }
    return make_tuple(std::move(items));
  }
  return eval(node, soft);
}

bool Interp::constant_expr(TSNode node, int depth) {
  if (depth > 20) return false;
  auto ty = type_of(node);
  if (ty == "integer" || ty == "float" || ty == "true" || ty == "false" || ty == "none") return true;
  if (ty == "string") {
    for (TSNode c : kids(node))
      if (type_of(c) == "interpolation") return false;
    return true;
  }
  if (ty == "concatenated_string") {
    for (TSNode c : kids(node))
      if (!constant_expr(c, depth + 1)) return false;
    return true;
  }
  if (ty == "parenthesized_expression") return constant_expr(ts_node_named_child(node, 0), depth + 1);
  if (ty == "unary_operator") return constant_expr(field(node, "argument"), depth + 1);
  if (ty == "tuple") {
    for (TSNode c : kids(node))
      if (!constant_expr(c, depth + 1)) return false;
    return true;
  }
  if (ty == "binary_operator")
    return constant_expr(field(node, "left"), depth + 1) && constant_expr(field(node, "right"), depth + 1);
  return false;
}

Ref Interp::eval(TSNode node, bool soft) {
  DepthGuard guard(depth_);
  step(node);
  Sym ty = sym(node);
  if (ty == Sym::identifier) return load_name(node);
  if (ty == Sym::integer || ty == Sym::float_ || ty == Sym::string || ty == Sym::concatenated_string || ty == Sym::true_ ||
      ty == Sym::false_ || ty == Sym::none)
    return literal(node);
  if (ty == Sym::parenthesized_expression) return eval(ts_node_named_child(node, 0), soft);
  if (ty == Sym::list) return eval_list_display(node);
  if (ty == Sym::tuple) {
    if (is_constant_expr(node)) return fold_constant(node);
    std::vector<Ref> items;
    for (TSNode c : kids(node)) {
      if (sym(c) == Sym::list_splat) {
        // (a, *xs): built as a list (BUILD_LIST, LIST_EXTEND), then LIST_TO_TUPLE.
        Ref list = eval_list_display(node);
        for (Id e : heap_[list.get()].items) items.push_back(share(e));
        return make_tuple(std::move(items));
      }
    }
    for (TSNode c : kids(node)) {
      items.push_back(eval(c));
    }
    return make_tuple(std::move(items));
  }
  if (ty == Sym::dictionary) return eval_dict_display(node);
  if (ty == Sym::set) return eval_set_display(node);
  if (ty == Sym::binary_operator) {
    if (is_constant_expr(node)) return fold_constant(node);
    FieldList& f = fields(node);
    Ref l = eval(f["left"], soft);
    if (soft_give_up_) return {};
    Ref r = eval(f["right"], soft);
    if (soft_give_up_) return {};
    std::string op(text_of(f["operator"], src_));
    return binary(op, l.get(), r.get(), node, false);
  }
  if (ty == Sym::unary_operator) {
    if (is_constant_expr(node)) return fold_constant(node);
    FieldList& f = fields(node);
    Ref a = eval(f["argument"]);
    std::string op(text_of(f["operator"], src_));
    return unary(op, a.get(), false);
  }
  if (ty == Sym::not_operator) {
    Ref a = eval(field(node, "argument"), soft);
    if (soft_give_up_) return {};
    bool t = truth(a.get(), soft);
    if (soft_give_up_) return {};
    return make_bool(!t);
  }
  if (ty == Sym::boolean_operator) {
    FieldList& f = fields(node);
    Ref l = eval(f["left"], soft);
    if (soft_give_up_) return {};
    std::string op(text_of(f["operator"], src_));
    bool t = truth(l.get(), soft);
    if (soft_give_up_) return {};
    if ((op == "and" && !t) || (op == "or" && t)) return l;
    l.reset();
    return eval(f["right"], soft);
  }
  if (ty == Sym::comparison_operator) return eval_comparison(node, soft);
  if (ty == Sym::conditional_expression) {
    const auto& parts = kids(node);
    if (parts.size() != 3) throw GiveUp{"a conditional expression"};
    bool c;
    {
      Ref cond = eval(parts[1]);
      c = truth(cond.get());
    }
    return eval(c ? parts[0] : parts[2]);
  }
  if (ty == Sym::call) return eval_call(node, soft);
  if (ty == Sym::attribute) {
    FieldList& f = fields(node);
    Ref obj = eval(f["object"]);
    return get_attr(obj.get(), std::string(text_of(f["attribute"], src_)));
  }
  if (ty == Sym::subscript) return eval_subscript(node);
  if (ty == Sym::list_comprehension || ty == Sym::set_comprehension || ty == Sym::dictionary_comprehension)
    return eval_comprehension(node);
  if (ty == Sym::lambda) return make_function(node);
  if (ty == Sym::generator_expression) return make_genexpr(node, soft);
  if (ty == Sym::named_expression) {
    // (x := v): v, bound to x in the enclosing function or module scope (not a comprehension's).
    Ref value = eval(field(node, "value"));
    Ref copy = share(value.get());
    auto comp = std::move(frame().comp);
    struct Restore {
      Frame& f;
      std::vector<std::vector<std::pair<std::string, Id>>>& saved;
      ~Restore() { f.comp = std::move(saved); }
    } restore{frame(), comp};
    store_name(text_of(field(node, "name"), src_), std::move(copy));
    return value;
  }
  throw GiveUp{"`" + std::string(type_of(node)) + "` is not modelled"};
}

Ref Interp::fold_constant(TSNode node) {
  // Evaluated like runtime code, then turned into a shared constant when CPython's folding
  // limits allow it (strings up to 4096 characters, tuples up to 256 items).
  Ref value = eval_const_parts(node);
  Obj& o = heap_[value.get()];
  if (o.constant) return value;
  bool foldable = (o.kind == Kind::Str && o.len <= 4096) || (o.kind == Kind::Bytes && o.len <= 4096) ||
                  o.kind == Kind::Int || o.kind == Kind::Float || (o.kind == Kind::Tuple && o.items.size() <= 256);
  if (!foldable) return value;
  o.constant = true;
  return value;
}

Ref Interp::eval_const_parts(TSNode node) {
  auto ty = type_of(node);
  if (ty == "parenthesized_expression") return eval_const_parts(ts_node_named_child(node, 0));
  if (ty == "binary_operator") {
    Ref l = eval_const_parts(field(node, "left"));
    Ref r = eval_const_parts(field(node, "right"));
    return binary(std::string(text_of(field(node, "operator"), src_)), l.get(), r.get(), node, true);
  }
  if (ty == "unary_operator") {
    Ref a = eval_const_parts(field(node, "argument"));
    return unary(std::string(text_of(field(node, "operator"), src_)), a.get(), true);
  }
  if (ty == "tuple") {
    std::vector<Ref> items;
    for (TSNode c : kids(node)) items.push_back(eval_const_parts(c));
    Ref t = make_tuple(std::move(items));
    return t;
  }
  return literal(node);
}

Ref Interp::literal(TSNode node) {
  // A literal that made a code constant makes the same one again, at the same cost in steps
  // (a long str costs one per 64 characters), and nothing else: reuse it.
  auto key = SyntaxKey::of(node);
  if (auto it = syntax_memo_.literals.find(key); it != syntax_memo_.literals.end()) {
    steps_ += it->second.second;  // what reading it again charges
    if (steps_ > max_steps_) throw GiveUp{"model.maxSteps reached", true};
    return share(it->second.first);
  }
  int64_t steps = steps_, fstrings = fstrings_read_;
  Ref value = read_literal(node);
  // Not an f-string's value: its expressions ran (they allocate, and may differ next time).
  bool fixed = steps_ == steps || fstrings_read_ == fstrings;
  if (fixed && value && heap_[value.get()].constant)
    syntax_memo_.literals.emplace(key, std::make_pair(value.get(), steps_ - steps));
  return value;
}

Ref Interp::read_literal(TSNode node) {
  Sym ty = sym(node);
  if (ty == Sym::true_) return make_bool(true);
  if (ty == Sym::false_) return make_bool(false);
  if (ty == Sym::none) return make_none();
  if (ty == Sym::integer) {
    std::string t;
    for (char c : text_of(node, src_))
      if (c != '_') t += c;
    if (!t.empty() && (t.back() == 'j' || t.back() == 'J')) throw GiveUp{"complex numbers are not modelled"};
    int base = 10;
    size_t start = 0;
    if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) base = 16, start = 2;
    else if (t.size() > 2 && t[0] == '0' && (t[1] == 'o' || t[1] == 'O')) base = 8, start = 2;
    else if (t.size() > 2 && t[0] == '0' && (t[1] == 'b' || t[1] == 'B')) base = 2, start = 2;
    uwide_t v = 0;
    for (size_t i = start; i < t.size(); ++i) {
      char c = t[i];
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
      if (d >= base) throw GiveUp{"an integer literal the model does not read"};
      if (v > (~uwide_t{0} >> 2) / static_cast<uwide_t>(base)) throw GiveUp{"an integer literal beyond 128 bits"};
      v = v * static_cast<uwide_t>(base) + static_cast<uwide_t>(d);
    }
    return make_wide(static_cast<wide_t>(v), true);
  }
  if (ty == Sym::float_) {
    std::string t;
    for (char c : text_of(node, src_))
      if (c != '_') t += c;
    if (!t.empty() && (t.back() == 'j' || t.back() == 'J')) throw GiveUp{"complex numbers are not modelled"};
    return make_float(std::strtod(t.c_str(), nullptr), true);
  }
  if (ty == Sym::concatenated_string) {
    std::string all;
    bool bytes = false;
    for (TSNode c : kids(node)) {
      Ref part = literal(c);
      Obj& p = heap_[part.get()];
      bytes = p.kind == Kind::Bytes;
      if (!p.constant) throw GiveUp{"an f-string in implicit concatenation"};
      all += p.text;
    }
    return bytes ? make_bytes(std::move(all), true) : make_str(std::move(all), true);
  }
  // string
  std::string_view text = text_of(node, src_);
  size_t quote = text.find_first_of("'\"");
  if (quote == std::string_view::npos) throw GiveUp{"a string literal"};
  std::string prefix(text.substr(0, quote));
  for (auto& c : prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool raw = prefix.find('r') != std::string::npos, bytes = prefix.find('b') != std::string::npos;
  bool fstr = prefix.find('f') != std::string::npos;
  if (prefix.find('t') != std::string::npos) throw GiveUp{"t-strings are not modelled"};
  if (fstr) return eval_fstring(node);
  size_t qlen = text.substr(quote, 3) == "'''" || text.substr(quote, 3) == "\"\"\"" ? 3 : 1;
  if (text.size() < quote + 2 * qlen) throw GiveUp{"an unterminated string literal"};
  std::string_view body = text.substr(quote + qlen, text.size() - quote - 2 * qlen);
  std::string value;
  if (raw) value = std::string(body);
  else if (!unescape(body, bytes, value)) throw GiveUp{"an escape sequence the model does not decode"};
  return bytes ? make_bytes(std::move(value), true) : make_str(std::move(value), true);
}

Ref Interp::eval_comparison(TSNode node, bool soft) {
  const ComparisonShape& shape = comparison_shape(node);
  const std::vector<TSNode>& operands = shape.operands;
  const std::vector<std::string>& ops = shape.ops;
  if (operands.size() != ops.size() + 1) throw GiveUp{"a comparison"};
  Ref left = eval(operands[0], soft);
  if (soft_give_up_) return {};
  for (size_t i = 0; i < ops.size(); ++i) {
    Ref right = eval(operands[i + 1], soft);
    if (soft_give_up_) return {};
    bool r = compare(ops[i], left.get(), right.get(), soft);
    if (soft_give_up_) return {};
    if (!r) return make_bool(false);
    left = std::move(right);
  }
  return make_bool(true);
}

bool Interp::compare(const std::string& op, Id a, Id b, bool soft) {
  if (heap_[a].is_wide || heap_[b].is_wide) {
    auto l = int_value(a), r = int_value(b);
    if (l && r) {
      if (op == "==" || op == "is") return *l == *r && (op == "==" || a == b);
      if (op == "!=") return *l != *r;
      if (op == "is not") return a != b;
      if (op == "<") return *l < *r;
      if (op == "<=") return *l <= *r;
      if (op == ">") return *l > *r;
      if (op == ">=") return *l >= *r;
    }
  }
  if (vague(a) || vague(b)) {
    give_up(soft, "comparing values the model does not know");
    return false;
  }
  if (op == "is") return a == b && identity_certain(a);
  if (op == "is not") return !(a == b && identity_certain(a));
  if (op == "in" || op == "not in") {
    Obj& c = heap_[b];
    bool found = false;
    bool instances = (c.kind == Kind::List || c.kind == Kind::Tuple) && heap_[a].kind == Kind::Instance &&
                     std::all_of(c.items.begin(), c.items.end(), [&](Id e) { return heap_[e].kind == Kind::Instance; });
    if (instances) {
      // list_contains: each item (held while it is compared, for a list) is compared with ==:
      // the same object is equal at once, otherwise its class's __eq__ runs (or identity).
      std::vector<Id> items = c.items;
      bool hold = c.kind == Kind::List;
      for (size_t i = 0; i < items.size() && !found; ++i) {
        Id e = items[i];
        if (e == a) {
          found = true;
          break;
        }
        Ref held = hold ? share(e) : Ref();
        std::optional<bool> r = user_compare("==", e, a);
        found = r && *r;
        if (heap_[b].items.size() != items.size()) throw GiveUp{"a list changed while `in` compared its items"};
      }
    } else if (c.kind == Kind::List || c.kind == Kind::Tuple || c.kind == Kind::Set || c.kind == Kind::Dict) {
      std::optional<bool> a_known;  // asked once, after the first item's (as before)
      for (Id e : c.items) {
        if (!is_hashable_known(e) || !(a_known ? *a_known : *(a_known = is_hashable_known(a))))
          throw GiveUp{"`in` over values the model does not know"};
        if (equal_keys(e, a)) found = true;
      }
    } else if (c.kind == Kind::Str && c.has_value && heap_[a].kind == Kind::Str && heap_[a].has_value) {
      found = c.text.find(heap_[a].text) != std::string::npos;
    } else {
      throw GiveUp{"`in` on a " + c.type};
    }
    return op == "in" ? found : !found;
  }
  if (heap_[a].kind == Kind::Instance || heap_[b].kind == Kind::Instance)
    if (std::optional<bool> r = user_compare(op, a, b)) return *r;
  Obj& x = heap_[a];
  Obj& y = heap_[b];
  int cmp;
  if (numeric(x) && numeric(y)) {
    if (x.kind != Kind::Float && y.kind != Kind::Float) cmp = x.ival < y.ival ? -1 : x.ival > y.ival ? 1 : 0;
    else cmp = num(x) < num(y) ? -1 : num(x) > num(y) ? 1 : 0;
  } else if ((x.kind == Kind::Str && y.kind == Kind::Str) || (x.kind == Kind::Bytes && y.kind == Kind::Bytes)) {
    if (!x.has_value || !y.has_value) throw GiveUp{"comparing strings the model does not know"};
    cmp = x.text < y.text ? -1 : x.text > y.text ? 1 : 0;  // UTF-8 order is code point order
  } else if ((x.kind == Kind::List && y.kind == Kind::List) || (x.kind == Kind::Tuple && y.kind == Kind::Tuple)) {
    bool bad = false;
    cmp = order(a, b, bad, 0);
    if (bad) throw GiveUp{"comparing " + x.type + "s of values the model cannot order"};
  } else if (op == "==" || op == "!=") {
    bool user_eq = (x.kind == Kind::Instance && !identity_hashed(a)) || (y.kind == Kind::Instance && !identity_hashed(b));
    if (user_eq) throw GiveUp{"== on an instance of a class that defines __eq__"};
    if (x.kind == Kind::None || y.kind == Kind::None) cmp = a == b ? 0 : 1;
    else if (identity_hashed(a) || identity_hashed(b)) cmp = a == b ? 0 : 1;
    else if ((x.kind == Kind::Tuple && y.kind == Kind::Tuple) && is_hashable_known(a) && is_hashable_known(b))
      cmp = equal_keys(a, b) ? 0 : 1;
    else throw GiveUp{"== between a " + x.type + " and a " + y.type + " is not modelled"};
  } else {
    throw GiveUp{"ordering a " + x.type + " and a " + y.type + " is not modelled"};
  }
  if (op == "==") return cmp == 0;
  if (op == "!=") return cmp != 0;
  if (op == "<") return cmp < 0;
  if (op == "<=") return cmp <= 0;
  if (op == ">") return cmp > 0;
  if (op == ">=") return cmp >= 0;
  throw GiveUp{"comparison `" + op + "`"};
}

bool Interp::identity_certain(Id a) {
  const Obj& o = heap_[a];
  if (o.constant && !o.immortal && o.kind != Kind::None && o.kind != Kind::Bool && o.kind != Kind::Class)
    throw GiveUp{"`is` between equal constants depends on the compiler"};
  return true;
}

bool Interp::truth(Id id, bool soft) {
  if (heap_[id].is_wide) return true;  // beyond 64 bits: not 0
  if (vague(id)) {
    give_up(soft, "a condition on a value the model does not know");
    return false;
  }
  Obj& o = heap_[id];
  switch (o.kind) {
    case Kind::None: return false;
    case Kind::Bool:
    case Kind::Int:
      if (!o.has_value) break;
      return o.ival != 0;
    case Kind::Float: return o.fval != 0;
    case Kind::Str:
    case Kind::Bytes:
    case Kind::Bytearray:
    case Kind::Array: return o.len != 0;
    case Kind::List:
    case Kind::Tuple:
    case Kind::Dict:
    case Kind::Set: return !o.items.empty();
    case Kind::Function:
    case Kind::Class:
    case Kind::Module:
    case Kind::Builtin: return true;
    case Kind::Instance:
      if (o.cls && (heap_[o.cls].has_slots || heap_[o.cls].has_truth)) break;
      return true;
    default: break;
  }
  throw GiveUp{"a condition the model cannot decide"};
}

Ref Interp::get_attr(Id obj, const std::string& name) {
  Obj& o = heap_[obj];
  // An attribute of an object the model does not know (a library's, a tainted instance's).
  if (vague(obj) || ((o.kind == Kind::Builtin || o.kind == Kind::Opaque) && o.unknown)) return opaque_from({obj});
  if (o.kind == Kind::Instance) {
    for (auto& [n, id] : o.attrs)
      if (n == name) return share(id);
    if (name == "__class__" && o.cls) return share(o.cls);  // classes have no count here
    if (Id v = class_lookup(o.cls, name)) {
      if (heap_[v].name == "@property") {
        // property_descr_get: the getter called with the instance (held while it runs).
        Id fget = 0;
        for (const auto& [n, f] : heap_[v].attrs)
          if (n == "__func__" && heap_[f].kind == Kind::Function) fget = f;
        if (!fget) throw GiveUp{"." + name + " is a property the model does not follow"};
        Ref hold = share(fget);
        Args args;
        args.positional.push_back(share(obj));
        return call_function(fget, std::move(args), cur_stmt_node());
      }
      if (heap_[v].kind == Kind::Function) throw GiveUp{"a bound method used as a value is not modelled"};
      if (heap_[v].runs_user_code) throw GiveUp{"." + name + " is a decorated attribute (it may run user code)"};
      if (!heap_[v].name.empty() && heap_[v].name[0] == '@') throw GiveUp{"." + name + " is a " + heap_[v].type};
      return share(v);
    }
    throw GiveUp{"." + name + " is not set on this " + o.type + " (AttributeError)"};
  }
  if (o.kind == Kind::Class) {
    // The class statement's name: the code constant the type keeps (ht_name).
    if (name == "__name__" && !o.name.empty() && !o.has_slots) return make_str(o.name, true);
    if (Id v = class_lookup(obj, name)) {
      if (Id fn = static_function(v)) return share(fn);
      if (!heap_[v].name.empty() && heap_[v].name[0] == '@') throw GiveUp{"." + name + " is a " + heap_[v].type};
      return share(v);
    }
    throw GiveUp{"." + name + " of class " + o.name};
  }
  if (o.kind == Kind::Module) {
    std::string full = o.name + "." + name;
    if (known_callable(full)) return share(hidden_object(Kind::Builtin, full));
    if (full == "copy.deepcopy") return share(library_function(full));  // as `from copy import deepcopy`
    if (Id c = module_constant(full)) return share(c);
    // Any other member (os.environ, math.pi, random.shuffle) is an object the model does not
    // know: listed as unknown if it is kept, tainting its arguments if it is called.
    Obj member;
    member.kind = Kind::Opaque;
    member.type = "object";
    member.unknown = true;
    member.name = full;  // numpy.zeros and friends get a size model (call_numpy)
    return fresh(std::move(member));
  }
  throw GiveUp{"attribute ." + name + " of a " + o.type + " is not modelled"};
}

Id Interp::class_lookup(Id cls, const std::string& name) {
  for (int guard = 0; cls && guard < 50; ++guard) {
    for (auto& [n, id] : heap_[cls].attrs)
      if (n == name) return id;
    cls = heap_[cls].cls;
  }
  return 0;
}

Ref Interp::eval_subscript(TSNode node) {
  FieldList& f = fields(node);
  Ref obj = eval(f["value"]);
  TSNode sub = f["subscript"];
  if (type_of(sub) == "slice") return eval_slice(obj.get(), sub);
  Ref key = eval(sub);
  return get_item(obj.get(), key.get());
}

Ref Interp::get_item(Id obj_id, Id key_id) {
  // list[int], dict[str, int]: a types.GenericAlias (annotations, type aliases); the model does
  // not build it.
  if (heap_[obj_id].kind == Kind::Builtin && heap_[obj_id].hidden) return opaque();
  if (vague(obj_id) || vague(key_id)) return opaque_from({obj_id, key_id});
  Obj& o = heap_[obj_id];
  if (o.kind == Kind::List || o.kind == Kind::Tuple) {
    int64_t i = index_of(obj_id, key_id, static_cast<int64_t>(o.items.size()));
    return share(heap_[obj_id].items[static_cast<size_t>(i)]);
  }
  if (o.kind == Kind::Dict) {
    auto i = dict_find(o, key_id);
    if (!i || !is_hashable_known(key_id)) throw GiveUp{"a dict key the model cannot find (KeyError)"};
    return share(o.values[*i]);
  }
  if (o.kind == Kind::Str && o.has_value) {
    int64_t i = index_of(obj_id, key_id, o.len);
    return make_str(utf8_substr(o.text, i, 1));
  }
  if (o.kind == Kind::Range) {  // range_item: start + i * step, a new int
    int64_t i = index_of(obj_id, key_id, o.len);
    int64_t v = 0;
    if (__builtin_mul_overflow(o.range_step, i, &v) || __builtin_add_overflow(v, o.range_start, &v))
      throw GiveUp{"an int beyond 64 bits"};
    return make_int(v);
  }
  if (o.kind == Kind::Array && o.typecode != 'f' && o.typecode != 'd') {
    index_of(obj_id, key_id, o.len);
    throw GiveUp{"array items are C values the model does not track"};
  }
  throw GiveUp{"indexing a " + o.type + " is not modelled"};
}

Ref Interp::eval_slice(Id obj, TSNode slice) {
  if (vague(obj)) return opaque_from({obj});
  std::optional<int64_t> parts[3];
  int part = 0;
  uint32_t count = ts_node_child_count(slice);
  for (uint32_t i = 0; i < count; ++i) {
    TSNode c = ts_node_child(slice, i);
    if (!ts_node_is_named(c)) {
      if (text_of(c, src_) == ":") ++part;
      continue;
    }
    if (part > 2) throw GiveUp{"a slice"};
    Ref v = eval(c);
    Obj& vo = heap_[v.get()];
    if (vo.kind == Kind::None) continue;
    if (vo.kind != Kind::Int || !vo.has_value) throw GiveUp{"a slice bound the model does not know"};
    parts[part] = vo.ival;
  }
  Obj& o = heap_[obj];
  if (parts[2] && *parts[2] != 1) return stepped_slice(obj, parts[0], parts[1], *parts[2]);
  int64_t n = o.kind == Kind::Str || o.kind == Kind::Bytes ? o.len : static_cast<int64_t>(o.items.size());
  auto clamp = [&](std::optional<int64_t> v, int64_t dflt) {
    if (!v) return dflt;
    int64_t x = *v < 0 ? *v + n : *v;
    return std::clamp<int64_t>(x, 0, n);
  };
  int64_t lo = clamp(parts[0], 0), hi = clamp(parts[1], n);
  if (hi < lo) hi = lo;
  if (o.kind == Kind::List) {
    std::vector<Ref> items;
    for (int64_t i = lo; i < hi; ++i) items.push_back(share(o.items[static_cast<size_t>(i)]));
    int64_t len = static_cast<int64_t>(items.size());
    return make_list(std::move(items), len);
  }
  if (o.kind == Kind::Tuple) {
    if (lo == 0 && hi == n) return share(obj);
    std::vector<Ref> items;
    for (int64_t i = lo; i < hi; ++i) items.push_back(share(o.items[static_cast<size_t>(i)]));
    return make_tuple(std::move(items));
  }
  if (o.kind == Kind::Str && o.has_value) {
    if (lo == 0 && hi == n) return share(obj);  // s[:] is s
    return make_str(utf8_substr(o.text, lo, hi - lo));
  }
  if (o.kind == Kind::Bytes && o.has_value) {
    if (lo == 0 && hi == n) return share(obj);  // b[:] is b
    return make_bytes(o.text.substr(static_cast<size_t>(lo), static_cast<size_t>(hi - lo)));
  }
  throw GiveUp{"slicing a " + o.type + " is not modelled"};
}

// x[lo:hi:step] with a step other than 1 (PySlice_AdjustIndices): a new list (exactly sized),
// tuple or str of the items picked.
Ref Interp::stepped_slice(Id obj, std::optional<int64_t> start, std::optional<int64_t> stop, int64_t step) {
  if (step == 0) throw GiveUp{"slice step cannot be zero (ValueError)"};
  Obj& o = heap_[obj];
  if (o.kind != Kind::List && o.kind != Kind::Tuple && !(o.kind == Kind::Str && o.has_value))
    throw GiveUp{"slicing a " + o.type + " with a step is not modelled"};
  int64_t n = o.kind == Kind::Str ? o.len : static_cast<int64_t>(o.items.size());
  auto adjust = [&](std::optional<int64_t> v, int64_t dflt) {
    if (!v) return dflt;
    int64_t x = *v;
    if (x < 0) {
      x += n;
      if (x < 0) x = step < 0 ? -1 : 0;
    } else if (x >= n) {
      x = step < 0 ? n - 1 : n;
    }
    return x;
  };
  int64_t lo = adjust(start, step < 0 ? n - 1 : 0), hi = adjust(stop, step < 0 ? -1 : n);
  int64_t count = 0;
  if (step > 0 && lo < hi) count = (hi - lo - 1) / step + 1;
  if (step < 0 && hi < lo) count = (lo - hi - 1) / (-step) + 1;
  charge(count);
  if (o.kind == Kind::Str) {
    std::string text;
    for (int64_t k = 0; k < count; ++k) text += utf8_substr(heap_[obj].text, lo + k * step, 1);
    return make_str(std::move(text));
  }
  std::vector<Ref> items;
  for (int64_t k = 0; k < count; ++k) items.push_back(share(heap_[obj].items[static_cast<size_t>(lo + k * step)]));
  if (heap_[obj].kind == Kind::Tuple) return make_tuple(std::move(items));
  return make_list(std::move(items), count);
}

Ref Interp::eval_comprehension(TSNode node, const Sink* sink) {
  auto ty = type_of(node);
  Ref result;
  if (sink) {
  } else if (ty == "list_comprehension" || ty == "generator_expression") result = make_list({}, 0);
  else if (ty == "set_comprehension") result = new_set();
  else {
    Obj d;
    d.kind = Kind::Dict;
    d.type = "dict";
    result = fresh(std::move(d));
  }
  std::vector<TSNode> clauses;
  for (TSNode c : kids(node)) {
    auto ct = type_of(c);
    if (ct == "for_in_clause" || ct == "if_clause") clauses.push_back(c);
  }
  if (clauses.empty() || type_of(clauses[0]) != "for_in_clause") throw GiveUp{"a comprehension"};
  frame().comp.emplace_back();
  struct Pop {
    Interp* in;
    ~Pop() {
      auto vars = std::move(in->frame().comp.back());
      in->frame().comp.pop_back();
      for (auto& [n, id] : vars) {
        if (in->raising_) in->taint(id);  // kept by the traceback (3.11 frames), see PopFrame
        else in->decref(id);
      }
    }
  } pop{this};
  run_clauses(node, clauses, 0, result.get(), sink);
  return result;
}

bool Interp::run_clauses(TSNode node, const std::vector<TSNode>& clauses, size_t i, Id result, const Sink* sink) {
  DepthGuard guard(depth_);
  if (i == clauses.size()) {
    step(node);
    if (sink) return (*sink)(eval(field(node, "body")));
    Obj& r = heap_[result];
    if (r.kind == Kind::Dict) {
      TSNode pair = field(node, "body");
      Ref k = eval(field(pair, "key"));
      Ref v = eval(field(pair, "value"));
      dict_set(result, std::move(k), std::move(v));
    } else if (r.kind == Kind::Set) {
      set_add(result, eval(field(node, "body")));
    } else {
      Ref v = eval(field(node, "body"));
      list_append(result, std::move(v));
    }
    return true;
  }
  TSNode c = clauses[i];
  if (type_of(c) == "if_clause") {
    bool t;
    {
      Ref cond = eval(ts_node_named_child(c, 0));
      t = truth(cond.get());
    }
    return t ? run_clauses(node, clauses, i + 1, result, sink) : true;
  }
  Ref seq;
  {
    // The first iterable is evaluated in the enclosing scope, later ones inside.
    seq = eval(field(c, "right"));
  }
  Ref iter = make_iter(seq.get());
  seq.reset();
  while (true) {
    step(c);
    Ref item = iter_next(iter.get());
    if (!item) break;
    comp_assign(field(c, "left"), std::move(item));
    if (!run_clauses(node, clauses, i + 1, result, sink)) return false;
  }
  return true;
}

Ref Interp::call_with_generator(TSNode fn, TSNode gen) {
  if (type_of(fn) == "identifier") {
    std::string name(text_of(fn, src_));
    Id* s = slot(name, false);
    if (s && *s) return {};  // shadowed by a variable
    if (name == "all" || name == "any") {
      bool want = name == "any";
      bool found = false;
      Sink sink = [&](Ref v) {
        if (truth(v.get()) == want) found = true;
        return !found;
      };
      eval_comprehension(gen, &sink);
      return make_bool(want ? found : !found);
    }
    return {};  // the others get a generator (gen_object.cpp) and iterate it
  }
  if (type_of(fn) == "attribute" && text_of(field(fn, "attribute"), src_) == "join") {
    Ref obj = eval(field(fn, "object"));
    if (heap_[obj.get()].kind != Kind::Str) return {};
    Ref items = eval_comprehension(gen);
    Args args;
    args.positional.push_back(std::move(items));
    return call_method(obj.get(), "join", std::move(args), gen);
  }
  return {};
}

void Interp::comp_assign(TSNode target, Ref value) {
  DepthGuard guard(depth_);
  if (type_of(target) == "identifier") {
    auto& scope = frame().comp.back();
    std::string_view name = text_of(target, src_);
    Id v = value.release();
    if (Id* s = find_var(scope, name)) {
      Id old = *s;
      *s = v;
      decref(old);
    } else {
      scope.emplace_back(std::string(name), v);
    }
    return;
  }
  if (type_of(target) == "pattern_list" || type_of(target) == "tuple_pattern") {
    auto targets = kids(target);
    Obj& v = heap_[value.get()];
    if (vague(value.get()) || (v.kind != Kind::Tuple && v.kind != Kind::List) || v.items.size() != targets.size())
      throw GiveUp{"unpacking in a comprehension"};
    std::vector<Ref> items;
    for (Id item : v.items) items.push_back(share(item));
    value.reset();
    for (size_t i = 0; i < targets.size(); ++i) comp_assign(targets[i], std::move(items[i]));
    return;
  }
  throw GiveUp{"a comprehension target"};
}

// a < b, a == b … where an instance's class defines the special method (do_richcompare,
// slot_tp_richcompare): the left operand's method, else the right one's reflected method (a < b
// is b > a), `!=` from `__eq__` inverted (object.__ne__). The method is held while it runs and
// gets both operands. nullopt: no user method takes part (identity and the builtin rules apply).
std::optional<bool> Interp::user_compare(const std::string& op, Id a, Id b) {
  static const std::pair<const char*, std::pair<const char*, const char*>> kSlots[] = {
      {"<", {"__lt__", "__gt__"}}, {"<=", {"__le__", "__ge__"}}, {">", {"__gt__", "__lt__"}},
      {">=", {"__ge__", "__le__"}}, {"==", {"__eq__", "__eq__"}}, {"!=", {"__ne__", "__ne__"}}};
  const char* name = nullptr;
  const char* reflected = nullptr;
  for (const auto& [o, names] : kSlots)
    if (op == o) std::tie(name, reflected) = names;
  if (!name) return std::nullopt;
  auto method_of = [&](Id obj, const char* m) -> Id {
    const Obj& o = heap_[obj];
    if (o.kind != Kind::Instance || !o.cls) return 0;
    Id f = class_lookup(o.cls, m);
    if (f && heap_[f].kind != Kind::Function) throw GiveUp{std::string(m) + " that is not a plain function"};
    return f;
  };
  Id ca = heap_[a].kind == Kind::Instance ? heap_[a].cls : 0, cb = heap_[b].kind == Kind::Instance ? heap_[b].cls : 0;
  if (ca && cb && ca != cb) {  // a subclass's reflected method may go first: not followed
    bool any = method_of(a, name) || method_of(b, reflected) || method_of(a, "__eq__") || method_of(b, "__eq__");
    if (any) throw GiveUp{"comparing instances of two classes"};
    return std::nullopt;
  }
  auto call_cmp = [&](Id f, Id self, Id other) -> bool {
    Ref hold = share(f);
    Args args;
    args.positional.push_back(share(self));
    args.positional.push_back(share(other));
    Ref r = call_function(f, std::move(args), cur_stmt_node());
    const Obj& o = heap_[r.get()];
    if (o.kind != Kind::Bool) throw GiveUp{std::string("a comparison method returned a ") + o.type};
    return o.ival != 0;
  };
  bool invert = false;
  Id f = method_of(a, name);
  Id self = a, other = b;
  if (!f && op == "!=") {
    f = method_of(a, "__eq__");
    invert = f != 0;
  }
  if (!f) {
    f = method_of(b, reflected);
    self = b;
    other = a;
    if (!f && op == "!=") {
      f = method_of(b, "__eq__");
      invert = f != 0;
    }
  }
  if (!f) return std::nullopt;
  bool r = call_cmp(f, self, other);
  return invert ? !r : r;
}

}  // namespace c2py::runtime_model::engine
