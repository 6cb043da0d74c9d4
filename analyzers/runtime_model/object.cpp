// Objects: allocation (fresh objects, shared constants, hidden module and builtin objects), the
// free cascade when a count reaches zero, tainting, and the names an object had per frame.
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

std::vector<TSNode> kids(TSNode node) {
  if (ts_node_is_null(node)) return {};
  std::vector<TSNode> out;
  for (TSNode c : syntax::named_children(node))
    if (type_of(c) != "comment") out.push_back(c);  // comments sit anywhere inside displays
  return out;
}

std::string human_size(int64_t bytes) {
  char buf[64];
  if (bytes >= 1000000) std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
  else if (bytes >= 10000) std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(bytes) / 1e3);
  else std::snprintf(buf, sizeof buf, "%lld bytes", static_cast<long long>(bytes));
  return buf;
}

Id Interp::make_singleton(Kind kind, const char* type) {
  Obj o;
  o.kind = kind;
  o.type = type;
  o.constant = o.immortal = true;
  heap_.push_back(std::move(o));
  return static_cast<Id>(heap_.size() - 1);
}

void Interp::check_object_budget() {
  if (heap_.size() >= kMaxObjects)
    throw GiveUp{"the program makes more objects than the model keeps (100 000): it stops here", true};
}

Ref Interp::fresh(Obj&& o) {
  check_object_budget();
  o.rc = 1;
  o.birth_line = cur_line_;
  if (o.kind == Kind::List || o.kind == Kind::Dict || o.kind == Kind::Set || o.kind == Kind::Instance ||
      o.kind == Kind::Tuple || o.kind == Kind::Function || o.kind == Kind::Cell || o.kind == Kind::Generator)
    ++gc_allocs_;
  heap_.push_back(std::move(o));
  Id id = static_cast<Id>(heap_.size() - 1);
  return Ref(this, id);
}

Id Interp::constant(const std::string& key, Obj&& o, bool immortal) {
  auto it = consts_.find(key);
  if (it != consts_.end()) return it->second;
  check_object_budget();
  o.constant = true;
  o.immortal = immortal && version_.minor >= 12;
  heap_.push_back(std::move(o));
  Id id = static_cast<Id>(heap_.size() - 1);
  consts_.emplace(key, id);
  return id;
}

void Interp::free_cascade(Id root) {
  std::vector<Id> work{root};
  int64_t total = 0;
  bool total_known = true;
  bool root_reported = false;  // an unknown root may be a cached object: no "freed:" for it
  std::vector<Id> children;
  while (!work.empty()) {
    Id id = work.back();
    work.pop_back();
    Obj& o = heap_[id];
    if (!o.alive || o.constant) continue;
    // decref runs in destructors, so it cannot throw: the give-up waits for the next step.
    if (o.kind == Kind::Instance && o.cls && heap_[o.cls].has_del && pending_.empty())
      pending_ = "a __del__ method runs when an instance of " + heap_[o.cls].name + " is freed";
    // An opaque result (no references the model knows) may go; a tainted container may not,
    // because its true count and what it releases are not known: it stays, listed as unknown.
    bool opaque = o.kind == Kind::Opaque || ((o.kind == Kind::Int || o.kind == Kind::Str) && !o.has_value);
    if (o.unknown && !opaque) continue;
    o.alive = false;
    auto size = size_of(o, version_);
    if (size) total += *size; else total_known = false;
    // An unknown result (gc.collect()'s count, an unknown call's value) may be a cached
    // object in CPython: whether it is freed is not known, so it is not reported.
    if (!o.unknown) {
      freed_.push_back({id, o.type, size});
      root_reported |= id == root;
    }
    children.clear();
    for_each_child(o, [&](Id child) { children.push_back(child); });
    for (Id child : children) {
      Obj& c = heap_[child];
      touch(child);
      mark_dirty(c, child);
      if (--c.rc <= 0 && !c.constant) work.push_back(child);
    }
    // A freed object's own containers are released; drop them so nothing reads them again.
    std::vector<Id>().swap(o.items);
    std::vector<Id>().swap(o.values);
    o.attrs.clear();
    o.cells.clear();
    std::string().swap(o.text);
    o.defaults = o.kwdefaults = o.target = 0;
  }
  // A function's locals are freed as its frame goes: shown on its return (or last) line.
  bool tracked = return_attr_ ? return_attr_->second : (track_ && !active_.empty() && active_.back().first);
  if (!tracked || !root_reported || goal_.capture_line) return;
  std::string name = name_in(heap_[root], return_attr_ ? return_serial_ : frame().serial);
  if (!name.empty()) {
    auto& ev = result_.lines[return_attr_ ? return_attr_->first : active_.back().line];
    if (ev.freed_labels.size() < 3) ev.freed_labels.push_back("freed: " + name + (total_known ? ", " + human_size(total) : ""));
  }
}

