// Definitions: def (defaults, keyword-only defaults, annotations), decorators, classes, imports,
// and the scope analysis of a function body.
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

std::vector<Param> Interp::parse_params(TSNode params, const std::function<void(const std::string&)>& unsupported) {
  std::vector<Param> out;
  bool star = false;
  for (TSNode p : kids(params)) {
    auto ty = type_of(p);
    Param param;
    TSNode inner = p;
    if (ty == "typed_parameter") {
      param.annotation = field(p, "type");
      for (TSNode c : kids(p))
        if (!ts_node_eq(c, param.annotation)) inner = c;
      ty = type_of(inner);
    }
    if (ty == "identifier") {
      param.name = std::string(text_of(inner, src_));
    } else if (ty == "default_parameter" || ty == "typed_default_parameter") {
      TSNode name = field(p, "name");
      if (type_of(name) != "identifier") {
        unsupported("a tuple parameter");
        continue;
      }
      param.name = std::string(text_of(name, src_));
      param.value = field(p, "value");
      if (ty == "typed_default_parameter") param.annotation = field(p, "type");
    } else if (ty == "list_splat_pattern" || ty == "dictionary_splat_pattern") {
      TSNode name = ts_node_named_child(inner, 0);
      if (ts_node_is_null(name) || type_of(name) != "identifier") {
        unsupported("a starred parameter the model does not read");
        continue;
      }
      param.name = std::string(text_of(name, src_));
      param.kind = ty == "list_splat_pattern" ? Param::VarArgs : Param::VarKeywords;
      if (param.kind == Param::VarArgs) star = true;
    } else if (ty == "keyword_separator") {
      star = true;
      continue;
    } else if (ty == "positional_separator") {
      for (auto& q : out) q.positional_only = true;
      continue;
    } else if (ty == "comment") {
      continue;
    } else {
      unsupported("a parameter of the form `" + std::string(ty) + "`");
      continue;
    }
    param.keyword_only = star && param.kind == Param::Plain;
    out.push_back(std::move(param));
  }
  return out;
}

