// list.append / extend / insert and `+= [...]`: the list grows by itself; CPython over-allocates
// so most appends need no new memory (MM02). In C this is realloc by hand (MM09).
#include <cctype>

#include "check.hpp"
#include "python/native_match.hpp"
#include "python/py_ast.hpp"

namespace c2py::analysis {
namespace {

class ListGrowth final : public Check {
 public:
  std::string_view id() const override { return "python-list-growth"; }
  syntax::Language language() const override { return syntax::Language::Python; }
  std::vector<const syntax::Query*> queries() const override { return {&query_}; }
  // File scope: whether the name is a list is read from other statements, which the per-unit
  // cache (keyed by the unit's text) cannot see.
  Scope scope() const override { return Scope::File; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    python::LookupBudget budget(input.node);
    for (const auto& match : input.matches(query_)) {
      TSNode object = match.get("obj");
      std::string name(syntax::text_of(object, input.source));
      if (!budget.take(object)) break;
      // Growth of something that is knowably not a list (a set, a dict, a deque from a call…)
      // is not this idiom. Unknown origins (parameters, globals) are taken as lists.
      auto binding = budget.last_binding(object, name, input.source);
      if (binding.found && !binding.rebound_otherwise && python::kind_of(binding.value, input.source) != python::ValueKind::List)
        continue;
      if (!binding.found && !binding.parameter) {
        // Bound elsewhere (another scope, a loop): only trust an explicit list somewhere.
        if (binding.rebound_otherwise) continue;
      }
      TSNode method = match.get("method");
      std::string operation = ts_node_is_null(method) ? "+=" : std::string(syntax::text_of(method, input.source));
      TSNode args = match.get("args");
      std::string argument;
      if (!ts_node_is_null(args)) {
        auto text = syntax::text_of(args, input.source);
        argument = std::string(text.substr(1, text.size() >= 2 ? text.size() - 2 : 0));
      } else {
        argument = std::string(syntax::text_of(match.get("rhs"), input.source));
      }
      Finding finding;
      finding.idiom = "list-growth";
      finding.range = ts_node_is_null(method) ? syntax::range_of(match.get("stmt")) : syntax::range_of(method);
      finding.variant = operation == "append" || operation == "insert" ? "" : "many";
      finding.bindings.set("var", name);
      finding.bindings.set("operation", operation);
      finding.bindings.set("argument", argument);
      // C can spell a name or a number; anything else is `x` on the C side.
      bool word = !argument.empty() && argument.find_first_not_of(
                                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == std::string::npos;
      bool plain = word && (!std::isdigit(static_cast<unsigned char>(argument[0])) || argument.find('_') == std::string::npos);
      finding.bindings.set("c:argument", argument == "None" ? "NULL" : argument == "True" ? "1" : argument == "False" ? "0"
                                          : plain ? argument : "x");
      finding.bindings.set("python_code", python::short_text(match.get("stmt"), input.source));
      // No hint here: whether this append grows the slot array depends on the length, which only
      // the runtime model knows; where it runs the line, its `cap 4 → 8` hint says so exactly.
      out.push_back(std::move(finding));
    }
  }

 private:
  syntax::Query query_{syntax::Language::Python, R"(
    (call
      function: (attribute object: (identifier) @obj attribute: (identifier) @method)
      (#any-of? @method "append" "extend" "insert")
      arguments: (argument_list) @args) @stmt
    (augmented_assignment left: (identifier) @obj operator: "+=" right: [(list) (list_comprehension)] @rhs) @stmt
  )",
                       syntax::NativeMatcher{{"call", "augmented_assignment"}, &ListGrowth::match}};

  static void match(TSNode node, std::string_view source, std::vector<syntax::Match>& out) {
    namespace n = python::native;
    static const TSFieldId function = n::field("function"), object = n::field("object"), attribute_field = n::field("attribute"),
                           arguments = n::field("arguments"), left = n::field("left"), right = n::field("right"),
                           operator_field = n::field("operator");
    static const TSSymbol call = n::symbol("call"), attribute = n::symbol("attribute"), identifier = n::symbol("identifier"),
                          argument_list = n::symbol("argument_list"), plus_equals = n::symbol("+=", false),
                          list = n::symbol("list"), list_comprehension = n::symbol("list_comprehension");
    if (n::is(node, call)) {
      TSNode fn = n::child(node, function);
      if (!n::is(fn, attribute)) return;
      TSNode obj = n::child(fn, object), method = n::child(fn, attribute_field);
      if (!n::is(obj, identifier) || !n::is(method, identifier)) return;
      if (!n::text_is(method, source, {"append", "extend", "insert"})) return;
      TSNode args = n::child(node, arguments);
      if (n::is(args, argument_list)) n::add(out, 0, {{"stmt", node}, {"obj", obj}, {"method", method}, {"args", args}});
      return;
    }
    TSNode obj = n::child(node, left);
    if (!n::is(obj, identifier) || !n::is(n::child(node, operator_field), plus_equals)) return;
    TSNode rhs = n::child(node, right);
    if (n::is(rhs, list) || n::is(rhs, list_comprehension)) n::add(out, 1, {{"stmt", node}, {"obj", obj}, {"rhs", rhs}});
  }
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(ListGrowth)
