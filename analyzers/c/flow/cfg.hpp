// A control-flow graph of one C function, built from its tree-sitter tree: statements and
// declarations are nodes, conditions are two-way branches (true first), and break, continue,
// goto, labels, switch fall-through and return are edges. Calls that never return are found
// by the dataflow (they end the path), not here.
#pragma once

#include <stdexcept>
#include <string_view>
#include <vector>

#include "syntax/syntax.hpp"

namespace c2py::analysis::c::flow {

// Thrown when a function is beyond what the analysis handles safely (nesting past the depth
// bound, syntax errors): the function gets no findings.
struct GiveUp : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct CfgNode {
  enum class Kind { Nop, Statement, Branch, Switch, Return, End };
  Kind kind = Kind::Nop;
  TSNode ast{};            // the statement, expression, condition, return_statement or body
  std::vector<int> succ;   // Branch: {true, false}
  std::vector<TSNode> cases;  // Switch: the `case` value of each successor; null for default
  bool if_condition = false;  // Branch of an `if` (named in messages), not a loop test
  bool preproc = false;       // Branch of `#if`/`#ifdef`/`#elif` in a body: `ast` is that node,
                              // true when its condition holds (the same condition agrees on a path)
};

struct Cfg {
  std::vector<CfgNode> nodes;
  int entry = 0;
};

// Builds the graph of a function_definition. Throws GiveUp.
Cfg build_cfg(TSNode function, std::string_view source);

}  // namespace c2py::analysis::c::flow
