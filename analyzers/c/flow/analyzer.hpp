// The analysis of one C function (see dataflow.hpp), shared by the files that implement it:
//   dataflow.cpp     the driver: locals, the path exploration, what a path's end means
//   state.cpp        the abstract state: variables, blocks, members, escape, canonical form, hash
//   transfer.cpp     statements and expressions: lvalues, loads and stores, assignments
//   calls.cpp        calls: the libc models (tables.hpp), the file's own function summaries,
//                    unknown callees; and the summary this function leaves for its callers
//   feasibility.cpp  conditions: NULL narrowing, constants, correlated facts, #if groups
//   reports.cpp      the findings, their messages, related locations and fixes
// Internal to analyzers/c/flow: nothing outside includes it.
#pragma once

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "c/c_ast.hpp"
#include "c/flow/cfg.hpp"
#include "c/flow/dataflow.hpp"
#include "c/flow/fields.hpp"
#include "c/flow/nodes.hpp"
#include "c/flow/tables.hpp"

namespace c2py::analysis::c::flow::detail {

using syntax::text_of;
using flow::type_of;

constexpr int kMaxExprDepth = 150;    // expression nesting handled; deeper gives up
constexpr size_t kMaxVisits = 30000;  // path-state visits per function; more gives up
// The budget of a function: path-state visits weighted by the size of the state, plus expression
// steps. Past it the function gives up (no findings rather than guessed ones), which bounds its
// cost in units independent of the machine (at most about 40 ms of CPU on the corpora of
// bench/evaluate_real_c.py, measured on a loaded machine).
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
  bool uncertain = false;    // since its allocation the path took a side of an opaque condition
  int32_t realloc_src = -1;  // pending realloc: the block it moves (freed unless realloc fails)
  OS realloc_prev = OS::NonNull;
  int32_t name = -1;         // variable that first held it
  // The allocating call and the call that freed it, as node entries (-1: none): a state is copied
  // on every branch, so a block is kept small. alloc_byte: where the allocating call starts (0 if none).
  int32_t alloc_at = -1, freed_at = -1;
  uint32_t alloc_byte = 0;
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

// The states a condition leaves (assume): mostly none or one, kept in place (a vector allocated
// for each condition on each path was a sixth of the exploration's allocations). In order.
class States {
 public:
  void push_back(State&& s) {
    if (size_ == 0) first_ = std::move(s);
    else rest_.push_back(std::move(s));
    ++size_;
  }
  bool empty() const { return size_ == 0; }
  State& front() { return first_; }
  class iterator {
   public:
    iterator(States* of, size_t at) : of_(of), at_(at) {}
    State& operator*() const { return at_ == 0 ? of_->first_ : of_->rest_[at_ - 1]; }
    iterator& operator++() {
      ++at_;
      return *this;
    }
    bool operator!=(const iterator& other) const { return at_ != other.at_; }

   private:
    States* of_;
    size_t at_;
  };
  iterator begin() { return {this, 0}; }
  iterator end() { return {this, size_}; }

