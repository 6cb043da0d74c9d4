#include "c/flow/dataflow.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <unordered_set>

#include "c/c_ast.hpp"
#include "c/flow/cfg.hpp"
#include "c/flow/fields.hpp"
#include "c/flow/tables.hpp"

namespace c2py::analysis::c::flow {
namespace {

using syntax::text_of;
using syntax::type_of;

constexpr int kMaxExprDepth = 150;    // expression nesting handled; deeper gives up
constexpr size_t kMaxVisits = 30000;  // path-state visits per function; more gives up
// The budget of a function: path-state visits plus expression steps. Past it the function gives
// up (no findings rather than guessed ones), which bounds its cost (about 50 ms of CPU at most on
// the corpora of bench/evaluate_real_c.py) independently of the machine.
constexpr size_t kMaxWork = 150000;

enum class VK : uint8_t { Obj, Interior, Null, Stack, Literal, Int };  // Int: a non-zero constant (flags)
struct Value {
  VK kind = VK::Null;
  int32_t ref = -1;  // Obj/Interior: object index; Stack: interned name
  friend bool operator==(const Value&, const Value&) = default;
};
using MaybeValue = std::optional<Value>;  // nullopt: not a pointer the analysis follows

enum class OS : uint8_t { MaybeNull, NonNull, Freed, Escaped, Param };

struct Obj {
  OS st = OS::MaybeNull;
  int16_t param = -1;        // parameter index for the caller's blocks
  bool wrapper = false;      // allocated by a wrapper defined in the file
  bool by_realloc_free = false;
  bool checked = false;      // a parameter's block already tested against NULL on this path
  int32_t realloc_src = -1;  // pending realloc: the block it moves (freed unless realloc fails)
  OS realloc_prev = OS::NonNull;
  int32_t name = -1;         // variable that first held it
  TSNode alloc{};            // the allocating call
  TSNode freed{};            // the call that freed it
};
struct FieldSlot {
  int32_t obj;
  int32_t name;
  Value v;
};
// What happened to each parameter's block on this path (for summaries).
enum class Fate : uint8_t { Kept, Freed, Escaped, Null };

struct State {
  std::vector<std::pair<int32_t, Value>> vars;  // sorted by interned name
  std::vector<Obj> objs;
  std::vector<FieldSlot> fields;
  std::vector<std::pair<int32_t, bool>> facts;  // condition id → assumed truth
  std::vector<Fate> fates;
  TSNode trail{};  // the last condition taken, for messages (not part of the key)
  bool trail_truth = true;
  bool dead = false;
};

std::string compact(std::string_view text, size_t limit = 48) {
  std::string out;
  for (char ch : text) {
    bool space = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += ch;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > limit) out = out.substr(0, limit - 3) + "...";
  return out;
}

std::string no_space(std::string_view text) {
  std::string out;
  for (char ch : text)
    if (ch != ' ' && ch != '\n' && ch != '\t' && ch != '\r') out += ch;
  return out;
}

TSNode strip(TSNode e) {
  while (type_of(e) == "parenthesized_expression" && ts_node_named_child_count(e) == 1) e = ts_node_named_child(e, 0);
  return e;
}

uint32_t row_of(TSNode node) { return ts_node_start_point(node).row; }

std::string indent_at(std::string_view source, uint32_t offset) {
  uint32_t start = offset;
  while (start > 0 && source[start - 1] != '\n') --start;
  uint32_t end = start;
  while (end < source.size() && (source[end] == ' ' || source[end] == '\t')) ++end;
  return std::string(source.substr(start, end - start));
}

const char* kPyLeak = " Python frees an object as soon as nothing refers to it.";
// The name a block from alloca() carries (no variable can be spelled so).
constexpr std::string_view kAllocaBlock = "#alloca";
const char* kPyExit = " Python would free it when the last reference goes away.";

class FunctionAnalyzer {
 public:
  FunctionAnalyzer(TSNode function, std::string_view source, const Summaries& summaries, const FunctionNames& defined,
                   const FileScope& scope)
      : fn_(function), src_(source), summaries_(summaries), defined_(defined), scope_(scope) {}

  FunctionResult run() {
    FunctionResult result;
    try {
      Cfg cfg = build_cfg(fn_, src_);
      collect_locals();
      explore(cfg);
    } catch (const GiveUp& e) {
      result.gave_up = true;
      result.gave_up_reason = e.what();
      result.work = work_;
      return result;
    }
    result.work = work_;
    for (auto& [key, finding] : findings_) result.findings.push_back(std::move(finding));
    std::sort(result.findings.begin(), result.findings.end(),
              [](const Finding& a, const Finding& b) { return a.range.begin < b.range.begin; });
    result.summary = make_summary();
    result.callees.assign(callees_.begin(), callees_.end());
    std::sort(result.callees.begin(), result.callees.end());
    return result;
  }

 private:
  // ---- names ----
  int32_t intern(std::string_view name) {
    auto it = ids_.find(std::string(name));
    if (it != ids_.end()) return it->second;
    int32_t id = static_cast<int32_t>(names_.size());
    names_.emplace_back(name);
    roots_.push_back(id);
    ids_.emplace(std::string(name), id);
    return id;
  }
  int32_t intern_path(std::string_view path, std::string_view root) {
    int32_t id = intern(path);
    roots_[static_cast<size_t>(id)] = intern(root);
    return id;
  }
  const std::string& name(int32_t id) const { return names_[static_cast<size_t>(id)]; }

  struct Local {
    bool array = false;
    bool pointer = false;
    TSNode declaration{};
    bool is_union = false;  // a union: all its members are one slot
  };

  bool union_type(TSNode type) const {
    auto kind = type_of(type);
    if (kind == "union_specifier") return true;
    return kind == "type_identifier" && scope_.unions.count(std::string(text_of(type, src_)));
  }

  void collect_locals() {
    // Parameters: pointer ones start as the caller's blocks.
    TSNode declarator = field(fn_, "declarator");
    while (!ts_node_is_null(declarator) && type_of(declarator) != "function_declarator")
      declarator = field(declarator, "declarator");
    if (ts_node_is_null(declarator)) throw GiveUp("no function declarator");
    TSNode type = field(fn_, "type");
    ret_void_ = text_of(type, src_) == "void";
    ret_pointer_ = type_of(field(fn_, "declarator")) == "pointer_declarator";
    ret_type_ = std::string(text_of(type, src_));
    int index = 0;
    for (TSNode param : syntax::named_children(field(declarator, "parameters"))) {
      if (type_of(param) != "parameter_declaration") {
        ++index;
        continue;
      }
      int stars = 0;
      bool array = false;
      TSNode id = declared(field(param, "declarator"), stars, array);
      if (!ts_node_is_null(id)) {
        Local local{false, stars > 0 || array, param};
        locals_[std::string(text_of(id, src_))] = local;
        if (local.pointer) params_.emplace_back(index, intern(text_of(id, src_)));
      }
      ++index;
    }
    param_count_ = index;
    std::unordered_set<std::string> assigned;
    syntax::walk(field(fn_, "body"), [&](TSNode node) {
      auto kind = type_of(node);
      if (kind == "assignment_expression") {
        TSNode left = strip(field(node, "left"));
        if (type_of(left) == "identifier") assigned.insert(std::string(text_of(left, src_)));
      }
      if (kind == "init_declarator") function_alias(node);
      if (kind != "declaration") return true;
      bool is_static = false;
      for (TSNode child : syntax::named_children(node))
        if (type_of(child) == "storage_class_specifier") {
          auto s = text_of(child, src_);
          if (s == "static" || s == "extern") is_static = true;
        }
      for (TSNode child : syntax::named_children(node)) {
        TSNode d = type_of(child) == "init_declarator" ? field(child, "declarator") : child;
        int stars = 0;
        bool array = false;
        TSNode id = declared(d, stars, array);
        if (ts_node_is_null(id) || ts_node_eq(child, field(node, "type"))) continue;
        std::string n(text_of(id, src_));
        if (is_static) {
          statics_.insert(n);
          if (array) static_arrays_.insert(n);
          continue;
        }
        if (!locals_.count(n)) locals_[n] = Local{array, stars > 0, node, stars == 0 && !array && union_type(field(node, "type"))};
      }
      return true;
    });
    for (const auto& n : assigned) aliases_.erase(n);  // it may point elsewhere later
  }

  // `void (*sink)(int *) = badSink;`: calls through `sink` are calls of the file's badSink.
  void function_alias(TSNode init) {
    TSNode value = strip(field(init, "value"));
    if (type_of(value) == "pointer_expression" && text_of(field(value, "operator"), src_) == "&")
      value = strip(field(value, "argument"));
    if (type_of(value) != "identifier" || !defined_.count(std::string(text_of(value, src_)))) return;
    TSNode d = field(init, "declarator");
    for (int guard = 0; guard < 16 && !ts_node_is_null(d) && type_of(d) != "identifier"; ++guard)
      d = ts_node_is_null(field(d, "declarator")) ? ts_node_named_child(d, 0) : field(d, "declarator");
    if (type_of(d) == "identifier") aliases_[std::string(text_of(d, src_))] = std::string(text_of(value, src_));
  }

  static TSNode declared(TSNode d, int& stars, bool& array) {
    for (int guard = 0; guard < 64 && !ts_node_is_null(d); ++guard) {
      auto kind = type_of(d);
      if (kind == "identifier") return d;
      if (kind == "pointer_declarator") ++stars;
      else if (kind == "array_declarator") array = true;
      else if (kind == "function_declarator") return TSNode{};
      else if (kind != "parenthesized_declarator" && kind != "attributed_declarator") return TSNode{};
      TSNode inner = field(d, "declarator");
      if (ts_node_is_null(inner) && ts_node_named_child_count(d) > 0) inner = ts_node_named_child(d, 0);
      d = inner;
    }
    return TSNode{};
  }

  bool is_local(std::string_view n) const {
    return !statics_.count(std::string(n)) && locals_.count(std::string(n));
  }

