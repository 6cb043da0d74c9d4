// The Python spelling of a C expression, for the "≈" hints and the Python side of hovers. Only
// expressions with a faithful Python counterpart are translated (names, numbers, strings,
// arithmetic, comparisons, logic, `?:`, fields, subscripts, calls, `*p` as `p[0]`); anything
// else (address-of, ++/--, assignments, sizeof, comma) has none, and the caller shows no
// Python rather than C dressed as Python.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "syntax/syntax.hpp"

namespace c2py::analysis::c {

std::optional<std::string> python_expression(TSNode node, std::string_view source);

// `text` as a Python operand of a binary operator: parenthesized unless it is atomic.
std::string python_operand(const std::string& text);

// The class a Python port would define for a C struct, union or typedef name: `struct node_t`
// → `Node`, `yy_buffer_state` → `YyBufferState` (a trailing `_t` dropped); `fallback` when
// nothing is left.
std::string python_class_name(std::string_view c_type, std::string_view fallback = "Record");

// True when `name` is a Python keyword or a builtin constant, so that it cannot be a Python name.
bool python_reserved(std::string_view name);

}  // namespace c2py::analysis::c
