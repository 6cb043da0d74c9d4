#include "c/heap_names.hpp"

#include <algorithm>

#include "c/c_ast.hpp"

namespace c2py::analysis::c {

HeapNames::HeapNames(const std::vector<syntax::Match>& matches, std::string_view source) {
  for (const auto& match : matches) {
    TSNode function = match.get("function");
    if (ts_node_is_null(function)) continue;
    TSNode body = match.get("body");
    functions_.push_back({ts_node_start_byte(function), ts_node_end_byte(function), ts_node_start_byte(body),
                          ts_node_end_byte(body), {}});
  }
  std::sort(functions_.begin(), functions_.end(),
            [](const Function& a, const Function& b) { return a.start != b.start ? a.start < b.start : a.end > b.end; });
  for (const auto& match : matches) {
    TSNode call = match.get("call");
    if (ts_node_is_null(call)) continue;
    auto callee = callee_name(call, source);
    if (callee != "malloc" && callee != "calloc" && callee != "realloc" && callee != "strdup" && callee != "strndup" &&
        callee != "aligned_alloc")
      continue;
    auto target = target_of(call, source);
    if (!target) continue;
    uint32_t start = ts_node_start_byte(call), end = ts_node_end_byte(call);
    // Every function whose body holds the call (a nested function's calls are its parent's too).
    for (auto& f : functions_)
      if (f.body_start <= start && end <= f.body_end) f.allocations.emplace_back(start, target->name);
  }
}

bool HeapNames::allocated_before(TSNode use, std::string_view name) const {
  // The innermost function around `use`: the last one in pre-order whose bytes hold it.
  uint32_t start = ts_node_start_byte(use), end = ts_node_end_byte(use);
  const Function* function = nullptr;
  for (const auto& f : functions_)
    if (f.start <= start && end <= f.end) function = &f;
  if (!function) return false;
  for (const auto& [at, target] : function->allocations)
    if (at < start && target == name) return true;
  return false;
}

}  // namespace c2py::analysis::c
