// Iterators (Objects/iterobject.c, listobject.c, dictobject.c, rangeobject.c): what a for loop
// holds and how each kind of iterator advances.
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

Ref Interp::make_iter(Id seq, bool soft) {
  if (vague(seq)) {
    give_up(soft, "iterating an object the model does not know");
    return {};
  }
  Obj& s = heap_[seq];
  Obj it;
  it.kind = Kind::Iterator;
  switch (s.kind) {
    case Kind::List: it.type = "list_iterator"; break;
    case Kind::Tuple: it.type = "tuple_iterator"; break;
    case Kind::Range:
      it.type = "range_iterator";
      it.range_start = s.range_start;
      it.range_step = s.range_step;
      it.len = s.len;
      return fresh(std::move(it));  // copies the bounds, keeps no reference
    case Kind::Str:
      if (!s.has_value) throw GiveUp{"iterating a str the model does not know"};
      it.type = s.str_kind == 1 ? "str_ascii_iterator" : "str_iterator";  // 3.11 too (measured)
      break;
    case Kind::Dict:
    case Kind::Set:
      // A set iterates in hash-table order, which the model does not follow.
      if (s.kind == Kind::Set && s.items.size() > 1) throw GiveUp{"iterating a set (hash order)"};
      it.type = s.kind == Kind::Dict ? "dict_keyiterator" : "set_iterator";
      it.len = static_cast<int64_t>(s.items.size());
      break;
    case Kind::Iterator:
    case Kind::Generator: return share(seq);  // iter(iterator) is the iterator itself
    case Kind::Instance: return instance_iter(seq);
    case Kind::View: {
      // dict views: the iterator refers to the dict; items() reuses one result tuple.
      Id dict = s.target;
      it.type = s.type == "dict_items" ? "dict_itemiterator" : s.type == "dict_keys" ? "dict_keyiterator" : "dict_valueiterator";
      incref(dict);
      it.target = dict;
      it.index = 0;
      it.len = static_cast<int64_t>(heap_[dict].items.size());
      Ref self = fresh(std::move(it));
      if (heap_[self.get()].type == "dict_itemiterator") heap_[self.get()].values.push_back(none_pair(2).release());
      return self;
    }
    case Kind::Bytes: it.type = "bytes_iterator"; break;
    default: throw GiveUp{"iterating a " + s.type + " is not modelled"};
  }
  incref(seq);
  it.target = seq;
  return fresh(std::move(it));
}

Ref Interp::iter_next(Id iter) {
  if (heap_[iter].kind == Kind::Generator) return gen_next(iter);
  Obj& it = heap_[iter];
  if (it.type == "enumerate") {
    Ref item = iter_next(it.items[0]);
    if (!item) return {};
    Ref index = make_int(heap_[iter].index++);
    std::vector<Ref> parts;
    parts.push_back(std::move(index));
    parts.push_back(std::move(item));
    return result_tuple(iter, std::move(parts));
  }
  if (it.type == "islice") {  // islice_next: at the stop, or when xs ends, it lets go of xs
    if (it.items.empty()) return {};
    Ref item;
    if (it.index < it.len) item = iter_next(it.items[0]);
    Obj& s = heap_[iter];
    if (!item) {
      Id inner = s.items[0];
      s.items.clear();
      decref(inner);
      return {};
    }
    ++s.index;
    return item;
  }
  if (it.type == "zip") {
    std::vector<Ref> parts;
    std::vector<Id> inner = it.items;
    for (Id i : inner) {
      Ref item = iter_next(i);
      if (!item) return {};
      parts.push_back(std::move(item));
    }
    return result_tuple(iter, std::move(parts));
  }
  if (it.type == "dict_itemiterator" || it.type == "dict_keyiterator" || it.type == "dict_valueiterator") {
    Id dict = it.target;
    if (!dict) return {};
    Obj& d = heap_[dict];
    if (static_cast<int64_t>(d.items.size()) != it.len) throw GiveUp{"a dict changed size during iteration (RuntimeError)"};
    if (it.index >= static_cast<int64_t>(d.items.size())) {
      it.target = 0;  // an exhausted dict iterator lets go of its dict
      decref(dict);
      return {};
    }
    size_t i = static_cast<size_t>(it.index++);
    if (it.type == "dict_keyiterator") return share(d.items[i]);
    if (it.type == "dict_valueiterator") return share(d.values[i]);
    std::vector<Ref> parts;
    parts.push_back(share(d.items[i]));
    parts.push_back(share(d.values[i]));
    return result_tuple(iter, std::move(parts));
  }
  if (it.type == "range_iterator") {
    if (it.index >= it.len) return {};
    int64_t v = 0;
    if (__builtin_mul_overflow(it.range_step, it.index, &v) || __builtin_add_overflow(v, it.range_start, &v))
      throw GiveUp{"an int beyond 64 bits"};
    ++it.index;
    return make_int(v);
  }
  Id seq = it.target;
  if (!seq) return {};
  Obj& s = heap_[seq];
  if ((s.kind == Kind::Dict || s.kind == Kind::Set) && static_cast<int64_t>(s.items.size()) != it.len)
    throw GiveUp{"a " + s.type + " changed size during iteration (RuntimeError)"};
  int64_t n = s.kind == Kind::Str ? s.len : s.kind == Kind::Bytes ? s.len : static_cast<int64_t>(s.items.size());
  if (it.index >= n) {
    // Exhausted iterators let go of their sequence.
    Id old = it.target;
    it.target = 0;
    decref(old);
    return {};
  }
  int64_t i = it.index++;
  if (s.kind == Kind::Str) return make_str(utf8_substr(s.text, i, 1));
  if (s.kind == Kind::Bytes) return make_int(static_cast<unsigned char>(s.text[static_cast<size_t>(i)]));
  return share(s.items[static_cast<size_t>(i)]);
}

}  // namespace c2py::runtime_model::engine

namespace c2py::runtime_model::engine {

// iter(obj) of an instance (slot_tp_iter): its class's __iter__ called with the instance (the
// function held while it runs); the result must be an iterator. A generator method returns its
// generator at once, the body runs as the iterator is consumed.
Ref Interp::instance_iter(Id obj) {
  Id cls = heap_[obj].cls;
  Id method = cls ? class_lookup(cls, "__iter__") : 0;
  if (!method || heap_[method].kind != Kind::Function)
    throw GiveUp{"iterating a " + heap_[obj].type + " is not modelled"};
  Ref hold = share(method);
  Args args;
  args.positional.push_back(share(obj));
  Ref it = call_function(method, std::move(args), cur_stmt_node());
  Kind k = heap_[it.get()].kind;
  if (k != Kind::Generator && k != Kind::Iterator) throw GiveUp{"__iter__ returned a " + heap_[it.get()].type};
  return it;
}

}  // namespace c2py::runtime_model::engine
