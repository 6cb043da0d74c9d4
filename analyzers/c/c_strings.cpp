// C strings on the heap: strdup/strndup allocate a copy the caller must free (MM12, MM03), and
// strcpy/strcat write into a buffer the programmer sized (MM03, MM15). Python strings are
// immutable objects: `s + t` makes a new one of the right size.
#include "c/c_ast.hpp"
#include "c/native_match.hpp"
#include "c/py_expr.hpp"
#include "check.hpp"

namespace c2py::analysis {
namespace {

// The byte length of a C string literal's contents, escapes counted as one; nullopt if unsure.
std::optional<long long> literal_length(TSNode literal, std::string_view source) {
  if (syntax::type_of(literal) != "string_literal") return std::nullopt;
  auto text = syntax::text_of(literal, source);
  if (text.size() < 2 || text.front() != '"') return std::nullopt;
  long long n = 0;
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] == '\\') {
      if (i + 2 < text.size() && (text[i + 1] == 'x' || std::isdigit(static_cast<unsigned char>(text[i + 1])))) return std::nullopt;
      ++i;
    }
    ++n;
  }
  return n;
}

class CStrings final : public Check {
 public:
  std::string_view id() const override { return "c-strings"; }
  syntax::Language language() const override { return syntax::Language::C; }
  std::vector<const syntax::Query*> queries() const override { return {&query_}; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    for (const auto& match : input.matches(query_)) {
      TSNode call = match.get("call");
      std::string function(syntax::text_of(match.get("fn"), input.source));
      if (c::file_defines_function(input, function)) continue;
      auto args = syntax::named_children(match.get("args"));
      bool dup = function == "strdup" || function == "strndup";
      size_t expected = function == "strdup" ? 1 : function == "strncpy" || function == "strncat" ? 3 : 2;
      if (args.size() != expected) continue;
      Finding finding;
      finding.range = syntax::range_of(match.get("fn"));
      finding.bindings.set("function", function);
      auto target = c::target_of(call, input.source, input.node);
      TSNode statement = target ? target->statement : syntax::ancestor_of_type(call, {"expression_statement", "declaration"});
      std::string c_code = ts_node_is_null(statement) ? "" : std::string(syntax::text_of(statement, input.source));
      auto statement_kind = ts_node_is_null(statement) ? std::string_view() : syntax::type_of(statement);
      if (c_code.empty() || (statement_kind != "declaration" && statement_kind != "expression_statement") ||
          c_code.find('#') != std::string::npos)
        c_code = (dup ? (target ? target->name : std::string("char *copy")) + " = " : std::string()) +
                 std::string(syntax::text_of(call, input.source)) + ";";
      finding.bindings.set("c_code", c_code);
      uint32_t end = ts_node_is_null(statement) ? ts_node_end_byte(call) : ts_node_end_byte(statement);
      if (dup) {
        finding.idiom = "strdup";
        std::string var = target ? target->name : "copy";
        finding.bindings.set("var", var);
        // -1: unknown (a plain value rather than optional: GCC 12 misreads optional here).
        long long length = literal_length(args[0], input.source).value_or(-1);
        auto source_text = c::python_expression(args[0], input.source);
        if (function == "strndup" && source_text) {
          auto n = c::python_expression(args[1], input.source);
          source_text = n ? std::optional<std::string>(c::python_operand(*source_text) + "[:" + *n + "]") : std::nullopt;
          auto limit = c::constant_value(args[1], input.source);
          length = limit && length >= 0 ? std::min(length, *limit) : -1;
        }
        std::optional<std::string> py_var = target ? c::python_expression(target->target_node, input.source) : std::nullopt;
        finding.bindings.set("py:var", py_var ? *py_var : "copy");
        finding.bindings.set("python_value", source_text ? *source_text : "text   # the string being copied");
        finding.bindings.set("bytes", length >= 0 ? std::to_string(length + 1) + " bytes"
                                                  : "`strlen(" + std::string(syntax::text_of(args[0], input.source)) + ") + 1` bytes");
        if (length >= 0) finding.hints.push_back({ts_node_end_byte(call), size_label(length + 1), HintKind::Allocations, {}});
        if (source_text && py_var)
          finding.hints.push_back({end, "≈ " + *py_var + " = " + *source_text, HintKind::PythonEquivalents, {}});
        finding.hints.push_back({end, "heap · free it", HintKind::Lifetimes, {}});
      } else {
        finding.idiom = "string-copy";
        std::string dest(syntax::text_of(args[0], input.source));
        std::string src(syntax::text_of(args[1], input.source));
        bool append = function == "strcat" || function == "strncat";
        finding.bindings.set("dest", dest);
        finding.bindings.set("var", dest);
        auto length = literal_length(args[1], input.source);
        std::string need = length ? std::to_string(*length + 1) + " more bytes" : "`strlen(" + src + ") + 1` more bytes";
        if (!append) need = length ? std::to_string(*length + 1) + " bytes" : "`strlen(" + src + ") + 1` bytes";
        finding.bindings.set("need", need);
        auto py_dest = c::python_expression(args[0], input.source), py_src = c::python_expression(args[1], input.source);
        if (function == "strncpy" || function == "strncat") py_src.reset();  // the count changes the meaning
        // `strcpy(buf + len, s)` writes into the middle: no Python name to rebind.
        auto dest_kind = syntax::type_of(args[0]);
        if (dest_kind != "identifier" && dest_kind != "field_expression") py_dest.reset();
        // A copy rebinds the name to the same immutable str; an append builds a new one.
        finding.bindings.set("python_effect", append ? "builds a new string of the right size; the old one is unchanged"
                                                     : "shares the string itself: it is immutable, so nothing is copied");
        if (py_dest && py_src) {
          finding.bindings.set("python_value", append ? *py_dest + " = " + *py_dest + " + " + *py_src : *py_dest + " = " + *py_src);
          finding.hints.push_back({end, "≈ " + (append ? *py_dest + " += " + *py_src : *py_dest + " = " + *py_src),
                                   HintKind::PythonEquivalents, {}});
        } else {
          finding.bindings.set("python_value", append ? "dst = dst + src" : "dst = src");
        }
      }
      out.push_back(std::move(finding));
    }
  }

 private:
  syntax::Query query_{
      syntax::Language::C,
      R"(
    (call_expression
      function: (identifier) @fn (#any-of? @fn "strdup" "strndup" "strcpy" "strcat" "strncpy" "strncat")
      arguments: (argument_list) @args) @call
  )",
      {{"call_expression"}, [](TSNode node, std::string_view source, std::vector<syntax::Match>& out) {
         c::native::named_call(node, source, {"strdup", "strndup", "strcpy", "strcat", "strncpy", "strncat"}, out);
       }}};
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(CStrings)
