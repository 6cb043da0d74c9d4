// int and float (Objects/longobject.c, floatobject.c): small-int cache, arithmetic, and the
// sequence repetition and concatenation operators.
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

namespace {
// base ** e by square and multiply (O(log e), even for 1 ** 10**18) into `v`; true when an
// intermediate product overflows T.
template <typename T>
bool power_overflows(T base, T e, T& v) {
  v = 1;
  bool overflow = false;
  while (e > 0 && !overflow) {
    if (e & 1) overflow = __builtin_mul_overflow(v, base, &v);
    e >>= 1;
    if (e > 0 && !overflow) overflow = __builtin_mul_overflow(base, base, &base);
  }
  return overflow;
}
}  // namespace

Ref Interp::make_int(int64_t v, bool is_const) {
  bool small = v >= -5 && v <= 256;
  if (small && small_ints_[v + 5]) return share(small_ints_[v + 5]);  // made once, then shared
  Obj o;
  o.kind = Kind::Int;
  o.type = "int";
  o.ival = v;
  o.has_value = true;
  if (small) return share(small_ints_[v + 5] = constant("i" + std::to_string(v), std::move(o), true));
  if (is_const) return share(constant("I" + std::to_string(v), std::move(o), false));
  return fresh(std::move(o));
}

std::string wide_text(wide_t v) {
  if (v == 0) return "0";
  bool neg = v < 0;
  uwide_t m = neg ? 0 - static_cast<uwide_t>(v) : static_cast<uwide_t>(v);
  std::string out;
  while (m) {
    out += static_cast<char>('0' + static_cast<int>(m % 10));
    m /= 10;
  }
  if (neg) out += '-';
  return std::string(out.rbegin(), out.rend());
}

std::optional<wide_t> Interp::int_value(Id id) const {
  const Obj& o = heap_[id];
  if (o.kind != Kind::Int && o.kind != Kind::Bool) return std::nullopt;
  if (o.is_wide) return o.wide;
  if (o.has_value) return o.ival;
  return std::nullopt;
}

Ref Interp::make_wide(wide_t v, bool is_const) {
  if (v >= INT64_MIN && v <= INT64_MAX) return make_int(static_cast<int64_t>(v), is_const);
  Obj o;
  o.kind = Kind::Int;
  o.type = "int";
  o.is_wide = true;
  o.wide = v;
  if (is_const) return share(constant("W" + wide_text(v), std::move(o), false));
  return fresh(std::move(o));
}

// Arithmetic on ints where one operand or the result is beyond 64 bits, in 128 bits: beyond
// those the model gives up. nullopt: not two ints.
std::optional<Ref> Interp::wide_binary(const std::string& op, Id a, Id b, bool folding) {
  auto lv = int_value(a), rv = int_value(b);
  if (!lv || !rv) return std::nullopt;
  wide_t l = *lv, r = *rv, v = 0;
  bool overflow = false;
  if (op == "+") overflow = __builtin_add_overflow(l, r, &v);
  else if (op == "-") overflow = __builtin_sub_overflow(l, r, &v);
  else if (op == "*") overflow = __builtin_mul_overflow(l, r, &v);
  else if (op == "//" || op == "%") {
    if (r == 0) throw GiveUp{"division by zero (ZeroDivisionError)"};
    if (r == -1 && l == static_cast<wide_t>(static_cast<uwide_t>(1) << 127)) throw GiveUp{"an int beyond 128 bits"};
    wide_t q = l / r, m = l % r;
    if (m != 0 && ((m < 0) != (r < 0))) { --q; m += r; }
    v = op == "//" ? q : m;
  } else if (op == "**") {
    if (r < 0) return std::nullopt;  // a float: the int path decides
    overflow = power_overflows<wide_t>(l, r, v);
  } else if (op == "<<") {
    if (r < 0) throw GiveUp{"negative shift count (ValueError)"};
    wide_t mag = l < 0 ? -l : l;
    if (l != 0 && (r > 125 || (mag >> (125 - r)) != 0)) overflow = true;
    else v = l * (static_cast<wide_t>(1) << r);
  } else if (op == ">>") {
    if (r < 0) throw GiveUp{"negative shift count (ValueError)"};
    v = r > 126 ? (l < 0 ? -1 : 0) : l >> r;
  } else if (op == "&") v = l & r;
  else if (op == "|") v = l | r;
  else if (op == "^") v = l ^ r;
  else return std::nullopt;
  if (overflow) throw GiveUp{"an int beyond 128 bits"};
  return make_wide(v, folding);
}

