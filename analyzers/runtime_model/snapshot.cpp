// What the user sees: names of objects, hover facts, inlay-hint bookkeeping, and the heap
// snapshot of c2py/heapSnapshot.
#include "runtime_model/interp.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace c2py::runtime_model::engine {

namespace {

// repr() of a finite float, as CPython's float_repr prints it: the shortest digits that read
// back to the same double, positional when the decimal point falls within 16 digits of them
// (`0.0001`, `1e+16`, `1e-05`, `2.0`).
std::string float_repr(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  if (ec != std::errc()) return {};
  std::string sci(buf, end);  // "-1.2345e+03"
  bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  size_t e = sci.find('e');
  std::string digits = sci.substr(0, e);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  int exponent = std::stoi(sci.substr(e + 1));
  int decpt = exponent + 1;  // digits = 0.d1d2... × 10^decpt
  std::string out = negative ? "-" : "";
  if (decpt <= -4 || decpt > 16) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char exp[16];
    std::snprintf(exp, sizeof exp, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    return out + exp;
  }
  if (decpt <= 0) return out + "0." + std::string(static_cast<size_t>(-decpt), '0') + digits;
  if (static_cast<size_t>(decpt) >= digits.size())
    return out + digits + std::string(static_cast<size_t>(decpt) - digits.size(), '0') + ".0";
  return out + digits.substr(0, static_cast<size_t>(decpt)) + "." + digits.substr(static_cast<size_t>(decpt));
}

}  // namespace

// The value a learner reads in the slot that holds a small immutable object. Only what is
// certain and printed the same on every supported CPython: a str is shown only when it is
// short and printable ASCII (repr escapes other characters by rules that vary by character).
std::optional<std::string> Interp::value_repr(const Obj& o) const {
  constexpr int64_t kMaxStrLength = 64;
  switch (o.kind) {
    case Kind::None: return "None";
    case Kind::Bool: return o.has_value ? std::optional<std::string>(o.ival ? "True" : "False") : std::nullopt;
    case Kind::Int:
      if (o.is_wide) return wide_text(o.wide);
      return o.has_value ? std::optional<std::string>(std::to_string(o.ival)) : std::nullopt;
    case Kind::Float: {
      if (!o.has_value) return std::nullopt;
      std::string text = float_repr(o.fval);
      return text.empty() ? std::nullopt : std::optional<std::string>(text);
    }
    case Kind::Str:
      if (!o.has_value || o.str_kind != 1 || o.len > kMaxStrLength) return std::nullopt;
      return str_repr(o.text);
    default: return std::nullopt;
  }
}

std::vector<std::string> Interp::names_of(Id id, const NamesByObject* module_names) {
  std::vector<std::string> names;
  Frame& f = frame();
  auto add = [&](const std::string& n) {
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  };
  for (auto& scope : f.comp)
    for (auto& [n, v] : scope)
      if (v == id && n[0] != '.') add(n);  // not a generator expression's `.0`
  if (f.scope) {
    for (auto& [n, v] : f.vars) {
      Id value = f.scope->cellvars.count(n) ? heap_[v].target : v;
      if (value == id) add(n);
    }
    if (f.func)
      for (auto& [n, cell] : heap_[f.func].cells)
        if (heap_[cell].target == id) add(n);
  } else if (f.is_class) {
    for (auto& [n, v] : f.vars)
      if (v == id) add(n);
  }
  auto module_name = [&](std::string_view n) {
    bool shadowed = f.scope && (f.scope->locals.count(n) || f.scope->cellvars.count(n));
    if (!shadowed) add(std::string(n));
  };
  if (module_names) {
    if (auto it = module_names->find(id); it != module_names->end())
      for (std::string_view n : it->second) module_name(n);
  } else {
    for (auto& [n, v] : module().vars)
      if (v == id) module_name(n);
  }
  return names;
}