  // ---- state helpers ----
  static MaybeValue get_var(const State& s, int32_t id) {
    auto it = std::lower_bound(s.vars.begin(), s.vars.end(), id, [](const auto& p, int32_t k) { return p.first < k; });
    if (it != s.vars.end() && it->first == id) return it->second;
    return std::nullopt;
  }
  void set_var(State& s, int32_t id, MaybeValue v) {
    auto it = std::lower_bound(s.vars.begin(), s.vars.end(), id, [](const auto& p, int32_t k) { return p.first < k; });
    bool present = it != s.vars.end() && it->first == id;
    if (v) {
      if (present) it->second = *v;
      else s.vars.insert(it, {id, *v});
    } else if (present) {
      s.vars.erase(it);
    }
    invalidate_facts(s, roots_[static_cast<size_t>(id)]);
  }
  static MaybeValue get_field(const State& s, int32_t obj, int32_t n) {
    for (const auto& f : s.fields)
      if (f.obj == obj && f.name == n) return f.v;
    return std::nullopt;
  }
  static void set_field(State& s, int32_t obj, int32_t n, MaybeValue v) {
    for (auto it = s.fields.begin(); it != s.fields.end(); ++it)
      if (it->obj == obj && it->name == n) {
        if (v) it->v = *v;
        else s.fields.erase(it);
        return;
      }
    if (v) s.fields.push_back({obj, n, *v});
  }
  static Obj* obj_of(State& s, const MaybeValue& v) {
    if (!v || (v->kind != VK::Obj && v->kind != VK::Interior)) return nullptr;
    return &s.objs[static_cast<size_t>(v->ref)];
  }
  int32_t new_obj(State& s, OS st, TSNode call, int32_t var) {
    Obj o;
    o.st = st;
    o.alloc = call;
    o.name = var;
    s.objs.push_back(o);
    return static_cast<int32_t>(s.objs.size()) - 1;
  }

  void escape(State& s, const MaybeValue& v) {
    if (!v || (v->kind != VK::Obj && v->kind != VK::Interior)) return;
    std::vector<int32_t> stack{v->ref};
    while (!stack.empty()) {
      int32_t o = stack.back();
      stack.pop_back();
      Obj& obj = s.objs[static_cast<size_t>(o)];
      if (obj.st == OS::Escaped || obj.st == OS::Freed) continue;
      if (obj.param >= 0) s.fates[static_cast<size_t>(obj.param)] = Fate::Escaped;
      obj.st = OS::Escaped;
      for (const auto& f : s.fields)
        if (f.obj == o && (f.v.kind == VK::Obj || f.v.kind == VK::Interior)) stack.push_back(f.v.ref);
    }
  }
  // Struct variables passed or returned whole: their members' blocks go with them.
  void escape_members(State& s, std::string_view var) {
    std::string prefix = std::string(var) + ".";
    for (const auto& [id, v] : std::vector(s.vars))
      if (name(id).rfind(prefix, 0) == 0) escape(s, v);
  }

  // ---- facts (correlated conditions) ----
  void invalidate_facts(State& s, int32_t root) {
    if (s.facts.empty()) return;
    std::erase_if(s.facts, [&](const auto& fact) {
      const auto& mentions = fact_mentions_[static_cast<size_t>(fact.first)];
      return std::find(mentions.begin(), mentions.end(), root) != mentions.end();
    });
  }
  void drop_volatile_facts(State& s) {
    std::erase_if(s.facts, [&](const auto& fact) { return fact_volatile_[static_cast<size_t>(fact.first)]; });
  }
  // A condition free of side effects gets an id; -1 otherwise.
  int32_t fact_id(TSNode cond) {
    bool pure = true, is_volatile = false;
    std::vector<int32_t> mentions;
    int count = 0;
    syntax::walk(cond, [&](TSNode n) {
      auto k = type_of(n);
      if (++count > 200) pure = false;
      if (k == "call_expression" || k == "assignment_expression" || k == "update_expression") pure = false;
      if (k == "field_expression" || k == "subscript_expression" || k == "pointer_expression") is_volatile = true;
      if (k == "identifier") {
        auto t = text_of(n, src_);
        if (!is_local(t)) is_volatile = true;
        mentions.push_back(intern(t));
      }
      return pure;
    });
    if (!pure) return -1;
    int32_t id = intern("?" + no_space(text_of(cond, src_)));
    if (fact_mentions_.size() <= static_cast<size_t>(id)) {
      fact_mentions_.resize(static_cast<size_t>(id) + 1);
      fact_volatile_.resize(static_cast<size_t>(id) + 1);
    }
    fact_mentions_[static_cast<size_t>(id)] = std::move(mentions);
    fact_volatile_[static_cast<size_t>(id)] = is_volatile;
    return id;
  }

  // ---- findings ----
  std::string var_label(const State& s, int32_t obj) {
    for (const auto& [id, v] : s.vars)
      if (v.kind == VK::Obj && v.ref == obj) return name(id);
    const Obj& o = s.objs[static_cast<size_t>(obj)];
    return o.name >= 0 ? name(o.name) : std::string("the block");
  }
  std::string path_of(const State& s) {
    if (ts_node_is_null(s.trail)) return "";
    std::string cond = compact(text_of(s.trail, src_));
    return s.trail_truth ? " after `if (" + cond + ")`" : " when `" + cond + "` is false";
  }
  std::string alloc_name(const Obj& o) {
    if (o.wrapper || ts_node_is_null(o.alloc)) return callee_of(o.alloc);
    return callee_of(o.alloc);
  }
  std::string callee_of(TSNode call) {
    if (ts_node_is_null(call)) return "the allocation";
    auto n = callee_name(call, src_);
    return n.empty() ? "the allocation" : std::string(n);
  }

  Finding& add(std::string code, TSNode at, uint32_t extra_key) {
    auto key = std::make_tuple(code, ts_node_start_byte(at), extra_key);
    auto it = findings_.find(key);
    if (it != findings_.end()) {
      duplicate_ = true;
      return it->second;
    }
    duplicate_ = false;
    Finding& f = findings_[key];
    f.idiom = code;
    f.range = syntax::range_of(at);
    f.diagnostic = Diagnostic{};
    f.diagnostic->code = std::move(code);
    f.diagnostic->severity = Severity::Warning;
    return f;
  }
  void relate_alloc(Finding& f, const Obj& o, const std::string& var) {
    if (ts_node_is_null(o.alloc)) return;
    f.diagnostic->related.push_back({syntax::range_of(o.alloc), "the block is allocated here"});
    (void)var;
  }
  void relate_free(Finding& f, const Obj& o) {
    if (ts_node_is_null(o.freed)) return;
    f.diagnostic->related.push_back({syntax::range_of(o.freed), o.by_realloc_free ? "realloc released the block here" : "freed here"});
  }

  void report_leak(const State& s, int32_t obj, TSNode at, bool exit) {
    const Obj& o = s.objs[static_cast<size_t>(obj)];
    if (ts_node_is_null(o.alloc)) return;
    std::string var = o.name >= 0 ? name(o.name) : compact(text_of(o.alloc, src_));
    for (const auto& [id, v] : s.vars)
      if (v.kind == VK::Obj && v.ref == obj) var = name(id);
    Finding& f = add("memory-leak", at, ts_node_start_byte(o.alloc));
    if (duplicate_) return;
    f.bindings.set("var", var);
    std::string where = "`" + var + "`, allocated on line " + line_token(row_of(o.alloc));
    if (exit) {
      bool at_end = type_of(at) == "compound_statement";
      f.diagnostic->message = where + ", is never freed when the function " +
                              (at_end ? "ends on line " + line_token(ts_node_end_point(at).row)
                                      : "returns on line " + line_token(row_of(at))) +
                              path_of(s) + "." + kPyExit;
      if (at_end) f.range = {ts_node_end_byte(at) - 1, ts_node_end_byte(at)};
      add_free_fix(f, s, obj, var, at, at_end);
    } else {
      f.diagnostic->message = where + ", leaks on line " + line_token(row_of(at)) + ": no pointer to it remains" +
                              path_of(s) + "." + kPyLeak;
    }
    relate_alloc(f, o, var);
  }

  void add_free_fix(Finding& f, const State& s, int32_t obj, const std::string& var, TSNode at, bool at_end) {
    // Only a plain local variable, in scope at the return, and the return value must not read it.
    int refs = 0;
    for (const auto& [id, v] : s.vars)
      if ((v.kind == VK::Obj || v.kind == VK::Interior) && v.ref == obj) ++refs;
    for (const auto& fs : s.fields)
      if ((fs.v.kind == VK::Obj || fs.v.kind == VK::Interior) && fs.v.ref == obj) ++refs;
    auto local = locals_.find(var);
    if (refs != 1 || local == locals_.end() || local->second.array || !get_var(s, intern(var))) return;
    TSNode decl = local->second.declaration;
    TSNode block = ts_node_parent(decl);
    uint32_t pos = at_end ? ts_node_end_byte(at) - 1 : ts_node_start_byte(at);
    if (type_of(decl) != "parameter_declaration" &&
        !(ts_node_start_byte(decl) < pos && ts_node_end_byte(block) >= pos))
      return;
    if (!at_end) {
      TSNode value = ts_node_named_child_count(at) > 0 ? ts_node_named_child(at, 0) : TSNode{};
      bool mentions = false;
      syntax::walk(value, [&](TSNode n) {
        if (type_of(n) == "identifier" && text_of(n, src_) == var) mentions = true;
        return !mentions;
      });
      if (mentions) return;
      std::string indent = indent_at(src_, pos);
      std::string text;
      if (type_of(ts_node_parent(at)) == "compound_statement")
        text = "free(" + var + ");\n" + indent;
      else
        return;  // a braceless if/else: leave it to the user rather than restructure
      f.diagnostic->fixes.push_back({"Free `" + var + "` before this return", FixSafety::Safe, {{{pos, pos}, text}}});
    } else {
      std::string indent = indent_at(src_, ts_node_start_byte(at));
      f.diagnostic->fixes.push_back({"Free `" + var + "` before the function ends", FixSafety::Safe,
                                     {{{pos, pos}, "  free(" + var + ");\n" + indent}}});
    }
  }

  void report_use_after_free(State& s, int32_t obj, TSNode at, std::string_view how) {
    const Obj& o = s.objs[static_cast<size_t>(obj)];
    std::string var = var_label(s, obj);
    Finding& f = add("use-after-free", at, 0);
    if (duplicate_) return;
    f.bindings.set("var", var);
    std::string freed = ts_node_is_null(o.freed) ? "" : " on line " + line_token(row_of(o.freed));
    f.diagnostic->message = "`" + var + "` is " + std::string(how) + " after " +
                            (o.by_realloc_free ? "realloc moved the block" : "it was freed") + freed + path_of(s) +
                            ". Python never frees an object while a name still refers to it.";
    relate_free(f, o);
    relate_alloc(f, o, var);
  }