void Interp::taint(Id root) {
  if (const Obj& o = heap_[root]; o.unknown || o.constant || o.hidden) return;  // most calls: nothing to do
  std::vector<Id> work{root};
  size_t guard = 0;
  while (!work.empty() && ++guard < 100000) {
    Id id = work.back();
    work.pop_back();
    Obj& o = heap_[id];
    if (o.unknown || o.constant || o.hidden) continue;
    o.unknown = true;
    for_each_child(o, [&](Id child) { work.push_back(child); });
  }
}

std::unique_ptr<Frame> Interp::new_frame() {
  auto f = std::make_unique<Frame>();
  f->serial = ++frame_serial_;
  return f;
}

void Interp::note_name(Id id, std::string_view name) {
  Obj& o = heap_[id];
  if (o.constant) return;
  o.last_name.assign(name);
  const Frame& f = frame();
  uint64_t owner = f.serial;
  if (f.scope && !(f.scope->role(name) & ScopeInfo::Local)) {
    bool free_var = false;
    if (f.func)
      for (const auto& [n, cell] : heap_[f.func].cells) free_var |= n == name;
    if (!free_var) owner = module().serial;
  }
  for (auto& [serial, n] : o.frame_names)
    if (serial == owner) {
      n.assign(name);
      return;
    }
  if (o.frame_names.size() >= 4) o.frame_names.erase(o.frame_names.begin());
  o.frame_names.emplace_back(owner, std::string(name));
}

std::string Interp::name_in(const Obj& o, uint64_t serial) const {
  for (const auto& [s2, n] : o.frame_names)
    if (s2 == serial) return n;
  return "";
}

Id Interp::hidden_object(Kind kind, const std::string& name) {
  std::string key = "@" + name;
  auto it = consts_.find(key);
  if (it != consts_.end()) return it->second;
  Obj o;
  o.kind = kind;
  o.type = kind == Kind::Module ? "module" : kind == Kind::Opaque ? "object" : "builtin_function_or_method";
  o.name = name;
  o.hidden = true;
  return constant(key, std::move(o), true);
}

Ref Interp::opaque() {
  Obj o;
  o.kind = Kind::Opaque;
  o.type = "object";
  o.unknown = true;
  return fresh(std::move(o));
}

bool Interp::vague(Id id) const {
  const Obj& o = heap_[id];
  switch (o.kind) {
    case Kind::Opaque: return true;
    case Kind::Int:
    case Kind::Bool:
    case Kind::Float:
    case Kind::Str:
    case Kind::Bytes: return !o.has_value;
    case Kind::None:
    case Kind::Tuple:
    case Kind::Range:
    case Kind::Function:
    case Kind::Class:
    case Kind::Module:
    case Kind::Builtin: return false;
    default: return o.unknown;
  }
}

bool Interp::identity_hashed(Id id) const {
  const Obj& o = heap_[id];
  if (o.kind == Kind::Function) return true;
  if (o.kind == Kind::Class) return !o.has_slots;  // a metaclass may define __eq__
  if (o.kind != Kind::Instance || !o.cls) return false;
  const Obj& c = heap_[o.cls];
  return !c.has_eq && !c.has_slots;
}

Id Interp::static_function(Id id) const {
  const Obj& w = heap_[id];
  if (w.name != "@staticmethod") return 0;
  for (const auto& [n, f] : w.attrs)
    if (n == "__func__" && heap_[f].kind == Kind::Function) return f;
  return 0;
}

}  // namespace c2py::runtime_model::engine
