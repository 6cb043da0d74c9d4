// array.array and bytearray (Modules/arraymodule.c, Objects/bytearrayobject.c): construction and
// their methods.
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

Ref Interp::make_array(Args args, TSNode) {
  auto& a = args.positional;
  if (a.empty() || a.size() > 2) throw GiveUp{"array() arguments"};
  Obj& tc = heap_[a[0].get()];
  if (tc.kind != Kind::Str || tc.text.size() != 1) throw GiveUp{"an array typecode the model does not know"};
  char code = tc.text[0];
  int size = 0;
  switch (code) {
    case 'b': case 'B': size = 1; break;
    case 'h': case 'H': size = 2; break;
    case 'i': case 'I': case 'f': case 'u': size = 4; break;
    case 'l': case 'L': case 'q': case 'Q': case 'd': size = 8; break;
    default: throw GiveUp{"array typecode '" + tc.text + "'"};
  }
  Obj arr;
  arr.kind = Kind::Array;
  arr.type = "array";
  arr.typecode = code;
  arr.itemsize = size;
  if (a.size() == 2) {
    Obj& init = heap_[a[1].get()];
    if (init.kind == Kind::List || init.kind == Kind::Tuple) {
      check_numbers(init.items, code);
      arr.len = arr.cap = static_cast<int64_t>(init.items.size());
    } else if (init.kind == Kind::Range) {
      if (init.len > kMaxSlots) throw GiveUp{"an array too big for the model"};
      charge(init.len);
      for (int64_t i = 0; i < init.len; ++i) {
        arr.cap = array_resize_cap(arr.cap, arr.len, arr.len + 1);
        ++arr.len;
      }
    } else {
      throw GiveUp{"array() from a " + init.type};
    }
  }
  return fresh(std::move(arr));
}

void Interp::check_numbers(const std::vector<Id>& items, char code) {
  for (Id e : items) {
    Obj& o = heap_[e];
    bool ok = (code == 'f' || code == 'd') ? numeric(o) : (o.kind == Kind::Int && o.has_value);
    if (!ok) throw GiveUp{"an array item the model cannot convert"};
  }
}

// array methods: what the model follows of them; anything else is not modelled.
Interp::MethodTable Interp::array_methods() {
  MethodTable methods;
  methods.add({"append"}, [this](MethodCall& mc) -> Ref {
    mc.need(1);
    check_numbers({mc.a[0].get()}, mc.o.typecode);
    mc.o.cap = array_resize_cap(mc.o.cap, mc.o.len, mc.o.len + 1);
    ++mc.o.len;
    return make_none();
  });
  methods.add({"extend"}, [this](MethodCall& mc) -> Ref {
    mc.need(1);
    Obj& s = heap_[mc.a[0].get()];
    if (s.kind == Kind::Array) {
      if (s.typecode != mc.o.typecode) throw GiveUp{"extending an array with another typecode (TypeError)"};
      mc.o.cap = array_resize_cap(mc.o.cap, mc.o.len, mc.o.len + s.len);
      mc.o.len += s.len;
      return make_none();
    }
    if (s.kind == Kind::List || s.kind == Kind::Tuple) {
      check_numbers(s.items, mc.o.typecode);
      for (size_t i = 0; i < s.items.size(); ++i) {
        mc.o.cap = array_resize_cap(mc.o.cap, mc.o.len, mc.o.len + 1);
        ++mc.o.len;
      }
      return make_none();
    }
    throw GiveUp{"array.extend() of a " + s.type};
  });
  return methods;
}

// bytearray methods: what the model follows of them; anything else is not modelled.
Interp::MethodTable Interp::bytearray_methods() {
  MethodTable methods;
  methods.add({"append"}, [this](MethodCall& mc) -> Ref {
    mc.need(1);
    mc.o.cap = bytearray_resize_alloc(mc.o.cap, mc.o.len + 1);
    ++mc.o.len;
    mc.o.has_value = false;
    return make_none();
  });
  methods.add({"extend"}, [this](MethodCall& mc) -> Ref {
    mc.need(1);
    Obj& s = heap_[mc.a[0].get()];
    if (s.kind != Kind::Bytes && s.kind != Kind::Bytearray) throw GiveUp{"bytearray.extend() of a " + s.type};
    mc.o.cap = bytearray_resize_alloc(mc.o.cap, mc.o.len + s.len);
    mc.o.len += s.len;
    mc.o.has_value = false;
    return make_none();
  });
  return methods;
}

}  // namespace c2py::runtime_model::engine
