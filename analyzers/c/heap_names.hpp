// Which names of a function hold heap blocks: the idiom checks show their lessons (indexing
// without a check, a NULL test) only on pointers the function itself allocated, not on every
// pointer or field access.
#pragma once
#include <string_view>

#include "syntax/syntax.hpp"

namespace c2py::analysis::c {

// Was `name` assigned the result of malloc, calloc, realloc, strdup, strndup or aligned_alloc
// earlier in the function enclosing `use`?
bool heap_allocated_before(TSNode use, std::string_view name, std::string_view source);

}  // namespace c2py::analysis::c
