// p[i], *p and p->field through pointers: C computes an address and trusts it; Python checks
// every index and attribute and raises IndexError / AttributeError (MM15). Only statement-level
// writes through a pointer the function itself allocated are found (not every access), to keep
// hovers where they teach, and only when the statement has a faithful Python spelling.
#include "c/c_ast.hpp"
#include <optional>

#include "c/heap_names.hpp"
#include "c/native_match.hpp"
#include "c/py_expr.hpp"
#include "check.hpp"

namespace c2py::analysis {
namespace {

class Indexing final : public Check {
 public:
  std::string_view id() const override { return "c-indexing"; }
  syntax::Language language() const override { return syntax::Language::C; }
  std::vector<const syntax::Query*> queries() const override { return {&query_, &heap_query_}; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    std::optional<c::HeapNames> heap;  // built on the first question
    for (const auto& match : input.matches(query_)) {
      TSNode access = match.get("access");
      TSNode base = match.get("base");
      std::string var(syntax::text_of(base, input.source));
      std::string text(syntax::text_of(access, input.source));
      auto kind = syntax::type_of(access);
      Finding finding;
      finding.idiom = "indexing";
      finding.range = syntax::range_of(access);
      finding.bindings.set("var", var);
      finding.bindings.set("access", text);
      if (!heap) heap.emplace(input.matches(heap_query_), input.source);
      if (!heap->allocated_before(access, var)) continue;
      TSNode parent = c::parent_of(access, input.node);
      auto left = c::python_expression(access, input.source);
      auto right = c::python_expression(syntax::field(parent, "right"), input.source);
      if (!left || !right || syntax::text_of(syntax::field(parent, "operator"), input.source) != "=") continue;
      std::string python = *left + " = " + *right;
      std::string error = "IndexError";
      if (kind == "field_expression") {
        error = "AttributeError";
        finding.variant = "field";
      }
      finding.bindings.set("python_access", python);
      finding.bindings.set("python_error", error);
      out.push_back(std::move(finding));
    }
  }

 private:
  // Statement-level writes only: `arr[0] = 1;`, `*p = 2;`, `node->next = NULL;`.
  syntax::Query query_{syntax::Language::C,
                       R"(
    (expression_statement (assignment_expression left: (subscript_expression argument: (identifier) @base) @access))
    (expression_statement (assignment_expression left: (pointer_expression operator: "*" argument: (identifier) @base) @access))
    (expression_statement (assignment_expression left: (field_expression argument: (identifier) @base operator: "->") @access))
  )",
                       {{"expression_statement"}, &match}};
  syntax::Query heap_query_{syntax::Language::C, c::HeapNames::kQuery, c::HeapNames::native()};

  static void match(TSNode statement, std::string_view, std::vector<syntax::Match>& out) {
    static const TSFieldId left_field = c::native::field_id("left"), argument = c::native::field_id("argument"),
                           op = c::native::field_id("operator");
    c::native::each_child(statement, [&](TSNode assignment) {
      if (!c::native::is(assignment, "assignment_expression")) return;
      TSNode left = c::native::child(assignment, left_field);
      if (ts_node_is_null(left)) return;
      auto kind = c::native::type_of(left);
      uint32_t pattern = kind == "subscript_expression" ? 0
                         : kind == "pointer_expression" ? 1
                         : kind == "field_expression"   ? 2
                                                        : 3;
      if (pattern == 3) return;
      TSNode base = c::native::child(left, argument);
      if (!c::native::is(base, "identifier")) return;
      if (pattern == 1 && !c::native::is(c::native::child(left, op), "*")) return;
      if (pattern == 2 && !c::native::is(c::native::child(left, op), "->")) return;
      c::native::add(out, pattern, {{"access", left}, {"base", base}});
    });
  }
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(Indexing)
