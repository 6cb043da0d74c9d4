// Helpers for the C checks' hand-written matchers (syntax::NativeMatcher, issue 14): each check
// keeps its query as the definition of what it matches and finds the same matches by reading
// fields, which costs a few field lookups per candidate node where the query cursor cost thousands
// of instructions. tests/unit/test_engine.cpp holds each matcher equal to its query (same matches,
// captures and order) on the examples and slices of the corpora.
//
// What a query step means, as the matchers read it: `field: (type)` is any child under that field
// of that type; a child step without a field is any child of that type; steps follow each other in
// the order of the children (which the C grammar fixes for every pattern here); captures come in
// the order of the steps; a match is reported when its last step is matched, so two patterns of
// one query at one node come in the order in which their last steps' nodes appear.
#pragma once

#include <initializer_list>
#include <string_view>
#include <vector>

#include "c/flow/fields.hpp"
#include "syntax/native_match.hpp"
#include "syntax/syntax.hpp"

namespace c2py::analysis::c::native {

using flow::field_id;
using flow::type_of;
using syntax::native::add;
using syntax::native::child;
using syntax::native::each_child;
using syntax::native::each_child_with_field;

inline bool is(TSNode node, std::string_view type) { return !ts_node_is_null(node) && type_of(node) == type; }

// `(call_expression function: (identifier) @fn (#any-of? @fn names...) arguments: (argument_list)
// @args) @call` at `call`: pattern 0, captures call, fn, args.
inline void named_call(TSNode call, std::string_view source, std::initializer_list<std::string_view> names,
                       std::vector<syntax::Match>& out) {
  static const TSFieldId function = field_id("function"), arguments = field_id("arguments");
  TSNode fn = child(call, function);
  if (!is(fn, "identifier")) return;
  std::string_view name = syntax::text_of(fn, source);
  bool named = false;
  for (std::string_view candidate : names) named = named || candidate == name;
  if (!named) return;
  TSNode args = child(call, arguments);
  if (!is(args, "argument_list")) return;
  add(out, 0, {{"call", call}, {"fn", fn}, {"args", args}});
}

}  // namespace c2py::analysis::c::native
