// memset / memcpy / memmove: raw bytes with no types or bounds (MM15, MM13). Python copies and
// fills objects: `a[:] = [0] * n`, `b = a.copy()`.
#include "c/c_ast.hpp"
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
      auto target = count ? slice_of(args[0], *count, input.source) : std::nullopt;
      if (function == "memset") {
        auto fill = second == "'\\0'" ? std::optional<std::string>("0") : c::python_expression(args[1], input.source);
        if (target && fill) {
          if (shape.element_type.empty() || *fill != "0")
            python = *target + " = bytes([" + *fill + "]) * " + c::python_operand(*count);
          else
            python = *target + " = [0] * " + c::python_operand(*count);
        }
      } else if (auto source_slice = count ? slice_of(args[1], *count, input.source) : std::nullopt; target && source_slice) {
        python = *target + " = " + *source_slice;
      }
      // Without a faithful spelling, the hover shows the shape with generic names, and no hint.
      finding.bindings.set("python_value", python ? *python : function == "memset" ? "buf[:n] = bytes(n)   # n bytes of zeros"
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
  syntax::Query query_{syntax::Language::C, R"(
    (call_expression
      function: (identifier) @fn (#any-of? @fn "memset" "memcpy" "memmove")
      arguments: (argument_list) @args) @call
  )"};
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(MemoryOps)
