// Calls: arguments, user functions (parameter binding as initialize_locals does), classes,
// unknown callees, and the dispatch of methods to each type's file.
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

Interp::Args Interp::eval_args(TSNode arglist, bool soft) {
  Args args;
  if (sym(arglist) == Sym::generator_expression) {  // f(x for x in xs): one argument, a generator
    args.positional.push_back(make_genexpr(arglist, soft));
    return args;  // (empty when it gave up softly)
  }
  bool star = false;
  Ref lone_tuple;  // f(*t) with t a tuple: CPython passes t itself
  for (TSNode a : kids(arglist)) {
    Sym ty = sym(a);
    if (ty == Sym::keyword_argument) {
      args.keywords.emplace_back(std::string(text_of(field(a, "name"), src_)), eval(field(a, "value")));
    } else if (ty == Sym::dictionary_splat) {
      throw GiveUp{"**kwargs in a call are not modelled"};
    } else if (ty == Sym::list_splat) {
      // Only a list or tuple the model knows is unpacked.
      Ref seq = eval(ts_node_named_child(a, 0));
      const Obj& s = heap_[seq.get()];
      if (vague(seq.get()) || (s.kind != Kind::List && s.kind != Kind::Tuple))
        throw GiveUp{"*args of a value the model does not unpack"};
      for (Id item : s.items) args.positional.push_back(share(item));
      star = true;
      if (kids(arglist).size() == 1 && s.kind == Kind::Tuple) lone_tuple = std::move(seq);
    } else if (ty == Sym::comment) {
      continue;
    } else {
      args.positional.push_back(eval(a));
    }
  }
  args.starred = star;
  if (star) {
    // The call's argument tuple holds every positional argument; the callee gets new references.
    std::vector<Ref> items;
    for (auto& r : args.positional) items.push_back(std::move(r));
    args.star = lone_tuple ? std::move(lone_tuple) : make_tuple(std::move(items));
    items.clear();
    args.positional.clear();
    for (Id item : heap_[args.star.get()].items) args.positional.push_back(share(item));
    // 3.12+ push the callee's frame from the tuple and drop it before the body runs (measured).
    if (version_.minor >= 12) args.star.reset();
  }
  return args;
}

Ref Interp::eval_call(TSNode node, bool soft) {
  FieldList& fc = fields(node);
  TSNode fn = fc["function"];
  TSNode arglist = fc["arguments"];
  if (sym(arglist) == Sym::generator_expression)
    if (Ref r = call_with_generator(fn, arglist)) return r;
  if (sym(fn) == Sym::attribute) {
    FieldList& ff = fields(fn);
    Ref obj = eval(ff["object"]);
    std::string name(text_of(ff["attribute"], src_));
    Obj& o = heap_[obj.get()];
    if (o.kind == Kind::Instance) {
      Id method = 0;
      for (auto& [n, id] : o.attrs)
        if (n == name) method = id;
      if (!method) method = class_lookup(o.cls, name);
      if (!method) throw GiveUp{"." + name + "() is not defined on " + o.type + " (AttributeError)"};
      // A staticmethod's __get__ gives its function: called without self.
      if (Id static_fn = static_function(method); static_fn && !has_attr(o, name)) {
        obj.reset();
        Ref m = share(static_fn);
        Args args = eval_args(arglist);
        return call(m.get(), std::move(args), node);
      }
      Ref m = share(method);
      Args args = eval_args(arglist);
      if (args.starred) throw GiveUp{"a method called with *args is not modelled"};
      if (heap_[method].kind == Kind::Function && !has_attr(o, name)) {
        args.positional.insert(args.positional.begin(), std::move(obj));
      }
      return call(m.get(), std::move(args), node);
    }
    if (o.kind == Kind::Module || o.kind == Kind::Class) {
      Ref callee = get_attr(obj.get(), name);
      obj.reset();
      Args args = eval_args(arglist);
      return call(callee.get(), std::move(args), node);
    }
    Args args = eval_args(arglist);
    return call_method(obj.get(), name, std::move(args), node);
  }
  Ref callee = eval(fn);
  Args args = eval_args(arglist, soft);
  if (soft_give_up_) return {};
  return call(callee.get(), std::move(args), node, soft);
}

bool Interp::has_attr(const Obj& o, const std::string& name) {
  for (auto& [n, id] : o.attrs)
    if (n == name) return true;
  return false;
}

