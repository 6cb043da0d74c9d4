// Who refers to what (MM17): `b = a` binds a second name to one object; containers hold
// references to named objects; a function's locals are released at return (MM04) unless the
// object is returned, which hands the caller a reference.
#include "check.hpp"
#include "python/native_match.hpp"
#include "python/py_ast.hpp"

namespace c2py::analysis {
namespace {

using python::ValueKind;

const char* kind_name(ValueKind kind) {
  switch (kind) {
    case ValueKind::List: return "list";
    case ValueKind::Dict: return "dict";
    case ValueKind::Set: return "set";
    case ValueKind::Bytearray: return "bytearray";
    case ValueKind::Tuple: return "tuple";
    case ValueKind::Str: return "str";
    case ValueKind::Bytes: return "bytes";
    default: return "object";
  }
}

bool is_container(ValueKind kind) {
  return kind == ValueKind::List || kind == ValueKind::Dict || kind == ValueKind::Set || kind == ValueKind::Bytearray;
}

bool returned(TSNode function, std::string_view name, std::string_view source) {
  bool found = false;
  syntax::walk(syntax::field(function, "body"), [&](TSNode n) {
    auto kind = syntax::type_of(n);
    if (found || kind == "function_definition" || kind == "class_definition" || kind == "lambda") return false;
    if (kind == "return_statement" || kind == "yield") {
      // The object itself is handed over (`return x`, `return x, y`), not something computed
      // from it (`return len(x)`).
      TSNode value = ts_node_named_child(n, 0);
      if (syntax::type_of(value) == "expression_list" || syntax::type_of(value) == "tuple") {
        for (TSNode item : syntax::named_children(value))
          if (syntax::type_of(item) == "identifier" && syntax::text_of(item, source) == name) found = true;
      } else if (syntax::type_of(value) == "identifier" && syntax::text_of(value, source) == name) {
        found = true;
      }
    }
    return true;
  });
  return found;
}

using python::short_text;

class References final : public Check {
 public:
  std::string_view id() const override { return "python-references"; }
  syntax::Language language() const override { return syntax::Language::Python; }
  std::vector<const syntax::Query*> queries() const override { return {&query_}; }
  // File scope: it reads bindings, imports and loops outside the statement it reports on, and
  // the engine's per-unit cache keys findings by the unit's text alone (a repeated `x = None`
  // at module level means different things in different places).
  Scope scope() const override { return Scope::File; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    const auto& src = input.source;
    python::LookupBudget budget(input.node);
    python::Ancestry ancestry(input.node);
    for (const auto& match : input.matches(query_)) {
      TSNode assignment = match.get("assignment");
      TSNode left = match.get("var");
      TSNode right = match.get("value");
      std::string var(syntax::text_of(left, src));
      auto right_kind = syntax::type_of(right);
      // Only a statement's outermost assignment: each target of `a = b = ... = x` is an assignment
      // nested in the previous one, and walking every one's ancestors was cubic in the chain.
      auto chain = ancestry.of(assignment);  // root … parent
      if (chain.empty() || syntax::type_of(chain.back()) != "expression_statement") continue;
      TSNode function{};
      for (auto it = chain.rbegin(); it != chain.rend() && ts_node_is_null(function); ++it)
        if (syntax::type_of(*it) == "function_definition") function = *it;

      if (right_kind == "identifier") {
        std::string source_name(syntax::text_of(right, src));
        if (!budget.take(right)) continue;
        auto binding = budget.last_binding(right, source_name, src);
        if (!binding.found || binding.rebound_otherwise) continue;
        auto kind = python::kind_of(binding.value, src);
        if (!is_container(kind)) continue;
        Finding finding;
        finding.idiom = "aliasing";
        finding.range = syntax::range_of(assignment);
        finding.bindings.set("var", var);
        finding.bindings.set("source", source_name);
        finding.bindings.set("kind", kind_name(kind));
        finding.bindings.set("c_type", kind == ValueKind::Bytearray ? "unsigned char" : "int");
        finding.hints.push_back({ts_node_end_byte(assignment), "same " + std::string(kind_name(kind)) + " as " + source_name,
                                 HintKind::Refcounts, {}});
        out.push_back(std::move(finding));
        continue;
      }

      auto kind = python::kind_of(right, src);
      // Displays of named objects: the container holds references to them.
      if (right_kind == "list" || right_kind == "tuple" || right_kind == "dictionary") {
        std::string names, c_items;
        int count = 0;
        for (TSNode item : syntax::named_children(right)) {
          TSNode value = syntax::type_of(item) == "pair" ? syntax::field(item, "value") : item;
          if (syntax::type_of(value) != "identifier") continue;
          if (count < 3) names += (names.empty() ? "`" : ", `") + std::string(syntax::text_of(value, src)) + "`";
          c_items += (c_items.empty() ? "" : ", ") + std::string(syntax::text_of(value, src));
          ++count;
        }
        if (count > 3) names += " …";
        if (count > 0) {
          Finding finding;
          finding.idiom = "container-references";
          finding.range = syntax::range_of(right);
          finding.bindings.set("var", var);
          finding.bindings.set("names", names);
          finding.bindings.set("c_items", c_items);
          finding.bindings.set("c_type", "struct object");
          finding.bindings.set("python_code", short_text(assignment, src));
          out.push_back(std::move(finding));
        }
      }

      if (ts_node_is_null(function) || !is_container(kind) || !budget.take(assignment)) continue;
      Finding finding;
      finding.range = syntax::range_of(left);
      finding.bindings.set("var", var);
      finding.bindings.set("kind", kind_name(kind));
      finding.bindings.set("function", std::string(syntax::text_of(syntax::field(function, "name"), src)));
      finding.bindings.set("python_code", short_text(assignment, src));
      finding.bindings.set("c_type", "int");
      if (returned(function, var, src)) {
        finding.idiom = "return-object";
      } else {
        finding.idiom = "locals-freed-at-return";
      }
      out.push_back(std::move(finding));
    }
  }

 private:
  syntax::Query query_{syntax::Language::Python, R"(
    (assignment left: (identifier) @var right: (_) @value) @assignment
  )",
                       syntax::NativeMatcher{{"assignment"}, &References::match}};

  static void match(TSNode assignment, std::string_view, std::vector<syntax::Match>& out) {
    namespace n = python::native;
    static const TSFieldId left = n::field("left"), right = n::field("right");
    static const TSSymbol identifier = n::symbol("identifier");
    TSNode var = n::child(assignment, left);
    if (!n::is(var, identifier)) return;
    TSNode value = n::child(assignment, right);
    if (n::is_named_node(value)) n::add(out, 0, {{"assignment", assignment}, {"var", var}, {"value", value}});
  }
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(References)
