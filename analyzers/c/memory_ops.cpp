// memset / memcpy / memmove: raw bytes with no types or bounds (MM15, MM13). Python copies and
// fills objects: `a[:] = [0] * n`, `b = a.copy()`.
#include "c/c_ast.hpp"
#include "c/native_match.hpp"
#include "c/py_expr.hpp"
#include "check.hpp"

namespace c2py::analysis {
namespace {

// The Python slice for `count` elements at a C pointer expression: `xs + 50` → `xs[50:50 + n]`;
// nullopt when the pointer has no Python spelling (`&s->buf[i]`).
std::optional<std::string> slice_of(TSNode pointer, const std::string& count, std::string_view source) {
  if (syntax::type_of(pointer) == "binary_expression" && syntax::type_of(syntax::field(pointer, "operator")) == "+") {
    auto base = c::python_expression(syntax::field(pointer, "left"), source);
    auto offset = c::python_expression(syntax::field(pointer, "right"), source);
    auto left_kind = syntax::type_of(syntax::field(pointer, "left"));
    if (!base || !offset || (left_kind != "identifier" && left_kind != "field_expression")) return std::nullopt;
    return *base + "[" + *offset + ":" + c::python_operand(*offset) + " + " + c::python_operand(count) + "]";
  }
  auto kind = syntax::type_of(pointer);
  if (kind != "identifier" && kind != "field_expression" && kind != "subscript_expression") return std::nullopt;
  auto base = c::python_expression(pointer, source);
  if (!base) return std::nullopt;
  return *base + "[:" + count + "]";
}

// A local or parameter's declared type in the function around `at`: the type specifier's text
// (qualifiers dropped) and how many `*` its declarator has. nullopt when not found.
struct Declared {
  std::string type;
  int pointers = 0;
};
std::optional<Declared> declared(TSNode at, std::string_view name, std::string_view source) {
  TSNode function = c::enclosing_function(at);
  if (ts_node_is_null(function)) return std::nullopt;
  std::optional<Declared> found;
  size_t budget = 20000;  // nodes; a declaration further away is not looked for
  syntax::walk(function, [&](TSNode node) {
    if (found || --budget == 0) return false;
    auto kind = syntax::type_of(node);
    if (kind != "parameter_declaration" && kind != "declaration") return true;
    std::string type(syntax::text_of(syntax::field(node, "type"), source));
    for (TSNode declarator : syntax::named_children(node)) {
      Declared d{type, 0};
      while (true) {
        auto k = syntax::type_of(declarator);
        if (k == "init_declarator" || k == "pointer_declarator") {
          d.pointers += k == "pointer_declarator";
          declarator = syntax::field(declarator, "declarator");
        } else {
          break;
        }
      }
      if (syntax::type_of(declarator) == "identifier" && syntax::text_of(declarator, source) == name) found = d;
    }
    return false;
  });
  return found;
}

// `memcpy(&cur, base, sizeof cur)`: the bytes of one whole object copied from another of the same
// declared type (`&saved`, or a pointer `base` to one), as a shallow copy is in Python:
// `cur = copy.copy(base)`. nullopt for a partial copy, a copy between types, or undeclared names.
std::optional<std::string> object_copy(TSNode dest, TSNode src, TSNode size, std::string_view source) {
  auto address_of = [&](TSNode pointer) {
    bool is_address = syntax::type_of(pointer) == "pointer_expression" &&
                      syntax::text_of(syntax::field(pointer, "operator"), source) == "&" &&
                      syntax::type_of(syntax::field(pointer, "argument")) == "identifier";
    return is_address ? syntax::field(pointer, "argument") : TSNode{};
  };
  TSNode object = address_of(dest);
  if (ts_node_is_null(object) || syntax::type_of(size) != "sizeof_expression") return std::nullopt;
  TSNode from = address_of(src);
  int from_pointers = 0;
  if (ts_node_is_null(from) && syntax::type_of(src) == "identifier") {
    from = src;
    from_pointers = 1;
  }
  if (ts_node_is_null(from)) return std::nullopt;
  auto to_type = declared(dest, syntax::text_of(object, source), source);
  auto from_type = declared(src, syntax::text_of(from, source), source);
  if (!to_type || !from_type || to_type->pointers != 0 || from_type->pointers != from_pointers ||
      to_type->type != from_type->type)
    return std::nullopt;
  // The size: sizeof the destination, of `*src`, or of the type itself.
  TSNode operand = syntax::field(size, "value");
  if (!ts_node_is_null(operand)) {
    while (syntax::type_of(operand) == "parenthesized_expression") operand = ts_node_named_child(operand, 0);
    bool whole = syntax::text_of(operand, source) == syntax::text_of(object, source) ||
                 (syntax::type_of(operand) == "pointer_expression" && from_pointers == 1 &&
                  syntax::text_of(syntax::field(operand, "argument"), source) == syntax::text_of(src, source));
    if (!whole) return std::nullopt;
  } else if (syntax::text_of(syntax::field(size, "type"), source) != to_type->type) {
    return std::nullopt;
  }
  return std::string(syntax::text_of(object, source)) + " = copy.copy(" + std::string(syntax::text_of(from, source)) + ")";
}

class MemoryOps final : public Check {
 public:
  std::string_view id() const override { return "c-memory-ops"; }
  syntax::Language language() const override { return syntax::Language::C; }
  std::vector<const syntax::Query*> queries() const override { return {&query_}; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    for (const auto& match : input.matches(query_)) {
      TSNode call = match.get("call");
      std::string function(syntax::text_of(match.get("fn"), input.source));
      if (c::file_defines_function(input, function)) continue;
      auto args = syntax::named_children(match.get("args"));
      if (args.size() != 3) continue;
      std::string dest(syntax::text_of(args[0], input.source));
      std::string second(syntax::text_of(args[1], input.source));
      auto shape = c::size_shape(args[2], input.source);
      TSNode count_node = shape.element_type.empty() ? args[2] : shape.count_node;
      std::optional<std::string> count = shape.count == "1" && !shape.element_type.empty()
                                             ? std::optional<std::string>("1")
                                             : c::python_expression(count_node, input.source);
      Finding finding;
      finding.idiom = "memcpy-memset";
      finding.range = syntax::range_of(match.get("fn"));
      finding.bindings.set("function", function);
      finding.bindings.set("dest", dest);
      finding.bindings.set("var", dest);
      finding.bindings.set("bytes_text", shape.bytes ? std::to_string(*shape.bytes) + " bytes" : "`" + std::string(syntax::text_of(args[2], input.source)) + "` bytes");
      TSNode statement = syntax::ancestor_of_type(call, {"expression_statement"});
      finding.bindings.set("c_code", std::string(syntax::text_of(ts_node_is_null(statement) ? call : statement, input.source)));
      std::optional<std::string> python;
      // One struct or typedef'd object (`sizeof(cJSON)`): not a sequence, so no slice spelling.
      bool single_object = shape.count == "1" && !shape.element_type.empty() && !c::sizeof_type(shape.element_type);
      auto target = count && !single_object ? slice_of(args[0], *count, input.source) : std::nullopt;
      std::optional<std::string> hover_only;  // a spelling for the hover that is not a "≈" equivalent
      if (function == "memset") {
        auto fill = second == "'\\0'" ? std::optional<std::string>("0") : c::python_expression(args[1], input.source);
        bool record = shape.element_type.rfind("struct ", 0) == 0 || shape.element_type.rfind("union ", 0) == 0;
        TSNode object = syntax::type_of(args[0]) == "pointer_expression" ? syntax::field(args[0], "argument") : args[0];
        if (single_object && record && fill == "0" && syntax::type_of(object) == "identifier")
          hover_only = std::string(syntax::text_of(object, input.source)) + " = " + c::python_class_name(shape.element_type) +
                       "()   # a new object, its fields set by __init__: Python does not zero memory";
        if (target && fill) {
          if (shape.element_type.empty() || *fill != "0")
            python = *target + " = bytes([" + *fill + "]) * " + c::python_operand(*count);
          else
            python = *target + " = [0] * " + c::python_operand(*count);
        }
      } else if (auto source_slice = count ? slice_of(args[1], *count, input.source) : std::nullopt; target && source_slice) {
        python = *target + " = " + *source_slice;
      } else {
        python = object_copy(args[0], args[1], args[2], input.source);
      }
      // Without a faithful spelling, the hover shows the shape with generic names, and no hint.
      finding.bindings.set("python_value", python ? *python : hover_only ? *hover_only : function == "memset" ? "buf[:n] = bytes(n)   # n bytes of zeros"
                                                                                   : "dst[:n] = src[:n]   # n items");
      if (python) finding.hints.push_back({statement_end(statement, call), "≈ " + *python, HintKind::PythonEquivalents, {}});
      out.push_back(std::move(finding));
    }
  }

 private:
  static uint32_t statement_end(TSNode statement, TSNode call) {
    return ts_node_is_null(statement) ? ts_node_end_byte(call) : ts_node_end_byte(statement);
  }
 private:
  syntax::Query query_{syntax::Language::C,
                       R"(
    (call_expression
      function: (identifier) @fn (#any-of? @fn "memset" "memcpy" "memmove")
      arguments: (argument_list) @args) @call
  )",
                       {{"call_expression"}, [](TSNode node, std::string_view source, std::vector<syntax::Match>& out) {
                          c::native::named_call(node, source, {"memset", "memcpy", "memmove"}, out);
                        }}};
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(MemoryOps)
