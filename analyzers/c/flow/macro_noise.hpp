// Macro noise that breaks tree-sitter's parse of a C function, undone on a copy of the source
// that keeps every byte offset and line (so findings on the copy are findings on the original):
//   - attribute-like macros from a built-in list (`__unused`, `__dead`, `MAYBE_UNUSED`, `WINAPI`,
//     `CJSON_CDECL`, ...) become spaces;
//   - loop macros that take a body (`TAILQ_FOREACH(c, &list, entry) { ... }`, `list_for_each(...)`)
//     become `while (...)`: the body runs zero or more times, which is what the analysis needs.
// Without a compile database the macros' definitions are unknown; this is the usual recovery of
// editors that parse C without one. Names the list misses leave the function unanalysed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

namespace c2py::analysis::c::flow {

// The cleaned copy of `source`, or nullopt when it has nothing to clean.
// `defined_empty`: macros the project defines as nothing or as an attribute (from its headers or
// the build's `-D`), blanked like the built-in ones, with their arguments.
std::optional<std::string> without_macro_noise(std::string_view source,
                                               const std::unordered_set<std::string>& defined_empty = {});

// Whether `name` is a built-in attribute-like macro that marks a function as never returning
// (`__dead`, `NORETURN`, ...).
bool noreturn_marker(std::string_view name);

}  // namespace c2py::analysis::c::flow
