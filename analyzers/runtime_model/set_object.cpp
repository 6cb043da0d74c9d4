// set (Objects/setobject.c): adding items, displays, and the set methods.
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

Ref Interp::new_set() {
  Obj s;
  s.kind = Kind::Set;
  s.type = "set";
  return fresh(std::move(s));
}

void Interp::set_add(Id set, Ref item) {
  if (!is_hashable_known(item.get())) throw GiveUp{"a set item the model cannot hash"};
  Obj& s = heap_[set];
  if (dict_find(s, item.get())) return;
  s.items.push_back(item.release());
  key_appended(s);
  set_add_layout(heap_[set]);
}

Ref Interp::eval_set_display(TSNode node) {
  auto children = kids(node);
  bool all_const = children.size() >= 3 &&
                   std::all_of(children.begin(), children.end(), [&](TSNode c) { return is_constant_expr(c); });
  Ref set = new_set();
  std::vector<Ref> items;
  for (TSNode c : children) {
    if (type_of(c) == "list_splat") throw GiveUp{"*unpacking is not modelled"};
    items.push_back(all_const ? fold_constant(c) : eval(c));
  }
  if (all_const) {
    // SET_UPDATE of a constant frozenset: presized by its distinct items.
    Ref tmp = new_set();
    for (auto& r : items) set_add(tmp.get(), share(r.get()));
    set_merge_presize(heap_[set.get()], static_cast<int64_t>(heap_[tmp.get()].items.size()));
    for (Id e : std::vector<Id>(heap_[tmp.get()].items)) {
      heap_[set.get()].items.push_back(e);
      incref(e);
      ++heap_[set.get()].set_fill;
    }
    return set;
  }
  for (auto& r : items) set_add(set.get(), std::move(r));
  return set;
}

// set methods: what the model follows of them; anything else is not modelled.
Interp::MethodTable Interp::set_methods() {
  MethodTable methods;
  methods.add({"add"}, [this](MethodCall& mc) -> Ref {
    mc.need(1);
    set_add(mc.self, std::move(mc.a[0]));
    return make_none();
  });
  methods.add({"discard", "remove"}, [this](MethodCall& mc) -> Ref {
    mc.need(1);
    if (!is_hashable_known(mc.a[0].get())) throw GiveUp{"a set item the model cannot hash"};
    for (size_t i = 0; i < mc.o.items.size(); ++i)
      if (equal_keys(mc.o.items[i], mc.a[0].get())) {
        Id v = mc.o.items[i];
        key_erasing(mc.o, i);
        mc.o.items.erase(mc.o.items.begin() + static_cast<long>(i));
        // A dummy slot is reused or not depending on hashes: later sizes are unknown.
        mc.o.size_unknown = true;
        decref(v);
        return make_none();
      }
    if (mc.name == "remove") throw GiveUp{"remove of a missing item (KeyError)"};
    return make_none();
  });
  return methods;
}

}  // namespace c2py::runtime_model::engine