  void report_unchecked(State& s, int32_t obj, TSNode at) {
    const Obj& o = s.objs[static_cast<size_t>(obj)];
    std::string var = var_label(s, obj);
    Finding& f = add("unchecked-alloc", at, 0);
    if (duplicate_) return;
    f.bindings.set("var", var);
    f.diagnostic->message = "`" + var + "` may be NULL here: `" + alloc_name(o) + "` on line " +
                            line_token(row_of(o.alloc)) +
                            " returns NULL when it fails, and it is used without a check. "
                            "Python raises MemoryError instead of returning a null reference.";
    relate_alloc(f, o, var);
    add_null_check_fix(f, o, var);
  }

  void add_null_check_fix(Finding& f, const Obj& o, const std::string& var) {
    if (ts_node_is_null(o.alloc)) return;
    auto target = target_of(o.alloc, src_);
    if (!target || target->name != var || !is_local(var)) return;
    TSNode stmt = target->statement;
    if (type_of(ts_node_parent(stmt)) != "compound_statement") return;
    std::string ret;
    if (ret_pointer_) ret = "return NULL;";
    else if (ret_void_) ret = "return;";
    else if (ret_type_ == "int" || ret_type_ == "long" || ret_type_ == "ssize_t") ret = "return -1;";
    else if (ret_type_ == "bool") ret = "return false;";
    else return;
    std::string indent = indent_at(src_, ts_node_start_byte(stmt));
    uint32_t pos = ts_node_end_byte(stmt);
    f.diagnostic->fixes.push_back({"Return early when `" + var + "` is NULL",
                                   FixSafety::Unsafe,
                                   {{{pos, pos}, "\n" + indent + "if (" + var + " == NULL)\n" + indent + "    " + ret}}});
  }

  void report_double_free(State& s, int32_t obj, TSNode call, TSNode arg) {
    const Obj& o = s.objs[static_cast<size_t>(obj)];
    std::string var = std::string(text_of(arg, src_));
    Finding& f = add("double-free", call, 0);
    if (duplicate_) return;
    f.bindings.set("var", var);
    std::string first = ts_node_is_null(o.freed) ? "" : " on line " + line_token(row_of(o.freed));
    f.diagnostic->message = "`" + compact(var) + "` is freed again: " +
                            (o.by_realloc_free ? "realloc already released that block" : "the block was already freed") +
                            first + path_of(s) +
                            ". Python has no free: an object is released exactly once, when its last reference goes.";
    relate_free(f, o);
    relate_alloc(f, o, var);
    // Resetting the pointer after the first free makes the second free(NULL) harmless.
    if (!ts_node_is_null(o.freed) && !o.by_realloc_free) {
      auto first_args = syntax::named_children(field(o.freed, "arguments"));
      TSNode stmt = ts_node_parent(o.freed);
      if (first_args.size() == 1 && type_of(first_args[0]) == "identifier" && text_of(first_args[0], src_) == var &&
          type_of(stmt) == "expression_statement" && type_of(ts_node_parent(stmt)) == "compound_statement") {
        uint32_t pos = ts_node_end_byte(stmt);
        f.diagnostic->fixes.push_back({"Set `" + var + "` to NULL after the first free",
                                       FixSafety::Unsafe, {{{pos, pos}, " " + var + " = NULL;"}}});
      }
    }
  }

  void report_non_heap(TSNode call, TSNode arg, const std::string& what, const Obj* interior_of) {
    Finding& f = add("free-non-heap", call, 0);
    if (duplicate_) return;
    std::string var = compact(text_of(arg, src_));
    f.bindings.set("var", var);
    f.diagnostic->message = "`" + var + "` " + what +
                            ": free() only takes a pointer that malloc, calloc or realloc returned. "
                            "Python has no free: the interpreter alone decides where objects live.";
    if (interior_of && !ts_node_is_null(interior_of->alloc))
      f.diagnostic->related.push_back({syntax::range_of(interior_of->alloc), "the block starts here"});
    TSNode stmt = ts_node_parent(call);
    if (!interior_of && type_of(stmt) == "expression_statement" && type_of(ts_node_parent(stmt)) == "compound_statement")
      f.diagnostic->fixes.push_back({"Remove `" + compact(text_of(call, src_)) + "`", FixSafety::Safe,
                                     {{syntax::range_of(stmt), ""}}});
  }

  // ---- checks on use ----
  void check_deref(State& s, const MaybeValue& v, TSNode at) {
    Obj* o = obj_of(s, v);
    if (!o) return;
    // A parameter read through before any test of it: the summary says so, for the callers.
    if (o->st == OS::Param && !o->checked && v->kind == VK::Obj) derefs_.insert(o->param);
    if (o->st == OS::Freed) report_use_after_free(s, v->ref, at, "used");
    else if (o->st == OS::MaybeNull) {
      report_unchecked(s, v->ref, at);
      o->st = OS::NonNull;  // as if checked: one report per allocation and path
    }
  }
  void check_pass(State& s, const MaybeValue& v, TSNode at, std::string_view callee) {
    Obj* o = obj_of(s, v);
    if (o && o->st == OS::Freed)
      report_use_after_free(s, v->ref, at, "passed to `" + std::string(callee.empty() ? "a function" : callee) + "`");
  }

  // ---- lvalues ----
  struct Loc {
    enum class Kind { Var, Field, Escape } kind = Kind::Escape;
    int32_t a = -1, b = -1;
  };

  Loc resolve(State& s, TSNode e, int depth) {
    if (depth > kMaxExprDepth) throw GiveUp("expression too deep");
    e = strip(e);
    auto kind = type_of(e);
    if (kind == "identifier") {
      auto t = text_of(e, src_);
      if (is_local(t)) return {Loc::Kind::Var, intern(t)};
      return {};
    }
    if (kind == "field_expression") {
      TSNode base = field(e, "argument");
      bool arrow = text_of(field(e, "operator"), src_) == "->";
      std::string fname(text_of(field(e, "field"), src_));
      if (!arrow) {
        TSNode b = strip(base);
        if (type_of(b) == "identifier" && is_local(text_of(b, src_))) {
          if (locals_[std::string(text_of(b, src_))].is_union)
            return {Loc::Kind::Var, intern_path(std::string(text_of(b, src_)) + ".#union", text_of(b, src_))};
          return {Loc::Kind::Var, intern_path(no_space(text_of(e, src_)), text_of(b, src_))};
        }
        eval(s, base, depth + 1);
        return {};
      }
      MaybeValue v = eval(s, base, depth + 1);
      check_deref(s, v, e);
      if (v && v->kind == VK::Obj) return {Loc::Kind::Field, v->ref, intern("->" + fname)};
      return {};
    }
    if (kind == "subscript_expression") {
      TSNode base = field(e, "argument");
      MaybeValue v = eval(s, base, depth + 1);
      TSNode index = field(e, "index");
      eval(s, index, depth + 1);
      check_deref(s, v, e);
      auto k = constant_value(index, src_);
      if (!k) {
        // `arr[i]`: any element may be meant, so the elements known by constant index are no
        // longer followed one by one (coarse arrays: no finding rather than a wrong one).
        forget_elements(s, v, strip(base));
        return {};
      }
      std::string slot = "[" + std::to_string(*k) + "]";
      if (v && v->kind == VK::Obj) return {Loc::Kind::Field, v->ref, intern(slot)};
      TSNode b = strip(base);
      if (v && v->kind == VK::Stack && type_of(b) == "identifier" && is_local(text_of(b, src_)))
        return {Loc::Kind::Var, intern_path(std::string(text_of(b, src_)) + slot, text_of(b, src_))};
      return {};
    }
    if (kind == "pointer_expression" && text_of(field(e, "operator"), src_) == "*") {
      MaybeValue v = eval(s, field(e, "argument"), depth + 1);
      check_deref(s, v, e);
      if (v && v->kind == VK::Obj) return {Loc::Kind::Field, v->ref, intern("[0]")};
      // `*pp` where `pp = &p`: p itself.
      if (v && v->kind == VK::Stack && name(v->ref) != kAllocaBlock && is_local(name(v->ref)) &&
          !locals_[name(v->ref)].array)
        return {Loc::Kind::Var, v->ref};
      return {};
    }
    eval(s, e, depth + 1);
    return {};
  }

  void forget_elements(State& s, const MaybeValue& v, TSNode base) {
    if (!v) return;
    if (v->kind == VK::Stack && type_of(base) == "identifier") {
      std::string prefix = std::string(text_of(base, src_)) + "[";
      for (const auto& [id, val] : std::vector(s.vars))
        if (name(id).rfind(prefix, 0) == 0) escape(s, val);
    } else if (v->kind == VK::Obj || v->kind == VK::Interior) {
      std::vector<Value> elements;
      for (const auto& f : s.fields)
        if (f.obj == v->ref && name(f.name)[0] == '[') elements.push_back(f.v);
      for (const auto& e : elements) escape(s, e);
    }
  }

  // The location now holds a value the analysis does not follow (an integer computed at run time).
  void forget(State& s, const Loc& loc) {
    if (loc.kind == Loc::Kind::Var) set_var(s, loc.a, std::nullopt);
    else if (loc.kind == Loc::Kind::Field) set_field(s, loc.a, loc.b, std::nullopt);
  }

  MaybeValue load(const State& s, const Loc& loc) {
    if (loc.kind == Loc::Kind::Var) return get_var(s, loc.a);
    if (loc.kind == Loc::Kind::Field) return get_field(s, loc.a, loc.b);
    return std::nullopt;
  }

  void store(State& s, const Loc& loc, MaybeValue v) {
    if (loc.kind == Loc::Kind::Var) {
      set_var(s, loc.a, v);
      if (v && v->kind == VK::Obj && s.objs[static_cast<size_t>(v->ref)].name < 0)
        s.objs[static_cast<size_t>(v->ref)].name = loc.a;
    } else if (loc.kind == Loc::Kind::Field) {
      if (s.objs[static_cast<size_t>(loc.a)].st == OS::Escaped || s.objs[static_cast<size_t>(loc.a)].st == OS::Param) {
        escape(s, v);  // stored into memory the caller or someone else owns
        return;
      }
      set_field(s, loc.a, loc.b, v);
      if (v && v->kind == VK::Obj && s.objs[static_cast<size_t>(v->ref)].name < 0)
        s.objs[static_cast<size_t>(v->ref)].name = intern(name(loc.b).substr(name(loc.b)[0] == '-' ? 2 : 0));
    } else {
      escape(s, v);
    }
  }

