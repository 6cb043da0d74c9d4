// Helpers for the Python checks' hand-written matchers (syntax::NativeMatcher, issue 14): each
// check keeps its query as the definition of what it matches and finds the same matches by
// reading fields, where the query cursor cost thousands of instructions per candidate node and
// compiling the queries was most of the start-up of a short `--check`.
// tests/unit/test_python_matchers.cpp holds each matcher equal to its query (same matches,
// captures and order) on the examples, the tests' inputs, a slice of real-python and mutilated
// copies of them full of syntax errors.
//
// What a query step means here, as tree-sitter 0.25's cursor runs it (query.c):
// - node types compare as symbols, the way the query compiles them (ts_language_symbol_for_name,
//   so aliases and missing nodes match as tree-sitter matches them);
// - `field: (type)` under a field the grammar gives once per node is the first child under that
//   field (ts_node_child_by_field_id): the cursor drops the pattern when that child does not
//   match, as no later sibling can carry the field; the grammar orders the fields of every pattern
//   here, so the steps come in the order of the children;
// - `(_)` is any named node but ERROR; `.` before the first child step is the first named child
//   (comments and ERROR nodes count), `.` after the last is the last named child;
// - a child step that matches several children (`(block (function_definition) @def)`, the
//   repeated `subscript:` field) gives a match per child when it captures, in document order, and
//   only the first when it captures nothing and has no steps below (tree-sitter does not split);
// - captures come in the order of the steps; predicates are checked on the text as the engine
//   checks them (syntax.cpp: predicates_hold).
#pragma once

#include <initializer_list>
#include <string_view>
#include <vector>

#include "syntax/syntax.hpp"

namespace c2py::analysis::python::native {

// A named (or, `named` false, anonymous) node type's symbol, as a query compiles it.
inline TSSymbol symbol(std::string_view name, bool named = true) {
  return ts_language_symbol_for_name(syntax::grammar(syntax::Language::Python), name.data(),
                                     static_cast<uint32_t>(name.size()), named);
}
inline TSFieldId field(std::string_view name) {
  return ts_language_field_id_for_name(syntax::grammar(syntax::Language::Python), name.data(),
                                       static_cast<uint32_t>(name.size()));
}

inline bool is(TSNode node, TSSymbol type) { return !ts_node_is_null(node) && ts_node_symbol(node) == type; }
// `(_)`: a named node, not ERROR.
inline bool is_named_node(TSNode node) { return !ts_node_is_null(node) && ts_node_is_named(node) && !ts_node_is_error(node); }

// The child under a field the grammar gives once per node.
inline TSNode child(TSNode node, TSFieldId id) { return ts_node_child_by_field_id(node, id); }

// Calls visit(child, field id) for every child of `node`, in order.
template <typename Visit>
void each_child_with_field(TSNode node, Visit visit) {
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      visit(ts_tree_cursor_current_node(&cursor), ts_tree_cursor_current_field_id(&cursor));
    } while (ts_tree_cursor_goto_next_sibling(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
}

// Calls visit(child) for every child of `node`, in order (by index when it has a handful: a
// tree cursor costs more to set up than to step).
template <typename Visit>
void each_child(TSNode node, Visit visit) {
  uint32_t count = ts_node_child_count(node);
  if (count > 8) return each_child_with_field(node, [&](TSNode c, TSFieldId) { visit(c); });
  for (uint32_t i = 0; i < count; ++i) visit(ts_node_child(node, i));
}

inline bool text_is(TSNode node, std::string_view source, std::initializer_list<std::string_view> names) {
  std::string_view text = syntax::text_of(node, source);
  for (std::string_view name : names)
    if (text == name) return true;
  return false;
}

inline void add(std::vector<syntax::Match>& out, uint32_t pattern, std::initializer_list<syntax::Capture> captures) {
  syntax::Match& match = out.emplace_back();
  match.pattern = pattern;
  match.captures.assign(captures);
}

}  // namespace c2py::analysis::python::native
