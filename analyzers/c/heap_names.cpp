#include "c/heap_names.hpp"

#include "c/c_ast.hpp"

namespace c2py::analysis::c {

bool heap_allocated_before(TSNode use, std::string_view name, std::string_view source) {
  TSNode function = enclosing_function(use);
  if (ts_node_is_null(function)) return false;
  bool found = false;
  uint32_t limit = ts_node_start_byte(use);
  syntax::walk(syntax::field(function, "body"), [&](TSNode node) {
    if (found || ts_node_start_byte(node) >= limit) return false;
    if (syntax::type_of(node) != "call_expression") return true;
    auto callee = callee_name(node, source);
    if (callee != "malloc" && callee != "calloc" && callee != "realloc" && callee != "strdup" && callee != "strndup" &&
        callee != "aligned_alloc")
      return true;
    auto target = target_of(node, source);
    if (target && target->name == name) found = true;
    return true;
  });
  return found;
}

}  // namespace c2py::analysis::c
