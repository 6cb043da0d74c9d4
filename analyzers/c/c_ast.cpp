#include "c/c_ast.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace c2py::analysis::c {

using syntax::field;
using syntax::text_of;
using syntax::type_of;

std::string_view callee_name(TSNode call, std::string_view source) {
  if (type_of(call) != "call_expression") return {};
  TSNode function = field(call, "function");
  if (type_of(function) != "identifier") return {};
  return text_of(function, source);
}

std::vector<std::string> declared_functions(TSNode root, std::string_view source) {
  std::vector<std::string> names;
  if (ts_node_is_null(root)) return names;
  // Only top-level items can define or declare functions in C. One cursor goes over the items and,
  // in each function definition or declaration, over its declarators only (never into bodies or
  // initializers): this runs on every edit.
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  struct Guard {
    TSTreeCursor* c;
    ~Guard() { ts_tree_cursor_delete(c); }
  } guard{&cursor};
  if (!ts_tree_cursor_goto_first_child(&cursor)) return names;
  TSTreeCursor inner = ts_tree_cursor_copy(&cursor);
  Guard inner_guard{&inner};
  do {
    TSNode item = ts_tree_cursor_current_node(&cursor);
    if (!ts_node_is_named(item)) continue;
    auto kind = type_of(item);
    if (kind != "function_definition" && kind != "declaration") continue;
    // A walk of `item` that descends only into the item itself and into declarators.
    ts_tree_cursor_reset(&inner, item);
    bool descend = true;
    while (true) {
      if (descend && ts_tree_cursor_goto_first_child(&inner)) {
        // visit
      } else {
        bool done = false;
        while (!ts_tree_cursor_goto_next_sibling(&inner)) {
          if (!ts_tree_cursor_goto_parent(&inner)) {
            done = true;
            break;
          }
        }
        if (done) break;
      }
      TSNode node = ts_tree_cursor_current_node(&inner);
      auto type = type_of(node);
      if (type == "function_declarator") {
        TSNode declarator = field(node, "declarator");
        while (type_of(declarator) == "parenthesized_declarator" && ts_node_named_child_count(declarator) > 0)
          declarator = ts_node_named_child(declarator, 0);
        if (type_of(declarator) == "identifier") names.emplace_back(text_of(declarator, source));
        descend = false;
        continue;
      }
      descend = type == "pointer_declarator" || type == "init_declarator" || type == "parenthesized_declarator" ||
                type == "attributed_declarator";
    }
  } while (ts_tree_cursor_goto_next_sibling(&cursor));
  return names;
}

namespace {

// Strips pointer declarators and returns the identifier and the number of stars.
TSNode declared_identifier(TSNode declarator, int& stars) {
  while (!ts_node_is_null(declarator)) {
    auto kind = type_of(declarator);
    if (kind == "identifier") return declarator;
    if (kind == "pointer_declarator") ++stars;
    else if (kind != "parenthesized_declarator" && kind != "array_declarator" && kind != "attributed_declarator")
      return TSNode{};
    TSNode inner = field(declarator, "declarator");
    if (ts_node_is_null(inner) && ts_node_named_child_count(declarator) > 0) inner = ts_node_named_child(declarator, 0);
    declarator = inner;
  }
  return declarator;
}

}  // namespace

TSNode parent_of(TSNode node, TSNode within) {
  if (ts_node_is_null(within) || within.id == node.id) return ts_node_parent(node);
  // Not below `within` (a walk upwards went past it): from the root.
  if (ts_node_is_null(ts_node_child_with_descendant(within, node))) return ts_node_parent(node);
  TSNode current = within;
  while (true) {
    TSNode next = ts_node_child_with_descendant(current, node);
    if (next.id == node.id || ts_node_is_null(next)) break;
    current = next;
  }
  return current;
}

std::optional<Target> target_of(TSNode expression, std::string_view source, TSNode within) {
  TSNode node = expression;
  TSNode parent = parent_of(node, within);
  // Look through casts and parentheses: `(int *)malloc(...)`.
  while (type_of(parent) == "cast_expression" || type_of(parent) == "parenthesized_expression") {
    node = parent;
    parent = parent_of(node, within);
  }
  if (type_of(parent) == "init_declarator" && ts_node_eq(field(parent, "value"), node)) {
    int stars = 0;
    TSNode id = declared_identifier(field(parent, "declarator"), stars);
    if (ts_node_is_null(id)) return std::nullopt;
    TSNode declaration = parent_of(parent, within);
    std::string type(text_of(field(declaration, "type"), source));
    if (stars > 0) type.append(1, ' ').append(static_cast<size_t>(stars), '*');
    return Target{std::string(text_of(id, source)), type, id, declaration};
  }
  if (type_of(parent) == "assignment_expression" && ts_node_eq(field(parent, "right"), node)) {
    TSNode left = field(parent, "left");
    TSNode statement = parent_of(parent, within);
    return Target{std::string(text_of(left, source)), "", left, statement};
  }
  return std::nullopt;
}

