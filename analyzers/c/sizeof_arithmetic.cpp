// `n * sizeof(T)`: C counts allocations in bytes, Python sizes objects itself (MM07, MM05).
// Found where the product is an allocation's size, so every hover is about memory.
#include "c/c_ast.hpp"
#include "c/native_match.hpp"
#include "c/py_expr.hpp"
#include "check.hpp"

namespace c2py::analysis {
namespace {

std::string typecode(std::string_view type) {
  if (type == "double") return "d";
  if (type == "float") return "f";
  if (type == "char" || type == "signed char" || type == "int8_t") return "b";
  if (type == "unsigned char" || type == "uint8_t") return "B";
  if (type == "short" || type == "int16_t") return "h";
  if (type == "long" || type == "long long" || type == "int64_t" || type == "size_t") return "q";
  return "i";
}

class SizeofArithmetic final : public Check {
 public:
  std::string_view id() const override { return "c-sizeof-arithmetic"; }
  syntax::Language language() const override { return syntax::Language::C; }
  std::vector<const syntax::Query*> queries() const override { return {&query_}; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    for (const auto& match : input.matches(query_)) {
      TSNode product = match.get("product");
      TSNode parent = ts_node_parent(product);
      if (syntax::type_of(parent) != "argument_list") continue;
      auto callee = c::callee_name(ts_node_parent(parent), input.source);
      if (callee != "malloc" && callee != "realloc" && callee != "memset" && callee != "memcpy" && callee != "memmove")
        continue;
      auto shape = c::size_shape(product, input.source);
      if (shape.element_type.empty()) continue;
      Finding finding;
      finding.idiom = "sizeof-arithmetic";
      finding.range = syntax::range_of(match.get("sizeof"));
      finding.bindings.set("expression", std::string(syntax::text_of(product, input.source)));
      auto element = c::sizeof_type(shape.element_type);
      std::string bytes;
      if (shape.bytes) bytes = std::to_string(*shape.bytes) + " bytes (" + shape.count + " × " + std::to_string(*element) + ")";
      else if (element) bytes = "`" + shape.count + "` × " + std::to_string(*element) + " bytes";
      else bytes = "`" + shape.count + "` times the size of `" + shape.element_type + "`";
      finding.bindings.set("bytes_text", bytes);
      auto count = shape.count == "1" ? std::optional<std::string>("1")
                   : ts_node_is_null(shape.count_node) ? std::nullopt
                                                        : c::python_expression(shape.count_node, input.source);
      finding.bindings.set("python_value", "[0] * " + (count ? c::python_operand(*count) : "n"));
      finding.bindings.set("typecode", typecode(shape.element_type));
      out.push_back(std::move(finding));
    }
  }

 private:
  syntax::Query query_{syntax::Language::C,
                       R"(
    (binary_expression operator: "*" right: (sizeof_expression) @sizeof) @product
    (binary_expression left: (sizeof_expression) @sizeof operator: "*") @product
  )",
                       {{"binary_expression"}, &match}};

  static void match(TSNode product, std::string_view, std::vector<syntax::Match>& out) {
    static const TSFieldId left_field = c::native::field_id("left"), right_field = c::native::field_id("right"),
                           op_field = c::native::field_id("operator");
    if (!c::native::is(c::native::child(product, op_field), "*")) return;
    // The second pattern is done at the operator, the first only at the right operand.
    TSNode left = c::native::child(product, left_field), right = c::native::child(product, right_field);
    if (c::native::is(left, "sizeof_expression")) c::native::add(out, 1, {{"product", product}, {"sizeof", left}});
    if (c::native::is(right, "sizeof_expression")) c::native::add(out, 0, {{"product", product}, {"sizeof", right}});
  }
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(SizeofArithmetic)
