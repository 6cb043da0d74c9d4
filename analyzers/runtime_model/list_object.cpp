// list (Objects/listobject.c): displays, append/extend growth, sorting, and the list methods.
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

Ref Interp::make_list(std::vector<Ref> items, int64_t cap) {
  charge(static_cast<int64_t>(items.size()));
  Obj o;
  o.kind = Kind::List;
  o.type = "list";
  for (auto& r : items) o.items.push_back(r.release());
  o.cap = cap;
  return fresh(std::move(o));
}

void Interp::list_set_cap(Id list, int64_t old_size, int64_t new_size) {
  Obj& l = heap_[list];
  int64_t before = l.cap;
  l.cap = list_resize_cap(l.cap, old_size, new_size);
  if (l.cap != before && !l.size_unknown) note_cap(before, l.cap);
}

void Interp::note_cap(int64_t before, int64_t after) {
  if (stopping_ || active_.empty() || foreign_) return;
  auto& steps = result_.lines[active_.back().line].cap_steps;
  if (steps.size() < 40) steps.push_back(std::to_string(before) + "\x1f" + std::to_string(after));
}

Ref Interp::eval_list_display(TSNode node) {
  auto children = kids(node);
  for (size_t i = 0; i < children.size(); ++i) {
    if (type_of(children[i]) != "list_splat") continue;
    // [a, *xs, b]: the items before the first star, BUILD_LIST; then LIST_EXTEND for each
    // starred one and LIST_APPEND for each other.
    std::vector<Ref> head;
    for (size_t j = 0; j < i; ++j) head.push_back(eval(children[j]));
    Ref list = make_list(std::move(head), static_cast<int64_t>(i));
    for (size_t j = i; j < children.size(); ++j) {
      if (type_of(children[j]) == "list_splat") {
        Ref src = eval(ts_node_named_child(children[j], 0));
        list_extend(list.get(), src.get(), children[j]);
      } else {
        list_append(list.get(), eval(children[j]));
      }
    }
    return list;
  }
  size_t n = children.size();
  bool all_const = n >= 3 && std::all_of(children.begin(), children.end(), [&](TSNode c) { return is_constant_expr(c); });
  std::vector<Ref> items;
  for (TSNode c : children) items.push_back(all_const ? fold_constant(c) : eval(c));
  // BUILD_LIST n allocates exactly n; three or more constants are LIST_EXTEND of a constant
  // tuple into an empty list, which preallocates n rounded up to even.
  if (!all_const && n > 30) {
    // More items than the compiler keeps on the stack (STACK_USE_GUIDELINE): BUILD_LIST 0
    // and one LIST_APPEND each, so the capacity follows list_resize.
    Ref list = make_list({}, 0);
    for (auto& r : items) list_append(list.get(), std::move(r));
    return list;
  }
  int64_t cap = all_const ? list_exact_cap(static_cast<int64_t>(n)) : static_cast<int64_t>(n);
  return make_list(std::move(items), cap);
}

void Interp::list_append(Id list, Ref value) {
  Obj& l = heap_[list];
  if (static_cast<int64_t>(l.items.size()) >= kMaxSlots) throw GiveUp{"a list too big for the model"};
  int64_t n = static_cast<int64_t>(l.items.size());
  Id v = value.release();
  note_cycle(list, v, cur_stmt_node());
  list_set_cap(list, n, n + 1);
  heap_[list].items.push_back(v);
}

void Interp::list_extend(Id list, Id src, TSNode) {
  if (vague(src) || vague(list)) throw GiveUp{"extending a list with values the model does not know"};
  Obj& s = heap_[src];
  std::vector<Ref> items;
  if (s.kind == Kind::List || s.kind == Kind::Tuple) {
    for (Id e : s.items) items.push_back(share(e));
  } else if (s.kind == Kind::Range || s.kind == Kind::Str || s.kind == Kind::Dict || s.kind == Kind::Set) {
    if (s.len > kMaxSlots) throw GiveUp{"a list too big for the model"};
    charge(s.len);
    Ref iter = make_iter(src);
    while (Ref item = iter_next(iter.get())) items.push_back(std::move(item));
  } else if (s.kind == Kind::Generator || s.kind == Kind::Iterator || s.kind == Kind::Instance) {
    extend_from_iterator(list, src);
    return;
  } else {
    throw GiveUp{"extending a list from a " + s.type + " is not modelled"};
  }
  Obj& l = heap_[list];
  int64_t m = static_cast<int64_t>(l.items.size()), n = static_cast<int64_t>(items.size());
  if (m + n > kMaxSlots) throw GiveUp{"a list too big for the model"};
  if (n == 0) return;
  if (l.cap == 0) {
    int64_t before = l.cap;
    l.cap = list_exact_cap(n);
    if (!l.size_unknown) note_cap(before, l.cap);
  } else {
    list_set_cap(list, m, m + n);
  }
  for (auto& r : items) {
    Id v = r.release();
    note_cycle(list, v, cur_stmt_node());
    heap_[list].items.push_back(v);
  }
}