std::optional<long long> sizeof_type(std::string_view type) {
  std::string t;
  for (char ch : type)
    if (!std::isspace(static_cast<unsigned char>(ch)) || (!t.empty() && t.back() != ' ')) t += std::isspace(static_cast<unsigned char>(ch)) ? ' ' : ch;
  while (!t.empty() && t.back() == ' ') t.pop_back();
  if (!t.empty() && t.back() == '*') return 8;
  for (std::string_view prefix : {"const ", "volatile ", "unsigned ", "signed "})
    while (t.rfind(prefix, 0) == 0) t.erase(0, prefix.size());
  static const std::map<std::string, long long, std::less<>> sizes = {
      {"char", 1},      {"short", 2},    {"short int", 2}, {"int", 4},      {"long", 8},      {"long int", 8},
      {"long long", 8}, {"float", 4},    {"double", 8},    {"long double", 16}, {"size_t", 8}, {"ssize_t", 8},
      {"int8_t", 1},    {"uint8_t", 1},  {"int16_t", 2},   {"uint16_t", 2}, {"int32_t", 4},   {"uint32_t", 4},
      {"int64_t", 8},   {"uint64_t", 8}, {"bool", 1},      {"_Bool", 1},    {"ptrdiff_t", 8}, {"intptr_t", 8},
      {"uintptr_t", 8}, {"wchar_t", 4},  {"unsigned", 4},  {"signed", 4}};
  auto it = sizes.find(t);
  if (it != sizes.end()) return it->second;
  if (type == "unsigned" || type == "signed") return 4;
  return std::nullopt;
}

std::optional<long long> constant_value(TSNode e, std::string_view source, int depth) {
  if (depth > 64 || ts_node_is_null(e)) return std::nullopt;
  auto kind = type_of(e);
  if (kind == "number_literal") {
    std::string text(text_of(e, source));
    while (!text.empty() && (std::toupper(static_cast<unsigned char>(text.back())) == 'U' ||
                             std::toupper(static_cast<unsigned char>(text.back())) == 'L'))
      text.pop_back();
    text.erase(std::remove(text.begin(), text.end(), '\''), text.end());
    try {
      size_t used = 0;
      long long value = std::stoll(text, &used, 0);
      if (used != text.size()) return std::nullopt;
      return value;
    } catch (...) {
      return std::nullopt;
    }
  }
  if (kind == "parenthesized_expression") return constant_value(ts_node_named_child(e, 0), source, depth + 1);
  if (kind == "sizeof_expression") {
    TSNode type = field(e, "type");
    if (!ts_node_is_null(type)) return sizeof_type(text_of(type, source));
    return std::nullopt;
  }
  if (kind == "binary_expression") {
    auto left = constant_value(field(e, "left"), source, depth + 1);
    auto right = constant_value(field(e, "right"), source, depth + 1);
    if (!left || !right) return std::nullopt;
    std::string_view op = type_of(field(e, "operator"));
    if (op == "+") return *left + *right;
    if (op == "-") return *left - *right;
    if (op == "*") return *left * *right;
    if (op == "/" && *right != 0) return *left / *right;
    if (op == "%" && *right != 0) return *left % *right;
    if (op == "<<" && *right >= 0 && *right < 62) return *left << *right;
    if (op == ">>" && *right >= 0 && *right < 62) return *left >> *right;
    return std::nullopt;
  }
  return std::nullopt;
}

SizeShape size_shape(TSNode size, std::string_view source) {
  SizeShape shape;
  shape.bytes = constant_value(size, source);
  while (type_of(size) == "parenthesized_expression") size = ts_node_named_child(size, 0);
  auto sizeof_text = [&](TSNode node) -> std::optional<std::string> {
    if (type_of(node) != "sizeof_expression") return std::nullopt;
    TSNode type = field(node, "type");
    if (!ts_node_is_null(type)) return std::string(text_of(type, source));
    TSNode value = field(node, "value");
    // sizeof *p: the element type is whatever p points to; spelled as the expression.
    return std::string(text_of(value, source));
  };
  if (auto t = sizeof_text(size)) {
    shape.element_type = *t;
    shape.count = "1";
    shape.count_value = 1;
    return shape;
  }
  if (type_of(size) == "binary_expression" && type_of(field(size, "operator")) == "*") {
    TSNode left = field(size, "left"), right = field(size, "right");
    if (auto t = sizeof_text(right)) {
      shape.element_type = *t;
      shape.count = std::string(text_of(left, source));
      shape.count_value = constant_value(left, source);
      shape.count_node = left;
    } else if (auto t2 = sizeof_text(left)) {
      shape.element_type = *t2;
      shape.count = std::string(text_of(right, source));
      shape.count_value = constant_value(right, source);
      shape.count_node = right;
    }
  }
  if (shape.element_type.empty()) {
    shape.count = std::string(text_of(size, source));
    shape.count_node = size;
  }
  return shape;
}

TSNode enclosing_function(TSNode node) { return syntax::ancestor_of_type(node, {"function_definition"}); }

}  // namespace c2py::analysis::c
