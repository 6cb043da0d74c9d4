// Strings are immutable (MM03): `s + t` and `s += t` make a new str (hint "new str"), and `+=`
// in a loop is the diagnostic str-concat-in-loop; `"".join(parts)` allocates once; f-strings
// build a new str; slicing copies.
#include <algorithm>
#include <utility>

#include "check.hpp"
#include "python/native_match.hpp"
#include "python/py_ast.hpp"

namespace c2py::analysis {
namespace {

using python::ValueKind;

bool is_text(TSNode node, std::string_view source, python::LookupBudget& budget) {
  auto kind = python::kind_of(node, source);
  if (kind == ValueKind::Str) return true;
  if (syntax::type_of(node) == "identifier" && budget.take(node)) {
    auto binding = budget.last_binding(node, syntax::text_of(node, source), source);
    return binding.found && !binding.rebound_otherwise && python::kind_of(binding.value, source) == ValueKind::Str;
  }
  return false;
}

using python::short_text;

// An operand as C can spell it: a name, or a plain string literal in double quotes; otherwise
// the fallback name (the C side of a hover must be C, not `", ".join(parts)`).
std::string c_operand(TSNode node, std::string_view src, const char* fallback) {
  auto text = syntax::text_of(node, src);
  if (syntax::type_of(node) == "identifier") return std::string(text);
  if (syntax::type_of(node) == "string" && text.size() >= 2 && (text.front() == '"' || text.front() == '\'') &&
      text.find('\\') == std::string_view::npos && text.substr(1, text.size() - 2).find_first_of("\"'{}") == std::string_view::npos &&
      text.substr(0, 3) != "\"\"\"" && text.substr(0, 3) != "\'\'\'")
    return "\"" + std::string(text.substr(1, text.size() - 2)) + "\"";
  return fallback;
}

// Is `var` rebound (plain `=`, or as the `for` target) on each pass of `loop` before `aug`? Then
// `var += …` grows a short string built per pass, not an accumulation over the loop.
bool rebound_each_pass(TSNode loop, std::string_view var, TSNode aug, std::string_view src) {
  // Only a plain name can be rebound by a pattern (`for k, line in ...`, `a, line = ...`).
  bool name = var.find_first_of(".[") == std::string_view::npos;
  auto binds = [&](TSNode left) {
    return syntax::text_of(left, src) == var || (name && syntax::type_of(left) != "attribute" && syntax::type_of(left) != "subscript" &&
                                                 python::mentions(left, var, src));
  };
  if (syntax::type_of(loop) == "for_statement" && binds(syntax::field(loop, "left"))) return true;
  bool found = false;
  uint32_t limit = ts_node_start_byte(aug);
  syntax::walk(syntax::field(loop, "body"), [&](TSNode node) {
    if (found || ts_node_start_byte(node) >= limit) return false;
    auto kind = syntax::type_of(node);
    if (kind == "function_definition" || kind == "class_definition") return false;
    if (kind == "assignment" && binds(syntax::field(node, "left"))) found = true;
    return !found;
  });
  return found;
}

// A plain name local to a function (no `global`/`nonlocal` for it): the only case where
// CPython resizes the string in place when nothing else refers to it.
bool function_local(TSNode node, std::string_view var, std::string_view src, python::Ancestry& ancestry) {
  if (var.find_first_of(".[") != std::string_view::npos) return false;
  TSNode function{};
  auto chain = ancestry.of(node);  // root … parent
  for (auto it = chain.rbegin(); it != chain.rend(); ++it)
    if (syntax::type_of(*it) == "function_definition") {
      function = *it;
      break;
    }
  if (ts_node_is_null(function)) return false;
  bool declared = false;
  syntax::walk(syntax::field(function, "body"), [&](TSNode n) {
    auto kind = syntax::type_of(n);
    if (kind == "global_statement" || kind == "nonlocal_statement")
      for (TSNode name : syntax::named_children(n))
        if (syntax::text_of(name, src) == var) declared = true;
    return !declared && kind != "function_definition" && kind != "class_definition";
  });
  return !declared;
}

class Strings final : public Check {
 public:
  std::string_view id() const override { return "python-strings"; }
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
    std::vector<std::pair<uint32_t, std::string>> reported;  // (loop start, string) diagnosed
    for (const auto& match : input.matches(query_)) {
      if (TSNode sum = match.get("sum"); !ts_node_is_null(sum)) {
        TSNode parent = ancestry.parent(sum);
        if (syntax::type_of(parent) == "binary_operator") continue;  // the outermost + of a chain
        TSNode left = syntax::field(sum, "left"), right = syntax::field(sum, "right");
        while (syntax::type_of(left) == "binary_operator") left = syntax::field(left, "left");
        if (!is_text(left, src, budget) && !is_text(right, src, budget)) continue;
        Finding finding;
        finding.idiom = "str-concat";
        finding.range = syntax::range_of(sum);
        std::string var = "s2";
        std::string code = short_text(sum, src);
        if (syntax::type_of(parent) == "assignment" && syntax::type_of(syntax::field(parent, "left")) == "identifier") {
          var = std::string(syntax::text_of(syntax::field(parent, "left"), src));
          code = short_text(parent, src);
        }
        finding.bindings.set("var", var);
        finding.bindings.set("python_code", code);
        finding.bindings.set("operand", std::string(syntax::text_of(left, src)));
        finding.bindings.set("left", std::string(syntax::text_of(left, src)));
        finding.bindings.set("right", std::string(syntax::text_of(right, src)));
        finding.bindings.set("c:left", c_operand(left, src, "a"));
        finding.bindings.set("c:right", c_operand(right, src, "b"));
        // `s += a + b` ends where the sum does: one "new str" there is enough.
        if (syntax::type_of(parent) != "augmented_assignment")
          finding.hints.push_back({ts_node_end_byte(sum), "new str", HintKind::Allocations, {}});
        out.push_back(std::move(finding));
      } else if (TSNode aug = match.get("aug"); !ts_node_is_null(aug)) {
        TSNode target = syntax::field(aug, "left"), value = syntax::field(aug, "right");
        if (!is_text(value, src, budget) && !is_text(target, src, budget)) continue;
        std::string var(syntax::text_of(target, src));
        Finding finding;
        finding.idiom = "str-concat";
        finding.range = syntax::range_of(aug);
        finding.bindings.set("var", var);
        finding.bindings.set("python_code", short_text(aug, src));
        finding.bindings.set("operand", var);
        finding.bindings.set("left", var);
        finding.bindings.set("right", std::string(syntax::text_of(value, src)));
        finding.bindings.set("c:left", c_operand(target, src, "a"));
        finding.bindings.set("c:right", c_operand(value, src, "b"));
        finding.bindings.set("c:var", c_operand(target, src, "s"));
        finding.bindings.set("piece", std::string(syntax::text_of(value, src)));
        finding.hints.push_back({ts_node_end_byte(aug), "new str", HintKind::Allocations, {}});
        TSNode loop = python::enclosing_loop(aug);
        // One diagnostic per string and loop (the first `+=`; the others keep their hover), and
        // only for a name or an attribute: `d[k] += s` appends to a different string per key.
        bool first_in_loop = true;
        if (!ts_node_is_null(loop)) {
          // Keyed by the outermost loop of the function: nested loops build the same string.
          TSNode outer = loop;
          for (TSNode up = python::enclosing_loop(outer); !ts_node_is_null(up); up = python::enclosing_loop(up)) outer = up;
          auto key = std::make_pair(ts_node_start_byte(outer), var);
          first_in_loop = std::find(reported.begin(), reported.end(), key) == reported.end();
          if (first_in_loop) reported.push_back(key);
        }
        auto target_kind = syntax::type_of(target);
        if (!ts_node_is_null(loop) && first_in_loop && (target_kind == "identifier" || target_kind == "attribute") &&
            !rebound_each_pass(loop, var, aug, src)) {
          finding.idiom = "str-concat-in-loop";
          Diagnostic diagnostic;
          diagnostic.code = "str-concat-in-loop";
          bool local = function_local(aug, var, src, ancestry);
          // A function's local that nothing else refers to is resized in place (linear); the
          // lesson still holds, but it is not a performance bug there.
          diagnostic.severity = local ? Severity::Information : Severity::Warning;
          // The sentences are the entry's `message` / `message[local]`.
          finding.variant = local ? "local" : "";
          finding.bindings.set("piece_short", short_text(value, src));
          finding.diagnostic = std::move(diagnostic);
        }
        out.push_back(std::move(finding));
      } else if (TSNode join = match.get("join"); !ts_node_is_null(join)) {
        Finding finding;
        finding.idiom = "str-join";
        finding.range = syntax::range_of(match.get("method"));
        finding.bindings.set("python_code", short_text(join, src));
        out.push_back(std::move(finding));
      } else if (TSNode fstring = match.get("fstring"); !ts_node_is_null(fstring)) {
        auto text = syntax::text_of(fstring, src);
        size_t quote = text.find_first_of("'\"");
        auto prefix = text.substr(0, quote == std::string_view::npos ? 0 : quote);
        if (prefix.find_first_of("fF") == std::string_view::npos) continue;
        Finding finding;
        finding.idiom = "f-string";
        finding.range = syntax::range_of(fstring);
        finding.bindings.set("python_code", short_text(ancestry.parent(fstring), src));
        out.push_back(std::move(finding));
      } else if (TSNode slice = match.get("slice"); !ts_node_is_null(slice)) {
        TSNode sequence = match.get("seq");
        std::string var(syntax::text_of(sequence, src));
        auto binding = budget.take(sequence) ? budget.last_binding(sequence, var, src) : python::Binding{};
        auto kind = binding.found && !binding.rebound_otherwise ? python::kind_of(binding.value, src) : ValueKind::Unknown;
        Finding finding;
        finding.idiom = "slice-copy";
        finding.range = syntax::range_of(slice);
        finding.bindings.set("var", var);
        finding.bindings.set("python_code", short_text(ancestry.parent(slice), src));
        finding.bindings.set("kind", kind == ValueKind::Str ? "str" : kind == ValueKind::Bytes ? "bytes" : "list (or str, bytes, tuple)");
        finding.bindings.set("c_type", kind == ValueKind::Str || kind == ValueKind::Bytes ? "char" : "int");
        out.push_back(std::move(finding));
      }
    }
  }

