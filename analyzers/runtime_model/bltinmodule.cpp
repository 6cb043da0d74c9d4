// The builtins the model follows (CPython's Python/bltinmodule.c), and the names of those it
// does not.
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

Id Interp::builtin(std::string_view name) {
  static constexpr const char* kKnown[] = {"print", "len", "range", "list", "tuple", "dict", "set", "str",
                                           "int", "float", "bool", "bytes", "bytearray", "sorted", "sum",
                                           "min", "max", "abs", "id", "isinstance", "object", "repr",
                                           "enumerate", "zip", "ord", "chr", "iter", "next", "divmod", "any",
                                           "all", "hex", "oct", "bin"};
  for (const char* k : kKnown)
    if (name == k) return hidden_object(Kind::Builtin, std::string(name));
  return 0;
}

Id Interp::unknown_builtin(std::string_view name) {
  static constexpr const char* kOthers[] = {
      "input", "open", "map", "filter", "reversed", "round", "hash", "type",
      "getattr", "setattr", "hasattr", "format",
      "pow", "callable", "frozenset", "memoryview", "ascii", "delattr", "issubclass",
      "staticmethod", "classmethod", "property", "Exception", "BaseException", "ValueError",
      "TypeError", "KeyError", "IndexError", "RuntimeError", "OSError", "AttributeError", "LookupError",
      "ArithmeticError", "ZeroDivisionError", "StopIteration", "NotImplementedError", "MemoryError",
      "NameError", "AssertionError", "IOError", "UnicodeError"};
  for (const char* k : kOthers)
    if (name == k) {
      Id id = hidden_object(Kind::Builtin, std::string(name));
      heap_[id].unknown = true;
      return id;
    }
  return 0;
}

bool Interp::is_builtin_name(std::string_view name) {
  static constexpr std::string_view kAll[] = {
      "ArithmeticError", "AssertionError", "AttributeError", "BaseException", "BaseExceptionGroup",
      "BlockingIOError", "BrokenPipeError", "BufferError", "BytesWarning", "ChildProcessError",
      "ConnectionAbortedError", "ConnectionError", "ConnectionRefusedError", "ConnectionResetError",
      "DeprecationWarning", "EOFError", "Ellipsis", "EncodingWarning", "EnvironmentError", "Exception",
      "ExceptionGroup", "FileExistsError", "FileNotFoundError", "FloatingPointError", "FutureWarning",
      "GeneratorExit", "IOError", "ImportError", "ImportWarning", "IndentationError", "IndexError",
      "InterruptedError", "IsADirectoryError", "KeyError", "KeyboardInterrupt", "LookupError", "MemoryError",
      "ModuleNotFoundError", "NameError", "NotADirectoryError", "NotImplemented", "NotImplementedError",
      "OSError", "OverflowError", "PendingDeprecationWarning", "PermissionError", "ProcessLookupError",
      "RecursionError", "ReferenceError", "ResourceWarning", "RuntimeError", "RuntimeWarning",
      "StopAsyncIteration", "StopIteration", "SyntaxError", "SyntaxWarning", "SystemError", "SystemExit",
      "TabError", "TimeoutError", "TypeError", "UnboundLocalError", "UnicodeDecodeError",
      "UnicodeEncodeError", "UnicodeError", "UnicodeTranslateError", "UnicodeWarning", "UserWarning",
      "ValueError", "Warning", "ZeroDivisionError", "abs", "aiter", "all", "anext", "any", "ascii", "bin",
      "bool", "breakpoint", "bytearray", "bytes", "callable", "chr", "classmethod", "compile", "complex",
      "copyright", "credits", "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec", "exit",
      "filter", "float", "format", "frozenset", "getattr", "globals", "hasattr", "hash", "help", "hex", "id",
      "input", "int", "isinstance", "issubclass", "iter", "len", "license", "list", "locals", "map", "max",
      "memoryview", "min", "next", "object", "oct", "open", "ord", "pow", "print", "property", "quit",
      "range", "repr", "reversed", "round", "set", "setattr", "slice", "sorted", "staticmethod", "str",
      "sum", "super", "tuple", "type", "vars", "zip", "__import__", "__build_class__", "__debug__"};
  for (auto k : kAll)
    if (name == k) return true;
  return false;
}

