// The abstract state of a path and its canonical form (analyzer.hpp).
#include "c/flow/analyzer.hpp"

namespace c2py::analysis::c::flow::detail {

MaybeValue FunctionAnalyzer::get_var(const State& s, int32_t id) {
  auto it = std::lower_bound(s.vars.begin(), s.vars.end(), id, [](const auto& p, int32_t k) { return p.first < k; });
  if (it != s.vars.end() && it->first == id) return it->second;
  return std::nullopt;
}

void FunctionAnalyzer::set_var(State& s, int32_t id, MaybeValue v) {
  auto it = std::lower_bound(s.vars.begin(), s.vars.end(), id, [](const auto& p, int32_t k) { return p.first < k; });
  bool present = it != s.vars.end() && it->first == id;
  if (v) {
    if (present) it->second = *v;
    else s.vars.insert(it, {id, *v});
  } else if (present) {
    s.vars.erase(it);
  }
  invalidate_facts(s, roots_[static_cast<size_t>(id)]);
}

MaybeValue FunctionAnalyzer::get_field(const State& s, int32_t obj, int32_t n) {
  for (const auto& f : s.fields)
    if (f.obj == obj && f.name == n) return f.v;
  return std::nullopt;
}

void FunctionAnalyzer::set_field(State& s, int32_t obj, int32_t n, MaybeValue v) {
  for (auto it = s.fields.begin(); it != s.fields.end(); ++it)
    if (it->obj == obj && it->name == n) {
      if (v) it->v = *v;
      else s.fields.erase(it);
      return;
    }
  if (v) s.fields.push_back({obj, n, *v});
}

Obj* FunctionAnalyzer::obj_of(State& s, const MaybeValue& v) {
  if (!v || (v->kind != VK::Obj && v->kind != VK::Interior)) return nullptr;
  return &s.objs[static_cast<size_t>(v->ref)];
}

int32_t FunctionAnalyzer::new_obj(State& s, OS st, TSNode call, int32_t var) {
  Obj o;
  o.st = st;
  o.alloc_at = at_index(call);
  o.alloc_byte = start_byte(call);
  o.name = var;
  s.objs.push_back(o);
  return static_cast<int32_t>(s.objs.size()) - 1;
}

void FunctionAnalyzer::escape(State& s, const MaybeValue& v) {
  if (!v || (v->kind != VK::Obj && v->kind != VK::Interior)) return;
  std::vector<int32_t>& stack = escape_stack_;  // scratch kept between calls (escape calls nothing that escapes)
  stack.assign(1, v->ref);
  while (!stack.empty()) {
    int32_t o = stack.back();
    stack.pop_back();
    Obj& obj = s.objs[static_cast<size_t>(o)];
    if (obj.st == OS::Escaped || obj.st == OS::Freed) continue;
    if (obj.param >= 0) s.fates[static_cast<size_t>(obj.param)] = Fate::Escaped;
    if (obj.alloc_at >= 0) handled_allocs_.insert(obj.alloc_byte);
    obj.st = OS::Escaped;
    for (const auto& f : s.fields)
      if (f.obj == o && (f.v.kind == VK::Obj || f.v.kind == VK::Interior)) stack.push_back(f.v.ref);
  }
}

void FunctionAnalyzer::escape_members(State& s, std::string_view var) {
  // Most variables passed on have no members followed: look before copying the variables.
  auto member = [&](int32_t id) {
    const std::string& n = name(id);
    return n.size() > var.size() && n[var.size()] == '.' && n.compare(0, var.size(), var) == 0;
  };
  if (std::none_of(s.vars.begin(), s.vars.end(), [&](const auto& entry) { return member(entry.first); })) return;
  for (const auto& [id, v] : s.vars)  // escape changes no variable: no copy of them to walk
    if (member(id)) escape(s, v);
}

void FunctionAnalyzer::canonicalize(State& s, TSNode at) {
  // Scratch buffers kept between calls (a call per statement of every path).
  std::vector<int32_t>& order = canonical_order_;
  std::vector<int32_t>& queue = canonical_queue_;
  order.assign(s.objs.size(), -1);
  queue.clear();
  auto visit = [&](const Value& v) {
    if ((v.kind == VK::Obj || v.kind == VK::Interior) && order[static_cast<size_t>(v.ref)] < 0) {
      order[static_cast<size_t>(v.ref)] = static_cast<int32_t>(queue.size());
      queue.push_back(v.ref);
    }
  };
  for (const auto& [id, v] : s.vars) visit(v);
  std::sort(s.fields.begin(), s.fields.end(), [](const FieldSlot& a, const FieldSlot& b) {
    return a.obj != b.obj ? a.obj < b.obj : a.name < b.name;
  });
  for (size_t i = 0; i < queue.size(); ++i) {
    int32_t o = queue[i];
    const Obj& obj = s.objs[static_cast<size_t>(o)];
    if (obj.realloc_src >= 0) visit(Value{VK::Obj, obj.realloc_src});
    if (obj.st == OS::Freed) continue;  // a freed block's members are gone
    for (const auto& f : s.fields)
      if (f.obj == o) visit(f.v);
  }
  for (size_t o = 0; o < s.objs.size(); ++o) {
    if (order[o] >= 0) continue;
    const Obj& obj = s.objs[o];
    if ((obj.st == OS::MaybeNull || obj.st == OS::NonNull) && obj.param < 0 && !is_null(at))
      report_leak(s, static_cast<int32_t>(o), at, false);
  }
  // Already canonical (every block reached, in order) and no member of a freed block: the fields
  // are sorted above and nothing is renumbered. (A block has at most one slot per member name, so
  // the sort has no ties.)
  bool identity = queue.size() == s.objs.size();
  for (size_t i = 0; identity && i < queue.size(); ++i) identity = queue[i] == static_cast<int32_t>(i);
  if (identity && std::none_of(s.fields.begin(), s.fields.end(), [&](const FieldSlot& f) {
        return s.objs[static_cast<size_t>(f.obj)].st == OS::Freed;
      }))
    return;
  std::vector<Obj> objs;
  objs.reserve(queue.size());
  for (int32_t o : queue) objs.push_back(s.objs[static_cast<size_t>(o)]);
  for (auto& obj : objs)
    if (obj.realloc_src >= 0) obj.realloc_src = order[static_cast<size_t>(obj.realloc_src)];
  std::vector<FieldSlot> fields;
  for (const auto& f : s.fields) {
    int32_t o = order[static_cast<size_t>(f.obj)];
    if (o < 0 || s.objs[static_cast<size_t>(f.obj)].st == OS::Freed) continue;
    FieldSlot slot = f;
    slot.obj = o;
    if (slot.v.kind == VK::Obj || slot.v.kind == VK::Interior) slot.v.ref = order[static_cast<size_t>(slot.v.ref)];
    fields.push_back(slot);
  }
  std::sort(fields.begin(), fields.end(), [](const FieldSlot& a, const FieldSlot& b) {
    return a.obj != b.obj ? a.obj < b.obj : a.name < b.name;
  });
  for (auto& [id, v] : s.vars)
    if (v.kind == VK::Obj || v.kind == VK::Interior) v.ref = order[static_cast<size_t>(v.ref)];
  s.objs = std::move(objs);
  s.fields = std::move(fields);
}

uint64_t FunctionAnalyzer::key_of(const State& s, int node) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](uint64_t x) {
    h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h *= 1099511628211ull;
  };
  mix(static_cast<uint64_t>(node));
  for (const auto& [id, v] : s.vars) mix((static_cast<uint64_t>(id) << 24) ^ (static_cast<uint64_t>(v.kind) << 20) ^ static_cast<uint32_t>(v.ref));
  mix(0xabcdef);
  for (const auto& o : s.objs)
    mix((static_cast<uint64_t>(o.st) << 56) ^ (static_cast<uint64_t>(o.param + 1) << 40) ^
        (static_cast<uint64_t>(o.realloc_src + 1) << 34) ^ (static_cast<uint64_t>(o.wrapper) << 33) ^
        (static_cast<uint64_t>(o.uncertain) << 32) ^
        o.alloc_byte);
  mix(0x123457);
  for (const auto& f : s.fields)
    mix((static_cast<uint64_t>(f.obj) << 40) ^ (static_cast<uint64_t>(f.name) << 16) ^ (static_cast<uint64_t>(f.v.kind) << 12) ^
        static_cast<uint32_t>(f.v.ref));
  mix(0x777);
  for (const auto& [id, t] : s.facts) mix((static_cast<uint64_t>(id) << 1) | (t ? 1 : 0));
  for (auto fate : s.fates) mix(static_cast<uint64_t>(fate));
  return h;
}

}  // namespace c2py::analysis::c::flow::detail
