// `a = a + [x]` in a loop copies the whole list every pass (diagnostic list-copy-append);
// `a.append(x)` grows it in place with CPython's spare capacity (MM02).
#include "check.hpp"
#include "python/native_match.hpp"
#include "python/py_ast.hpp"

namespace c2py::analysis {
namespace {

class ListCopyAppend final : public Check {
 public:
  std::string_view id() const override { return "python-list-copy-append"; }
  syntax::Language language() const override { return syntax::Language::Python; }
  std::vector<const syntax::Query*> queries() const override { return {&query_}; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    const auto& src = input.source;
    for (const auto& match : input.matches(query_)) {
      TSNode assignment = match.get("assignment");
      std::string var(syntax::text_of(match.get("var"), src));
      if (syntax::text_of(match.get("same"), src) != var) continue;
      if (ts_node_is_null(python::enclosing_loop(assignment))) continue;
      TSNode list = match.get("list");
      auto items = syntax::named_children(list);
      for (TSNode item : items)
        if (syntax::type_of(item) == "list_splat") items.clear();
      if (items.empty()) continue;
      std::string fixed = items.size() == 1 ? var + ".append(" + std::string(syntax::text_of(items[0], src)) + ")"
                                            : var + ".extend(" + std::string(syntax::text_of(list, src)) + ")";
      Finding finding;
      finding.idiom = "list-copy-append";
      finding.range = syntax::range_of(assignment);
      finding.bindings.set("var", var);
      finding.bindings.set("item", std::string(syntax::text_of(list, src)));
      finding.bindings.set("fixed", fixed);
      Diagnostic diagnostic;
      diagnostic.code = "list-copy-append";
      diagnostic.severity = Severity::Warning;
      // The sentences are the entry's `message`.
      finding.bindings.set("statement", python::short_text(assignment, src));
      // Unsafe: `a + [x]` leaves the old list alone, while append changes it in place; another
      // name bound to the same list (an alias, a caller's argument) would now see the change.
      diagnostic.fixes.push_back({"", FixSafety::Unsafe,  // title: the entry's `fix`
                                   {{syntax::range_of(assignment), fixed}}});
      finding.diagnostic = std::move(diagnostic);
      out.push_back(std::move(finding));
    }
  }

 private:
  syntax::Query query_{syntax::Language::Python, R"(
    (assignment left: (identifier) @var
      right: (binary_operator left: (identifier) @same operator: "+" right: (list) @list)) @assignment
  )",
                       syntax::NativeMatcher{{"assignment"}, &ListCopyAppend::match}};

  static void match(TSNode assignment, std::string_view, std::vector<syntax::Match>& out) {
    namespace n = python::native;
    static const TSFieldId left = n::field("left"), right = n::field("right"), operator_field = n::field("operator");
    static const TSSymbol identifier = n::symbol("identifier"), binary_operator = n::symbol("binary_operator"),
                          plus = n::symbol("+", false), list = n::symbol("list");
    TSNode var = n::child(assignment, left);
    if (!n::is(var, identifier)) return;
    TSNode sum = n::child(assignment, right);
    if (!n::is(sum, binary_operator)) return;
    TSNode same = n::child(sum, left);
    if (!n::is(same, identifier) || !n::is(n::child(sum, operator_field), plus)) return;
    TSNode items = n::child(sum, right);
    if (n::is(items, list)) n::add(out, 0, {{"assignment", assignment}, {"var", var}, {"same", same}, {"list", items}});
  }
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(ListCopyAppend)