std::string Interp::describe_referrers(Id id, int64_t& listed) {
  std::vector<std::string> parts;
  for (const auto& n : names_of(id)) parts.push_back(n);
  // Only scan the heap when something other than names refers to the object.
  bool others = heap_[id].rc > static_cast<int64_t>(parts.size());
  for (Id other = 1; others && other < heap_.size() && parts.size() < 4; ++other) {
    const Obj& o = heap_[other];
    if (!o.alive || o.hidden || o.constant) continue;
    bool refers = false;
    for_each_child(o, [&](Id child) { refers |= child == id; });
    if (!refers) continue;  // labels are built only for the few objects that refer to it
    for_each_ref(o, [&](Id child, const std::string& via) {
      if (child != id || parts.size() >= 4) return;
      auto owner = names_of(other);
      if (o.kind == Kind::Cell) parts.push_back("a closure cell");
      else if (o.kind == Kind::Iterator) parts.push_back("the loop's iterator");
      else if (o.kind == Kind::Function && via == "__defaults__") parts.push_back("a default argument");
      else if (o.kind == Kind::Tuple && owner.empty()) parts.push_back("a tuple");
      else if (!owner.empty()) parts.push_back(owner[0] + (via.rfind("[key", 0) == 0 ? "[…]" : via));
      else parts.push_back("a " + o.type + (via.empty() ? "" : " " + via));
    });
  }
  listed = static_cast<int64_t>(parts.size());
  std::string out;
  for (size_t i = 0; i < parts.size() && i < 3; ++i) out += (i ? ", " : "") + parts[i];
  return out;
}

std::unordered_map<Id, int64_t> Interp::program_ref_counts(const std::vector<Id>& garbage) {
  // References the program holds: from the variables of every live frame (and comprehension
  // scope), and from the objects those reach or that wait in a cycle. The rest of a count is
  // the interpreter's: value-stack temporaries, a call's argument tuple, a loop's iterator.
  std::unordered_map<Id, int64_t> program_refs;
  std::vector<Id> work;
  std::unordered_set<Id> seen;
  auto root = [&](Id id) {
    if (!id) return;
    ++program_refs[id];
    if (seen.insert(id).second) work.push_back(id);
  };
  for (auto& f : frames_) {
    for (auto& [n, id] : f->vars) root(id);
    for (auto& scope : f->comp)
      for (auto& [n, id] : scope) root(id);
  }
  for (Id id : garbage)
    if (seen.insert(id).second) work.push_back(id);
  while (!work.empty()) {
    Id id = work.back();
    work.pop_back();
    const Obj& o = heap_[id];
    // A suspended generator's frame is the interpreter's, like a loop's iterator on the stack.
    if (!o.alive || o.kind == Kind::Generator) continue;
    for_each_child(o, [&](Id child) {
      ++program_refs[child];
      if (seen.insert(child).second) work.push_back(child);
    });
  }
  return program_refs;
}

int64_t Interp::variable_refs(Id id) const {
  int64_t n = 0;
  for (const auto& f : frames_) {
    for (const auto& [name, v] : f->vars) n += v == id;
    for (const auto& scope : f->comp)
      for (const auto& [name, v] : scope) n += v == id;
  }
  return n;
}

std::string Interp::facts(Id id, const std::unordered_map<Id, int64_t>* program_refs, const NamesByObject* module_names) {
  Obj& o = heap_[id];
  std::string s = o.type;
  if (o.constant && o.kind == Kind::Class)
    // sys.getrefcount of a fresh `class C: pass` is 5 on 3.11-3.13: its name, the call's argument,
    // and three of the class's own (its __mro__ tuple, the __dict__ and __weakref__ descriptors).
    s += " (the class `" + o.name + "`; its count is not shown: the class refers to itself through its `__mro__` "
         "and its descriptors, so only the cyclic GC frees it)";
  else if (o.constant && o.kind == Kind::Function)
    s += " (a library function: its module holds it too, so its count is not the program's)";
  else if (o.constant) s += o.immortal ? " (immortal: not counted)" : " (a shared constant: its count is not the program's)";
  else if (o.unknown) s += " (not fully known to the model)";
  else if (o.interp_unknown) s += " (a traceback kept for the cyclic GC holds it too: its count is not known)";
  else if (o.count_unknown) s += " (code the model stepped over may have kept it: its count is not known)";
  else {
    // Names only: a scan of the heap for container referrers per name would cost O(heap).
    auto names = names_of(id, module_names);
    std::string who;
    for (size_t i = 0; i < names.size() && i < 3; ++i) who += (i ? ", " : "") + names[i];
    // The count splits in two (design.md): the program's references and the interpreter's
    // (knowledge: reference-counting, "What sys.getrefcount says").
    int64_t program = o.rc;
    if (program_refs) {
      auto it = program_refs->find(id);
      program = std::min(o.rc, it == program_refs->end() ? int64_t{0} : it->second);
    }
    int64_t others = program - static_cast<int64_t>(std::min<size_t>(names.size(), 3));
    if (others > 0) who += (who.empty() ? "" : ", ") + std::string("+") + std::to_string(others) + " more";
    s += ", refs " + std::to_string(program) + (who.empty() ? "" : ": " + who);
    if (program_refs && o.rc > program)
      s += "; the interpreter holds " + std::to_string(o.rc - program) + " more while this runs (sys.getrefcount = " +
           std::to_string(program) + " + " + std::to_string(o.rc - program) + " + 1)";
  }
  if (auto len = length_of(o); len && o.kind != Kind::Range) s += ", len " + std::to_string(*len);
  if (o.kind == Kind::List && !o.size_unknown) s += ", capacity " + std::to_string(o.cap);
  if (auto size = size_of(o, version_); size && !o.unknown) s += ", " + std::to_string(*size) + " bytes (sys.getsizeof)";
  return s;
}

