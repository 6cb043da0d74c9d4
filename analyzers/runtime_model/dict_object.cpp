// dict (Objects/dictobject.c): key lookup through a hash index, insertion, displays, the repr of
// keys in `via` labels, and the dict methods.
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

std::string Interp::key_fingerprint(Id key, int depth) const {
  const Obj& k = heap_[key];
  if (depth > 20) return "";
  if ((k.kind == Kind::Int || k.kind == Kind::Bool) && k.has_value) return "i" + std::to_string(k.ival);
  if (k.is_wide) return "i" + wide_text(k.wide);
  if (k.kind == Kind::Str && k.has_value) return "s" + k.text;
  if (k.kind == Kind::Bytes && k.has_value) return "b" + k.text;
  if (k.kind == Kind::None) return "n";
  if (identity_hashed(key)) return "o" + std::to_string(key);
  if (k.kind == Kind::Tuple) {
    std::string out = "t" + std::to_string(k.items.size()) + "(";
    for (Id i : k.items) {
      std::string part = key_fingerprint(i, depth + 1);
      if (part.empty()) return "";
      out += std::to_string(part.size()) + ":" + part;
    }
    return out + ")";
  }
  return "";
}

std::optional<size_t> Interp::dict_find(const Obj& d, Id key) {
  if (d.items.size() >= kIndexFrom) {
    std::string fp = key_fingerprint(key);
    if (!fp.empty()) {
      KeyIndex& index = key_index(d);
      auto it = index.at.find(fp);
      if (it == index.at.end()) return std::nullopt;
      if (it->second < d.items.size() && equal_keys(d.items[it->second], key)) return it->second;
    }
  }
  for (size_t i = 0; i < d.items.size(); ++i)
    if (equal_keys(d.items[i], key)) return i;
  return std::nullopt;
}

Interp::KeyIndex& Interp::key_index(const Obj& d) {
  KeyIndex& index = key_indexes_[&d];
  if (index.count != d.items.size() || index.at.size() != d.items.size()) {
    index.at.clear();
    for (size_t i = 0; i < d.items.size(); ++i) {
      std::string fp = key_fingerprint(d.items[i]);
      if (fp.empty()) {
        index.at.clear();
        index.count = SIZE_MAX;  // a key without a fingerprint: linear lookups only
        return index;
      }
      index.at.emplace(std::move(fp), i);
    }
    index.count = d.items.size();
  }
  return index;
}

void Interp::key_appended(const Obj& d) {
  auto it = key_indexes_.find(&d);
  if (it == key_indexes_.end()) return;
  KeyIndex& index = it->second;
  if (index.count + 1 != d.items.size()) {
    key_indexes_.erase(it);
    return;
  }
  std::string fp = key_fingerprint(d.items.back());
  if (fp.empty() || !index.at.emplace(std::move(fp), d.items.size() - 1).second) {
    key_indexes_.erase(it);
    return;
  }
  index.count = d.items.size();
}

void Interp::key_erasing(const Obj& d, size_t i) {
  auto it = key_indexes_.find(&d);
  if (it == key_indexes_.end()) return;
  KeyIndex& index = it->second;
  if (index.count != d.items.size() || index.at.size() != d.items.size()) return;  // rebuilt when read
  // What rebuilding it after the erase would make, without a fingerprint: key i's entry goes,
  // the later keys move down one place.
  for (auto e = index.at.begin(); e != index.at.end();) {
    if (e->second == i) {
      e = index.at.erase(e);
      continue;
    }
    if (e->second > i) --e->second;
    ++e;
  }
  index.count = d.items.size() - 1;
}

bool Interp::is_hashable_known(Id key, int depth) {
  if (depth > 50) throw GiveUp{"a key nested deeper than the model follows"};
  const Obj& k = heap_[key];
  if (k.kind == Kind::Str || k.kind == Kind::Bytes) return k.has_value;
  if (k.kind == Kind::Int || k.kind == Kind::Bool) return k.has_value || k.is_wide;
  if (k.kind == Kind::None) return true;
  if (identity_hashed(key)) return true;
  if (k.kind == Kind::Tuple) {
    for (Id i : k.items)
      if (!is_hashable_known(i, depth + 1)) return false;
    return true;
  }
  return false;
}

bool Interp::equal_keys(Id a, Id b, int depth) {
  if (a == b) return true;
  if (depth > 50) throw GiveUp{"a key nested deeper than the model follows"};
  const Obj& x = heap_[a];
  const Obj& y = heap_[b];
  bool xn = x.kind == Kind::Int || x.kind == Kind::Bool, yn = y.kind == Kind::Int || y.kind == Kind::Bool;
  if (xn && yn) return x.is_wide || y.is_wide ? x.is_wide && y.is_wide && x.wide == y.wide : x.ival == y.ival;
  if (x.kind != y.kind) return false;
  if (x.kind == Kind::Str || x.kind == Kind::Bytes) return x.text == y.text;
  if (x.kind == Kind::Tuple) {
    if (x.items.size() != y.items.size()) return false;
    for (size_t i = 0; i < x.items.size(); ++i)
      if (!equal_keys(x.items[i], y.items[i], depth + 1)) return false;
    return true;
  }
  return false;
}