const ScopeInfo& Interp::scope_of(TSNode def) {
  auto key = std::make_pair(static_cast<const void*>(def.tree), ts_node_start_byte(def));
  auto it = scopes_.find(key);
  if (it != scopes_.end()) return *it->second;
  // The same def (same text) in an earlier version of the module: its scope with this version's
  // nodes, unless walking it again would nest deeper than the model follows (and give up).
  if (scope_memo_.previous && module_node(def)) {
    auto known = scope_memo_.previous->by_text.find(std::string(text_of(def, src_)));
    if (known != scope_memo_.previous->by_text.end() && depth_ + known->second->nest <= kMaxDepth) {
      auto info = std::make_shared<ScopeInfo>(*known->second);
      info->def = def;
      info->params = parse_params(field(def, "parameters"), [](const std::string&) {});
      const ScopeInfo& ref = *info;
      scopes_.emplace(key, std::move(info));
      return ref;
    }
  }
  auto info = std::make_unique<ScopeInfo>();
  info->def = def;
  std::set<std::string> uses;
  std::vector<TSNode> nested;
  auto add_target = [&](TSNode t) {
    syntax::walk(t, [&](TSNode n) {
      auto ty = type_of(n);
      if (ty == "identifier") info->locals.insert(std::string(text_of(n, src_)));
      // Only plain names bind: a.b = … and a[i] = … do not.
      return ty != "attribute" && ty != "subscript";
    });
  };
  auto unsupported = [&](std::string why) {
    if (!info->unsupported) info->unsupported_reason = std::move(why);
    info->unsupported = true;
  };
  info->params = parse_params(field(def, "parameters"), unsupported);
  for (const auto& p : info->params) info->locals.insert(p.name);
  TSNode body = field(def, "body");
  if (type_of(def) == "function_definition") {
    TSNode first = ts_node_child(def, 0);
    if (!ts_node_is_null(first) && text_of(first, src_) == "async") unsupported("an async function");
  }
  syntax::walk(body, [&](TSNode n) {
    auto ty = type_of(n);
    if (ty == "function_definition" || ty == "class_definition") {
      info->locals.insert(std::string(text_of(field(n, "name"), src_)));
      if (ty == "function_definition") nested.push_back(n);
      else unsupported("a class defined inside a function");
      // Defaults and annotations are evaluated here, in this scope.
      auto use_all = [&](TSNode e) {
        syntax::walk(e, [&](TSNode m) {
          if (type_of(m) == "identifier") uses.insert(std::string(text_of(m, src_)));
          return true;
        });
      };
      for (TSNode p : kids(field(n, "parameters"))) {
        use_all(field(p, "value"));
        use_all(field(p, "type"));
      }
      use_all(field(n, "return_type"));
      return false;
    }
    if (ty == "lambda") {
      nested.push_back(n);
      return false;
    }
    if (ty == "list_comprehension" || ty == "set_comprehension" || ty == "dictionary_comprehension" ||
        ty == "generator_expression") {
      // Comprehension variables are their own scope; what they read comes from here.
      syntax::walk(n, [&](TSNode m) {
        if (type_of(m) == "identifier") uses.insert(std::string(text_of(m, src_)));
        auto mt = type_of(m);
        if (mt == "lambda" || mt == "function_definition") unsupported("a lambda inside a comprehension");
        return true;
      });
      return false;
    }
    if (ty == "assignment" || ty == "augmented_assignment") add_target(field(n, "left"));
    else if (ty == "for_statement") add_target(field(n, "left"));
    else if (ty == "delete_statement") add_target(ts_node_named_child(n, 0));
    else if (ty == "import_statement" || ty == "import_from_statement") {
      // Imports bind local names, like assignments.
      TSNode module = field(n, "module_name");
      for (TSNode c : kids(n)) {
        if (ts_node_eq(c, module)) continue;
        if (type_of(c) == "aliased_import") add_target(field(c, "alias"));
        else if (type_of(c) == "wildcard_import") unsupported("`import *` in a function");
        else {
          std::string name(text_of(c, src_));
          info->locals.insert(ty == "import_statement" ? name.substr(0, name.find('.')) : name);
        }
      }
      return false;
    } else if (ty == "except_clause") {
      add_target(field(n, "alias"));
      return true;
    } else if (ty == "try_statement") {
      return true;  // the body runs; handlers run only for raises the model knows (none)
    }
    else if (ty == "global_statement") {
      for (TSNode g : kids(n)) info->globals.insert(std::string(text_of(g, src_)));
    } else if (ty == "named_expression") {
      add_target(field(n, "name"));  // (x := v) binds x here, also inside a comprehension
    } else if (ty == "as_pattern") {
      add_target(field(n, "alias"));  // with … as x
    } else if (ty == "yield" && ts_node_is_named(n)) {
      info->generator = true;
      if (std::string why = yield_unsupported(n, body); !why.empty()) unsupported(why);
    } else if (ty == "nonlocal_statement" || ty == "await")
      unsupported("`" + std::string(ty) + "` in a function");  // generators and coroutines are not followed
    else if (ty == "identifier") uses.insert(std::string(text_of(n, src_)));
    return true;
  });
  if (type_of(def) == "lambda") {
    // A lambda body is an expression: its names were collected above as uses.
  }
  for (const auto& g : info->globals) info->locals.erase(g);
  std::set<std::string> inner_needs;
  for (TSNode n : nested) {
    DepthGuard guard(depth_);
    const ScopeInfo& child = scope_of(n);
    info->nest = std::max(info->nest, child.nest + 1);
    if (child.unsupported) unsupported(child.unsupported_reason + " (in a nested function)");
    inner_needs.insert(child.needs.begin(), child.needs.end());
  }
  for (const auto& name : inner_needs) {
    if (info->locals.count(name)) info->cellvars.insert(name);
    else if (!info->globals.count(name)) info->needs.insert(name);
  }
  for (const auto& name : uses)
    if (!info->locals.count(name) && !info->globals.count(name)) info->needs.insert(name);
  info->index_roles();
  const ScopeInfo& ref = *info;
  scopes_.emplace(key, std::move(info));
  return ref;
}