void Interp::record_line(TSNode stmt, const Active& act) {
  if (stopping_) return;
  auto& ev = result_.lines[act.line];
  // Reference counts that changed for objects that existed before the statement.
  for (auto& [id, before] : touched_) {
    Obj& o = heap_[id];
    if (!o.alive || o.constant || o.unknown || o.interp_unknown || o.count_unknown || o.hidden || id >= id_mark_ ||
        o.rc == before)
      continue;
    if (o.kind == Kind::Cell || o.kind == Kind::Iterator || o.kind == Kind::Class) continue;
    if (ev.ref_labels.size() >= 2) break;
    int64_t listed = 0;
    std::string who = describe_referrers(id, listed);
    if (who.empty() || names_of(id).empty()) continue;
    ev.ref_labels.push_back("refs " + std::to_string(o.rc) + ": " + who + (o.rc > 3 && listed > 3 ? ", …" : ""));
  }
  // Big objects made by this statement.
  for (Id id = id_mark_; id < heap_.size() && ev.size_labels.size() < 2; ++id) {
    Obj& o = heap_[id];
    if (!o.alive || o.constant || o.unknown) continue;
    auto size = size_of(o, version_);
    if (size && *size >= kBigObject) ev.size_labels.push_back(o.type + " " + human_size(*size));
  }
  // Hover facts for the names the statement mentions. The program's share of each count needs
  // a walk of what the frames reach: done once per line, and only while the heap is small.
  int noted = 0;
  std::optional<std::unordered_map<Id, int64_t>> program_refs;
  auto program_counts = [&]() -> const std::unordered_map<Id, int64_t>* {
    if (!program_refs && heap_.size() <= kSplitCountsUpTo) program_refs = program_ref_counts(find_garbage());
    return program_refs ? &*program_refs : nullptr;
  };
  // Attribute and keyword names are not variables. Their parents are seen first (pre-order),
  // so they are marked then; ts_node_parent would walk down from the root for each name.
  std::vector<uint32_t> not_names;
  // From the second name on, the module's names by object (nothing changes them meanwhile).
  std::optional<NamesByObject> module_names;
  auto names_index = [&]() -> const NamesByObject* {
    if (noted == 0) return nullptr;
    if (!module_names) {
      module_names.emplace();
      for (const auto& [name, v] : module().vars)
        if (v) (*module_names)[v].push_back(name);
    }
    return &*module_names;
  };
  syntax::walk(stmt, [&](TSNode n) {
    auto ty = type_of(n);
    if (ty == "block" || ty == "lambda" || noted >= 12) return false;
    if (ty == "attribute") not_names.push_back(ts_node_start_byte(field(n, "attribute")));
    if (ty == "keyword_argument") not_names.push_back(ts_node_start_byte(field(n, "name")));
    if (ty != "identifier") return true;
    if (std::find(not_names.begin(), not_names.end(), ts_node_start_byte(n)) != not_names.end()) return true;
    Id* s = slot(text_of(n, src_), false);
    if (!s || !*s || heap_[*s].hidden) return true;
    // The walk is needed only when something besides variables refers to the object: a count
    // the variables alone make up is the program's whole (the walk could only say as much).
    const Obj& o = heap_[*s];
    // A variable's own slot (not a cell's content) is one such reference: a count of 1 needs no
    // search.
    auto own_slot = [&](const Frame& f) {
      return !f.vars.empty() && s >= &f.vars.front().second && s <= &f.vars.back().second;
    };
    bool direct = own_slot(frame()) || own_slot(module());
    bool split = !o.constant && !o.unknown && !o.interp_unknown && !o.count_unknown &&
                 !(direct && o.rc <= 1) && o.rc > variable_refs(*s);
    ev.name_notes.emplace_back(
        n, "`" + std::string(text_of(n, src_)) + "` → " + facts(*s, split ? program_counts() : nullptr, names_index()));
    ++noted;
    return true;
  });
  // What the statement freed.
  // Grouped by what the reader would call them: a comprehension's temporaries read
  // "range ×8, range_iterator ×8", not one entry each.
  std::vector<std::pair<std::string, size_t>> groups;
  int64_t total = 0;
  bool known = true;
  size_t count = 0;
  for (size_t i = act.freed_mark; i < freed_.size(); ++i) {
    ++count;
    if (freed_[i].size) total += *freed_[i].size; else known = false;
    const Obj& o = heap_[freed_[i].id];
    std::string name = name_in(o, frame().serial);
    std::string label = o.type + (name.empty() ? "" : " `" + name + "`");
    auto same = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == label; });
    if (same != groups.end()) ++same->second;
    else groups.emplace_back(std::move(label), 1);
  }
  std::string freed;
  size_t shown = 0;
  for (size_t g = 0; g < groups.size() && g < 4; ++g) {
    freed += (g ? ", " : "") + groups[g].first + (groups[g].second > 1 ? " ×" + std::to_string(groups[g].second) : "");
    shown += groups[g].second;
  }
  auto ty = type_of(stmt);
  bool release_stmt = ty == "delete_statement" || ty == "return_statement";
  if (ty == "expression_statement") {
    TSNode e = ts_node_named_child(stmt, 0);
    release_stmt = type_of(e) == "assignment" && type_of(field(e, "right")) == "none";
  }
  if (count) {
    ev.note = "Freed here: " + freed + (count > shown ? " and " + std::to_string(count - shown) + " more" : "") +
              (known ? " (" + human_size(total) + ")" : "") +
              (count == 1 ? ". Its count reached zero." : ". Their counts reached zero.");
  } else if (release_stmt) {
    ev.note = "Nothing is freed here: every object this statement lets go of is still referred to elsewhere.";
  }
}

