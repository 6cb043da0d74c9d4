// The runtime model's abstract interpreter, internal to analyzers/runtime_model: the class
// Interp and the records it works on. Its members are defined in files shaped like CPython's
// own: the evaluation loop (ceval.cpp, define.cpp, recover.cpp, eval_expr.cpp, call.cpp) apart
// from one file per builtin type with its methods, sizes and growth rules (list_object.cpp,
// dict_object.cpp, str_object.cpp, long_float_object.cpp, tuple_object.cpp, set_object.cpp,
// iter_object.cpp, array_object.cpp), the builtins (bltinmodule.cpp), the cyclic GC
// (gcmodule.cpp), object allocation and frees (object.cpp) and what snapshots and hints show
// (snapshot.cpp); what it reads from the tree once per run is in syntax_facts.{hpp,cpp}. See
// ARCHITECTURE.md, "Runtime model".
//
// The abstract interpreter. It walks statements with an explicit depth bound (inputs may nest
// 100 000 levels), holds every value it computes as an owned reference (`Ref`) so that the
// counts include a statement's temporaries, and gives up (GiveUp) on anything it does not model:
// the innermost statement around it is stepped over (recover.cpp), what it may have changed
// becomes unknown and the lines it may have run are lost, because a wrong number shown as
// certain is worse than none. Only the budget ends a run.
#pragma once

#include "runtime_model/frame.hpp"
#include "runtime_model/interpreter.hpp"
#include "runtime_model/syntax_facts.hpp"
#include "syntax/syntax.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <unordered_set>

#include <map>
#include <set>
#include <unordered_map>

namespace c2py::runtime_model::engine {

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

  RunResult run(TSNode root);

  // ---- checkpoints (model.cpp) ----
  // A checkpoint is a copy of the whole interpreter between two top-level statements of the
  // module: every member is a value (or a NotCopied cache), so state added here is copied along.
  // Keep it so: no pointer into the interpreter among the members, except in NotCopied ones, and
  // nothing the run changes behind a shared_ptr (a suspended generator's frame must be a value
  // of its object, copied with it); tests/unit/test_model_checkpoints.cpp compares resumed runs
  // with fresh ones.
  Interp(const Interp&) = default;
  Interp& operator=(const Interp&) = delete;
  // Goes on from a copy: the module `root` (whose statements before `index` are those the
  // copy ran), from top-level statement `index`.
  RunResult resume(TSNode root, std::string_view source, const RunGoal& goal, size_t index, CheckpointSink* sink);
  void set_sink(CheckpointSink* sink) { top_.sink = sink; }
  // Scopes of defs by text from an earlier run (read only while this run lasts), and those of
  // this run's module defs, for the next.
  void set_scope_memo(const ScopeMemo* memo) { scope_memo_.previous = memo; }
  std::shared_ptr<const ScopeMemo> scope_memo() const;
  // Whether the run read the whole module's definitions by name (lose_lines) before here, and
  // which names: a later edit that defines one of them after the checkpoint invalidates it.
  bool def_index_used() const { return def_index_used_; }
  const std::unordered_set<std::string>& def_lookups() const { return def_lookups_; }

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
    if (!id || stopping_ || ((std::uncaught_exceptions() > 0 || soft_give_up_) && !raising_)) return;
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
  Id make_singleton(Kind kind, const char* type);

  void check_object_budget();

  Ref fresh(Obj&& o);

  // A constant object shared through the code's constants or CPython's caches.
  Id constant(const std::string& key, Obj&& o, bool immortal);

  Ref make_int(int64_t v, bool is_const = false);
  Ref make_wide(wide_t v, bool is_const = false);  // an int, beyond 64 bits or not
  std::optional<wide_t> int_value(Id id) const;    // an int's value (wide or not), if known
  std::optional<Ref> wide_binary(const std::string& op, Id a, Id b, bool folding);
  Ref make_float(double v, bool is_const = false);
  Ref make_bool(bool b) { return share(b ? true_ : false_); }
  Ref make_none() { return share(none_); }

