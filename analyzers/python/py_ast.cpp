#include "python/py_ast.hpp"

namespace c2py::analysis::python {

using syntax::field;
using syntax::text_of;
using syntax::type_of;

ValueKind kind_of(TSNode e, std::string_view source) {
  auto kind = type_of(e);
  if (kind == "list" || kind == "list_comprehension") return ValueKind::List;
  if (kind == "dictionary" || kind == "dictionary_comprehension") return ValueKind::Dict;
  if (kind == "set" || kind == "set_comprehension") return ValueKind::Set;
  if (kind == "tuple") return ValueKind::Tuple;
  if (kind == "string" || kind == "concatenated_string") {
    auto text = text_of(e, source);
    size_t quote = text.find_first_of("'\"");
    auto prefix = text.substr(0, quote == std::string_view::npos ? 0 : quote);
    return prefix.find_first_of("bB") != std::string_view::npos ? ValueKind::Bytes : ValueKind::Str;
  }
  if (kind == "integer" || kind == "float" || kind == "true" || kind == "false") return ValueKind::Number;
  if (kind == "none") return ValueKind::None;
  if (kind == "parenthesized_expression") return kind_of(ts_node_named_child(e, 0), source);
  if (kind == "binary_operator") {
    // [x] * n, a + [b]: the kind of a sequence operand decides.
    auto left = kind_of(field(e, "left"), source);
    auto right = kind_of(field(e, "right"), source);
    if (left == ValueKind::List || right == ValueKind::List) return ValueKind::List;
    if (left == ValueKind::Str || right == ValueKind::Str) return ValueKind::Str;
    return ValueKind::Unknown;
  }
  if (kind == "call") {
    auto function = text_of(field(e, "function"), source);
    if (function == "list") return ValueKind::List;
    if (function == "dict") return ValueKind::Dict;
    if (function == "set" || function == "frozenset") return ValueKind::Set;
    if (function == "tuple") return ValueKind::Tuple;
    if (function == "str") return ValueKind::Str;
    if (function == "bytes") return ValueKind::Bytes;
    if (function == "bytearray") return ValueKind::Bytearray;
    if (function == "int" || function == "float" || function == "len") return ValueKind::Number;
    return ValueKind::Unknown;
  }
  return ValueKind::Unknown;
}

TSNode scope_of(TSNode node) {
  TSNode scope = syntax::ancestor_of_type(ts_node_parent(node), {"function_definition", "lambda", "class_definition"});
  if (!ts_node_is_null(scope)) return scope;
  return ts_tree_root_node(node.tree);
}

Binding last_binding(TSNode use, std::string_view name, std::string_view source) {
  Binding binding;
  TSNode scope = scope_of(use);
  uint32_t use_start = ts_node_start_byte(use);
  if (type_of(scope) == "function_definition") {
    syntax::walk(field(scope, "parameters"), [&](TSNode node) {
      if (type_of(node) == "identifier" && text_of(node, source) == name) binding.parameter = true;
      return type_of(node) != "default_parameter" || true;
    });
  }
  TSNode body = type_of(scope) == "module" ? scope : field(scope, "body");
  syntax::walk(body, [&](TSNode node) {
    if (ts_node_start_byte(node) >= use_start) return false;
    auto kind = type_of(node);
    if (!ts_node_eq(node, body) && (kind == "function_definition" || kind == "class_definition" || kind == "lambda")) {
      TSNode defined = field(node, "name");
      if (!ts_node_is_null(defined) && text_of(defined, source) == name) binding.rebound_otherwise = true;
      return false;
    }
    if (kind == "assignment") {
      TSNode left = field(node, "left");
      if (type_of(left) == "identifier" && text_of(left, source) == name && ts_node_end_byte(node) <= use_start) {
        binding.found = true;
        binding.value = field(node, "right");
        binding.rebound_otherwise = false;
      }
    } else if (kind == "for_statement" || kind == "with_item" || kind == "import_statement" ||
               kind == "import_from_statement" || kind == "augmented_assignment") {
      bool binds = false;
      TSNode target = kind == "for_statement" ? field(node, "left") : kind == "augmented_assignment" ? field(node, "left") : node;
      if (kind == "augmented_assignment") {
        // `a += [x]` keeps a list a list; other operators may not.
        binds = false;
      } else {
        syntax::walk(target, [&](TSNode n) {
          if (type_of(n) == "identifier" && text_of(n, source) == name) binds = true;
          return true;
        });
      }
      if (binds) binding.rebound_otherwise = true;
    }
    return true;
  });
  return binding;
}

}  // namespace c2py::analysis::python
