// Freeing by hand in Python: `del x` (MM14, MM17), `x = None` (rebinding), gc and sys tools
// (MM19). The diagnostic manual-free is for the C habit that does nothing: `del x` / `x = None`
// as a function's last act (its locals go at return anyway), and gc.collect() right after one.
// `del` in the middle of real work, to drop a big object early, is legitimate and not flagged.
#include "check.hpp"
#include "python/native_match.hpp"
#include "python/py_ast.hpp"

namespace c2py::analysis {
namespace {

bool declared_global(TSNode function, std::string_view name, std::string_view source) {
  bool found = false;
  syntax::walk(syntax::field(function, "body"), [&](TSNode n) {
    auto kind = syntax::type_of(n);
    if (kind == "function_definition" || kind == "class_definition") return false;
    if ((kind == "global_statement" || kind == "nonlocal_statement") && python::mentions(n, name, source)) found = true;
    return !found;
  });
  return found;
}

// Is `name` bound to a traceback in this function (`t, v, tb = sys.exc_info()`,
// `tb = e.__traceback__`)? Then `del tb` breaks the cycle frame → traceback → frame, which the
// frame's end alone would not: a traceback refers to the frame that holds it.
bool holds_traceback(TSNode function, std::string_view name, std::string_view source) {
  bool found = false;
  syntax::walk(syntax::field(function, "body"), [&](TSNode n) {
    if (found) return false;
    auto kind = syntax::type_of(n);
    if (kind == "function_definition" || kind == "class_definition") return false;
    if (kind == "assignment" && python::mentions(syntax::field(n, "left"), name, source)) {
      auto right = syntax::text_of(syntax::field(n, "right"), source);
      if (right.find("exc_info") != std::string_view::npos || right.find("__traceback__") != std::string_view::npos ||
          right.find("tb_frame") != std::string_view::npos || right.find("_getframe") != std::string_view::npos)
        found = true;
    }
    return !found;
  });
  return found;
}

// The statement is in a function's own body and only `return`s (not mentioning the name) or
// nothing follow it: the function's locals are released right after anyway.
enum class Tail { No, End, BareReturn };
Tail at_function_end(TSNode statement, std::string_view name, std::string_view source) {
  TSNode block = ts_node_parent(statement);
  if (syntax::type_of(block) != "block" || syntax::type_of(ts_node_parent(block)) != "function_definition") return Tail::No;
  Tail tail = Tail::End;
  for (TSNode next = ts_node_next_named_sibling(statement); !ts_node_is_null(next); next = ts_node_next_named_sibling(next)) {
    auto kind = syntax::type_of(next);
    if (kind == "comment") continue;
    if (kind == "expression_statement" || kind == "delete_statement" || kind == "pass_statement") {
      // More cleanup of the same kind (`del a` / `b = None` / `del b`) still counts as the end.
      TSNode e = ts_node_named_child(next, 0);
      bool cleanup = kind == "delete_statement" || kind == "pass_statement" ||
                     (syntax::type_of(e) == "assignment" && syntax::type_of(syntax::field(e, "right")) == "none");
      if (cleanup) continue;
      return Tail::No;
    }
    if (kind != "return_statement" || python::mentions(next, name, source)) return Tail::No;
    TSNode value = ts_node_named_child(next, 0);
    auto vk = syntax::type_of(value);
    // A return that computes something is real work after the del, which may well be the point
    // of dropping the object early: not flagged. A constant or a plain name runs no code.
    bool plain = ts_node_is_null(value) || vk == "integer" || vk == "none" || vk == "true" || vk == "false" ||
                 vk == "string" || vk == "float" || vk == "identifier";
    tail = plain ? Tail::BareReturn : Tail::No;
    break;
  }
  return tail;
}

syntax::ByteRange whole_lines(TSNode statement, std::string_view source) {
  uint32_t begin = python::line_start(source, ts_node_start_byte(statement));
  uint32_t end = ts_node_end_byte(statement);
  while (end < source.size() && source[end] != '\n') ++end;
  if (end < source.size()) ++end;
  return {begin, end};
}

class ManualFree final : public Check {
 public:
  std::string_view id() const override { return "python-manual-free"; }
  syntax::Language language() const override { return syntax::Language::Python; }
  std::vector<const syntax::Query*> queries() const override { return {&query_}; }
  // File scope: it reads bindings, imports and loops outside the statement it reports on, and
  // the engine's per-unit cache keys findings by the unit's text alone (a repeated `x = None`
  // at module level means different things in different places).
  Scope scope() const override { return Scope::File; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    const auto& src = input.source;
    python::LookupBudget budget(input.node);
    for (const auto& match : input.matches(query_)) {
      if (TSNode del = match.get("del"); !ts_node_is_null(del)) {
        TSNode target = ts_node_named_child(del, 0);
        std::vector<TSNode> names;
        if (syntax::type_of(target) == "identifier") names.push_back(target);
        else if (syntax::type_of(target) == "expression_list")
          for (TSNode n : syntax::named_children(target))
            if (syntax::type_of(n) == "identifier") names.push_back(n);
        if (names.empty()) continue;
        std::string var(syntax::text_of(names[0], src));
        std::string all;
        for (TSNode n : names) all += (all.empty() ? "" : ", ") + std::string(syntax::text_of(n, src));
        Finding finding;
        finding.idiom = "del-statement";
        // The keyword: the whole statement's range belongs to the runtime model's lifetime note.
        finding.range = {ts_node_start_byte(del), ts_node_start_byte(del) + 3};
        finding.bindings.set("var", var);
        finding.bindings.set("python_code", python::short_text(del, src));
        manual_free(src, del, var, "`" + all + "` would be released when the function returns, on the next line", finding);
        out.push_back(std::move(finding));
      } else if (TSNode none = match.get("none"); !ts_node_is_null(none)) {
        TSNode name = match.get("name");
        std::string var(syntax::text_of(name, src));
        if (!budget.take(name)) continue;
        auto binding = budget.last_binding(name, var, src);
        if (!binding.found && !binding.parameter) continue;  // `x = None` as a first binding: an initialization
        if (binding.found && syntax::type_of(binding.value) == "none") continue;
        TSNode statement = ts_node_parent(none);
        Finding finding;
        finding.idiom = "rebind-none";
        finding.range = syntax::range_of(syntax::field(none, "right"));
        finding.bindings.set("var", var);
        finding.bindings.set("python_code", python::short_text(none, src));
        if (syntax::type_of(statement) == "expression_statement")
          manual_free(src, statement, var, "`" + var + "` would be released when the function returns, on the next line", finding);
        out.push_back(std::move(finding));
      } else if (TSNode call = match.get("call"); !ts_node_is_null(call)) {
        std::string module(syntax::text_of(match.get("module"), src));
        std::string function(syntax::text_of(match.get("function"), src));
        if (module == "sys" && function != "getrefcount" && function != "getsizeof") continue;
        Finding finding;
        finding.idiom = "gc-module";
        finding.range = syntax::range_of(call);
        finding.bindings.set("python_code", python::short_text(call, src));
        std::string what = function == "collect"       ? "runs the cyclic garbage collector, which frees only objects in unreachable reference cycles"
                           : function == "getrefcount" ? "returns the object's reference count (plus one for the argument itself)"
                           : function == "getsizeof"   ? "returns the object's own size in bytes, not counting what it refers to"
                                                       : "controls or inspects the cyclic garbage collector";
        finding.bindings.set("what", what);
        TSNode statement = ts_node_parent(call);
        if (function == "collect" && syntax::type_of(statement) == "expression_statement") {
          TSNode previous = ts_node_prev_named_sibling(statement);
          while (!ts_node_is_null(previous) && syntax::type_of(previous) == "comment") previous = ts_node_prev_named_sibling(previous);
          bool after_release = syntax::type_of(previous) == "delete_statement" ||
                               (syntax::type_of(previous) == "expression_statement" &&
                                syntax::type_of(ts_node_named_child(previous, 0)) == "assignment" &&
                                syntax::type_of(syntax::field(ts_node_named_child(previous, 0), "right")) == "none");
          if (after_release && !acyclic_release(previous, src)) after_release = false;
          if (after_release) {
            finding.bindings.set("reason", "reference counting already freed what the line before released, and it could not be in a cycle");
            finding.bindings.set("var", "x");
            Diagnostic diagnostic;
            diagnostic.code = "manual-free";
            diagnostic.severity = Severity::Information;
            // The sentences are the entry's `message[collect]`.
            finding.variant = "collect";
            finding.bindings.set("released", python::short_text(previous, src));
            // Unsafe: removing it delays freeing objects caught in cycles (and their __del__).
            diagnostic.fixes.push_back({"", FixSafety::Unsafe,  // title: the entry's `fix[collect]`
                                          {{whole_lines(statement, src), ""}}});
            finding.diagnostic = std::move(diagnostic);
            finding.idiom = "manual-free";
            finding.bindings.set("python_code", "gc.collect()");
          }
        }
        out.push_back(std::move(finding));
      }
    }
  }