void Interp::exec_import(TSNode stmt) {
  auto ty = type_of(stmt);
  if (ty == "import_statement") {
    for (TSNode n : kids(stmt)) {
      std::string name, alias;
      if (type_of(n) == "aliased_import") {
        name = std::string(text_of(field(n, "name"), src_));
        alias = std::string(text_of(field(n, "alias"), src_));
      } else {
        name = std::string(text_of(n, src_));
        alias = name.substr(0, name.find('.'));
      }
      Id mod = hidden_object(Kind::Module, name);
      if (name != "sys" && name != "gc" && name != "array") heap_[mod].unknown = true;
      store_name(alias, share(mod));
    }
    return;
  }
  std::string module_name(text_of(field(stmt, "module_name"), src_));
  for (TSNode n : kids(stmt)) {
    if (ts_node_eq(n, field(stmt, "module_name"))) continue;
    std::string name, alias;
    if (type_of(n) == "aliased_import") {
      name = std::string(text_of(field(n, "name"), src_));
      alias = std::string(text_of(field(n, "alias"), src_));
    } else if (type_of(n) == "dotted_name") {
      name = alias = std::string(text_of(n, src_));
    } else if (type_of(n) == "wildcard_import") {
      // The names it binds are not known: a name the model cannot find is then taken to come
      // from it, as an object the model does not know.
      star_import_ = true;
      continue;
    } else {
      continue;
    }
    // A name from another module: a builtin the model follows (sys.getsizeof…), or a value it
    // does not know (math.pi, a class, a function): opaque, so what is computed from it is too.
    if (Id c = module_constant(module_name + "." + name)) {
      store_name(alias, share(c));
      continue;
    }
    if (Id f = library_function(module_name + "." + name)) {
      store_name(alias, share(f));
      continue;
    }
    bool known = known_callable(module_name + "." + name);
    Id member = hidden_object(known ? Kind::Builtin : Kind::Opaque, module_name + "." + name);
    if (!known) heap_[member].unknown = true;
    store_name(alias, share(member));
  }
}

Id Interp::library_function(const std::string& full) {
  // Functions written in Python in the standard library (type `function` on 3.11–3.13, checked).
  static constexpr std::string_view kPython[] = {
      "doctest.testmod", "dataclasses.dataclass", "dataclasses.field", "functools.lru_cache", "functools.cache",
      "functools.wraps", "typing.overload", "statistics.mean", "statistics.median", "copy.deepcopy", "copy.copy",
      "timeit.timeit"};
  if (std::find(std::begin(kPython), std::end(kPython), full) == std::end(kPython)) return 0;
  if (auto it = library_functions_.find(full); it != library_functions_.end()) return it->second;
  Obj fn;
  fn.kind = Kind::Function;  // without a def: called as a library callable (call())
  fn.type = "function";
  fn.name = full;
  // Shared with its module and whatever the library keeps (a dispatch table, a cache): no count
  // of the program's is shown for it, as for math.pi.
  fn.constant = true;
  Id id = fresh(std::move(fn)).release();  // the module's reference, never released
  --gc_allocs_;  // it existed before: importing it allocates nothing of the program's
  library_functions_.emplace(full, id);
  return id;
}

void Interp::define_function(TSNode def) {
  Ref r = make_function(def);
  store_name(text_of(field(def, "name"), src_), std::move(r));
}

