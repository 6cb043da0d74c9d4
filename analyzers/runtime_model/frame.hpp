// The records the runtime model's evaluation loop works on, as CPython keeps its frame and
// value-stack records apart from the loop (Include/internal/pycore_frame.h): the model's
// bounds, the give-up and flow signals, a def's parameters and scope, the owned reference
// (`Ref`), a frame and the statement being executed. Internal to analyzers/runtime_model; the
// class that uses them is in interp.hpp.
#pragma once

#include "runtime_model/interpreter.hpp"
#include "syntax/syntax.hpp"

#include <functional>
#include <initializer_list>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace c2py::runtime_model::engine {

using syntax::field;
using syntax::text_of;
using syntax::type_of;

constexpr int kMaxDepth = 400;         // nested expressions/blocks/calls the model follows
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

// Gives up unless a call got exactly `n` positional arguments (`what` names it: ".append", "len").
inline void require_arity(size_t got, size_t n, const std::string& what) {
  if (got != n) throw GiveUp{what + "() with " + std::to_string(got) + " arguments"};
}
struct Stop {};
// A Python exception the model follows (a `raise` in code doctest runs): the C++ stack unwinds
// releasing references as CPython's frames do, up to the example that doctest catches it in.
struct PyRaise {};

// Yield: a generator's frame suspends (gen_object.cpp); the loops it leaves keep their iterators.
// GaveUp: exec_stmt's statement gave up without a throw (Interp::give_up: the commonest
// give-ups in loops): only exec_recoverable sees it, and does what its catch does.
enum class Flow { Normal, Return, Break, Continue, Yield, GaveUp };

// One parameter of a def or lambda, in order.
struct Param {
  enum Kind { Plain, VarArgs, VarKeywords } kind = Plain;
  std::string name;
  bool positional_only = false, keyword_only = false;
  TSNode value{};       // its default (null: none)
  TSNode annotation{};  // null: none
};

// A def's scope, a function of its text alone (memoized by text across versions of the module:
// ScopeMemo): what it binds, reads and keeps in cells, and its parameters.
// Sets and maps of names, looked up by string_view without building a std::string.
using NameSet = std::set<std::string, std::less<>>;
// A name with its hash, computed once for the several lookups of one name (Interp::slot).
struct HashedName {
  std::string_view text;
  size_t hash;
  explicit HashedName(std::string_view s) : text(s), hash(std::hash<std::string_view>()(s)) {}
  friend bool operator==(const HashedName& a, const std::string& b) { return a.text == b; }
};
struct NameHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  size_t operator()(const HashedName& n) const { return n.hash; }
};
template <typename V>
using NameMap = std::unordered_map<std::string, V, NameHash, std::equal_to<>>;

struct ScopeInfo {
  TSNode def{};
  int nest = 0;  // how deep defs and lambdas nest inside it (scope_of recurses that deep)
  NameSet locals, cellvars, needs, globals;
  // Each name of locals, cellvars and globals with its roles (bits), so that resolving a name
  // (Interp::slot, on every load and store) is one hash lookup, not a search of three sets:
  // built by index_roles() once the sets are final (scope_of; a copy copies it).
  enum Role : uint8_t { Local = 1, Cell = 2, Global = 4 };
  NameMap<uint8_t> roles;
  void index_roles() {
    roles.clear();
    for (const auto& n : locals) roles[n] |= Local;
    for (const auto& n : cellvars) roles[n] |= Cell;
    for (const auto& n : globals) roles[n] |= Global;
  }
  uint8_t role(std::string_view name) const { return role(HashedName(name)); }
  uint8_t role(const HashedName& name) const {
    auto it = roles.find(name);
    return it == roles.end() ? 0 : it->second;
  }
  std::vector<Param> params;
  bool generator = false;    // a `yield` in its body: a call makes a generator (gen_object.cpp)
  bool unsupported = false;  // calls give up, saying why:
  std::string unsupported_reason;
};

// Named children, empty for a null node (tree-sitter would dereference it): `lambda: 1` has no
// parameters node.
std::vector<TSNode> kids(TSNode node);

std::string human_size(int64_t bytes);
std::string wide_text(wide_t v);  // decimal digits of an int

// Code points and the narrowest CPython str kind of a UTF-8 text.
void measure_utf8(std::string_view s, int64_t& len, int& kind);

void append_utf8(std::string& out, uint32_t cp);