 private:
  State first_;
  std::vector<State> rest_;
  size_t size_ = 0;
};

inline std::string compact(std::string_view text, size_t limit = 48) {
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

inline std::string no_space(std::string_view text) {
  std::string out;
  for (char ch : text)
    if (ch != ' ' && ch != '\n' && ch != '\t' && ch != '\r') out += ch;
  return out;
}

inline TSNode strip(TSNode e) {
  while (type_of(e) == "parenthesized_expression" && ts_node_named_child_count(e) == 1) e = ts_node_named_child(e, 0);
  return e;
}

inline uint32_t row_of(TSNode node) { return ts_node_start_point(node).row; }

inline std::string indent_at(std::string_view source, uint32_t offset) {
  uint32_t start = offset;
  while (start > 0 && source[start - 1] != '\n') --start;
  uint32_t end = start;
  while (end < source.size() && (source[end] == ' ' || source[end] == '\t')) ++end;
  return std::string(source.substr(start, end - start));
}

// Maps and sets keyed by name that a string_view looks up without building a std::string (the
// same hash as std::hash<std::string>, so the same order of iteration).
struct NameHash {
  using is_transparent = void;
  size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
};
template <class V>
using NameMap = std::unordered_map<std::string, V, NameHash, std::equal_to<>>;
using NameSet = std::unordered_set<std::string, NameHash, std::equal_to<>>;

// The name a block from alloca() carries (no variable can be spelled so).
inline constexpr std::string_view kAllocaBlock = "#alloca";

class FunctionAnalyzer {
 public:
  FunctionAnalyzer(TSNode function, std::string_view source, const Summaries& summaries, const FunctionNames& defined,
                   const FileScope& scope)
      : fn_(function), src_(source), summaries_(summaries), defined_(defined), scope_(scope) {}

  FunctionResult run(PreparedPtr* prepared);
  friend struct flow::Prepared;  // keeps a copy of the locals

 private:
  // ---- the tree, read once per node (nodes.hpp) ----
  // A path state visits the same statements and conditions many times: what they hold is looked
  // up in the tree once and kept for the function's analysis (member names hide flow::field
  // inside the analyzer).
  TSNode field(TSNode node, F f) { return nodes_.field(node, f); }
  const std::vector<TSNode>& children(TSNode node) { return nodes_.children(node); }
  std::string_view text(TSNode node) { return nodes_.text(node, src_); }
  // flow::kind_of from the node's entry (hides it in the analyzer's members).
  NK kind_of(TSNode node) { return is_null(node) ? NK::Other : nodes_.at(nodes_.index(node)).kind; }
  std::string_view call_name(TSNode call);  // c::callee_name, once per call node
  std::optional<long long> constant(TSNode e);  // c::constant_value, once per node
  // An identifier node: is_local of its text (cached once the locals are known), its interned name.
  bool local_node(TSNode identifier);
  int32_t name_of(TSNode identifier);
  NodeTable nodes_;
  int32_t at_index(TSNode node) { return is_null(node) ? -1 : nodes_.index(node); }
  TSNode alloc_of(const Obj& o) { return o.alloc_at < 0 ? TSNode{} : nodes_.at(o.alloc_at).node; }
  TSNode freed_of(const Obj& o) { return o.freed_at < 0 ? TSNode{} : nodes_.at(o.freed_at).node; }
  // By node index, for this analysis (interned ids follow the order names are met): an
  // identifier's interned name, a condition's fact id; -2 before the first question.
  std::vector<int32_t> node_names_, node_facts_, node_out_alloc_, node_calls_, node_members_, node_paths_;
  int32_t zero_slot_ = -1;  // the interned `[0]`, once needed
  // A call's callee (through a function pointer alias or a macro naming a libc function), its
  // summary, its libc model: fixed for the analysis, so once per call node.
  struct CallInfo {
    std::string callee;
    const Summary* summary = nullptr;
    bool file_function = false;
    CallKind kind = CallKind::Unknown;
    bool derefs = false, returns_first = false;  // CallKind::Borrows
  };
  std::deque<CallInfo> calls_;
  const CallInfo& call_info(TSNode call);
  std::vector<std::optional<MaybeValue>> node_values_;  // eval of a name that is not local
  // strip, once per node (the node entry keeps the result's index)
  TSNode strip(TSNode e);
  static int32_t& by_node(std::vector<int32_t>& table, int32_t index) {
    if (static_cast<size_t>(index) >= table.size()) table.resize(static_cast<size_t>(index) + 64, -2);
    return table[static_cast<size_t>(index)];
  }
  // Copies what collect_locals found (and the names interned so far) to or from `p`; moves the
  // caches that depend only on the text (node entries, is_local, body_compact_).
  void save(Prepared& p);
  std::vector<Dep> sorted_deps() const;
  void restore(Prepared& p);
  void restore_caches(Prepared& p);

  // ---- names ----
  int32_t intern(std::string_view name);
  int32_t intern_path(std::string_view path, std::string_view root);
  const std::string& name(int32_t id) const { return names_[static_cast<size_t>(id)]; }

  struct Local {
    bool array = false;
    bool pointer = false;
    TSNode declaration{};
    bool is_union = false;  // a union: all its members are one slot
  };

  bool union_type(TSNode type) const;

  void collect_locals();

  // `void (*sink)(int *) = badSink;`: calls through `sink` are calls of the file's badSink.
  void function_alias(TSNode init);

  static TSNode declared(TSNode d, int& stars, bool& array);

  bool is_local(std::string_view n) const;
  bool local_name(std::string_view n) const;  // is_local, uncached
  // Unknown code runs: the blocks the file's globals hold may be freed or kept by it, and the
  // globals reassigned.
  void escape_globals(State& s);
  // A call of a file function: what its summary says it does with the globals' blocks.
  void apply_global_effects(State& s, const Summary& sum, TSNode call, const std::string& callee);

  // ---- state helpers ----
  static MaybeValue get_var(const State& s, int32_t id);
  void set_var(State& s, int32_t id, MaybeValue v);
  static MaybeValue get_field(const State& s, int32_t obj, int32_t n);
  static void set_field(State& s, int32_t obj, int32_t n, MaybeValue v);
  static Obj* obj_of(State& s, const MaybeValue& v);
  int32_t new_obj(State& s, OS st, TSNode call, int32_t var);

  void escape(State& s, const MaybeValue& v);
  // Struct variables passed or returned whole: their members' blocks go with them.
  void escape_members(State& s, std::string_view var);

  // ---- facts (correlated conditions) ----
  void invalidate_facts(State& s, int32_t root);
  void drop_volatile_facts(State& s);
  // A condition free of side effects gets an id; -1 otherwise.
  int32_t fact_id(TSNode cond);
  int32_t compute_fact_id(TSNode cond);

  // ---- findings ----
  std::string var_label(const State& s, int32_t obj);
  // The branch that led here, as bindings: path (none, after, false) and cond.
  void bind_path(Finding& f, const State& s);
  std::string alloc_name(const Obj& o);
  std::string callee_of(TSNode call);

  Finding& add(std::string code, TSNode at, uint32_t extra_key);
  void relate_alloc(Finding& f, const Obj& o);
  void relate_free(Finding& f, const Obj& o);

  void report_leak(const State& s, int32_t obj, TSNode at, bool exit);

  void add_free_fix(Finding& f, const State& s, int32_t obj, const std::string& var, TSNode at, bool at_end);

  // `how`: the entry's phrase for the use (used, passed, reads, global, passed_unknown).
  void report_use_after_free(State& s, int32_t obj, TSNode at, std::string_view how, std::string_view callee = {},
                             std::string_view global = {});

  void report_unchecked(State& s, int32_t obj, TSNode at);

  void add_null_check_fix(Finding& f, const Obj& o, const std::string& var);

  void report_double_free(State& s, int32_t obj, TSNode call, TSNode arg);

  // `what`: the entry's phrase for the pointer (literal, alloca, static, array, local, param,
  // param_unnamed, interior); `subject` the array, variable or parameter it names.
  void report_non_heap(TSNode call, TSNode arg, std::string_view what, const std::string& subject, const Obj* interior_of);

  // ---- checks on use ----
  void check_deref(State& s, const MaybeValue& v, TSNode at);
  void check_pass(State& s, const MaybeValue& v, TSNode at, std::string_view callee);

  // ---- lvalues ----
  struct Loc {
    enum class Kind { Var, Field, Escape } kind = Kind::Escape;
    int32_t a = -1, b = -1;
  };

  Loc resolve(State& s, TSNode e, int depth);

  void forget_elements(State& s, const MaybeValue& v, TSNode base);

  // The location now holds a value the analysis does not follow (an integer computed at run time).
  void forget(State& s, const Loc& loc);

  MaybeValue load(const State& s, const Loc& loc);

  void store(State& s, const Loc& loc, MaybeValue v);

  // Copies `dst.x = src.x` for every member key of a struct variable (struct assignment).
  void copy_members(State& s, std::string_view dst, std::string_view src);

  // ---- expressions ----
  MaybeValue eval(State& s, TSNode e, int depth);

  // An integer variable's new value: known while small (see update_expression), else unknown.
  static MaybeValue counter(long long k);

  MaybeValue address_of(State& s, TSNode arg, int depth);

  MaybeValue eval_assign(State& s, TSNode e, int depth);

  void eval_declaration(State& s, TSNode decl);

  void do_free(State& s, const MaybeValue& v, TSNode call, TSNode arg, bool wrapper);

  MaybeValue eval_call(State& s, TSNode call, int depth);

  // An argument given to a function the analysis does not know: ownership may leave with it.
  // An argument of a function of the file that neither frees nor keeps the block it is given. It
  // may still free or keep what the block holds (`release(&buf)` frees `buf.data`): the members
  // are no longer followed.
  // `reads`: whether passing a freed block is a use (a prototype's `const T *` is taken to read;
  // a body says it with Summary::derefs, checked by the caller).
  void borrowed_argument(State& s, TSNode arg, const MaybeValue& v, TSNode call, std::string_view callee, bool reads = true);

  // A freed pointer given to it is not reported: its value passed along is no use of the memory
  // unless the callee reads through it, which is not known (a use is a dereference or a pass to a
  // known reader).
  void unknown_argument(State& s, TSNode arg, const MaybeValue& v, TSNode call, std::string_view callee);

  // ---- conditions ----
  bool narrow(State& s, const MaybeValue& v, bool want_null, TSNode expr);
  static void replace_refs(State& s, int32_t obj, Value with);
  static bool referenced(const State& s, int32_t obj);

  // `p`, `!p`, `p == NULL`, `p != NULL`: a path through one says nothing worth a message.
  bool is_null_test(TSNode e);
  // is_null_test of a branch's condition, once per condition node (its id).
  bool null_test_condition(TSNode cond);

  bool is_null_literal(TSNode e);

  States assume(State s, TSNode cond, bool truth, int depth);

  // Whether two values are certainly equal (true) or certainly different (false).
  static std::optional<bool> known_equal(const State& s, const MaybeValue& a, const MaybeValue& b);

  // `asprintf(&s, ...) < 0` and the like: on the failing side `s` holds nothing to free.
  // Returns nullopt when `cond` is not such a test, else whether this side is feasible.
  std::optional<bool> out_alloc_test(State& s, TSNode cond, bool truth, int depth);

  // The condition of `#if`/`#ifdef`/`#elif` as a fact, with the truth that the group's condition
  // holding gives it: (id, positive). A constant condition gives id -2 (holds) or -3 (does not).
  std::pair<int32_t, bool> preproc_fact(TSNode group);

  static bool apply_fact(State& s, int32_t fact, bool truth);

  // ---- canonical form: garbage, leaks, renumbering ----
  // Drops the blocks nothing refers to (reporting the live ones as leaks at `at`) and renumbers
  // the rest in order of first reference, so equal states compare equal.
  void canonicalize(State& s, TSNode at);
  std::vector<int32_t> canonical_order_, canonical_queue_;  // canonicalize's scratch buffers
  std::vector<int32_t> escape_stack_;                       // escape's

  static uint64_t key_of(const State& s, int node);

  // ---- exploration ----
  // A condition that reads nothing of the function's own (only globals, constants unknown here,
  // calls without local arguments): which way it goes on a run is unknown to the analysis.
  bool is_opaque(TSNode cond);
  // Drops the leaks found only behind opaque conditions for allocations some path frees or hands
  // on: `if (G1) p = malloc(n); if (G2) free(p);` is a leak only if G1 && !G2 can happen, which
  // the analysis cannot tell.
  void drop_unproven_leaks();
  void explore(const Cfg& cfg);

  void note_return(State& s, const MaybeValue& v);

  void exit_path(State& s, TSNode at);
  // The local names a return statement's value mentions (its structs' members escape with it).
  const std::vector<std::string_view>& returned_locals(TSNode ret, TSNode value);
  std::unordered_map<const void*, std::vector<std::string_view>> returned_locals_;

  Summary make_summary() const;

  TSNode fn_;
  std::string_view src_;
  const Summaries& summaries_;
  NameMap<int32_t> ids_;
  std::vector<std::string> names_;
  std::vector<int32_t> roots_;
  std::vector<std::vector<int32_t>> fact_mentions_;
  std::vector<bool> fact_volatile_;
  std::string body_compact_;  // the body without white space (which conditions recur)
  NameMap<Local> locals_;
  NameSet statics_;
  NameSet static_arrays_;
  std::unordered_map<std::string, std::string> aliases_;
  // Leaks seen only on paths that took a side of an opaque condition (see is_opaque), and those
  // seen on other paths too; allocations freed or handed on somewhere (by start byte).
  std::set<std::tuple<std::string, uint32_t, uint32_t>> uncertain_leaks_, certain_leaks_;
  std::unordered_set<uint32_t> handled_allocs_;
  std::unordered_set<int16_t> derefs_;
  // The file's pointer globals this function mentions (not shadowed): followed like parameters,
  // with indices after the parameters'. Those it assigns; whether it calls unknown code.
  std::vector<std::pair<int, int32_t>> globals_;
  NameSet global_names_, written_globals_;
  // is_local per name, once the locals are collected: its answer cannot change after that (a
  // later locals_[n] only adds a name that is already a global, hence local).
  mutable NameMap<bool> is_local_;
  bool locals_known_ = false;
  bool calls_unknown_ = false;
  bool may_call_file_ = false;  // a call in the body names one of the file's functions
  std::string free_label_;  // names what a free acts on when no argument does (a global)  // parameters read through before any NULL test  // function pointer variable → file function  // static or extern arrays declared in the body
  std::vector<std::pair<int, int32_t>> params_;  // (index, name)
  int param_count_ = 0;
  bool ret_void_ = false, ret_pointer_ = false;
  std::string ret_type_;
  std::map<std::tuple<std::string, uint32_t, uint32_t>, Finding> findings_;
  bool duplicate_ = false;
  const FunctionNames& defined_;
  const FileScope& scope_;
  std::unordered_set<std::string> callees_;
  // Every name the analysis looked up in what the file and its headers define (summaries, the
  // file's functions, constants, function macros, unions): what its result depends on besides the
  // text and the pointer globals (FunctionResult::deps).
  mutable std::vector<Dep> deps_;
  void depend(std::string_view name, uint8_t what) const { deps_.push_back(Dep{std::string(name), what}); }
  bool ret_fresh_ = false, ret_null_ = false, ret_other_ = false, returns_void_end_ = false;
  int exits_ = 0;
  size_t work_ = 0;
  std::optional<long long> ret_constant_;
  bool ret_varied_ = false;
  // Returns of a parameter's block (unfreed): which one, and whether every return was one.
  int16_t ret_param_ = -1;
  bool ret_not_param_ = false;
  bool ret_freed_ = false;
  std::vector<uint8_t> fates_seen_;
};

}  // namespace c2py::analysis::c::flow::detail

namespace c2py::analysis::c::flow {

struct Prepared {
  std::string gave_up;  // build_cfg or collect_locals gave up: the reason
  std::vector<Dep> deps;  // the names collect_locals looked up (FunctionAnalyzer::deps_)
  Cfg cfg;
  NodeTable nodes;
  detail::NameMap<bool> is_local;
  std::string body_compact;
  // collect_locals' findings, and the interning right after it
  bool ret_void = false, ret_pointer = false;
  std::string ret_type;
  detail::NameMap<detail::FunctionAnalyzer::Local> locals;
  detail::NameSet statics, static_arrays, global_names, written_globals;
  std::unordered_map<std::string, std::string> aliases;
  std::vector<std::pair<int, int32_t>> params, globals;
  int param_count = 0;
  detail::NameMap<int32_t> ids;
  std::vector<std::string> names;
  std::vector<int32_t> roots;
};

}  // namespace c2py::analysis::c::flow
