// Small facts about C syntax trees shared by the C checks: who is called, what an allocation is
// assigned to, what sizeof arithmetic amounts to on LP64.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <vector>

#include "check.hpp"
#include "syntax/syntax.hpp"

namespace c2py::analysis::c {

// The called name of a call_expression whose function is a plain identifier; "" otherwise.
std::string_view callee_name(TSNode call, std::string_view source);

// True when the file defines or declares a function of that name itself (a user `free`, say),
// so the libc meaning cannot be assumed. Answered from the facts collected once per analysis.
inline bool file_defines_function(const CheckInput& input, std::string_view name) { return input.facts.defines(name); }
// The top-level function names a C file defines or declares (what FileFacts holds).
std::vector<std::string> declared_functions(TSNode root, std::string_view source);

// Where the value of an expression goes: `T *p = expr;` or `p = expr;` (also `s->buf = expr`).
struct Target {
  std::string name;       // the variable or lvalue text: "arr", "s->buf"
  std::string type;       // declared type when the expression initializes a declaration: "int *"
  TSNode target_node{};   // the declarator identifier or the assignment's left side
  TSNode statement{};     // the declaration or expression_statement holding it
};
// ts_node_parent, which descends from the root (scanning every top-level item of the file on the
// way), done from `within`, an ancestor of `node` (the unit, the function; null: the root) by the
// same steps: the same node.
TSNode parent_of(TSNode node, TSNode within);

// `within`: an ancestor of `expression` (the unit, the function) that spares walking down from the
// root to find its parents; null for the root.
std::optional<Target> target_of(TSNode expression, std::string_view source, TSNode within = TSNode{});

// The element type and count of an allocation size: `n * sizeof(int)` → ("int", "n");
// `sizeof(struct node)` → ("struct node", "1"); `sizeof *p * 4` → (type of *p if known, "4").
struct SizeShape {
  std::string element_type;  // "" when no sizeof appears
  std::string count;         // expression text; "1" for a lone sizeof
  std::optional<long long> bytes;  // total, when computable on LP64
  std::optional<long long> count_value;
  TSNode count_node{};       // the count expression; null for a lone sizeof
};
SizeShape size_shape(TSNode size_expression, std::string_view source);

// sizeof of a C type spelled in source, on LP64 (x86-64 Linux); nullopt when unknown.
std::optional<long long> sizeof_type(std::string_view type);
// Evaluates an integer constant expression (literals, + - * / % << >>, parentheses, sizeof of
// basic types); nullopt when it depends on anything else.
std::optional<long long> constant_value(TSNode expression, std::string_view source, int depth = 0);

// The enclosing function_definition, or a null node.
TSNode enclosing_function(TSNode node);

}  // namespace c2py::analysis::c