Ref Interp::call(Id callee, Args args, TSNode node, bool soft) {
  Obj& f = heap_[callee];
  if (f.runs_user_code) throw GiveUp{"calling a decorated function runs code the model does not follow"};
  if (f.kind == Kind::Builtin && is_reflective(f.name)) throw GiveUp{f.name + "() reads or changes names the model follows"};
  if (!f.name.empty() && f.name[0] == '@') throw GiveUp{"calling a " + f.type + " is not modelled"};
  bool library = f.kind == Kind::Function && ts_node_is_null(f.def);  // library_function()
  if (f.kind == Kind::Function && !library) {
    // 3.11's CALL_FUNCTION_EX keeps the function on its stack besides the frame's reference.
    if (args.starred && version_.minor == 11 && !args.keywords.empty())
      throw GiveUp{"a call with *args and keywords (3.11 copies them in ways the model does not follow)"};
    Ref held = args.starred && version_.minor == 11 ? share(callee) : Ref();
    return call_function(callee, std::move(args), node);
  }
  if (f.kind == Kind::Class) return instantiate(callee, std::move(args), node);
  if (f.kind == Kind::Builtin && !f.unknown) return call_builtin(f.name, std::move(args), node, soft);
  if (f.kind == Kind::Opaque && f.name.rfind("numpy.", 0) == 0) note_numpy(f.name, args);
  if (f.name == "doctest.testmod" && args.positional.empty() && !foreign_) {
    bool plain = true;
    // name= only renames the tests ("name.f" for "__main__.f"): their order is the same.
    for (auto& [k, v] : args.keywords) plain &= k == "verbose" || k == "optionflags" || k == "report" || k == "name";
    if (plain) return run_doctests();
  }
  if (runs_main_module(f.name)) throw GiveUp{f.name + "() runs the module's own code"};
  if (library && f.name == "copy.deepcopy") return call_deepcopy(args);
  if (f.unknown || f.kind == Kind::Builtin || f.kind == Kind::Opaque || library) {
    // An unknown callee may keep or change what it is given: those objects become unknown.
    check_unknown_call(args);
    for (auto& a : args.positional) taint(a.get());
    for (auto& [n, a] : args.keywords) taint(a.get());
    Obj o;
    o.kind = Kind::Opaque;
    o.type = "object";
    o.unknown = true;
    return fresh(std::move(o));
  }
  throw GiveUp{"calling a " + f.type};
}

void Interp::note_numpy(const std::string& name, const Args& args) {
  if (name != "numpy.zeros" && name != "numpy.ones" && name != "numpy.empty" && name != "numpy.full") return;
  if (args.positional.empty() || stopping_ || !track_ || active_.empty()) return;
  const Obj& shape = heap_[args.positional[0].get()];
  double items = 1;
  if (shape.kind == Kind::Int && shape.has_value) items = static_cast<double>(shape.ival);
  else if (shape.kind == Kind::Tuple) {
    for (Id d : shape.items) {
      if (heap_[d].kind != Kind::Int || !heap_[d].has_value) return;
      items *= static_cast<double>(heap_[d].ival);
    }
  } else {
    return;
  }
  std::string dtype = "float64";
  for (const auto& [k, v] : args.keywords) {
    if (k != "dtype") continue;
    const Obj& d = heap_[v.get()];
    if (d.kind == Kind::Str && d.has_value) dtype = d.text;
    else if (d.name.rfind("numpy.", 0) == 0) dtype = d.name.substr(6);
    else return;
  }
  int width = 0;
  if (dtype == "int8" || dtype == "uint8" || dtype == "bool" || dtype == "bool_") width = 1;
  else if (dtype == "int16" || dtype == "uint16" || dtype == "float16") width = 2;
  else if (dtype == "int32" || dtype == "uint32" || dtype == "float32") width = 4;
  else if (dtype == "int64" || dtype == "uint64" || dtype == "float64" || dtype == "complex64" ||
           dtype == "float" || dtype == "int")
    width = 8;
  else if (dtype == "complex128") width = 16;
  if (!width || items < 0) return;
  int64_t bytes = static_cast<int64_t>(items) * width;
  auto& ev = result_.lines[active_.back().line];
  if (ev.size_labels.size() < 2 && bytes >= kBigObject)
    ev.size_labels.push_back("ndarray data " + human_size(bytes) + " (" + dtype + ")");
}

