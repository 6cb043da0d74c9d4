#include "c/heap_names.hpp"

#include <algorithm>

#include "c/c_ast.hpp"
#include "c/native_match.hpp"

namespace c2py::analysis::c {

syntax::NativeMatcher HeapNames::native() {
  return {{"function_definition", "call_expression"}, [](TSNode node, std::string_view source, std::vector<syntax::Match>& out) {
            static const TSFieldId body_field = native::field_id("body"), function = native::field_id("function");
            if (native::type_of(node) == "call_expression") {
              TSNode fn = native::child(node, function);
              if (!native::is(fn, "identifier")) return;
              auto name = syntax::text_of(fn, source);
              if (name == "malloc" || name == "calloc" || name == "realloc" || name == "strdup" || name == "strndup" ||
                  name == "aligned_alloc")
                native::add(out, 1, {{"call", node}, {"fn", fn}});
              return;
            }
            TSNode body = native::child(node, body_field);
            if (!ts_node_is_null(body) && ts_node_is_named(body)) native::add(out, 0, {{"function", node}, {"body", body}});
          }};
}

HeapNames::HeapNames(const std::vector<syntax::Match>& matches, std::string_view source) {
  for (const auto& match : matches) {
    TSNode function = match.get("function");
    if (ts_node_is_null(function)) continue;
    TSNode body = match.get("body");
    functions_.push_back({ts_node_start_byte(function), ts_node_end_byte(function), ts_node_start_byte(body),
                          ts_node_end_byte(body), function, {}});
  }
  std::sort(functions_.begin(), functions_.end(),
            [](const Function& a, const Function& b) { return a.start != b.start ? a.start < b.start : a.end > b.end; });
  uint32_t furthest = 0;
  for (const auto& f : functions_) furthest_end_.push_back(furthest = std::max(furthest, f.end));
  for (const auto& match : matches) {
    TSNode call = match.get("call");
    if (ts_node_is_null(call)) continue;
    auto callee = callee_name(call, source);
    if (callee != "malloc" && callee != "calloc" && callee != "realloc" && callee != "strdup" && callee != "strndup" &&
        callee != "aligned_alloc")
      continue;
    uint32_t start = ts_node_start_byte(call), end = ts_node_end_byte(call);
    TSNode around{};  // the innermost function holding the call: its parents are found from there
    for_each_around(start, end, [&](const Function& f) {
      if (ts_node_is_null(around)) around = f.node;
    });
    auto target = target_of(call, source, around);
    if (!target) continue;
    // Every function whose body holds the call (a nested function's calls are its parent's too).
    for_each_around(start, end, [&](Function& f) {
      if (f.body_start <= start && end <= f.body_end) f.allocations.emplace_back(start, target->name);
    });
  }
}

template <typename Visit>
void HeapNames::for_each_around(uint32_t start, uint32_t end, Visit visit) {
  // The functions starting at or before `start`, from the last: none earlier holds it once the
  // furthest end reached so far falls before `start`. So an input of many functions (a whole
  // file) costs a binary search per question, not a scan.
  auto after = std::upper_bound(functions_.begin(), functions_.end(), start,
                                [](uint32_t at, const Function& f) { return at < f.start; });
  for (auto i = static_cast<size_t>(after - functions_.begin()); i-- > 0;) {
    if (furthest_end_[i] < end) break;
    if (functions_[i].start <= start && end <= functions_[i].end) visit(functions_[i]);
  }
}

bool HeapNames::allocated_before(TSNode use, std::string_view name) {
  // The innermost function around `use`: the last one in pre-order whose bytes hold it.
  uint32_t start = ts_node_start_byte(use), end = ts_node_end_byte(use);
  const Function* function = nullptr;
  for_each_around(start, end, [&](const Function& f) {
    if (!function) function = &f;  // met from the last: the innermost
  });
  if (!function) return false;
  for (const auto& [at, target] : function->allocations)
    if (at < start && target == name) return true;
  return false;
}

}  // namespace c2py::analysis::c