 private:
  syntax::Query query_{syntax::Language::Python, R"(
    (binary_operator operator: "+") @sum
    (augmented_assignment operator: "+=") @aug
    (call function: (attribute object: (string) attribute: (identifier) @method (#eq? @method "join"))) @join
    (assignment right: (string) @fstring)
    (assignment right: (subscript value: (identifier) @seq subscript: (slice)) @slice)
  )",
                       syntax::NativeMatcher{{"binary_operator", "augmented_assignment", "call", "assignment"}, &Strings::match}};

  static void match(TSNode node, std::string_view source, std::vector<syntax::Match>& out) {
    namespace n = python::native;
    static const TSFieldId operator_field = n::field("operator"), function = n::field("function"), object = n::field("object"),
                           attribute_field = n::field("attribute"), right = n::field("right"), value = n::field("value"),
                           subscript_field = n::field("subscript");
    static const TSSymbol binary_operator = n::symbol("binary_operator"),
                          augmented_assignment = n::symbol("augmented_assignment"), call = n::symbol("call"),
                          plus = n::symbol("+", false), plus_equals = n::symbol("+=", false), attribute = n::symbol("attribute"),
                          string = n::symbol("string"), identifier = n::symbol("identifier"), subscript = n::symbol("subscript"),
                          slice = n::symbol("slice");
    TSSymbol type = ts_node_symbol(node);
    if (type == binary_operator) {
      if (n::is(n::child(node, operator_field), plus)) n::add(out, 0, {{"sum", node}});
      return;
    }
    if (type == augmented_assignment) {
      if (n::is(n::child(node, operator_field), plus_equals)) n::add(out, 1, {{"aug", node}});
      return;
    }
    if (type == call) {
      TSNode fn = n::child(node, function);
      if (!n::is(fn, attribute) || !n::is(n::child(fn, object), string)) return;
      TSNode method = n::child(fn, attribute_field);
      if (n::is(method, identifier) && syntax::text_of(method, source) == "join")
        n::add(out, 2, {{"join", node}, {"method", method}});
      return;
    }
    TSNode rhs = n::child(node, right);
    if (n::is(rhs, string)) return n::add(out, 3, {{"fstring", rhs}});
    if (!n::is(rhs, subscript)) return;
    TSNode seq = n::child(rhs, value);
    if (!n::is(seq, identifier)) return;
    // `subscript:` may repeat; the step captures nothing, so one match however many slices.
    bool sliced = false;
    n::each_child_with_field(
        rhs, [&](TSNode child, TSFieldId id) { sliced = sliced || (id == subscript_field && n::is(child, slice)); });
    if (sliced) n::add(out, 4, {{"slice", rhs}, {"seq", seq}});
  }
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(Strings)
