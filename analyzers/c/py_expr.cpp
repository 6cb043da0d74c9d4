#include "c/py_expr.hpp"

#include <array>
#include <cctype>

namespace c2py::analysis::c {
namespace {

using syntax::field;
using syntax::text_of;
using syntax::type_of;

constexpr int kMaxDepth = 40;  // deeper expressions get no translation

bool is_word(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char ch : s)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_') return false;
  return true;
}

// Python binding strength of a binary operator (higher binds tighter); 0 if unknown.
int precedence(std::string_view op) {
  if (op == "or") return 1;
  if (op == "and") return 2;
  if (op == "==" || op == "!=" || op == "<" || op == ">" || op == "<=" || op == ">=") return 4;
  if (op == "|") return 5;
  if (op == "^") return 6;
  if (op == "&") return 7;
  if (op == "<<" || op == ">>") return 8;
  if (op == "+" || op == "-") return 9;
  if (op == "*" || op == "//" || op == "/" || op == "%") return 10;
  return 0;
}

std::optional<std::string> number(std::string_view text) {
  std::string digits;
  for (char ch : text)
    if (ch != '\'') digits += ch;
  bool hex = digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X');
  bool floating = !hex && digits.find_first_of(".eE") != std::string::npos;
  // Suffixes: u, l, ll (any case, any order) on integers; f, l on floats.
  while (!digits.empty()) {
    char last = static_cast<char>(std::tolower(static_cast<unsigned char>(digits.back())));
    if (last == 'u' || last == 'l' || (floating && last == 'f')) digits.pop_back();
    else break;
  }
  if (digits.empty()) return std::nullopt;
  if (!hex && !floating && digits.size() > 1 && digits[0] == '0') {
    if (digits.find_first_not_of("01234567") != std::string::npos) return std::nullopt;
    return "0o" + digits.substr(1);
  }
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'b' || digits[1] == 'B')) return digits;
  for (char ch : digits)
    if (!std::isxdigit(static_cast<unsigned char>(ch)) && ch != '.' && ch != 'x' && ch != 'X' && ch != '+' && ch != '-' &&
        ch != 'p' && ch != 'P')
      return std::nullopt;
  if (hex && digits.find_first_of("pP.") != std::string::npos) return std::nullopt;  // hex floats
  return digits;
}

// A C string literal whose escapes mean the same in Python.
std::optional<std::string> string_literal(std::string_view text) {
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') return std::nullopt;
  for (size_t i = 1; i + 1 < text.size(); ++i)
    if (text[i] == '\\') {
      char next = text[i + 1];
      if (std::string_view("ntr\\\"'0abfv").find(next) == std::string_view::npos) return std::nullopt;
      if (next == '0' && i + 2 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 2]))) return std::nullopt;
      ++i;
    }
  return std::string(text);
}

struct Translator {
  std::string_view src;

