// copy.deepcopy (Lib/copy.py) of the builtin containers: atomic values (numbers, str, bytes,
// None, functions, classes, ranges) are the same objects; a list is a new list grown by appends,
// a dict a new dict filled in order (each value copied before its key, as `y[k] = v` evaluates),
// a tuple a new tuple unless every item copied to itself (then the tuple itself); an object seen
// before (the memo) is its first copy. Anything else (instances: __reduce_ex__, sets) gives up.
// No user code runs, so only the result shows; the memo and its keep-alive list are gone after.
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

Ref Interp::deepcopy(Id x, std::unordered_map<Id, Id>& memo, int depth) {
  DepthGuard guard(depth_);
  if (depth > 100) throw GiveUp{"copy.deepcopy() of a structure deeper than the model follows"};
  step(cur_stmt_node());
  const Obj& o = heap_[x];
  if (vague(x) && !o.is_wide) throw GiveUp{"copy.deepcopy() of a value the model does not know"};
  switch (o.kind) {
    case Kind::None: case Kind::Bool: case Kind::Int: case Kind::Float: case Kind::Str: case Kind::Bytes:
    case Kind::Function: case Kind::Class: case Kind::Range: case Kind::Builtin:
      return share(x);
    default:
      break;
  }
  if (auto it = memo.find(x); it != memo.end()) return share(it->second);
  if (o.kind == Kind::List) {
    Ref y = make_list({}, 0);
    memo[x] = y.get();
    std::vector<Id> items = o.items;
    for (Id item : items) list_append(y.get(), deepcopy(item, memo, depth + 1));
    return y;
  }
  if (o.kind == Kind::Dict) {
    Obj d;
    d.kind = Kind::Dict;
    d.type = "dict";
    Ref y = fresh(std::move(d));
    memo[x] = y.get();
    std::vector<Id> keys = o.items, values = o.values;
    for (size_t i = 0; i < keys.size(); ++i) {
      Ref v = deepcopy(values[i], memo, depth + 1);
      Ref k = deepcopy(keys[i], memo, depth + 1);
      dict_set(y.get(), std::move(k), std::move(v));
    }
    return y;
  }
  if (o.kind == Kind::Tuple) {
    std::vector<Id> items = o.items;
    std::vector<Ref> copies;
    bool same = true;
    for (Id item : items) {
      copies.push_back(deepcopy(item, memo, depth + 1));
      same = same && copies.back().get() == item;
    }
    if (auto it = memo.find(x); it != memo.end()) return share(it->second);
    if (same) return share(x);
    Ref y = make_tuple(std::move(copies));
    memo[x] = y.get();
    return y;
  }
  throw GiveUp{"copy.deepcopy() of a " + o.type + " is not modelled"};
}

Ref Interp::call_deepcopy(Args& args) {
  if (args.positional.size() != 1 || !args.keywords.empty()) throw GiveUp{"copy.deepcopy() arguments"};
  std::unordered_map<Id, Id> memo;
  return deepcopy(args.positional[0].get(), memo, 0);
}

}  // namespace c2py::runtime_model::engine
