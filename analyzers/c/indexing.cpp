// p[i], *p and p->field through pointers: C computes an address and trusts it; Python checks
// every index and attribute and raises IndexError / AttributeError (MM15). Only writes and reads
// of heap pointers and arrays are found (not every expression), to keep hovers where they teach.
#include "c/c_ast.hpp"
#include "check.hpp"

namespace c2py::analysis {
namespace {

class Indexing final : public Check {
 public:
  std::string_view id() const override { return "c-indexing"; }
  syntax::Language language() const override { return syntax::Language::C; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    for (const auto& match : syntax::run_query(query_, input.node, input.source)) {
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
      std::string python = text, error = "IndexError";
      if (kind == "field_expression") {
        python = var + "." + std::string(syntax::text_of(syntax::field(access, "field"), input.source));
        error = "AttributeError";
        finding.variant = "field";
      } else if (kind == "pointer_expression") {
        python = var + "[0]";
      }
      TSNode parent = ts_node_parent(access);
      if (syntax::type_of(parent) == "assignment_expression" && ts_node_eq(syntax::field(parent, "left"), access)) {
        std::string right(syntax::text_of(syntax::field(parent, "right"), input.source));
        if (right == "NULL") right = "None";
        python += " = " + right;
      }
      finding.bindings.set("python_access", python);
      finding.bindings.set("python_error", error);
      out.push_back(std::move(finding));
    }
  }

 private:
  // Statement-level writes only: `arr[0] = 1;`, `*p = 2;`, `node->next = NULL;`.
  syntax::Query query_{syntax::Language::C, R"(
    (expression_statement (assignment_expression left: (subscript_expression argument: (identifier) @base) @access))
    (expression_statement (assignment_expression left: (pointer_expression operator: "*" argument: (identifier) @base) @access))
    (expression_statement (assignment_expression left: (field_expression argument: (identifier) @base operator: "->") @access))
  )"};
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(Indexing)