// Three-way order of two values as `<` and `==` see them: numbers, str, bytes, and lists or
// tuples of those compared item by item (list_richcompare). `bad`: CPython would raise
// TypeError, or the model cannot say.
int Interp::order(Id a, Id b, bool& bad, int depth) {
  if (a == b) return 0;
  const Obj& x = heap_[a];
  const Obj& y = heap_[b];
  if (x.is_wide || y.is_wide) {
    auto l = int_value(a), r = int_value(b);
    if (l && r) return *l < *r ? -1 : *l > *r ? 1 : 0;
  }
  if (depth > 20 || vague(a) || vague(b)) {
    bad = true;
    return 0;
  }
  if (numeric(x) && numeric(y)) {
    if (x.kind != Kind::Float && y.kind != Kind::Float) return x.ival < y.ival ? -1 : x.ival > y.ival ? 1 : 0;
    if (std::isnan(num(x)) || std::isnan(num(y))) {  // unordered: not "equal" either
      bad = true;
      return 0;
    }
    return num(x) < num(y) ? -1 : num(x) > num(y) ? 1 : 0;
  }
  if ((x.kind == Kind::Str && y.kind == Kind::Str) || (x.kind == Kind::Bytes && y.kind == Kind::Bytes))
    return x.text < y.text ? -1 : x.text > y.text ? 1 : 0;  // UTF-8 order is code point order
  if ((x.kind == Kind::List && y.kind == Kind::List) || (x.kind == Kind::Tuple && y.kind == Kind::Tuple)) {
    size_t n = std::min(x.items.size(), y.items.size());
    for (size_t i = 0; i < n; ++i) {
      int c = order(x.items[i], y.items[i], bad, depth + 1);
      if (bad) return 0;
      if (c != 0) return c;
    }
    return x.items.size() < y.items.size() ? -1 : x.items.size() > y.items.size() ? 1 : 0;
  }
  bad = true;
  return 0;
}

void Interp::sort_items(Id list, bool reverse, Id key, TSNode node) {
  // With a key (list_sort_impl): one call per item, in order, before any comparison; the
  // function's frame holds the function and the item besides the caller's references; the keys
  // go when the sort ends.
  std::vector<Ref> keys;
  if (key) {
    std::vector<Id> saved = heap_[list].items;
    for (Id item : saved) {
      Args ka;
      ka.positional.push_back(share(item));
      Ref frame_ref = share(key);
      keys.push_back(call(key, std::move(ka), node));
    }
  }
  // Sorted on a copy: the list changes only when every comparison was one the model can make.
  std::vector<size_t> order_of(heap_[list].items.size());
  for (size_t i = 0; i < order_of.size(); ++i) order_of[i] = i;
  auto value = [&](size_t i) { return key ? keys[i].get() : heap_[list].items[i]; };
  bool bad = false;
  std::stable_sort(order_of.begin(), order_of.end(), [&](size_t x, size_t y) {
    if (bad) return false;
    int c = reverse ? order(value(y), value(x), bad, 0) : order(value(x), value(y), bad, 0);
    return c < 0;
  });
  if (bad) throw GiveUp{"sorting values the model cannot order"};
  std::vector<Id> items;
  for (size_t i : order_of) items.push_back(heap_[list].items[i]);
  heap_[list].items = std::move(items);
}

