#include "c/heap_names.hpp"

#include "c/c_ast.hpp"

namespace c2py::analysis::c {

HeapNames::HeapNames(TSNode root, std::string_view source) : source_(source), root_(root) {}

bool HeapNames::allocated_before(TSNode use, std::string_view name) {
  if (!listed_) {
    listed_ = true;
    syntax::walk(root_, [&](TSNode node) {
      if (syntax::type_of(node) == "function_definition")
        functions_.push_back({ts_node_start_byte(node), ts_node_end_byte(node), node, false, {}});
      return true;
    });
  }
  // The innermost function around `use`: the last one in pre-order whose bytes hold it.
  uint32_t start = ts_node_start_byte(use), end = ts_node_end_byte(use);
  Function* function = nullptr;
  for (auto& f : functions_)
    if (f.start <= start && end <= f.end) function = &f;
  if (!function) return false;
  if (!function->scanned) {
    function->scanned = true;
    syntax::walk(syntax::field(function->node, "body"), [&](TSNode node) {
      if (syntax::type_of(node) != "call_expression") return true;
      auto callee = callee_name(node, source_);
      if (callee != "malloc" && callee != "calloc" && callee != "realloc" && callee != "strdup" &&
          callee != "strndup" && callee != "aligned_alloc")
        return true;
      if (auto target = target_of(node, source_)) function->allocations.emplace_back(ts_node_start_byte(node), target->name);
      return true;
    });
  }
  for (const auto& [at, target] : function->allocations)
    if (at < start && target == name) return true;
  return false;
}

}  // namespace c2py::analysis::c
