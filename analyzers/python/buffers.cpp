// Typed buffers that hold C values: array.array (MM05), numpy arrays with a dtype (MM18), and
// bytes/bytearray (MM03 for the immutable one). Sizes are shown where the count is a literal.
#include "check.hpp"
#include "python/native_match.hpp"
#include "python/py_ast.hpp"

namespace c2py::analysis {
namespace {

struct CType {
  std::string_view name;
  long long size;
};

CType typecode_type(std::string_view code) {
  if (code == "b") return {"signed char", 1};
  if (code == "B") return {"unsigned char", 1};
  if (code == "h") return {"short", 2};
  if (code == "H") return {"unsigned short", 2};
  if (code == "i") return {"int", 4};
  if (code == "I") return {"unsigned int", 4};
  if (code == "l" || code == "q") return {code == "l" ? "long" : "long long", 8};
  if (code == "L" || code == "Q") return {code == "L" ? "unsigned long" : "unsigned long long", 8};
  if (code == "f") return {"float", 4};
  if (code == "d") return {"double", 8};
  if (code == "u" || code == "w") return {"wchar_t", 4};
  return {"", 0};
}

CType dtype_type(std::string_view dtype) {
  auto dot = dtype.rfind('.');
  if (dot != std::string_view::npos) dtype.remove_prefix(dot + 1);
  if (dtype.size() >= 2 && (dtype.front() == '"' || dtype.front() == '\'')) dtype = dtype.substr(1, dtype.size() - 2);
  if (dtype == "int8" || dtype == "uint8" || dtype == "bool_" || dtype == "bool") return {dtype == "uint8" ? "uint8_t" : "int8_t", 1};
  if (dtype == "int16" || dtype == "uint16") return {dtype == "int16" ? "int16_t" : "uint16_t", 2};
  if (dtype == "int32" || dtype == "uint32") return {dtype == "int32" ? "int32_t" : "uint32_t", 4};
  if (dtype == "int64" || dtype == "uint64" || dtype == "int" || dtype == "intp") return {"int64_t", 8};
  if (dtype == "float32" || dtype == "single") return {"float", 4};
  if (dtype == "float64" || dtype == "double" || dtype == "float") return {"double", 8};
  if (dtype == "complex128") return {"double complex", 16};
  return {"", 0};
}

using python::short_text;

class Buffers final : public Check {
 public:
  std::string_view id() const override { return "python-buffers"; }
  syntax::Language language() const override { return syntax::Language::Python; }
  std::vector<const syntax::Query*> queries() const override { return {&query_}; }
  // File scope: it reads bindings, imports and loops outside the statement it reports on, and
  // the engine's per-unit cache keys findings by the unit's text alone (a repeated `x = None`
  // at module level means different things in different places).
  Scope scope() const override { return Scope::File; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    const auto& src = input.source;
    for (const auto& match : input.matches(query_)) {
      TSNode call = match.get("call");
      std::string function(syntax::text_of(syntax::field(call, "function"), src));
      auto args = syntax::named_children(syntax::field(call, "arguments"));
      TSNode parent = ts_node_parent(call);
      std::string var = "buf";
      TSNode shown = call;
      if (syntax::type_of(parent) == "assignment" && syntax::type_of(syntax::field(parent, "left")) == "identifier") {
        var = std::string(syntax::text_of(syntax::field(parent, "left"), src));
        shown = parent;
      }
      Finding finding;
      finding.range = syntax::range_of(syntax::field(call, "function"));
      finding.bindings.set("var", var);
      finding.bindings.set("python_code", short_text(shown, src));
      if (function == "array.array" || function == "array") {
        if (function == "array" && !python::module_imports(call, "array", src) &&
            src.find("from array import array") == std::string_view::npos)
          continue;
        if (args.empty() || syntax::type_of(args[0]) != "string") continue;
        auto code_text = syntax::text_of(args[0], src);
        auto type = typecode_type(code_text.size() == 3 ? code_text.substr(1, 1) : "");
        if (type.size == 0) continue;
        finding.idiom = "array-module";
        finding.bindings.set("c_type", std::string(type.name));
        finding.bindings.set("itemsize", std::to_string(type.size) + (type.size == 1 ? " byte" : " bytes"));
        std::string count_text = "its items";
        if (args.size() >= 2 && syntax::type_of(args[1]) == "list") {
          auto n = ts_node_named_child_count(args[1]);
          count_text = std::to_string(n) + " items";
          finding.hints.push_back({ts_node_end_byte(call), std::to_string(n * type.size) + " B of C " + std::string(type.name),
                                   HintKind::Sizes, {}});
        }
        finding.bindings.set("count_text", count_text);
      } else if (function == "bytes" || function == "bytearray") {
        finding.idiom = "bytes-bytearray";
        finding.bindings.set("kind", function);
        finding.bindings.set("what", function == "bytes" ? "immutable, so every change makes a new object (like str)"
                                                         : "mutable: written in place and grown like a list");
      } else {
        // numpy: np.zeros / ones / empty / full / arange / array
        auto dot = function.rfind('.');
        std::string module = function.substr(0, dot == std::string::npos ? 0 : dot);
        if (module != "np" && module != "numpy") continue;
        TSNode dtype_node{};
        for (TSNode a : args)
          if (syntax::type_of(a) == "keyword_argument" && syntax::text_of(syntax::field(a, "name"), src) == "dtype")
            dtype_node = syntax::field(a, "value");
        std::string method = function.substr(dot + 1);
        if (method != "zeros" && method != "ones" && method != "empty" && method != "full" && method != "arange" && method != "array")
          continue;
        // numpy's default dtype for zeros/ones/empty/full is float64.
        auto type = ts_node_is_null(dtype_node) ? CType{"double", 8} : dtype_type(syntax::text_of(dtype_node, src));
        finding.idiom = "numpy-array";
        finding.bindings.set("dtype", ts_node_is_null(dtype_node) ? "float64" : std::string(syntax::text_of(dtype_node, src)));
        finding.bindings.set("c_type", type.size ? std::string(type.name) : "double");
        long long n = args.empty() || method == "array" ? -1 : python::integer_value(args[0], src);
        finding.bindings.set("count", args.empty() ? "n" : std::string(syntax::text_of(args[0], src)));
        // C cannot spell 1_000_000 or a shape tuple: the known value, a plain name, or `n`.
        finding.bindings.set("c:count", n >= 0                                                   ? std::to_string(n)
                                        : !args.empty() && syntax::type_of(args[0]) == "identifier" ? std::string(syntax::text_of(args[0], src))
                                                                                                 : "n");
        if (n >= 0 && type.size > 0 && method != "arange") {
          finding.bindings.set("size_text", size_label(n * type.size));
          finding.bindings.set("c_bytes", size_label(n * type.size));
          // No size hint: the runtime model labels executed numpy allocations with their size
          // already; the hover carries it for code the model does not run.
        } else {
          finding.bindings.set("size_text", "one block");
          finding.bindings.set("c_bytes", "n × sizeof");
        }
      }
      out.push_back(std::move(finding));
    }
  }