  // Copies `dst.x = src.x` for every member key of a struct variable (struct assignment).
  void copy_members(State& s, std::string_view dst, std::string_view src) {
    std::string from = std::string(src) + ".", to = std::string(dst) + ".";
    std::vector<std::pair<int32_t, Value>> copies;
    for (const auto& [id, v] : s.vars)
      if (name(id).rfind(from, 0) == 0) copies.emplace_back(intern_path(to + name(id).substr(from.size()), dst), v);
    for (const auto& [id, v] : copies) set_var(s, id, v);
  }

  // ---- expressions ----
  MaybeValue eval(State& s, TSNode e, int depth) {
    if (ts_node_is_null(e) || s.dead) return std::nullopt;
    if (++work_ > kMaxWork) throw GiveUp("over budget");
    if (depth > kMaxExprDepth) throw GiveUp("expression too deep");
    auto kind = type_of(e);
    if (kind == "parenthesized_expression") {
      MaybeValue v;
      for (TSNode child : syntax::named_children(e)) v = eval(s, child, depth + 1);
      return v;
    }
    if (kind == "cast_expression") return eval(s, field(e, "value"), depth + 1);
    if (kind == "identifier") {
      auto t = text_of(e, src_);
      if (!is_local(t)) {
        // A static array is not on the heap either (its elements are not followed).
        if (static_arrays_.count(std::string(t))) return Value{VK::Stack, intern(t)};
        if (statics_.count(std::string(t))) return std::nullopt;
        auto k = scope_.constants.find(std::string(t));
        if (k != scope_.constants.end() && k->second > -1000000 && k->second < 1000000)
          return k->second == 0 ? Value{VK::Null, -1} : Value{VK::Int, static_cast<int32_t>(k->second)};
        return std::nullopt;
      }
      return get_var(s, intern(t));
    }
    if (kind == "null" || kind == "false") return Value{VK::Null, -1};
    if (kind == "true") return Value{VK::Int, 1};
    if (kind == "number_literal") {
      auto k = constant_value(e, src_);
      if (k && *k == 0) return Value{VK::Null, -1};
      if (k && *k > -1000000 && *k < 1000000) return Value{VK::Int, static_cast<int32_t>(*k)};
      return std::nullopt;
    }
    if (kind == "string_literal" || kind == "concatenated_string") return Value{VK::Literal, -1};
    if (kind == "field_expression" || kind == "subscript_expression" ||
        (kind == "pointer_expression" && text_of(field(e, "operator"), src_) == "*")) {
      TSNode base = strip(field(e, "argument"));
      // A member of a local struct array (`arr[i]`, not a pointer) is not a dereference.
      Loc loc = resolve(s, e, depth + 1);
      (void)base;
      return load(s, loc);
    }
    if (kind == "pointer_expression") return address_of(s, field(e, "argument"), depth);
    if (kind == "call_expression") return eval_call(s, e, depth);
    if (kind == "assignment_expression") return eval_assign(s, e, depth);
    if (kind == "update_expression") {
      TSNode arg = field(e, "argument");
      Loc loc = resolve(s, arg, depth + 1);
      MaybeValue old = load(s, loc);
      if (old && (old->kind == VK::Obj || old->kind == VK::Interior)) {
        if (text_of(field(e, "operator"), src_) == "--") escape(s, old);  // before the start: a header trick
        store(s, loc, Value{VK::Interior, old->ref});
      } else if (old && (old->kind == VK::Null || old->kind == VK::Int)) {
        // A counter: `for (i = 0; i < 1; i++)` runs once. Small values only, so a long loop is
        // unrolled a few times and then joins the general case.
        long long k = (old->kind == VK::Int ? old->ref : 0) + (text_of(field(e, "operator"), src_) == "++" ? 1 : -1);
        store(s, loc, counter(k));
      } else {
        forget(s, loc);
      }
      return std::nullopt;
    }
    if (kind == "binary_expression") {
      MaybeValue left = eval(s, field(e, "left"), depth + 1);
      MaybeValue right = eval(s, field(e, "right"), depth + 1);
      auto op = text_of(field(e, "operator"), src_);
      if (op == "+" || op == "-") {
        auto scalar = [](const MaybeValue& v) { return !v || v->kind == VK::Null || v->kind == VK::Int; };
        auto pointer = [](const MaybeValue& v) { return v && (v->kind == VK::Obj || v->kind == VK::Interior); };
        if (pointer(left) && scalar(right)) {
          auto k = constant_value(field(e, "right"), src_);
          if (k && *k == 0) return left;
          // Stepping back may reach the start again, or a header before it: stop judging its frees.
          if (op == "-") escape(s, left);
          return Value{VK::Interior, left->ref};
        }
        if (op == "+" && pointer(right) && scalar(left)) return Value{VK::Interior, right->ref};
        if (left && (left->kind == VK::Stack || left->kind == VK::Literal) && scalar(right)) return left;
      }
      return std::nullopt;
    }
    if (kind == "conditional_expression") {
      eval(s, field(e, "condition"), depth + 1);
      MaybeValue a = eval(s, field(e, "consequence"), depth + 1);
      MaybeValue b = eval(s, field(e, "alternative"), depth + 1);
      if (a == b) return a;
      // Either block may be the result: neither is tracked further.
      escape(s, a);
      escape(s, b);
      return std::nullopt;
    }
    if (kind == "comma_expression") {
      eval(s, field(e, "left"), depth + 1);
      return eval(s, field(e, "right"), depth + 1);
    }
    if (kind == "sizeof_expression" || kind == "alignof_expression" || kind == "offsetof_expression" ||
        kind == "char_literal")
      return std::nullopt;
    if (kind == "initializer_list" || kind == "compound_literal_expression" || kind == "initializer_pair") {
      for (TSNode child : syntax::named_children(e)) escape(s, eval(s, child, depth + 1));
      return std::nullopt;
    }
    for (TSNode child : syntax::named_children(e)) eval(s, child, depth + 1);
    return std::nullopt;
  }

  // An integer variable's new value: known while small (see update_expression), else unknown.
  static MaybeValue counter(long long k) {
    constexpr long long kMaxCounter = 8;
    if (k < -kMaxCounter || k > kMaxCounter) return std::nullopt;
    return k == 0 ? Value{VK::Null, -1} : Value{VK::Int, static_cast<int32_t>(k)};
  }

  MaybeValue address_of(State& s, TSNode arg, int depth) {
    TSNode a = strip(arg);
    auto kind = type_of(a);
    if (kind == "identifier") {
      auto t = text_of(a, src_);
      if (is_local(t)) return Value{VK::Stack, intern(t)};
      return std::nullopt;
    }
    if (kind == "subscript_expression" || kind == "field_expression") {
      TSNode base = field(a, "argument");
      MaybeValue v = eval(s, base, depth + 1);
      if (kind == "subscript_expression") eval(s, field(a, "index"), depth + 1);
      if (v && v->kind == VK::Stack) return v;
      if (v && (v->kind == VK::Obj || v->kind == VK::Interior)) {
        if (kind == "subscript_expression") {
          auto k = constant_value(field(a, "index"), src_);
          if (k && *k == 0) return v;
        }
        return Value{VK::Interior, v->ref};
      }
      return std::nullopt;
    }
    eval(s, a, depth + 1);
    return std::nullopt;
  }

  MaybeValue eval_assign(State& s, TSNode e, int depth) {
    TSNode left = field(e, "left"), right = field(e, "right");
    auto op = text_of(field(e, "operator"), src_);
    if (op != "=") {
      MaybeValue r = eval(s, right, depth + 1);
      Loc loc = resolve(s, left, depth + 1);
      MaybeValue old = load(s, loc);
      (void)r;
      auto step = constant_value(right, src_);
      if ((op == "+=" || op == "-=") && old && (old->kind == VK::Obj || old->kind == VK::Interior)) {
        if (op == "-=") escape(s, old);
        store(s, loc, Value{VK::Interior, old->ref});
      } else if ((op == "+=" || op == "-=") && step && old && (old->kind == VK::Null || old->kind == VK::Int)) {
        long long k = old->kind == VK::Int ? old->ref : 0;
        store(s, loc, counter(op == "+=" ? k + *step : k - *step));
      } else {
        forget(s, loc);
      }
      return std::nullopt;
    }
    MaybeValue v = eval(s, right, depth + 1);
    TSNode l = strip(left), r = strip(right);
    Loc loc = resolve(s, left, depth + 1);
    store(s, loc, v);
    if (type_of(l) == "identifier" && type_of(r) == "identifier" && is_local(text_of(l, src_)) && is_local(text_of(r, src_)))
      copy_members(s, text_of(l, src_), text_of(r, src_));
    return v;
  }

  void eval_declaration(State& s, TSNode decl) {
    for (TSNode child : syntax::named_children(decl)) {
      if (ts_node_eq(child, field(decl, "type"))) continue;
      auto kind = type_of(child);
      if (kind != "init_declarator" && kind != "identifier" && kind != "pointer_declarator" && kind != "array_declarator")
        continue;
      TSNode d = kind == "init_declarator" ? field(child, "declarator") : child;
      int stars = 0;
      bool array = false;
      TSNode id = declared(d, stars, array);
      if (ts_node_is_null(id)) continue;
      auto n = text_of(id, src_);
      if (!is_local(n)) {
        if (kind == "init_declarator") escape(s, eval(s, field(child, "value"), 0));
        continue;
      }
      int32_t var = intern(n);
      if (array) {
        if (kind == "init_declarator") eval(s, field(child, "value"), 0);
        set_var(s, var, Value{VK::Stack, var});
        continue;
      }
      if (kind != "init_declarator") {
        set_var(s, var, std::nullopt);
        continue;
      }
      TSNode value = field(child, "value");
      MaybeValue v = eval(s, value, 0);
      if (s.dead) return;
      store(s, Loc{Loc::Kind::Var, var}, v);
      TSNode r = strip(value);
      if (type_of(r) == "identifier" && is_local(text_of(r, src_))) copy_members(s, n, text_of(r, src_));
    }
  }

