// `if (!p)` / `if (p == NULL)` after an allocation: C reports a failed allocation by returning
// NULL, Python by raising MemoryError (MM08).
#include "c/c_ast.hpp"
#include "check.hpp"

namespace c2py::analysis {
namespace {

bool is_null(TSNode n, std::string_view source) {
  auto text = syntax::text_of(n, source);
  return syntax::type_of(n) == "null" || text == "NULL" || text == "0" || text == "nullptr";
}

// Was `name` assigned an allocation earlier in the same function?
bool allocated_before(TSNode use, std::string_view name, std::string_view source) {
  TSNode function = c::enclosing_function(use);
  if (ts_node_is_null(function)) return false;
  bool found = false;
  uint32_t limit = ts_node_start_byte(use);
  syntax::walk(syntax::field(function, "body"), [&](TSNode node) {
    if (found || ts_node_start_byte(node) >= limit) return false;
    if (syntax::type_of(node) != "call_expression") return true;
    auto callee = c::callee_name(node, source);
    if (callee != "malloc" && callee != "calloc" && callee != "realloc" && callee != "strdup" && callee != "strndup" &&
        callee != "aligned_alloc")
      return true;
    auto target = c::target_of(node, source);
    if (target && target->name == name) found = true;
    return true;
  });
  return found;
}

class NullCheck final : public Check {
 public:
  std::string_view id() const override { return "c-null-check"; }
  syntax::Language language() const override { return syntax::Language::C; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    for (const auto& match : syntax::run_query(query_, input.node, input.source)) {
      TSNode condition = match.get("cond");
      TSNode pointer = match.get("ptr");
      TSNode other = match.get("other");
      if (!ts_node_is_null(other) && !is_null(other, input.source)) continue;
      if (ts_node_is_null(other) && syntax::type_of(match.get("op")) != "!") continue;
      std::string name(syntax::text_of(pointer, input.source));
      if (!allocated_before(condition, name, input.source)) continue;
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
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(NullCheck)