 private:
  syntax::Query query_{syntax::Language::Python, R"(
    (call function: [(identifier) (attribute)] @fn
      (#match? @fn "^(array\\.array|array|bytes|bytearray|np\\.[a-z]+|numpy\\.[a-z]+)$")) @call
  )",
                       syntax::NativeMatcher{{"call"}, &Buffers::match}};

  // The #match? of the query, by hand: `prefix` followed by one or more of a-z.
  static bool member_of(std::string_view text, std::string_view prefix) {
    if (text.size() <= prefix.size() || text.substr(0, prefix.size()) != prefix) return false;
    for (char c : text.substr(prefix.size()))
      if (c < 'a' || c > 'z') return false;
    return true;
  }
  static void match(TSNode call, std::string_view source, std::vector<syntax::Match>& out) {
    namespace n = python::native;
    static const TSFieldId function = n::field("function");
    static const TSSymbol identifier = n::symbol("identifier"), attribute = n::symbol("attribute");
    TSNode fn = n::child(call, function);
    if (!n::is(fn, identifier) && !n::is(fn, attribute)) return;
    std::string_view text = syntax::text_of(fn, source);
    if (text == "array.array" || text == "array" || text == "bytes" || text == "bytearray" || member_of(text, "np.") ||
        member_of(text, "numpy."))
      n::add(out, 0, {{"call", call}, {"fn", fn}});
  }
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(Buffers)