 private:
  // Does the statement before `gc.collect()` release only objects that cannot be in a reference
  // cycle (strings, bytes, numbers, lists of numbers never changed), so that reference counting
  // already freed them? Anything else may be a cycle, which is what gc.collect() is for.
  static bool acyclic_release(TSNode statement, std::string_view src) {
    std::vector<TSNode> names;
    if (syntax::type_of(statement) == "delete_statement") {
      TSNode target = ts_node_named_child(statement, 0);
      if (syntax::type_of(target) == "identifier") names.push_back(target);
      else if (syntax::type_of(target) == "expression_list")
        for (TSNode n : syntax::named_children(target)) names.push_back(n);
    } else {
      names.push_back(syntax::field(ts_node_named_child(statement, 0), "left"));
    }
    for (TSNode name : names) {
      if (syntax::type_of(name) != "identifier") return false;
      std::string_view var = syntax::text_of(name, src);
      auto binding = python::last_binding(name, var, src);
      if (!binding.found || binding.rebound_otherwise) return false;
      auto kind = python::kind_of(binding.value, src);
      bool flat = kind == python::ValueKind::Str || kind == python::ValueKind::Bytes ||
                  kind == python::ValueKind::Bytearray || kind == python::ValueKind::Number;
      if (kind == python::ValueKind::List || kind == python::ValueKind::Tuple) {
        // A display of constants, or `[0] * n`: flat, unless something changes it later.
        TSNode display = binding.value;
        if (syntax::type_of(display) == "binary_operator") {
          display = syntax::field(binding.value, "left");
          if (syntax::type_of(display) != "list") display = syntax::field(binding.value, "right");
        }
        auto type = syntax::type_of(display);
        flat = type == "list" || type == "tuple";
        for (TSNode item : syntax::named_children(display)) {
          auto k = syntax::type_of(item);
          if (k != "integer" && k != "float" && k != "string" && k != "true" && k != "false" && k != "none") flat = false;
        }
        syntax::walk(python::scope_of(name), [&](TSNode n) {
          if (!flat) return false;
          if (syntax::type_of(n) != "identifier" || syntax::text_of(n, src) != var) return true;
          TSNode parent = ts_node_parent(n);
          auto pk = syntax::type_of(parent);
          if (pk == "attribute" && ts_node_eq(syntax::field(parent, "object"), n)) flat = false;  // x.append(...)
          TSNode holder = ts_node_parent(parent);
          if (pk == "subscript" && (syntax::type_of(holder) == "assignment" || syntax::type_of(holder) == "augmented_assignment") &&
              ts_node_eq(syntax::field(holder, "left"), parent))
            flat = false;  // x[i] = ...
          return true;
        });
      }
      if (!flat) return false;
    }
    return !names.empty();
  }

