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
  for (TSNode c : children)
    if (type_of(c) == "list_splat") throw GiveUp{"*unpacking is not modelled"};
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

void Interp::sort_items(Id list, bool reverse) {
  Obj& l = heap_[list];
  for (Id e : l.items) {
    Obj& o = heap_[e];
    if (!numeric(o) && !(o.kind == Kind::Str && o.has_value)) throw GiveUp{"sorting values the model cannot order"};
  }
  std::stable_sort(l.items.begin(), l.items.end(), [&](Id x, Id y) {
    const Obj& a = heap_[x];
    const Obj& b = heap_[y];
    if (a.kind == Kind::Str && b.kind == Kind::Str) return reverse ? b.text < a.text : a.text < b.text;
    if (a.kind == Kind::Str || b.kind == Kind::Str) throw GiveUp{"sorting mixed types (TypeError)"};
    return reverse ? num(b) < num(a) : num(a) < num(b);
  });
}

// list methods: what the model follows of them; anything else is not modelled.
Ref Interp::call_list_method(Id obj, const std::string& name, Args& args, TSNode node) {
  Obj& o = heap_[obj];
  auto& a = args.positional;
  auto need = [&](size_t n) {
    if (a.size() != n) throw GiveUp{"." + name + "() with " + std::to_string(a.size()) + " arguments"};
  };
  (void)o;
  (void)need;
  (void)node;
  if (name == "append") {
    need(1);
    list_append(obj, std::move(a[0]));
    return make_none();
  }
  if (name == "extend") {
    need(1);
    list_extend(obj, a[0].get(), node);
    return make_none();
  }
  if (name == "insert") {
    need(2);
    Obj& k = heap_[a[0].get()];
    if (k.kind != Kind::Int || !k.has_value) throw GiveUp{"insert at an unknown index"};
    int64_t n = static_cast<int64_t>(o.items.size());
    int64_t i = k.ival < 0 ? std::max<int64_t>(0, k.ival + n) : std::min(k.ival, n);
    Id v = a[1].release();
    note_cycle(obj, v, cur_stmt_node());
    list_set_cap(obj, n, n + 1);
    heap_[obj].items.insert(heap_[obj].items.begin() + i, v);
    return make_none();
  }
  if (name == "pop") {
    int64_t n = static_cast<int64_t>(o.items.size());
    if (n == 0) throw GiveUp{"pop from an empty list (IndexError)"};
    int64_t i = n - 1;
    if (a.size() == 1) i = index_of(obj, a[0].get(), n);
    else if (!a.empty()) throw GiveUp{".pop() arguments"};
    Id v = o.items[static_cast<size_t>(i)];
    o.items.erase(o.items.begin() + i);
    // The popped item's reference moves to the caller.
    if (i == n - 1) list_set_cap(obj, n, n - 1);
    else list_set_cap(obj, n, n - 1);
    return Ref(this, v);
  }
  if (name == "clear") {
    need(0);
    std::vector<Id> old = std::move(o.items);
    o.items.clear();
    int64_t before = o.cap;
    o.cap = 0;
    if (before) note_cap(before, 0);
    for (Id e : old) decref(e);
    return make_none();
  }
  if (name == "copy") {
    need(0);
    std::vector<Ref> items;
    for (Id e : o.items) items.push_back(share(e));
    int64_t n = static_cast<int64_t>(items.size());
    return make_list(std::move(items), n);
  }
  if (name == "reverse") {
    need(0);
    std::reverse(o.items.begin(), o.items.end());
    return make_none();
  }
  if (name == "sort") {
    bool reverse = false;
    for (auto& [k, v] : args.keywords) {
      if (k != "reverse") throw GiveUp{"sort(key=...) is not modelled"};
      reverse = truth(v.get());
    }
    need(0);
    sort_items(obj, reverse);
    return make_none();
  }
  if (name == "remove") {
    need(1);
    for (size_t i = 0; i < o.items.size(); ++i) {
      if (!is_hashable_known(o.items[i]) || !is_hashable_known(a[0].get()))
        throw GiveUp{"remove() comparing values the model does not know"};
      if (equal_keys(o.items[i], a[0].get())) {
        Id v = o.items[i];
        int64_t n = static_cast<int64_t>(o.items.size());
        o.items.erase(o.items.begin() + static_cast<long>(i));
        list_set_cap(obj, n, n - 1);
        decref(v);
        return make_none();
      }
    }
    throw GiveUp{"remove() of a missing value (ValueError)"};
  }
  if (name == "index" || name == "count") {
    need(1);
    int64_t count = 0, first = -1;
    for (size_t i = 0; i < o.items.size(); ++i) {
      if (!is_hashable_known(o.items[i]) || !is_hashable_known(a[0].get()))
        throw GiveUp{name + "() comparing values the model does not know"};
      if (equal_keys(o.items[i], a[0].get())) {
        if (first < 0) first = static_cast<int64_t>(i);
        ++count;
      }
    }
    if (name == "count") return make_int(count);
    if (first < 0) throw GiveUp{"index() of a missing value (ValueError)"};
    return make_int(first);
  }
  throw GiveUp{"." + name + "() on a " + o.type + " is not modelled"};
}

}  // namespace c2py::runtime_model::engine
