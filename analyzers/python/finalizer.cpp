// `__del__` that releases resources (diagnostic finalizer-cleanup) versus `with`, which releases
// them at a known line (MM04, MM14, MM19).
#include "check.hpp"
#include "python/native_match.hpp"
#include "python/py_ast.hpp"

namespace c2py::analysis {
namespace {

bool releases_resource(TSNode body, std::string_view source, std::string& what) {
  bool found = false;
  syntax::walk(body, [&](TSNode n) {
    if (found) return false;
    auto kind = syntax::type_of(n);
    if (kind == "function_definition" || kind == "class_definition" || kind == "lambda") return false;
    if (kind != "call") return true;
    TSNode function = syntax::field(n, "function");
    if (syntax::type_of(function) != "attribute") return true;
    auto method = syntax::text_of(syntax::field(function, "attribute"), source);
    auto object = syntax::text_of(syntax::field(function, "object"), source);
    static constexpr std::string_view kReleases[] = {"close", "release", "shutdown", "disconnect", "unlink", "remove",
                                                    "terminate", "kill", "unlock", "cleanup", "rmtree", "detach"};
    for (auto r : kReleases)
      if (method == r) {
        found = true;
        what = std::string(syntax::text_of(n, source));
        if (what.size() > 40) what = std::string(object) + "." + std::string(method) + "(…)";
      }
    return true;
  });
  return found;
}

class Finalizer final : public Check {
 public:
  std::string_view id() const override { return "python-finalizer"; }
  syntax::Language language() const override { return syntax::Language::Python; }
  std::vector<const syntax::Query*> queries() const override { return {&query_}; }
  // File scope: whether a class is a context manager may depend on a base class elsewhere in
  // the module (FileFacts::module_context holds the classes' headers for the per-definition cache).
  Scope scope() const override { return Scope::File; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    const auto& src = input.source;
    for (const auto& match : input.matches(query_)) {
      if (TSNode with = match.get("with"); !ts_node_is_null(with)) {
        TSNode clause = match.get("clause");
        Finding finding;
        finding.idiom = "with-statement";
        finding.range = {ts_node_start_byte(with), ts_node_start_byte(with) + 4};
        std::string text(syntax::text_of(clause, src));
        if (text.size() > 60 || text.find('\n') != std::string::npos) {
          // Each item's expression elided, still valid Python: `open(...) as f`.
          text.clear();
          for (TSNode item : syntax::named_children(clause)) {
            if (syntax::type_of(item) != "with_item") continue;
            TSNode value = ts_node_named_child(item, 0);
            std::string shown;
            if (syntax::type_of(value) == "as_pattern")
              shown = python::short_text(ts_node_named_child(value, 0), src) + " as " +
                      std::string(syntax::text_of(syntax::field(value, "alias"), src));
            else
              shown = python::short_text(value, src);
            text += (text.empty() ? "" : ", ") + shown;
          }
        }
        finding.bindings.set("python_code", text + ":");
        out.push_back(std::move(finding));
        continue;
      }
      TSNode method = match.get("method");
      std::string what;
      if (!releases_resource(syntax::field(match.get("def"), "body"), src, what)) continue;
      std::string class_name(syntax::text_of(match.get("class"), src));
      // A class that is already a context manager (itself or through a base class defined in
      // this file) keeps `__del__` as the last resort it should be: nothing to advise.
      if (context_manager(ts_node_parent(ts_node_parent(match.get("def"))), ts_tree_root_node(input.node.tree), src)) continue;
      // A private helper class (`_Stream`) is owned by its module's public class, which
      // releases it: `__del__` there is the safety net, and `with` is the owner's business.
      if (class_name.rfind('_', 0) == 0) continue;
      Finding finding;
      finding.idiom = "finalizer-cleanup";
      finding.range = syntax::range_of(method);
      finding.bindings.set("class_name", class_name);
      finding.bindings.set("var", "obj");
      Diagnostic diagnostic;
      diagnostic.code = "finalizer-cleanup";
      diagnostic.severity = Severity::Warning;
      finding.bindings.set("what", what);  // the sentences are the entry's `message`
      finding.diagnostic = std::move(diagnostic);
      out.push_back(std::move(finding));
    }
  }

 private:
  static bool defines(TSNode klass, std::string_view method, std::string_view src) {
    for (TSNode item : syntax::named_children(syntax::field(klass, "body"))) {
      TSNode def = syntax::type_of(item) == "decorated_definition" ? syntax::field(item, "definition") : item;
      if (syntax::type_of(def) == "function_definition" && syntax::text_of(syntax::field(def, "name"), src) == method) return true;
    }
    return false;
  }

  // Does `klass`, or a base class of it defined at the top of this module, define both
  // `__enter__` and `__exit__`? Bases are followed up to 8 levels.
  static bool context_manager(TSNode klass, TSNode root, std::string_view src) {
    bool enter = false, exit = false;
    std::vector<TSNode> pending{klass};
    for (int steps = 0; steps < 8 && !pending.empty(); ++steps) {
      TSNode current = pending.back();
      pending.pop_back();
      if (syntax::type_of(current) != "class_definition") continue;
      enter = enter || defines(current, "__enter__", src);
      exit = exit || defines(current, "__exit__", src);
      if (enter && exit) return true;
      for (TSNode base : syntax::named_children(syntax::field(current, "superclasses"))) {
        if (syntax::type_of(base) != "identifier") continue;
        for (TSNode top : syntax::named_children(root))
          if (syntax::type_of(top) == "class_definition" && syntax::text_of(syntax::field(top, "name"), src) == syntax::text_of(base, src))
            pending.push_back(top);
      }
    }
    return false;
  }

  syntax::Query query_{syntax::Language::Python, R"(
    (class_definition name: (identifier) @class
      body: (block (function_definition name: (identifier) @method (#eq? @method "__del__")) @def))
    (with_statement (with_clause) @clause) @with
  )",
                       syntax::NativeMatcher{{"class_definition", "with_statement"}, &Finalizer::match}};

  static void match(TSNode node, std::string_view source, std::vector<syntax::Match>& out) {
    namespace n = python::native;
    static const TSFieldId name_field = n::field("name"), body_field = n::field("body");
    static const TSSymbol with_statement = n::symbol("with_statement"), with_clause = n::symbol("with_clause"),
                          identifier = n::symbol("identifier"), block = n::symbol("block"),
                          function_definition = n::symbol("function_definition");
    if (n::is(node, with_statement)) {
      n::each_child(node, [&](TSNode child) {
        if (n::is(child, with_clause)) n::add(out, 1, {{"with", node}, {"clause", child}});
      });
      return;
    }
    TSNode name = n::child(node, name_field);
    if (!n::is(name, identifier)) return;
    TSNode body = n::child(node, body_field);
    if (!n::is(body, block)) return;
    n::each_child(body, [&](TSNode def) {
      if (!n::is(def, function_definition)) return;
      TSNode method = n::child(def, name_field);
      if (n::is(method, identifier) && syntax::text_of(method, source) == "__del__")
        n::add(out, 0, {{"class", name}, {"def", def}, {"method", method}});
    });
  }
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(Finalizer)