  void do_free(State& s, const MaybeValue& v, TSNode call, TSNode arg, bool wrapper) {
    if (!v) {
      // A pointer the analysis did not follow (loaded from a list, say): from now on it is
      // known to point to freed memory, which is all later uses need.
      TSNode a = strip(arg);
      if (type_of(a) == "identifier" && is_local(text_of(a, src_))) {
        int32_t var = intern(text_of(a, src_));
        int32_t o = new_obj(s, OS::Freed, TSNode{}, var);
        s.objs[static_cast<size_t>(o)].freed = call;
        set_var(s, var, Value{VK::Obj, o});
      }
      return;
    }
    switch (v->kind) {
      case VK::Null:
      case VK::Int: return;
      case VK::Literal: report_non_heap(call, arg, "is a string literal", nullptr); return;
      case VK::Stack:
        report_non_heap(call, arg,
                        name(v->ref) == kAllocaBlock ? std::string("comes from alloca, on the stack")
                        : static_arrays_.count(name(v->ref)) ? "points to the static array `" + name(v->ref) + "`"
                        : locals_.count(name(v->ref)) && locals_[name(v->ref)].array
                            ? std::string("is an array on the stack")
                            : "points to the local variable `" + name(v->ref) + "` on the stack",
                        nullptr);
        return;
      case VK::Interior: {
        Obj& o = s.objs[static_cast<size_t>(v->ref)];
        if (o.st == OS::Freed) return;
        if (o.st == OS::Param) {
          // Stepped forward from a parameter: past the start of whatever the caller passed.
          report_non_heap(call, arg, "was moved forward from the start of `" + (o.name >= 0 ? name(o.name) : std::string("the parameter")) +
                                         "`, the pointer the function was given", nullptr);
          o.st = OS::Escaped;
          return;
        }
        if (o.st == OS::Escaped) return;  // not known to be the block's start
        report_non_heap(call, arg, "points into the middle of the block allocated on line " + line_token(row_of(o.alloc)), &o);
        o.st = OS::Escaped;  // what happens to the block now is anyone's guess: no further findings
        return;
      }
      case VK::Obj: break;
    }
    Obj& o = s.objs[static_cast<size_t>(v->ref)];
    if (o.st == OS::Freed) {
      report_double_free(s, v->ref, call, arg);
      return;
    }
    if (wrapper) {
      // The wrapper may free the members too: stop following them.
      std::vector<Value> children;
      for (const auto& f : s.fields)
        if (f.obj == v->ref) children.push_back(f.v);
      for (const auto& c : children) escape(s, c);
    }
    if (o.param >= 0) s.fates[static_cast<size_t>(o.param)] = Fate::Freed;
    o.st = OS::Freed;
    o.freed = call;
    o.by_realloc_free = false;
  }

  MaybeValue eval_call(State& s, TSNode call, int depth) {
    std::string callee(callee_name(call, src_));
    if (auto alias = aliases_.find(callee); alias != aliases_.end()) callee = alias->second;
    auto args = syntax::named_children(field(call, "arguments"));
    auto summary = callee.empty() ? summaries_.end() : summaries_.find(callee);
    bool file_function = !callee.empty() && defined_.count(callee);
    if (file_function) callees_.insert(callee);
    if (summary != summaries_.end()) {
      const Summary& sum = summary->second;
      std::vector<MaybeValue> values;
      for (TSNode a : args) values.push_back(eval(s, a, depth + 1));
      for (size_t i = 0; i < args.size(); ++i) {
        ParamEffect effect = i < sum.params.size() ? sum.params[i] : ParamEffect::Unknown;
        // The callee reads through this argument before testing it: a NULL or freed block here
        // is used there.
        if (i < sum.derefs.size() && sum.derefs[i]) {
          if (Obj* o = obj_of(s, values[i]); o && values[i]->kind == VK::Obj && o->st == OS::Freed)
            report_use_after_free(s, values[i]->ref, call, "passed to `" + callee + "`, which reads it,");
          else
            check_deref(s, values[i], call);
        }
        if (effect == ParamEffect::Frees) do_free(s, values[i], call, args[i], true);
        else if (effect == ParamEffect::Borrows) borrowed_argument(s, args[i], values[i], call, callee);
        else unknown_argument(s, args[i], values[i], call, callee);
      }
      drop_volatile_facts(s);
      if (sum.noreturn) {
        s.dead = true;
        return std::nullopt;
      }
      if (sum.allocator) {
        int32_t o = new_obj(s, sum.may_return_null ? OS::MaybeNull : OS::NonNull, call, -1);
        s.objs[static_cast<size_t>(o)].wrapper = true;
        return Value{VK::Obj, o};
      }
      if (sum.constant && *sum.constant > -1000000 && *sum.constant < 1000000)
        return *sum.constant == 0 ? Value{VK::Null, -1} : Value{VK::Int, static_cast<int32_t>(*sum.constant)};
      return std::nullopt;
    }
    CallKind kind = file_function || callee.empty() ? CallKind::Unknown : call_kind(callee);
    switch (kind) {
      case CallKind::Allocator:
      case CallKind::AllocatorNonNull: {
        for (TSNode a : args) eval(s, a, depth + 1);
        return Value{VK::Obj, new_obj(s, kind == CallKind::Allocator ? OS::MaybeNull : OS::NonNull, call, -1)};
      }
      case CallKind::Realloc: {
        if (args.empty()) return std::nullopt;
        MaybeValue old = eval(s, args[0], depth + 1);
        for (size_t i = 1; i < args.size(); ++i) eval(s, args[i], depth + 1);
        int32_t fresh = new_obj(s, OS::MaybeNull, call, -1);
        Obj* o = obj_of(s, old);
        if (o && old->kind == VK::Obj) {
          if (o->st == OS::Freed) {
            report_use_after_free(s, old->ref, call, "passed to `" + callee + "`");
            return Value{VK::Obj, fresh};
          }
          if (o->param >= 0) s.fates[static_cast<size_t>(o->param)] = Fate::Escaped;
          Obj& r = s.objs[static_cast<size_t>(fresh)];
          r.realloc_src = old->ref;
          r.realloc_prev = o->st == OS::MaybeNull ? OS::NonNull : o->st;
          o->st = OS::Freed;
          o->freed = call;
          o->by_realloc_free = true;
        } else {
          escape(s, old);
        }
        return Value{VK::Obj, fresh};
      }
      case CallKind::OutAllocator:
      case CallKind::Getline: {
        for (size_t i = 1; i < args.size(); ++i) check_pass(s, eval(s, args[i], depth + 1), call, callee);
        if (args.empty()) return std::nullopt;
        TSNode a = strip(args[0]);
        if (type_of(a) == "pointer_expression" && text_of(field(a, "operator"), src_) == "&") {
          Loc loc = resolve(s, field(a, "argument"), depth + 1);
          MaybeValue old = load(s, loc);
          if (kind == CallKind::OutAllocator || (old && old->kind == VK::Null)) {
            store(s, loc, Value{VK::Obj, new_obj(s, OS::NonNull, call, -1)});
          } else if (!(old && old->kind == VK::Obj)) {
            store(s, loc, std::nullopt);
          }
        } else {
          escape(s, eval(s, args[0], depth + 1));
        }
        return std::nullopt;
      }
      case CallKind::StackAllocator:
        for (TSNode a : args) eval(s, a, depth + 1);
        return Value{VK::Stack, intern(kAllocaBlock)};
      case CallKind::Free: {
        if (args.size() != 1) return std::nullopt;
        MaybeValue v = eval(s, args[0], depth + 1);
        do_free(s, v, call, args[0], false);
        return std::nullopt;
      }
      case CallKind::NoReturn:
        for (TSNode a : args) eval(s, a, depth + 1);
        s.dead = true;
        return std::nullopt;
      case CallKind::Assert: {
        if (args.size() != 1) return std::nullopt;
        auto states = assume(std::move(s), args[0], true, depth + 1);
        if (states.empty()) {
          s = State{};
          s.dead = true;
        } else {
          s = std::move(states.front());  // assert conditions rarely split further
        }
        return std::nullopt;
      }
      case CallKind::Borrows: {
        bool derefs = dereferences_arguments(callee);
        MaybeValue first;
        for (TSNode a : args) {
          MaybeValue v = eval(s, a, depth + 1);
          if (!first) first = v;
          if (derefs) check_deref(s, v, call);
          else check_pass(s, v, call, callee);
          // `memcpy(&dst, &p, sizeof p)` copies the pointer itself somewhere: it escapes.
          TSNode stripped = strip(a);
          if (type_of(stripped) == "pointer_expression" && text_of(field(stripped, "operator"), src_) == "&") {
            TSNode target = strip(field(stripped, "argument"));
            if (type_of(target) == "identifier" && is_local(text_of(target, src_))) {
              escape(s, get_var(s, intern(text_of(target, src_))));
              escape_members(s, text_of(target, src_));
            }
          }
        }
        // memcpy, strcpy and the like return their destination.
        if (returns_first_argument(callee) && first && (first->kind == VK::Obj || first->kind == VK::Interior))
          return first;
        return std::nullopt;
      }
      case CallKind::Unknown: {
        if (callee.empty()) eval(s, field(call, "function"), depth + 1);
        for (TSNode a : args) unknown_argument(s, a, eval(s, a, depth + 1), call, callee);
        drop_volatile_facts(s);
        return std::nullopt;
      }
    }
    return std::nullopt;
  }

  // An argument given to a function the analysis does not know: ownership may leave with it.
  // An argument of a function of the file that neither frees nor keeps the block it is given. It
  // may still free or keep what the block holds (`release(&buf)` frees `buf.data`): the members
  // are no longer followed.
  void borrowed_argument(State& s, TSNode arg, const MaybeValue& v, TSNode call, std::string_view callee) {
    check_pass(s, v, call, callee);
    TSNode a = strip(arg);
    if (type_of(a) == "pointer_expression" && text_of(field(a, "operator"), src_) == "&") a = strip(field(a, "argument"));
    if (type_of(a) == "identifier" && is_local(text_of(a, src_))) escape_members(s, text_of(a, src_));
    if (v && v->kind == VK::Stack) escape_members(s, name(v->ref));
    if (v && (v->kind == VK::Obj || v->kind == VK::Interior)) {
      std::vector<Value> children;
      for (const auto& f : s.fields)
        if (f.obj == v->ref) children.push_back(f.v);
      for (const auto& c : children) escape(s, c);
    }
  }