void Interp::define_decorated(TSNode stmt) {
  TSNode def = field(stmt, "definition");
  std::vector<TSNode> decorators;
  for (TSNode d : kids(stmt))
    if (type_of(d) == "decorator") decorators.push_back(ts_node_named_child(d, 0));
  std::string name(text_of(field(def, "name"), src_));
  if (decorators.size() == 1 && type_of(decorators[0]) == "identifier" && type_of(def) == "function_definition" &&
      frame().is_class) {
    std::string wrapper(text_of(decorators[0], src_));
    if ((wrapper == "staticmethod" || wrapper == "classmethod" || wrapper == "property") && !slot(wrapper, false)) {
      Ref fn = make_function(def);
      Obj w;
      w.kind = Kind::Opaque;
      w.type = wrapper;
      w.name = "@" + wrapper;
      w.constant = true;  // held by the class; no count shown
      w.attrs.emplace_back("__func__", fn.release());
      heap_.push_back(std::move(w));
      Id id = static_cast<Id>(heap_.size() - 1);
      store_name(name, share(id));
      return;
    }
  }
  std::vector<Ref> callables;
  for (TSNode d : decorators) callables.push_back(eval(d));
  if (decorators.size() == 1 && type_of(def) == "class_definition" &&
      heap_[callables[0].get()].name == "dataclasses.dataclass") {
    define_class(def);
    Id* s = slot(name, false);
    if (!s || !*s || heap_[*s].kind != Kind::Class) throw GiveUp{"a decorated class the model lost"};
    make_dataclass(*s, def);
    return;
  }
  Ref obj;
  if (type_of(def) == "function_definition") {
    obj = make_function(def);
  } else if (type_of(def) == "class_definition") {
    define_class(def);
    Id* s = slot(name, false);
    if (!s || !*s) throw GiveUp{"a decorated class the model lost"};
    obj = share(*s);
  } else {
    throw GiveUp{"this decorated definition is not modelled"};
  }
  for (size_t i = callables.size(); i-- > 0;) {
    Id callee = callables[i].get();
    const Obj& f = heap_[callee];
    if ((f.kind == Kind::Function && !ts_node_is_null(f.def)) || f.kind == Kind::Class) {
      Args args;
      args.positional.push_back(std::move(obj));
      obj = call(callee, std::move(args), stmt);
    } else {
      if (f.runs_user_code) throw GiveUp{"a decorator that runs code the model does not follow"};
      taint(obj.get());  // the decorator keeps it, and may wrap it
      Ref wrapped = opaque();
      heap_[wrapped.get()].runs_user_code = true;
      obj = std::move(wrapped);
    }
  }
  store_name(name, std::move(obj));
}

Ref Interp::make_function(TSNode def) {
  // At module or class level a def reads only its parameters now (capture_cells needs the body's
  // scope inside functions only): the walk of the body waits for a call. A def of fewer than
  // 7 bytes per level the model follows cannot nest deep enough for that walk to give up here
  // (each nested def or lambda takes at least `lambda:`).
  ScopeInfo params_only;
  const ScopeInfo* scope = nullptr;
  uint32_t bytes = ts_node_end_byte(def) - ts_node_start_byte(def);
  if (!frame().scope && depth_ + static_cast<int>(bytes / 7) <= kMaxDepth &&
      !scopes_.count({static_cast<const void*>(def.tree), ts_node_start_byte(def)})) {
    params_only.params = parse_params(field(def, "parameters"), [](const std::string&) {});
    scope = &params_only;
  } else {
    scope = &scope_of(def);
  }
  const ScopeInfo& info = *scope;
  Obj fn;
  fn.kind = Kind::Function;
  fn.type = "function";
  fn.def = def;
  fn.name = type_of(def) == "lambda" ? "<lambda>" : std::string(text_of(field(def, "name"), src_));
  std::vector<Ref> defaults;
  std::vector<std::pair<std::string, Ref>> kwdefaults;
  for (const auto& p : info.params) {
    if (ts_node_is_null(p.value)) continue;
    if (p.keyword_only) kwdefaults.emplace_back(p.name, eval(p.value));
    else defaults.push_back(eval(p.value));
  }
  for (const auto& p : info.params)
    if (!ts_node_is_null(p.annotation)) check_annotation(p.annotation);
  check_annotation(field(def, "return_type"));
  if (!defaults.empty()) fn.defaults = make_tuple(std::move(defaults)).release();
  if (!kwdefaults.empty()) {
    Obj d;
    d.kind = Kind::Dict;
    d.type = "dict";
    d.size_unknown = true;  // built by BUILD_CONST_KEY_MAP, presized: not followed here
    Ref dict = fresh(std::move(d));
    for (auto& [k, v] : kwdefaults) dict_set(dict.get(), make_str(k, true), std::move(v));
    fn.kwdefaults = dict.release();
  }
  capture_cells(fn, info);
  return fresh(std::move(fn));
}

void Interp::check_annotation(TSNode ann) {
  if (ts_node_is_null(ann) || future_annotations_) return;
  syntax::walk(ann, [&](TSNode n) {
    auto ty = type_of(n);
    if (ty == "string" || ty == "attribute") {
      if (ty == "attribute") check_annotation_name(leftmost_name(n));
      return false;  // a string is not evaluated further; only an attribute's object is a name
    }
    if (ty == "identifier") check_annotation_name(n);
    return true;
  });
}

