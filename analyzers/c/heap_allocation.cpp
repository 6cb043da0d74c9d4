// malloc and calloc: the bytes requested, the Python that replaces the allocation, and that the
// block lives on the heap until freed (lesson points MM01, MM07, MM13).
#include "c/c_ast.hpp"
#include "c/native_match.hpp"
#include "c/py_expr.hpp"
#include "check.hpp"

namespace c2py::analysis {
namespace {

bool is_floating(std::string_view type) { return type == "float" || type == "double" || type == "long double"; }
bool is_char(std::string_view type) {
  return type == "char" || type == "unsigned char" || type == "signed char" || type == "uint8_t" || type == "int8_t";
}


// Source text on one line (a call split over lines), for a sentence.
std::string one_line(std::string_view text) {
  std::string out;
  for (char ch : text) {
    bool space = std::isspace(static_cast<unsigned char>(ch));
    if (space && (out.empty() || out.back() == ' ' || out.back() == '(')) continue;
    out += space ? ' ' : ch;
  }
  return out;
}

class HeapAllocation final : public Check {
 public:
  std::string_view id() const override { return "c-heap-allocation"; }
  syntax::Language language() const override { return syntax::Language::C; }
  std::vector<const syntax::Query*> queries() const override { return {&query_}; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    for (const auto& match : input.matches(query_)) {
      TSNode call = match.get("call");
      std::string_view function = syntax::text_of(match.get("fn"), input.source);
      if (c::file_defines_function(input, function)) continue;
      auto arguments = syntax::named_children(match.get("args"));
      bool is_calloc = function == "calloc";
      if (arguments.size() != (is_calloc ? 2u : 1u)) continue;

      Finding finding;
      finding.idiom = is_calloc ? "calloc" : "malloc";
      finding.range = syntax::range_of(match.get("fn"));
      auto target = c::target_of(call, input.source, input.node);
      std::string var = target ? target->name : "block";
      c::SizeShape shape;
      if (is_calloc) {
        shape.count = std::string(syntax::text_of(arguments[0], input.source));
        shape.count_value = c::constant_value(arguments[0], input.source);
        shape.count_node = arguments[0];
        TSNode size = arguments[1];
        while (syntax::type_of(size) == "parenthesized_expression") size = ts_node_named_child(size, 0);
        if (syntax::type_of(size) == "sizeof_expression") {
          TSNode type = syntax::field(size, "type");
          shape.element_type = std::string(syntax::text_of(ts_node_is_null(type) ? syntax::field(size, "value") : type, input.source));
        }
        auto element = c::constant_value(arguments[1], input.source);
        if (shape.count_value && element) shape.bytes = *shape.count_value * *element;
      } else {
        shape = c::size_shape(arguments[0], input.source);
      }
      std::string element = shape.element_type;
      bool is_record = element.rfind("struct ", 0) == 0 || element.rfind("union ", 0) == 0 ||
                       (!element.empty() && !c::sizeof_type(element) && shape.count == "1");
      // The count in Python: translated when it has a faithful spelling; otherwise the hover
      // names it `n` and says what it is in C, and no "≈" hint is shown.
      std::optional<std::string> count = shape.count == "1" ? std::optional<std::string>("1")
                                         : ts_node_is_null(shape.count_node) ? std::nullopt
                                                                              : c::python_expression(shape.count_node, input.source);
      std::string py_count = count ? c::python_operand(*count) : "n";
      std::string python_value;
      if (element.empty() || is_char(element)) {
        finding.variant = "bytes";
        python_value = "bytearray(" + (count ? *count : "n") + ")";
      } else if (is_record && shape.count == "1") {
        finding.variant = "record";
        // `sizeof *p` names no type: the target's declared `struct x *` does, if there is one.
        std::string record = element;
        if (record.find_first_of("*->.()[") != std::string::npos)
          record = target && target->type.rfind("struct ", 0) == 0 ? target->type.substr(0, target->type.find_first_of(" *", 7)) : "";
        python_value = record.empty() ? "Record()" : c::python_class_name(record) + "()";
      } else {
        python_value = std::string("[") + (is_floating(element) ? "0.0" : is_record ? "None" : "0") + "] * " + py_count;
      }
      std::string c_count = one_line(shape.count);  // for a comment
      std::string python_line = python_value + (count ? "" : "   # n: " + c_count + " in C");
      finding.bindings.set("var", var);
      if (target) {
        if (auto py_var = c::python_expression(target->target_node, input.source)) finding.bindings.set("py:var", *py_var);
        else finding.bindings.set("py:var", "block");
      }
      finding.bindings.set("function", std::string(function));
      finding.bindings.set("type", element.empty() ? "byte" : element);
      finding.bindings.set("count", shape.count);
      finding.bindings.set("python_value", python_line);
      finding.bindings.set("zeroed", is_calloc ? "zero-filled " : "");
      // The size as written: `n * sizeof(struct node)`, or for calloc(nemb, sz) of no sizeof,
      // "`nemb` × `sz` bytes".
      std::string bytes_text;
      if (shape.bytes) bytes_text = std::to_string(*shape.bytes) + " bytes";
      else if (!is_calloc) bytes_text = "`" + one_line(syntax::text_of(arguments[0], input.source)) + "` bytes";
      else if (element.empty())
        bytes_text = "`" + one_line(shape.count) + "` × `" + one_line(syntax::text_of(arguments[1], input.source)) + "` bytes";
      else bytes_text = "`" + one_line(shape.count) + " * sizeof(" + element + ")` bytes";
      finding.bindings.set("bytes", bytes_text);
      finding.bindings.set("call", one_line(syntax::text_of(call, input.source)));
      TSNode statement = target ? target->statement : syntax::ancestor_of_type(call, {"expression_statement", "declaration"});
      // The statement as written, unless it is not one the hover can show on its own (a return,
      // a macro line with a continuation): then the allocation spelled as a declaration.
      std::string c_code = ts_node_is_null(statement) ? "" : std::string(syntax::text_of(statement, input.source));
      auto statement_kind = ts_node_is_null(statement) ? std::string_view() : syntax::type_of(statement);
      if (c_code.empty() || (statement_kind != "declaration" && statement_kind != "expression_statement") ||
          c_code.find("\\\n") != std::string::npos || c_code.find('#') != std::string::npos)
        c_code = target ? target->name + " = " + std::string(syntax::text_of(call, input.source)) + ";"
                        : "void *block = " + std::string(syntax::text_of(call, input.source)) + ";";
      finding.bindings.set("c_code", c_code);

      uint32_t call_end = ts_node_end_byte(call);
      uint32_t statement_end = ts_node_is_null(statement) ? call_end : ts_node_end_byte(statement);
      if (shape.bytes)
        finding.hints.push_back({call_end, size_label(*shape.bytes), HintKind::Allocations, {}});
      if (count) finding.hints.push_back({statement_end, "≈ " + python_value, HintKind::PythonEquivalents, {}});
      finding.hints.push_back({statement_end, "heap · free it", HintKind::Lifetimes, {}});
      out.push_back(std::move(finding));
    }
  }

 private:
  syntax::Query query_{syntax::Language::C,
                       R"(
    (call_expression
      function: (identifier) @fn (#any-of? @fn "malloc" "calloc")
      arguments: (argument_list) @args) @call
  )",
                       {{"call_expression"}, [](TSNode node, std::string_view source, std::vector<syntax::Match>& out) {
                          c::native::named_call(node, source, {"malloc", "calloc"}, out);
                        }}};
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(HeapAllocation)