  // A freed pointer given to it is not reported: its value passed along is no use of the memory
  // unless the callee reads through it, which is not known (a use is a dereference or a pass to a
  // known reader).
  void unknown_argument(State& s, TSNode arg, const MaybeValue& v, TSNode call, std::string_view callee) {
    (void)call;
    (void)callee;
    TSNode a = strip(arg);
    if (type_of(a) == "pointer_expression" && text_of(field(a, "operator"), src_) == "&") {
      TSNode target = strip(field(a, "argument"));
      if (type_of(target) == "identifier" && is_local(text_of(target, src_))) {
        int32_t id = intern(text_of(target, src_));
        escape(s, get_var(s, id));
        escape_members(s, text_of(target, src_));
        set_var(s, id, std::nullopt);
        return;
      }
    }
    if (type_of(a) == "identifier" && is_local(text_of(a, src_))) escape_members(s, text_of(a, src_));
    if (v && v->kind == VK::Stack) {
      // A local array or &var given away: whatever pointers it holds go with it.
      escape_members(s, name(v->ref));
      std::string prefix = name(v->ref) + "[";
      for (const auto& [id, val] : std::vector(s.vars))
        if (name(id).rfind(prefix, 0) == 0) escape(s, val);
    }
    escape(s, v);
  }

  // ---- conditions ----
  bool narrow(State& s, const MaybeValue& v, bool want_null, TSNode expr) {
    if (!v) {
      // An untracked pointer variable known to be NULL on this side.
      TSNode e = strip(expr);
      if (want_null && type_of(e) == "identifier" && is_local(text_of(e, src_))) {
        auto local = locals_.find(std::string(text_of(e, src_)));
        if (local != locals_.end() && local->second.pointer) set_var(s, intern(text_of(e, src_)), Value{VK::Null, -1});
      }
      return true;
    }
    switch (v->kind) {
      case VK::Null: return want_null;
      case VK::Stack:
      case VK::Literal:
      case VK::Int: return !want_null;
      case VK::Interior: return true;
      case VK::Obj: break;
    }
    Obj& o = s.objs[static_cast<size_t>(v->ref)];
    if (o.st == OS::NonNull) return !want_null;
    if (o.st == OS::Param && !want_null) o.checked = true;
    if (o.st == OS::Param && want_null) {
      s.fates[static_cast<size_t>(o.param)] = Fate::Null;
      replace_refs(s, v->ref, Value{VK::Null, -1});
      o.st = OS::Escaped;
      return true;
    }
    if (o.st != OS::MaybeNull) return true;
    if (!want_null) {
      o.st = OS::NonNull;
      o.realloc_src = -1;
      return true;
    }
    // The allocation failed: the block never existed; a failed realloc leaves the old one.
    int32_t src = o.realloc_src;
    OS prev = o.realloc_prev;
    o.st = OS::Escaped;
    o.realloc_src = -1;
    replace_refs(s, v->ref, Value{VK::Null, -1});
    if (src >= 0) {
      Obj& old = s.objs[static_cast<size_t>(src)];
      old.st = prev;
      old.freed = TSNode{};
      old.by_realloc_free = false;
      if (!referenced(s, src)) old.st = OS::Escaped;  // `p = realloc(p, n)`: realloc-leak reports it
    }
    return true;
  }
  static void replace_refs(State& s, int32_t obj, Value with) {
    for (auto& [id, v] : s.vars)
      if ((v.kind == VK::Obj || v.kind == VK::Interior) && v.ref == obj) v = with;
    for (auto& f : s.fields)
      if ((f.v.kind == VK::Obj || f.v.kind == VK::Interior) && f.v.ref == obj) f.v = with;
  }
  static bool referenced(const State& s, int32_t obj) {
    for (const auto& [id, v] : s.vars)
      if ((v.kind == VK::Obj || v.kind == VK::Interior) && v.ref == obj) return true;
    for (const auto& f : s.fields)
      if ((f.v.kind == VK::Obj || f.v.kind == VK::Interior) && f.v.ref == obj) return true;
    return false;
  }

  // `p`, `!p`, `p == NULL`, `p != NULL`: a path through one says nothing worth a message.
  bool is_null_test(TSNode e) {
    e = strip(e);
    while (type_of(e) == "unary_expression" && text_of(field(e, "operator"), src_) == "!") e = strip(field(e, "argument"));
    if (type_of(e) == "identifier" || type_of(e) == "field_expression") return true;
    if (type_of(e) == "binary_expression") {
      auto op = text_of(field(e, "operator"), src_);
      return (op == "==" || op == "!=") && (is_null_literal(field(e, "left")) || is_null_literal(field(e, "right")));
    }
    return false;
  }

  bool is_null_literal(TSNode e) {
    e = strip(e);
    if (type_of(e) == "null") return true;
    if (type_of(e) == "cast_expression") return is_null_literal(field(e, "value"));
    if (type_of(e) == "number_literal") {
      auto k = constant_value(e, src_);
      return k && *k == 0;
    }
    return false;
  }

  std::vector<State> assume(State s, TSNode cond, bool truth, int depth) {
    if (depth > kMaxExprDepth) throw GiveUp("condition too deep");
    std::vector<State> out;
    cond = strip(cond);
    auto kind = type_of(cond);
    if (kind == "unary_expression" && text_of(field(cond, "operator"), src_) == "!")
      return assume(std::move(s), field(cond, "argument"), !truth, depth + 1);
    if (kind == "binary_expression") {
      auto op = text_of(field(cond, "operator"), src_);
      TSNode left = field(cond, "left"), right = field(cond, "right");
      if (op == "&&" || op == "||") {
        bool short_value = op == "||";  // the left value that decides the whole
        if (truth == short_value) {
          for (auto& a : assume(s, left, short_value, depth + 1)) out.push_back(std::move(a));
          for (auto& a : assume(std::move(s), left, !short_value, depth + 1))
            for (auto& b : assume(std::move(a), right, short_value, depth + 1)) out.push_back(std::move(b));
        } else {
          for (auto& a : assume(std::move(s), left, !short_value, depth + 1))
            for (auto& b : assume(std::move(a), right, !short_value, depth + 1)) out.push_back(std::move(b));
        }
        return out;
      }
      if (auto out_alloc = out_alloc_test(s, cond, truth, depth)) {
        if (*out_alloc) out.push_back(std::move(s));
        return out;
      }
      if (op == "<" || op == "<=" || op == ">" || op == ">=") {
        // Integer constants both sides (a loop's first test, `i = 0; i < 3`): decided.
        int32_t fact = fact_id(cond);
        MaybeValue a = eval(s, left, depth + 1);
        MaybeValue b = eval(s, right, depth + 1);
        if (s.dead) return out;
        auto number = [](const MaybeValue& v) -> std::optional<long long> {
          if (v && v->kind == VK::Null) return 0;
          if (v && v->kind == VK::Int) return v->ref;
          return std::nullopt;
        };
        auto x = number(a), y = number(b);
        if (x && y) {
          bool holds = op == "<" ? *x < *y : op == "<=" ? *x <= *y : op == ">" ? *x > *y : *x >= *y;
          if (holds == truth) out.push_back(std::move(s));
          return out;
        }
        if (fact >= 0 && !apply_fact(s, fact, truth)) return out;
        out.push_back(std::move(s));
        return out;
      }
      if ((op == "==" || op == "!=") && !is_null_literal(left) && !is_null_literal(right)) {
        MaybeValue a = eval(s, left, depth + 1);
        MaybeValue b = eval(s, right, depth + 1);
        if (s.dead) return out;
        auto equal = known_equal(s, a, b);
        if (!equal || *equal == ((op == "==") == truth)) out.push_back(std::move(s));
        return out;
      }
      if ((op == "==" || op == "!=") && (is_null_literal(left) || is_null_literal(right))) {
        TSNode x = is_null_literal(right) ? left : right;
        MaybeValue v = eval(s, x, depth + 1);
        if (s.dead) return out;
        bool want_null = (op == "==") == truth;
        if (narrow(s, v, want_null, x)) out.push_back(std::move(s));
        return out;
      }
    }
    if (kind == "identifier" || kind == "field_expression" || kind == "subscript_expression" || kind == "call_expression" ||
        kind == "assignment_expression" || kind == "pointer_expression" || kind == "cast_expression") {
      int32_t fact = kind == "call_expression" || kind == "assignment_expression" ? -1 : fact_id(cond);
      MaybeValue v = eval(s, cond, depth + 1);
      if (s.dead) return out;
      if (v) {
        if (narrow(s, v, !truth, cond)) out.push_back(std::move(s));
        return out;
      }
      if (fact >= 0 && !apply_fact(s, fact, truth)) return out;
      if (!narrow(s, v, !truth, cond)) return out;
      out.push_back(std::move(s));
      return out;
    }
    if (kind == "comma_expression") {
      // `while (item, &list, entry)`: a loop macro rewritten by macro_noise.hpp (a comma list of
      // plain names is otherwise no condition anyone writes). The macro assigns its variables on
      // each turn: whatever they held before is no longer known to be theirs.
      TSNode part = cond;
      for (int guard = 0; guard < 16 && !ts_node_is_null(part); ++guard) {
        bool comma = type_of(part) == "comma_expression";
        TSNode item = strip(comma ? field(part, "left") : part);
        if (type_of(item) == "identifier" && is_local(text_of(item, src_))) {
          int32_t id = intern(text_of(item, src_));
          escape(s, get_var(s, id));
          set_var(s, id, std::nullopt);
        }
        part = comma ? field(part, "right") : TSNode{};
      }
      drop_volatile_facts(s);
      out.push_back(std::move(s));
      return out;
    }
    if (auto k = constant_value(cond, src_)) {
      if ((*k != 0) == truth) out.push_back(std::move(s));
      return out;
    }
    int32_t fact = fact_id(cond);
    eval(s, cond, depth + 1);
    if (s.dead) return out;
    if (fact >= 0 && !apply_fact(s, fact, truth)) return out;
    out.push_back(std::move(s));
    return out;
  }