// list methods: what the model follows of them; anything else is not modelled.
Interp::MethodTable Interp::list_methods() {
  MethodTable methods;
  methods.add({"append"}, [this](MethodCall& mc) -> Ref {
    mc.need(1);
    list_append(mc.self, std::move(mc.a[0]));
    return make_none();
  });
  methods.add({"extend"}, [this](MethodCall& mc) -> Ref {
    mc.need(1);
    list_extend(mc.self, mc.a[0].get(), mc.node);
    return make_none();
  });
  methods.add({"insert"}, [this](MethodCall& mc) -> Ref {
    mc.need(2);
    Obj& k = heap_[mc.a[0].get()];
    if (k.kind != Kind::Int || !k.has_value) throw GiveUp{"insert at an unknown index"};
    int64_t n = static_cast<int64_t>(mc.o.items.size());
    int64_t i = k.ival < 0 ? std::max<int64_t>(0, k.ival + n) : std::min(k.ival, n);
    Id v = mc.a[1].release();
    note_cycle(mc.self, v, cur_stmt_node());
    list_set_cap(mc.self, n, n + 1);
    heap_[mc.self].items.insert(heap_[mc.self].items.begin() + i, v);
    return make_none();
  });
  methods.add({"pop"}, [this](MethodCall& mc) -> Ref {
    int64_t n = static_cast<int64_t>(mc.o.items.size());
    if (n == 0) throw GiveUp{"pop from an empty list (IndexError)"};
    int64_t i = n - 1;
    if (mc.a.size() == 1) i = index_of(mc.self, mc.a[0].get(), n);
    else if (!mc.a.empty()) throw GiveUp{".pop() arguments"};
    Id v = mc.o.items[static_cast<size_t>(i)];
    mc.o.items.erase(mc.o.items.begin() + i);
    // The popped item's reference moves to the caller. 3.12+ clear the list (free its slots)
    // when the last item goes (list_pop_impl: `size_after_pop == 0`); 3.11 resizes (measured).
    if (n == 1 && version_.minor >= 12) {
      int64_t before = mc.o.cap;
      mc.o.cap = 0;
      if (before != 0 && !mc.o.size_unknown) note_cap(before, 0);
    } else {
      list_set_cap(mc.self, n, n - 1);
    }
    return Ref(this, v);
  });
  methods.add({"clear"}, [this](MethodCall& mc) -> Ref {
    mc.need(0);
    std::vector<Id> old = std::move(mc.o.items);
    mc.o.items.clear();
    int64_t before = mc.o.cap;
    mc.o.cap = 0;
    if (before) note_cap(before, 0);
    for (Id e : old) decref(e);
    return make_none();
  });
  methods.add({"copy"}, [this](MethodCall& mc) -> Ref {
    mc.need(0);
    std::vector<Ref> items;
    for (Id e : mc.o.items) items.push_back(share(e));
    int64_t n = static_cast<int64_t>(items.size());
    return make_list(std::move(items), n);
  });
  methods.add({"reverse"}, [this](MethodCall& mc) -> Ref {
    mc.need(0);
    std::reverse(mc.o.items.begin(), mc.o.items.end());
    return make_none();
  });
  methods.add({"sort"}, [this](MethodCall& mc) -> Ref {
    bool reverse = false;
    for (auto& [k, v] : mc.args.keywords) {
      if (k != "reverse") throw GiveUp{"sort(key=...) is not modelled"};
      reverse = truth(v.get());
    }
    mc.need(0);
    sort_items(mc.self, reverse);
    return make_none();
  });
  methods.add({"remove"}, [this](MethodCall& mc) -> Ref {
    mc.need(1);
    for (size_t i = 0; i < mc.o.items.size(); ++i) {
      if (!is_hashable_known(mc.o.items[i]) || !is_hashable_known(mc.a[0].get()))
        throw GiveUp{"remove() comparing values the model does not know"};
      if (equal_keys(mc.o.items[i], mc.a[0].get())) {
        Id v = mc.o.items[i];
        int64_t n = static_cast<int64_t>(mc.o.items.size());
        mc.o.items.erase(mc.o.items.begin() + static_cast<long>(i));
        list_set_cap(mc.self, n, n - 1);
        decref(v);
        return make_none();
      }
    }
    throw GiveUp{"remove() of a missing value (ValueError)"};
  });
  methods.add({"index", "count"}, [this](MethodCall& mc) -> Ref {
    mc.need(1);
    int64_t count = 0, first = -1;
    for (size_t i = 0; i < mc.o.items.size(); ++i) {
      if (!is_hashable_known(mc.o.items[i]) || !is_hashable_known(mc.a[0].get()))
        throw GiveUp{mc.name + "() comparing values the model does not know"};
      if (equal_keys(mc.o.items[i], mc.a[0].get())) {
        if (first < 0) first = static_cast<int64_t>(i);
        ++count;
      }
    }
    if (mc.name == "count") return make_int(count);
    if (first < 0) throw GiveUp{"index() of a missing value (ValueError)"};
    return make_int(first);
  });
  return methods;
}

}  // namespace c2py::runtime_model::engine
