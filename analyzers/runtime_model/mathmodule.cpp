// The math module (Modules/mathmodule.c): the functions whose results the model computes as
// CPython does on this platform (the same C library functions: sqrt, pow, log2, …), and its
// constants, shared float objects the math module holds (no count of the program's).
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

bool Interp::is_math_function(const std::string& name) {
  static constexpr const char* kNames[] = {"math.ceil", "math.floor", "math.sqrt", "math.pow", "math.log2",
                                           "math.log10", "math.exp", "math.fabs", "math.gcd", "math.isqrt",
                                           "math.factorial", "math.trunc", "math.log"};
  if (name.compare(0, 5, "math.") != 0) return false;  // asked of every builtin called
  for (const char* k : kNames)
    if (name == k) return true;
  return false;
}

Id Interp::module_constant(const std::string& name) {
  if (name.rfind("string.", 0) == 0) return string_constant(name);
  Obj o;
  o.has_value = true;
  if (name == "sys.maxsize") {  // an int the sys module holds: 2**63 - 1 on 64-bit CPython
    o.kind = Kind::Int;
    o.type = "int";
    o.ival = INT64_MAX;
    return constant("@" + name, std::move(o), false);
  }
  if (name == "math.pi") o.fval = 3.141592653589793;
  else if (name == "math.e") o.fval = 2.718281828459045;
  else if (name == "math.tau") o.fval = 6.283185307179586;
  else if (name == "math.inf") o.fval = HUGE_VAL;
  else return 0;
  o.kind = Kind::Float;
  o.type = "float";
  return constant("@" + name, std::move(o), false);
}

Ref Interp::call_math(const std::string& name, Args& args) {
  auto& a = args.positional;
  if (!args.keywords.empty()) throw GiveUp{name + "() with keywords"};
  auto number = [&](size_t i) -> const Obj& {
    const Obj& o = heap_[a[i].get()];
    if (!numeric(o)) throw GiveUp{name + "() of a " + o.type};
    return o;
  };
  auto need = [&](size_t n) { require_arity(a.size(), n, name); };
  auto to_int = [&](double d) -> Ref {
    if (!std::isfinite(d) || std::fabs(d) >= 9.2e18) throw GiveUp{name + "() beyond the ints the model keeps"};
    return make_int(static_cast<int64_t>(d));
  };
  auto real = [&](double d) -> Ref {
    if (std::isnan(d) || std::isinf(d)) throw GiveUp{name + "(): a domain or range error (ValueError/OverflowError)"};
    return make_float(d);
  };
  if (name == "math.ceil" || name == "math.floor" || name == "math.trunc") {
    need(1);
    const Obj& x = number(0);
    if (x.kind != Kind::Float) return make_int(x.ival);
    double d = name == "math.ceil" ? std::ceil(x.fval) : name == "math.floor" ? std::floor(x.fval) : std::trunc(x.fval);
    return to_int(d);
  }
  if (name == "math.gcd") {
    int64_t g = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      const Obj& x = number(i);
      if (x.kind == Kind::Float) throw GiveUp{"math.gcd() of a float (TypeError)"};
      int64_t v = x.ival < 0 ? -x.ival : x.ival;
      while (v) {
        int64_t t = g % v;
        g = v;
        v = t;
      }
    }
    return make_int(g);
  }
  if (name == "math.isqrt") {
    need(1);
    const Obj& x = number(0);
    if (x.kind == Kind::Float || x.ival < 0) throw GiveUp{"math.isqrt() of this value (TypeError/ValueError)"};
    auto r = static_cast<int64_t>(std::sqrt(static_cast<double>(x.ival)));
    while (r > 0 && r * r > x.ival) --r;
    while ((r + 1) * (r + 1) <= x.ival) ++r;
    return make_int(r);
  }
  if (name == "math.factorial") {
    need(1);
    const Obj& x = number(0);
    if (x.kind == Kind::Float || x.ival < 0) throw GiveUp{"math.factorial() of this value (ValueError)"};
    int64_t r = 1;
    for (int64_t i = 2; i <= x.ival; ++i)
      if (__builtin_mul_overflow(r, i, &r)) throw GiveUp{"an int beyond 64 bits"};
    return make_int(r);
  }
  if (name == "math.pow") {
    need(2);
    double x = num(number(0)), y = num(number(1));
    if (x == 0 && y < 0) throw GiveUp{"math.pow(0, negative) (ValueError)"};
    return real(std::pow(x, y));
  }
  if (name == "math.log" && a.size() == 2) {
    double x = num(number(0)), base = num(number(1));
    if (x <= 0 || base <= 0 || base == 1) throw GiveUp{"math.log() domain error (ValueError)"};
    return real(std::log(x) / std::log(base));
  }
  need(1);
  double x = num(number(0));
  if (name == "math.sqrt") {
    if (x < 0) throw GiveUp{"math.sqrt() of a negative number (ValueError)"};
    return real(std::sqrt(x));
  }
  if (name == "math.fabs") return real(std::fabs(x));
  if (name == "math.exp") return real(std::exp(x));
  if (x <= 0) throw GiveUp{name + "() domain error (ValueError)"};
  if (name == "math.log2") return real(std::log2(x));
  if (name == "math.log10") return real(std::log10(x));
  return real(std::log(x));
}

}  // namespace c2py::runtime_model::engine
