// str and bytes (Objects/unicodeobject.c, bytesobject.c): values, kinds, f-strings, repr, and the
// str methods.
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

void measure_utf8(std::string_view s, int64_t& len, int& kind) {
  len = 0;
  kind = 1;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp;
    int n;
    if (c < 0x80) { cp = c; n = 1; }
    else if ((c >> 5) == 6) { cp = c & 0x1f; n = 2; }
    else if ((c >> 4) == 14) { cp = c & 0x0f; n = 3; }
    else { cp = c & 0x07; n = 4; }
    for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    i += n;
    ++len;
    int k = cp < 0x80 ? 1 : cp < 0x100 ? 2 : cp < 0x10000 ? 3 : 4;
    kind = std::max(kind, k);
  }
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) out += static_cast<char>(cp);
  else if (cp < 0x800) { out += static_cast<char>(0xc0 | (cp >> 6)); out += static_cast<char>(0x80 | (cp & 0x3f)); }
  else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12)); out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18)); out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f)); out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

bool unescape(std::string_view body, bool bytes, std::string& out) {
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c != '\\' || i + 1 >= body.size()) { out += c; continue; }
    char e = body[++i];
    auto hex = [&](int digits) -> std::optional<uint32_t> {
      if (i + digits >= body.size() + 0 && i + digits > body.size() - 1 + 1) return std::nullopt;
      uint32_t v = 0;
      for (int k = 0; k < digits; ++k) {
        if (i + 1 >= body.size()) return std::nullopt;
        char h = body[++i];
        v <<= 4;
        if (h >= '0' && h <= '9') v |= static_cast<uint32_t>(h - '0');
        else if (h >= 'a' && h <= 'f') v |= static_cast<uint32_t>(h - 'a' + 10);
        else if (h >= 'A' && h <= 'F') v |= static_cast<uint32_t>(h - 'A' + 10);
        else return std::nullopt;
      }
      return v;
    };
    switch (e) {
      case '\n': break;
      case '\\': out += '\\'; break;
      case '\'': out += '\''; break;
      case '"': out += '"'; break;
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case '0': out += '\0'; break;
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case 'x': {
        auto v = hex(2);
        if (!v) return false;
        if (bytes) out += static_cast<char>(*v); else append_utf8(out, *v);
        break;
      }
      case 'u':
      case 'U': {
        if (bytes) { out += '\\'; out += e; break; }
        auto v = hex(e == 'u' ? 4 : 8);
        if (!v) return false;
        append_utf8(out, *v);
        break;
      }
      default:
        if (e >= '1' && e <= '7') return false;
        if (e == 'N' && !bytes) return false;
        out += '\\';
        out += e;
    }
  }
  return true;
}

Ref Interp::make_str(std::string value, bool is_const) {
  charge(static_cast<int64_t>(value.size()));
  Obj o;
  o.kind = Kind::Str;
  o.type = "str";
  measure_utf8(value, o.len, o.str_kind);
  o.has_value = true;
  o.text = std::move(value);
  // The empty string and one-character latin-1 strings are cached singletons.
  if (o.len == 0 || (o.len == 1 && o.str_kind <= 2)) {
    std::string key = "s" + o.text;
    return share(constant(key, std::move(o), true));
  }
  if (is_const) {
    std::string key = "S" + o.text;
    return share(constant(key, std::move(o), false));
  }
  return fresh(std::move(o));
}

