// Automatic (stack) storage: locals and fixed-size arrays live in the function's frame and die at
// return, with no malloc or free (MM06, MM16). A constant index past a fixed array's end is the
// diagnostic out-of-bounds: C reads or writes beyond it, Python would raise IndexError (MM15).
#include <algorithm>
#include <cctype>
#include <map>

#include "c/c_ast.hpp"
#include "c/native_match.hpp"
#include "c/py_expr.hpp"
#include "check.hpp"

namespace c2py::analysis {
namespace {

bool is_floating(std::string_view type) { return type == "float" || type == "double" || type == "long double"; }
bool is_char(std::string_view type) { return type == "char" || type == "unsigned char" || type == "signed char" || type == "uint8_t"; }

// A struct held by value is the one local with a memory lesson (it is copied on assignment;
// Python would share one heap object). Scalars get nothing: a hover on every `int i` is noise.
// Lifetime hints: the first few struct locals of a function make the point.
constexpr int kScalarHintsPerFunction = 2;


struct StackArray {
  std::string name, type;
  long long count = 0;
  TSNode declaration{};
  int declarations = 0;  // >1: shadowed somewhere; index checks would be guesses
};

std::string python_zero(std::string_view type) { return is_floating(type) ? "0.0" : "0"; }

// A node and its bytes; spans in the order of the tree: by start, the outer one first.
struct Span {
  TSNode node;
  uint32_t start = 0, end = 0;
  static Span of(TSNode node) { return {node, ts_node_start_byte(node), ts_node_end_byte(node)}; }
  static bool in_tree_order(const Span& a, const Span& b) { return a.start != b.start ? a.start < b.start : a.end > b.end; }
  // The spans of `sorted` (in tree order) that lie inside this one.
  std::vector<Span> spans_inside(const std::vector<Span>& sorted) const {
    auto first = std::lower_bound(sorted.begin(), sorted.end(), start, [](const Span& s, uint32_t at) { return s.start < at; });
    std::vector<Span> out;
    for (auto it = first; it != sorted.end() && it->start < end; ++it)
      if (it->end <= end) out.push_back(*it);
    return out;
  }
};

class StackAllocation final : public Check {
 public:
  std::string_view id() const override { return "c-stack-allocation"; }
  syntax::Language language() const override { return syntax::Language::C; }
  std::vector<const syntax::Query*> queries() const override { return {&query_}; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    const auto& src = input.source;
    // The declarations, subscripts and sizeofs of the unit come from the query (the engine's one
    // walk), in the order of the tree (start, then the outer node first), not from a walk of each
    // body: what the walk of a body met is what lies in its byte range.
    std::vector<syntax::Match> matches = input.matches(query_);
    std::vector<const syntax::Match*> functions;
    std::vector<Span> declarations, subscripts, sizeofs;
    for (const auto& match : matches) {
      if (match.pattern == 0) functions.push_back(&match);
      else
        (match.pattern == 1   ? declarations
         : match.pattern == 2 ? subscripts
                              : sizeofs)
            .push_back(Span::of(match.captures[0].node));
    }
    for (auto* spans : {&declarations, &subscripts, &sizeofs})
      std::stable_sort(spans->begin(), spans->end(), Span::in_tree_order);
    for (const syntax::Match* match : functions) {
      TSNode function = match->get("function");
      TSNode body = match->get("body");
      const Span within = Span::of(body);
      std::string function_name(syntax::text_of(match->get("name"), src));
      std::map<std::string, StackArray> arrays;
      int scalar_hints = 0;
      // The declarations a walk of the body meets: it does not go into a declaration (so not into
      // those inside one), nor into a statement without `{` and without errors (in the grammar a
      // declaration inside an expression is always inside a `{ ... }` block: a statement
      // expression, a macro's block argument), which holds none.
      uint32_t inside_until = 0;  // the end of the last declaration met: those before it are inside it
      for (const Span& span : within.spans_inside(declarations)) {
        if (span.start < inside_until) continue;
        inside_until = span.end;
        TSNode node = span.node;
        bool frame = true;
        for (TSNode child : syntax::named_children(node))
          if (syntax::type_of(child) == "storage_class_specifier") frame = false;  // static/extern: not the frame
        if (!frame) continue;
        std::string type(syntax::text_of(syntax::field(node, "type"), src));
        // One of the body's own statements (asked of the body: ts_node_parent starts from the root).
        auto top_level = [&] { return ts_node_child_with_descendant(body, node).id == node.id; };
        bool lifetime_shown = false;
        for (TSNode declarator : syntax::named_children(node)) {
          auto kind = syntax::type_of(declarator);
          TSNode inner = declarator;
          TSNode value{};
          if (kind == "init_declarator") {
            inner = syntax::field(declarator, "declarator");
            value = syntax::field(declarator, "value");
          }
          auto inner_kind = syntax::type_of(inner);
          Finding finding;
          finding.bindings.set("function", "`" + function_name + "`");
          finding.bindings.set("type", type);
          finding.bindings.set("c_code", std::string(syntax::text_of(node, src)));
          if (inner_kind == "array_declarator") {
            TSNode id = syntax::field(inner, "declarator");
            if (syntax::type_of(id) != "identifier") continue;
            auto count = c::constant_value(syntax::field(inner, "size"), src);
            if (!count || *count <= 0) continue;
            std::string name(syntax::text_of(id, src));
            auto& known = arrays[name];
            known.name = name;
            known.type = type;
            known.count = *count;
            known.declaration = node;
            ++known.declarations;
            auto element = c::sizeof_type(type);
            // Structs: one object per element (`[Cell()] * n` would be n references to one);
            // a typedef the model cannot size may be a struct or a number: slots to fill.
            bool record = type.rfind("struct ", 0) == 0 || type.rfind("union ", 0) == 0;
            std::string n = std::to_string(*count);
            std::string tag = type.substr(0, type.find('{'));  // `struct e { ... }`: its tag only
            while (!tag.empty() && std::isspace(static_cast<unsigned char>(tag.back()))) tag.pop_back();
            std::string python_value = is_char(type) ? "bytearray(" + n + ")"
                                       : record      ? "[" + c::python_class_name(tag) + "() for _ in range(" + n + ")]"
                                       : element     ? "[" + python_zero(type) + "] * " + n
                                                     : "[None] * " + n;
            finding.idiom = "stack-array";
            finding.range = syntax::range_of(id);
            finding.bindings.set("var", name);
            finding.bindings.set("count", std::to_string(*count));
            finding.bindings.set("python_value", python_value);
            finding.bindings.set("bytes", element ? std::to_string(*element * *count) + " bytes" : "`sizeof " + name + "` bytes");
            if (element) finding.hints.push_back({ts_node_end_byte(inner), size_label(*element * *count), HintKind::Allocations, {}});
            // `char a[8], b[8];`: each array's equivalent after its own declarator, one lifetime
            // hint for the declaration.
            bool several = ts_node_named_child_count(node) > 2;
            uint32_t at = several ? ts_node_end_byte(declarator) : ts_node_end_byte(node);
            finding.hints.push_back({at, "≈ " + python_value, HintKind::PythonEquivalents, {}});
            if (!lifetime_shown) finding.hints.push_back({ts_node_end_byte(node), "stack · dies at return", HintKind::Lifetimes, {}});
            lifetime_shown = true;
            out.push_back(std::move(finding));
          } else if (inner_kind == "identifier") {
            std::string name(syntax::text_of(inner, src));
            if (type.rfind("struct ", 0) != 0 || type.find('{') != std::string::npos || c::python_reserved(name)) continue;
            std::string python_code;
            if (ts_node_is_null(value) || syntax::type_of(value) == "initializer_list") {
              python_code = name + " = " + c::python_class_name(type) + "()   # an object on the heap; the name refers to it";
            } else if (auto copied = c::python_expression(value, src)) {
              python_code = "import copy\n" + name + " = copy.copy(" + *copied + ")   # C copies the whole struct";
            } else {
              continue;
            }
            finding.idiom = "stack-variable";
            finding.range = syntax::range_of(inner);
            finding.bindings.set("var", name);
            finding.bindings.set("python_code", python_code);
            if (scalar_hints < kScalarHintsPerFunction && !lifetime_shown && top_level()) {
              ++scalar_hints;
              lifetime_shown = true;
              finding.hints.push_back({ts_node_end_byte(node), "stack · dies at return", HintKind::Lifetimes, {}});
            }
            out.push_back(std::move(finding));
          }
        }
      }

      // Constant indices past the end of the function's own fixed arrays (none: nothing to find),
      // not inside a sizeof (not evaluated).
      uint32_t unevaluated_until = 0;
      const std::vector<Span> unevaluated = arrays.empty() ? std::vector<Span>{} : within.spans_inside(sizeofs);
      auto next_sizeof = unevaluated.begin();
      if (!arrays.empty())
        for (const Span& span : within.spans_inside(subscripts)) {
          for (; next_sizeof != unevaluated.end() && next_sizeof->start <= span.start; ++next_sizeof)
            unevaluated_until = std::max(unevaluated_until, next_sizeof->end);
          if (span.start < unevaluated_until) continue;
          TSNode node = span.node;
          TSNode array = syntax::field(node, "argument");
          if (syntax::type_of(array) != "identifier") continue;
          auto it = arrays.find(std::string(syntax::text_of(array, src)));
          if (it == arrays.end() || it->second.declarations != 1) continue;
          if (ts_node_start_byte(node) < ts_node_end_byte(it->second.declaration)) continue;
          TSNode index_node = syntax::field(node, "index");
          auto index = c::constant_value(index_node, src);
          // `-1`: a unary minus over a constant (constant_value knows only binary arithmetic).
          if (!index && syntax::type_of(index_node) == "unary_expression" && syntax::text_of(index_node, src).substr(0, 1) == "-")
            if (auto v = c::constant_value(syntax::field(index_node, "argument"), src)) index = -*v;
          if (!index || (*index >= 0 && *index < it->second.count)) continue;
          TSNode parent = ts_node_parent(node);
          // &a[N] is the one-past-the-end address, which C allows.
          if (syntax::type_of(parent) == "pointer_expression" && syntax::text_of(parent, src).substr(0, 1) == "&") continue;
          const auto& a = it->second;
          std::string access(syntax::text_of(node, src));
          Finding finding;
          finding.idiom = "out-of-bounds";
          finding.range = syntax::range_of(node);
          finding.bindings.set("var", a.name);
          finding.bindings.set("type", a.type);
          finding.bindings.set("access", access);
          finding.bindings.set("count", std::to_string(a.count));
          finding.bindings.set("last", std::to_string(a.count - 1));
          finding.bindings.set("python_value", is_char(a.type) ? "bytearray(" + std::to_string(a.count) + ")"
                                                               : "[" + python_zero(a.type) + "] * " + std::to_string(a.count));
          std::string python_access = c::python_expression(node, src).value_or(a.name + "[" + std::to_string(*index) + "]");
          if (syntax::type_of(parent) == "assignment_expression" && ts_node_eq(syntax::field(parent, "left"), node) &&
              syntax::text_of(syntax::field(parent, "operator"), src) == "=")
            if (auto right = c::python_expression(syntax::field(parent, "right"), src)) python_access += " = " + *right;
          finding.bindings.set("python_access", python_access);
          Diagnostic diagnostic;
          diagnostic.code = "out-of-bounds";
          diagnostic.severity = Severity::Warning;
          // The sentences are the entry's `message`.
          finding.diagnostic = std::move(diagnostic);
          out.push_back(std::move(finding));
        }
      (void)function;
    }
  }

