// The cyclic garbage collector (Modules/gcmodule.c): what only a cycle keeps alive.
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

std::vector<Id> Interp::find_garbage() {
  // Indexed by id (the heap is a few thousand objects, lists may hold millions of slots).
  constexpr int64_t kUntracked = INT64_MIN;
  std::vector<int64_t> gc_refs(heap_.size(), kUntracked);
  for (Id id = 1; id < heap_.size(); ++id) {
    const Obj& o = heap_[id];
    if (o.alive && !o.constant && !o.hidden) gc_refs[id] = o.rc;
  }
  for (Id id = 1; id < heap_.size(); ++id) {
    if (gc_refs[id] == kUntracked) continue;
    for_each_child(heap_[id], [&](Id child) {
      if (gc_refs[child] != kUntracked) --gc_refs[child];
    });
  }
  std::vector<char> reachable(heap_.size(), 0);
  std::vector<Id> work;
  for (Id id = 1; id < heap_.size(); ++id)
    if (gc_refs[id] != kUntracked && gc_refs[id] > 0) work.push_back(id);
  while (!work.empty()) {
    Id id = work.back();
    work.pop_back();
    if (reachable[id]) continue;
    reachable[id] = 1;
    for_each_child(heap_[id], [&](Id child) {
      if (gc_refs[child] != kUntracked && !reachable[child]) work.push_back(child);
    });
  }
  std::vector<Id> garbage;
  for (Id id = 1; id < heap_.size(); ++id)
    if (gc_refs[id] != kUntracked && !reachable[id]) garbage.push_back(id);
  return garbage;
}

void Interp::collect_garbage() {
  auto garbage = find_garbage();
  for (Id id : garbage)
    if (heap_[id].unknown) throw GiveUp{"collecting objects the model does not fully know"};
  // Clear the cycles' references (tp_clear), which frees them by reference counting.
  for (Id id : garbage) incref(id);
  for (Id id : garbage) {
    Obj& o = heap_[id];
    if (o.kind == Kind::Instance && o.cls && heap_[o.cls].has_del)
      throw GiveUp{"a __del__ method runs when the collector frees an instance"};
    std::vector<Id> children;
    for_each_child(o, [&](Id child) { children.push_back(child); });
    o.items.clear();
    o.values.clear();
    o.attrs.clear();
    o.cells.clear();
    o.defaults = o.kwdefaults = o.target = 0;
    for (Id c : children) decref(c);
  }
  for (Id id : garbage) decref(id);
  gc_allocs_ = 0;
}

}  // namespace c2py::runtime_model::engine