  Ref make_str(std::string value, bool is_const = false);
  Ref make_bytes(std::string value, bool is_const = false);
  Ref make_list(std::vector<Ref> items, int64_t cap);
  Ref make_tuple(std::vector<Ref> items);

  Obj& at(Id id) { return heap_[id]; }

  void touch(Id id) {
    if (!track_ || stopping_) return;
    if (std::find_if(touched_.begin(), touched_.end(), [&](auto& p) { return p.first == id; }) == touched_.end() &&
        touched_.size() < 64)
      touched_.emplace_back(id, heap_[id].rc);
  }

  // Frees an object whose count reached zero, and everything that only it kept alive. A
  // worklist, not recursion: a linked list of 100 000 nodes frees in one go.
  void free_cascade(Id root);

  // Marks an object and what it reaches as unknown: an unknown callee may have changed them.
  void taint(Id root);
  // The object stays known and the model never frees it, but both counts become unknown (code
  // the model stepped over may have stored it somewhere), or only the interpreter's (a
  // traceback's frame holds a function until the cyclic GC runs).
  void count_unknown(Id id) {
    Obj& o = heap_[id];
    if (o.constant || o.hidden || o.count_unknown) return;
    o.count_unknown = true;
    ++o.rc;
  }
  void held_by_traceback(Id id) {
    Obj& o = heap_[id];
    if (o.constant || o.hidden || o.interp_unknown) return;
    o.interp_unknown = true;
    ++o.rc;
  }

  // ================= bookkeeping =================
  // Gives up. Thrown, unless the caller handles a returned give-up (`soft`): then soft_give_up_
  // is set and every function on the way back to exec_recoverable returns at once (a Ref
  // empty, a bool false, Flow::GaveUp) and does nothing else, so that the state it finds is the
  // one an unwind leaves (decref counts nothing meanwhile). A C++ throw costs tens of thousands
  // of instructions, and a statement in a loop may give up on every pass.
  void give_up(bool soft, std::string reason) {
    if (!soft) throw GiveUp{std::move(reason)};
    soft_reason_ = std::move(reason);
    soft_give_up_ = true;
  }
  // A returned give-up, thrown where the caller does not handle one.
  [[noreturn]] void throw_soft() {
    GiveUp g{std::move(soft_reason_)};
    soft_give_up_ = false;
    throw g;
  }
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
  std::unique_ptr<Frame> new_frame();
  // Remembers `name` as the object's name in the frame that owns the variable (the module for
  // a global assigned in a function).
  void note_name(Id id, std::string_view name);
  // The object's name in a frame, or "" when it had none there.
  std::string name_in(const Obj& o, uint64_t serial) const;
  Frame& module() { return *frames_.front(); }

  // ================= scopes =================
  // The parameters of a def or lambda: plain, with defaults and annotations, *args, **kwargs,
  // keyword-only (after `*` or *args) and positional-only (before `/`).
  // `unsupported` hears what the model does not read (and may throw).
  std::vector<Param> parse_params(TSNode params, const std::function<void(const std::string&)>& unsupported);

  const ScopeInfo& scope_of(TSNode def);

