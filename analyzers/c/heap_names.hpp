// Which names of a function hold heap blocks: the idiom checks show their lessons (indexing
// without a check, a NULL test) only on pointers the function itself allocated, not on every
// pointer or field access.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "syntax/syntax.hpp"

namespace c2py::analysis::c {

// Was `name` assigned the result of malloc, calloc, realloc, strdup, strndup or aligned_alloc
// earlier in the function enclosing `use`? Built once per check run over `root` (the unit or the
// file): on the first question it lists the functions under `root` and, per function, its allocations, so each question
// is a lookup instead of a walk up the tree (ts_node_parent starts from the root every time) and a
// walk of the function's body.
class HeapNames {
 public:
  HeapNames(TSNode root, std::string_view source);
  bool allocated_before(TSNode use, std::string_view name);

 private:
  struct Function {
    uint32_t start, end;
    TSNode node;
    bool scanned = false;
    std::vector<std::pair<uint32_t, std::string>> allocations;  // (call's start byte, target name)
  };
  std::string_view source_;
  TSNode root_;
  bool listed_ = false;  // functions_ is filled on the first question
  std::vector<Function> functions_;  // in pre-order: a nested function comes after its parent
};

}  // namespace c2py::analysis::c
