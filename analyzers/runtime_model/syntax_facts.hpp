// What the runtime model reads from the syntax tree rather than from the heap, computed once per
// run and node instead of on every pass of a loop: the module's defs by name, and per statement
// (a function of its subtree) whether it jumps, the names it binds, and the facts that stepping
// over it needs (its lines, its identifiers). Internal to analyzers/runtime_model; the memo
// lives in engine::Interp (interp.hpp) and is not copied into checkpoints (NotCopied).
#pragma once

#include "runtime_model/frame.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace c2py::runtime_model::engine {

// The kinds of node the evaluation loop dispatches on, by the grammar's symbol: `sym(n) ==
// Sym::call` says what `type_of(n) == "call"` says (the table maps each symbol by its name,
// aliases included) without comparing text; every other kind, and a null node, is Sym::other.
enum class Sym : uint8_t {
  other,
  identifier,
  integer,
  float_,
  string,
  concatenated_string,
  true_,
  false_,
  none,
  parenthesized_expression,
  list,
  tuple,
  dictionary,
  set,
  binary_operator,
  unary_operator,
  not_operator,
  boolean_operator,
  comparison_operator,
  conditional_expression,
  call,
  attribute,
  subscript,
  list_comprehension,
  set_comprehension,
  dictionary_comprehension,
  lambda,
  generator_expression,
  named_expression,
  expression_list,
  pattern_list,
  tuple_pattern,
  list_pattern,
  if_statement,
  elif_clause,
  else_clause,
  for_statement,
  while_statement,
  function_definition,
  class_definition,
  try_statement,
  with_statement,
  decorated_definition,
  expression_statement,
  yield,
  assignment,
  augmented_assignment,
  pass_statement,
  return_statement,
  delete_statement,
  break_statement,
  continue_statement,
  import_statement,
  import_from_statement,
  future_import_statement,
  global_statement,
  assert_statement,
  raise_statement,
  keyword_argument,
  dictionary_splat,
  list_splat,
  comment,
  slice
};
Sym sym(TSNode node);

// Every def of the module by name, and the special methods: built from the tree on first use
// (a checkpoint resumed over an edited module builds it again from the new tree).
struct DefIndex {
  std::unordered_map<std::string, std::vector<TSNode>> by_name;
  std::vector<TSNode> dunders;
  bool built = false;
};

// A node of this run: its subtree, its tree (the module, a doctest example's, generated code's)
// and its place there.
struct SyntaxKey {
  const void* id;
  const void* tree;
  uint32_t start;
  static SyntaxKey of(TSNode n) { return {n.id, n.tree, ts_node_start_byte(n)}; }
  bool operator==(const SyntaxKey&) const = default;
};
struct SyntaxKeyHash {
  size_t operator()(const SyntaxKey& k) const {
    return std::hash<const void*>()(k.id) ^ (std::hash<const void*>()(k.tree) << 1) ^ (size_t{k.start} << 7);
  }
};

// One walk of a subtree, for stepping over it (recover.cpp: lose_lines, may_run_user_code):
// how many nodes it has (lose_lines charges them as steps), the lines its nodes start on, its
// identifiers (each once, in the order of their first occurrence: every use of them is
// idempotent, so the later ones changed nothing), and what it holds that may rebind names or
// define code.
struct SubtreeFacts {
  int64_t nodes = 0;
  std::vector<uint32_t> lines;          // increasing
  std::vector<std::string_view> names;  // views of the node's source text, which outlives the run
  bool scope_statement = false;         // `global` or `nonlocal`
  bool rebinding_name = false;          // reflection, __defaults__, __code__, __dict__, …
  bool defines = false;                 // a class or a decorated definition
  // The module's defs of each name (parallel to names; null: none), once lose_lines asked.
  bool defs_known = false;
  std::vector<const std::vector<TSNode>*> defs;
};

// Marks the objects a walk over the heap has seen (lose_lines), without a hash set per walk: an
// object is seen when its stamp is the walk's.
struct VisitMarks {
  std::vector<uint32_t> stamp;
  uint32_t walk = 0;
  void start(size_t objects) {
    if (++walk == 0) {
      std::fill(stamp.begin(), stamp.end(), 0);
      walk = 1;
    }
    if (stamp.size() < objects) stamp.resize(objects, 0);
  }
  bool first(Id id) {
    if (stamp[id] == walk) return false;
    stamp[id] = walk;
    return true;
  }
};

// The fields of a node read so far, by the field's name: names are string literals
// (Interp::field takes only character arrays), so their address is the key. One memo lookup
// gives a node's fields (Interp::fields): the evaluation loop reads two or three per node.
struct FieldList {
  TSNode node{};
  std::vector<std::pair<const char*, TSNode>> known;
  template <size_t N>
  TSNode operator[](const char (&name)[N]) {
    return get(name, N - 1);
  }
  TSNode get(const char* name, size_t size) {
    for (const auto& [n, child] : known)
      if (n == name) return child;
    if (ts_node_is_null(node)) return node;
    TSNode child = syntax::field(node, std::string_view(name, size));
    known.emplace_back(name, child);
    return child;
  }
};

// A comparison's operands and its operators between them ("<", "not in", "is not").
struct ComparisonShape {
  std::vector<TSNode> operands;
  std::vector<std::string> ops;
};

// What the run found per node (functions of the subtree), for this run: the evaluation loop
// reads a loop's body, its fields and its children on every pass, which tree-sitter finds by
// scanning the node's children each time.
struct SyntaxMemo {
  std::unordered_map<SyntaxKey, FieldList, SyntaxKeyHash> fields;          // node-based: references stay
  FieldList none;                                                          // a null node's (no field)
  std::unordered_map<SyntaxKey, std::vector<TSNode>, SyntaxKeyHash> kids;  // node-based: references stay
  std::unordered_map<SyntaxKey, std::vector<TSNode>, SyntaxKeyHash> statements;  // of a block
  std::unordered_map<SyntaxKey, bool, SyntaxKeyHash> constant;  // folded by the compiler
  std::unordered_map<SyntaxKey, ComparisonShape, SyntaxKeyHash> comparisons;
  // The code constant a literal made, and the steps reading it charged.
  std::unordered_map<SyntaxKey, std::pair<Id, int64_t>, SyntaxKeyHash> literals;
  std::unordered_map<SyntaxKey, bool, SyntaxKeyHash> jumps;
  std::unordered_map<SyntaxKey, std::vector<std::string>, SyntaxKeyHash> bound;
  std::unordered_map<SyntaxKey, SubtreeFacts, SyntaxKeyHash> subtree;  // node-based: references stay
};

}  // namespace c2py::runtime_model::engine