  // ================= names =================
  static Id* frame_var(Frame& f, const HashedName& name) {
    auto it = f.index.find(name);
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
  Id* slot(std::string_view name, bool for_store);

  Ref load_name(TSNode node);

  void store_name(std::string_view name, Ref value);

  void delete_name(std::string_view name);

  Id builtin(std::string_view name);

  // Builtins the model does not follow: calling one makes what it is given unknown.
  Id unknown_builtin(std::string_view name);

  static bool is_builtin_name(std::string_view name);
  static bool is_module_dunder(std::string_view name);
  // Library functions that run the program's own code (doctest examples, test cases, timed
  // statements) through sys.modules['__main__'] or the globals they are given: any global may
  // change, as with a user function.
  static bool runs_main_module(const std::string& name);
  // Builtins that read or change names and attributes behind the program's back, or run code.
  static bool is_reflective(std::string_view name);

  Id hidden_object(Kind kind, const std::string& name);

  // ================= statements =================
  Flow exec_block(TSNode block, int);

  // ---- stepping over what the model cannot follow ----
  // A statement at module or class level that gives up does not end the run: what it may have
  // done is made unknown (see recover) and the next statement runs. Only the budget ends a run.
  struct Checkpoint {
    size_t frames, active, comp, heap, dirty;
    uint64_t level_seq;
  };

  Flow exec_recoverable(TSNode stmt, TSNode next, bool& clean);

  // After a give-up inside `stmt`: the C++ stack unwound without releasing its references, and
  // CPython would have gone on with the rest of the statement. What that may have changed becomes
  // unknown (count null, snapshot incomplete): every object whose count changed during the
  // statement, every object it made, what the statement's names refer to (all module objects
  // when it may run user code, which can reach any global), and the names it binds, which are
  // bound to an opaque object. Everything else stays known.
  void recover(TSNode stmt, const Checkpoint& cp, const std::string& reason);

  // Whether running `stmt` may call user code (a function, a class, a method, an operator or a
  // wrapped function), which could reach any global. Conservative: any name bound to user code
  // or to an instance, or unbound, counts.
  bool may_run_user_code(TSNode stmt);

  // Whether stepping over `stmt` would leave the flow of control unknown: it holds a return,
  // raise or yield (outside nested functions, classes and lambdas), or a break/continue of a
  // loop around it. Such a statement is not stepped over; the statement around it is.
  bool jumps_out(TSNode stmt);

  // After `stmt` is stepped over: the lines it had not run yet, and those of every function it
  // may have called, may have first run unseen. Their first execution is lost: no snapshot or
  // hint is taken there later (a later run would show another moment as the first).
  // True when that code may rebind names of other scopes (global, nonlocal, reflection).
  bool lose_lines(TSNode stmt, const std::string& reason);
  // Defs by name, and per-node facts of the tree (syntax_facts.hpp).
  NotCopied<DefIndex> def_index_;
  bool def_index_used_ = false;
  std::unordered_set<std::string> def_lookups_;
  SubtreeFacts& subtree_facts(TSNode node);
  NotCopied<VisitMarks> seen_;  // lose_lines's walk over objects
  // syntax::field and engine::kids, memoized for the run (syntax_facts.cpp): the members hide
  // them. A field's name is a string literal, whose address keys the memo.
  template <size_t N>
  TSNode field(TSNode node, const char (&name)[N]) {
    return literal_field(node, name, N - 1);
  }
  TSNode literal_field(TSNode node, const char* name, size_t size);
  FieldList& fields(TSNode node);  // all of a node's, for several reads: f["left"]
  const std::vector<TSNode>& kids(TSNode node);
  const std::vector<TSNode>& block_statements(TSNode block);  // named, without comments
  const ComparisonShape& comparison_shape(TSNode node);
  NotCopied<SyntaxMemo> syntax_memo_;

  // The names a statement binds in the current scope (not those of nested functions, classes,
  // lambdas or comprehensions, which have their own).
  std::vector<std::string> bound_names(TSNode stmt);

  // An object the model knows nothing about: no count, no size, no contents.
  Ref opaque();

  // The opaque result of an operation on vague inputs: it may refer to anything they reach, so
  // they become unknown too.
  Ref opaque_from(std::initializer_list<Id> inputs) {
    for (Id id : inputs) taint(id);
    return opaque();
  }

  // Whether an object's value or contents are unknown (not only its count): an opaque object, a
  // scalar without a value, a tainted mutable container or instance. A tainted str or tuple
  // still has its value: it cannot change.
  bool vague(Id id) const;

  // Starts the bookkeeping of a statement; the matching end_stmt captures and records.
  void begin_stmt(TSNode stmt);

  void end_stmt(TSNode stmt, TSNode next);

  Flow exec_stmt(TSNode stmt, TSNode next);

  Flow exec_if(TSNode stmt, TSNode next);

  Flow exec_while(TSNode stmt, TSNode next);

  // An iterator over a known sequence: the object CPython keeps on the value stack while a for
  // loop runs (it holds a reference to the sequence).
  Ref make_iter(Id seq, bool soft = false);  // soft: see give_up

  // A tuple of n Nones: the result tuple enumerate, zip and dict.items() start with.
  Ref none_pair(size_t n);

  // CPython reuses the cached result tuple when only the iterator holds it; otherwise a new one.
  Ref result_tuple(Id iter, std::vector<Ref> items);

  // The next item, or an empty Ref at the end (the iterator then drops its sequence, as
  // CPython's list iterator does).
  Ref iter_next(Id iter);

  Flow exec_for(TSNode stmt, TSNode next);
  Flow for_loop(TSNode stmt, TSNode next, Ref iter, bool first_pass);

  // ---- generators (gen_object.cpp) ----
  std::string yield_unsupported(TSNode yield, TSNode body);  // "" when the model resumes it
  Ref make_generator(Id fn, std::unique_ptr<Frame> frame);
  Ref make_genexpr(TSNode node, bool soft = false);  // soft: its first iterable (see give_up)
  Ref gen_next(Id gen);  // the next item, or empty when it returns
  Ref genexpr_next(Id gen);
  Flow gen_resume(TSNode body, uint32_t at, std::vector<Id>& stack);
  Flow resume_level(TSNode block, const std::vector<TSNode>& chain, size_t k, std::vector<Id>& stack, size_t& pos);
  Flow exec_yield(TSNode stmt, TSNode yield);
  Flow yield_from(TSNode stmt, Ref sub);
  Ref instance_iter(Id obj);  // iter() of an instance: its class's __iter__
  std::vector<Id> yield_stack_;  // iterators of the loops a suspending generator leaves
  Id yielded_ = 0;               // the value a suspending generator passes out (owned)
  int64_t yield_at_ = 0;         // … and the start byte of its `yield` statement

  Flow exec_try(TSNode stmt, TSNode);
  Flow exec_with(TSNode stmt, TSNode next);

  void exec_import(TSNode stmt);

  static bool known_callable(const std::string& name);

  void define_function(TSNode def);

  // A function of the standard library written in Python (doctest.testmod, dataclasses.dataclass…)
  // imported by name: shown as a `function` of known size, shared with its library (no count of
  // the program's), and called as library code. 0 for any other name.
  Id library_function(const std::string& full);
  std::unordered_map<std::string, Id> library_functions_;

  // A decorated def or class: the decorator expressions are evaluated first, then the
  // definition, then each decorator is called on the result, innermost first, and the last
  // result is bound. A user decorator is an ordinary call. A library decorator (functools,
  // dataclasses, abc…) keeps the function: the name is bound to an opaque callable that runs user
  // code, so calling it gives up while the rest of the module goes on. @staticmethod,
  // @classmethod and @property alone on a method: the wrapper is bound (so the class and its
  // other methods stay usable), but using it gives up: a property runs user code on access.
  void define_decorated(TSNode stmt);

  // @dataclass (no arguments) on a class of plain fields: the class gets the __init__ that
  // dataclasses generates (parameters in field order, defaults in its __defaults__, one
  // attribute store per field), run as library code; the generated __eq__ and __repr__ make
  // equality, hashing (__hash__ = None) and printing give up. Anything else (field(), ClassVar,
  // InitVar, KW_ONLY, a base class, a default that is not an immutable constant) gives up.
  void make_dataclass(Id cls, TSNode def);

  // MAKE_FUNCTION: positional defaults into __defaults__, keyword-only ones into
  // __kwdefaults__, then the annotations (evaluated unless `from __future__ import
  // annotations`: PEP 563), then the function object with its closure cells.
  Ref make_function(TSNode def);

  // An annotation: CPython 3.11–3.13 evaluate it when the def runs (unless PEP 563's future
  // import is on) and keep the value in the function's annotations. The model does not keep
  // the value; it checks that the names exist (a NameError ends the module in CPython) and
  // makes an object of the program used as an annotation unknown (it gains a reference).
  void check_annotation(TSNode ann);
  TSNode leftmost_name(TSNode n);
  void check_annotation_name(TSNode n);

  void capture_cells(Obj& fn, const ScopeInfo& info);

  void define_class(TSNode def);

  // ================= assignment =================
  bool exec_assignment(TSNode node);  // false: gave up without a throw (soft_give_up_, recover.cpp)
  bool assign_target(TSNode target, Ref value, bool soft = false);  // soft: false, not a throw

  void note_cycle(Id holder, Id value, TSNode where);

  bool reaches(Id from, Id to);

  void set_attr(Id obj, const std::string& name, Ref value);

  TSNode cur_stmt_node();

  // Key lookup in a dict's keys or a set's items. Past a few entries, through a hash index
  // from the key's value (kept per container, rebuilt when its size says it is stale), so that
  // filling a dict of n keys costs O(n), not O(n²).
  using KeyIndex = engine::KeyIndex;
  static constexpr size_t kIndexFrom = 16;

  // The key's value as a string (equal keys, equal strings), or "" when the model cannot say.
  std::string key_fingerprint(Id key, int depth = 0) const;

  std::optional<size_t> dict_find(const Obj& d, Id key);

  // The container's index, rebuilt when stale (an erase changed its size).
  KeyIndex& key_index(const Obj& d);

  // Records a key appended to a dict or set whose index is current; key i about to be erased.
  void key_appended(const Obj& d);
  void key_erasing(const Obj& d, size_t i);

  bool is_hashable_known(Id key, int depth = 0);
  // An object compared and hashed by identity (object.__eq__, object.__hash__): an instance of
  // a class that defines neither __eq__ nor __hash__ (nor anything the model refuses), a
  // function, a class. Equal only to itself.
  bool identity_hashed(Id id) const;

  bool equal_keys(Id a, Id b, int depth = 0);

  void dict_set(Id dict, Ref key, Ref value);

  int64_t index_of(Id seq, Id key, int64_t n);

  bool set_item(Id obj, Id key, Ref value, TSNode where, bool soft = false);  // soft: see soft_give_up_

  void delete_target(TSNode t);

  // list capacity change, recorded for the `cap a → b` hint.
  void list_set_cap(Id list, int64_t old_size, int64_t new_size);
  void note_cap(int64_t before, int64_t after);

  bool exec_augmented(TSNode node);  // false: gave up without a throw

  Ref inplace_op(const std::string& op, Ref left, Ref right, TSNode node);

  // ================= expressions =================
  Ref eval_tuple_or_expr(TSNode node, bool soft = false);

  // Whether an expression is folded to a constant by CPython's compiler (literals and
  // operators on them), so the object is shared with the code and has no count of its own.
  bool is_constant_expr(TSNode node);  // memoized (syntax_facts.cpp)
  bool constant_expr(TSNode node, int depth);

  // With `soft`, the commonest give-ups on the way (comparing, testing, iterating unknown values,
  // abs() and int() of a float) return an empty Ref instead of throwing (see give_up).
  Ref eval(TSNode node, bool soft = false);

  Ref fold_constant(TSNode node);

  Ref eval_const_parts(TSNode node);

  Ref literal(TSNode node);  // memoized per node when it made a code constant (not an f-string)
  Ref read_literal(TSNode node);

  // A new str whose text the model does not know (its count is still the program's).
  Ref unknown_str();

  Ref eval_fstring(TSNode node);
  int64_t fstrings_read_ = 0;  // f-strings evaluated (literal() memoizes no f-string's value)
  Ref user_str(Id obj);
  std::optional<std::string> container_repr(Id id, int depth);  // repr() the model can print  // str(obj) through its class's __str__/__repr__; empty: not such a class

  std::string utf8_substr(const std::string& s, int64_t start, int64_t count);

  Ref to_str(Id v);

  Ref eval_list_display(TSNode node);

  Ref eval_dict_display(TSNode node);

  Ref new_set();

  void set_add(Id set, Ref item);

  Ref eval_set_display(TSNode node);

  Ref eval_comparison(TSNode node, bool soft = false);

  bool numeric(const Obj& o) { return (o.kind == Kind::Int || o.kind == Kind::Bool || o.kind == Kind::Float) && o.has_value; }
  double num(const Obj& o) { return o.kind == Kind::Float ? o.fval : static_cast<double>(o.ival); }

  bool compare(const std::string& op, Id a, Id b, bool soft = false);
  std::optional<bool> user_compare(const std::string& op, Id a, Id b);

  // `is` on two names of one model object is certain except for equal constants, which CPython
  // may or may not share between code objects.
  bool identity_certain(Id a);

  bool truth(Id id, bool soft = false);

  Ref binary(const std::string& op, Id a, Id b, TSNode node, bool folding);

  Ref unary(const std::string& op, Id a, bool folding);

  Ref get_attr(Id obj, const std::string& name);

  Id class_lookup(Id cls, const std::string& name);

  Ref eval_subscript(TSNode node);

  Ref get_item(Id obj_id, Id key_id);

  Ref eval_slice(Id obj, TSNode slice);
  Ref stepped_slice(Id obj, std::optional<int64_t> start, std::optional<int64_t> stop, int64_t step);

  // Comprehensions run in their own scope (a function in 3.11, inlined with saved names in
  // 3.12+): after the statement the difference does not show.
  // A sink takes each item a generator expression yields; false stops it (all(), any()).
  using Sink = std::function<bool(Ref)>;

  // A comprehension, or a generator expression consumed at once: into a list grown by appends
  // (what list(), sorted() and tuple() see), or item by item into `sink`.
  Ref eval_comprehension(TSNode node, const Sink* sink = nullptr);

  bool run_clauses(TSNode node, const std::vector<TSNode>& clauses, size_t i, Id result, const Sink* sink);

  // f(x for x in xs) where f is a builtin that consumes it at once. all() and any() stop at
  // the first item that decides; the others see the items as a list grown by appends (as
  // list(generator) builds it). 0: not such a call.
  Ref call_with_generator(TSNode fn, TSNode gen);

  void comp_assign(TSNode target, Ref value);

  void list_append(Id list, Ref value);

  // list.extend / +=: from a list or tuple one resize to the sum; on an empty list (no slots)
  // an exact preallocation; from other iterables with a length, the same with that length.
  void list_extend(Id list, Id src, TSNode);

  // ================= calls =================
  using Args = CallArgs;

  Args eval_args(TSNode arglist, bool soft = false);  // soft: f(x for x in unknown) (give_up)

  Ref eval_call(TSNode node, bool soft = false);

  static bool has_attr(const Obj& o, const std::string& name);
  // The function a staticmethod wraps (its __get__ returns it), or 0 for anything else.
  Id static_function(Id id) const;

  Ref call(Id callee, Args args, TSNode node, bool soft = false);

  // numpy.zeros/ones/empty/full(shape, dtype=…): one block of C values, dtype size × items
  // (MM18). The ndarray object stays unknown in snapshots (its header size depends on numpy's
  // version, which is not installed here to check); the hint gives the data block's size.
  void note_numpy(const std::string& name, const Args& args);

  // An unknown callee can raise (and jump to an enclosing except clause) or call user code it
  // is given (a function, a method through an instance, a class): neither can be followed.
  void check_unknown_call(const Args& args);

  Ref call_function(Id fn_id, Args args, TSNode);

  // Binds a call's arguments to a function's parameters as CPython's initialize_locals does: the
  // frame takes over the caller's references (extra positionals into the *args tuple, unknown
  // keywords into the **kwargs dict); a missing one comes from __defaults__/__kwdefaults__.
  std::vector<std::pair<std::string, Ref>> bind_arguments(Id fn_id, const ScopeInfo& info, Args args);

  Ref instantiate(Id cls, Args args, TSNode node);

  Ref sequence_list(Id src, bool exact_from_len);
  // list(it) of an iterator, a generator or an iterable instance (list_extend): preallocated to
  // the length hint, grown by appends, cut back at the end.
  Ref iterator_list(Id src);
  void extend_from_iterator(Id list, Id src, bool list_init = false);
  Ref iterator_tuple(Id src);
  int64_t user_len(Id obj, Id method);  // len(obj) through its class's __len__
  // sum/min/max of an iterator: one item at a time, only the best one kept.
  Ref reduce_iterator(const std::string& name, Id src);

  static bool is_math_function(const std::string& name);
  Ref call_math(const std::string& name, Args& args);
  Ref call_struct(const std::string& name, Args& args);  // structmodule.cpp
  Ref call_heapq(const std::string& name, Args& args);   // heapqmodule.cpp
  Ref call_deepcopy(Args& args);                          // copymodule.cpp
  Ref deepcopy(Id x, std::unordered_map<Id, Id>& memo, int depth);
  bool heap_less(Id a, Id b);
  void heap_siftdown(Id heap, size_t startpos, size_t pos);
  void heap_siftup(Id heap, size_t pos);
  Id module_constant(const std::string& name);
  Id string_constant(const std::string& name);
  Ref call_builtin(const std::string& name, Args args, TSNode node, bool soft = false);

  Ref make_array(Args args, TSNode);

  void check_numbers(const std::vector<Id>& items, char code);

  // Whether printing an object runs a user-defined __repr__/__str__ (bounded search).
  bool reaches_user_repr(Id id, int depth);

  std::optional<int64_t> length_of(const Obj& o);

  void sort_items(Id list, bool reverse, Id key = 0, TSNode node = {});
  int order(Id a, Id b, bool& bad, int depth);

  bool any_vague(const Args& args, bool wide_known = false) const;
  void taint_args(const Args& args);

  Ref call_method(Id obj, const std::string& name, Args args, TSNode node);
  // A method call on an object of a builtin type, as its handler sees it.
  using MethodCall = engine::MethodCall;
  using MethodTable = engine::MethodTable;
  MethodTable list_methods();
  MethodTable dict_methods();
  MethodTable set_methods();
  MethodTable str_methods();
  MethodTable bytearray_methods();
  MethodTable array_methods();
  const MethodTable* methods_of(Kind kind);
  NotCopied<std::unordered_map<int, MethodTable>> method_tables_;  // by Kind, built on first use in a run (bound to `this`)

  // ================= the cyclic GC =================
  // CPython's algorithm: subtract the references objects hold to each other; what is still
  // referenced from outside is reachable, and so is everything it reaches; the rest is garbage.
  std::vector<Id> find_garbage();

  void collect_garbage();

  // ================= what the user sees =================
  std::vector<std::string> names_of(Id id, const NamesByObject* module_names = nullptr);

  // "a", "b", "rows[0]", "node.next": who refers to an object, for hints and hovers.
  std::string describe_referrers(Id id, int64_t& listed);

  // A name's hover facts: type, the program's references (and the interpreter's, when
  // `program_refs` splits the count), len, capacity, size.
  std::string facts(Id id, const std::unordered_map<Id, int64_t>* program_refs, const NamesByObject* module_names = nullptr);
  // How many references to each object the program holds (design.md's `refcount`): from the
  // variables of every live frame and what they reach, and from objects waiting in a cycle.
  std::unordered_map<Id, int64_t> program_ref_counts(const std::vector<Id>& garbage);
  // References to an object from the variable slots of every live frame and comprehension
  // scope: a lower bound of program_ref_counts's figure for it.
  int64_t variable_refs(Id id) const;
  static constexpr size_t kSplitCountsUpTo = 20000;  // heap records: hovers split counts below

  void record_line(TSNode stmt, const Active& act);

  // The hover note of a function's last statement: what went when its frame did.
  void note_return_frees(const Frame& dead, size_t mark);

  HeapSnapshot capture(const Active& act);

  // The repr of a dict key for a `via` label: str, int, bool, None and tuples of them; "…"
  // for a key the model cannot print.
  std::string key_repr(Id key, int depth) const;
  // Python's repr of a str: single quotes unless the text has one and no double quote.
  static std::string str_repr(const std::string& text);
  // repr() of None, bool, int, float and short ASCII str objects; nullopt for anything else.
  std::optional<std::string> value_repr(const Obj& o) const;

  // The text of a node, from the source its tree was parsed from: the module, or a docstring
  // example doctest runs (doctest_module.cpp). Hides syntax::text_of in the members.
  std::string_view text_of(TSNode n, std::string_view) const {
    if (n.tree == root_.tree || doctest_sources_.empty()) return syntax::text_of(n, src_);
    for (const auto& d : doctest_sources_)
      if (d->tree.raw() == n.tree) return syntax::text_of(n, d->text);
    return syntax::text_of(n, src_);
  }
  // Whether a node is of the module (this run's tree, or an earlier version's whose text is the
  // same there, kept by a checkpoint), not of a doctest example or generated code.
  bool module_node(TSNode n) const {
    if (n.tree == root_.tree) return true;
    for (const auto& d : doctest_sources_)
      if (d->tree.raw() == n.tree) return false;
    return true;
  }
  // doctest.testmod(): the examples of every docstring, run as doctest does.
  struct DoctestSource {
    std::string text;
    syntax::Tree tree;
  };
  struct DocTest {
    std::string name;
    std::vector<std::string> examples;
  };
  Ref run_doctests();
  void collect_doctests(Id obj, const std::string& name, std::vector<DocTest>& out, std::vector<Id>& seen, int depth);
  std::vector<std::string> docstring_examples(TSNode def_or_module);
  void display(Ref value);
  std::vector<std::shared_ptr<const DoctestSource>> doctest_sources_;
  bool foreign_ = false;          // running code doctest runs, not the program's own statements
  uint32_t foreign_line_ = 0;     // … on behalf of this line (the testmod() call)
  Frame* doctest_frame_ = nullptr;  // the current test's globals (a copy of the module's)
  Id underscore_ = 0;             // builtins._, set by the display hook (the interpreter's reference)
  bool raising_ = false;          // a PyRaise is unwinding: references are released as it goes

  std::string_view src_;
  RunGoal goal_;
  NotCopied<std::unordered_map<const Obj*, KeyIndex>> key_indexes_;  // a record moves only to a new address (ObjStore)
  Version version_;
  long max_steps_;
  ObjStore heap_;
  FrameStack frames_;
  std::unordered_map<std::string, Id> consts_;
  std::array<Id, 262> small_ints_{};  // the small ints' constants (-5 … 256) made so far
  // By (tree, start byte): defs of the module, of doctest examples and of generated code.
  std::map<std::pair<const void*, uint32_t>, std::shared_ptr<const ScopeInfo>> scopes_;
  std::vector<Active> active_;
  std::vector<FreedView> freed_;
  std::vector<std::pair<Id, int64_t>> touched_;
  Id id_mark_ = 0;
  bool track_ = false;
  bool stopping_ = false;
  bool soft_give_up_ = false;  // a give-up is being returned, not thrown (give_up, recover.cpp)
  std::string soft_reason_;    // … and its reason
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
  std::set<uint32_t> cycle_scopes_;  // classes and functions (by start byte) given a cycle note
  TSNode root_{};
  bool future_annotations_ = false;  // from __future__ import annotations (PEP 563)
  bool star_import_ = false;         // from X import * ran: unknown names may come from it
  std::vector<Id> dirty_;     // objects whose count changed since the outermost statement began
  uint64_t dirty_seq_ = 0, level_seq_ = 0;
  int levels_ = 0;            // recoverable statements being run
  int64_t give_up_count_ = 0;
  Id none_ = 0, true_ = 0, false_ = 0;
  RunResult result_;
  // The run's walk over the module's top-level statements: where it resumes, which one runs,
  // where checkpoints go (model.cpp).
  struct TopLevel {
    size_t resume_at = 0;
    size_t index = 0;
    CheckpointSink* sink = nullptr;
  };
  NotCopied<TopLevel> top_;
  struct ScopeMemoLink {
    const ScopeMemo* previous = nullptr;
  };
  NotCopied<ScopeMemoLink> scope_memo_;
  // Before top-level statement `i` runs: a checkpoint when one is due (model.cpp).
  void at_top_level(size_t i, const std::vector<TSNode>& stmts);

  friend class Ref;
};

inline void Ref::reset() {
  if (id_ && in_) in_->decref(id_);
  id_ = 0;
}

}  // namespace c2py::runtime_model::engine