// Processes backslash escapes of a (non-raw) literal body. False for escapes the model does not
// decode (\N{...}, octal).
bool unescape(std::string_view body, bool bytes, std::string& out);

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
  void reset();

 private:
  Interp* in_ = nullptr;
  Id id_ = 0;
};

// A frame's return value: an owned reference that a checkpoint (taken between two module
// statements, when no call is running) copies as empty.
class ReturnRef : public Ref {
 public:
  ReturnRef() = default;
  ReturnRef(const ReturnRef& o) : Ref() {
    if (o) throw std::logic_error("a checkpoint copied a frame while it returns");
  }
  ReturnRef& operator=(const ReturnRef&) = delete;
  ReturnRef(ReturnRef&&) noexcept = default;
  ReturnRef& operator=(ReturnRef&&) noexcept = default;
  ReturnRef& operator=(Ref&& r) noexcept {
    Ref::operator=(std::move(r));
    return *this;
  }
};

// What the interpreter keeps only for the run that made it (a cache, a link to the run's
// caller): a copy of the interpreter (a checkpoint) starts it empty.
template <typename T>
struct NotCopied : T {
  NotCopied() = default;
  NotCopied(const NotCopied&) : T() {}
  NotCopied& operator=(const NotCopied&) {
    static_cast<T&>(*this) = T();
    return *this;
  }
  NotCopied(NotCopied&&) = default;
  NotCopied& operator=(NotCopied&&) = default;
};

struct Frame {
  uint64_t serial = 0;               // unique in a run: names objects per frame
  const ScopeInfo* scope = nullptr;  // null: module or class body (ScopeInfos are shared, immutable)
  bool is_class = false;
  std::vector<std::pair<std::string, Id>> vars;  // owned; cells for cell variables
  NameMap<size_t> index;  // name → position in vars (modules have many)
  Id func = 0;
  std::vector<std::vector<std::pair<std::string, Id>>> comp;  // comprehension variables
  ReturnRef ret;
  uint32_t last_line = 0;   // the last statement that ran in this frame
  bool last_first = false;  // … and whether that was its first (recorded) execution
};

// The frames of the running calls, innermost last; a copy (a checkpoint) copies each frame.
struct FrameStack : std::vector<std::unique_ptr<Frame>> {
  FrameStack() = default;
  FrameStack(const FrameStack& o) : std::vector<std::unique_ptr<Frame>>() {
    reserve(o.size());
    for (const auto& f : o) push_back(std::make_unique<Frame>(*f));
  }
  FrameStack& operator=(const FrameStack&) = delete;
  FrameStack(FrameStack&&) = default;
  FrameStack& operator=(FrameStack&&) = default;
};

// A call's arguments, evaluated.
struct CallArgs {
  std::vector<Ref> positional;
  std::vector<std::pair<std::string, Ref>> keywords;
  // f(*xs): CALL_FUNCTION_EX packs every positional argument into one tuple (xs itself when
  // it is the only one and a tuple) that 3.11 holds on its stack while the call runs.
  Ref star;
  bool starred = false;
};

// A method call on an object of a builtin type, as its handler sees it (Interp::call_method).
struct MethodCall {
  Id self;
  Obj& o;  // heap records stay put while the handler allocates
  const std::string& name;
  CallArgs& args;
  std::vector<Ref>& a;  // args.positional
  TSNode node;
  void need(size_t n) const { require_arity(a.size(), n, "." + name); }
};
// Each builtin type's methods by name, built in the type's own file (list_object.cpp,
// dict_object.cpp, ...): adding a method is adding one entry there.
struct MethodTable {
  std::unordered_map<std::string, std::function<Ref(MethodCall&)>> at;
  void add(std::initializer_list<const char*> names, const std::function<Ref(MethodCall&)>& handler) {
    for (const char* n : names) at.emplace(n, handler);
  }
};

// A dict's or set's keys by value (Interp::key_index): position by fingerprint.
struct KeyIndex {
  std::unordered_map<std::string, size_t> at;
  size_t count = 0;
};

// The module's variables by the object each holds, in their order: built once for the hovers
// of one statement (Interp::record_line), whose every name lists who else names its object
// (names_of would scan all the module's variables for each).
using NamesByObject = std::unordered_map<Id, std::vector<std::string_view>>;

struct Active {  // a statement being executed
  uint32_t line;
  size_t freed_mark;
  bool first;
  TSNode stmt{};  // the statement itself (under doctest, `line` is the testmod() call's)
};

}  // namespace c2py::runtime_model::engine