void Interp::check_unknown_call(const Args& args) {
  if (handlers_ > 0) throw GiveUp{"a call the model does not know, inside try … except"};
  auto check = [&](Id id) {
    Kind k = heap_[id].kind;
    if (k == Kind::Function || k == Kind::Instance || k == Kind::Class)
      throw GiveUp{"user code passed to a function the model does not know"};
  };
  for (auto& a : args.positional) check(a.get());
  for (auto& [n, a] : args.keywords) check(a.get());
}

Ref Interp::call_function(Id fn_id, Args args, TSNode) {
  if (frames_.size() >= static_cast<size_t>(kMaxFrames)) throw GiveUp{"recursion deeper than the model follows"};
  TSNode def = heap_[fn_id].def;
  const ScopeInfo& info = scope_of(def);
  if (info.unsupported) throw GiveUp{"a function with " + info.unsupported_reason};
  // Generated code (a dataclass's __init__) is not the program's: its lines are not recorded.
  struct Foreign {
    Interp* in;
    bool was;
    uint32_t line;
    ~Foreign() {
      in->foreign_ = was;
      in->foreign_line_ = line;
    }
  } foreign{this, foreign_, foreign_line_};
  if (heap_[fn_id].generated && !foreign_) {
    foreign_ = true;
    foreign_line_ = cur_line_;
  }
  // The caller holds the function object while the call runs (measured: one reference per
  // active call, whether the stack or the frame holds it).
  auto fr = new_frame();
  fr->scope = &info;
  fr->func = fn_id;
  Ref star = std::move(args.star);  // 3.11: the stack keeps f(*xs)'s tuple while the call runs
  std::vector<std::pair<std::string, Ref>> bound = bind_arguments(fn_id, info, std::move(args));
  frames_.push_back(std::move(fr));
  Frame& f = frame();
  // Cells first (MAKE_CELL), so a parameter captured by a closure lives in its cell.
  for (const auto& cv : info.cellvars) {
    Obj cell;
    cell.kind = Kind::Cell;
    cell.type = "cell";
    Id id = fresh(std::move(cell)).release();
    *frame_add(f, cv) = id;
  }
  for (auto& [name, value] : bound) store_name(name, std::move(value));
  if (info.generator) {  // the frame goes to a generator, which runs it on next()
    std::unique_ptr<Frame> gen_frame = std::move(frames_.back());
    frames_.pop_back();
    return make_generator(fn_id, std::move(gen_frame));
  }
  Ref ret;
  {
    struct PopFrame {
      Interp* in;
      bool armed = true;
      ~PopFrame() {
        if (!armed) return;
        std::unique_ptr<Frame> dead = std::move(in->frames_.back());
        in->frames_.pop_back();
        if (std::uncaught_exceptions() > 0) {
          // A Python exception: the traceback keeps the frame (its locals, its function) until
          // the cyclic GC frees the exception's cycle, which the model cannot time: unknown.
          if (in->raising_) {
            for (auto& [n, id] : dead->vars) in->taint(id);
            // The frame holds its function: one reference more until the GC frees the cycle.
            if (dead->func) in->held_by_traceback(dead->func);
          }
          return;  // the model stopped, or the frame's references stay with the traceback
        }
        // Locals are released in slot order when the frame is cleared; what that frees is
        // attributed to the frame's last statement (its return).
        in->return_attr_ = std::make_pair(dead->last_line, dead->last_first);
        in->return_serial_ = dead->serial;
        size_t mark = in->freed_.size();
        for (auto& [n, id] : dead->vars) in->decref(id);
        dead->vars.clear();
        in->return_attr_.reset();
        in->note_return_frees(*dead, mark);
      }
    } pop{this};
    if (type_of(def) == "lambda") {
      frame().ret = eval(field(def, "body"));
    } else {
      Flow flow = exec_block(field(def, "body"), 0);
      if (flow == Flow::Break || flow == Flow::Continue) throw GiveUp{"break outside a loop"};
      if (!frame().ret) frame().ret = make_none();
    }
    ret = std::move(frame().ret);
  }
  return ret;
}

