// The abstract interpreter. It walks statements with an explicit depth bound (inputs may nest
// 100 000 levels), holds every value it computes as an owned reference (`Ref`) so that the
// counts include a statement's temporaries, and gives up (GiveUp) on anything it does not model:
// the run then stops and every later line is reported as not known, because a wrong number shown
// as certain is worse than none.
#include "runtime_model/interpreter.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <unordered_set>

namespace c2py::runtime_model {
namespace {

using syntax::field;
using syntax::text_of;
using syntax::type_of;

constexpr int kMaxDepth = 150;         // nested expressions/blocks/calls the model follows
constexpr int kMaxFrames = 60;         // recursion depth of user functions
constexpr int64_t kMaxSlots = 1 << 22; // list slots the model materializes
constexpr size_t kMaxText = 1 << 20;   // str/bytes values kept
constexpr int64_t kBigObject = 10000;  // bytes: objects this big get a size hint
constexpr size_t kMaxGiveUps = 200;    // statements stepped over that a run reports
// Objects a run may make (freed ones included: ids are never reused). With model.maxSteps this
// bounds the model's memory (an object record is about 500 bytes) whatever the program does.
constexpr size_t kMaxObjects = 100000;

struct GiveUp {
  std::string reason;
  bool final = false;  // the budget ran out: the run ends here (no statement-level recovery)
};
struct Stop {};

enum class Flow { Normal, Return, Break, Continue };

// One parameter of a def or lambda, in order.
struct Param {
  enum Kind { Plain, VarArgs, VarKeywords } kind = Plain;
  std::string name;
  bool positional_only = false, keyword_only = false;
  TSNode value{};       // its default (null: none)
  TSNode annotation{};  // null: none
};

struct ScopeInfo {
  TSNode def{};
  std::set<std::string> locals, cellvars, needs, globals;
  std::vector<Param> params;
  bool unsupported = false;  // calls give up, saying why:
  std::string unsupported_reason;
};

// Named children, empty for a null node (tree-sitter would dereference it): `lambda: 1` has no
// parameters node.
std::vector<TSNode> kids(TSNode node) {
  if (ts_node_is_null(node)) return {};
  std::vector<TSNode> out;
  for (TSNode c : syntax::named_children(node))
    if (type_of(c) != "comment") out.push_back(c);  // comments sit anywhere inside displays
  return out;
}

std::string human_size(int64_t bytes) {
  char buf[64];
  if (bytes >= 1000000) std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
  else if (bytes >= 10000) std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(bytes) / 1e3);
  else std::snprintf(buf, sizeof buf, "%lld bytes", static_cast<long long>(bytes));
  return buf;
}

// Code points and the narrowest CPython str kind of a UTF-8 text.
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

// Processes backslash escapes of a (non-raw) literal body. False for escapes the model does not
// decode (\N{...}, octal).
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

class Interp;

// An owned reference: one count on an object for as long as the handle lives, the way CPython's
// value stack holds a statement's temporaries.
class Ref {
 public:
  Ref() = default;
  Ref(Interp* in, Id id) : in_(in), id_(id) {}
  Ref(Ref&& o) noexcept : in_(o.in_), id_(o.id_) { o.id_ = 0; }
  Ref& operator=(Ref&& o) noexcept {
    if (this != &o) {
      reset();
      in_ = o.in_;
      id_ = o.id_;
      o.id_ = 0;
    }
    return *this;
  }
  Ref(const Ref&) = delete;
  Ref& operator=(const Ref&) = delete;
  ~Ref() { reset(); }
  Id get() const { return id_; }
  explicit operator bool() const { return id_ != 0; }
  Id release() {
    Id id = id_;
    id_ = 0;
    return id;
  }
  inline void reset();

 private:
  Interp* in_ = nullptr;
  Id id_ = 0;
};

struct Frame {
  uint64_t serial = 0;               // unique in a run: names objects per frame
  const ScopeInfo* scope = nullptr;  // null: module or class body
  bool is_class = false;
  std::vector<std::pair<std::string, Id>> vars;  // owned; cells for cell variables
  std::unordered_map<std::string, size_t> index;  // name → position in vars (modules have many)
  Id func = 0;
  std::vector<std::vector<std::pair<std::string, Id>>> comp;  // comprehension variables
  Ref ret;
  uint32_t last_line = 0;   // the last statement that ran in this frame
  bool last_first = false;  // … and whether that was its first (recorded) execution
};

struct Active {  // a statement being executed
  uint32_t line;
  size_t freed_mark;
  bool first;
};

class Interp {
 public:
  Interp(std::string_view source, const analysis::AnalysisOptions& options, const RunGoal& goal)
      : src_(source), goal_(goal), max_steps_(std::max<long>(1, options.max_steps)) {
    if (options.python_version == "3.11") version_.minor = 11;
    else if (options.python_version == "3.13") version_.minor = 13;
    heap_.emplace_back();  // id 0: no object
    none_ = make_singleton(Kind::None, "NoneType");
    true_ = make_singleton(Kind::Bool, "bool");
    heap_[true_].ival = 1;
    heap_[true_].has_value = true;
    false_ = make_singleton(Kind::Bool, "bool");
    heap_[false_].has_value = true;
  }

  RunResult run(TSNode root) {
    frames_.push_back(new_frame());
    try {
      // CPython runs nothing of a file with a syntax error.
      root_ = root;
      if (ts_node_has_error(root)) throw GiveUp{"the file has a syntax error: CPython would not run it"};
      exec_block(root, 0);
    } catch (const GiveUp& g) {
      result_.complete = false;
      result_.gave_up = g.reason;
      result_.gave_up_line = static_cast<int64_t>(cur_line_);
    } catch (const Stop&) {
    }
    stopping_ = true;  // no more bookkeeping while the C++ stack unwinds
    result_.steps = steps_;
    return std::move(result_);
  }

  // ---- heap primitives ----
  void incref(Id id) {
    if (!id) return;
    Obj& o = heap_[id];
    touch(id);
    mark_dirty(o, id);
    ++o.rc;
  }
  void decref(Id id) {
    // While the C++ stack unwinds after the model stopped or gave up, counts no longer matter.
    if (!id || stopping_ || std::uncaught_exceptions() > 0) return;
    Obj& o = heap_[id];
    touch(id);
    mark_dirty(o, id);
    if (--o.rc > 0 || o.constant) return;
    free_cascade(id);
  }
  // Records that a count changed while a statement the model may step over runs (see recover).
  void mark_dirty(Obj& o, Id id) {
    if (o.dirty_seq > level_seq_) return;
    o.dirty_seq = ++dirty_seq_;
    dirty_.push_back(id);
  }
  Ref share(Id id) {
    incref(id);
    return Ref(this, id);
  }

 private:
  // ================= objects =================
  Id make_singleton(Kind kind, const char* type) {
    Obj o;
    o.kind = kind;
    o.type = type;
    o.constant = o.immortal = true;
    heap_.push_back(std::move(o));
    return static_cast<Id>(heap_.size() - 1);
  }

  void check_object_budget() {
    if (heap_.size() >= kMaxObjects)
      throw GiveUp{"the program makes more objects than the model keeps (100 000): it stops here", true};
  }

  Ref fresh(Obj o) {
    check_object_budget();
    o.rc = 1;
    o.birth_line = cur_line_;
    if (o.kind == Kind::List || o.kind == Kind::Dict || o.kind == Kind::Set || o.kind == Kind::Instance ||
        o.kind == Kind::Tuple || o.kind == Kind::Function || o.kind == Kind::Cell)
      ++gc_allocs_;
    heap_.push_back(std::move(o));
    Id id = static_cast<Id>(heap_.size() - 1);
    return Ref(this, id);
  }

  // A constant object shared through the code's constants or CPython's caches.
  Id constant(const std::string& key, Obj o, bool immortal) {
    auto it = consts_.find(key);
    if (it != consts_.end()) return it->second;
    check_object_budget();
    o.constant = true;
    o.immortal = immortal && version_.minor >= 12;
    heap_.push_back(std::move(o));
    Id id = static_cast<Id>(heap_.size() - 1);
    consts_.emplace(key, id);
    return id;
  }