TSNode Interp::leftmost_name(TSNode n) {
  for (int guard = 0; guard < kMaxDepth && !ts_node_is_null(n) && type_of(n) == "attribute"; ++guard)
    n = field(n, "object");
  return n;
}

void Interp::check_annotation_name(TSNode n) {
  if (ts_node_is_null(n) || type_of(n) != "identifier") return;
  std::string_view name = text_of(n, src_);
  Id* s = slot(name, false);
  if (s && *s) {
    const Obj& o = heap_[*s];
    if (!o.constant && !o.hidden && o.kind != Kind::Class) taint(*s);
    return;
  }
  if (builtin(name) || is_builtin_name(name) || star_import_) return;
  throw GiveUp{"`" + std::string(name) + "` in an annotation is not defined (NameError)"};
}

void Interp::capture_cells(Obj& fn, const ScopeInfo& info) {
  Frame& f = frame();
  if (!f.scope) return;  // module level: free names are globals
  for (const auto& name : info.needs) {
    if (f.scope->cellvars.count(name)) {
      Id* cell = frame_var(f, HashedName(name));
      if (!cell) throw GiveUp{"closure over an unbound cell"};
      incref(*cell);
      fn.cells.emplace_back(name, *cell);
    } else if (f.func) {
      for (auto& [n, cell] : heap_[f.func].cells)
        if (n == name) {
          incref(cell);
          fn.cells.emplace_back(name, cell);
        }
    }
  }
}

void Interp::define_class(TSNode def) {
  if (frames_.size() != 1) throw GiveUp{"a class defined inside a function is not modelled"};
  Obj cls;
  cls.kind = Kind::Class;
  cls.type = "type";
  cls.name = std::string(text_of(field(def, "name"), src_));
  cls.def = def;  // its docstring, for doctest
  cls.constant = true;  // classes are referred to by their MRO, subclasses, methods…: no count
  TSNode supers = field(def, "superclasses");
  bool keywords = false;
  if (!ts_node_is_null(supers)) {
    std::vector<TSNode> bases;
    for (TSNode b : kids(supers)) {
      // metaclass=…, class keywords: a class the model defines but whose instances it does
      // not make (the metaclass decides what calling it does).
      if (type_of(b) == "keyword_argument") keywords = true;
      else if (type_of(b) != "comment") bases.push_back(b);
    }
    if (bases.size() > 1) cls.has_slots = true;  // multiple inheritance: instances give up
    if (bases.size() == 1 && text_of(bases[0], src_) != "object") {
      Ref base = eval(bases[0]);
      // A base the model does not know (an exception class, a library class): the class
      // exists, but making an instance gives up.
      if (heap_[base.get()].kind != Kind::Class) cls.has_slots = true;
      else {
      cls.cls = base.get();
      cls.has_del = heap_[base.get()].has_del;
      cls.has_slots = heap_[base.get()].has_slots;
      cls.has_repr = heap_[base.get()].has_repr;
      cls.has_eq = heap_[base.get()].has_eq;
      cls.has_truth = heap_[base.get()].has_truth;
      }
    }
  }
  if (keywords) cls.has_slots = true;
  heap_.push_back(std::move(cls));
  Id id = static_cast<Id>(heap_.size() - 1);
  auto body_frame = new_frame();
  body_frame->is_class = true;
  frames_.push_back(std::move(body_frame));
  Flow flow = exec_block(field(def, "body"), 0);
  if (flow != Flow::Normal) throw GiveUp{"a jump out of a class body"};
  auto vars = std::move(frame().vars);
  frames_.pop_back();
  for (auto& [name, value] : vars) {
    if (name == "__del__") heap_[id].has_del = true;
    if (name == "__slots__") heap_[id].has_slots = true;
    if (name == "__getattr__" || name == "__getattribute__" || name == "__setattr__" || name == "__new__" ||
        name == "__init_subclass__" || name == "__class_getitem__" || name == "__delattr__" ||
        name == "__set_name__")
      heap_[id].has_slots = true;  // special behaviour the model does not follow
    // Instances are made; the operations that would run these give up (equality, hashing,
    // truth; iterating and len() of an instance give up anyway).
    if (name == "__eq__" || name == "__ne__" || name == "__hash__") heap_[id].has_eq = true;
    if (name == "__bool__" || name == "__len__") heap_[id].has_truth = true;
    if (name == "__str__" || name == "__repr__" || name == "__format__") heap_[id].has_repr = true;
    heap_[id].attrs.emplace_back(name, value);
  }
  heap_[id].rc = 1;
  store_name(heap_[id].name, Ref(this, id));
}

}  // namespace c2py::runtime_model::engine