bool Interp::is_module_dunder(std::string_view name) {
  return name == "__file__" || name == "__doc__" || name == "__spec__" || name == "__loader__" ||
         name == "__package__" || name == "__builtins__" || name == "__annotations__" || name == "__cached__";
}

bool Interp::runs_main_module(const std::string& name) {
  return name.rfind("doctest.", 0) == 0 || name.rfind("unittest.", 0) == 0 || name.rfind("timeit.", 0) == 0 ||
         name.rfind("pytest.", 0) == 0 || name.rfind("runpy.", 0) == 0 || name.rfind("pdb.", 0) == 0 ||
         name.rfind("cProfile.", 0) == 0 || name.rfind("profile.", 0) == 0;
}

bool Interp::is_reflective(std::string_view name) {
  return name == "globals" || name == "locals" || name == "vars" || name == "exec" || name == "eval" ||
         name == "compile" || name == "__import__" || name == "super" || name == "breakpoint" || name == "dir";
}

bool Interp::known_callable(const std::string& name) {
  return name == "sys.getsizeof" || name == "sys.getrefcount" || name == "gc.collect" ||
         name == "gc.disable" || name == "gc.enable" || name == "array.array" || name == "struct.pack" ||
         name == "struct.unpack" || name == "itertools.islice" || name == "heapq.heappush" ||
         name == "heapq.heappop" || name == "heapq.heapify" || is_math_function(name);
}

Ref Interp::sequence_list(Id src, bool exact_from_len) {
  // list(x) and sorted(x): preallocated to len(x) when x has a length.
  Obj& s = heap_[src];
  if (s.kind == Kind::Generator || s.kind == Kind::Iterator || s.kind == Kind::Instance) return iterator_list(src);
  std::vector<Ref> items;
  if (s.kind == Kind::List || s.kind == Kind::Tuple) {
    for (Id e : s.items) items.push_back(share(e));
  } else if (s.kind == Kind::Range || s.kind == Kind::Str || s.kind == Kind::Dict || s.kind == Kind::Set) {
    if (s.kind == Kind::Range && s.len > kMaxSlots) throw GiveUp{"a list too big for the model"};
    Ref iter = make_iter(src);
    while (Ref item = iter_next(iter.get())) items.push_back(std::move(item));
  } else {
    throw GiveUp{"list() of a " + s.type + " is not modelled"};
  }
  int64_t n = static_cast<int64_t>(items.size());
  (void)exact_from_len;
  return make_list(std::move(items), n ? list_exact_cap(n) : 0);
}