  Ref make_int(int64_t v, bool is_const = false) {
    Obj o;
    o.kind = Kind::Int;
    o.type = "int";
    o.ival = v;
    o.has_value = true;
    if (v >= -5 && v <= 256) return share(constant("i" + std::to_string(v), std::move(o), true));
    if (is_const) return share(constant("I" + std::to_string(v), std::move(o), false));
    return fresh(std::move(o));
  }
  Ref make_float(double v, bool is_const = false) {
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
  Ref make_bool(bool b) { return share(b ? true_ : false_); }
  Ref make_none() { return share(none_); }

  Ref make_str(std::string value, bool is_const = false) {
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
  Ref make_bytes(std::string value, bool is_const = false) {
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
  Ref make_list(std::vector<Ref> items, int64_t cap) {
    charge(static_cast<int64_t>(items.size()));
    Obj o;
    o.kind = Kind::List;
    o.type = "list";
    for (auto& r : items) o.items.push_back(r.release());
    o.cap = cap;
    return fresh(std::move(o));
  }
  Ref make_tuple(std::vector<Ref> items) {
    if (items.empty()) {
      Obj o;
      o.kind = Kind::Tuple;
      o.type = "tuple";
      return share(constant("()", std::move(o), true));
    }
    charge(static_cast<int64_t>(items.size()));
    Obj o;
    o.kind = Kind::Tuple;
    o.type = "tuple";
    for (auto& r : items) o.items.push_back(r.release());
    return fresh(std::move(o));
  }

  Obj& at(Id id) { return heap_[id]; }

  void touch(Id id) {
    if (!track_ || stopping_) return;
    if (std::find_if(touched_.begin(), touched_.end(), [&](auto& p) { return p.first == id; }) == touched_.end() &&
        touched_.size() < 64)
      touched_.emplace_back(id, heap_[id].rc);
  }

  // Frees an object whose count reached zero, and everything that only it kept alive. A
  // worklist, not recursion: a linked list of 100 000 nodes frees in one go.
  void free_cascade(Id root) {
    std::vector<Id> work{root};
    int64_t total = 0;
    bool total_known = true;
    while (!work.empty()) {
      Id id = work.back();
      work.pop_back();
      Obj& o = heap_[id];
      if (!o.alive || o.constant) continue;
      // decref runs in destructors, so it cannot throw: the give-up waits for the next step.
      if (o.kind == Kind::Instance && o.cls && heap_[o.cls].has_del && pending_.empty())
        pending_ = "a __del__ method runs when an instance of " + heap_[o.cls].name + " is freed";
      // An opaque result (no references the model knows) may go; a tainted container may not,
      // because its true count and what it releases are not known: it stays, listed as unknown.
      bool opaque = o.kind == Kind::Opaque || ((o.kind == Kind::Int || o.kind == Kind::Str) && !o.has_value);
      if (o.unknown && !opaque) continue;
      o.alive = false;
      auto size = size_of(o, version_);
      if (size) total += *size; else total_known = false;
      // An unknown result (gc.collect()'s count, an unknown call's value) may be a cached
      // object in CPython: whether it is freed is not known, so it is not reported.
      if (!o.unknown) freed_.push_back({id, o.type, size});
      std::vector<Id> children;
      for_each_child(o, [&](Id child) { children.push_back(child); });
      for (Id child : children) {
        Obj& c = heap_[child];
        touch(child);
        mark_dirty(c, child);
        if (--c.rc <= 0 && !c.constant) work.push_back(child);
      }
      // A freed object's own containers are released; drop them so nothing reads them again.
      std::vector<Id>().swap(o.items);
      std::vector<Id>().swap(o.values);
      o.attrs.clear();
      o.cells.clear();
      std::string().swap(o.text);
      o.defaults = o.kwdefaults = o.target = 0;
    }
    // A function's locals are freed as its frame goes: shown on its return (or last) line.
    bool tracked = return_attr_ ? return_attr_->second : (track_ && !active_.empty() && active_.back().first);
    std::string name = name_in(heap_[root], return_attr_ ? return_serial_ : frame().serial);
    if (tracked && !name.empty() && !goal_.capture_line) {
      auto& ev = result_.lines[return_attr_ ? return_attr_->first : active_.back().line];
      if (ev.freed_labels.size() < 3) ev.freed_labels.push_back("freed: " + name + (total_known ? ", " + human_size(total) : ""));
    }
  }

  // Marks an object and what it reaches as unknown: an unknown callee may have changed them.
  void taint(Id root) {
    std::vector<Id> work{root};
    size_t guard = 0;
    while (!work.empty() && ++guard < 100000) {
      Id id = work.back();
      work.pop_back();
      Obj& o = heap_[id];
      if (o.unknown || o.constant || o.hidden) continue;
      o.unknown = true;
      for_each_child(o, [&](Id child) { work.push_back(child); });
    }
  }

  // ================= bookkeeping =================
  void step(TSNode node) {
    if (!pending_.empty()) throw GiveUp{pending_};
    if (++steps_ > max_steps_) {
      cur_line_ = ts_node_start_point(node).row;
      throw GiveUp{"model.maxSteps reached", true};
    }
  }

  // Bulk work (building a big list, a long str) costs steps too, so that a loop of big
  // allocations stays within model.maxSteps.
  void charge(int64_t units) {
    steps_ += units / 64;
    if (steps_ > max_steps_) throw GiveUp{"model.maxSteps reached", true};
  }

  struct DepthGuard {
    int& d;
    explicit DepthGuard(int& depth) : d(depth) {
      if (++d > kMaxDepth) {
        --d;
        throw GiveUp{"nesting deeper than the model follows"};
      }
    }
    ~DepthGuard() { --d; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
  };

  Frame& frame() { return *frames_.back(); }
  std::unique_ptr<Frame> new_frame() {
    auto f = std::make_unique<Frame>();
    f->serial = ++frame_serial_;
    return f;
  }
  // Remembers `name` as the object's name in the frame that owns the variable (the module for
  // a global assigned in a function).
  void note_name(Id id, std::string_view name) {
    Obj& o = heap_[id];
    if (o.constant) return;
    o.last_name = std::string(name);
    const Frame& f = frame();
    uint64_t owner = f.serial;
    if (f.scope && !f.scope->locals.count(std::string(name))) {
      bool free_var = false;
      if (f.func)
        for (const auto& [n, cell] : heap_[f.func].cells) free_var |= n == name;
      if (!free_var) owner = module().serial;
    }
    for (auto& [serial, n] : o.frame_names)
      if (serial == owner) {
        n = std::string(name);
        return;
      }
    if (o.frame_names.size() >= 4) o.frame_names.erase(o.frame_names.begin());
    o.frame_names.emplace_back(owner, std::string(name));
  }
  // The object's name in a frame, or "" when it had none there.
  std::string name_in(const Obj& o, uint64_t serial) const {
    for (const auto& [s2, n] : o.frame_names)
      if (s2 == serial) return n;
    return "";
  }
  Frame& module() { return *frames_.front(); }

  // ================= scopes =================
  // The parameters of a def or lambda: plain, with defaults and annotations, *args, **kwargs,
  // keyword-only (after `*` or *args) and positional-only (before `/`).
  template <typename Unsupported>
  std::vector<Param> parse_params(TSNode params, Unsupported&& unsupported) {
    std::vector<Param> out;
    bool star = false;
    for (TSNode p : kids(params)) {
      auto ty = type_of(p);
      Param param;
      TSNode inner = p;
      if (ty == "typed_parameter") {
        param.annotation = field(p, "type");
        for (TSNode c : kids(p))
          if (!ts_node_eq(c, param.annotation)) inner = c;
        ty = type_of(inner);
      }
      if (ty == "identifier") {
        param.name = std::string(text_of(inner, src_));
      } else if (ty == "default_parameter" || ty == "typed_default_parameter") {
        TSNode name = field(p, "name");
        if (type_of(name) != "identifier") {
          unsupported("a tuple parameter");
          continue;
        }
        param.name = std::string(text_of(name, src_));
        param.value = field(p, "value");
        if (ty == "typed_default_parameter") param.annotation = field(p, "type");
      } else if (ty == "list_splat_pattern" || ty == "dictionary_splat_pattern") {
        TSNode name = ts_node_named_child(inner, 0);
        if (ts_node_is_null(name) || type_of(name) != "identifier") {
          unsupported("a starred parameter the model does not read");
          continue;
        }
        param.name = std::string(text_of(name, src_));
        param.kind = ty == "list_splat_pattern" ? Param::VarArgs : Param::VarKeywords;
        if (param.kind == Param::VarArgs) star = true;
      } else if (ty == "keyword_separator") {
        star = true;
        continue;
      } else if (ty == "positional_separator") {
        for (auto& q : out) q.positional_only = true;
        continue;
      } else if (ty == "comment") {
        continue;
      } else {
        unsupported("a parameter of the form `" + std::string(ty) + "`");
        continue;
      }
      param.keyword_only = star && param.kind == Param::Plain;
      out.push_back(std::move(param));
    }
    return out;
  }

  const ScopeInfo& scope_of(TSNode def) {
    auto key = ts_node_start_byte(def);
    auto it = scopes_.find(key);
    if (it != scopes_.end()) return *it->second;
    auto info = std::make_unique<ScopeInfo>();
    info->def = def;
    std::set<std::string> uses;
    std::vector<TSNode> nested;
    auto add_target = [&](TSNode t) {
      syntax::walk(t, [&](TSNode n) {
        auto ty = type_of(n);
        if (ty == "identifier") info->locals.insert(std::string(text_of(n, src_)));
        // Only plain names bind: a.b = … and a[i] = … do not.
        return ty != "attribute" && ty != "subscript";
      });
    };
    auto unsupported = [&](std::string why) {
      if (!info->unsupported) info->unsupported_reason = std::move(why);
      info->unsupported = true;
    };
    info->params = parse_params(field(def, "parameters"), unsupported);
    for (const auto& p : info->params) info->locals.insert(p.name);
    TSNode body = field(def, "body");
    if (type_of(def) == "function_definition") {
      TSNode first = ts_node_child(def, 0);
      if (!ts_node_is_null(first) && text_of(first, src_) == "async") unsupported("an async function");
    }
    syntax::walk(body, [&](TSNode n) {
      auto ty = type_of(n);
      if (ty == "function_definition" || ty == "class_definition") {
        info->locals.insert(std::string(text_of(field(n, "name"), src_)));
        if (ty == "function_definition") nested.push_back(n);
        else unsupported("a class defined inside a function");
        // Defaults and annotations are evaluated here, in this scope.
        auto use_all = [&](TSNode e) {
          syntax::walk(e, [&](TSNode m) {
            if (type_of(m) == "identifier") uses.insert(std::string(text_of(m, src_)));
            return true;
          });
        };
        for (TSNode p : kids(field(n, "parameters"))) {
          use_all(field(p, "value"));
          use_all(field(p, "type"));
        }
        use_all(field(n, "return_type"));
        return false;
      }
      if (ty == "lambda") {
        nested.push_back(n);
        return false;
      }
      if (ty == "list_comprehension" || ty == "set_comprehension" || ty == "dictionary_comprehension" ||
          ty == "generator_expression") {
        // Comprehension variables are their own scope; what they read comes from here.
        syntax::walk(n, [&](TSNode m) {
          if (type_of(m) == "identifier") uses.insert(std::string(text_of(m, src_)));
          auto mt = type_of(m);
          if (mt == "lambda" || mt == "function_definition") unsupported("a lambda inside a comprehension");
          return true;
        });
        return false;
      }
      if (ty == "assignment" || ty == "augmented_assignment") add_target(field(n, "left"));
      else if (ty == "for_statement") add_target(field(n, "left"));
      else if (ty == "delete_statement") add_target(ts_node_named_child(n, 0));
      else if (ty == "import_statement" || ty == "import_from_statement") {
        // Imports bind local names, like assignments.
        TSNode module = field(n, "module_name");
        for (TSNode c : kids(n)) {
          if (ts_node_eq(c, module)) continue;
          if (type_of(c) == "aliased_import") add_target(field(c, "alias"));
          else if (type_of(c) == "wildcard_import") unsupported("`import *` in a function");
          else {
            std::string name(text_of(c, src_));
            info->locals.insert(ty == "import_statement" ? name.substr(0, name.find('.')) : name);
          }
        }
        return false;
      } else if (ty == "except_clause") {
        add_target(field(n, "alias"));
        return true;
      } else if (ty == "try_statement") {
        return true;  // the body runs; handlers run only for raises the model knows (none)
      }
      else if (ty == "global_statement") {
        for (TSNode g : kids(n)) info->globals.insert(std::string(text_of(g, src_)));
      } else if (ty == "nonlocal_statement" || ty == "with_statement" || ty == "named_expression" || ty == "yield" ||
                 ty == "await")
        unsupported("`" + std::string(ty) + "` in a function");  // generators and coroutines are not followed
      else if (ty == "identifier") uses.insert(std::string(text_of(n, src_)));
      return true;
    });
    if (type_of(def) == "lambda") {
      // A lambda body is an expression: its names were collected above as uses.
    }
    for (const auto& g : info->globals) info->locals.erase(g);
    std::set<std::string> inner_needs;
    for (TSNode n : nested) {
      DepthGuard guard(depth_);
      const ScopeInfo& child = scope_of(n);
      if (child.unsupported) unsupported(child.unsupported_reason + " (in a nested function)");
      inner_needs.insert(child.needs.begin(), child.needs.end());
    }
    for (const auto& name : inner_needs) {
      if (info->locals.count(name)) info->cellvars.insert(name);
      else if (!info->globals.count(name)) info->needs.insert(name);
    }
    for (const auto& name : uses)
      if (!info->locals.count(name) && !info->globals.count(name)) info->needs.insert(name);
    const ScopeInfo& ref = *info;
    scopes_.emplace(key, std::move(info));
    return ref;
  }

  // ================= names =================
  static Id* frame_var(Frame& f, std::string_view name) {
    auto it = f.index.find(std::string(name));
    return it == f.index.end() ? nullptr : &f.vars[it->second].second;
  }
  static Id* frame_add(Frame& f, std::string_view name) {
    f.index.emplace(std::string(name), f.vars.size());
    f.vars.emplace_back(std::string(name), 0);
    return &f.vars.back().second;
  }

  static Id* find_var(std::vector<std::pair<std::string, Id>>& vars, std::string_view name) {
    for (auto& [n, id] : vars)
      if (n == name) return &id;
    return nullptr;
  }

  // The slot holding a name's reference in the current context (cell content for cells), or
  // nullptr when the name is unbound.
  Id* slot(std::string_view name, bool for_store) {
    Frame& f = frame();
    for (auto it = f.comp.rbegin(); it != f.comp.rend(); ++it)
      if (Id* s = find_var(*it, name)) return s;
    if (f.scope) {
      std::string key(name);
      if (f.scope->locals.count(key)) {
        Id* s = frame_var(f, name);
        if (!s && for_store) s = frame_add(f, name);
        if (s && f.scope->cellvars.count(key)) return &heap_[*s].target;
        return s;
      }
      if (f.func && !f.scope->globals.count(key)) {
        Obj& fn = heap_[f.func];
        for (auto& [n, cell] : fn.cells)
          if (n == name) return &heap_[cell].target;
      }
      Frame& m = module();
      Id* s = frame_var(m, name);
      if (!s && for_store) s = frame_add(m, name);
      return s;
    }
    Id* s = frame_var(f, name);
    if (s) return s;
    if (for_store) return frame_add(f, name);
    if (f.is_class) return frame_var(module(), name);
    return nullptr;
  }

  Ref load_name(TSNode node) {
    std::string_view name = text_of(node, src_);
    Id* s = slot(name, false);
    if (s && *s) return share(*s);
    if (Id b = builtin(name)) return share(b);
    if (name == "__name__") return make_str("__main__", true);
    if (Id b = unknown_builtin(name)) return share(b);
    if (is_builtin_name(name) || is_module_dunder(name) || star_import_) {
      Id id = hidden_object(Kind::Builtin, std::string(name));
      heap_[id].unknown = true;
      return share(id);
    }
    throw GiveUp{"`" + std::string(name) + "` is not defined where the model reaches it"};
  }

  void store_name(std::string_view name, Ref value) {
    Id id = value.release();
    note_name(id, name);
    Id* s = slot(name, true);
    Id old = *s;
    *s = id;
    if (old) decref(old);
  }

  void delete_name(std::string_view name) {
    Id* s = slot(name, false);
    if (!s || !*s) throw GiveUp{"`del " + std::string(name) + "` of an unbound name raises NameError"};
    Id old = *s;
    *s = 0;
    decref(old);
  }

  Id builtin(std::string_view name) {
    static constexpr const char* kKnown[] = {"print", "len", "range", "list", "tuple", "dict", "set", "str",
                                             "int", "float", "bool", "bytes", "bytearray", "sorted", "sum",
                                             "min", "max", "abs", "id", "isinstance", "object", "repr",
                                             "enumerate", "zip"};
    for (const char* k : kKnown)
      if (name == k) return hidden_object(Kind::Builtin, std::string(name));
    return 0;
  }

  // Builtins the model does not follow: calling one makes what it is given unknown.
  Id unknown_builtin(std::string_view name) {
    static constexpr const char* kOthers[] = {
        "input", "open", "map", "filter", "reversed", "any", "all", "round", "hash", "type", "iter", "next",
        "getattr", "setattr", "hasattr", "format", "chr", "ord", "hex", "oct", "bin", "divmod",
        "pow", "callable", "frozenset", "memoryview", "ascii", "delattr", "issubclass",
        "staticmethod", "classmethod", "property", "Exception", "BaseException", "ValueError",
        "TypeError", "KeyError", "IndexError", "RuntimeError", "OSError", "AttributeError", "LookupError",
        "ArithmeticError", "ZeroDivisionError", "StopIteration", "NotImplementedError", "MemoryError",
        "NameError", "AssertionError", "IOError", "UnicodeError"};
    for (const char* k : kOthers)
      if (name == k) {
        Id id = hidden_object(Kind::Builtin, std::string(name));
        heap_[id].unknown = true;
        return id;
      }
    return 0;
  }

  static bool is_builtin_name(std::string_view name) {
    static constexpr std::string_view kAll[] = {
        "ArithmeticError", "AssertionError", "AttributeError", "BaseException", "BaseExceptionGroup",
        "BlockingIOError", "BrokenPipeError", "BufferError", "BytesWarning", "ChildProcessError",
        "ConnectionAbortedError", "ConnectionError", "ConnectionRefusedError", "ConnectionResetError",
        "DeprecationWarning", "EOFError", "Ellipsis", "EncodingWarning", "EnvironmentError", "Exception",
        "ExceptionGroup", "FileExistsError", "FileNotFoundError", "FloatingPointError", "FutureWarning",
        "GeneratorExit", "IOError", "ImportError", "ImportWarning", "IndentationError", "IndexError",
        "InterruptedError", "IsADirectoryError", "KeyError", "KeyboardInterrupt", "LookupError", "MemoryError",
        "ModuleNotFoundError", "NameError", "NotADirectoryError", "NotImplemented", "NotImplementedError",
        "OSError", "OverflowError", "PendingDeprecationWarning", "PermissionError", "ProcessLookupError",
        "RecursionError", "ReferenceError", "ResourceWarning", "RuntimeError", "RuntimeWarning",
        "StopAsyncIteration", "StopIteration", "SyntaxError", "SyntaxWarning", "SystemError", "SystemExit",
        "TabError", "TimeoutError", "TypeError", "UnboundLocalError", "UnicodeDecodeError",
        "UnicodeEncodeError", "UnicodeError", "UnicodeTranslateError", "UnicodeWarning", "UserWarning",
        "ValueError", "Warning", "ZeroDivisionError", "abs", "aiter", "all", "anext", "any", "ascii", "bin",
        "bool", "breakpoint", "bytearray", "bytes", "callable", "chr", "classmethod", "compile", "complex",
        "copyright", "credits", "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec", "exit",
        "filter", "float", "format", "frozenset", "getattr", "globals", "hasattr", "hash", "help", "hex", "id",
        "input", "int", "isinstance", "issubclass", "iter", "len", "license", "list", "locals", "map", "max",
        "memoryview", "min", "next", "object", "oct", "open", "ord", "pow", "print", "property", "quit",
        "range", "repr", "reversed", "round", "set", "setattr", "slice", "sorted", "staticmethod", "str",
        "sum", "super", "tuple", "type", "vars", "zip", "__import__", "__build_class__", "__debug__"};
    for (auto k : kAll)
      if (name == k) return true;
    return false;
  }
  static bool is_module_dunder(std::string_view name) {
    return name == "__file__" || name == "__doc__" || name == "__spec__" || name == "__loader__" ||
           name == "__package__" || name == "__builtins__" || name == "__annotations__" || name == "__cached__";
  }
  // Library functions that run the program's own code (doctest examples, test cases, timed
  // statements) through sys.modules['__main__'] or the globals they are given: any global may
  // change, as with a user function.
  static bool runs_main_module(const std::string& name) {
    return name.rfind("doctest.", 0) == 0 || name.rfind("unittest.", 0) == 0 || name.rfind("timeit.", 0) == 0 ||
           name.rfind("pytest.", 0) == 0 || name.rfind("runpy.", 0) == 0 || name.rfind("pdb.", 0) == 0 ||
           name.rfind("cProfile.", 0) == 0 || name.rfind("profile.", 0) == 0;
  }
  // Builtins that read or change names and attributes behind the program's back, or run code.
  static bool is_reflective(std::string_view name) {
    return name == "globals" || name == "locals" || name == "vars" || name == "exec" || name == "eval" ||
           name == "compile" || name == "__import__" || name == "super" || name == "breakpoint" || name == "dir";
  }

  Id hidden_object(Kind kind, const std::string& name) {
    std::string key = "@" + name;
    auto it = consts_.find(key);
    if (it != consts_.end()) return it->second;
    Obj o;
    o.kind = kind;
    o.type = kind == Kind::Module ? "module" : "builtin_function_or_method";
    o.name = name;
    o.hidden = true;
    return constant(key, std::move(o), true);
  }

  // ================= statements =================
  Flow exec_block(TSNode block, int) {
    DepthGuard guard(depth_);
    if (ts_node_is_null(block)) throw GiveUp{"a statement without its block"};
    // A cursor, not ts_node_named_child(i) or sibling links: those walk the parent's children
    // each time, quadratic over a module of a thousand statements.
    std::vector<TSNode> stmts;
    TSTreeCursor cursor = ts_tree_cursor_new(block);
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      do {
        TSNode n = ts_tree_cursor_current_node(&cursor);
        if (ts_node_is_named(n) && type_of(n) != "comment") stmts.push_back(n);
      } while (ts_tree_cursor_goto_next_sibling(&cursor));
    }
    ts_tree_cursor_delete(&cursor);
    bool top = ts_node_eq(block, root_);
    if (top) result_.module_statements = static_cast<int64_t>(stmts.size());
    for (size_t i = 0; i < stmts.size(); ++i) {
      TSNode next = i + 1 < stmts.size() ? stmts[i + 1] : TSNode{};
      // In a function, a give-up ends the call (the statement that made it recovers); at module
      // or class level the statement is stepped over.
      bool clean = true;
      int64_t give_ups = give_up_count_;
      Flow flow = frame().scope ? exec_stmt(stmts[i], next) : exec_recoverable(stmts[i], next, clean);
      if (top && clean && give_ups == give_up_count_) ++result_.module_statements_clean;
      if (flow != Flow::Normal) return flow;
    }
    return Flow::Normal;
  }

  // ---- stepping over what the model cannot follow ----
  // A statement at module or class level that gives up does not end the run: what it may have
  // done is made unknown (see recover) and the next statement runs. Only the budget ends a run.
  struct Checkpoint {
    size_t frames, active, comp, heap, dirty;
    uint64_t level_seq;
  };

  Flow exec_recoverable(TSNode stmt, TSNode next, bool& clean) {
    Checkpoint cp{frames_.size(), active_.size(), frame().comp.size(), heap_.size(), dirty_.size(), level_seq_};
    level_seq_ = dirty_seq_;
    ++levels_;
    Flow flow = Flow::Normal;
    try {
      flow = exec_stmt(stmt, next);
    } catch (const GiveUp& g) {
      if (g.final) throw;
      --levels_;
      level_seq_ = cp.level_seq;
      recover(stmt, cp, g.reason);
      clean = false;
      return Flow::Normal;
    }
    --levels_;
    level_seq_ = cp.level_seq;
    if (levels_ == 0) dirty_.clear();
    return flow;
  }

  // After a give-up inside `stmt`: the C++ stack unwound without releasing its references, and
  // CPython would have gone on with the rest of the statement. What that may have changed becomes
  // unknown (count null, snapshot incomplete): every object whose count changed during the
  // statement, every object it made, what the statement's names refer to (all module objects
  // when it may run user code, which can reach any global), and the names it binds, which are
  // bound to an opaque object. Everything else stays known.
  void recover(TSNode stmt, const Checkpoint& cp, const std::string& reason) {
    ++give_up_count_;
    if (result_.give_ups.size() < kMaxGiveUps) result_.give_ups.emplace_back(cur_line_, reason);
    while (frames_.size() > cp.frames) frames_.pop_back();
    active_.resize(cp.active);
    if (frame().comp.size() > cp.comp) frame().comp.resize(cp.comp);
    pending_.clear();
    return_attr_.reset();
    cur_line_ = ts_node_start_point(stmt).row;
    if (!active_.empty()) track_ = false;
    for (size_t i = cp.dirty; i < dirty_.size(); ++i) taint(dirty_[i]);
    for (Id id = static_cast<Id>(cp.heap); id < heap_.size(); ++id)
      if (heap_[id].alive) taint(id);
    if (may_run_user_code(stmt)) {
      for (auto& f : frames_) {
        for (auto& [n, id] : f->vars) taint(id);
        for (auto& scope : f->comp)
          for (auto& [n, id] : scope) taint(id);
      }
    } else {
      syntax::walk(stmt, [&](TSNode n) {
        if (type_of(n) == "identifier")
          if (Id* s = slot(text_of(n, src_), false); s && *s) taint(*s);
        return true;
      });
    }
    for (const auto& name : bound_names(stmt)) store_name(name, opaque());
  }

  // Whether running `stmt` may call user code (a function, a class, a method, an operator or a
  // wrapped function), which could reach any global. Conservative: any name bound to user code
  // or to an instance, or unbound, counts.
  bool may_run_user_code(TSNode stmt) {
    bool user = false;
    syntax::walk(stmt, [&](TSNode n) {
      if (user) return false;
      auto ty = type_of(n);
      if (ty == "class_definition" || ty == "decorated_definition") user = true;
      if (ty != "identifier") return true;
      std::string_view name = text_of(n, src_);
      Id* s = slot(name, false);
      if (!s || !*s) {  // an attribute's name, a keyword, a target not bound yet, a builtin
        if (is_reflective(name)) user = true;
        return true;
      }
      const Obj& o = heap_[*s];
      if (o.kind == Kind::Function || o.kind == Kind::Class || o.kind == Kind::Instance || o.runs_user_code ||
          (o.kind == Kind::Module && runs_main_module(o.name + ".")) || runs_main_module(o.name))
        user = true;
      return true;
    });
    return user;
  }

  // The names a statement binds in the current scope (not those of nested functions, classes,
  // lambdas or comprehensions, which have their own).
  std::vector<std::string> bound_names(TSNode stmt) {
    std::vector<std::string> out;
    auto add = [&](TSNode n) {
      if (ts_node_is_null(n)) return;
      syntax::walk(n, [&](TSNode m) {
        auto ty = type_of(m);
        if (ty == "identifier") {
          std::string name(text_of(m, src_));
          if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
        }
        return ty != "attribute" && ty != "subscript";
      });
    };
    syntax::walk(stmt, [&](TSNode n) {
      auto ty = type_of(n);
      if (ty == "function_definition" || ty == "class_definition") {
        add(field(n, "name"));
        return false;
      }
      if (ty == "lambda" || ty == "list_comprehension" || ty == "set_comprehension" ||
          ty == "dictionary_comprehension" || ty == "generator_expression")
        return false;
      if (ty == "assignment" || ty == "augmented_assignment" || ty == "for_statement") add(field(n, "left"));
      else if (ty == "named_expression") add(field(n, "name"));
      else if (ty == "except_clause") add(field(n, "alias"));
      else if (ty == "as_pattern") add(field(n, "alias"));
      else if (ty == "import_statement") {
        for (TSNode c : kids(n)) {
          if (type_of(c) == "aliased_import") add(field(c, "alias"));
          else {
            std::string name(text_of(c, src_));
            name = name.substr(0, name.find('.'));
            if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
          }
        }
        return false;
      } else if (ty == "import_from_statement") {
        TSNode module = field(n, "module_name");
        for (TSNode c : kids(n)) {
          if (ts_node_eq(c, module)) continue;
          if (type_of(c) == "aliased_import") add(field(c, "alias"));
          else if (type_of(c) == "dotted_name") add(c);
        }
        return false;
      }
      return true;
    });
    return out;
  }

  // An object the model knows nothing about: no count, no size, no contents.
  Ref opaque() {
    Obj o;
    o.kind = Kind::Opaque;
    o.type = "object";
    o.unknown = true;
    return fresh(std::move(o));
  }

  // The opaque result of an operation on vague inputs: it may refer to anything they reach, so
  // they become unknown too.
  Ref opaque_from(std::initializer_list<Id> inputs) {
    for (Id id : inputs) taint(id);
    return opaque();
  }

  // Whether an object's value or contents are unknown (not only its count): an opaque object, a
  // scalar without a value, a tainted mutable container or instance. A tainted str or tuple
  // still has its value: it cannot change.
  bool vague(Id id) const {
    const Obj& o = heap_[id];
    switch (o.kind) {
      case Kind::Opaque: return true;
      case Kind::Int:
      case Kind::Bool:
      case Kind::Float:
      case Kind::Str:
      case Kind::Bytes: return !o.has_value;
      case Kind::None:
      case Kind::Tuple:
      case Kind::Range:
      case Kind::Function:
      case Kind::Class:
      case Kind::Module:
      case Kind::Builtin: return false;
      default: return o.unknown;
    }
  }

  // Starts the bookkeeping of a statement; the matching end_stmt captures and records.
  void begin_stmt(TSNode stmt) {
    step(stmt);
    uint32_t line = ts_node_start_point(stmt).row;
    cur_line_ = line;
    auto& ev = result_.lines[line];
    bool first = !ev.executed;
    if (first) {
      ev.executed = true;
      ev.stmt = stmt;
    }
    active_.push_back({line, freed_.size(), first});
    if (active_.size() == 1 || first) {
      // A snapshot run needs no findings: it only stops at its line.
      track_ = first && !goal_.capture_line;
      touched_.clear();
      id_mark_ = static_cast<Id>(heap_.size());
    }
  }

  void end_stmt(TSNode stmt, TSNode next) {
    if (!pending_.empty()) throw GiveUp{pending_};
    Active act = active_.back();
    active_.pop_back();
    cur_line_ = act.line;
    frame().last_line = act.line;
    frame().last_first = act.first && track_;
    if (act.first && track_) record_line(stmt, act);
    if (!active_.empty()) track_ = false;
    // The snapshot is taken after the last statement that starts on the requested line.
    if (goal_.capture_line && *goal_.capture_line == act.line && act.first &&
        (ts_node_is_null(next) || ts_node_start_point(next).row != act.line)) {
      result_.captured = capture(act);
      throw Stop{};
    }
  }

  Flow exec_stmt(TSNode stmt, TSNode next) {
    DepthGuard guard(depth_);
    auto ty = type_of(stmt);
    if (ty == "if_statement") return exec_if(stmt, next);
    if (ty == "for_statement") return exec_for(stmt, next);
    if (ty == "while_statement") return exec_while(stmt, next);
    if (ty == "function_definition") {
      begin_stmt(stmt);
      define_function(stmt);
      end_stmt(stmt, next);
      return Flow::Normal;
    }
    if (ty == "class_definition") {
      begin_stmt(stmt);
      define_class(stmt);
      end_stmt(stmt, next);
      return Flow::Normal;
    }
    if (ty == "try_statement") return exec_try(stmt, next);
    if (ty == "decorated_definition") {
      begin_stmt(stmt);
      define_decorated(stmt);
      end_stmt(stmt, next);
      return Flow::Normal;
    }
    begin_stmt(stmt);
    Flow flow = Flow::Normal;
    if (ty == "expression_statement") {
      TSNode e = ts_node_named_child(stmt, 0);
      auto et = type_of(e);
      if (et == "assignment") exec_assignment(e);
      else if (et == "augmented_assignment") exec_augmented(e);
      else {
        if (ts_node_named_child_count(stmt) != 1) throw GiveUp{"a tuple expression statement"};
        Ref r = eval(e);
      }
    } else if (ty == "pass_statement") {
    } else if (ty == "return_statement") {
      if (frames_.size() < 2 || frame().is_class) throw GiveUp{"return outside a function"};
      TSNode value = ts_node_named_child(stmt, 0);
      Ref r = ts_node_is_null(value) ? make_none() : eval_tuple_or_expr(value);
      frame().ret = std::move(r);
      flow = Flow::Return;
    } else if (ty == "delete_statement") {
      TSNode target = ts_node_named_child(stmt, 0);
      if (type_of(target) == "expression_list")
        for (TSNode t : kids(target)) delete_target(t);
      else delete_target(target);
    } else if (ty == "break_statement") {
      flow = Flow::Break;
    } else if (ty == "continue_statement") {
      flow = Flow::Continue;
    } else if (ty == "import_statement" || ty == "import_from_statement") {
      exec_import(stmt);
    } else if (ty == "future_import_statement") {
      // A compiler directive that also binds the feature's name (a __future__._Feature).
      for (TSNode n : kids(stmt)) {
        TSNode name_node = type_of(n) == "aliased_import" ? field(n, "name") : n;
        std::string name(text_of(name_node, src_));
        if (name == "annotations") future_annotations_ = true;
        Id feature = hidden_object(Kind::Opaque, "__future__." + name);
        heap_[feature].unknown = true;
        store_name(type_of(n) == "aliased_import" ? text_of(field(n, "alias"), src_) : std::string_view(name), share(feature));
      }
    } else if (ty == "global_statement") {
    } else if (ty == "assert_statement") {
      Ref r = eval(ts_node_named_child(stmt, 0));
      if (!truth(r.get())) throw GiveUp{"an assert fails here (AssertionError)"};
    } else {
      throw GiveUp{"`" + std::string(ty) + "` is not modelled"};
    }
    end_stmt(stmt, next);
    return flow;
  }

  Flow exec_if(TSNode stmt, TSNode next) {
    begin_stmt(stmt);
    bool cond;
    {
      Ref c = eval(field(stmt, "condition"));
      cond = truth(c.get());
    }
    end_stmt(stmt, next);
    if (cond) return exec_block(field(stmt, "consequence"), 0);
    uint32_t count = ts_node_named_child_count(stmt);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode alt = ts_node_named_child(stmt, i);
      auto ty = type_of(alt);
      if (ty == "elif_clause") {
        begin_stmt(alt);
        bool c2;
        {
          Ref c = eval(field(alt, "condition"));
          c2 = truth(c.get());
        }
        end_stmt(alt, TSNode{});
        if (c2) return exec_block(field(alt, "consequence"), 0);
      } else if (ty == "else_clause") {
        return exec_block(field(alt, "body"), 0);
      }
    }
    return Flow::Normal;
  }

  Flow exec_while(TSNode stmt, TSNode next) {
    if (!ts_node_is_null(field(stmt, "alternative"))) throw GiveUp{"while … else is not modelled"};
    while (true) {
      begin_stmt(stmt);
      bool cond;
      {
        Ref c = eval(field(stmt, "condition"));
        cond = truth(c.get());
      }
      end_stmt(stmt, next);
      if (!cond) return Flow::Normal;
      Flow flow = exec_block(field(stmt, "body"), 0);
      if (flow == Flow::Break) return Flow::Normal;
      if (flow == Flow::Return) return flow;
    }
  }

  // An iterator over a known sequence: the object CPython keeps on the value stack while a for
  // loop runs (it holds a reference to the sequence).
  Ref make_iter(Id seq) {
    if (vague(seq)) throw GiveUp{"iterating an object the model does not know"};
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
        it.type = version_.minor >= 12 && s.str_kind == 1 ? "str_ascii_iterator" : "str_iterator";
        break;
      case Kind::Dict:
      case Kind::Set:
        // A set iterates in hash-table order, which the model does not follow.
        if (s.kind == Kind::Set && s.items.size() > 1) throw GiveUp{"iterating a set (hash order)"};
        it.type = s.kind == Kind::Dict ? "dict_keyiterator" : "set_iterator";
        it.len = static_cast<int64_t>(s.items.size());
        break;
      case Kind::Iterator: return share(seq);  // iter(iterator) is the iterator itself
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

  // A tuple of n Nones: the result tuple enumerate, zip and dict.items() start with.
  Ref none_pair(size_t n) {
    std::vector<Ref> items;
    for (size_t i = 0; i < n; ++i) items.push_back(make_none());
    return make_tuple(std::move(items));
  }

  // CPython reuses the cached result tuple when only the iterator holds it; otherwise a new one.
  Ref result_tuple(Id iter, std::vector<Ref> items) {
    Obj& it = heap_[iter];
    if (!it.values.empty() && heap_[it.values[0]].rc == 1) {
      Id tuple = it.values[0];
      std::vector<Id> old = heap_[tuple].items;
      for (size_t i = 0; i < items.size(); ++i) heap_[tuple].items[i] = items[i].release();
      Ref out = share(tuple);
      for (Id o : old) decref(o);
      return out;
    }
    return make_tuple(std::move(items));
  }

  // The next item, or an empty Ref at the end (the iterator then drops its sequence, as
  // CPython's list iterator does).
  Ref iter_next(Id iter) {
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

  Flow exec_for(TSNode stmt, TSNode next) {
    if (!ts_node_is_null(field(stmt, "alternative"))) throw GiveUp{"for … else is not modelled"};
    Ref iter;
    {
      begin_stmt(stmt);
      Ref seq = eval_tuple_or_expr(field(stmt, "right"));
      iter = make_iter(seq.get());
    }
    bool first_pass = true;
    while (true) {
      if (!first_pass) begin_stmt(stmt);
      Ref item = iter_next(iter.get());
      if (!item) {
        if (!first_pass) end_stmt(stmt, next);
        else end_stmt(stmt, next);
        return Flow::Normal;
      }
      assign_target(field(stmt, "left"), std::move(item));
      end_stmt(stmt, next);
      first_pass = false;
      Flow flow = exec_block(field(stmt, "body"), 0);
      if (flow == Flow::Break) return Flow::Normal;
      if (flow == Flow::Return) return flow;
    }
  }

  Flow exec_try(TSNode stmt, TSNode) {
    // Without a raise the model knows of, only the body and the finally clause run.
    Flow flow = Flow::Normal;
    bool handlers = false;
    for (TSNode c : kids(stmt))
      if (type_of(c) == "except_clause" || type_of(c) == "except_group_clause") handlers = true;
    for (TSNode c : kids(stmt)) {
      auto ty = type_of(c);
      if (ty == "block") {
        // Inside handlers, a call the model does not know might raise and jump to them.
        struct Guard {
          int& n;
          bool on;
          ~Guard() { n -= on; }
        } guard{handlers_, handlers};
        handlers_ += handlers;
        flow = exec_block(c, 0);
      }
      else if (ty == "finally_clause") {
        if (flow != Flow::Normal) throw GiveUp{"finally after a jump is not modelled"};
        for (TSNode b : kids(c))
          if (type_of(b) == "block") flow = exec_block(b, 0);
      } else if (ty == "else_clause") {
        if (flow == Flow::Normal) flow = exec_block(field(c, "body"), 0);
      }
      if (flow == Flow::Return && ty == "block") break;
    }
    return flow;
  }

  void exec_import(TSNode stmt) {
    auto ty = type_of(stmt);
    if (ty == "import_statement") {
      for (TSNode n : kids(stmt)) {
        std::string name, alias;
        if (type_of(n) == "aliased_import") {
          name = std::string(text_of(field(n, "name"), src_));
          alias = std::string(text_of(field(n, "alias"), src_));
        } else {
          name = std::string(text_of(n, src_));
          alias = name.substr(0, name.find('.'));
        }
        Id mod = hidden_object(Kind::Module, name);
        if (name != "sys" && name != "gc" && name != "array") heap_[mod].unknown = true;
        store_name(alias, share(mod));
      }
      return;
    }
    std::string module_name(text_of(field(stmt, "module_name"), src_));
    for (TSNode n : kids(stmt)) {
      if (ts_node_eq(n, field(stmt, "module_name"))) continue;
      std::string name, alias;
      if (type_of(n) == "aliased_import") {
        name = std::string(text_of(field(n, "name"), src_));
        alias = std::string(text_of(field(n, "alias"), src_));
      } else if (type_of(n) == "dotted_name") {
        name = alias = std::string(text_of(n, src_));
      } else if (type_of(n) == "wildcard_import") {
        // The names it binds are not known: a name the model cannot find is then taken to come
        // from it, as an object the model does not know.
        star_import_ = true;
        continue;
      } else {
        continue;
      }
      Id member = hidden_object(Kind::Builtin, module_name + "." + name);
      if (!known_callable(module_name + "." + name)) heap_[member].unknown = true;
      store_name(alias, share(member));
    }
  }

  static bool known_callable(const std::string& name) {
    return name == "sys.getsizeof" || name == "sys.getrefcount" || name == "gc.collect" ||
           name == "gc.disable" || name == "gc.enable" || name == "array.array";
  }

  void define_function(TSNode def) {
    Ref r = make_function(def);
    store_name(text_of(field(def, "name"), src_), std::move(r));
  }

  // A decorated def or class: the decorator expressions are evaluated first, then the
  // definition, then each decorator is called on the result, innermost first, and the last
  // result is bound. A user decorator is an ordinary call. A library decorator (functools,
  // dataclasses, abc…) keeps the function: the name is bound to an opaque callable that runs user
  // code, so calling it gives up while the rest of the module goes on. @staticmethod,
  // @classmethod and @property alone on a method: the wrapper is bound (so the class and its
  // other methods stay usable), but using it gives up: a property runs user code on access.
  void define_decorated(TSNode stmt) {
    TSNode def = field(stmt, "definition");
    std::vector<TSNode> decorators;
    for (TSNode d : kids(stmt))
      if (type_of(d) == "decorator") decorators.push_back(ts_node_named_child(d, 0));
    std::string name(text_of(field(def, "name"), src_));
    if (decorators.size() == 1 && type_of(decorators[0]) == "identifier" && type_of(def) == "function_definition" &&
        frame().is_class) {
      std::string wrapper(text_of(decorators[0], src_));
      if ((wrapper == "staticmethod" || wrapper == "classmethod" || wrapper == "property") && !slot(wrapper, false)) {
        Ref fn = make_function(def);
        Obj w;
        w.kind = Kind::Opaque;
        w.type = wrapper;
        w.name = "@" + wrapper;
        w.constant = true;  // held by the class; no count shown
        w.attrs.emplace_back("__func__", fn.release());
        heap_.push_back(std::move(w));
        Id id = static_cast<Id>(heap_.size() - 1);
        store_name(name, share(id));
        return;
      }
    }
    std::vector<Ref> callables;
    for (TSNode d : decorators) callables.push_back(eval(d));
    Ref obj;
    if (type_of(def) == "function_definition") {
      obj = make_function(def);
    } else if (type_of(def) == "class_definition") {
      define_class(def);
      Id* s = slot(name, false);
      if (!s || !*s) throw GiveUp{"a decorated class the model lost"};
      obj = share(*s);
    } else {
      throw GiveUp{"this decorated definition is not modelled"};
    }
    for (size_t i = callables.size(); i-- > 0;) {
      Id callee = callables[i].get();
      const Obj& f = heap_[callee];
      if (f.kind == Kind::Function || f.kind == Kind::Class) {
        Args args;
        args.positional.push_back(std::move(obj));
        obj = call(callee, std::move(args), stmt);
      } else {
        if (f.runs_user_code) throw GiveUp{"a decorator that runs code the model does not follow"};
        taint(obj.get());  // the decorator keeps it, and may wrap it
        Ref wrapped = opaque();
        heap_[wrapped.get()].runs_user_code = true;
        obj = std::move(wrapped);
      }
    }
    store_name(name, std::move(obj));
  }

  // MAKE_FUNCTION: positional defaults into __defaults__, keyword-only ones into
  // __kwdefaults__, then the annotations (evaluated unless `from __future__ import
  // annotations`: PEP 563), then the function object with its closure cells.
  Ref make_function(TSNode def) {
    const ScopeInfo& info = scope_of(def);
    Obj fn;
    fn.kind = Kind::Function;
    fn.type = "function";
    fn.def = def;
    fn.name = type_of(def) == "lambda" ? "<lambda>" : std::string(text_of(field(def, "name"), src_));
    std::vector<Ref> defaults;
    std::vector<std::pair<std::string, Ref>> kwdefaults;
    for (const auto& p : info.params) {
      if (ts_node_is_null(p.value)) continue;
      if (p.keyword_only) kwdefaults.emplace_back(p.name, eval(p.value));
      else defaults.push_back(eval(p.value));
    }
    for (const auto& p : info.params)
      if (!ts_node_is_null(p.annotation)) check_annotation(p.annotation);
    check_annotation(field(def, "return_type"));
    if (!defaults.empty()) fn.defaults = make_tuple(std::move(defaults)).release();
    if (!kwdefaults.empty()) {
      Obj d;
      d.kind = Kind::Dict;
      d.type = "dict";
      d.size_unknown = true;  // built by BUILD_CONST_KEY_MAP, presized: not followed here
      Ref dict = fresh(std::move(d));
      for (auto& [k, v] : kwdefaults) dict_set(dict.get(), make_str(k, true), std::move(v));
      fn.kwdefaults = dict.release();
    }
    capture_cells(fn, info);
    return fresh(std::move(fn));
  }

  // An annotation: CPython 3.11–3.13 evaluate it when the def runs (unless PEP 563's future
  // import is on) and keep the value in the function's annotations. The model does not keep
  // the value; it checks that the names exist (a NameError ends the module in CPython) and
  // makes an object of the program used as an annotation unknown (it gains a reference).
  void check_annotation(TSNode ann) {
    if (ts_node_is_null(ann) || future_annotations_) return;
    syntax::walk(ann, [&](TSNode n) {
      auto ty = type_of(n);
      if (ty == "string" || ty == "attribute") {
        if (ty == "attribute") check_annotation_name(leftmost_name(n));
        return false;  // a string is not evaluated further; only an attribute's object is a name
      }
      if (ty == "identifier") check_annotation_name(n);
      return true;
    });
  }
  TSNode leftmost_name(TSNode n) {
    for (int guard = 0; guard < kMaxDepth && !ts_node_is_null(n) && type_of(n) == "attribute"; ++guard)
      n = field(n, "object");
    return n;
  }
  void check_annotation_name(TSNode n) {
    if (ts_node_is_null(n) || type_of(n) != "identifier") return;
    std::string_view name = text_of(n, src_);
    Id* s = slot(name, false);
    if (s && *s) {
      const Obj& o = heap_[*s];
      if (!o.constant && !o.hidden && o.kind != Kind::Class) taint(*s);
      return;
    }
    if (builtin(name) || is_builtin_name(name) || star_import_) return;
    throw GiveUp{"`" + std::string(name) + "` in an annotation is not defined (NameError)"};
  }

  void capture_cells(Obj& fn, const ScopeInfo& info) {
    Frame& f = frame();
    if (!f.scope) return;  // module level: free names are globals
    for (const auto& name : info.needs) {
      if (f.scope->cellvars.count(name)) {
        Id* cell = frame_var(f, name);
        if (!cell) throw GiveUp{"closure over an unbound cell"};
        incref(*cell);
        fn.cells.emplace_back(name, *cell);
      } else if (f.func) {
        for (auto& [n, cell] : heap_[f.func].cells)
          if (n == name) {
            incref(cell);
            fn.cells.emplace_back(name, cell);
          }
      }
    }
  }

  void define_class(TSNode def) {
    if (frames_.size() != 1) throw GiveUp{"a class defined inside a function is not modelled"};
    Obj cls;
    cls.kind = Kind::Class;
    cls.type = "type";
    cls.name = std::string(text_of(field(def, "name"), src_));
    cls.constant = true;  // classes are referred to by their MRO, subclasses, methods…: no count
    TSNode supers = field(def, "superclasses");
    if (!ts_node_is_null(supers)) {
      auto bases = kids(supers);
      if (bases.size() > 1) cls.has_slots = true;  // multiple inheritance: instances give up
      if (bases.size() == 1 && text_of(bases[0], src_) != "object") {
        Ref base = eval(bases[0]);
        // A base the model does not know (an exception class, a library class): the class
        // exists, but making an instance gives up.
        if (heap_[base.get()].kind != Kind::Class) cls.has_slots = true;
        else {
        cls.cls = base.get();
        cls.has_del = heap_[base.get()].has_del;
        cls.has_slots = heap_[base.get()].has_slots;
        cls.has_repr = heap_[base.get()].has_repr;
        }
      }
    }
    heap_.push_back(std::move(cls));
    Id id = static_cast<Id>(heap_.size() - 1);
    auto body_frame = new_frame();
    body_frame->is_class = true;
    frames_.push_back(std::move(body_frame));
    Flow flow = exec_block(field(def, "body"), 0);
    if (flow != Flow::Normal) throw GiveUp{"a jump out of a class body"};
    auto vars = std::move(frame().vars);
    frames_.pop_back();
    for (auto& [name, value] : vars) {
      if (name == "__del__") heap_[id].has_del = true;
      if (name == "__slots__") heap_[id].has_slots = true;
      if (name == "__getattr__" || name == "__getattribute__" || name == "__setattr__" || name == "__new__" ||
          name == "__eq__" || name == "__hash__" || name == "__bool__" || name == "__len__" || name == "__iter__" ||
          name == "__init_subclass__" || name == "__class_getitem__" || name == "__delattr__" ||
          name == "__set_name__")
        heap_[id].has_slots = true;  // special behaviour the model does not follow
      if (name == "__str__" || name == "__repr__" || name == "__format__") heap_[id].has_repr = true;
      heap_[id].attrs.emplace_back(name, value);
    }
    heap_[id].rc = 1;
    store_name(heap_[id].name, Ref(this, id));
  }

  // ================= assignment =================
  void exec_assignment(TSNode node) {
    // a = b = value: the value is computed once and bound to each target, left to right.
    std::vector<TSNode> targets;
    TSNode cur = node;
    while (type_of(cur) == "assignment") {
      if (!ts_node_is_null(field(cur, "type")) && ts_node_is_null(field(cur, "right"))) return;  // x: int
      targets.push_back(field(cur, "left"));
      cur = field(cur, "right");
      if (ts_node_is_null(cur)) return;
    }
    Ref value = eval_tuple_or_expr(cur);
    for (size_t i = 0; i < targets.size(); ++i) {
      Ref copy = share(value.get());
      assign_target(targets[i], std::move(copy));
    }
  }

  void assign_target(TSNode target, Ref value) {
    DepthGuard guard(depth_);
    auto ty = type_of(target);
    if (ty == "identifier") {
      store_name(text_of(target, src_), std::move(value));
    } else if (ty == "pattern_list" || ty == "tuple_pattern" || ty == "list_pattern" || ty == "expression_list" ||
               ty == "tuple" || ty == "list") {
      auto targets = kids(target);
      if (vague(value.get())) throw GiveUp{"unpacking a value the model does not know"};
      Obj& v = heap_[value.get()];
      if (v.kind != Kind::Tuple && v.kind != Kind::List) throw GiveUp{"unpacking a " + v.type + " is not modelled"};
      if (v.items.size() != targets.size()) throw GiveUp{"unpacking a sequence of the wrong length (ValueError)"};
      std::vector<Ref> items;
      for (Id item : v.items) items.push_back(share(item));
      value.reset();
      for (size_t i = 0; i < targets.size(); ++i) assign_target(targets[i], std::move(items[i]));
    } else if (ty == "attribute") {
      Ref obj = eval(field(target, "object"));
      set_attr(obj.get(), std::string(text_of(field(target, "attribute"), src_)), std::move(value));
    } else if (ty == "subscript") {
      Ref obj = eval(field(target, "value"));
      TSNode sub = field(target, "subscript");
      if (type_of(sub) == "slice") throw GiveUp{"slice assignment is not modelled"};
      Ref key = eval(sub);
      set_item(obj.get(), key.get(), std::move(value), target);
    } else if (ty == "parenthesized_expression") {
      assign_target(ts_node_named_child(target, 0), std::move(value));
    } else {
      throw GiveUp{"assignment to `" + std::string(ty) + "` is not modelled"};
    }
  }

  void note_cycle(Id holder, Id value, TSNode where) {
    if (heap_[value].constant || heap_[holder].constant) return;
    if (!reaches(value, holder)) return;
    auto& ev = result_.lines[cur_line_];
    if (!ev.cycle_message.empty()) return;
    std::string what = std::string(text_of(where, src_));
    if (what.size() > 60) what = what.substr(0, 57) + "...";
    ev.cycle_message = "`" + what + "` closes a reference cycle: these objects keep each other alive, so when the last "
                       "name goes their counts stay above zero and only CPython's cyclic garbage collector frees them.";
  }

  bool reaches(Id from, Id to) {
    std::vector<Id> work{from};
    std::set<Id> seen;
    while (!work.empty() && seen.size() < 20000) {
      Id id = work.back();
      work.pop_back();
      if (id == to) return true;
      if (!seen.insert(id).second) continue;
      if (heap_[id].constant) continue;
      for_each_child(heap_[id], [&](Id child) { work.push_back(child); });
    }
    return false;
  }

  void set_attr(Id obj, const std::string& name, Ref value) {
    Obj& o = heap_[obj];
    if (o.kind != Kind::Instance && o.kind != Kind::Class) throw GiveUp{"setting ." + name + " on a " + o.type};
    if (o.unknown) throw GiveUp{"setting an attribute of an object the model does not know"};
    Id v = value.release();
    note_cycle(obj, v, TSNode{cur_stmt_node()});
    for (auto& [n, id] : o.attrs)
      if (n == name) {
        Id old = id;
        id = v;
        decref(old);
        return;
      }
    o.attrs.emplace_back(name, v);
  }

  TSNode cur_stmt_node() {
    auto it = result_.lines.find(cur_line_);
    return it == result_.lines.end() ? TSNode{} : it->second.stmt;
  }

  // Key lookup in a dict's keys or a set's items. Past a few entries, through a hash index
  // from the key's value (kept per container, rebuilt when its size says it is stale), so that
  // filling a dict of n keys costs O(n), not O(n²).
  struct KeyIndex {
    std::unordered_map<std::string, size_t> at;
    size_t count = 0;
  };
  static constexpr size_t kIndexFrom = 16;

  // The key's value as a string (equal keys, equal strings), or "" when the model cannot say.
  std::string key_fingerprint(Id key, int depth = 0) const {
    const Obj& k = heap_[key];
    if (depth > 20) return "";
    if ((k.kind == Kind::Int || k.kind == Kind::Bool) && k.has_value) return "i" + std::to_string(k.ival);
    if (k.kind == Kind::Str && k.has_value) return "s" + k.text;
    if (k.kind == Kind::Bytes && k.has_value) return "b" + k.text;
    if (k.kind == Kind::None) return "n";
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

  std::optional<size_t> dict_find(const Obj& d, Id key) {
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

  // The container's index, rebuilt when stale (an erase changed its size).
  KeyIndex& key_index(const Obj& d) {
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

  // Records a key appended to a dict or set whose index is current.
  void key_appended(const Obj& d) {
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

  bool is_hashable_known(Id key, int depth = 0) {
    if (depth > 50) throw GiveUp{"a key nested deeper than the model follows"};
    const Obj& k = heap_[key];
    if (k.kind == Kind::Str || k.kind == Kind::Bytes) return k.has_value;
    if (k.kind == Kind::Int || k.kind == Kind::Bool) return k.has_value;
    if (k.kind == Kind::None) return true;
    if (k.kind == Kind::Tuple) {
      for (Id i : k.items)
        if (!is_hashable_known(i, depth + 1)) return false;
      return true;
    }
    return false;
  }

  bool equal_keys(Id a, Id b, int depth = 0) {
    if (a == b) return true;
    if (depth > 50) throw GiveUp{"a key nested deeper than the model follows"};
    const Obj& x = heap_[a];
    const Obj& y = heap_[b];
    bool xn = x.kind == Kind::Int || x.kind == Kind::Bool, yn = y.kind == Kind::Int || y.kind == Kind::Bool;
    if (xn && yn) return x.ival == y.ival;
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

  void dict_set(Id dict, Ref key, Ref value) {
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

  int64_t index_of(Id seq, Id key, int64_t n) {
    const Obj& k = heap_[key];
    if ((k.kind != Kind::Int && k.kind != Kind::Bool) || !k.has_value) throw GiveUp{"an index the model does not know"};
    int64_t i = k.ival < 0 ? k.ival + n : k.ival;
    if (i < 0 || i >= n) throw GiveUp{"index out of range (IndexError) on " + heap_[seq].type};
    return i;
  }

  void set_item(Id obj, Id key, Ref value, TSNode where) {
    Obj& o = heap_[obj];
    if (o.unknown) throw GiveUp{"storing into an object the model does not know"};
    if (o.kind == Kind::List) {
      int64_t i = index_of(obj, key, static_cast<int64_t>(o.items.size()));
      Id v = value.release();
      note_cycle(obj, v, where);
      Id old = heap_[obj].items[static_cast<size_t>(i)];
      heap_[obj].items[static_cast<size_t>(i)] = v;
      decref(old);
    } else if (o.kind == Kind::Dict) {
      note_cycle(obj, value.get(), where);
      dict_set(obj, share(key), std::move(value));
    } else if (o.kind == Kind::Bytearray || o.kind == Kind::Array) {
      index_of(obj, key, o.len);
      if (o.kind == Kind::Bytearray) o.has_value = false;
    } else {
      throw GiveUp{"item assignment on a " + o.type + " is not modelled"};
    }
  }

  void delete_target(TSNode t) {
    DepthGuard guard(depth_);
    auto ty = type_of(t);
    if (ty == "identifier") {
      delete_name(text_of(t, src_));
    } else if (ty == "subscript") {
      Ref obj = eval(field(t, "value"));
      TSNode sub = field(t, "subscript");
      if (type_of(sub) == "slice") throw GiveUp{"del of a slice is not modelled"};
      Ref key = eval(sub);
      Obj& o = heap_[obj.get()];
      if (o.kind == Kind::List) {
        int64_t i = index_of(obj.get(), key.get(), static_cast<int64_t>(o.items.size()));
        Id old = o.items[static_cast<size_t>(i)];
        o.items.erase(o.items.begin() + i);
        list_set_cap(obj.get(), static_cast<int64_t>(o.items.size()) + 1, static_cast<int64_t>(o.items.size()));
        decref(old);
      } else if (o.kind == Kind::Dict) {
        auto i = dict_find(o, key.get());
        if (!i) throw GiveUp{"del of a missing key (KeyError)"};
        Id k = o.items[*i], v = o.values[*i];
        o.items.erase(o.items.begin() + static_cast<long>(*i));
        o.values.erase(o.values.begin() + static_cast<long>(*i));
        decref(k);
        decref(v);
      } else {
        throw GiveUp{"del on a " + o.type + " item is not modelled"};
      }
    } else if (ty == "attribute") {
      Ref obj = eval(field(t, "object"));
      Obj& o = heap_[obj.get()];
      std::string name(text_of(field(t, "attribute"), src_));
      if (o.kind != Kind::Instance) throw GiveUp{"del of an attribute of a " + o.type};
      for (size_t i = 0; i < o.attrs.size(); ++i)
        if (o.attrs[i].first == name) {
          Id old = o.attrs[i].second;
          o.attrs.erase(o.attrs.begin() + static_cast<long>(i));
          decref(old);
          return;
        }
      throw GiveUp{"del of a missing attribute (AttributeError)"};
    } else if (ty == "expression_list" || ty == "tuple") {
      for (TSNode c : kids(t)) delete_target(c);
    } else {
      throw GiveUp{"del of `" + std::string(ty) + "`"};
    }
  }

  // list capacity change, recorded for the `cap a → b` hint.
  void list_set_cap(Id list, int64_t old_size, int64_t new_size) {
    Obj& l = heap_[list];
    int64_t before = l.cap;
    l.cap = list_resize_cap(l.cap, old_size, new_size);
    if (l.cap != before && !l.size_unknown) note_cap(before, l.cap);
  }
  void note_cap(int64_t before, int64_t after) {
    if (stopping_ || active_.empty()) return;
    auto& steps = result_.lines[active_.back().line].cap_steps;
    if (steps.size() < 40) steps.push_back(std::to_string(before) + "\x1f" + std::to_string(after));
  }

  void exec_augmented(TSNode node) {
    TSNode target = field(node, "left");
    std::string op(text_of(field(node, "operator"), src_));
    op.pop_back();  // "+=" → "+"
    if (type_of(target) != "identifier" && type_of(target) != "attribute" && type_of(target) != "subscript")
      throw GiveUp{"augmented assignment to this target"};
    if (type_of(target) == "identifier") {
      Ref current = eval(target);
      Ref rhs = eval(field(node, "right"));
      Ref result = inplace_op(op, std::move(current), std::move(rhs), node);
      assign_target(target, std::move(result));
      return;
    }
    // x.a += v and x[i] += v evaluate x (and i) once and hold them while v is computed.
    Ref obj = eval(field(target, type_of(target) == "attribute" ? "object" : "value"));
    if (type_of(target) == "attribute") {
      std::string name(text_of(field(target, "attribute"), src_));
      Ref current = get_attr(obj.get(), name);
      Ref rhs = eval(field(node, "right"));
      Ref result = inplace_op(op, std::move(current), std::move(rhs), node);
      set_attr(obj.get(), name, std::move(result));
      return;
    }
    TSNode sub = field(target, "subscript");
    if (type_of(sub) == "slice") throw GiveUp{"augmented assignment to a slice"};
    Ref key = eval(sub);
    Ref current = get_item(obj.get(), key.get());
    Ref rhs = eval(field(node, "right"));
    Ref result = inplace_op(op, std::move(current), std::move(rhs), node);
    set_item(obj.get(), key.get(), std::move(result), target);
  }

  Ref inplace_op(const std::string& op, Ref left, Ref right, TSNode node) {
    Obj& l = heap_[left.get()];
    if (op == "+" && l.kind == Kind::List) {
      list_extend(left.get(), right.get(), node);
      return left;
    }
    if (op == "*" && l.kind == Kind::List) throw GiveUp{"list *= is not modelled"};
    if (op == "+" && l.kind == Kind::Bytearray) {
      Obj& r = heap_[right.get()];
      if (r.kind != Kind::Bytes && r.kind != Kind::Bytearray) throw GiveUp{"bytearray += of a " + r.type};
      int64_t n = l.len + r.len;
      l.cap = bytearray_resize_alloc(l.cap, n);
      l.len = n;
      l.has_value = false;
      return left;
    }
    if (l.kind == Kind::Instance || l.kind == Kind::Set || l.kind == Kind::Dict || l.kind == Kind::Array)
      throw GiveUp{"in-place " + op + " on a " + l.type + " is not modelled"};
    return binary(op, left.get(), right.get(), node, false);
  }

  // ================= expressions =================
  Ref eval_tuple_or_expr(TSNode node) {
    auto ty = type_of(node);
    if (ty == "expression_list" || ty == "pattern_list") {
      std::vector<Ref> items;
      for (TSNode c : kids(node)) items.push_back(eval(c));
      return make_tuple(std::move(items));
    }
    return eval(node);
  }

  // Whether an expression is folded to a constant by CPython's compiler (literals and
  // operators on them), so the object is shared with the code and has no count of its own.
  bool is_constant_expr(TSNode node, int depth = 0) {
    if (depth > 20) return false;
    auto ty = type_of(node);
    if (ty == "integer" || ty == "float" || ty == "true" || ty == "false" || ty == "none") return true;
    if (ty == "string") {
      for (TSNode c : kids(node))
        if (type_of(c) == "interpolation") return false;
      return true;
    }
    if (ty == "concatenated_string") {
      for (TSNode c : kids(node))
        if (!is_constant_expr(c, depth + 1)) return false;
      return true;
    }
    if (ty == "parenthesized_expression") return is_constant_expr(ts_node_named_child(node, 0), depth + 1);
    if (ty == "unary_operator") return is_constant_expr(field(node, "argument"), depth + 1);
    if (ty == "tuple") {
      for (TSNode c : kids(node))
        if (!is_constant_expr(c, depth + 1)) return false;
      return true;
    }
    if (ty == "binary_operator")
      return is_constant_expr(field(node, "left"), depth + 1) && is_constant_expr(field(node, "right"), depth + 1);
    return false;
  }

  Ref eval(TSNode node) {
    DepthGuard guard(depth_);
    step(node);
    auto ty = type_of(node);
    if (ty == "identifier") return load_name(node);
    if (ty == "integer" || ty == "float" || ty == "string" || ty == "concatenated_string" || ty == "true" ||
        ty == "false" || ty == "none")
      return literal(node);
    if (ty == "parenthesized_expression") return eval(ts_node_named_child(node, 0));
    if (ty == "list") return eval_list_display(node);
    if (ty == "tuple") {
      if (is_constant_expr(node)) return fold_constant(node);
      std::vector<Ref> items;
      for (TSNode c : kids(node)) {
        if (type_of(c) == "list_splat") throw GiveUp{"*unpacking is not modelled"};
        items.push_back(eval(c));
      }
      return make_tuple(std::move(items));
    }
    if (ty == "dictionary") return eval_dict_display(node);
    if (ty == "set") return eval_set_display(node);
    if (ty == "binary_operator") {
      if (is_constant_expr(node)) return fold_constant(node);
      Ref l = eval(field(node, "left"));
      Ref r = eval(field(node, "right"));
      std::string op(text_of(field(node, "operator"), src_));
      return binary(op, l.get(), r.get(), node, false);
    }
    if (ty == "unary_operator") {
      if (is_constant_expr(node)) return fold_constant(node);
      Ref a = eval(field(node, "argument"));
      std::string op(text_of(field(node, "operator"), src_));
      return unary(op, a.get(), false);
    }
    if (ty == "not_operator") {
      Ref a = eval(field(node, "argument"));
      return make_bool(!truth(a.get()));
    }
    if (ty == "boolean_operator") {
      Ref l = eval(field(node, "left"));
      std::string op(text_of(field(node, "operator"), src_));
      bool t = truth(l.get());
      if ((op == "and" && !t) || (op == "or" && t)) return l;
      l.reset();
      return eval(field(node, "right"));
    }
    if (ty == "comparison_operator") return eval_comparison(node);
    if (ty == "conditional_expression") {
      auto parts = kids(node);
      if (parts.size() != 3) throw GiveUp{"a conditional expression"};
      bool c;
      {
        Ref cond = eval(parts[1]);
        c = truth(cond.get());
      }
      return eval(c ? parts[0] : parts[2]);
    }
    if (ty == "call") return eval_call(node);
    if (ty == "attribute") {
      Ref obj = eval(field(node, "object"));
      return get_attr(obj.get(), std::string(text_of(field(node, "attribute"), src_)));
    }
    if (ty == "subscript") return eval_subscript(node);
    if (ty == "list_comprehension" || ty == "set_comprehension" || ty == "dictionary_comprehension")
      return eval_comprehension(node);
    if (ty == "lambda") return make_function(node);
    throw GiveUp{"`" + std::string(ty) + "` is not modelled"};
  }

  Ref fold_constant(TSNode node) {
    // Evaluated like runtime code, then turned into a shared constant when CPython's folding
    // limits allow it (strings up to 4096 characters, tuples up to 256 items).
    Ref value = eval_const_parts(node);
    Obj& o = heap_[value.get()];
    if (o.constant) return value;
    bool foldable = (o.kind == Kind::Str && o.len <= 4096) || (o.kind == Kind::Bytes && o.len <= 4096) ||
                    o.kind == Kind::Int || o.kind == Kind::Float || (o.kind == Kind::Tuple && o.items.size() <= 256);
    if (!foldable) return value;
    o.constant = true;
    return value;
  }

  Ref eval_const_parts(TSNode node) {
    auto ty = type_of(node);
    if (ty == "parenthesized_expression") return eval_const_parts(ts_node_named_child(node, 0));
    if (ty == "binary_operator") {
      Ref l = eval_const_parts(field(node, "left"));
      Ref r = eval_const_parts(field(node, "right"));
      return binary(std::string(text_of(field(node, "operator"), src_)), l.get(), r.get(), node, true);
    }
    if (ty == "unary_operator") {
      Ref a = eval_const_parts(field(node, "argument"));
      return unary(std::string(text_of(field(node, "operator"), src_)), a.get(), true);
    }
    if (ty == "tuple") {
      std::vector<Ref> items;
      for (TSNode c : kids(node)) items.push_back(eval_const_parts(c));
      Ref t = make_tuple(std::move(items));
      return t;
    }
    return literal(node);
  }

  Ref literal(TSNode node) {
    auto ty = type_of(node);
    if (ty == "true") return make_bool(true);
    if (ty == "false") return make_bool(false);
    if (ty == "none") return make_none();
    if (ty == "integer") {
      std::string t;
      for (char c : text_of(node, src_))
        if (c != '_') t += c;
      if (!t.empty() && (t.back() == 'j' || t.back() == 'J')) throw GiveUp{"complex numbers are not modelled"};
      int base = 10;
      size_t start = 0;
      if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) base = 16, start = 2;
      else if (t.size() > 2 && t[0] == '0' && (t[1] == 'o' || t[1] == 'O')) base = 8, start = 2;
      else if (t.size() > 2 && t[0] == '0' && (t[1] == 'b' || t[1] == 'B')) base = 2, start = 2;
      errno = 0;
      char* end = nullptr;
      unsigned long long v = std::strtoull(t.c_str() + start, &end, base);
      if (errno || v > static_cast<unsigned long long>(INT64_MAX)) throw GiveUp{"an integer literal beyond 64 bits"};
      return make_int(static_cast<int64_t>(v), true);
    }
    if (ty == "float") {
      std::string t;
      for (char c : text_of(node, src_))
        if (c != '_') t += c;
      if (!t.empty() && (t.back() == 'j' || t.back() == 'J')) throw GiveUp{"complex numbers are not modelled"};
      return make_float(std::strtod(t.c_str(), nullptr), true);
    }
    if (ty == "concatenated_string") {
      std::string all;
      bool bytes = false;
      for (TSNode c : kids(node)) {
        Ref part = literal(c);
        Obj& p = heap_[part.get()];
        bytes = p.kind == Kind::Bytes;
        if (!p.constant) throw GiveUp{"an f-string in implicit concatenation"};
        all += p.text;
      }
      return bytes ? make_bytes(std::move(all), true) : make_str(std::move(all), true);
    }
    // string
    std::string_view text = text_of(node, src_);
    size_t quote = text.find_first_of("'\"");
    if (quote == std::string_view::npos) throw GiveUp{"a string literal"};
    std::string prefix(text.substr(0, quote));
    for (auto& c : prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool raw = prefix.find('r') != std::string::npos, bytes = prefix.find('b') != std::string::npos;
    bool fstr = prefix.find('f') != std::string::npos;
    if (prefix.find('t') != std::string::npos) throw GiveUp{"t-strings are not modelled"};
    if (fstr) return eval_fstring(node);
    size_t qlen = text.substr(quote, 3) == "'''" || text.substr(quote, 3) == "\"\"\"" ? 3 : 1;
    if (text.size() < quote + 2 * qlen) throw GiveUp{"an unterminated string literal"};
    std::string_view body = text.substr(quote + qlen, text.size() - quote - 2 * qlen);
    std::string value;
    if (raw) value = std::string(body);
    else if (!unescape(body, bytes, value)) throw GiveUp{"an escape sequence the model does not decode"};
    return bytes ? make_bytes(std::move(value), true) : make_str(std::move(value), true);
  }

  // A new str whose text the model does not know (its count is still the program's).
  Ref unknown_str() {
    Obj o;
    o.kind = Kind::Str;
    o.type = "str";
    o.unknown = true;
    return fresh(std::move(o));
  }

  Ref eval_fstring(TSNode node) {
    bool vague_text = false;
    std::string out;
    int parts = 0;
    Id single = 0;
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
        if (reaches_user_repr(v.get(), 0)) throw GiveUp{"formatting calls a user __str__/__repr__/__format__"};
        const Obj& vo = heap_[v.get()];
        bool simple = !spec && ((vo.kind == Kind::Str && vo.has_value) || (vo.kind == Kind::Int && vo.has_value) ||
                                vo.kind == Kind::Bool || vo.kind == Kind::None);
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

  std::string utf8_substr(const std::string& s, int64_t start, int64_t count) {
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

  Ref to_str(Id v) {
    Obj& o = heap_[v];
    if (o.kind == Kind::Str) return share(v);
    if (o.kind == Kind::Int && o.has_value) return make_str(std::to_string(o.ival));
    if (o.kind == Kind::Bool) return make_str(o.ival ? "True" : "False");
    if (o.kind == Kind::None) return make_str("None");
    if (reaches_user_repr(v, 0)) throw GiveUp{"str() calls a user __str__/__repr__"};
    return unknown_str();
  }

  Ref eval_list_display(TSNode node) {
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

  Ref eval_dict_display(TSNode node) {
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

  Ref new_set() {
    Obj s;
    s.kind = Kind::Set;
    s.type = "set";
    return fresh(std::move(s));
  }

  void set_add(Id set, Ref item) {
    if (!is_hashable_known(item.get())) throw GiveUp{"a set item the model cannot hash"};
    Obj& s = heap_[set];
    if (dict_find(s, item.get())) return;
    s.items.push_back(item.release());
    key_appended(s);
    set_add_layout(heap_[set]);
  }

  Ref eval_set_display(TSNode node) {
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

  Ref eval_comparison(TSNode node) {
    std::vector<TSNode> operands;
    std::vector<std::string> ops;
    uint32_t count = ts_node_child_count(node);
    std::string pending;
    for (uint32_t i = 0; i < count; ++i) {
      TSNode c = ts_node_child(node, i);
      if (ts_node_is_named(c)) {
        if (!pending.empty()) ops.push_back(pending);
        pending.clear();
        operands.push_back(c);
      } else {
        if (!pending.empty()) pending += " ";
        pending += std::string(text_of(c, src_));
      }
    }
    if (operands.size() != ops.size() + 1) throw GiveUp{"a comparison"};
    Ref left = eval(operands[0]);
    for (size_t i = 0; i < ops.size(); ++i) {
      Ref right = eval(operands[i + 1]);
      bool r = compare(ops[i], left.get(), right.get());
      if (!r) return make_bool(false);
      left = std::move(right);
    }
    return make_bool(true);
  }

  bool numeric(const Obj& o) { return (o.kind == Kind::Int || o.kind == Kind::Bool || o.kind == Kind::Float) && o.has_value; }
  double num(const Obj& o) { return o.kind == Kind::Float ? o.fval : static_cast<double>(o.ival); }

  bool compare(const std::string& op, Id a, Id b) {
    if (vague(a) || vague(b)) throw GiveUp{"comparing values the model does not know"};
    if (op == "is") return a == b && identity_certain(a);
    if (op == "is not") return !(a == b && identity_certain(a));
    if (op == "in" || op == "not in") {
      Obj& c = heap_[b];
      bool found = false;
      if (c.kind == Kind::List || c.kind == Kind::Tuple || c.kind == Kind::Set || c.kind == Kind::Dict) {
        for (Id e : c.items) {
          if (!is_hashable_known(e) || !is_hashable_known(a)) throw GiveUp{"`in` over values the model does not know"};
          if (equal_keys(e, a)) found = true;
        }
      } else if (c.kind == Kind::Str && c.has_value && heap_[a].kind == Kind::Str && heap_[a].has_value) {
        found = c.text.find(heap_[a].text) != std::string::npos;
      } else {
        throw GiveUp{"`in` on a " + c.type};
      }
      return op == "in" ? found : !found;
    }
    Obj& x = heap_[a];
    Obj& y = heap_[b];
    int cmp;
    if (numeric(x) && numeric(y)) {
      if (x.kind != Kind::Float && y.kind != Kind::Float) cmp = x.ival < y.ival ? -1 : x.ival > y.ival ? 1 : 0;
      else cmp = num(x) < num(y) ? -1 : num(x) > num(y) ? 1 : 0;
    } else if ((x.kind == Kind::Str && y.kind == Kind::Str) || (x.kind == Kind::Bytes && y.kind == Kind::Bytes)) {
      if (!x.has_value || !y.has_value) throw GiveUp{"comparing strings the model does not know"};
      cmp = x.text < y.text ? -1 : x.text > y.text ? 1 : 0;  // UTF-8 order is code point order
    } else if (op == "==" || op == "!=") {
      if (x.kind == Kind::None || y.kind == Kind::None) cmp = a == b ? 0 : 1;
      else if ((x.kind == Kind::Tuple && y.kind == Kind::Tuple) && is_hashable_known(a) && is_hashable_known(b))
        cmp = equal_keys(a, b) ? 0 : 1;
      else throw GiveUp{"== between a " + x.type + " and a " + y.type + " is not modelled"};
    } else {
      throw GiveUp{"ordering a " + x.type + " and a " + y.type + " is not modelled"};
    }
    if (op == "==") return cmp == 0;
    if (op == "!=") return cmp != 0;
    if (op == "<") return cmp < 0;
    if (op == "<=") return cmp <= 0;
    if (op == ">") return cmp > 0;
    if (op == ">=") return cmp >= 0;
    throw GiveUp{"comparison `" + op + "`"};
  }

  // `is` on two names of one model object is certain except for equal constants, which CPython
  // may or may not share between code objects.
  bool identity_certain(Id a) {
    const Obj& o = heap_[a];
    if (o.constant && !o.immortal && o.kind != Kind::None && o.kind != Kind::Bool && o.kind != Kind::Class)
      throw GiveUp{"`is` between equal constants depends on the compiler"};
    return true;
  }

  bool truth(Id id) {
    if (vague(id)) throw GiveUp{"a condition on a value the model does not know"};
    Obj& o = heap_[id];
    switch (o.kind) {
      case Kind::None: return false;
      case Kind::Bool:
      case Kind::Int:
        if (!o.has_value) break;
        return o.ival != 0;
      case Kind::Float: return o.fval != 0;
      case Kind::Str:
      case Kind::Bytes:
      case Kind::Bytearray:
      case Kind::Array: return o.len != 0;
      case Kind::List:
      case Kind::Tuple:
      case Kind::Dict:
      case Kind::Set: return !o.items.empty();
      case Kind::Function:
      case Kind::Class:
      case Kind::Module:
      case Kind::Builtin: return true;
      case Kind::Instance:
        if (o.cls && heap_[o.cls].has_slots) break;
        return true;
      default: break;
    }
    throw GiveUp{"a condition the model cannot decide"};
  }

  Ref binary(const std::string& op, Id a, Id b, TSNode node, bool folding) {
    Obj& x = heap_[a];
    Obj& y = heap_[b];
    if (vague(a) || vague(b)) return opaque_from({a, b});
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
        // Square and multiply: O(log r) even for 1 ** 10**18.
        v = 1;
        int64_t base = l, e = r;
        while (e > 0 && !overflow) {
          if (e & 1) overflow = __builtin_mul_overflow(v, base, &v);
          e >>= 1;
          if (e > 0 && !overflow) overflow = __builtin_mul_overflow(base, base, &base);
        }
      } else if (op == "<<") {
        if (r < 0 || r > 62 || (l != 0 && (std::abs(l) >> (62 - r)) != 0)) overflow = true;
        else v = l << r;
      } else if (op == ">>") v = r > 63 ? (l < 0 ? -1 : 0) : l >> r;
      else if (op == "&") v = l & r;
      else if (op == "|") v = l | r;
      else if (op == "^") v = l ^ r;
      else throw GiveUp{"operator " + op + " on ints"};
      if (overflow) throw GiveUp{"an int beyond 64 bits"};
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

  Ref unary(const std::string& op, Id a, bool folding) {
    if (vague(a)) return opaque_from({a});
    Obj& x = heap_[a];
    if ((x.kind == Kind::Int || x.kind == Kind::Bool) && x.has_value) {
      if (op == "-") return make_int(-x.ival, folding);
      if (op == "+") return make_int(x.ival, folding);
      if (op == "~") return make_int(~x.ival, folding);
    }
    if (x.kind == Kind::Float) {
      if (op == "-") return make_float(-x.fval, folding);
      if (op == "+") return make_float(x.fval, folding);
    }
    throw GiveUp{"unary " + op + " on a " + x.type};
  }

  Ref get_attr(Id obj, const std::string& name) {
    Obj& o = heap_[obj];
    // An attribute of an object the model does not know (a library's, a tainted instance's).
    if (vague(obj) || ((o.kind == Kind::Builtin || o.kind == Kind::Opaque) && o.unknown)) return opaque_from({obj});
    if (o.kind == Kind::Instance) {
      for (auto& [n, id] : o.attrs)
        if (n == name) return share(id);
      if (Id v = class_lookup(o.cls, name)) {
        if (heap_[v].kind == Kind::Function) throw GiveUp{"a bound method used as a value is not modelled"};
        if (heap_[v].runs_user_code) throw GiveUp{"." + name + " is a decorated attribute (it may run user code)"};
        if (!heap_[v].name.empty() && heap_[v].name[0] == '@') throw GiveUp{"." + name + " is a " + heap_[v].type};
        return share(v);
      }
      throw GiveUp{"." + name + " is not set on this " + o.type + " (AttributeError)"};
    }
    if (o.kind == Kind::Class) {
      if (Id v = class_lookup(obj, name)) {
        if (!heap_[v].name.empty() && heap_[v].name[0] == '@') throw GiveUp{"." + name + " is a " + heap_[v].type};
        return share(v);
      }
      throw GiveUp{"." + name + " of class " + o.name};
    }
    if (o.kind == Kind::Module) {
      std::string full = o.name + "." + name;
      if (known_callable(full)) return share(hidden_object(Kind::Builtin, full));
      // Any other member (os.environ, math.pi, random.shuffle) is an object the model does not
      // know: listed as unknown if it is kept, tainting its arguments if it is called.
      Obj member;
      member.kind = Kind::Opaque;
      member.type = "object";
      member.unknown = true;
      member.name = full;  // numpy.zeros and friends get a size model (call_numpy)
      return fresh(std::move(member));
    }
    throw GiveUp{"attribute ." + name + " of a " + o.type + " is not modelled"};
  }

  Id class_lookup(Id cls, const std::string& name) {
    for (int guard = 0; cls && guard < 50; ++guard) {
      for (auto& [n, id] : heap_[cls].attrs)
        if (n == name) return id;
      cls = heap_[cls].cls;
    }
    return 0;
  }

  Ref eval_subscript(TSNode node) {
    Ref obj = eval(field(node, "value"));
    TSNode sub = field(node, "subscript");
    if (type_of(sub) == "slice") return eval_slice(obj.get(), sub);
    Ref key = eval(sub);
    return get_item(obj.get(), key.get());
  }

  Ref get_item(Id obj_id, Id key_id) {
    if (vague(obj_id) || vague(key_id)) return opaque_from({obj_id, key_id});
    Obj& o = heap_[obj_id];
    if (o.kind == Kind::List || o.kind == Kind::Tuple) {
      int64_t i = index_of(obj_id, key_id, static_cast<int64_t>(o.items.size()));
      return share(heap_[obj_id].items[static_cast<size_t>(i)]);
    }
    if (o.kind == Kind::Dict) {
      auto i = dict_find(o, key_id);
      if (!i || !is_hashable_known(key_id)) throw GiveUp{"a dict key the model cannot find (KeyError)"};
      return share(o.values[*i]);
    }
    if (o.kind == Kind::Str && o.has_value) {
      int64_t i = index_of(obj_id, key_id, o.len);
      return make_str(utf8_substr(o.text, i, 1));
    }
    if (o.kind == Kind::Array && o.typecode != 'f' && o.typecode != 'd') {
      index_of(obj_id, key_id, o.len);
      throw GiveUp{"array items are C values the model does not track"};
    }
    throw GiveUp{"indexing a " + o.type + " is not modelled"};
  }

  Ref eval_slice(Id obj, TSNode slice) {
    if (vague(obj)) return opaque_from({obj});
    std::optional<int64_t> parts[3];
    int part = 0;
    uint32_t count = ts_node_child_count(slice);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode c = ts_node_child(slice, i);
      if (!ts_node_is_named(c)) {
        if (text_of(c, src_) == ":") ++part;
        continue;
      }
      if (part > 2) throw GiveUp{"a slice"};
      Ref v = eval(c);
      Obj& vo = heap_[v.get()];
      if (vo.kind == Kind::None) continue;
      if (vo.kind != Kind::Int || !vo.has_value) throw GiveUp{"a slice bound the model does not know"};
      parts[part] = vo.ival;
    }
    if (parts[2] && *parts[2] != 1) throw GiveUp{"slices with a step are not modelled"};
    Obj& o = heap_[obj];
    int64_t n = o.kind == Kind::Str ? o.len : static_cast<int64_t>(o.items.size());
    auto clamp = [&](std::optional<int64_t> v, int64_t dflt) {
      if (!v) return dflt;
      int64_t x = *v < 0 ? *v + n : *v;
      return std::clamp<int64_t>(x, 0, n);
    };
    int64_t lo = clamp(parts[0], 0), hi = clamp(parts[1], n);
    if (hi < lo) hi = lo;
    if (o.kind == Kind::List) {
      std::vector<Ref> items;
      for (int64_t i = lo; i < hi; ++i) items.push_back(share(o.items[static_cast<size_t>(i)]));
      int64_t len = static_cast<int64_t>(items.size());
      return make_list(std::move(items), len);
    }
    if (o.kind == Kind::Tuple) {
      if (lo == 0 && hi == n) return share(obj);
      std::vector<Ref> items;
      for (int64_t i = lo; i < hi; ++i) items.push_back(share(o.items[static_cast<size_t>(i)]));
      return make_tuple(std::move(items));
    }
    if (o.kind == Kind::Str && o.has_value) {
      if (lo == 0 && hi == n) return share(obj);  // s[:] is s
      return make_str(utf8_substr(o.text, lo, hi - lo));
    }
    throw GiveUp{"slicing a " + o.type + " is not modelled"};
  }

  // Comprehensions run in their own scope (a function in 3.11, inlined with saved names in
  // 3.12+): after the statement the difference does not show.
  // A sink takes each item a generator expression yields; false stops it (all(), any()).
  using Sink = std::function<bool(Ref)>;

  // A comprehension, or a generator expression consumed at once: into a list grown by appends
  // (what list(), sorted() and tuple() see), or item by item into `sink`.
  Ref eval_comprehension(TSNode node, const Sink* sink = nullptr) {
    auto ty = type_of(node);
    Ref result;
    if (sink) {
    } else if (ty == "list_comprehension" || ty == "generator_expression") result = make_list({}, 0);
    else if (ty == "set_comprehension") result = new_set();
    else {
      Obj d;
      d.kind = Kind::Dict;
      d.type = "dict";
      result = fresh(std::move(d));
    }
    std::vector<TSNode> clauses;
    for (TSNode c : kids(node)) {
      auto ct = type_of(c);
      if (ct == "for_in_clause" || ct == "if_clause") clauses.push_back(c);
    }
    if (clauses.empty() || type_of(clauses[0]) != "for_in_clause") throw GiveUp{"a comprehension"};
    frame().comp.emplace_back();
    struct Pop {
      Interp* in;
      ~Pop() {
        auto vars = std::move(in->frame().comp.back());
        in->frame().comp.pop_back();
        for (auto& [n, id] : vars) in->decref(id);
      }
    } pop{this};
    run_clauses(node, clauses, 0, result.get(), sink);
    return result;
  }

  bool run_clauses(TSNode node, const std::vector<TSNode>& clauses, size_t i, Id result, const Sink* sink) {
    DepthGuard guard(depth_);
    if (i == clauses.size()) {
      step(node);
      if (sink) return (*sink)(eval(field(node, "body")));
      Obj& r = heap_[result];
      if (r.kind == Kind::Dict) {
        TSNode pair = field(node, "body");
        Ref k = eval(field(pair, "key"));
        Ref v = eval(field(pair, "value"));
        dict_set(result, std::move(k), std::move(v));
      } else if (r.kind == Kind::Set) {
        set_add(result, eval(field(node, "body")));
      } else {
        Ref v = eval(field(node, "body"));
        list_append(result, std::move(v));
      }
      return true;
    }
    TSNode c = clauses[i];
    if (type_of(c) == "if_clause") {
      bool t;
      {
        Ref cond = eval(ts_node_named_child(c, 0));
        t = truth(cond.get());
      }
      return t ? run_clauses(node, clauses, i + 1, result, sink) : true;
    }
    Ref seq;
    {
      // The first iterable is evaluated in the enclosing scope, later ones inside.
      seq = eval(field(c, "right"));
    }
    Ref iter = make_iter(seq.get());
    seq.reset();
    while (true) {
      step(c);
      Ref item = iter_next(iter.get());
      if (!item) break;
      comp_assign(field(c, "left"), std::move(item));
      if (!run_clauses(node, clauses, i + 1, result, sink)) return false;
    }
    return true;
  }

  // f(x for x in xs) where f is a builtin that consumes it at once. all() and any() stop at
  // the first item that decides; the others see the items as a list grown by appends (as
  // list(generator) builds it). 0: not such a call.
  Ref call_with_generator(TSNode fn, TSNode gen) {
    if (type_of(fn) == "identifier") {
      std::string name(text_of(fn, src_));
      Id* s = slot(name, false);
      if (s && *s) return {};  // shadowed by a variable
      if (name == "all" || name == "any") {
        bool want = name == "any";
        bool found = false;
        Sink sink = [&](Ref v) {
          if (truth(v.get()) == want) found = true;
          return !found;
        };
        eval_comprehension(gen, &sink);
        return make_bool(want ? found : !found);
      }
      static constexpr const char* kConsumers[] = {"sum", "min", "max", "list", "tuple", "set", "sorted"};
      bool consumer = false;
      for (const char* k : kConsumers) consumer |= name == k;
      if (!consumer) return {};
      Ref items = eval_comprehension(gen);
      if (name == "list") return items;
      if (name == "sorted") {
        sort_items(items.get(), false);
        return items;
      }
      Args args;
      args.positional.push_back(std::move(items));
      return call_builtin(name, std::move(args), gen);
    }
    if (type_of(fn) == "attribute" && text_of(field(fn, "attribute"), src_) == "join") {
      Ref obj = eval(field(fn, "object"));
      if (heap_[obj.get()].kind != Kind::Str) return {};
      Ref items = eval_comprehension(gen);
      Args args;
      args.positional.push_back(std::move(items));
      return call_method(obj.get(), "join", std::move(args), gen);
    }
    return {};
  }

  void comp_assign(TSNode target, Ref value) {
    DepthGuard guard(depth_);
    if (type_of(target) == "identifier") {
      auto& scope = frame().comp.back();
      std::string_view name = text_of(target, src_);
      Id v = value.release();
      if (Id* s = find_var(scope, name)) {
        Id old = *s;
        *s = v;
        decref(old);
      } else {
        scope.emplace_back(std::string(name), v);
      }
      return;
    }
    if (type_of(target) == "pattern_list" || type_of(target) == "tuple_pattern") {
      auto targets = kids(target);
      Obj& v = heap_[value.get()];
      if (vague(value.get()) || (v.kind != Kind::Tuple && v.kind != Kind::List) || v.items.size() != targets.size())
        throw GiveUp{"unpacking in a comprehension"};
      std::vector<Ref> items;
      for (Id item : v.items) items.push_back(share(item));
      value.reset();
      for (size_t i = 0; i < targets.size(); ++i) comp_assign(targets[i], std::move(items[i]));
      return;
    }
    throw GiveUp{"a comprehension target"};
  }

  void list_append(Id list, Ref value) {
    Obj& l = heap_[list];
    if (static_cast<int64_t>(l.items.size()) >= kMaxSlots) throw GiveUp{"a list too big for the model"};
    int64_t n = static_cast<int64_t>(l.items.size());
    Id v = value.release();
    note_cycle(list, v, cur_stmt_node());
    list_set_cap(list, n, n + 1);
    heap_[list].items.push_back(v);
  }

  // list.extend / +=: from a list or tuple one resize to the sum; on an empty list (no slots)
  // an exact preallocation; from other iterables with a length, the same with that length.
  void list_extend(Id list, Id src, TSNode) {
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

  // ================= calls =================
  struct Args {
    std::vector<Ref> positional;
    std::vector<std::pair<std::string, Ref>> keywords;
  };

  Args eval_args(TSNode arglist) {
    Args args;
    if (type_of(arglist) == "generator_expression") throw GiveUp{"generator expressions are not modelled"};
    for (TSNode a : kids(arglist)) {
      auto ty = type_of(a);
      if (ty == "keyword_argument")
        args.keywords.emplace_back(std::string(text_of(field(a, "name"), src_)), eval(field(a, "value")));
      else if (ty == "list_splat" || ty == "dictionary_splat") throw GiveUp{"*args in a call are not modelled"};
      else if (ty == "comment") continue;
      else args.positional.push_back(eval(a));
    }
    return args;
  }

  Ref eval_call(TSNode node) {
    TSNode fn = field(node, "function");
    TSNode arglist = field(node, "arguments");
    if (type_of(arglist) == "generator_expression")
      if (Ref r = call_with_generator(fn, arglist)) return r;
    if (type_of(fn) == "attribute") {
      Ref obj = eval(field(fn, "object"));
      std::string name(text_of(field(fn, "attribute"), src_));
      Obj& o = heap_[obj.get()];
      if (o.kind == Kind::Instance) {
        Id method = 0;
        for (auto& [n, id] : o.attrs)
          if (n == name) method = id;
        if (!method) method = class_lookup(o.cls, name);
        if (!method) throw GiveUp{"." + name + "() is not defined on " + o.type + " (AttributeError)"};
        Ref m = share(method);
        Args args = eval_args(arglist);
        if (heap_[method].kind == Kind::Function && !has_attr(o, name)) {
          args.positional.insert(args.positional.begin(), std::move(obj));
        }
        return call(m.get(), std::move(args), node);
      }
      if (o.kind == Kind::Module || o.kind == Kind::Class) {
        Ref callee = get_attr(obj.get(), name);
        obj.reset();
        Args args = eval_args(arglist);
        return call(callee.get(), std::move(args), node);
      }
      Args args = eval_args(arglist);
      return call_method(obj.get(), name, std::move(args), node);
    }
    Ref callee = eval(fn);
    Args args = eval_args(arglist);
    return call(callee.get(), std::move(args), node);
  }

  static bool has_attr(const Obj& o, const std::string& name) {
    for (auto& [n, id] : o.attrs)
      if (n == name) return true;
    return false;
  }

  Ref call(Id callee, Args args, TSNode node) {
    Obj& f = heap_[callee];
    if (f.runs_user_code) throw GiveUp{"calling a decorated function runs code the model does not follow"};
    if (f.kind == Kind::Builtin && is_reflective(f.name)) throw GiveUp{f.name + "() reads or changes names the model follows"};
    if (!f.name.empty() && f.name[0] == '@') throw GiveUp{"calling a " + f.type + " is not modelled"};
    if (f.kind == Kind::Function) return call_function(callee, std::move(args), node);
    if (f.kind == Kind::Class) return instantiate(callee, std::move(args), node);
    if (f.kind == Kind::Builtin && !f.unknown) return call_builtin(f.name, std::move(args), node);
    if (f.kind == Kind::Opaque && f.name.rfind("numpy.", 0) == 0) note_numpy(f.name, args);
    if (runs_main_module(f.name)) throw GiveUp{f.name + "() runs the module's own code"};
    if (f.unknown || f.kind == Kind::Builtin || f.kind == Kind::Opaque) {
      // An unknown callee may keep or change what it is given: those objects become unknown.
      check_unknown_call(args);
      for (auto& a : args.positional) taint(a.get());
      for (auto& [n, a] : args.keywords) taint(a.get());
      Obj o;
      o.kind = Kind::Opaque;
      o.type = "object";
      o.unknown = true;
      return fresh(std::move(o));
    }
    throw GiveUp{"calling a " + f.type};
  }

  // numpy.zeros/ones/empty/full(shape, dtype=…): one block of C values, dtype size × items
  // (MM18). The ndarray object stays unknown in snapshots (its header size depends on numpy's
  // version, which is not installed here to check); the hint gives the data block's size.
  void note_numpy(const std::string& name, const Args& args) {
    if (name != "numpy.zeros" && name != "numpy.ones" && name != "numpy.empty" && name != "numpy.full") return;
    if (args.positional.empty() || stopping_ || !track_ || active_.empty()) return;
    const Obj& shape = heap_[args.positional[0].get()];
    double items = 1;
    if (shape.kind == Kind::Int && shape.has_value) items = static_cast<double>(shape.ival);
    else if (shape.kind == Kind::Tuple) {
      for (Id d : shape.items) {
        if (heap_[d].kind != Kind::Int || !heap_[d].has_value) return;
        items *= static_cast<double>(heap_[d].ival);
      }
    } else {
      return;
    }
    std::string dtype = "float64";
    for (const auto& [k, v] : args.keywords) {
      if (k != "dtype") continue;
      const Obj& d = heap_[v.get()];
      if (d.kind == Kind::Str && d.has_value) dtype = d.text;
      else if (d.name.rfind("numpy.", 0) == 0) dtype = d.name.substr(6);
      else return;
    }
    int width = 0;
    if (dtype == "int8" || dtype == "uint8" || dtype == "bool" || dtype == "bool_") width = 1;
    else if (dtype == "int16" || dtype == "uint16" || dtype == "float16") width = 2;
    else if (dtype == "int32" || dtype == "uint32" || dtype == "float32") width = 4;
    else if (dtype == "int64" || dtype == "uint64" || dtype == "float64" || dtype == "complex64" ||
             dtype == "float" || dtype == "int")
      width = 8;
    else if (dtype == "complex128") width = 16;
    if (!width || items < 0) return;
    int64_t bytes = static_cast<int64_t>(items) * width;
    auto& ev = result_.lines[active_.back().line];
    if (ev.size_labels.size() < 2 && bytes >= kBigObject)
      ev.size_labels.push_back("ndarray data " + human_size(bytes) + " (" + dtype + ")");
  }

  // An unknown callee can raise (and jump to an enclosing except clause) or call user code it
  // is given (a function, a method through an instance, a class): neither can be followed.
  void check_unknown_call(const Args& args) {
    if (handlers_ > 0) throw GiveUp{"a call the model does not know, inside try … except"};
    auto check = [&](Id id) {
      Kind k = heap_[id].kind;
      if (k == Kind::Function || k == Kind::Instance || k == Kind::Class)
        throw GiveUp{"user code passed to a function the model does not know"};
    };
    for (auto& a : args.positional) check(a.get());
    for (auto& [n, a] : args.keywords) check(a.get());
  }

  Ref call_function(Id fn_id, Args args, TSNode) {
    if (frames_.size() >= static_cast<size_t>(kMaxFrames)) throw GiveUp{"recursion deeper than the model follows"};
    TSNode def = heap_[fn_id].def;
    const ScopeInfo& info = scope_of(def);
    if (info.unsupported) throw GiveUp{"a function with " + info.unsupported_reason};
    // The caller holds the function object while the call runs (measured: one reference per
    // active call, whether the stack or the frame holds it).
    auto fr = new_frame();
    fr->scope = &info;
    fr->func = fn_id;
    std::vector<std::pair<std::string, Ref>> bound = bind_arguments(fn_id, info, std::move(args));
    frames_.push_back(std::move(fr));
    Frame& f = frame();
    // Cells first (MAKE_CELL), so a parameter captured by a closure lives in its cell.
    for (const auto& cv : info.cellvars) {
      Obj cell;
      cell.kind = Kind::Cell;
      cell.type = "cell";
      Id id = fresh(std::move(cell)).release();
      *frame_add(f, cv) = id;
    }
    for (auto& [name, value] : bound) store_name(name, std::move(value));
    Ref ret;
    {
      struct PopFrame {
        Interp* in;
        bool armed = true;
        ~PopFrame() {
          if (!armed) return;
          std::unique_ptr<Frame> dead = std::move(in->frames_.back());
          in->frames_.pop_back();
          if (std::uncaught_exceptions() > 0) return;  // the model stopped: no bookkeeping
          // Locals are released in slot order when the frame is cleared; what that frees is
          // attributed to the frame's last statement (its return).
          in->return_attr_ = std::make_pair(dead->last_line, dead->last_first);
          in->return_serial_ = dead->serial;
          size_t mark = in->freed_.size();
          for (auto& [n, id] : dead->vars) in->decref(id);
          dead->vars.clear();
          in->return_attr_.reset();
          in->note_return_frees(*dead, mark);
        }
      } pop{this};
      if (type_of(def) == "lambda") {
        frame().ret = eval(field(def, "body"));
      } else {
        Flow flow = exec_block(field(def, "body"), 0);
        if (flow == Flow::Break || flow == Flow::Continue) throw GiveUp{"break outside a loop"};
        if (!frame().ret) frame().ret = make_none();
      }
      ret = std::move(frame().ret);
    }
    return ret;
  }

  // Binds a call's arguments to a function's parameters as CPython's initialize_locals does: the
  // frame takes over the caller's references (extra positionals into the *args tuple, unknown
  // keywords into the **kwargs dict); a missing one comes from __defaults__/__kwdefaults__.
  std::vector<std::pair<std::string, Ref>> bind_arguments(Id fn_id, const ScopeInfo& info, Args args) {
    const auto& params = info.params;
    std::vector<Ref> values(params.size());
    size_t next_pos = 0;
    std::vector<Ref> extra;
    for (auto& a : args.positional) {
      while (next_pos < params.size() && (params[next_pos].kind != Param::Plain || params[next_pos].keyword_only)) {
        if (params[next_pos].kind == Param::VarArgs) break;
        ++next_pos;
      }
      if (next_pos < params.size() && params[next_pos].kind == Param::Plain && !params[next_pos].keyword_only)
        values[next_pos++] = std::move(a);
      else extra.push_back(std::move(a));
    }
    size_t varargs = params.size(), varkw = params.size();
    for (size_t i = 0; i < params.size(); ++i) {
      if (params[i].kind == Param::VarArgs) varargs = i;
      if (params[i].kind == Param::VarKeywords) varkw = i;
    }
    if (!extra.empty() && varargs == params.size()) throw GiveUp{"too many arguments (TypeError)"};
    std::vector<std::pair<std::string, Ref>> kwextra;
    for (auto& [k, v] : args.keywords) {
      size_t i = 0;
      for (; i < params.size(); ++i)
        if (params[i].kind == Param::Plain && !params[i].positional_only && params[i].name == k) break;
      if (i < params.size()) {
        if (values[i]) throw GiveUp{"multiple values for argument `" + k + "` (TypeError)"};
        values[i] = std::move(v);
      } else if (varkw < params.size()) {
        kwextra.emplace_back(k, std::move(v));
      } else {
        throw GiveUp{"unexpected keyword argument `" + k + "` (TypeError)"};
      }
    }
    // Positional defaults align with the last positional parameters that have one.
    const Obj& fn = heap_[fn_id];
    size_t n_pos_defaults = 0;
    for (const auto& p : params)
      if (p.kind == Param::Plain && !p.keyword_only && !ts_node_is_null(p.value)) ++n_pos_defaults;
    size_t default_index = 0;
    for (size_t i = 0; i < params.size(); ++i) {
      const Param& p = params[i];
      if (p.kind == Param::VarArgs) {
        values[i] = make_tuple(std::move(extra));
        continue;
      }
      if (p.kind == Param::VarKeywords) {
        Obj d;
        d.kind = Kind::Dict;
        d.type = "dict";
        values[i] = fresh(std::move(d));
        for (auto& [k, v] : kwextra) dict_set(values[i].get(), make_str(k, true), std::move(v));
        continue;
      }
      bool has_default = !ts_node_is_null(p.value);
      if (!values[i] && has_default) {
        if (p.keyword_only) {
          if (!fn.kwdefaults) throw GiveUp{"a keyword-only default the model lost"};
          Id key = make_str(p.name, true).get();
          auto at = dict_find(heap_[fn.kwdefaults], key);
          if (!at) throw GiveUp{"a keyword-only default the model lost"};
          values[i] = share(heap_[fn.kwdefaults].values[*at]);
        } else {
          if (!fn.defaults || default_index >= heap_[fn.defaults].items.size()) throw GiveUp{"a default the model lost"};
          values[i] = share(heap_[fn.defaults].items[default_index]);
        }
      }
      if (has_default && !p.keyword_only) ++default_index;
      if (!values[i]) throw GiveUp{"missing argument `" + p.name + "` (TypeError)"};
    }
    (void)n_pos_defaults;
    std::vector<std::pair<std::string, Ref>> bound;
    for (size_t i = 0; i < params.size(); ++i) bound.emplace_back(params[i].name, std::move(values[i]));
    return bound;
  }

  Ref instantiate(Id cls, Args args, TSNode node) {
    Obj& c = heap_[cls];
    if (c.has_slots) throw GiveUp{"class " + c.name + " defines special methods the model does not follow"};
    Obj inst;
    inst.kind = Kind::Instance;
    inst.type = c.name;
    inst.cls = cls;
    Ref self = fresh(std::move(inst));
    Id init = class_lookup(cls, "__init__");
    if (init) {
      if (heap_[init].kind != Kind::Function) throw GiveUp{"an __init__ the model does not know"};
      // Calling a class is not a Python-to-Python call: the caller's stack keeps its
      // references to the arguments, and type_call packs them into an args tuple (and a kwargs
      // dict): two more references to each argument while __init__ runs (measured, 3.11–3.13).
      std::vector<Ref> held;
      for (auto& arg : args.positional) {
        held.push_back(share(arg.get()));
        held.push_back(share(arg.get()));
      }
      for (auto& [k, arg] : args.keywords) {
        held.push_back(share(arg.get()));
        held.push_back(share(arg.get()));
      }
      if (!args.keywords.empty()) {
        // With keywords, _PyStack_UnpackDict copies self and every argument into a new array.
        held.push_back(share(self.get()));
        for (auto& arg : args.positional) held.push_back(share(arg.get()));
        for (auto& [k, arg] : args.keywords) held.push_back(share(arg.get()));
      }
      args.positional.insert(args.positional.begin(), share(self.get()));
      Ref method = share(init);  // slot_tp_init looks __init__ up: a new reference for the call
      Ref r = call_function(init, std::move(args), node);
      if (heap_[r.get()].kind != Kind::None) throw GiveUp{"__init__ returned a value (TypeError)"};
    } else if (!args.positional.empty() || !args.keywords.empty()) {
      throw GiveUp{c.name + "() takes no arguments (TypeError)"};
    }
    return self;
  }

  Ref sequence_list(Id src, bool exact_from_len) {
    // list(x) and sorted(x): preallocated to len(x) when x has a length.
    Obj& s = heap_[src];
    std::vector<Ref> items;
    if (s.kind == Kind::List || s.kind == Kind::Tuple) {
      for (Id e : s.items) items.push_back(share(e));
    } else if (s.kind == Kind::Range || s.kind == Kind::Str || s.kind == Kind::Dict || s.kind == Kind::Set) {
      if (s.kind == Kind::Range && s.len > kMaxSlots) throw GiveUp{"a list too big for the model"};
      Ref iter = make_iter(src);
      while (Ref item = iter_next(iter.get())) items.push_back(std::move(item));
    } else {
      throw GiveUp{"list() of a " + s.type + " is not modelled"};
    }
    int64_t n = static_cast<int64_t>(items.size());
    (void)exact_from_len;
    return make_list(std::move(items), n ? list_exact_cap(n) : 0);
  }

  Ref call_builtin(const std::string& name, Args args, TSNode node) {
    auto& a = args.positional;
    if (any_vague(args) && name != "print") {
      taint_args(args);
      return opaque();
    }
    if (!args.keywords.empty() && name != "print" && name != "sorted")
      throw GiveUp{"keyword arguments to " + name + "() are not modelled"};
    auto need = [&](size_t n) {
      if (a.size() != n) throw GiveUp{name + "() with " + std::to_string(a.size()) + " arguments"};
    };
    if (name == "print") {
      for (auto& v : a) {
        Obj& o = heap_[v.get()];
        if (reaches_user_repr(v.get(), 0)) throw GiveUp{"printing calls a user __str__/__repr__"};
        // Printing a non-ASCII str may cache its UTF-8 form, which sys.getsizeof then counts.
        if (o.kind == Kind::Str && o.str_kind > 1) o.unknown = true;
      }
      return make_none();
    }
    if (name == "len") {
      need(1);
      Obj& o = heap_[a[0].get()];
      auto len = length_of(o);
      if (!len) throw GiveUp{"len() of a " + o.type};
      return make_int(*len);
    }
    if (name == "range") {
      if (a.empty() || a.size() > 3) throw GiveUp{"range() arguments"};
      int64_t v[3] = {0, 0, 1};
      for (size_t i = 0; i < a.size(); ++i) {
        Obj& o = heap_[a[i].get()];
        if (o.kind != Kind::Int || !o.has_value) throw GiveUp{"a range bound the model does not know"};
        v[i] = o.ival;
      }
      int64_t start = a.size() == 1 ? 0 : v[0], stop = a.size() == 1 ? v[0] : v[1], stepv = a.size() == 3 ? v[2] : 1;
      if (stepv == 0) throw GiveUp{"range() step 0 (ValueError)"};
      // Unsigned arithmetic: range(-2**63, 2**63 - 1) must not overflow.
      bool up = stepv > 0;
      bool nonempty = up ? stop > start : start > stop;
      uint64_t span = up ? static_cast<uint64_t>(stop) - static_cast<uint64_t>(start)
                         : static_cast<uint64_t>(start) - static_cast<uint64_t>(stop);
      uint64_t mag = up ? static_cast<uint64_t>(stepv) : 0 - static_cast<uint64_t>(stepv);
      uint64_t len64 = nonempty ? (span - 1) / mag + 1 : 0;
      if (len64 > static_cast<uint64_t>(INT64_MAX)) throw GiveUp{"a range longer than the model follows"};
      int64_t len = static_cast<int64_t>(len64);
      Obj r;
      r.kind = Kind::Range;
      r.type = "range";
      r.range_start = start;
      r.range_step = stepv;
      r.len = len;
      return fresh(std::move(r));
    }
    if (name == "list") {
      if (a.empty()) return make_list({}, 0);
      need(1);
      return sequence_list(a[0].get(), true);
    }
    if (name == "sorted") {
      need(1);
      if (!args.keywords.empty()) throw GiveUp{"sorted() with a key is not modelled"};
      if (heap_[a[0].get()].kind == Kind::Set) {
        // Sorting makes the set's hash order irrelevant (its items are distinct).
        std::vector<Ref> items;
        for (Id e : heap_[a[0].get()].items) items.push_back(share(e));
        int64_t n = static_cast<int64_t>(items.size());
        Ref l = make_list(std::move(items), n ? list_exact_cap(n) : 0);
        sort_items(l.get(), false);
        return l;
      }
      Ref l = sequence_list(a[0].get(), true);
      sort_items(l.get(), false);
      return l;
    }
    if (name == "tuple") {
      if (a.empty()) return make_tuple({});
      need(1);
      Obj& s = heap_[a[0].get()];
      if (s.kind == Kind::Tuple) return share(a[0].get());
      Ref l = sequence_list(a[0].get(), true);
      std::vector<Ref> items;
      for (Id e : heap_[l.get()].items) items.push_back(share(e));
      return make_tuple(std::move(items));
    }
    if (name == "dict") {
      if (!a.empty()) throw GiveUp{"dict() from an argument is not modelled"};
      Obj d;
      d.kind = Kind::Dict;
      d.type = "dict";
      return fresh(std::move(d));
    }
    if (name == "set") {
      Ref s = new_set();
      if (a.empty()) return s;
      need(1);
      Obj& src = heap_[a[0].get()];
      if (src.kind == Kind::Set || src.kind == Kind::Dict) throw GiveUp{"set() of a set or dict is not modelled"};
      Ref l = sequence_list(a[0].get(), true);
      for (Id e : std::vector<Id>(heap_[l.get()].items)) set_add(s.get(), share(e));
      return s;
    }
    if (name == "str") {
      if (a.empty()) return make_str("");
      need(1);
      return to_str(a[0].get());
    }
    if (name == "int") {
      need(1);
      Obj& o = heap_[a[0].get()];
      if (o.kind == Kind::Int) return share(a[0].get());
      if (o.kind == Kind::Float) return make_int(static_cast<int64_t>(o.fval));
      if (o.kind == Kind::Str && o.has_value) {
        try {
          size_t used = 0;
          long long v = std::stoll(o.text, &used);
          if (used == o.text.size()) return make_int(v);
        } catch (...) {
        }
      }
      throw GiveUp{"int() of a " + o.type};
    }
    if (name == "float") {
      need(1);
      Obj& o = heap_[a[0].get()];
      if (numeric(o)) return make_float(num(o));
      throw GiveUp{"float() of a " + o.type};
    }
    if (name == "bool") {
      need(1);
      return make_bool(truth(a[0].get()));
    }
    if (name == "bytes" || name == "bytearray") {
      std::string value;
      if (!a.empty()) {
        need(1);
        Obj& o = heap_[a[0].get()];
        if (o.kind == Kind::Int && o.has_value) {
          if (o.ival < 0 || o.ival > kMaxSlots) throw GiveUp{name + "() size"};
          value.assign(static_cast<size_t>(o.ival), '\0');
        } else if (o.kind == Kind::Bytes && o.has_value) {
          value = o.text;
        } else {
          throw GiveUp{name + "() of a " + o.type};
        }
      }
      if (name == "bytes") return make_bytes(std::move(value));
      Obj b;
      b.kind = Kind::Bytearray;
      b.type = "bytearray";
      b.len = static_cast<int64_t>(value.size());
      b.cap = b.len ? b.len + 1 : 0;
      b.text = std::move(value);
      b.has_value = true;
      return fresh(std::move(b));
    }
    if ((name == "min" || name == "max") && a.size() >= 2) {
      // max(a, b, …): the first of the largest, compared as numbers.
      Id best = 0;
      for (auto& v : a) {
        const Obj& o = heap_[v.get()];
        if (!numeric(o)) throw GiveUp{name + "() over values the model does not know how to order"};
        if (!best || (name == "min" ? num(o) < num(heap_[best]) : num(o) > num(heap_[best]))) best = v.get();
      }
      return share(best);
    }
    if (name == "sum" || name == "min" || name == "max") {
      need(1);
      Obj& s = heap_[a[0].get()];
      if (s.kind == Kind::Range && name == "sum") {
        if (s.len > kMaxSlots) throw GiveUp{"sum() of a range too long for the model"};
        charge(s.len);
        int64_t total = 0;
        for (int64_t i = 0; i < s.len; ++i) {
          int64_t term = 0;
          if (__builtin_mul_overflow(s.range_step, i, &term) || __builtin_add_overflow(term, s.range_start, &term) ||
              __builtin_add_overflow(total, term, &total))
            throw GiveUp{"an int beyond 64 bits"};
        }
        return make_int(total);
      }
      if (s.kind != Kind::List && s.kind != Kind::Tuple) throw GiveUp{name + "() of a " + s.type};
      if (s.items.empty() && name != "sum") throw GiveUp{name + "() of an empty sequence (ValueError)"};
      int64_t acc = name == "sum" ? 0 : 0;
      bool first = true;
      Id best = 0;
      for (Id e : s.items) {
        Obj& o = heap_[e];
        if (o.kind != Kind::Int || !o.has_value) throw GiveUp{name + "() over values the model does not know"};
        if (name == "sum") {
          if (__builtin_add_overflow(acc, o.ival, &acc)) throw GiveUp{"an int beyond 64 bits"};
        } else if (first || (name == "min" ? o.ival < heap_[best].ival : o.ival > heap_[best].ival)) {
          best = e;
          first = false;
        }
      }
      if (name == "sum") return make_int(acc);
      return share(best);
    }
    if (name == "abs") {
      need(1);
      Obj& o = heap_[a[0].get()];
      if (o.kind == Kind::Int && o.has_value) return o.ival >= 0 ? share(a[0].get()) : make_int(-o.ival);
      throw GiveUp{"abs() of a " + o.type};
    }
    if (name == "isinstance") {
      need(2);
      Obj& cls = heap_[a[1].get()];
      Obj& o = heap_[a[0].get()];
      if (cls.kind == Kind::Class) {
        bool r = false;
        for (Id c = o.kind == Kind::Instance ? o.cls : 0; c; c = heap_[c].cls)
          if (c == a[1].get()) r = true;
        return make_bool(r);
      }
      if (cls.kind == Kind::Builtin) return make_bool(o.type == cls.name);
      throw GiveUp{"isinstance() with this class"};
    }
    if (name == "id") {
      need(1);
      Obj o;
      o.kind = Kind::Int;
      o.type = "int";
      o.unknown = true;  // an address: its value (and size) are not known
      return fresh(std::move(o));
    }
    if (name == "enumerate" || name == "zip") {
      if (a.empty() || (name == "enumerate" && a.size() != 1)) throw GiveUp{name + "() arguments"};
      Obj it;
      it.kind = Kind::Iterator;
      it.type = name;
      std::vector<Ref> inner;
      for (auto& arg : a) inner.push_back(make_iter(arg.get()));
      for (auto& r : inner) it.items.push_back(r.release());
      Ref self = fresh(std::move(it));
      heap_[self.get()].values.push_back(none_pair(name == "zip" ? a.size() : 2).release());
      return self;
    }
    if (name == "repr") throw GiveUp{"repr() is not modelled"};
    if (name == "object") {
      throw GiveUp{"object() is not modelled"};
    }
    if (name == "sys.getsizeof") {
      need(1);
      Obj& o = heap_[a[0].get()];
      auto size = o.unknown ? std::nullopt : size_of(o, version_);
      if (!size || o.kind == Kind::Class) throw GiveUp{"sys.getsizeof() of an object the model cannot size"};
      int64_t extra = 0;
      return make_int(*size + extra);
    }
    if (name == "sys.getrefcount") {
      need(1);
      Obj& o = heap_[a[0].get()];
      if (o.constant || o.unknown) throw GiveUp{"sys.getrefcount() of a shared or unknown object"};
      // The argument itself is one of the references the model counts.
      return make_int(o.rc);
    }
    if (name == "gc.collect") {
      need(0);
      collect_garbage();
      Obj o;
      o.kind = Kind::Int;
      o.type = "int";
      o.unknown = true;  // CPython's count includes objects the model does not show
      return fresh(std::move(o));
    }
    if (name == "gc.disable") {
      gc_disabled_ = true;
      return make_none();
    }
    if (name == "gc.enable") {
      gc_disabled_ = false;
      return make_none();
    }
    if (name == "array.array") return make_array(std::move(args), node);
    throw GiveUp{name + "() is not modelled"};
  }

  Ref make_array(Args args, TSNode) {
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

  void check_numbers(const std::vector<Id>& items, char code) {
    for (Id e : items) {
      Obj& o = heap_[e];
      bool ok = (code == 'f' || code == 'd') ? numeric(o) : (o.kind == Kind::Int && o.has_value);
      if (!ok) throw GiveUp{"an array item the model cannot convert"};
    }
  }

  // Whether printing an object runs a user-defined __repr__/__str__ (bounded search).
  bool reaches_user_repr(Id id, int depth) {
    const Obj& o = heap_[id];
    if (o.kind == Kind::Instance) {
      for (Id c = o.cls; c; c = heap_[c].cls)
        if (heap_[c].has_repr) return true;
      return false;
    }
    if (o.kind != Kind::List && o.kind != Kind::Tuple && o.kind != Kind::Dict && o.kind != Kind::Set) return false;
    if (depth > 8) return true;
    bool found = false;
    for_each_child(o, [&](Id child) {
      if (!found) found = reaches_user_repr(child, depth + 1);
    });
    return found;
  }

  std::optional<int64_t> length_of(const Obj& o) {
    switch (o.kind) {
      case Kind::Str:
      case Kind::Bytes:
      case Kind::Bytearray:
      case Kind::Array:
      case Kind::Range: return o.len;
      case Kind::List:
      case Kind::Tuple:
      case Kind::Dict:
      case Kind::Set: return static_cast<int64_t>(o.items.size());
      default: return std::nullopt;
    }
  }

  void sort_items(Id list, bool reverse) {
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

  bool any_vague(const Args& args) const {
    for (auto& v : args.positional)
      if (vague(v.get())) return true;
    for (auto& [k, v] : args.keywords)
      if (vague(v.get())) return true;
    return false;
  }
  void taint_args(const Args& args) {
    for (auto& v : args.positional) taint(v.get());
    for (auto& [k, v] : args.keywords) taint(v.get());
  }

  Ref call_method(Id obj, const std::string& name, Args args, TSNode node) {
    Obj& o = heap_[obj];
    auto& a = args.positional;
    // A vague argument may only be stored (list.append, list.insert's item); any other method
    // would read it.
    bool stores_only = o.kind == Kind::List && !vague(obj) &&
                       ((name == "append" && a.size() == 1) || (name == "insert" && a.size() == 2 && !vague(a[0].get())));
    if (!stores_only && any_vague(args)) {
      taint(obj);
      taint_args(args);
      return opaque();
    }
    if (o.unknown) {
      check_unknown_call(args);
      taint(obj);
      taint_args(args);
      Obj r;
      r.kind = Kind::Opaque;
      r.type = "object";
      r.unknown = true;
      return fresh(std::move(r));
    }
    if (!args.keywords.empty() && !(o.kind == Kind::List && name == "sort"))
      throw GiveUp{"keyword arguments to ." + name + "()"};
    auto need = [&](size_t n) {
      if (a.size() != n) throw GiveUp{"." + name + "() with " + std::to_string(a.size()) + " arguments"};
    };
    if (o.kind == Kind::List) {
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
    }
    if (o.kind == Kind::Dict) {
      if (name == "get") {
        if (a.empty() || a.size() > 2) throw GiveUp{".get() arguments"};
        if (!is_hashable_known(a[0].get())) throw GiveUp{"a dict key the model cannot hash"};
        if (auto i = dict_find(o, a[0].get())) return share(o.values[*i]);
        return a.size() == 2 ? std::move(a[1]) : make_none();
      }
      if (name == "pop") {
        if (a.empty() || a.size() > 2) throw GiveUp{".pop() arguments"};
        if (!is_hashable_known(a[0].get())) throw GiveUp{"a dict key the model cannot hash"};
        if (auto i = dict_find(o, a[0].get())) {
          Id k = o.items[*i], v = o.values[*i];
          o.items.erase(o.items.begin() + static_cast<long>(*i));
          o.values.erase(o.values.begin() + static_cast<long>(*i));
          decref(k);
          return Ref(this, v);
        }
        if (a.size() == 2) return std::move(a[1]);
        throw GiveUp{"pop of a missing key (KeyError)"};
      }
      if (name == "clear") {
        need(0);
        auto keys = std::move(o.items);
        auto values = std::move(o.values);
        o.items.clear();
        o.values.clear();
        o.dk_log2 = 0;
        for (size_t i = 0; i < keys.size(); ++i) {
          decref(keys[i]);
          decref(values[i]);
        }
        return make_none();
      }
      if (name == "items" || name == "keys" || name == "values") {
        need(0);
        Obj view;
        view.kind = Kind::View;
        view.type = "dict_" + name;
        incref(obj);
        view.target = obj;
        return fresh(std::move(view));
      }
      if (name == "setdefault") {
        if (a.empty() || a.size() > 2) throw GiveUp{".setdefault() arguments"};
        if (!is_hashable_known(a[0].get())) throw GiveUp{"a dict key the model cannot hash"};
        if (auto i = dict_find(o, a[0].get())) return share(o.values[*i]);
        Ref v = a.size() == 2 ? std::move(a[1]) : make_none();
        Id vid = v.get();
        dict_set(obj, std::move(a[0]), share(vid));
        return v;
      }
    }
    if (o.kind == Kind::Set) {
      if (name == "add") {
        need(1);
        set_add(obj, std::move(a[0]));
        return make_none();
      }
      if (name == "discard" || name == "remove") {
        need(1);
        if (!is_hashable_known(a[0].get())) throw GiveUp{"a set item the model cannot hash"};
        for (size_t i = 0; i < o.items.size(); ++i)
          if (equal_keys(o.items[i], a[0].get())) {
            Id v = o.items[i];
            o.items.erase(o.items.begin() + static_cast<long>(i));
            // A dummy slot is reused or not depending on hashes: later sizes are unknown.
            o.size_unknown = true;
            decref(v);
            return make_none();
          }
        if (name == "remove") throw GiveUp{"remove of a missing item (KeyError)"};
        return make_none();
      }
    }
    if (o.kind == Kind::Str && o.has_value) {
      if (name == "upper" || name == "lower") {
        need(0);
        if (o.str_kind != 1) throw GiveUp{"case mapping of non-ASCII text"};
        std::string t = o.text;
        bool changed = false;
        for (auto& c : t) {
          char m = static_cast<char>(name == "upper" ? std::toupper(static_cast<unsigned char>(c)) : std::tolower(static_cast<unsigned char>(c)));
          changed |= m != c;
          c = m;
        }
        (void)changed;
        return make_str(std::move(t));
      }
      if (name == "replace") {
        need(2);
        const Obj& from = heap_[a[0].get()];
        const Obj& to = heap_[a[1].get()];
        if (from.kind != Kind::Str || to.kind != Kind::Str || !from.has_value || !to.has_value || from.text.empty())
          throw GiveUp{"replace() arguments the model does not follow"};
        // Nothing to replace, or a replacement by itself: CPython returns the same object.
        if (o.text.find(from.text) == std::string::npos || from.text == to.text) return share(obj);
        std::string out;
        for (size_t i = 0; i < o.text.size();) {
          if (o.text.compare(i, from.text.size(), from.text) == 0) {
            out += to.text;
            i += from.text.size();
          } else {
            out += o.text[i++];
          }
          if (out.size() > kMaxText) throw GiveUp{"a str too big for the model"};
        }
        return make_str(std::move(out));
      }
      if (name == "split") {
        if (a.size() > 1 || o.str_kind != 1) throw GiveUp{"split() with these arguments or non-ASCII text"};
        std::vector<std::string> parts;
        bool whole = false;  // the string itself is the only part: CPython reuses the object
        if (a.empty()) {
          static constexpr std::string_view kSpace = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f";
          size_t i = 0, n = o.text.size();
          while (i < n) {
            while (i < n && kSpace.find(o.text[i]) != std::string_view::npos) ++i;
            size_t j = i;
            while (j < n && kSpace.find(o.text[j]) == std::string_view::npos) ++j;
            if (j > i) parts.push_back(o.text.substr(i, j - i));
            i = j;
          }
          whole = parts.size() == 1 && parts[0].size() == n;
        } else {
          const Obj& sep = heap_[a[0].get()];
          if (sep.kind != Kind::Str || !sep.has_value || sep.text.empty()) throw GiveUp{"split() separator"};
          size_t i = 0;
          while (true) {
            size_t j = o.text.find(sep.text, i);
            if (j == std::string::npos) {
              parts.push_back(o.text.substr(i));
              break;
            }
            parts.push_back(o.text.substr(i, j - i));
            i = j + sep.text.size();
          }
          whole = parts.size() == 1;
        }
        if (parts.size() > static_cast<size_t>(kMaxSlots)) throw GiveUp{"a list too big for the model"};
        std::vector<Ref> items;
        if (whole) items.push_back(share(obj));
        else
          for (auto& part : parts) items.push_back(make_str(std::move(part)));
        int64_t n = static_cast<int64_t>(items.size());
        Ref list = make_list(std::move(items), n);
        // Preallocation for split differs between versions (12 slots in 3.11, trimmed in 3.12).
        heap_[list.get()].size_unknown = true;
        return list;
      }
      if (name == "strip" || name == "lstrip" || name == "rstrip") {
        if (!a.empty() || o.str_kind != 1) throw GiveUp{name + "() with arguments or non-ASCII text"};
        static constexpr std::string_view kSpace = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f";
        size_t lo = 0, hi = o.text.size();
        if (name != "rstrip")
          while (lo < hi && kSpace.find(o.text[lo]) != std::string_view::npos) ++lo;
        if (name != "lstrip")
          while (hi > lo && kSpace.find(o.text[hi - 1]) != std::string_view::npos) --hi;
        if (lo == 0 && hi == o.text.size()) return share(obj);  // nothing stripped: the same object
        return make_str(o.text.substr(lo, hi - lo));
      }
      if (name == "join") {
        need(1);
        Obj& seq = heap_[a[0].get()];
        if (seq.kind != Kind::List && seq.kind != Kind::Tuple) throw GiveUp{"join() of a " + seq.type};
        if (seq.items.size() == 1 && heap_[seq.items[0]].kind == Kind::Str) return share(seq.items[0]);
        std::string out;
        for (size_t i = 0; i < seq.items.size(); ++i) {
          Obj& e = heap_[seq.items[i]];
          if (e.kind != Kind::Str || !e.has_value) throw GiveUp{"join() of values the model does not know"};
          if (i) out += o.text;
          out += e.text;
          if (out.size() > kMaxText) throw GiveUp{"a str too big for the model"};
        }
        return make_str(std::move(out));
      }
    }
    if (o.kind == Kind::Bytearray) {
      if (name == "append") {
        need(1);
        o.cap = bytearray_resize_alloc(o.cap, o.len + 1);
        ++o.len;
        o.has_value = false;
        return make_none();
      }
      if (name == "extend") {
        need(1);
        Obj& s = heap_[a[0].get()];
        if (s.kind != Kind::Bytes && s.kind != Kind::Bytearray) throw GiveUp{"bytearray.extend() of a " + s.type};
        o.cap = bytearray_resize_alloc(o.cap, o.len + s.len);
        o.len += s.len;
        o.has_value = false;
        return make_none();
      }
    }
    if (o.kind == Kind::Array) {
      if (name == "append") {
        need(1);
        check_numbers({a[0].get()}, o.typecode);
        o.cap = array_resize_cap(o.cap, o.len, o.len + 1);
        ++o.len;
        return make_none();
      }
      if (name == "extend") {
        need(1);
        Obj& s = heap_[a[0].get()];
        if (s.kind == Kind::Array) {
          if (s.typecode != o.typecode) throw GiveUp{"extending an array with another typecode (TypeError)"};
          o.cap = array_resize_cap(o.cap, o.len, o.len + s.len);
          o.len += s.len;
          return make_none();
        }
        if (s.kind == Kind::List || s.kind == Kind::Tuple) {
          check_numbers(s.items, o.typecode);
          for (size_t i = 0; i < s.items.size(); ++i) {
            o.cap = array_resize_cap(o.cap, o.len, o.len + 1);
            ++o.len;
          }
          return make_none();
        }
        throw GiveUp{"array.extend() of a " + s.type};
      }
    }
    throw GiveUp{"." + name + "() on a " + o.type + " is not modelled"};
  }

  // ================= the cyclic GC =================
  // CPython's algorithm: subtract the references objects hold to each other; what is still
  // referenced from outside is reachable, and so is everything it reaches; the rest is garbage.
  std::vector<Id> find_garbage() {
    // Indexed by id (the heap is a few thousand objects, lists may hold millions of slots).
    constexpr int64_t kUntracked = INT64_MIN;
    std::vector<int64_t> gc_refs(heap_.size(), kUntracked);
    for (Id id = 1; id < heap_.size(); ++id) {
      const Obj& o = heap_[id];
      if (o.alive && !o.constant && !o.hidden) gc_refs[id] = o.rc;
    }
    for (Id id = 1; id < heap_.size(); ++id) {
      if (gc_refs[id] == kUntracked) continue;
      for_each_child(heap_[id], [&](Id child) {
        if (gc_refs[child] != kUntracked) --gc_refs[child];
      });
    }
    std::vector<char> reachable(heap_.size(), 0);
    std::vector<Id> work;
    for (Id id = 1; id < heap_.size(); ++id)
      if (gc_refs[id] != kUntracked && gc_refs[id] > 0) work.push_back(id);
    while (!work.empty()) {
      Id id = work.back();
      work.pop_back();
      if (reachable[id]) continue;
      reachable[id] = 1;
      for_each_child(heap_[id], [&](Id child) {
        if (gc_refs[child] != kUntracked && !reachable[child]) work.push_back(child);
      });
    }
    std::vector<Id> garbage;
    for (Id id = 1; id < heap_.size(); ++id)
      if (gc_refs[id] != kUntracked && !reachable[id]) garbage.push_back(id);
    return garbage;
  }

  void collect_garbage() {
    auto garbage = find_garbage();
    for (Id id : garbage)
      if (heap_[id].unknown) throw GiveUp{"collecting objects the model does not fully know"};
    // Clear the cycles' references (tp_clear), which frees them by reference counting.
    for (Id id : garbage) incref(id);
    for (Id id : garbage) {
      Obj& o = heap_[id];
      if (o.kind == Kind::Instance && o.cls && heap_[o.cls].has_del)
        throw GiveUp{"a __del__ method runs when the collector frees an instance"};
      std::vector<Id> children;
      for_each_child(o, [&](Id child) { children.push_back(child); });
      o.items.clear();
      o.values.clear();
      o.attrs.clear();
      o.cells.clear();
      o.defaults = o.kwdefaults = o.target = 0;
      for (Id c : children) decref(c);
    }
    for (Id id : garbage) decref(id);
    gc_allocs_ = 0;
  }

  // ================= what the user sees =================
  std::vector<std::string> names_of(Id id) {
    std::vector<std::string> names;
    Frame& f = frame();
    auto add = [&](const std::string& n) {
      if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
    };
    for (auto& scope : f.comp)
      for (auto& [n, v] : scope)
        if (v == id) add(n);
    if (f.scope) {
      for (auto& [n, v] : f.vars) {
        Id value = f.scope->cellvars.count(n) ? heap_[v].target : v;
        if (value == id) add(n);
      }
      if (f.func)
        for (auto& [n, cell] : heap_[f.func].cells)
          if (heap_[cell].target == id) add(n);
    } else if (f.is_class) {
      for (auto& [n, v] : f.vars)
        if (v == id) add(n);
    }
    for (auto& [n, v] : module().vars) {
      if (v != id) continue;
      bool shadowed = f.scope && (f.scope->locals.count(n) || f.scope->cellvars.count(n));
      if (!shadowed) add(n);
    }
    return names;
  }

  // "a", "b", "rows[0]", "node.next": who refers to an object, for hints and hovers.
  std::string describe_referrers(Id id, int64_t& listed) {
    std::vector<std::string> parts;
    for (const auto& n : names_of(id)) parts.push_back(n);
    // Only scan the heap when something other than names refers to the object.
    bool others = heap_[id].rc > static_cast<int64_t>(parts.size());
    for (Id other = 1; others && other < heap_.size() && parts.size() < 4; ++other) {
      const Obj& o = heap_[other];
      if (!o.alive || o.hidden || o.constant) continue;
      bool refers = false;
      for_each_child(o, [&](Id child) { refers |= child == id; });
      if (!refers) continue;  // labels are built only for the few objects that refer to it
      for_each_ref(o, [&](Id child, const std::string& via) {
        if (child != id || parts.size() >= 4) return;
        auto owner = names_of(other);
        if (o.kind == Kind::Cell) parts.push_back("a closure cell");
        else if (o.kind == Kind::Iterator) parts.push_back("the loop's iterator");
        else if (o.kind == Kind::Function && via == "__defaults__") parts.push_back("a default argument");
        else if (o.kind == Kind::Tuple && owner.empty()) parts.push_back("a tuple");
        else if (!owner.empty()) parts.push_back(owner[0] + (via.rfind("[key", 0) == 0 ? "[…]" : via));
        else parts.push_back("a " + o.type + (via.empty() ? "" : " " + via));
      });
    }
    listed = static_cast<int64_t>(parts.size());
    std::string out;
    for (size_t i = 0; i < parts.size() && i < 3; ++i) out += (i ? ", " : "") + parts[i];
    return out;
  }

  std::string facts(Id id) {
    Obj& o = heap_[id];
    std::string s = o.type;
    if (o.constant) s += o.immortal ? " (immortal: not counted)" : " (a shared constant: its count is not the program's)";
    else if (o.unknown) s += " (not fully known to the model)";
    else {
      // Names only: a scan of the heap for container referrers per name would cost O(heap).
      auto names = names_of(id);
      std::string who;
      for (size_t i = 0; i < names.size() && i < 3; ++i) who += (i ? ", " : "") + names[i];
      int64_t others = o.rc - static_cast<int64_t>(std::min<size_t>(names.size(), 3));
      if (others > 0) who += (who.empty() ? "" : ", ") + std::string("+") + std::to_string(others) + " more";
      s += ", refs " + std::to_string(o.rc) + (who.empty() ? "" : ": " + who);
    }
    if (auto len = length_of(o); len && o.kind != Kind::Range) s += ", len " + std::to_string(*len);
    if (o.kind == Kind::List && !o.size_unknown) s += ", capacity " + std::to_string(o.cap);
    if (auto size = size_of(o, version_); size && !o.unknown) s += ", " + std::to_string(*size) + " bytes (sys.getsizeof)";
    return s;
  }

  void record_line(TSNode stmt, const Active& act) {
    if (stopping_) return;
    auto& ev = result_.lines[act.line];
    // Reference counts that changed for objects that existed before the statement.
    for (auto& [id, before] : touched_) {
      Obj& o = heap_[id];
      if (!o.alive || o.constant || o.unknown || o.hidden || id >= id_mark_ || o.rc == before) continue;
      if (o.kind == Kind::Cell || o.kind == Kind::Iterator || o.kind == Kind::Class) continue;
      if (ev.ref_labels.size() >= 2) break;
      int64_t listed = 0;
      std::string who = describe_referrers(id, listed);
      if (who.empty() || names_of(id).empty()) continue;
      ev.ref_labels.push_back("refs " + std::to_string(o.rc) + ": " + who + (o.rc > 3 && listed > 3 ? ", …" : ""));
    }
    // Big objects made by this statement.
    for (Id id = id_mark_; id < heap_.size() && ev.size_labels.size() < 2; ++id) {
      Obj& o = heap_[id];
      if (!o.alive || o.constant || o.unknown) continue;
      auto size = size_of(o, version_);
      if (size && *size >= kBigObject) ev.size_labels.push_back(o.type + " " + human_size(*size));
    }
    // Hover facts for the names the statement mentions.
    int noted = 0;
    // Attribute and keyword names are not variables. Their parents are seen first (pre-order),
    // so they are marked then; ts_node_parent would walk down from the root for each name.
    std::vector<uint32_t> not_names;
    syntax::walk(stmt, [&](TSNode n) {
      auto ty = type_of(n);
      if (ty == "block" || ty == "lambda" || noted >= 12) return false;
      if (ty == "attribute") not_names.push_back(ts_node_start_byte(field(n, "attribute")));
      if (ty == "keyword_argument") not_names.push_back(ts_node_start_byte(field(n, "name")));
      if (ty != "identifier") return true;
      if (std::find(not_names.begin(), not_names.end(), ts_node_start_byte(n)) != not_names.end()) return true;
      Id* s = slot(text_of(n, src_), false);
      if (!s || !*s || heap_[*s].hidden) return true;
      ev.name_notes.emplace_back(n, "`" + std::string(text_of(n, src_)) + "` → " + facts(*s));
      ++noted;
      return true;
    });
    // What the statement freed.
    std::string freed;
    int64_t total = 0;
    bool known = true;
    size_t count = 0;
    for (size_t i = act.freed_mark; i < freed_.size(); ++i) {
      ++count;
      if (freed_[i].size) total += *freed_[i].size; else known = false;
      if (count <= 4) {
        const Obj& o = heap_[freed_[i].id];
        std::string name = name_in(o, frame().serial);
        freed += (count > 1 ? ", " : "") + o.type + (name.empty() ? "" : " `" + name + "`");
      }
    }
    auto ty = type_of(stmt);
    bool release_stmt = ty == "delete_statement" || ty == "return_statement";
    if (ty == "expression_statement") {
      TSNode e = ts_node_named_child(stmt, 0);
      release_stmt = type_of(e) == "assignment" && type_of(field(e, "right")) == "none";
    }
    if (count) {
      ev.note = "Freed here: " + freed + (count > 4 ? " and " + std::to_string(count - 4) + " more" : "") +
                (known ? " (" + human_size(total) + ")" : "") + ". Their counts reached zero.";
    } else if (release_stmt) {
      ev.note = "Nothing is freed here: every object this statement lets go of is still referred to elsewhere.";
    }
  }

  // The hover note of a function's last statement: what went when its frame did.
  void note_return_frees(const Frame& dead, size_t mark) {
    if (!dead.last_first || goal_.capture_line || stopping_) return;
    auto it = result_.lines.find(dead.last_line);
    if (it == result_.lines.end()) return;
    std::string list;
    int64_t total = 0;
    bool known = true;
    size_t count = 0;
    for (size_t i = mark; i < freed_.size(); ++i) {
      ++count;
      if (freed_[i].size) total += *freed_[i].size; else known = false;
      const Obj& o = heap_[freed_[i].id];
      std::string name = name_in(o, dead.serial);
      if (count <= 4) list += (count > 1 ? ", " : "") + o.type + (name.empty() ? "" : " `" + name + "`");
    }
    if (!count) return;
    std::string fn = dead.func ? heap_[dead.func].name : "the function";
    it->second.note = "When `" + fn + "` returns, its frame goes and these are freed: " + list +
                      (count > 4 ? " and " + std::to_string(count - 4) + " more" : "") +
                      (known ? " (" + human_size(total) + ")" : "") + ". Their counts reached zero.";
  }

  HeapSnapshot capture(const Active& act) {
    HeapSnapshot snap;
    snap.line = act.line;
    snap.executed = true;
    snap.complete = true;
    auto garbage = find_garbage();
    std::set<Id> garbage_set(garbage.begin(), garbage.end());
    bool garbage_uncertain = !garbage.empty() && !gc_disabled_ && gc_allocs_ > 0;
    std::unordered_map<Id, std::vector<Id>> referrers;
    std::vector<Id> listed;
    // References the program holds: from the variables of every live frame (and comprehension
    // scope), and from the objects those reach or that wait in a cycle. The rest of a count is
    // the interpreter's: value-stack temporaries, a call's argument tuple, a loop's iterator.
    std::unordered_map<Id, int64_t> program_refs;
    {
      std::vector<Id> work;
      std::unordered_set<Id> seen;
      auto root = [&](Id id) {
        if (!id) return;
        ++program_refs[id];
        if (seen.insert(id).second) work.push_back(id);
      };
      for (auto& f : frames_) {
        for (auto& [n, id] : f->vars) root(id);
        for (auto& scope : f->comp)
          for (auto& [n, id] : scope) root(id);
      }
      for (Id id : garbage)
        if (seen.insert(id).second) work.push_back(id);
      while (!work.empty()) {
        Id id = work.back();
        work.pop_back();
        const Obj& o = heap_[id];
        if (!o.alive) continue;
        for_each_child(o, [&](Id child) {
          ++program_refs[child];
          if (seen.insert(child).second) work.push_back(child);
        });
      }
    }
    for (Id id = 1; id < heap_.size(); ++id) {
      const Obj& o = heap_[id];
      if (!o.alive || o.hidden) continue;
      if (o.constant && o.rc <= 0 && o.kind != Kind::Class) continue;
      listed.push_back(id);
      Id last = 0;
      for_each_child(o, [&](Id child) {
        if (child == last) return;  // [0] * n: one referrer entry, not n lookups
        last = child;
        auto& r = referrers[child];
        if (r.empty() || r.back() != id) r.push_back(id);
      });
    }
    for (Id id : listed) {
      const Obj& o = heap_[id];
      ObjectView v;
      v.id = id;
      v.type = o.type;
      v.immortal = o.immortal;
      bool unknown = o.unknown || (garbage_set.count(id) && garbage_uncertain);
      if (unknown) {
        snap.complete = false;
        if (snap.reason.empty()) snap.reason = "an object the model does not fully know: " + o.type;
      }
      if (!o.constant && !unknown && o.kind != Kind::Class) {
        auto it = program_refs.find(id);
        int64_t program = it == program_refs.end() ? 0 : it->second;
        if (program <= o.rc) {
          v.refcount = program;
          v.interpreter_refs = o.rc - program;
        } else {
          snap.complete = false;  // the model's own bookkeeping disagrees: say nothing
          if (snap.reason.empty()) snap.reason = "a count the model cannot split";
        }
      }
      if (!o.unknown) {
        v.size = size_of(o, version_);
        v.length = length_of(o);
        if (o.kind == Kind::List && !o.size_unknown) v.capacity = o.cap;
      }
      v.names = names_of(id);
      constexpr size_t kMaxRefs = 10000;  // a snapshot lists at most this many edges per object
      if (o.kind == Kind::List || o.kind == Kind::Tuple) {
        for (size_t i = 0; i < o.items.size() && v.refs.size() < kMaxRefs; ++i)
          v.refs.push_back({o.items[i], "[" + std::to_string(i) + "]"});
      } else if (o.kind == Kind::Dict) {
        // d['k'] and d[3]: the key's repr, as Python prints the subscript.
        for (size_t i = 0; i < o.items.size() && v.refs.size() + 1 < kMaxRefs; ++i) {
          if (!heap_[o.items[i]].hidden) v.refs.push_back({o.items[i], "<key>"});
          v.refs.push_back({o.values[i], "[" + key_repr(o.items[i], 0) + "]"});
        }
      } else {
        for_each_ref(o, [&](Id child, const std::string& via) {
          if (v.refs.size() < kMaxRefs && !heap_[child].hidden) v.refs.push_back({child, via});
        });
      }
      if (auto it = referrers.find(id); it != referrers.end()) v.referrers = it->second;
      v.unreachable = garbage_set.count(id) > 0;
      snap.objects.push_back(std::move(v));
    }
    for (size_t i = act.freed_mark; i < freed_.size(); ++i) snap.freed.push_back(freed_[i]);
    return snap;
  }

  // The repr of a dict key for a `via` label: str, int, bool, None and tuples of them; "…"
  // for a key the model cannot print.
  std::string key_repr(Id key, int depth) const {
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
  // Python's repr of a str: single quotes unless the text has one and no double quote.
  static std::string str_repr(const std::string& text) {
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

  std::string_view src_;
  RunGoal goal_;
  std::unordered_map<const Obj*, KeyIndex> key_indexes_;  // heap_ is a deque: addresses stay
  Version version_;
  long max_steps_;
  std::deque<Obj> heap_;
  std::vector<std::unique_ptr<Frame>> frames_;
  std::unordered_map<std::string, Id> consts_;
  std::unordered_map<uint32_t, std::unique_ptr<ScopeInfo>> scopes_;
  std::vector<Active> active_;
  std::vector<FreedView> freed_;
  std::vector<std::pair<Id, int64_t>> touched_;
  Id id_mark_ = 0;
  bool track_ = false;
  bool stopping_ = false;
  bool gc_disabled_ = false;
  int64_t gc_allocs_ = 0;
  int64_t steps_ = 0;
  std::optional<std::pair<uint32_t, bool>> return_attr_;  // while a frame's locals are released
  uint64_t return_serial_ = 0;                            // … that frame's serial
  uint64_t frame_serial_ = 0;
  int handlers_ = 0;     // enclosing try blocks with except clauses
  std::string pending_;  // a give-up found where throwing is not allowed
  int depth_ = 0;
  uint32_t cur_line_ = 0;
  TSNode root_{};
  bool future_annotations_ = false;  // from __future__ import annotations (PEP 563)
  bool star_import_ = false;         // from X import * ran: unknown names may come from it
  std::vector<Id> dirty_;     // objects whose count changed since the outermost statement began
  uint64_t dirty_seq_ = 0, level_seq_ = 0;
  int levels_ = 0;            // recoverable statements being run
  int64_t give_up_count_ = 0;
  Id none_ = 0, true_ = 0, false_ = 0;
  RunResult result_;

  friend class Ref;
};

void Ref::reset() {
  if (id_ && in_) in_->decref(id_);
  id_ = 0;
}

}  // namespace

RunResult run_model(TSNode root, std::string_view source, const analysis::AnalysisOptions& options,
                    const RunGoal& goal) {
  auto interp = std::make_unique<Interp>(source, options, goal);
  RunResult result;
  try {
    result = interp->run(root);
  } catch (...) {
    // Unwinding released references into a model that had already stopped; nothing to keep.
    result.complete = false;
    result.gave_up = "internal error in the model";
  }
  return result;
}

}  // namespace c2py::runtime_model