namespace c2py::runtime_model::engine {

void Interp::make_dataclass(Id cls, TSNode def) {
  Obj& c = heap_[cls];
  if (c.cls || c.has_slots) throw GiveUp{"a dataclass with a base class or special methods is not modelled"};
  struct Field {
    std::string name;
    Id value = 0;  // the class attribute: its default
  };
  std::vector<Field> fields;
  TSNode body = field(def, "body");
  for (TSNode stmt : kids(body)) {
    if (type_of(stmt) != "expression_statement") continue;
    TSNode e = ts_node_named_child(stmt, 0);
    if (type_of(e) != "assignment" || ts_node_is_null(field(e, "type"))) continue;
    TSNode left = field(e, "left");
    if (type_of(left) != "identifier") throw GiveUp{"a dataclass field the model does not read"};
    std::string ann(text_of(field(e, "type"), src_));
    if (ann.find("ClassVar") != std::string::npos || ann.find("InitVar") != std::string::npos ||
        ann.find("KW_ONLY") != std::string::npos)
      throw GiveUp{"a dataclass with ClassVar, InitVar or KW_ONLY fields is not modelled"};
    Field f;
    f.name = std::string(text_of(left, src_));
    if (!ts_node_is_null(field(e, "right"))) {
      for (const auto& [n, v] : heap_[cls].attrs)
        if (n == f.name) f.value = v;
      const Obj& d = heap_[f.value];
      if (!f.value || !is_hashable_known(f.value) ||
          !(d.kind == Kind::None || d.kind == Kind::Bool || d.kind == Kind::Int || d.kind == Kind::Float ||
            d.kind == Kind::Str || d.kind == Kind::Bytes || d.kind == Kind::Tuple))
        throw GiveUp{"a dataclass field default the model does not follow"};
    } else if (!fields.empty() && fields.back().value) {
      throw GiveUp{"a dataclass field without a default after one with a default (TypeError)"};
    }
    for (const auto& g : fields)
      if (g.name == f.name) throw GiveUp{"a dataclass field declared twice"};
    fields.push_back(std::move(f));
  }
  // The generated methods: __eq__ (and __hash__ = None) and __repr__, unless the class has its own.
  heap_[cls].has_eq = true;
  heap_[cls].has_repr = true;
  if (class_lookup(cls, "__init__")) return;  // the class's own __init__ stays
  std::string text = "def __init__(self";
  for (const auto& f : fields) text += ", " + f.name + (f.value ? "=None" : "");
  text += "):\n";
  for (const auto& f : fields) text += "    self." + f.name + " = " + f.name + "\n";
  if (fields.empty()) text += "    pass\n";
  syntax::Parser parser(syntax::Language::Python);
  auto source = std::make_unique<DoctestSource>();
  source->text = std::move(text);
  source->tree = parser.parse(source->text);
  if (source->tree.has_error()) throw GiveUp{"a dataclass the model cannot generate"};
  TSNode init_def = ts_node_named_child(source->tree.root(), 0);
  doctest_sources_.push_back(std::move(source));
  const ScopeInfo& info = scope_of(init_def);
  if (info.unsupported) throw GiveUp{"a dataclass the model cannot generate"};
  Obj fn;
  fn.kind = Kind::Function;
  fn.type = "function";
  fn.def = init_def;
  fn.name = "__init__";
  fn.generated = true;
  std::vector<Ref> defaults;
  for (const auto& f : fields)
    if (f.value) defaults.push_back(share(f.value));
  if (!defaults.empty()) fn.defaults = make_tuple(std::move(defaults)).release();
  Ref init = fresh(std::move(fn));
  heap_[cls].attrs.emplace_back("__init__", init.release());
}

}  // namespace c2py::runtime_model::engine
