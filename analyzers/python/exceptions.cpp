// Failures that C reports by NULL or not at all: `except MemoryError` (MM08) and `except
// IndexError` (MM15), and a constant index past the end of a list display (IndexError at run
// time, where C would read past the array).
#include "check.hpp"
#include "python/native_match.hpp"
#include "python/py_ast.hpp"

namespace c2py::analysis {
namespace {

class Exceptions final : public Check {
 public:
  std::string_view id() const override { return "python-exceptions"; }
  syntax::Language language() const override { return syntax::Language::Python; }
  std::vector<const syntax::Query*> queries() const override { return {&query_}; }
  // File scope: it reads bindings, imports and loops outside the statement it reports on, and
  // the engine's per-unit cache keys findings by the unit's text alone (a repeated `x = None`
  // at module level means different things in different places).
  Scope scope() const override { return Scope::File; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    const auto& src = input.source;
    python::LookupBudget budget(input.node, 2);  // each lookup here walks the scope twice
    for (const auto& match : input.matches(query_)) {
      if (TSNode name = match.get("exc"); !ts_node_is_null(name)) {
        std::string exc(syntax::text_of(name, src));
        Finding finding;
        finding.idiom = exc == "MemoryError" ? "memory-error" : "index-error";
        finding.range = syntax::range_of(name);
        TSNode clause = match.get("clause");
        std::string header(syntax::text_of(clause, src));
        header = header.substr(0, header.find(':') == std::string::npos ? header.size() : header.find(':') + 1);
        // `except A, B:` (3.14, PEP 758) as every version reads it: `except (A, B):`.
        if (header.find(',') != std::string::npos && header.find('(') == std::string::npos && header.find(" as ") == std::string::npos &&
            header.size() > 8)
          header = "except (" + header.substr(7, header.size() - 8) + "):";
        finding.bindings.set("python_code", "try:\n    ...\n" + header + "\n    ...");
        finding.bindings.set("what", "catches an index past the end of a sequence");
        finding.bindings.set("subject", "except " + exc);
        finding.bindings.set("handler", "handle allocation failure");
        finding.bindings.set("c_type", "char");
        out.push_back(std::move(finding));
        continue;
      }
      TSNode subscript = match.get("subscript");
      TSNode sequence = match.get("seq");
      std::string var(syntax::text_of(sequence, src));
      long long index = python::integer_value(match.get("index"), src);
      if (index < 0 || !budget.take(sequence) || !budget.take(sequence)) continue;
      auto binding = budget.last_binding(sequence, var, src);
      if (!binding.found || binding.rebound_otherwise || syntax::type_of(binding.value) != "list") continue;
      // Only when nothing in between could have grown it.
      TSNode scope = python::scope_of(sequence);
      bool changed = false;
      syntax::walk(scope, [&](TSNode n) {
        if (changed || ts_node_start_byte(n) >= ts_node_start_byte(subscript)) return false;
        if (ts_node_end_byte(n) <= ts_node_end_byte(binding.value)) return ts_node_end_byte(n) > ts_node_start_byte(binding.value);
        if (syntax::type_of(n) == "identifier" && syntax::text_of(n, src) == var) {
          // Reading or writing one item (`a[2]`) keeps the length; anything else might not.
          TSNode parent = ts_node_parent(n);
          bool item_access = syntax::type_of(parent) == "subscript" && ts_node_eq(syntax::field(parent, "value"), n) &&
                             syntax::type_of(syntax::field(parent, "subscript")) == "integer" &&
                             syntax::type_of(ts_node_parent(parent)) != "delete_statement";
          if (!item_access) changed = true;
        }
        return true;
      });
      if (changed) continue;
      long long length = ts_node_named_child_count(binding.value);
      if (index < length) continue;
      Finding finding;
      finding.idiom = "index-error";
      finding.range = syntax::range_of(subscript);
      // CPython's own words differ for a store: "list assignment index out of range".
      TSNode holder = ts_node_parent(subscript);
      bool store = syntax::type_of(holder) == "assignment" && ts_node_eq(syntax::field(holder, "left"), subscript);
      finding.bindings.set("python_code", python::short_text(store ? holder : subscript, src) + "   # IndexError: list " +
                                              (store ? "assignment " : "") + "index out of range");
      finding.bindings.set("subject", std::string(syntax::text_of(subscript, src)));
      finding.bindings.set("what", "raises IndexError: `" + var + "` has " + std::to_string(length) + " items (indices 0 to " +
                                       std::to_string(length - 1) + ")");
      out.push_back(std::move(finding));
    }
  }

 private:
  syntax::Query query_{syntax::Language::Python, R"(
    (except_clause . (identifier) @exc (#any-of? @exc "MemoryError" "IndexError")) @clause
    (except_clause . (as_pattern . (identifier) @exc (#any-of? @exc "MemoryError" "IndexError"))) @clause
    (subscript value: (identifier) @seq subscript: (integer) @index) @subscript
  )",
                       syntax::NativeMatcher{{"except_clause", "subscript"}, &Exceptions::match}};

  static void match(TSNode node, std::string_view source, std::vector<syntax::Match>& out) {
    namespace n = python::native;
    static const TSFieldId value = n::field("value"), subscript_field = n::field("subscript");
    static const TSSymbol subscript = n::symbol("subscript"), identifier = n::symbol("identifier"),
                          integer = n::symbol("integer"), as_pattern = n::symbol("as_pattern");
    if (n::is(node, subscript)) {
      // `subscript:` may repeat (`a[1, 2]`): a match per integer.
      TSNode seq = n::child(node, value);
      if (!n::is(seq, identifier)) return;
      n::each_child_with_field(node, [&](TSNode child, TSFieldId id) {
        if (id == subscript_field && n::is(child, integer)) n::add(out, 2, {{"subscript", node}, {"seq", seq}, {"index", child}});
      });
      return;
    }
    TSNode first = ts_node_named_child(node, 0);
    uint32_t pattern = 0;
    if (n::is(first, as_pattern)) {
      first = ts_node_named_child(first, 0);
      pattern = 1;
    }
    if (n::is(first, identifier) && n::text_is(first, source, {"MemoryError", "IndexError"}))
      n::add(out, pattern, {{"clause", node}, {"exc", first}});
  }
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(Exceptions)
