// heapq.heappush / heappop / heapify (Modules/_heapqmodule.c): the C algorithms (siftdown,
// siftup) over a list whose items the model can order without running user code (ints,
// floats, str, tuples and lists of them); the list grows and shrinks as list_resize says.
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

bool Interp::heap_less(Id a, Id b) {
  bool bad = false;
  int c = order(a, b, bad, 0);
  if (bad) throw GiveUp{"heapq over items the model cannot order"};
  return c < 0;
}

void Interp::heap_siftdown(Id heap, size_t startpos, size_t pos) {
  std::vector<Id>& arr = heap_[heap].items;
  Id newitem = arr[pos];
  while (pos > startpos) {
    size_t parentpos = (pos - 1) >> 1;
    Id parent = arr[parentpos];
    if (!heap_less(newitem, parent)) break;
    arr[parentpos] = newitem;
    arr[pos] = parent;
    pos = parentpos;
  }
}

void Interp::heap_siftup(Id heap, size_t pos) {
  std::vector<Id>& arr = heap_[heap].items;
  size_t endpos = arr.size(), startpos = pos, limit = endpos >> 1;
  while (pos < limit) {
    size_t childpos = 2 * pos + 1;
    if (childpos + 1 < endpos && !heap_less(arr[childpos], arr[childpos + 1])) ++childpos;
    std::swap(arr[childpos], arr[pos]);
    pos = childpos;
  }
  heap_siftdown(heap, startpos, pos);
}

Ref Interp::call_heapq(const std::string& name, Args& args) {
  auto& a = args.positional;
  if (!args.keywords.empty() || a.empty()) throw GiveUp{name + "() arguments"};
  Id heap = a[0].get();
  const Obj& h = heap_[heap];
  if (h.kind != Kind::List || vague(heap)) throw GiveUp{name + "() of a " + h.type + " the model does not know"};
  charge(static_cast<int64_t>(h.items.size()));
  if (name == "heapq.heappush") {
    require_arity(a.size(), 2, name);
    list_append(heap, share(a[1].get()));
    heap_siftdown(heap, 0, heap_[heap].items.size() - 1);
    return make_none();
  }
  if (name == "heapq.heappop") {
    require_arity(a.size(), 1, name);
    size_t n = h.items.size();
    if (n == 0) throw GiveUp{"index out of range (IndexError)"};
    // The last item comes off (the list shrinks as list_resize says), then takes the top's
    // place and sifts up; the top is returned (the list's reference moves to the caller).
    Id lastelt = heap_[heap].items.back();
    heap_[heap].items.pop_back();
    if (n == 1) {  // PyList_SetSlice of the whole list: _list_clear frees the item array
      int64_t before = heap_[heap].cap;
      heap_[heap].cap = 0;
      if (before) note_cap(before, 0);
    } else {
      list_set_cap(heap, static_cast<int64_t>(n), static_cast<int64_t>(n - 1));
    }
    if (n == 1) return Ref(this, lastelt);
    Id returnitem = heap_[heap].items[0];
    heap_[heap].items[0] = lastelt;
    heap_siftup(heap, 0);
    return Ref(this, returnitem);
  }
  if (name == "heapq.heapify") {
    require_arity(a.size(), 1, name);
    size_t n = h.items.size();
    if (n > 2500) throw GiveUp{"heapq.heapify() of a big list (cache-friendly order) is not modelled"};
    for (size_t i = n >> 1; i-- > 0;) heap_siftup(heap, i);
    return make_none();
  }
  throw GiveUp{name + "() is not modelled"};
}

}  // namespace c2py::runtime_model::engine
