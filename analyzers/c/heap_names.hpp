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
// earlier in the function enclosing `use`? Built from the matches of `kQuery` over the check's
// input, which the engine's one pass over the unit finds with the check's own queries: no walk up
// the tree (ts_node_parent starts from the root every time) and no walk of the function's body.
class HeapNames {
 public:
  // A check lists a Query of this text among its queries() and hands its matches here.
  static constexpr const char* kQuery = R"(
    (function_definition body: (_) @body) @function
    (call_expression
      function: (identifier) @fn (#any-of? @fn "malloc" "calloc" "realloc" "strdup" "strndup" "aligned_alloc")) @call
  )";
  // The same matches, found by hand (see native_match.hpp).
  static syntax::NativeMatcher native();
  HeapNames(const std::vector<syntax::Match>& matches, std::string_view source);
  bool allocated_before(TSNode use, std::string_view name);

 private:
  struct Function {
    uint32_t start, end, body_start, body_end;
    TSNode node;  // the function_definition
    std::vector<std::pair<uint32_t, std::string>> allocations;  // (call's start byte, target name)
  };
  std::vector<Function> functions_;  // in pre-order: a nested function comes after its parent
  std::vector<uint32_t> furthest_end_;  // per function: the furthest end of it and those before
  // Calls `visit` on each function whose bytes hold [start, end), innermost first.
  template <typename Visit>
  void for_each_around(uint32_t start, uint32_t end, Visit visit);
};

}  // namespace c2py::analysis::c
