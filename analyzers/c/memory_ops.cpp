// memset / memcpy / memmove: raw bytes with no types or bounds (MM15, MM13). Python copies and
// fills objects: `a[:] = [0] * n`, `b = a.copy()`.
#include "c/c_ast.hpp"
#include "check.hpp"

namespace c2py::analysis {
namespace {

// The Python slice for `count` elements at a C pointer expression: `xs + 50` → `xs[50:50 + n]`.
std::string slice_of(TSNode pointer, const std::string& count, std::string_view source) {
  std::string text(syntax::text_of(pointer, source));
  if (syntax::type_of(pointer) == "identifier") return text + "[:" + count + "]";
  if (syntax::type_of(pointer) == "binary_expression" && syntax::type_of(syntax::field(pointer, "operator")) == "+" &&
      syntax::type_of(syntax::field(pointer, "left")) == "identifier") {
    std::string base(syntax::text_of(syntax::field(pointer, "left"), source));
    std::string offset(syntax::text_of(syntax::field(pointer, "right"), source));
    return base + "[" + offset + ":" + offset + " + " + count + "]";
  }
  return "(" + text + ")[:" + count + "]";
}

class MemoryOps final : public Check {
 public:
  std::string_view id() const override { return "c-memory-ops"; }
  syntax::Language language() const override { return syntax::Language::C; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    for (const auto& match : syntax::run_query(query_, input.node, input.source)) {
      TSNode call = match.get("call");
      std::string function(syntax::text_of(match.get("fn"), input.source));
      if (c::file_defines_function(input, function)) continue;
      auto args = syntax::named_children(match.get("args"));
      if (args.size() != 3) continue;
      std::string dest(syntax::text_of(args[0], input.source));
      std::string second(syntax::text_of(args[1], input.source));
      auto shape = c::size_shape(args[2], input.source);
      std::string count = shape.element_type.empty() ? std::string(syntax::text_of(args[2], input.source)) : shape.count;
      Finding finding;
      finding.idiom = "memcpy-memset";
      finding.range = syntax::range_of(match.get("fn"));
      finding.bindings.set("function", function);
      finding.bindings.set("dest", dest);
      finding.bindings.set("var", dest);
      finding.bindings.set("bytes_text", shape.bytes ? std::to_string(*shape.bytes) + " bytes" : "`" + std::string(syntax::text_of(args[2], input.source)) + "` bytes");
      TSNode statement = syntax::ancestor_of_type(call, {"expression_statement"});
      finding.bindings.set("c_code", std::string(syntax::text_of(ts_node_is_null(statement) ? call : statement, input.source)));
      std::string python;
      if (function == "memset") {
        std::string fill = second == "0" || second == "'\\0'" ? "0" : second;
        python = slice_of(args[0], count, input.source) + " = [" + fill + "] * " + count;
        if (shape.element_type.empty() || fill != "0")
          python = slice_of(args[0], count, input.source) + " = bytes([" + fill + "]) * " + count;
      } else {
        python = slice_of(args[0], count, input.source) + " = " + slice_of(args[1], count, input.source);
      }
      finding.bindings.set("python_value", python);
      uint32_t end = ts_node_is_null(statement) ? ts_node_end_byte(call) : ts_node_end_byte(statement);
      finding.hints.push_back({end, "≈ " + python, HintKind::PythonEquivalents, {}});
      out.push_back(std::move(finding));
    }
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