  // Whether two values are certainly equal (true) or certainly different (false).
  static std::optional<bool> known_equal(const State& s, const MaybeValue& a, const MaybeValue& b) {
    if (!a || !b) return std::nullopt;
    auto non_null = [&](const Value& v) {
      if (v.kind == VK::Stack || v.kind == VK::Literal || v.kind == VK::Int) return true;
      return v.kind == VK::Obj && s.objs[static_cast<size_t>(v.ref)].st == OS::NonNull;
    };
    if (a->kind == VK::Null && b->kind == VK::Null) return true;
    if (a->kind == VK::Int && b->kind == VK::Int) return a->ref == b->ref;
    if ((a->kind == VK::Int && b->kind == VK::Null) || (a->kind == VK::Null && b->kind == VK::Int)) return false;
    if ((a->kind == VK::Null && non_null(*b)) || (b->kind == VK::Null && non_null(*a))) return false;
    if (a->kind == VK::Stack && b->kind == VK::Stack) return a->ref == b->ref ? std::optional<bool>(true) : std::optional<bool>(false);
    if (a->kind == VK::Obj && b->kind == VK::Obj && a->ref == b->ref) return true;
    bool a_heap = a->kind == VK::Obj && non_null(*a), b_heap = b->kind == VK::Obj && non_null(*b);
    if ((a_heap && (b->kind == VK::Stack || b->kind == VK::Literal)) || (b_heap && (a->kind == VK::Stack || a->kind == VK::Literal)))
      return false;
    if (a_heap && b_heap && s.objs[static_cast<size_t>(a->ref)].param < 0 && s.objs[static_cast<size_t>(b->ref)].param < 0)
      return false;  // two live blocks of this function are distinct
    return std::nullopt;
  }

  // `asprintf(&s, ...) < 0` and the like: on the failing side `s` holds nothing to free.
  // Returns nullopt when `cond` is not such a test, else whether this side is feasible.
  std::optional<bool> out_alloc_test(State& s, TSNode cond, bool truth, int depth) {
    TSNode left = strip(field(cond, "left"));
    auto op = text_of(field(cond, "operator"), src_);
    if (type_of(left) != "call_expression" || call_kind(callee_name(left, src_)) != CallKind::OutAllocator ||
        summaries_.count(std::string(callee_name(left, src_))))
      return std::nullopt;
    auto k = constant_value(field(cond, "right"), src_);
    if (!k) return std::nullopt;
    auto holds = [&](long long r) {
      if (op == "<") return r < *k;
      if (op == "<=") return r <= *k;
      if (op == ">") return r > *k;
      if (op == ">=") return r >= *k;
      if (op == "==") return r == *k;
      if (op == "!=") return r != *k;
      return true;
    };
    bool failure = holds(-1) == truth;
    bool success = holds(0) == truth || holds(1 << 20) == truth;
    eval(s, left, depth + 1);
    if (s.dead) return false;
    if (failure && !success) {
      auto args = syntax::named_children(field(left, "arguments"));
      TSNode a = args.empty() ? TSNode{} : strip(args[0]);
      if (type_of(a) == "pointer_expression") {
        Loc loc = resolve(s, field(a, "argument"), depth + 1);
        if (Obj* o = obj_of(s, load(s, loc))) o->st = OS::Escaped;
        store(s, loc, std::nullopt);
      }
    }
    return true;
  }

  // The condition of `#if`/`#ifdef`/`#elif` as a fact, with the truth that the group's condition
  // holding gives it: (id, positive). A constant condition gives id -2 (holds) or -3 (does not).
  std::pair<int32_t, bool> preproc_fact(TSNode group) {
    auto type = type_of(group);
    std::string key;
    bool positive = true;
    if (type == "preproc_ifdef" || type == "preproc_elifdef") {
      auto directive = type_of(ts_node_child(group, 0));
      positive = directive == "#ifdef" || directive == "#elifdef";
      key = "#defined " + std::string(text_of(field(group, "name"), src_));
    } else {
      TSNode cond = field(group, "condition");
      while (type_of(cond) == "unary_expression" && text_of(field(cond, "operator"), src_) == "!") {
        positive = !positive;
        cond = field(cond, "argument");
      }
      if (type_of(cond) == "preproc_defined") {
        TSNode name = ts_node_named_child_count(cond) > 0 ? ts_node_named_child(cond, 0) : TSNode{};
        key = "#defined " + std::string(text_of(name, src_));
      } else if (auto k = constant_value(cond, src_)) {
        return {(*k != 0) == positive ? -2 : -3, true};
      } else {
        key = "#if " + no_space(text_of(cond, src_));
      }
    }
    int32_t id = intern(key);
    if (fact_mentions_.size() <= static_cast<size_t>(id)) {
      fact_mentions_.resize(static_cast<size_t>(id) + 1);
      fact_volatile_.resize(static_cast<size_t>(id) + 1);
    }
    return {id, positive};
  }

  static bool apply_fact(State& s, int32_t fact, bool truth) {
    auto it = std::lower_bound(s.facts.begin(), s.facts.end(), fact, [](const auto& p, int32_t k) { return p.first < k; });
    if (it != s.facts.end() && it->first == fact) return it->second == truth;
    s.facts.insert(it, {fact, truth});
    return true;
  }

  // ---- canonical form: garbage, leaks, renumbering ----
  // Drops the blocks nothing refers to (reporting the live ones as leaks at `at`) and renumbers
  // the rest in order of first reference, so equal states compare equal.
  void canonicalize(State& s, TSNode at) {
    std::vector<int32_t> order(s.objs.size(), -1);
    std::vector<int32_t> queue;
    auto visit = [&](const Value& v) {
      if ((v.kind == VK::Obj || v.kind == VK::Interior) && order[static_cast<size_t>(v.ref)] < 0) {
        order[static_cast<size_t>(v.ref)] = static_cast<int32_t>(queue.size());
        queue.push_back(v.ref);
      }
    };
    for (const auto& [id, v] : s.vars) visit(v);
    std::sort(s.fields.begin(), s.fields.end(), [](const FieldSlot& a, const FieldSlot& b) {
      return a.obj != b.obj ? a.obj < b.obj : a.name < b.name;
    });
    for (size_t i = 0; i < queue.size(); ++i) {
      int32_t o = queue[i];
      const Obj& obj = s.objs[static_cast<size_t>(o)];
      if (obj.realloc_src >= 0) visit(Value{VK::Obj, obj.realloc_src});
      if (obj.st == OS::Freed) continue;  // a freed block's members are gone
      for (const auto& f : s.fields)
        if (f.obj == o) visit(f.v);
    }
    for (size_t o = 0; o < s.objs.size(); ++o) {
      if (order[o] >= 0) continue;
      const Obj& obj = s.objs[o];
      if ((obj.st == OS::MaybeNull || obj.st == OS::NonNull) && obj.param < 0 && !ts_node_is_null(at))
        report_leak(s, static_cast<int32_t>(o), at, false);
    }
    std::vector<Obj> objs;
    objs.reserve(queue.size());
    for (int32_t o : queue) objs.push_back(s.objs[static_cast<size_t>(o)]);
    for (auto& obj : objs)
      if (obj.realloc_src >= 0) obj.realloc_src = order[static_cast<size_t>(obj.realloc_src)];
    std::vector<FieldSlot> fields;
    for (const auto& f : s.fields) {
      int32_t o = order[static_cast<size_t>(f.obj)];
      if (o < 0 || s.objs[static_cast<size_t>(f.obj)].st == OS::Freed) continue;
      FieldSlot slot = f;
      slot.obj = o;
      if (slot.v.kind == VK::Obj || slot.v.kind == VK::Interior) slot.v.ref = order[static_cast<size_t>(slot.v.ref)];
      fields.push_back(slot);
    }
    std::sort(fields.begin(), fields.end(), [](const FieldSlot& a, const FieldSlot& b) {
      return a.obj != b.obj ? a.obj < b.obj : a.name < b.name;
    });
    for (auto& [id, v] : s.vars)
      if (v.kind == VK::Obj || v.kind == VK::Interior) v.ref = order[static_cast<size_t>(v.ref)];
    s.objs = std::move(objs);
    s.fields = std::move(fields);
  }

  static uint64_t key_of(const State& s, int node) {
    uint64_t h = 1469598103934665603ull;
    auto mix = [&](uint64_t x) {
      h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
      h *= 1099511628211ull;
    };
    mix(static_cast<uint64_t>(node));
    for (const auto& [id, v] : s.vars) mix((static_cast<uint64_t>(id) << 24) ^ (static_cast<uint64_t>(v.kind) << 20) ^ static_cast<uint32_t>(v.ref));
    mix(0xabcdef);
    for (const auto& o : s.objs)
      mix((static_cast<uint64_t>(o.st) << 56) ^ (static_cast<uint64_t>(o.param + 1) << 40) ^
          (static_cast<uint64_t>(o.realloc_src + 1) << 34) ^ (static_cast<uint64_t>(o.wrapper) << 33) ^
          ts_node_start_byte(o.alloc));
    mix(0x123457);
    for (const auto& f : s.fields)
      mix((static_cast<uint64_t>(f.obj) << 40) ^ (static_cast<uint64_t>(f.name) << 16) ^ (static_cast<uint64_t>(f.v.kind) << 12) ^
          static_cast<uint32_t>(f.v.ref));
    mix(0x777);
    for (const auto& [id, t] : s.facts) mix((static_cast<uint64_t>(id) << 1) | (t ? 1 : 0));
    for (auto fate : s.fates) mix(static_cast<uint64_t>(fate));
    return h;
  }