void Interp::note_return_frees(const Frame& dead, size_t mark) {
  if (!dead.last_first || goal_.capture_line || stopping_) return;
  if (!std::as_const(result_.lines).find(dead.last_line)) return;
  std::string list;
  int64_t total = 0;
  bool known = true;
  size_t count = 0;
  for (size_t i = mark; i < freed_.size(); ++i) {
    ++count;
    if (freed_[i].size) total += *freed_[i].size; else known = false;
    const Obj& o = heap_[freed_[i].id];
    std::string name = name_in(o, dead.serial);
    if (count <= 4) list += (count > 1 ? ", " : "") + o.type + (name.empty() ? "" : " `" + name + "`");
  }
  if (!count) return;
  std::string fn = dead.func ? heap_[dead.func].name : "the function";
  result_.lines[dead.last_line].note = "When `" + fn + "` returns, its frame goes and " + (count == 1 ? "this is" : "these are") +
                    " freed: " + list + (count > 4 ? " and " + std::to_string(count - 4) + " more" : "") +
                    (known ? " (" + human_size(total) + ")" : "") +
                    (count == 1 ? ". Its count reached zero." : ". Their counts reached zero.");
}

HeapSnapshot Interp::capture(const Active& act) {
  HeapSnapshot snap;
  snap.line = act.line;
  snap.executed = true;
  snap.complete = true;
  auto garbage = find_garbage();
  std::set<Id> garbage_set(garbage.begin(), garbage.end());
  bool garbage_uncertain = !garbage.empty() && !gc_disabled_ && gc_allocs_ > 0;
  std::unordered_map<Id, std::vector<Id>> referrers;
  std::vector<Id> listed;
  std::unordered_map<Id, int64_t> program_refs = program_ref_counts(garbage);
  for (Id id = 1; id < heap_.size(); ++id) {
    const Obj& o = heap_[id];
    if (!o.alive || o.hidden) continue;
    if (o.constant && o.rc <= 0 && o.kind != Kind::Class) continue;
    listed.push_back(id);
    Id last = 0;
    for_each_child(o, [&](Id child) {
      if (child == last) return;  // [0] * n: one referrer entry, not n lookups
      last = child;
      auto& r = referrers[child];
      if (r.empty() || r.back() != id) r.push_back(id);
    });
  }
  for (Id id : listed) {
    const Obj& o = heap_[id];
    ObjectView v;
    v.id = id;
    v.type = o.type;
    v.immortal = o.immortal;
    bool uncollected = garbage_set.count(id) && garbage_uncertain;
    bool unknown = o.unknown || uncollected;
    if (unknown) {
      snap.complete = false;
      if (snap.reason.empty())
        snap.reason = o.unknown ? "an object the model does not fully know: " + o.type
                                : "the cyclic GC may already have freed the cycle holding a " + o.type +
                                      " (it runs after enough container allocations)";
    }
    if (!o.constant && !unknown && o.kind != Kind::Class) {
      auto it = program_refs.find(id);
      int64_t program = it == program_refs.end() ? 0 : it->second;
      if (program <= o.rc) {
        v.refcount = program;
        v.interpreter_refs = o.rc - program;
      } else {
        snap.complete = false;  // the model's own bookkeeping disagrees: say nothing
        if (snap.reason.empty()) snap.reason = "a count the model cannot split";
      }
    }
    if (!o.unknown) {
      v.size = size_of(o, version_);
      v.length = length_of(o);
      if (o.kind == Kind::List && !o.size_unknown) v.capacity = o.cap;
    }
    if (!o.unknown) v.value = value_repr(o);
    v.names = names_of(id);
    constexpr size_t kMaxRefs = 10000;  // a snapshot lists at most this many edges per object
    if (o.kind == Kind::List || o.kind == Kind::Tuple) {
      for (size_t i = 0; i < o.items.size() && v.refs.size() < kMaxRefs; ++i)
        v.refs.push_back({o.items[i], "[" + std::to_string(i) + "]"});
    } else if (o.kind == Kind::Dict) {
      // d['k'] and d[3]: the key's repr, as Python prints the subscript.
      for (size_t i = 0; i < o.items.size() && v.refs.size() + 1 < kMaxRefs; ++i) {
        if (!heap_[o.items[i]].hidden) v.refs.push_back({o.items[i], "<key>"});
        v.refs.push_back({o.values[i], "[" + key_repr(o.items[i], 0) + "]"});
      }
    } else {
      for_each_ref(o, [&](Id child, const std::string& via) {
        if (v.refs.size() < kMaxRefs && !heap_[child].hidden) v.refs.push_back({child, via});
      });
    }
    if (auto it = referrers.find(id); it != referrers.end()) v.referrers = it->second;
    v.unreachable = garbage_set.count(id) > 0;
    // Counts the model cannot give though it knows the object: both, after code it stepped over
    // (count_unknown); the interpreter's, while a traceback waits for the GC (interp_unknown).
    if (v.refcount && (o.count_unknown || o.interp_unknown)) {
      if (o.count_unknown) v.refcount.reset();
      v.interpreter_refs.reset();
      snap.complete = false;
      if (snap.reason.empty())
        snap.reason = o.count_unknown ? "a count code the model stepped over may have changed"
                                      : "references the interpreter holds until the cyclic GC runs";
    }
    snap.objects.push_back(std::move(v));
  }
  for (size_t i = act.freed_mark; i < freed_.size(); ++i) snap.freed.push_back(freed_[i]);
  return snap;
}

}  // namespace c2py::runtime_model::engine