Ref Interp::call_builtin(const std::string& name, Args args, TSNode node, bool soft) {
  auto& a = args.positional;
  if (any_vague(args, name == "str" || name == "int" || name == "divmod" || name == "struct.pack" ||
                          name == "hex" || name == "oct" || name == "bin") && name != "print") {
    taint_args(args);
    return opaque();
  }
  if (is_math_function(name)) return call_math(name, args);
  if (name == "struct.pack" || name == "struct.unpack") return call_struct(name, args);
  if (name.rfind("heapq.", 0) == 0) return call_heapq(name, args);
  // enumerate(xs, start=1): the keyword is its second argument.
  if (name == "enumerate" && args.keywords.size() == 1 && args.keywords[0].first == "start" && a.size() == 1) {
    a.push_back(std::move(args.keywords[0].second));
    args.keywords.clear();
  }
  bool min_max_key = (name == "min" || name == "max") && a.size() == 1 && args.keywords.size() == 1 &&
                     args.keywords[0].first == "key";
  if (!args.keywords.empty() && name != "print" && name != "sorted" && !min_max_key)
    throw GiveUp{"keyword arguments to " + name + "() are not modelled"};
  auto need = [&](size_t n) { require_arity(a.size(), n, name); };
  if (name == "print") {
    for (auto& v : a) {
      if (heap_[v.get()].kind == Kind::Instance)
        if (Ref s = user_str(v.get())) continue;  // PyFile_WriteObject: str(v), the class's __str__
      Obj& o = heap_[v.get()];
      if (reaches_user_repr(v.get(), 0)) throw GiveUp{"printing calls a user __str__/__repr__"};
      // Printing a non-ASCII str may cache its UTF-8 form, which sys.getsizeof then counts.
      if (o.kind == Kind::Str && o.str_kind > 1) o.unknown = true;
    }
    return make_none();
  }
  if (name == "len") {
    need(1);
    Obj& o = heap_[a[0].get()];
    if (o.kind == Kind::Instance && o.cls)
      if (Id method = class_lookup(o.cls, "__len__"); method && heap_[method].kind == Kind::Function)
        return make_int(user_len(a[0].get(), method));
    auto len = length_of(o);
    if (!len) throw GiveUp{"len() of a " + o.type};
    return make_int(*len);
  }
  if (name == "range") {
    if (a.empty() || a.size() > 3) throw GiveUp{"range() arguments"};
    int64_t v[3] = {0, 0, 1};
    for (size_t i = 0; i < a.size(); ++i) {
      Obj& o = heap_[a[i].get()];
      if (o.kind != Kind::Int || !o.has_value) throw GiveUp{"a range bound the model does not know"};
      v[i] = o.ival;
    }
    int64_t start = a.size() == 1 ? 0 : v[0], stop = a.size() == 1 ? v[0] : v[1], stepv = a.size() == 3 ? v[2] : 1;
    if (stepv == 0) throw GiveUp{"range() step 0 (ValueError)"};
    // Unsigned arithmetic: range(-2**63, 2**63 - 1) must not overflow.
    bool up = stepv > 0;
    bool nonempty = up ? stop > start : start > stop;
    uint64_t span = up ? static_cast<uint64_t>(stop) - static_cast<uint64_t>(start)
                       : static_cast<uint64_t>(start) - static_cast<uint64_t>(stop);
    uint64_t mag = up ? static_cast<uint64_t>(stepv) : 0 - static_cast<uint64_t>(stepv);
    uint64_t len64 = nonempty ? (span - 1) / mag + 1 : 0;
    if (len64 > static_cast<uint64_t>(INT64_MAX)) throw GiveUp{"a range longer than the model follows"};
    int64_t len = static_cast<int64_t>(len64);
    Obj r;
    r.kind = Kind::Range;
    r.type = "range";
    r.range_start = start;
    r.range_step = stepv;
    r.len = len;
    return fresh(std::move(r));
  }
  if (name == "list") {
    if (a.empty()) return make_list({}, 0);
    need(1);
    return sequence_list(a[0].get(), true);
  }
  if (name == "sorted") {
    need(1);
    bool reverse = false;
    Id key = 0;
    for (auto& [k, v] : args.keywords) {
      if (k == "reverse") reverse = truth(v.get());
      else if (k == "key") key = heap_[v.get()].kind == Kind::None ? 0 : v.get();
      else throw GiveUp{"sorted() with keyword " + k};
    }
    if (heap_[a[0].get()].kind == Kind::Set) {
      // Sorting makes the set's hash order irrelevant (its items are distinct).
      std::vector<Ref> items;
      for (Id e : heap_[a[0].get()].items) items.push_back(share(e));
      int64_t n = static_cast<int64_t>(items.size());
      Ref l = make_list(std::move(items), n ? list_exact_cap(n) : 0);
      sort_items(l.get(), reverse, key, node);
      return l;
    }
    Ref l = sequence_list(a[0].get(), true);
    sort_items(l.get(), reverse, key, node);
    return l;
  }
  if (name == "tuple") {
    if (a.empty()) return make_tuple({});
    need(1);
    Obj& s = heap_[a[0].get()];
    if (s.kind == Kind::Tuple) return share(a[0].get());
    if (s.kind == Kind::Generator || s.kind == Kind::Iterator || s.kind == Kind::Instance) return iterator_tuple(a[0].get());
    Ref l = sequence_list(a[0].get(), true);
    std::vector<Ref> items;
    for (Id e : heap_[l.get()].items) items.push_back(share(e));
    return make_tuple(std::move(items));
  }
  if (name == "dict") {
    Obj d;
    d.kind = Kind::Dict;
    d.type = "dict";
    if (a.empty()) return fresh(std::move(d));
    need(1);
    Kind k = heap_[a[0].get()].kind;
    if (k == Kind::Dict || k == Kind::View || k == Kind::Instance || k == Kind::Str)
      throw GiveUp{"dict() of a " + heap_[a[0].get()].type + " is not modelled"};
    // PyDict_MergeFromSeq2: each item a pair, inserted in turn.
    Ref result = fresh(std::move(d));
    Ref it = make_iter(a[0].get());
    while (Ref item = iter_next(it.get())) {
      const Obj& p = heap_[item.get()];
      if ((p.kind != Kind::Tuple && p.kind != Kind::List) || vague(item.get()) || p.items.size() != 2)
        throw GiveUp{"dict() of items that are not pairs the model knows"};
      Ref key = share(p.items[0]), value = share(p.items[1]);
      dict_set(result.get(), std::move(key), std::move(value));
    }
    return result;
  }
  if (name == "set") {
    Ref s = new_set();
    if (a.empty()) return s;
    need(1);
    Obj& src = heap_[a[0].get()];
    if (src.kind == Kind::Set || src.kind == Kind::Dict) throw GiveUp{"set() of a set or dict is not modelled"};
    if (src.kind == Kind::Generator || src.kind == Kind::Iterator || src.kind == Kind::Instance) {
      // set_update_internal: each item added as it comes (a duplicate is dropped at once).
      Ref it = make_iter(a[0].get());
      while (Ref item = iter_next(it.get())) set_add(s.get(), std::move(item));
      return s;
    }
    Ref l = sequence_list(a[0].get(), true);
    for (Id e : std::vector<Id>(heap_[l.get()].items)) set_add(s.get(), share(e));
    return s;
  }
  if (name == "str") {
    if (a.empty()) return make_str("");
    need(1);
    return to_str(a[0].get());
  }
  if (name == "int") {
    need(1);
    Obj& o = heap_[a[0].get()];
    if (o.kind == Kind::Int) return share(a[0].get());
    if (o.kind == Kind::Bool) return make_int(o.ival);
    if (o.kind == Kind::Float) {
      if (!std::isfinite(o.fval) || std::fabs(o.fval) >= 9.2e18) {
        give_up(soft, "int() of this float");
        return {};
      }
      return make_int(static_cast<int64_t>(o.fval));
    }
    if (o.kind == Kind::Str && o.has_value) {
      try {
        size_t used = 0;
        long long v = std::stoll(o.text, &used);
        if (used == o.text.size()) return make_int(v);
      } catch (...) {
      }
    }
    throw GiveUp{"int() of a " + o.type};
  }
  if (name == "float") {
    need(1);
    Obj& o = heap_[a[0].get()];
    if (numeric(o)) return make_float(num(o));
    if (o.kind == Kind::Str && o.has_value && o.str_kind == 1 && o.text.find('_') == std::string::npos) {
      // float("1.5"), " 2e3 ": strtod over the text without its surrounding whitespace.
      size_t b = o.text.find_first_not_of(" \t\n\r\f\v"), e = o.text.find_last_not_of(" \t\n\r\f\v");
      if (b != std::string::npos) {
        std::string t = o.text.substr(b, e - b + 1);
        char* end = nullptr;
        double d = std::strtod(t.c_str(), &end);
        bool hex = t.find('x') != std::string::npos || t.find('X') != std::string::npos;
        if (end == t.c_str() + t.size() && !hex) return make_float(d);
      }
      throw GiveUp{"float() of a str that is not a number (ValueError)"};
    }
    throw GiveUp{"float() of a " + o.type};
  }
  if (name == "bool") {
    need(1);
    return make_bool(truth(a[0].get()));
  }
  if (name == "bytes" || name == "bytearray") {
    std::string value;
    if (a.size() == 2 || (a.size() == 3 && heap_[a[2].get()].kind == Kind::Str && heap_[a[2].get()].text == "strict")) {
      // bytes(text, "utf-8"): the text encoded (the model keeps str values as UTF-8).
      const Obj& t = heap_[a[0].get()];
      const Obj& e = heap_[a[1].get()];
      if (t.kind != Kind::Str || !t.has_value || e.kind != Kind::Str || !e.has_value)
        throw GiveUp{name + "() of a str and an encoding the model does not know"};
      std::string enc;
      for (char c : e.text) enc += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      bool ascii_only = std::all_of(t.text.begin(), t.text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
      if (!(enc == "utf-8" || enc == "utf8" || ((enc == "ascii" || enc == "us-ascii") && ascii_only)))
        throw GiveUp{name + "() with the encoding " + e.text + " is not modelled"};
      value = t.text;
      a.resize(0);
    }
    if (!a.empty()) {
      need(1);
      Obj& o = heap_[a[0].get()];
      if (o.kind == Kind::Int && o.has_value) {
        if (o.ival < 0 || o.ival > kMaxSlots) throw GiveUp{name + "() size"};
        value.assign(static_cast<size_t>(o.ival), '\0');
      } else if (o.kind == Kind::Bytes && o.has_value) {
        value = o.text;
      } else {
        throw GiveUp{name + "() of a " + o.type};
      }
    }
    if (name == "bytes") return make_bytes(std::move(value));
    Obj b;
    b.kind = Kind::Bytearray;
    b.type = "bytearray";
    b.len = static_cast<int64_t>(value.size());
    b.cap = b.len ? b.len + 1 : 0;
    b.text = std::move(value);
    b.has_value = true;
    return fresh(std::move(b));
  }
  if (min_max_key && heap_[args.keywords[0].second.get()].kind != Kind::None) {
    // min(xs, key=f) (min_max): an iterator over xs; per item, the item held while f runs (its
    // frame holds f and the item too); the best item and its key kept until a better one.
    Id key = args.keywords[0].second.get();
    // 3.11 and 3.12 call min/max through tp_call: an args tuple holds xs and a kwargs dict holds
    // the key function for the whole call; 3.13's vectorcall does not (measured).
    Ref packed_xs = version_.minor <= 12 ? share(a[0].get()) : Ref();
    Ref packed_key = version_.minor <= 12 ? share(key) : Ref();
    Ref it = make_iter(a[0].get());
    Ref best_item, best_val;
    while (Ref item = iter_next(it.get())) {
      Ref frame_ref = share(key);
      Args ka;
      ka.positional.push_back(share(item.get()));
      Ref val = call(key, std::move(ka), node);
      frame_ref.reset();
      if (!best_val) {
        best_item = std::move(item);
        best_val = std::move(val);
        continue;
      }
      bool bad = false;
      int c = order(val.get(), best_val.get(), bad, 0);
      if (bad) throw GiveUp{name + "() over keys the model cannot order"};
      if (name == "min" ? c < 0 : c > 0) {
        best_val = std::move(val);
        best_item = std::move(item);
      }
    }
    if (!best_item) throw GiveUp{name + "() of an empty sequence (ValueError)"};
    return best_item;
  }
  if ((name == "min" || name == "max") && a.size() >= 2) {
    // max(a, b, …): the first of the largest, compared as numbers.
    Id best = 0;
    for (auto& v : a) {
      const Obj& o = heap_[v.get()];
      if (!numeric(o)) throw GiveUp{name + "() over values the model does not know how to order"};
      if (!best || (name == "min" ? num(o) < num(heap_[best]) : num(o) > num(heap_[best]))) best = v.get();
    }
    return share(best);
  }
  if (name == "sum" || name == "min" || name == "max") {
    need(1);
    Obj& s = heap_[a[0].get()];
    if (s.kind == Kind::Generator || s.kind == Kind::Iterator || s.kind == Kind::Instance)
      return reduce_iterator(name, a[0].get());
    if (s.kind == Kind::Range && name == "sum") {
      if (s.len > kMaxSlots) throw GiveUp{"sum() of a range too long for the model"};
      charge(s.len);
      int64_t total = 0;
      for (int64_t i = 0; i < s.len; ++i) {
        int64_t term = 0;
        if (__builtin_mul_overflow(s.range_step, i, &term) || __builtin_add_overflow(term, s.range_start, &term) ||
            __builtin_add_overflow(total, term, &total))
          throw GiveUp{"an int beyond 64 bits"};
      }
      return make_int(total);
    }
    if (s.kind != Kind::List && s.kind != Kind::Tuple) throw GiveUp{name + "() of a " + s.type};
    if (s.items.empty() && name != "sum") throw GiveUp{name + "() of an empty sequence (ValueError)"};
    if (name != "sum" && !s.items.empty() && s.kind == Kind::List &&
        std::all_of(s.items.begin(), s.items.end(), [&](Id e) { return heap_[e].kind == Kind::Instance; })) {
      // Instances: min_max compares each item with the best so far through the class's
      // __lt__/__gt__ (user code). 3.11 and 3.12 call min/max with an args tuple that holds
      // the list; the iterator holds it too; the item and the best are held while compared.
      Ref packed = version_.minor <= 12 ? share(a[0].get()) : Ref();
      Ref it = make_iter(a[0].get());
      // Without a key each item is also its value: min_max holds it twice (item and val), and
      // the best twice (maxitem and maxval).
      Ref best, best_val;
      while (Ref item = iter_next(it.get())) {
        Ref val = share(item.get());
        if (!best) {
          best = std::move(item);
          best_val = std::move(val);
          continue;
        }
        std::optional<bool> r = user_compare(name == "min" ? "<" : ">", val.get(), best_val.get());
        if (!r) throw GiveUp{name + "() of instances without an ordering (TypeError)"};
        if (*r) {
          best = std::move(item);
          best_val = std::move(val);
        }
      }
      return best;
    }
    if (name != "sum" && !s.items.empty() &&
        !std::all_of(s.items.begin(), s.items.end(), [&](Id e) { return heap_[e].kind == Kind::Int; })) {
      // min_max: each item against the best so far (item < best for min, item > best for
      // max), the first of equal ones kept: floats, str, tuples and lists of them.
      Id best = s.items[0];
      for (size_t i = 1; i < s.items.size(); ++i) {
        bool bad = false;
        int c = order(s.items[i], best, bad, 0);
        if (bad) throw GiveUp{name + "() over values the model does not know"};
        if (name == "min" ? c < 0 : c > 0) best = s.items[i];
      }
      return share(best);
    }
    wide_t acc = 0, best_value = 0;
    bool first = true;
    Id best = 0;
    for (Id e : s.items) {
      std::optional<wide_t> v = heap_[e].kind == Kind::Int ? int_value(e) : std::nullopt;
      if (!v) throw GiveUp{name + "() over values the model does not know"};
      if (name == "sum") {
        if (__builtin_add_overflow(acc, *v, &acc)) throw GiveUp{"an int beyond 128 bits"};
      } else if (first || (name == "min" ? *v < best_value : *v > best_value)) {
        best = e;
        best_value = *v;
        first = false;
      }
    }
    if (name == "sum") return make_wide(acc);
    return share(best);
  }
  if (name == "hex" || name == "oct" || name == "bin") {  // PyNumber_ToBase: a new str
    need(1);
    std::optional<wide_t> v = heap_[a[0].get()].kind == Kind::Int ? int_value(a[0].get()) : std::nullopt;
    if (!v) throw GiveUp{name + "() of a value that is not an int the model knows"};
    int base = name == "hex" ? 16 : name == "oct" ? 8 : 2;
    uwide_t m = *v < 0 ? 0 - static_cast<uwide_t>(*v) : static_cast<uwide_t>(*v);
    std::string digits;
    do {
      digits += "0123456789abcdef"[static_cast<int>(m % static_cast<uwide_t>(base))];
      m /= static_cast<uwide_t>(base);
    } while (m);
    std::string text = std::string(*v < 0 ? "-" : "") + "0" + (base == 16 ? "x" : base == 8 ? "o" : "b") +
                       std::string(digits.rbegin(), digits.rend());
    return make_str(std::move(text));
  }
  if (name == "divmod") {  // of two ints: a new tuple of the floor quotient and the remainder
    need(2);
    auto l = int_value(a[0].get()), r = int_value(a[1].get());
    if (!l || !r) throw GiveUp{"divmod() of values other than ints"};
    if (*r == 0) throw GiveUp{"division by zero (ZeroDivisionError)"};
    Ref q = binary("//", a[0].get(), a[1].get(), node, false);
    Ref m = binary("%", a[0].get(), a[1].get(), node, false);
    std::vector<Ref> parts;
    parts.push_back(std::move(q));
    parts.push_back(std::move(m));
    return make_tuple(std::move(parts));
  }
  if (name == "any" || name == "all") {  // item by item, stopping at the first that decides
    need(1);
    bool want = name == "any";
    Ref it = make_iter(a[0].get());
    while (Ref item = iter_next(it.get()))
      if (truth(item.get()) == want) return make_bool(want);
    return make_bool(!want);
  }
  if (name == "iter") {  // the iterator a for loop would hold (iter(iterator) is itself)
    need(1);
    return make_iter(a[0].get());
  }
  if (name == "next") {  // the next item, or the default at the end (StopIteration without one)
    if (a.empty() || a.size() > 2) throw GiveUp{"next() arguments"};
    Kind k = heap_[a[0].get()].kind;
    if (k != Kind::Iterator && k != Kind::Generator) throw GiveUp{"next() of a " + heap_[a[0].get()].type};
    Ref item = iter_next(a[0].get());
    if (item) return item;
    if (a.size() == 2) return std::move(a[1]);
    throw GiveUp{"next() of an exhausted iterator (StopIteration)"};
  }
  if (name == "ord") {  // the code point of a one-character str: an int
    need(1);
    Obj& o = heap_[a[0].get()];
    if (o.kind != Kind::Str || !o.has_value || o.len != 1) throw GiveUp{"ord() of a " + o.type + " the model does not know"};
    int64_t len = 0;
    int kind = 1;
    measure_utf8(o.text, len, kind);
    const auto* p = reinterpret_cast<const unsigned char*>(o.text.data());
    uint32_t cp = p[0];
    if (cp >= 0xF0) cp = ((cp & 7u) << 18) | ((p[1] & 63u) << 12) | ((p[2] & 63u) << 6) | (p[3] & 63u);
    else if (cp >= 0xE0) cp = ((cp & 15u) << 12) | ((p[1] & 63u) << 6) | (p[2] & 63u);
    else if (cp >= 0xC0) cp = ((cp & 31u) << 6) | (p[1] & 63u);
    return make_int(cp);
  }
  if (name == "chr") {  // a one-character str (latin-1 ones are cached)
    need(1);
    Obj& o = heap_[a[0].get()];
    if (o.kind != Kind::Int || !o.has_value) throw GiveUp{"chr() of a " + o.type + " the model does not know"};
    if (o.ival < 0 || o.ival > 0x10FFFF) throw GiveUp{"chr() arg not in range(0x110000) (ValueError)"};
    std::string text;
    append_utf8(text, static_cast<uint32_t>(o.ival));
    return make_str(std::move(text));
  }
  if (name == "abs") {
    need(1);
    Obj& o = heap_[a[0].get()];
    if (o.kind == Kind::Int && o.has_value) return o.ival >= 0 ? share(a[0].get()) : make_int(-o.ival);
    give_up(soft, "abs() of a " + o.type);
    return {};
  }
  if (name == "isinstance") {
    need(2);
    Obj& cls = heap_[a[1].get()];
    Obj& o = heap_[a[0].get()];
    if (cls.kind == Kind::Class) {
      bool r = false;
      for (Id c = o.kind == Kind::Instance ? o.cls : 0; c; c = heap_[c].cls)
        if (c == a[1].get()) r = true;
      return make_bool(r);
    }
    // A builtin type, or a tuple of classes and builtin types (any matches).
    auto builtin_match = [&](const Obj& t) -> int {  // 1 yes, 0 no, -1 unknown
      static constexpr std::string_view kTypes[] = {"int", "float", "bool", "str", "bytes", "bytearray",
                                                    "list", "tuple", "dict", "set", "range", "object"};
      if (t.kind != Kind::Builtin || std::find(std::begin(kTypes), std::end(kTypes), t.name) == std::end(kTypes))
        return -1;
      if (t.name == "object") return 1;
      if (t.name == "int" && o.kind == Kind::Bool) return 1;
      return o.type == t.name && o.kind != Kind::Instance ? 1 : 0;
    };
    auto match = [&](Id t) -> int {
      if (heap_[t].kind == Kind::Class) {
        for (Id c = o.kind == Kind::Instance ? o.cls : 0; c; c = heap_[c].cls)
          if (c == t) return 1;
        return 0;
      }
      return builtin_match(heap_[t]);
    };
    if (cls.kind == Kind::Builtin) {
      int r = match(a[1].get());
      if (r >= 0) return make_bool(r == 1);
    }
    if (cls.kind == Kind::Tuple) {
      bool any = false;
      for (Id t : cls.items) {
        int r = match(t);
        if (r < 0) throw GiveUp{"isinstance() with this class"};
        any |= r == 1;
      }
      return make_bool(any);
    }
    throw GiveUp{"isinstance() with this class"};
  }
  if (name == "id") {
    need(1);
    Obj o;
    o.kind = Kind::Int;
    o.type = "int";
    o.unknown = true;  // an address: its value (and size) are not known
    return fresh(std::move(o));
  }
  if (name == "enumerate" || name == "zip") {
    if (a.empty() || (name == "enumerate" && a.size() > 2)) throw GiveUp{name + "() arguments"};
    Obj it;
    it.kind = Kind::Iterator;
    it.type = name;
    if (name == "enumerate" && a.size() == 2) {  // the count starts at `start`
      const Obj& start = heap_[a[1].get()];
      if (start.kind != Kind::Int || !start.has_value) throw GiveUp{"enumerate() with this start"};
      it.index = start.ival;
      a.pop_back();
    }
    std::vector<Ref> inner;
    for (auto& arg : a) inner.push_back(make_iter(arg.get()));
    for (auto& r : inner) it.items.push_back(r.release());
    Ref self = fresh(std::move(it));
    heap_[self.get()].values.push_back(none_pair(name == "zip" ? a.size() : 2).release());
    return self;
  }
  if (name == "itertools.islice") {
    // islice(xs, stop): an iterator over xs (held until it ends) and a count of items left.
    if (a.size() != 2) throw GiveUp{"itertools.islice() with a start or step is not modelled"};
    std::optional<wide_t> stop = heap_[a[1].get()].kind == Kind::Int ? int_value(a[1].get()) : std::nullopt;
    if (!stop || *stop < 0 || *stop > INT64_MAX) throw GiveUp{"itertools.islice() with this stop"};
    Obj it;
    it.kind = Kind::Iterator;
    it.type = "islice";
    it.len = static_cast<int64_t>(*stop);
    Ref inner = make_iter(a[0].get());
    it.items.push_back(inner.release());
    return fresh(std::move(it));
  }
  if (name == "repr") throw GiveUp{"repr() is not modelled"};
  if (name == "object") {
    throw GiveUp{"object() is not modelled"};
  }
  if (name == "sys.getsizeof") {
    need(1);
    Obj& o = heap_[a[0].get()];
    auto size = o.unknown ? std::nullopt : size_of(o, version_);
    if (!size || o.kind == Kind::Class) throw GiveUp{"sys.getsizeof() of an object the model cannot size"};
    int64_t extra = 0;
    return make_int(*size + extra);
  }
  if (name == "sys.getrefcount") {
    need(1);
    Obj& o = heap_[a[0].get()];
    if (o.constant || o.unknown) throw GiveUp{"sys.getrefcount() of a shared or unknown object"};
    // The argument itself is one of the references the model counts.
    return make_int(o.rc);
  }
  if (name == "gc.collect") {
    need(0);
    collect_garbage();
    Obj o;
    o.kind = Kind::Int;
    o.type = "int";
    o.unknown = true;  // CPython's count includes objects the model does not show
    return fresh(std::move(o));
  }
  if (name == "gc.disable") {
    gc_disabled_ = true;
    return make_none();
  }
  if (name == "gc.enable") {
    gc_disabled_ = false;
    return make_none();
  }
  if (name == "array.array") return make_array(std::move(args), node);
  throw GiveUp{name + "() is not modelled"};
}

bool Interp::reaches_user_repr(Id id, int depth) {
  const Obj& o = heap_[id];
  if (o.kind == Kind::Instance) {
    for (Id c = o.cls; c; c = heap_[c].cls)
      if (heap_[c].has_repr) return true;
    return false;
  }
  if (o.kind != Kind::List && o.kind != Kind::Tuple && o.kind != Kind::Dict && o.kind != Kind::Set) return false;
  if (depth > 8) return true;
  bool found = false;
  for_each_child(o, [&](Id child) {
    if (!found) found = reaches_user_repr(child, depth + 1);
  });
  return found;
}

std::optional<int64_t> Interp::length_of(const Obj& o) {
  switch (o.kind) {
    case Kind::Str:
    case Kind::Bytes:
    case Kind::Bytearray:
    case Kind::Array:
    case Kind::Range: return o.len;
    case Kind::List:
    case Kind::Tuple:
    case Kind::Dict:
    case Kind::Set: return static_cast<int64_t>(o.items.size());
    default: return std::nullopt;
  }
}

}  // namespace c2py::runtime_model::engine