  // ---- exploration ----
  void explore(const Cfg& cfg) {
    State init;
    init.fates.assign(static_cast<size_t>(std::max(param_count_, 0)), Fate::Kept);
    for (const auto& [index, var] : params_) {
      int32_t o = new_obj(init, OS::Param, TSNode{}, var);
      init.objs[static_cast<size_t>(o)].param = static_cast<int16_t>(index);
      set_var(init, var, Value{VK::Obj, o});
    }
    std::vector<std::pair<int, State>> work;
    work.emplace_back(cfg.entry, std::move(init));
    std::vector<std::unordered_set<uint64_t>> seen(cfg.nodes.size());
    size_t visits = 0;
    while (!work.empty()) {
      auto [id, s] = std::move(work.back());
      work.pop_back();
      if (!seen[static_cast<size_t>(id)].insert(key_of(s, id)).second) continue;
      if (++visits > kMaxVisits) throw GiveUp("too many paths");
      work_ += 1 + s.objs.size() + s.vars.size() / 4;  // canonicalizing and hashing the state
      if (work_ > kMaxWork) throw GiveUp("over budget");
      const CfgNode& node = cfg.nodes[static_cast<size_t>(id)];
      switch (node.kind) {
        case CfgNode::Kind::Nop:
          for (int next : node.succ) work.emplace_back(next, s);
          break;
        case CfgNode::Kind::Statement: {
          auto kind = type_of(node.ast);
          if (kind == "declaration") eval_declaration(s, node.ast);
          else if (kind == "expression_statement") {
            for (TSNode child : syntax::named_children(node.ast)) eval(s, child, 0);
          } else if (kind != "comment") {
            eval(s, node.ast, 0);
          }
          if (s.dead) break;
          canonicalize(s, node.ast);
          for (int next : node.succ) work.emplace_back(next, s);
          break;
        }
        case CfgNode::Kind::Branch:
          if (node.preproc) {
            auto [fact, positive] = preproc_fact(node.ast);
            for (int side = 0; side < 2; ++side) {
              bool holds = side == 0;
              if (fact < 0 && (fact == -2) != (holds == positive)) continue;  // a constant `#if 0`/`#if 1`
              State branch = s;
              if (fact >= 0 && !apply_fact(branch, fact, holds == positive)) continue;
              work.emplace_back(node.succ[static_cast<size_t>(side)], std::move(branch));
            }
            break;
          }
          for (int side = 0; side < 2 && side < static_cast<int>(node.succ.size()); ++side) {
            for (auto& branch : assume(s, node.ast, side == 0, 0)) {
              if (branch.dead) continue;
              if (node.if_condition && !is_null_test(node.ast)) {
                branch.trail = node.ast;  // messages name the `if` a path took, not loop tests
                branch.trail_truth = side == 0;
              }
              canonicalize(branch, node.ast);
              work.emplace_back(node.succ[static_cast<size_t>(side)], std::move(branch));
            }
          }
          if (node.succ.size() == 1) {  // for (;;)
            work.emplace_back(node.succ[0], s);
          }
          break;
        case CfgNode::Kind::Switch: {
          MaybeValue v = eval(s, node.ast, 0);
          if (s.dead) break;
          canonicalize(s, node.ast);
          // A known value takes only its case; an unknown variable is known inside each case.
          std::optional<long long> known;
          if (v && v->kind == VK::Null) known = 0;
          if (v && v->kind == VK::Int) known = v->ref;
          TSNode subject = strip(node.ast);
          bool local_var = type_of(subject) == "identifier" && is_local(text_of(subject, src_));
          bool matched = false;
          for (size_t i = 0; i < node.succ.size(); ++i) {
            TSNode label = node.cases[i];
            auto value = ts_node_is_null(label) ? std::nullopt : constant_value(label, src_);
            if (known && value && *value == *known) matched = true;
          }
          for (size_t i = 0; i < node.succ.size(); ++i) {
            TSNode label = node.cases[i];
            auto value = ts_node_is_null(label) ? std::nullopt : constant_value(label, src_);
            if (known) {
              // `default` only when no case matched; a label whose value is unknown may match.
              bool take = value ? *value == *known : ts_node_is_null(label) ? !matched : true;
              if (!take) continue;
              work.emplace_back(node.succ[i], s);
            } else if (value && local_var && *value > -1000000 && *value < 1000000) {
              State branch = s;
              set_var(branch, intern(text_of(subject, src_)),
                      *value == 0 ? Value{VK::Null, -1} : Value{VK::Int, static_cast<int32_t>(*value)});
              work.emplace_back(node.succ[i], std::move(branch));
            } else {
              work.emplace_back(node.succ[i], s);
            }
          }
          break;
        }
        case CfgNode::Kind::Return: {
          TSNode value = ts_node_named_child_count(node.ast) > 0 ? ts_node_named_child(node.ast, 0) : TSNode{};
          if (type_of(value) == "comment") value = TSNode{};
          MaybeValue v = eval(s, value, 0);
          if (s.dead) break;
          note_return(s, v);
          escape(s, v);
          syntax::walk(value, [&](TSNode n) {
            if (type_of(n) == "identifier" && is_local(text_of(n, src_))) escape_members(s, text_of(n, src_));
            return true;
          });
          exit_path(s, node.ast);
          break;
        }
        case CfgNode::Kind::End:
          returns_void_end_ = true;
          exit_path(s, node.ast);
          break;
      }
    }
  }

  void note_return(State& s, const MaybeValue& v) {
    long long k = v && v->kind == VK::Int ? v->ref : 0;
    if (v && (v->kind == VK::Int || v->kind == VK::Null) && !ret_varied_ && (!ret_constant_ || *ret_constant_ == k))
      ret_constant_ = k;
    else
      ret_varied_ = true;
    Obj* o = obj_of(s, v);
    if (v && v->kind == VK::Null) {
      ret_null_ = true;
    } else if (o && v->kind == VK::Obj && o->param < 0 && (o->st == OS::MaybeNull || o->st == OS::NonNull)) {
      ret_fresh_ = true;
      if (o->st == OS::MaybeNull) ret_null_ = true;
    } else {
      ret_other_ = true;
    }
  }

  void exit_path(State& s, TSNode at) {
    canonicalize(s, at);
    for (size_t o = 0; o < s.objs.size(); ++o) {
      const Obj& obj = s.objs[o];
      if ((obj.st == OS::MaybeNull || obj.st == OS::NonNull) && obj.param < 0) report_leak(s, static_cast<int32_t>(o), at, true);
    }
    ++exits_;
    if (fates_seen_.empty()) fates_seen_.assign(s.fates.size(), 0);
    for (size_t i = 0; i < s.fates.size(); ++i) fates_seen_[i] |= static_cast<uint8_t>(1u << static_cast<unsigned>(s.fates[i]));
  }

  Summary make_summary() const {
    Summary sum;
    sum.allocator = ret_fresh_ && !ret_other_ && !returns_void_end_;
    sum.may_return_null = ret_null_;
    sum.noreturn = exits_ == 0;
    if (!ret_varied_ && !returns_void_end_ && exits_ > 0) sum.constant = ret_constant_;
    sum.params.assign(static_cast<size_t>(std::max(param_count_, 0)), ParamEffect::Unknown);
    sum.derefs.assign(sum.params.size(), false);
    for (int16_t index : derefs_)
      if (index >= 0 && static_cast<size_t>(index) < sum.derefs.size()) sum.derefs[static_cast<size_t>(index)] = true;
    std::vector<bool> pointer(sum.params.size(), false);
    for (const auto& [index, var] : params_) pointer[static_cast<size_t>(index)] = true;
    for (size_t i = 0; i < sum.params.size(); ++i) {
      if (!pointer[i]) {
        sum.params[i] = ParamEffect::Borrows;  // values, not blocks
        continue;
      }
      if (exits_ == 0 || i >= fates_seen_.size()) continue;
      uint8_t seen = fates_seen_[i];
      auto bit = [](Fate f) { return static_cast<uint8_t>(1u << static_cast<unsigned>(f)); };
      if ((seen & ~(bit(Fate::Freed) | bit(Fate::Null))) == 0 && (seen & bit(Fate::Freed))) sum.params[i] = ParamEffect::Frees;
      else if ((seen & (bit(Fate::Freed) | bit(Fate::Escaped))) == 0) sum.params[i] = ParamEffect::Borrows;
    }
    return sum;
  }

  TSNode fn_;
  std::string_view src_;
  const Summaries& summaries_;
  std::unordered_map<std::string, int32_t> ids_;
  std::vector<std::string> names_;
  std::vector<int32_t> roots_;
  std::vector<std::vector<int32_t>> fact_mentions_;
  std::vector<bool> fact_volatile_;
  std::unordered_map<std::string, Local> locals_;
  std::unordered_set<std::string> statics_;
  std::unordered_set<std::string> static_arrays_;
  std::unordered_map<std::string, std::string> aliases_;
  std::unordered_set<int16_t> derefs_;  // parameters read through before any NULL test  // function pointer variable → file function  // static or extern arrays declared in the body
  std::vector<std::pair<int, int32_t>> params_;  // (index, name)
  int param_count_ = 0;
  bool ret_void_ = false, ret_pointer_ = false;
  std::string ret_type_;
  std::map<std::tuple<std::string, uint32_t, uint32_t>, Finding> findings_;
  bool duplicate_ = false;
  const FunctionNames& defined_;
  const FileScope& scope_;
  std::unordered_set<std::string> callees_;
  bool ret_fresh_ = false, ret_null_ = false, ret_other_ = false, returns_void_end_ = false;
  int exits_ = 0;
  size_t work_ = 0;
  std::optional<long long> ret_constant_;
  bool ret_varied_ = false;
  std::vector<uint8_t> fates_seen_;
};

}  // namespace

std::string function_name(TSNode function, std::string_view source) {
  TSNode d = field(function, "declarator");
  for (int guard = 0; guard < 64 && !ts_node_is_null(d); ++guard) {
    if (type_of(d) == "function_declarator") {
      TSNode id = field(d, "declarator");
      return type_of(id) == "identifier" ? std::string(text_of(id, source)) : std::string();
    }
    d = field(d, "declarator");
  }
  return {};
}

FunctionResult analyze_function(TSNode function, std::string_view source, const Summaries& summaries,
                                const FunctionNames& defined, const FileScope& scope) {
  return FunctionAnalyzer(function, source, summaries, defined, scope).run();
}

std::string line_token(uint32_t row) { return "\x1f" + std::to_string(row) + "\x1f"; }

namespace {
template <typename F>
void rewrite_tokens(std::string& text, F replace) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find('\x1f', i);
    if (open == std::string::npos) break;
    size_t close = text.find('\x1f', open + 1);
    if (close == std::string::npos) break;
    out.append(text, i, open - i);
    out += replace(std::stoll(text.substr(open + 1, close - open - 1)));
    i = close + 1;
  }
  if (i == 0) return;
  out.append(text, i, std::string::npos);
  text = std::move(out);
}
}  // namespace

void rebase_lines(std::string& text, int64_t delta) {
  rewrite_tokens(text, [delta](long long row) { return "\x1f" + std::to_string(row + delta) + "\x1f"; });
}
void render_lines(std::string& text) {
  rewrite_tokens(text, [](long long row) { return std::to_string(row + 1); });
}

}  // namespace c2py::analysis::c::flow
