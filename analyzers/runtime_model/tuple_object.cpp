// tuple (Objects/tupleobject.c): the empty tuple, and the result tuple enumerate/zip/items reuse.
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

Ref Interp::make_tuple(std::vector<Ref> items) {
  if (items.empty()) {
    Obj o;
    o.kind = Kind::Tuple;
    o.type = "tuple";
    return share(constant("()", std::move(o), true));
  }
  charge(static_cast<int64_t>(items.size()));
  Obj o;
  o.kind = Kind::Tuple;
  o.type = "tuple";
  for (auto& r : items) o.items.push_back(r.release());
  return fresh(std::move(o));
}

Ref Interp::none_pair(size_t n) {
  std::vector<Ref> items;
  for (size_t i = 0; i < n; ++i) items.push_back(make_none());
  return make_tuple(std::move(items));
}

Ref Interp::result_tuple(Id iter, std::vector<Ref> items) {
  Obj& it = heap_[iter];
  if (!it.values.empty() && heap_[it.values[0]].rc == 1) {
    Id tuple = it.values[0];
    std::vector<Id> old = heap_[tuple].items;
    for (size_t i = 0; i < items.size(); ++i) heap_[tuple].items[i] = items[i].release();
    Ref out = share(tuple);
    for (Id o : old) decref(o);
    return out;
  }
  return make_tuple(std::move(items));
}

}  // namespace c2py::runtime_model::engine
