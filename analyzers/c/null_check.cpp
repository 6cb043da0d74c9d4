// `if (!p)` / `if (p == NULL)` after an allocation: C reports a failed allocation by returning
// NULL, Python by raising MemoryError (MM08).
#include "c/c_ast.hpp"
#include <optional>

#include "c/heap_names.hpp"
#include "c/native_match.hpp"
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
  syntax::Query query_{syntax::Language::C,
                       R"(
    (if_statement condition: (parenthesized_expression (unary_expression operator: _ @op argument: (identifier) @ptr) @cond))
    (if_statement condition: (parenthesized_expression (binary_expression left: (identifier) @ptr operator: ["==" "!="] right: (_) @other) @cond))
    (if_statement condition: (parenthesized_expression (binary_expression left: (null) @other operator: ["==" "!="] right: (identifier) @ptr) @cond))
  )",
                       {{"if_statement"}, &match}};
  syntax::Query heap_query_{syntax::Language::C, c::HeapNames::kQuery, c::HeapNames::native()};

  static void match(TSNode statement, std::string_view, std::vector<syntax::Match>& out) {
    using c::native::child;
    using c::native::is;
    static const TSFieldId condition = c::native::field_id("condition"), left_field = c::native::field_id("left"),
                           right_field = c::native::field_id("right"), op_field = c::native::field_id("operator"),
                           argument = c::native::field_id("argument");
    TSNode parenthesized = child(statement, condition);
    if (!is(parenthesized, "parenthesized_expression")) return;
    c::native::each_child(parenthesized, [&](TSNode cond) {
      auto kind = c::native::type_of(cond);
      if (kind == "unary_expression") {
        TSNode op = child(cond, op_field), ptr = child(cond, argument);
        if (!ts_node_is_null(op) && is(ptr, "identifier")) c::native::add(out, 0, {{"cond", cond}, {"op", op}, {"ptr", ptr}});
        return;
      }
      if (kind != "binary_expression") return;
      TSNode left = child(cond, left_field), right = child(cond, right_field);
      TSNode op = child(cond, op_field);
      if (!is(op, "==") && !is(op, "!=")) return;
      if (is(left, "identifier") && !ts_node_is_null(right) && ts_node_is_named(right))
        c::native::add(out, 1, {{"cond", cond}, {"ptr", left}, {"other", right}});
      else if (is(left, "null") && is(right, "identifier"))
        c::native::add(out, 2, {{"cond", cond}, {"other", left}, {"ptr", right}});
    });
  }
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(NullCheck)