  static void manual_free(std::string_view source, TSNode statement, const std::string& var, const std::string& reason,
                          Finding& finding) {
    TSNode function = syntax::ancestor_of_type(statement, {"function_definition"});
    // The cheap test first: most statements are not a function's last.
    if (ts_node_is_null(function) || at_function_end(statement, var, source) == Tail::No) return;
    if (declared_global(function, var, source) || holds_traceback(function, var, source)) return;
    std::string code(syntax::text_of(statement, source));
    finding.idiom = "manual-free";
    finding.range = syntax::range_of(statement);
    finding.bindings.set("reason", reason);
    finding.bindings.set("python_code", code);
    Diagnostic diagnostic;
    diagnostic.code = "manual-free";
    diagnostic.severity = Severity::Information;
    // The sentences are the entry's `message`.
    finding.bindings.set("function", std::string(syntax::text_of(syntax::field(function, "name"), source)));
    // Safe: only a constant or a plain name is returned after it, so no code runs between here
    // and the frame's end, where the reference goes anyway.
    diagnostic.fixes.push_back({"", FixSafety::Safe,  // title: the entry's `fix`
                                 {{whole_lines(statement, source), ""}}});
    finding.diagnostic = std::move(diagnostic);
  }

  syntax::Query query_{syntax::Language::Python, R"(
    (delete_statement) @del
    (assignment left: (identifier) @name right: (none)) @none
    (call function: (attribute object: (identifier) @module (#any-of? @module "gc" "sys") attribute: (identifier) @function)) @call
  )",
                       syntax::NativeMatcher{{"delete_statement", "assignment", "call"}, &ManualFree::match}};

  static void match(TSNode node, std::string_view source, std::vector<syntax::Match>& out) {
    namespace n = python::native;
    static const TSFieldId function = n::field("function"), object = n::field("object"), attribute_field = n::field("attribute"),
                           left = n::field("left"), right = n::field("right");
    static const TSSymbol delete_statement = n::symbol("delete_statement"), assignment = n::symbol("assignment"),
                          attribute = n::symbol("attribute"), identifier = n::symbol("identifier"), none = n::symbol("none");
    if (n::is(node, delete_statement)) return n::add(out, 0, {{"del", node}});
    if (n::is(node, assignment)) {
      TSNode name = n::child(node, left);
      if (n::is(name, identifier) && n::is(n::child(node, right), none)) n::add(out, 1, {{"none", node}, {"name", name}});
      return;
    }
    TSNode fn = n::child(node, function);
    if (!n::is(fn, attribute)) return;
    TSNode module = n::child(fn, object);
    if (!n::is(module, identifier) || !n::text_is(module, source, {"gc", "sys"})) return;
    TSNode attr = n::child(fn, attribute_field);
    if (n::is(attr, identifier)) n::add(out, 2, {{"call", node}, {"module", module}, {"function", attr}});
  }
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(ManualFree)
