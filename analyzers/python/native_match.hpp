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

#include "syntax/native_match.hpp"
#include "syntax/syntax.hpp"

namespace c2py::analysis::python::native {

using syntax::native::add;
using syntax::native::child;
using syntax::native::each_child;
using syntax::native::each_child_with_field;

// A named (or, `named` false, anonymous) node type's symbol, as a query compiles it.
inline TSSymbol symbol(std::string_view name, bool named = true) {
  return ts_language_symbol_for_name(syntax::grammar(syntax::Language::Python), name.data(), static_cast<uint32_t>(name.size()),
                                     named);
}
inline TSFieldId field(std::string_view name) {
  return ts_language_field_id_for_name(syntax::grammar(syntax::Language::Python), name.data(),
                                       static_cast<uint32_t>(name.size()));
}

inline bool is(TSNode node, TSSymbol type) { return !ts_node_is_null(node) && ts_node_symbol(node) == type; }
// `(_)`: a named node, not ERROR.
inline bool is_named_node(TSNode node) { return !ts_node_is_null(node) && ts_node_is_named(node) && !ts_node_is_error(node); }

inline bool text_is(TSNode node, std::string_view source, std::initializer_list<std::string_view> names) {
  std::string_view text = syntax::text_of(node, source);
  for (std::string_view name : names)
    if (text == name) return true;
  return false;
}

}  // namespace c2py::analysis::python::native