// The str constants of the string module: objects the module holds (no count of the program's).
Id Interp::string_constant(const std::string& name) {
  static constexpr std::pair<const char*, const char*> kConstants[] = {
      {"string.ascii_lowercase", "abcdefghijklmnopqrstuvwxyz"},
      {"string.ascii_uppercase", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
      {"string.ascii_letters", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"},
      {"string.digits", "0123456789"},
      {"string.hexdigits", "0123456789abcdefABCDEF"},
      {"string.octdigits", "01234567"},
      {"string.punctuation", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"},
      {"string.whitespace", " \t\n\r\x0b\x0c"},
      {"string.printable",
       "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ \t\n\r\x0b\x0c"}};
  for (const auto& [key, text] : kConstants) {
    if (name != key) continue;
    Obj o;
    o.kind = Kind::Str;
    o.type = "str";
    o.text = text;
    measure_utf8(o.text, o.len, o.str_kind);
    o.has_value = true;
    return constant("@" + name, std::move(o), false);
  }
  return 0;
}

Ref Interp::make_bytes(std::string value, bool is_const) {
  charge(static_cast<int64_t>(value.size()));
  Obj o;
  o.kind = Kind::Bytes;
  o.type = "bytes";
  o.len = static_cast<int64_t>(value.size());
  o.has_value = true;
  o.text = std::move(value);
  // The key is built before the call: argument evaluation order is unspecified.
  std::string key = (o.len <= 1 ? "b" : "B") + o.text;
  if (o.len <= 1) return share(constant(key, std::move(o), true));
  if (is_const) return share(constant(key, std::move(o), false));
  return fresh(std::move(o));
}

Ref Interp::unknown_str() {
  Obj o;
  o.kind = Kind::Str;
  o.type = "str";
  o.unknown = true;
  return fresh(std::move(o));
}

std::optional<std::string> Interp::container_repr(Id id, int depth) {
  const Obj& o = heap_[id];
  if (o.kind != Kind::List && o.kind != Kind::Tuple && o.kind != Kind::Dict) return value_repr(o);
  if (depth > 8 || o.unknown || o.items.size() > 256) return std::nullopt;
  std::string out = o.kind == Kind::List ? "[" : o.kind == Kind::Tuple ? "(" : "{";
  for (size_t i = 0; i < o.items.size(); ++i) {
    if (i) out += ", ";
    auto item = container_repr(o.items[i], depth + 1);
    if (!item) return std::nullopt;
    out += *item;
    if (o.kind == Kind::Dict) {
      auto value = container_repr(o.values[i], depth + 1);
      if (!value) return std::nullopt;
      out += ": " + *value;
    }
    if (out.size() > 4096) return std::nullopt;
  }
  if (o.kind == Kind::Tuple && o.items.size() == 1) out += ",";
  out += o.kind == Kind::List ? "]" : o.kind == Kind::Tuple ? ")" : "}";
  return out;
}

Ref Interp::user_str(Id obj) {
  const Obj& o = heap_[obj];
  if (o.kind != Kind::Instance || !o.cls || class_lookup(o.cls, "__format__")) return {};
  Id f = class_lookup(o.cls, "__str__");
  if (!f) f = class_lookup(o.cls, "__repr__");
  if (!f || heap_[f].kind != Kind::Function) return {};
  Ref hold = share(f);  // slot_tp_str holds the method while it runs
  Args args;
  args.positional.push_back(share(obj));
  Ref s = call_function(f, std::move(args), cur_stmt_node());
  if (heap_[s.get()].kind != Kind::Str) throw GiveUp{"__str__ returned a " + heap_[s.get()].type + " (TypeError)"};
  return s;
}

Ref Interp::eval_fstring(TSNode node) {
  ++fstrings_read_;
  bool vague_text = false;
  std::string out;
  int parts = 0;
  Id single = 0;
  std::vector<Ref> pieces;
  std::string_view text = text_of(node, src_);
  uint32_t base = ts_node_start_byte(node);
  for (TSNode c : kids(node)) {
    auto ty = type_of(c);
    if (ty == "string_start" || ty == "string_end") continue;
    if (ty == "interpolation") {
      bool spec = false;
      for (TSNode k : kids(c))
        if (type_of(k) != "expression" && !ts_node_eq(k, field(c, "expression"))) spec = true;
      Ref v = eval(field(c, "expression"));
      if (!spec && heap_[v.get()].kind == Kind::Instance) {
        // PyObject_Format: object.__format__, bound to the instance (one more reference), calls
        // str(), which runs the class's __str__ (or __repr__).
        Ref bound = share(v.get());
        if (Ref s = user_str(v.get())) v = std::move(s);
      }
      if (reaches_user_repr(v.get(), 0)) throw GiveUp{"formatting calls a user __str__/__repr__/__format__"};
      const Obj& vo = heap_[v.get()];
      bool simple = !spec && ((vo.kind == Kind::Str && vo.has_value) || (vo.kind == Kind::Int && vo.has_value) ||
                              vo.kind == Kind::Bool || vo.kind == Kind::None);
      if (!spec && !simple && (vo.kind == Kind::List || vo.kind == Kind::Tuple || vo.kind == Kind::Dict || vo.is_wide)) {
        // str() of a container is its repr: the model prints ints, floats, short ASCII str,
        // None, bools and containers of them.
        if (auto printed = container_repr(v.get(), 0)) {
          out += *printed;
          single = 0;
          ++parts;
          continue;
        }
      }
      if (!simple) {
        // Formatted by repr/__format__ of a value the model does not print: a new str whose
        // text (and so size) the model does not know.
        vague_text = true;
        ++parts;
        continue;
      }
      Ref s = to_str(v.get());
      single = s.get();
      out += heap_[s.get()].text;
      pieces.push_back(std::move(s));  // FORMAT_VALUE's results stay on the stack until BUILD_STRING
      ++parts;
      continue;
    }
    if (ty == "string_content") {
      std::string_view piece = text.substr(ts_node_start_byte(c) - base, ts_node_end_byte(c) - ts_node_start_byte(c));
      std::string raw;
      for (size_t i = 0; i < piece.size(); ++i) {
        raw += piece[i];
        if ((piece[i] == '{' || piece[i] == '}') && i + 1 < piece.size() && piece[i + 1] == piece[i]) ++i;
      }
      std::string value;
      if (!unescape(raw, false, value)) throw GiveUp{"an escape sequence the model does not decode"};
      if (!value.empty()) ++parts;
      out += value;
      continue;
    }
    throw GiveUp{"an f-string part the model does not know"};
  }
  if (vague_text) return unknown_str();
  // f"{s}" is s itself (FORMAT_VALUE of a str), not a copy.
  if (parts == 1 && single && heap_[single].kind == Kind::Str) return share(single);
  return make_str(std::move(out));
}

std::string Interp::utf8_substr(const std::string& s, int64_t start, int64_t count) {
  size_t i = 0;
  int64_t cp = 0;
  auto advance = [&]() {
    unsigned char c = static_cast<unsigned char>(s[i]);
    i += c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
  };
  while (i < s.size() && cp < start) { advance(); ++cp; }
  size_t from = i;
  while (i < s.size() && cp < start + count) { advance(); ++cp; }
  return s.substr(from, i - from);
}

Ref Interp::to_str(Id v) {
  Obj& o = heap_[v];
  if (o.kind == Kind::Str) return share(v);
  if (o.kind == Kind::Int && o.has_value) return make_str(std::to_string(o.ival));
  if (o.is_wide) return make_str(wide_text(o.wide));
  if (o.kind == Kind::Bool) return make_str(o.ival ? "True" : "False");
  if (o.kind == Kind::None) return make_str("None");
  if (o.kind == Kind::List || o.kind == Kind::Tuple || o.kind == Kind::Dict || o.kind == Kind::Float)
    if (auto printed = container_repr(v, 0)) return make_str(std::move(*printed));
  if (o.kind == Kind::Instance)
    if (Ref s = user_str(v)) return s;
  if (reaches_user_repr(v, 0)) throw GiveUp{"str() calls a user __str__/__repr__"};
  return unknown_str();
}

std::string Interp::str_repr(const std::string& text) {
  char quote = text.find('\'') != std::string::npos && text.find('"') == std::string::npos ? '"' : '\'';
  std::string out(1, quote);
  for (unsigned char c : text) {
    if (c == '\\' || c == static_cast<unsigned char>(quote)) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else out += static_cast<char>(c);
  }
  return out + quote;
}

// str methods: what the model follows of them; anything else is not modelled.
Interp::MethodTable Interp::str_methods() {
  MethodTable methods;
  methods.add({"zfill"}, [this](MethodCall& mc) -> Ref {
    mc.need(1);
    std::optional<wide_t> w = heap_[mc.a[0].get()].kind == Kind::Int ? int_value(mc.a[0].get()) : std::nullopt;
    if (!w || !mc.o.has_value || mc.o.str_kind != 1) throw GiveUp{".zfill() the model does not follow"};
    const std::string& t = mc.o.text;
    if (*w <= static_cast<wide_t>(t.size())) return share(mc.self);  // unchanged: the str itself
    if (*w > static_cast<wide_t>(kMaxText)) throw GiveUp{"a str too big for the model"};
    size_t fill = static_cast<size_t>(*w) - t.size();
    size_t sign = !t.empty() && (t[0] == '+' || t[0] == '-') ? 1 : 0;
    return make_str(t.substr(0, sign) + std::string(fill, '0') + t.substr(sign));
  });
  methods.add({"startswith", "endswith"}, [this](MethodCall& mc) -> Ref {
    mc.need(1);
    // A prefix test on UTF-8 bytes is one on code points.
    std::vector<Id> options;
    const Obj& arg = heap_[mc.a[0].get()];
    if (arg.kind == Kind::Tuple) options = arg.items;
    else options.push_back(mc.a[0].get());
    bool hit = false;
    for (Id id : options) {
      const Obj& p = heap_[id];
      if (p.kind != Kind::Str || !p.has_value) throw GiveUp{"." + mc.name + "() of a " + p.type};
      const std::string& t = mc.o.text;
      if (p.text.size() <= t.size() &&
          (mc.name == "startswith" ? t.compare(0, p.text.size(), p.text) == 0
                                : t.compare(t.size() - p.text.size(), p.text.size(), p.text) == 0))
        hit = true;
    }
    return make_bool(hit);
  });
  methods.add({"find", "index", "rfind", "rindex", "count"}, [this](MethodCall& mc) -> Ref {
    mc.need(1);
    const Obj& sub = heap_[mc.a[0].get()];
    if (sub.kind != Kind::Str || !sub.has_value) throw GiveUp{"." + mc.name + "() of a " + sub.type};
    // Positions are code points: only ASCII text is searched here.
    if (mc.o.str_kind != 1 || sub.str_kind != 1) throw GiveUp{"." + mc.name + "() on non-ASCII text"};
    if (mc.name == "count") {
      if (sub.text.empty()) return make_int(static_cast<int64_t>(mc.o.text.size()) + 1);
      int64_t n = 0;
      for (size_t at = mc.o.text.find(sub.text); at != std::string::npos; at = mc.o.text.find(sub.text, at + sub.text.size())) ++n;
      return make_int(n);
    }
    size_t at = mc.name[0] == 'r' ? mc.o.text.rfind(sub.text) : mc.o.text.find(sub.text);
    if (at == std::string::npos) {
      if (mc.name == "index" || mc.name == "rindex") throw GiveUp{"substring not found (ValueError)"};
      return make_int(-1);
    }
    return make_int(static_cast<int64_t>(at));
  });
  methods.add({"isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "isdecimal", "isnumeric"}, [this](MethodCall& mc) -> Ref {
    mc.need(0);
    if (mc.o.str_kind != 1) throw GiveUp{"." + mc.name + "() on non-ASCII text"};
    const std::string& t = mc.o.text;
    if (t.empty()) return make_bool(false);
    bool all = true, cased = false;
    for (unsigned char c : t) {
      bool upper = c >= 'A' && c <= 'Z', lower = c >= 'a' && c <= 'z', digit = c >= '0' && c <= '9';
      bool space = c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
      cased |= upper || lower;
      if (mc.name == "isdigit" || mc.name == "isdecimal" || mc.name == "isnumeric") all &= digit;
      else if (mc.name == "isalpha") all &= upper || lower;
      else if (mc.name == "isalnum") all &= upper || lower || digit;
      else if (mc.name == "isspace") all &= space;
      else if (mc.name == "isupper") all &= !lower;
      else all &= !upper;
    }
    if (mc.name == "isupper" || mc.name == "islower") return make_bool(all && cased);
    return make_bool(all);
  });
  methods.add({"upper", "lower"}, [this](MethodCall& mc) -> Ref {
    mc.need(0);
    if (mc.o.str_kind != 1) throw GiveUp{"case mapping of non-ASCII text"};
    std::string t = mc.o.text;
    bool changed = false;
    for (auto& c : t) {
      char m = static_cast<char>(mc.name == "upper" ? std::toupper(static_cast<unsigned char>(c)) : std::tolower(static_cast<unsigned char>(c)));
      changed |= m != c;
      c = m;
    }
    (void)changed;
    return make_str(std::move(t));
  });
  methods.add({"replace"}, [this](MethodCall& mc) -> Ref {
    mc.need(2);
    const Obj& from = heap_[mc.a[0].get()];
    const Obj& to = heap_[mc.a[1].get()];
    if (from.kind != Kind::Str || to.kind != Kind::Str || !from.has_value || !to.has_value || from.text.empty())
      throw GiveUp{"replace() arguments the model does not follow"};
    // Nothing to replace, or a replacement by itself: CPython returns the same object.
    if (mc.o.text.find(from.text) == std::string::npos || from.text == to.text) return share(mc.self);
    std::string out;
    for (size_t i = 0; i < mc.o.text.size();) {
      if (mc.o.text.compare(i, from.text.size(), from.text) == 0) {
        out += to.text;
        i += from.text.size();
      } else {
        out += mc.o.text[i++];
      }
      if (out.size() > kMaxText) throw GiveUp{"a str too big for the model"};
    }
    return make_str(std::move(out));
  });
  methods.add({"split"}, [this](MethodCall& mc) -> Ref {
    if (mc.a.size() > 1 || mc.o.str_kind != 1) throw GiveUp{"split() with these arguments or non-ASCII text"};
    std::vector<std::string> parts;
    bool whole = false;  // the string itself is the only part: CPython reuses the object
    if (mc.a.empty()) {
      static constexpr std::string_view kSpace = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f";
      size_t i = 0, n = mc.o.text.size();
      while (i < n) {
        while (i < n && kSpace.find(mc.o.text[i]) != std::string_view::npos) ++i;
        size_t j = i;
        while (j < n && kSpace.find(mc.o.text[j]) == std::string_view::npos) ++j;
        if (j > i) parts.push_back(mc.o.text.substr(i, j - i));
        i = j;
      }
      whole = parts.size() == 1 && parts[0].size() == n;
    } else {
      const Obj& sep = heap_[mc.a[0].get()];
      if (sep.kind != Kind::Str || !sep.has_value || sep.text.empty()) throw GiveUp{"split() separator"};
      size_t i = 0;
      while (true) {
        size_t j = mc.o.text.find(sep.text, i);
        if (j == std::string::npos) {
          parts.push_back(mc.o.text.substr(i));
          break;
        }
        parts.push_back(mc.o.text.substr(i, j - i));
        i = j + sep.text.size();
      }
      whole = parts.size() == 1;
    }
    if (parts.size() > static_cast<size_t>(kMaxSlots)) throw GiveUp{"a list too big for the model"};
    std::vector<Ref> items;
    if (whole) items.push_back(share(mc.self));
    else
      for (auto& part : parts) items.push_back(make_str(std::move(part)));
    int64_t n = static_cast<int64_t>(items.size());
    Ref list = make_list(std::move(items), n);
    // Preallocation for split differs between versions (12 slots in 3.11, trimmed in 3.12).
    heap_[list.get()].size_unknown = true;
    return list;
  });
  methods.add({"strip", "lstrip", "rstrip"}, [this](MethodCall& mc) -> Ref {
    if (!mc.a.empty() || mc.o.str_kind != 1) throw GiveUp{mc.name + "() with arguments or non-ASCII text"};
    static constexpr std::string_view kSpace = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f";
    size_t lo = 0, hi = mc.o.text.size();
    if (mc.name != "rstrip")
      while (lo < hi && kSpace.find(mc.o.text[lo]) != std::string_view::npos) ++lo;
    if (mc.name != "lstrip")
      while (hi > lo && kSpace.find(mc.o.text[hi - 1]) != std::string_view::npos) --hi;
    if (lo == 0 && hi == mc.o.text.size()) return share(mc.self);  // nothing stripped: the same object
    return make_str(mc.o.text.substr(lo, hi - lo));
  });
  methods.add({"join"}, [this](MethodCall& mc) -> Ref {
    mc.need(1);
    Obj& seq = heap_[mc.a[0].get()];
    if (seq.kind != Kind::List && seq.kind != Kind::Tuple) throw GiveUp{"join() of a " + seq.type};
    if (seq.items.size() == 1 && heap_[seq.items[0]].kind == Kind::Str) return share(seq.items[0]);
    std::string out;
    for (size_t i = 0; i < seq.items.size(); ++i) {
      Obj& e = heap_[seq.items[i]];
      if (e.kind != Kind::Str || !e.has_value) throw GiveUp{"join() of values the model does not know"};
      if (i) out += mc.o.text;
      out += e.text;
      if (out.size() > kMaxText) throw GiveUp{"a str too big for the model"};
    }
    return make_str(std::move(out));
  });
  return methods;
}

}  // namespace c2py::runtime_model::engine