 private:
  syntax::Query query_{syntax::Language::C,
                       R"(
    (function_definition
      declarator: [(function_declarator declarator: (identifier) @name)
                   (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))]
      body: (compound_statement) @body) @function
    (declaration) @declaration
    (subscript_expression) @subscript
    (sizeof_expression) @sizeof
  )",
                       {{"function_definition", "declaration", "subscript_expression", "sizeof_expression"}, &match}};

  static void match(TSNode function, std::string_view, std::vector<syntax::Match>& out) {
    using c::native::child;
    using c::native::is;
    auto kind = c::native::type_of(function);
    if (kind != "function_definition") {
      uint32_t pattern = kind == "declaration" ? 1 : kind == "subscript_expression" ? 2 : 3;
      c::native::add(out, pattern, {{pattern == 1 ? "declaration" : pattern == 2 ? "subscript" : "sizeof", function}});
      return;
    }
    static const TSFieldId declarator = c::native::field_id("declarator"), body_field = c::native::field_id("body");
    TSNode d = child(function, declarator);
    if (is(d, "pointer_declarator")) {
      d = child(d, declarator);
      if (!is(d, "function_declarator")) return;
    } else if (!is(d, "function_declarator")) {
      return;
    }
    TSNode name = child(d, declarator);
    if (!is(name, "identifier")) return;
    TSNode body = child(function, body_field);
    if (!is(body, "compound_statement")) return;
    c::native::add(out, 0, {{"function", function}, {"name", name}, {"body", body}});
  }
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(StackAllocation)
