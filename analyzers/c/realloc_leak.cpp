// realloc: resizing by hand (MM09), and the `p = realloc(p, n)` trap that loses the only pointer
// to the block when realloc fails (diagnostic realloc-leak, with a fix through a temporary).
// Python lists resize themselves (MM02).
#include "c/c_ast.hpp"
#include "check.hpp"

namespace c2py::analysis {
namespace {

// A C identifier made from an lvalue: "s->buf" → "buf", "arr" → "arr".
std::string base_identifier(std::string_view lvalue) {
  size_t start = lvalue.size();
  while (start > 0 && (std::isalnum(static_cast<unsigned char>(lvalue[start - 1])) || lvalue[start - 1] == '_')) --start;
  std::string name(lvalue.substr(start));
  return name.empty() || std::isdigit(static_cast<unsigned char>(name[0])) ? "block" : name;
}

bool identifier_used(std::string_view source, const std::string& name) {
  size_t at = 0;
  while ((at = source.find(name, at)) != std::string_view::npos) {
    bool left = at == 0 || !(std::isalnum(static_cast<unsigned char>(source[at - 1])) || source[at - 1] == '_');
    size_t end = at + name.size();
    bool right = end >= source.size() || !(std::isalnum(static_cast<unsigned char>(source[end])) || source[end] == '_');
    if (left && right) return true;
    at = end;
  }
  return false;
}

std::string line_indent(std::string_view source, uint32_t offset) {
  uint32_t start = offset;
  while (start > 0 && source[start - 1] != '\n') --start;
  uint32_t end = start;
  while (end < source.size() && (source[end] == ' ' || source[end] == '\t')) ++end;
  return std::string(source.substr(start, end - start));
}

class ReallocCall final : public Check {
 public:
  std::string_view id() const override { return "c-realloc"; }
  syntax::Language language() const override { return syntax::Language::C; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    for (const auto& match : syntax::run_query(query_, input.node, input.source)) {
      TSNode call = match.get("call");
      if (c::file_defines_function(call, "realloc", input.source)) continue;
      auto arguments = syntax::named_children(match.get("args"));
      if (arguments.size() != 2) continue;
      std::string pointer(syntax::text_of(arguments[0], input.source));
      std::string size(syntax::text_of(arguments[1], input.source));
      auto target = c::target_of(call, input.source);
      auto shape = c::size_shape(arguments[1], input.source);

      Finding finding;
      finding.idiom = "realloc";
      finding.range = syntax::range_of(match.get("fn"));
      std::string var = target ? target->name : pointer;
      finding.bindings.set("var", var);
      finding.bindings.set("pointer", pointer);
      finding.bindings.set("size", size);
      finding.bindings.set("count", shape.element_type.empty() ? size : shape.count);
      finding.bindings.set("tmp", base_identifier(var) + "_grown");
      if (shape.bytes) finding.hints.push_back({ts_node_end_byte(call), std::to_string(*shape.bytes) + " B", HintKind::Allocations, {}});

      // The trap: the result overwrites the pointer it resizes.
      if (target && target->type.empty() && target->name == pointer) {
        TSNode assignment = ts_node_parent(call);
        while (syntax::type_of(assignment) != "assignment_expression") assignment = ts_node_parent(assignment);
        Diagnostic diagnostic;
        diagnostic.code = "realloc-leak";
        diagnostic.severity = Severity::Warning;
        diagnostic.message = "If realloc fails it returns NULL: `" + var + "` is overwritten and the block it pointed to leaks. "
                             "Resize through a temporary. Python lists resize themselves, and a failed "
                             "allocation raises MemoryError.";
        finding.range = syntax::range_of(assignment);
        if (syntax::type_of(target->statement) == "expression_statement") {
          std::string tmp = base_identifier(var) + "_grown";
          for (int n = 2; identifier_used(input.source, tmp); ++n) tmp = base_identifier(var) + "_grown" + std::to_string(n);
          finding.bindings.set("tmp", tmp);
          TSNode statement = target->statement;
          std::string indent = line_indent(input.source, ts_node_start_byte(statement));
          bool needs_block = syntax::type_of(ts_node_parent(statement)) != "compound_statement";
          std::string inner = needs_block ? indent + "    " : indent;
          std::string text = "void *" + tmp + " = realloc(" + pointer + ", " + size + ");\n" + inner + "if (" + tmp +
                             " == NULL)\n" + inner + "    free(" + pointer + "); /* realloc failed: release the old block */\n" +
                             inner + var + " = " + tmp + ";";
          if (needs_block) text = "{\n" + inner + text + "\n" + indent + "}";
          diagnostic.fixes.push_back({"Resize `" + var + "` through a temporary", FixSafety::Safe,
                                      {{syntax::range_of(statement), text}}});
        }
        finding.diagnostic = std::move(diagnostic);
      }
      out.push_back(std::move(finding));
    }
  }

 private:
  syntax::Query query_{syntax::Language::C, R"(
    (call_expression
      function: (identifier) @fn (#eq? @fn "realloc")
      arguments: (argument_list) @args) @call
  )"};
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(ReallocCall)
