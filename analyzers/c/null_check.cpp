// `if (!p)` / `if (p == NULL)` after an allocation: C reports a failed allocation by returning
// NULL, Python by raising MemoryError (MM08).
#include "c/c_ast.hpp"
#include <optional>

#include "c/heap_names.hpp"
#include "check.hpp"

namespace c2py::analysis {
namespace {

bool is_null(TSNode n, std::string_view source) {
  auto text = syntax::text_of(n, source);
  return syntax::type_of(n) == "null" || text == "NULL" || text == "0" || text == "nullptr";
}

class NullCheck final : public Check {
 public:
  std::string_view id() const override { return "c-null-check"; }
  syntax::Language language() const override { return syntax::Language::C; }
  std::vector<const syntax::Query*> queries() const override { return {&query_, &heap_query_}; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    std::optional<c::HeapNames> heap;  // built on the first question
    for (const auto& match : input.matches(query_)) {
      TSNode condition = match.get("cond");
      TSNode pointer = match.get("ptr");
      TSNode other = match.get("other");
      if (!ts_node_is_null(other) && !is_null(other, input.source)) continue;
      if (ts_node_is_null(other) && syntax::type_of(match.get("op")) != "!") continue;
      std::string name(syntax::text_of(pointer, input.source));
      if (!heap) heap.emplace(input.matches(heap_query_), input.source);
      if (!heap->allocated_before(condition, name)) continue;
      Finding finding;
      finding.idiom = "null-check";
      finding.range = syntax::range_of(condition);
      finding.bindings.set("var", name);
      finding.bindings.set("condition", std::string(syntax::text_of(condition, input.source)));
      out.push_back(std::move(finding));
    }
  }

 private:
  syntax::Query query_{syntax::Language::C, R"(
    (if_statement condition: (parenthesized_expression (unary_expression operator: _ @op argument: (identifier) @ptr) @cond))
    (if_statement condition: (parenthesized_expression (binary_expression left: (identifier) @ptr operator: ["==" "!="] right: (_) @other) @cond))
    (if_statement condition: (parenthesized_expression (binary_expression left: (null) @other operator: ["==" "!="] right: (identifier) @ptr) @cond))
  )"};
  syntax::Query heap_query_{syntax::Language::C, c::HeapNames::kQuery};
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(NullCheck)