Ref Interp::make_float(double v, bool is_const) {
  Obj o;
  o.kind = Kind::Float;
  o.type = "float";
  o.fval = v;
  o.has_value = true;
  if (is_const) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "f%a", v);
    return share(constant(buf, std::move(o), false));
  }
  return fresh(std::move(o));
}

Ref Interp::binary(const std::string& op, Id a, Id b, TSNode node, bool folding) {
  if (heap_[a].is_wide || heap_[b].is_wide)
    if (std::optional<Ref> r = wide_binary(op, a, b, folding)) return std::move(*r);
  Obj& x = heap_[a];
  Obj& y = heap_[b];
  if (vague(a) || vague(b)) return opaque_from({a, b});
  if (op == "|" && (x.kind == Kind::Builtin || x.kind == Kind::Class || x.kind == Kind::None) &&
      (y.kind == Kind::Builtin || y.kind == Kind::Class || y.kind == Kind::None))
    return opaque();  // int | None: a types.UnionType the model does not build
  bool xi = (x.kind == Kind::Int || x.kind == Kind::Bool) && x.has_value;
  bool yi = (y.kind == Kind::Int || y.kind == Kind::Bool) && y.has_value;
  if (xi && yi) {
    int64_t l = x.ival, r = y.ival, v = 0;
    bool overflow = false;
    if (op == "+") overflow = __builtin_add_overflow(l, r, &v);
    else if (op == "-") overflow = __builtin_sub_overflow(l, r, &v);
    else if (op == "*") overflow = __builtin_mul_overflow(l, r, &v);
    else if (op == "//" || op == "%") {
      if (r == 0) throw GiveUp{"division by zero (ZeroDivisionError)"};
      int64_t q = l / r, m = l % r;
      if (m != 0 && ((m < 0) != (r < 0))) { --q; m += r; }
      v = op == "//" ? q : m;
    } else if (op == "/") {
      if (r == 0) throw GiveUp{"division by zero (ZeroDivisionError)"};
      return make_float(static_cast<double>(l) / static_cast<double>(r), folding);
    } else if (op == "**") {
      if (r < 0) return make_float(std::pow(static_cast<double>(l), static_cast<double>(r)), folding);
      overflow = power_overflows<int64_t>(l, r, v);
    } else if (op == "<<") {
      if (r < 0 || r > 62 || (l != 0 && (std::abs(l) >> (62 - r)) != 0)) overflow = true;
      else v = l << r;
    } else if (op == ">>") v = r > 63 ? (l < 0 ? -1 : 0) : l >> r;
    else if (op == "&") v = l & r;
    else if (op == "|") v = l | r;
    else if (op == "^") v = l ^ r;
    else throw GiveUp{"operator " + op + " on ints"};
    if (overflow) {
      if (std::optional<Ref> w = wide_binary(op, a, b, folding)) return std::move(*w);
      throw GiveUp{"an int beyond 64 bits"};
    }
    return make_int(v, folding);
  }
  if (numeric(x) && numeric(y)) {
    double l = num(x), r = num(y);
    if (op == "+") return make_float(l + r, folding);
    if (op == "-") return make_float(l - r, folding);
    if (op == "*") return make_float(l * r, folding);
    if (op == "/") {
      if (r == 0) throw GiveUp{"division by zero (ZeroDivisionError)"};
      return make_float(l / r, folding);
    }
    if (op == "**") {
      // float_pow: C's pow; a negative base to a fractional power is complex, 0 to a negative
      // power raises, an infinite result raises OverflowError.
      if (l == 0 && r < 0) throw GiveUp{"0.0 to a negative power (ZeroDivisionError)"};
      if (l < 0 && r != std::floor(r)) throw GiveUp{"a negative number to a fractional power is complex"};
      double p = std::pow(l, r);
      if (std::isinf(p) && !std::isinf(l) && !std::isinf(r)) throw GiveUp{"float ** overflows (OverflowError)"};
      return make_float(p, folding);
    }
    throw GiveUp{"operator " + op + " on floats"};
  }
  if (op == "+") {
    if (x.kind == Kind::Str && y.kind == Kind::Str) {
      // Concatenating an empty str returns the other operand itself.
      if (y.len == 0) return share(a);
      if (x.len == 0) return share(b);
      if (!x.has_value || !y.has_value) throw GiveUp{"a str the model does not know"};
      if (x.text.size() + y.text.size() > kMaxText) throw GiveUp{"a str too big for the model"};
      return make_str(x.text + y.text, folding);
    }
    if (x.kind == Kind::Bytes && y.kind == Kind::Bytes) {
      if (y.len == 0) return share(a);
      if (x.len == 0) return share(b);
      return make_bytes(x.text + y.text, folding);
    }
    if (x.kind == Kind::List && y.kind == Kind::List) {
      std::vector<Ref> items;
      for (Id i : x.items) items.push_back(share(i));
      for (Id i : heap_[b].items) items.push_back(share(i));
      int64_t n = static_cast<int64_t>(items.size());
      return make_list(std::move(items), n);
    }
    if (x.kind == Kind::Tuple && y.kind == Kind::Tuple) {
      if (y.items.empty()) return share(a);
      if (x.items.empty()) return share(b);
      std::vector<Ref> items;
      for (Id i : x.items) items.push_back(share(i));
      for (Id i : heap_[b].items) items.push_back(share(i));
      return make_tuple(std::move(items));
    }
  }
  if (op == "*") {
    Id seq = a, count = b;
    if (!yi) std::swap(seq, count);
    Obj& s = heap_[seq];
    Obj& c = heap_[count];
    if ((c.kind == Kind::Int || c.kind == Kind::Bool) && c.has_value) {
      int64_t n = std::max<int64_t>(0, c.ival);
      if (s.kind == Kind::Str) {
        if (n == 1) return share(seq);
        if (!s.has_value) throw GiveUp{"a str the model does not know"};
        if (static_cast<double>(s.text.size()) * static_cast<double>(n) > kMaxText) {
          throw GiveUp{"a str too big for the model"};
        }
        std::string out;
        for (int64_t i = 0; i < n; ++i) out += s.text;
        return make_str(std::move(out), folding);
      }
      if (s.kind == Kind::Bytes) {
        if (n == 1) return share(seq);
        if (static_cast<double>(s.text.size()) * static_cast<double>(n) > kMaxText) throw GiveUp{"bytes too big for the model"};
        std::string out;
        for (int64_t i = 0; i < n; ++i) out += s.text;
        return make_bytes(std::move(out), folding);
      }
      if (s.kind == Kind::List || s.kind == Kind::Tuple) {
        if (static_cast<double>(s.items.size()) * static_cast<double>(n) > static_cast<double>(kMaxSlots))
          throw GiveUp{"a list too big for the model"};
        if (s.kind == Kind::Tuple && n == 1) return share(seq);
        std::vector<Id> src = s.items;
        int64_t len = static_cast<int64_t>(src.size()) * n;
        if (len == 0 && s.kind == Kind::Tuple) return make_tuple({});
        charge(len);
        // Built in bulk (no handle per slot): [0] * 1_000_000 is one count update per item.
        Obj out;
        out.kind = s.kind;
        out.type = s.type;
        out.items.reserve(static_cast<size_t>(len));
        for (int64_t i = 0; i < n; ++i) out.items.insert(out.items.end(), src.begin(), src.end());
        for (Id e : src) {
          touch(e);
          heap_[e].rc += n;
        }
        if (s.kind == Kind::List) out.cap = len;
        return fresh(std::move(out));
      }
      if (s.kind == Kind::Array) {
        if (static_cast<double>(s.len) * static_cast<double>(n) > static_cast<double>(kMaxSlots) * 8)
          throw GiveUp{"an array too big for the model"};
        Obj arr;
        arr.kind = Kind::Array;
        arr.type = "array";
        arr.typecode = s.typecode;
        arr.itemsize = s.itemsize;
        arr.len = arr.cap = s.len * n;
        return fresh(std::move(arr));
      }
    }
  }
  (void)node;
  throw GiveUp{"operator " + op + " between a " + heap_[a].type + " and a " + heap_[b].type + " is not modelled"};
}

Ref Interp::unary(const std::string& op, Id a, bool folding) {
  if (heap_[a].is_wide) {
    if (op == "-") return make_wide(-heap_[a].wide, folding);
    if (op == "+") return share(a);
    if (op == "~") return make_wide(~heap_[a].wide, folding);
  }
  if (vague(a)) return opaque_from({a});
  Obj& x = heap_[a];
  if ((x.kind == Kind::Int || x.kind == Kind::Bool) && x.has_value) {
    if (op == "-") return make_wide(-static_cast<wide_t>(x.ival), folding);
    if (op == "+") return make_int(x.ival, folding);
    if (op == "~") return make_int(~x.ival, folding);
  }
  if (x.kind == Kind::Float) {
    if (op == "-") return make_float(-x.fval, folding);
    if (op == "+") return make_float(x.fval, folding);
  }
  throw GiveUp{"unary " + op + " on a " + x.type};
}

}  // namespace c2py::runtime_model::engine