  std::optional<std::string> operator()(TSNode node, int depth) const {
    if (depth > kMaxDepth || ts_node_is_null(node) || ts_node_has_error(node)) return std::nullopt;
    auto kind = type_of(node);
    std::string_view text = text_of(node, src);
    if (kind == "identifier" || kind == "field_identifier") {
      if (text == "NULL") return "None";
      if (python_reserved(text)) return std::nullopt;
      return std::string(text);
    }
    if (kind == "null") return "None";
    if (kind == "true") return "True";
    if (kind == "false") return "False";
    if (kind == "number_literal") return number(text);
    if (kind == "char_literal") {
      if (text == "'\\0'") return "0";
      if (text.size() == 3 && std::isprint(static_cast<unsigned char>(text[1])) && text[1] != '\\') return "ord(" + std::string(text) + ")";
      return std::nullopt;
    }
    if (kind == "string_literal") return string_literal(text);
    if (kind == "concatenated_string") {
      std::string out;
      for (TSNode part : syntax::named_children(node)) {
        auto p = (*this)(part, depth + 1);
        if (!p) return std::nullopt;
        out += (out.empty() ? "" : " ") + *p;
      }
      return out;
    }
    if (kind == "parenthesized_expression") {
      if (ts_node_named_child_count(node) != 1) return std::nullopt;
      auto inner = (*this)(ts_node_named_child(node, 0), depth + 1);
      if (!inner) return std::nullopt;
      return python_operand(*inner);
    }
    if (kind == "binary_expression") {
      std::string op(type_of(field(node, "operator")));
      TSNode left = field(node, "left"), right = field(node, "right");
      if (op == "&&") op = "and";
      else if (op == "||") op = "or";
      else if (op == "/") op = is_floating(left) || is_floating(right) ? "/" : "//";
      int p = precedence(op);
      if (p == 0) return std::nullopt;
      auto l = (*this)(left, depth + 1), r = (*this)(right, depth + 1);
      if (!l || !r) return std::nullopt;
      // Python chains comparisons (a < b < c); C does not: keep C's grouping explicit.
      auto wrap = [&](TSNode child, const std::string& s, bool right_side) {
        if (type_of(child) != "binary_expression" && type_of(child) != "conditional_expression" &&
            type_of(child) != "unary_expression")
          return s;
        if (type_of(child) == "unary_expression") return s.rfind("not ", 0) == 0 && p >= 3 ? python_operand(s) : s;
        if (type_of(child) == "conditional_expression") return python_operand(s);
        std::string child_op(type_of(field(child, "operator")));
        if (child_op == "&&") child_op = "and";
        else if (child_op == "||") child_op = "or";
        else if (child_op == "/") child_op = "//";
        int q = precedence(child_op);
        if (q < p || (right_side && q == p) || (p == 4 && q == 4)) return python_operand(s);
        return s;
      };
      return wrap(left, *l, false) + " " + op + " " + wrap(right, *r, true);
    }
    if (kind == "unary_expression") {
      std::string op(type_of(field(node, "operator")));
      auto arg = (*this)(field(node, "argument"), depth + 1);
      if (!arg) return std::nullopt;
      auto arg_kind = type_of(field(node, "argument"));
      bool atomic = arg_kind != "binary_expression" && arg_kind != "conditional_expression";
      std::string operand = atomic ? *arg : python_operand(*arg);
      if (op == "!") return "not " + operand;
      if (op == "-" || op == "+" || op == "~") return op + operand;
      return std::nullopt;
    }
    if (kind == "conditional_expression") {
      auto c = (*this)(field(node, "condition"), depth + 1), a = (*this)(field(node, "consequence"), depth + 1),
           b = (*this)(field(node, "alternative"), depth + 1);
      if (!c || !a || !b) return std::nullopt;
      return python_operand(*a) + " if " + python_operand(*c) + " else " + python_operand(*b);
    }
    if (kind == "field_expression") {
      auto arg = (*this)(field(node, "argument"), depth + 1);
      auto name = text_of(field(node, "field"), src);
      if (!arg || !is_word(name) || python_reserved(name)) return std::nullopt;
      return postfix(field(node, "argument"), *arg) + "." + std::string(name);
    }
    if (kind == "subscript_expression") {
      auto arg = (*this)(field(node, "argument"), depth + 1), index = (*this)(field(node, "index"), depth + 1);
      if (!arg || !index) return std::nullopt;
      return postfix(field(node, "argument"), *arg) + "[" + *index + "]";
    }
    if (kind == "pointer_expression") {
      if (text.substr(0, 1) != "*") return std::nullopt;  // &x: an address has no Python value
      auto arg = (*this)(field(node, "argument"), depth + 1);
      if (!arg) return std::nullopt;
      return postfix(field(node, "argument"), *arg) + "[0]";
    }
    if (kind == "cast_expression") {
      std::string type(text_of(field(node, "type"), src));
      auto value = (*this)(field(node, "value"), depth + 1);
      if (!value) return std::nullopt;
      if (type.find('*') != std::string::npos) return value;  // a pointer cast changes nothing in Python
      if (type == "float" || type == "double" || type == "long double") return "float(" + *value + ")";
      return "int(" + *value + ")";
    }
    if (kind == "call_expression") {
      TSNode function = field(node, "function");
      if (type_of(function) != "identifier") return std::nullopt;
      std::string name(text_of(function, src));
      if (python_reserved(name)) return std::nullopt;
      std::vector<std::string> args;
      for (TSNode a : syntax::named_children(field(node, "arguments"))) {
        if (type_of(a) == "comment") continue;
        auto v = (*this)(a, depth + 1);
        if (!v) return std::nullopt;
        args.push_back(*v);
      }
      if (name == "strlen" && args.size() == 1) return "len(" + args[0] + ")";
      if (name == "sizeof" || name == "offsetof") return std::nullopt;
      std::string out = name + "(";
      for (size_t i = 0; i < args.size(); ++i) out += (i ? ", " : "") + args[i];
      return out + ")";
    }
    return std::nullopt;
  }

  bool is_floating(TSNode n) const {
    if (type_of(n) != "number_literal") return false;
    auto t = text_of(n, src);
    bool hex = t.size() > 1 && (t[1] == 'x' || t[1] == 'X');
    return !hex && t.find_first_of(".eE") != std::string_view::npos;
  }

  // An operand of `.`, `[]`: atomic or parenthesized.
  static std::string postfix(TSNode n, const std::string& s) {
    auto k = type_of(n);
    if (k == "identifier" || k == "field_expression" || k == "subscript_expression" || k == "call_expression" ||
        k == "parenthesized_expression" || k == "pointer_expression" || k == "string_literal")
      return s;
    return "(" + s + ")";
  }
};

}  // namespace

std::string python_class_name(std::string_view type, std::string_view fallback) {
  for (std::string_view prefix : {"struct ", "union "})
    if (type.rfind(prefix, 0) == 0) type.remove_prefix(prefix.size());
  if (type.size() > 2 && type.substr(type.size() - 2) == "_t") type.remove_suffix(2);
  std::string out;
  bool upper = true;
  for (char ch : type) {
    if (ch == '_' || ch == ' ') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch))) : ch;
    upper = false;
  }
  return out.empty() ? std::string(fallback) : out;
}


bool python_reserved(std::string_view name) {
  static constexpr std::array<std::string_view, 28> kWords = {
      "False", "None", "True", "and", "as", "assert", "async", "await", "class", "def", "del", "elif", "except", "finally",
      "from", "global", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "try", "with", "yield"};
  for (auto w : kWords)
    if (w == name) return true;
  return false;
}

std::string python_operand(const std::string& text) {
  bool atomic = !text.empty();
  int depth = 0;
  for (char ch : text) {
    if (ch == '(' || ch == '[') ++depth;
    else if (ch == ')' || ch == ']') --depth;
    else if (depth == 0 && (ch == ' ' || ch == '-' || ch == '+')) atomic = false;
  }
  if (atomic && text.front() == '(' && text.back() == ')') return text;
  return atomic ? text : "(" + text + ")";
}

std::optional<std::string> python_expression(TSNode node, std::string_view source) {
  return Translator{source}(node, 0);
}

}  // namespace c2py::analysis::c