std::vector<std::pair<std::string, Ref>> Interp::bind_arguments(Id fn_id, const ScopeInfo& info, Args args) {
  const auto& params = info.params;
  std::vector<Ref> values(params.size());
  size_t next_pos = 0;
  std::vector<Ref> extra;
  for (auto& a : args.positional) {
    while (next_pos < params.size() && (params[next_pos].kind != Param::Plain || params[next_pos].keyword_only)) {
      if (params[next_pos].kind == Param::VarArgs) break;
      ++next_pos;
    }
    if (next_pos < params.size() && params[next_pos].kind == Param::Plain && !params[next_pos].keyword_only)
      values[next_pos++] = std::move(a);
    else extra.push_back(std::move(a));
  }
  size_t varargs = params.size(), varkw = params.size();
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].kind == Param::VarArgs) varargs = i;
    if (params[i].kind == Param::VarKeywords) varkw = i;
  }
  if (!extra.empty() && varargs == params.size()) throw GiveUp{"too many arguments (TypeError)"};
  std::vector<std::pair<std::string, Ref>> kwextra;
  for (auto& [k, v] : args.keywords) {
    size_t i = 0;
    for (; i < params.size(); ++i)
      if (params[i].kind == Param::Plain && !params[i].positional_only && params[i].name == k) break;
    if (i < params.size()) {
      if (values[i]) throw GiveUp{"multiple values for argument `" + k + "` (TypeError)"};
      values[i] = std::move(v);
    } else if (varkw < params.size()) {
      kwextra.emplace_back(k, std::move(v));
    } else {
      throw GiveUp{"unexpected keyword argument `" + k + "` (TypeError)"};
    }
  }
  // Positional defaults align with the last positional parameters that have one.
  const Obj& fn = heap_[fn_id];
  size_t n_pos_defaults = 0;
  for (const auto& p : params)
    if (p.kind == Param::Plain && !p.keyword_only && !ts_node_is_null(p.value)) ++n_pos_defaults;
  size_t default_index = 0;
  for (size_t i = 0; i < params.size(); ++i) {
    const Param& p = params[i];
    if (p.kind == Param::VarArgs) {
      values[i] = make_tuple(std::move(extra));
      continue;
    }
    if (p.kind == Param::VarKeywords) {
      Obj d;
      d.kind = Kind::Dict;
      d.type = "dict";
      values[i] = fresh(std::move(d));
      for (auto& [k, v] : kwextra) dict_set(values[i].get(), make_str(k, true), std::move(v));
      continue;
    }
    bool has_default = !ts_node_is_null(p.value);
    if (!values[i] && has_default) {
      if (p.keyword_only) {
        if (!fn.kwdefaults) throw GiveUp{"a keyword-only default the model lost"};
        Id key = make_str(p.name, true).get();
        auto at = dict_find(heap_[fn.kwdefaults], key);
        if (!at) throw GiveUp{"a keyword-only default the model lost"};
        values[i] = share(heap_[fn.kwdefaults].values[*at]);
      } else {
        if (!fn.defaults || default_index >= heap_[fn.defaults].items.size()) throw GiveUp{"a default the model lost"};
        values[i] = share(heap_[fn.defaults].items[default_index]);
      }
    }
    if (has_default && !p.keyword_only) ++default_index;
    if (!values[i]) throw GiveUp{"missing argument `" + p.name + "` (TypeError)"};
  }
  (void)n_pos_defaults;
  std::vector<std::pair<std::string, Ref>> bound;
  for (size_t i = 0; i < params.size(); ++i) bound.emplace_back(params[i].name, std::move(values[i]));
  return bound;
}

Ref Interp::instantiate(Id cls, Args args, TSNode node) {
  Obj& c = heap_[cls];
  if (args.starred) throw GiveUp{"a class called with *args is not modelled"};
  if (c.has_slots) throw GiveUp{"class " + c.name + " defines special methods the model does not follow"};
  Obj inst;
  inst.kind = Kind::Instance;
  inst.type = c.name;
  inst.cls = cls;
  Ref self = fresh(std::move(inst));
  Id init = class_lookup(cls, "__init__");
  if (init) {
    if (heap_[init].kind != Kind::Function) throw GiveUp{"an __init__ the model does not know"};
    // Calling a class is not a Python-to-Python call: the caller's stack keeps its
    // references to the arguments, and type_call packs them into an args tuple (and a kwargs
    // dict): two more references to each argument while __init__ runs (measured, 3.11–3.13).
    std::vector<Ref> held;
    for (auto& arg : args.positional) {
      held.push_back(share(arg.get()));
      held.push_back(share(arg.get()));
    }
    for (auto& [k, arg] : args.keywords) {
      held.push_back(share(arg.get()));
      held.push_back(share(arg.get()));
    }
    if (!args.keywords.empty()) {
      // With keywords, _PyStack_UnpackDict copies self and every argument into a new array.
      held.push_back(share(self.get()));
      for (auto& arg : args.positional) held.push_back(share(arg.get()));
      for (auto& [k, arg] : args.keywords) held.push_back(share(arg.get()));
    }
    args.positional.insert(args.positional.begin(), share(self.get()));
    Ref method = share(init);  // slot_tp_init looks __init__ up: a new reference for the call
    Ref r = call_function(init, std::move(args), node);
    if (heap_[r.get()].kind != Kind::None) throw GiveUp{"__init__ returned a value (TypeError)"};
  } else if (!args.positional.empty() || !args.keywords.empty()) {
    throw GiveUp{c.name + "() takes no arguments (TypeError)"};
  }
  return self;
}

