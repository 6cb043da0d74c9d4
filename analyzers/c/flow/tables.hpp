// What the C memory dataflow knows about libc: which calls allocate, free, never return, or only
// read the pointers they are given. Unknown functions are assumed to take ownership (the pointer
// escapes), which can only hide a finding, never invent one.
#pragma once

#include <string_view>

namespace c2py::analysis::c::flow {

enum class CallKind {
  Unknown,      // not in the tables: pointer arguments escape
  Allocator,    // returns a fresh block or NULL: malloc, calloc, strdup, ...
  AllocatorNonNull,  // returns a fresh block, never NULL (it aborts instead): xmalloc, g_malloc
  Realloc,      // realloc/reallocarray: moves the block given as first argument
  OutAllocator, // asprintf(&p, ...): stores a fresh block through its first argument
  Getline,      // getline(&line, &n, f): allocates into *line when it is NULL
  StackAllocator,  // alloca: a block on the caller's stack, gone when the function returns
  Free,         // free(p)
  NoReturn,     // exit, abort, longjmp, ...
  Assert,       // assert(p): p is non-NULL afterwards
  Borrows,      // reads (or writes into) its pointer arguments but never keeps or frees them
};

CallKind call_kind(std::string_view name);
// Borrowing calls that dereference their pointer arguments, so a NULL argument is a crash
// (memcpy, strlen, ...); printf("%p") or fclose(NULL) checks are not of this kind.
bool dereferences_arguments(std::string_view name);
// Calls that return their first argument (memcpy, memmove, memset, strcpy, strcat, ...).
bool returns_first_argument(std::string_view name);

}  // namespace c2py::analysis::c::flow