void Interp::dict_set(Id dict, Ref key, Ref value) {
  if (!is_hashable_known(key.get())) throw GiveUp{"a dict key the model cannot hash"};
  Obj& d = heap_[dict];
  if (auto i = dict_find(d, key.get())) {
    Id old = d.values[*i];
    d.values[*i] = value.release();
    decref(old);
    return;
  }
  dict_insert_layout(d, heap_[key.get()].kind == Kind::Str);
  Obj& d2 = heap_[dict];
  d2.items.push_back(key.release());
  d2.values.push_back(value.release());
  key_appended(d2);
}

Ref Interp::eval_dict_display(TSNode node) {
  Obj d;
  d.kind = Kind::Dict;
  d.type = "dict";
  Ref dict = fresh(std::move(d));
  auto pairs = kids(node);
  std::vector<std::pair<Ref, Ref>> kv;
  bool all_str = true;
  for (TSNode p : pairs) {
    if (type_of(p) != "pair") throw GiveUp{"**unpacking in a dict display"};
    Ref k = eval(field(p, "key"));
    Ref v = eval(field(p, "value"));
    if (heap_[k.get()].kind != Kind::Str) all_str = false;
    kv.emplace_back(std::move(k), std::move(v));
  }
  dict_presize(heap_[dict.get()], static_cast<int64_t>(kv.size()), all_str);
  for (auto& [k, v] : kv) dict_set(dict.get(), std::move(k), std::move(v));
  // Past 15 pairs the compiler builds the display in chunks merged with DICT_UPDATE: the
  // model does not follow the resulting table size.
  if (kv.size() > 15) heap_[dict.get()].size_unknown = true;
  return dict;
}

std::string Interp::key_repr(Id key, int depth) const {
  const Obj& k = heap_[key];
  if (k.kind == Kind::Str && k.has_value) return str_repr(k.text);
  if (k.kind == Kind::Bool && k.has_value) return k.ival ? "True" : "False";
  if (k.kind == Kind::Int && k.has_value) return std::to_string(k.ival);
  if (k.kind == Kind::None) return "None";
  if (k.kind == Kind::Tuple && depth < 4) {
    std::string out = "(";
    for (size_t i = 0; i < k.items.size(); ++i) out += (i ? ", " : "") + key_repr(k.items[i], depth + 1);
    return out + (k.items.size() == 1 ? ",)" : ")");
  }
  return "…";
}

// dict methods: what the model follows of them; anything else is not modelled.
Interp::MethodTable Interp::dict_methods() {
  MethodTable methods;
  methods.add({"get"}, [this](MethodCall& mc) -> Ref {
    if (mc.a.empty() || mc.a.size() > 2) throw GiveUp{".get() arguments"};
    if (!is_hashable_known(mc.a[0].get())) throw GiveUp{"a dict key the model cannot hash"};
    if (auto i = dict_find(mc.o, mc.a[0].get())) return share(mc.o.values[*i]);
    return mc.a.size() == 2 ? std::move(mc.a[1]) : make_none();
  });
  methods.add({"pop"}, [this](MethodCall& mc) -> Ref {
    if (mc.a.empty() || mc.a.size() > 2) throw GiveUp{".pop() arguments"};
    if (!is_hashable_known(mc.a[0].get())) throw GiveUp{"a dict key the model cannot hash"};
    if (auto i = dict_find(mc.o, mc.a[0].get())) {
      Id k = mc.o.items[*i], v = mc.o.values[*i];
      key_erasing(mc.o, *i);
      mc.o.items.erase(mc.o.items.begin() + static_cast<long>(*i));
      mc.o.values.erase(mc.o.values.begin() + static_cast<long>(*i));
      decref(k);
      return Ref(this, v);
    }
    if (mc.a.size() == 2) return std::move(mc.a[1]);
    throw GiveUp{"pop of a missing key (KeyError)"};
  });
  methods.add({"clear"}, [this](MethodCall& mc) -> Ref {
    mc.need(0);
    auto keys = std::move(mc.o.items);
    auto values = std::move(mc.o.values);
    mc.o.items.clear();
    mc.o.values.clear();
    mc.o.dk_log2 = 0;
    for (size_t i = 0; i < keys.size(); ++i) {
      decref(keys[i]);
      decref(values[i]);
    }
    return make_none();
  });
  methods.add({"items", "keys", "values"}, [this](MethodCall& mc) -> Ref {
    mc.need(0);
    Obj view;
    view.kind = Kind::View;
    view.type = "dict_" + mc.name;
    incref(mc.self);
    view.target = mc.self;
    return fresh(std::move(view));
  });
  methods.add({"setdefault"}, [this](MethodCall& mc) -> Ref {
    if (mc.a.empty() || mc.a.size() > 2) throw GiveUp{".setdefault() arguments"};
    if (!is_hashable_known(mc.a[0].get())) throw GiveUp{"a dict key the model cannot hash"};
    if (auto i = dict_find(mc.o, mc.a[0].get())) return share(mc.o.values[*i]);
    Ref v = mc.a.size() == 2 ? std::move(mc.a[1]) : make_none();
    Id vid = v.get();
    dict_set(mc.self, std::move(mc.a[0]), share(vid));
    return v;
  });
  return methods;
}

}  // namespace c2py::runtime_model::engine