bool Interp::any_vague(const Args& args, bool wide_known) const {
  // wide_known: an int beyond 64 bits counts as known (to callees that read it as a key or text).
  auto is_vague = [&](Id id) { return vague(id) && !(wide_known && heap_[id].is_wide); };
  for (auto& v : args.positional)
    if (is_vague(v.get())) return true;
  for (auto& [k, v] : args.keywords)
    if (is_vague(v.get())) return true;
  return false;
}

void Interp::taint_args(const Args& args) {
  for (auto& v : args.positional) taint(v.get());
  for (auto& [k, v] : args.keywords) taint(v.get());
}

Ref Interp::call_method(Id obj, const std::string& name, Args args, TSNode node) {
  Obj& o = heap_[obj];
  auto& a = args.positional;
  // A vague argument may only be stored (list.append, list.insert's item); any other method
  // would read it.
  bool stores_only = o.kind == Kind::List && !vague(obj) &&
                     ((name == "append" && a.size() == 1) || (name == "insert" && a.size() == 2 && !vague(a[0].get())));
  // A dict's lookups take any int key the model knows, wide or not (hashing and equality read
  // its value).
  bool keyed = o.kind == Kind::Dict && (name == "get" || name == "setdefault" || name == "pop") && !vague(obj);
  if (!stores_only && any_vague(args, keyed)) {
    taint(obj);
    taint_args(args);
    return opaque();
  }
  if (o.unknown) {
    check_unknown_call(args);
    taint(obj);
    taint_args(args);
    Obj r;
    r.kind = Kind::Opaque;
    r.type = "object";
    r.unknown = true;
    return fresh(std::move(r));
  }
  if (!args.keywords.empty() && !(o.kind == Kind::List && name == "sort"))
    throw GiveUp{"keyword arguments to ." + name + "()"};
  if (o.kind == Kind::Tuple && (name == "count" || name == "index") && a.size() == 1) {
    // tuple.count/index: equality of values the model can compare exactly.
    if (!is_hashable_known(a[0].get())) throw GiveUp{"tuple." + name + "() comparing values the model does not know"};
    int64_t n = 0, first = -1;
    for (size_t i = 0; i < o.items.size(); ++i) {
      if (!is_hashable_known(o.items[i])) throw GiveUp{"tuple." + name + "() comparing values the model does not know"};
      if (equal_keys(o.items[i], a[0].get())) {
        if (first < 0) first = static_cast<int64_t>(i);
        ++n;
      }
    }
    if (name == "count") return make_int(n);
    if (first < 0) throw GiveUp{"tuple.index() of a missing value (ValueError)"};
    return make_int(first);
  }
  const MethodTable* table = o.kind == Kind::Str && !o.has_value ? nullptr : methods_of(o.kind);
  auto it = table ? table->at.find(name) : decltype(table->at.end()){};
  if (!table || it == table->at.end()) throw GiveUp{"." + name + "() on a " + o.type + " is not modelled"};
  MethodCall c{obj, o, name, args, args.positional, node};
  return it->second(c);
}

const Interp::MethodTable* Interp::methods_of(Kind kind) {
  auto it = method_tables_.find(static_cast<int>(kind));
  if (it != method_tables_.end()) return &it->second;
  MethodTable t;
  switch (kind) {
    case Kind::List: t = list_methods(); break;
    case Kind::Dict: t = dict_methods(); break;
    case Kind::Set: t = set_methods(); break;
    case Kind::Str: t = str_methods(); break;
    case Kind::Bytearray: t = bytearray_methods(); break;
    case Kind::Array: t = array_methods(); break;
    default: return nullptr;
  }
  return &method_tables_.emplace(static_cast<int>(kind), std::move(t)).first->second;
}

}  // namespace c2py::runtime_model::engine
