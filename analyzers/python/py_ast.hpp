// Small facts about Python syntax trees shared by the Python checks: what a name was last bound
// to in its scope, and what kind of value an expression makes.
#pragma once

#include <string_view>

#include "syntax/syntax.hpp"

namespace c2py::analysis::python {

enum class ValueKind { Unknown, List, Dict, Set, Tuple, Str, Bytes, Bytearray, Number, None, Other };

// The kind of object an expression evaluates to, where syntax alone tells.
ValueKind kind_of(TSNode expression, std::string_view source);

// The function (or module) whose local scope holds a name used at `node`.
TSNode scope_of(TSNode node);

struct Binding {
  bool found = false;       // an assignment `name = value` precedes the use in its scope
  bool parameter = false;   // the name is a parameter of the enclosing function
  bool rebound_otherwise = false;  // bound by for/with/import/def/augmented assignment too
  TSNode value{};           // the right side of the last plain assignment
};
// The last binding of `name` in the scope of `use`, before `use` in the text. Nested function and
// class bodies are not looked into.
Binding last_binding(TSNode use, std::string_view name, std::string_view source);

}  // namespace c2py::analysis::python
