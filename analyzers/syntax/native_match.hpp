// What the C and the Python checks' hand-written matchers (syntax::NativeMatcher, issue 14) share,
// whatever the grammar: stepping through a node's children and recording a match. Each language's
// own header (analyzers/c/native_match.hpp, analyzers/python/native_match.hpp) adds how it names
// node types and what a query step means in its grammar.
#pragma once

#include <initializer_list>
#include <vector>

#include "syntax/syntax.hpp"

namespace c2py::syntax::native {

// The child under a field the grammar gives once per node (a call's `function`).
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

// Calls visit(child) for every child of `node`, in order: by index when it has a handful (a tree
// cursor costs more to set up than to step; ts_node_child walks from the first child each time).
template <typename Visit>
void each_child(TSNode node, Visit visit) {
  uint32_t count = ts_node_child_count(node);
  if (count > 8) return each_child_with_field(node, [&](TSNode c, TSFieldId) { visit(c); });
  for (uint32_t i = 0; i < count; ++i) visit(ts_node_child(node, i));
}

inline void add(std::vector<Match>& out, uint32_t pattern, std::initializer_list<Capture> captures) {
  Match& match = out.emplace_back();
  match.pattern = pattern;
  match.captures.assign(captures);
}

}  // namespace c2py::syntax::native
