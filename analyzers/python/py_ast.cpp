#include "python/py_ast.hpp"

#include <algorithm>
#include <string>

namespace c2py::analysis::python {

using syntax::field;
using syntax::text_of;
using syntax::type_of;

ValueKind kind_of(TSNode e, std::string_view source, int depth) {
  if (depth > 64) return ValueKind::Unknown;
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
  if (kind == "parenthesized_expression") return kind_of(ts_node_named_child(e, 0), source, depth + 1);
  if (kind == "binary_operator") {
    // [x] * n, a + [b]: the kind of a sequence operand decides.
    auto left = kind_of(field(e, "left"), source, depth + 1);
    auto right = kind_of(field(e, "right"), source, depth + 1);
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
  // The nearest def, lambda or class above the node (syntax::ancestors: one descent).
  auto chain = syntax::ancestors(node);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    auto kind = type_of(*it);
    if (kind == "function_definition" || kind == "lambda" || kind == "class_definition") return *it;
  }
  return ts_tree_root_node(node.tree);
}

const BindingIndex::Scope& BindingIndex::scope(TSNode node, std::string_view source) {
  auto [it, added] = scopes_.try_emplace(node.id);
  if (!added) return it->second;
  Scope& s = it->second;
  // What last_binding's walks meet, for every name (a lookup keeps those of its own).
  if (type_of(node) == "function_definition") {
    syntax::walk(field(node, "parameters"), [&](TSNode n) {
      if (type_of(n) == "identifier") s.parameters.push_back(text_of(n, source));
      return true;
    });
  }
  TSNode body = type_of(node) == "module" ? node : field(node, "body");
  syntax::walk(body, [&](TSNode n) {
    auto kind = type_of(n);
    uint32_t start = ts_node_start_byte(n);
    if (!ts_node_eq(n, body) && (kind == "function_definition" || kind == "class_definition" || kind == "lambda")) {
      TSNode defined = field(n, "name");
      if (!ts_node_is_null(defined)) s.events.push_back({start, 0, false, text_of(defined, source), {}});
      return false;
    }
    if (kind == "assignment") {
      TSNode left = field(n, "left");
      if (type_of(left) == "identifier")
        s.events.push_back({start, ts_node_end_byte(n), true, text_of(left, source), field(n, "right")});
    } else if (kind == "for_statement" || kind == "with_item" || kind == "import_statement" || kind == "import_from_statement") {
      // (an augmented assignment keeps what it is bound to: no event)
      syntax::walk(kind == "for_statement" ? field(n, "left") : n, [&](TSNode m) {
        if (type_of(m) == "identifier") s.events.push_back({start, 0, false, text_of(m, source), {}});
        return true;
      });
    }
    return true;
  });
  return s;
}

Binding BindingIndex::last_binding(TSNode use, std::string_view name, std::string_view source) {
  Binding binding;
  const Scope& s = scope(scope_of(use), source);
  uint32_t use_start = ts_node_start_byte(use);
  for (std::string_view p : s.parameters) binding.parameter |= p == name;
  // Pre-order: starts never decrease, and last_binding's walk meets every node starting before
  // the use.
  for (const Event& e : s.events) {
    if (e.start >= use_start) break;
    if (e.name != name) continue;
    if (!e.assigns) {
      binding.rebound_otherwise = true;
    } else if (e.end <= use_start) {
      binding.found = true;
      binding.value = e.value;
      binding.rebound_otherwise = false;
    }
  }
  return binding;
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

TSNode enclosing_loop(TSNode node) {
  auto chain = syntax::ancestors(node);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    TSNode n = *it;
    auto kind = type_of(n);
    if (kind == "for_statement" || kind == "while_statement") return n;
    if (kind == "function_definition" || kind == "class_definition" || kind == "lambda") break;
  }
  return TSNode{};
}

TSNode enclosing_statement(TSNode node) {
  if (ts_node_is_null(node)) return node;
  auto chain = syntax::ancestors(node);  // root … parent
  chain.push_back(node);
  for (size_t i = chain.size(); i-- > 0;) {
    if (i == 0) return chain[0];
    auto kind = type_of(chain[i - 1]);
    if (kind == "block" || kind == "module") return chain[i];
  }
  return node;
}

uint32_t line_start(std::string_view source, uint32_t offset) {
  uint32_t start = std::min<uint32_t>(offset, static_cast<uint32_t>(source.size()));
  while (start > 0 && source[start - 1] != '\n') --start;
  return start;
}

std::string indentation(std::string_view source, uint32_t offset) {
  uint32_t start = line_start(source, offset), end = start;
  while (end < source.size() && (source[end] == ' ' || source[end] == '\t')) ++end;
  return std::string(source.substr(start, end - start));
}

bool module_imports(TSNode any_node, std::string_view module, std::string_view source) {
  TSNode root = ts_tree_root_node(any_node.tree);
  for (TSNode item : syntax::named_children(root)) {
    if (type_of(item) != "import_statement") continue;
    for (TSNode name : syntax::named_children(item))
      if (type_of(name) == "dotted_name" && text_of(name, source) == module) return true;
  }
  return false;
}

bool mentions(TSNode node, std::string_view name, std::string_view source) {
  bool found = false;
  syntax::walk(node, [&](TSNode n) {
    if (found) return false;
    if (type_of(n) == "identifier" && text_of(n, source) == name) found = true;
    return true;
  });
  return found;
}


long long integer_value(TSNode node, std::string_view source) {
  if (type_of(node) != "integer") return -1;
  std::string digits;
  for (char ch : text_of(node, source))
    if (ch != '_') digits += ch;
  try {
    size_t used = 0;
    long long value = std::stoll(digits, &used, 0);
    return used == digits.size() ? value : -1;
  } catch (...) {
    return -1;
  }
}

namespace {

// `node` in at most about `budget` characters, still valid Python: what does not fit becomes
// `...` (Python's Ellipsis) inside the brackets that held it: `[...]`, `f(...)`, `"..."`.
std::string elide(TSNode node, std::string_view source, size_t budget, int depth) {
  auto text = text_of(node, source);
  if (text.size() <= budget && text.find('\n') == std::string_view::npos) return std::string(text);
  if (depth > 8 || budget < 5) return "...";
  auto kind = type_of(node);
  auto part = [&](std::string_view name, size_t share) { return elide(field(node, name), source, share, depth + 1); };
  if (kind == "list" || kind == "list_comprehension") return "[...]";
  if (kind == "tuple" || kind == "generator_expression") return "(...)";
  if (kind == "dictionary" || kind == "set" || kind == "dictionary_comprehension" || kind == "set_comprehension") return "{...}";
  if (kind == "parenthesized_expression" && ts_node_named_child_count(node) == 1)
    return "(" + elide(ts_node_named_child(node, 0), source, budget - 2, depth + 1) + ")";
  if (kind == "string") {
    size_t q = text.find_first_of("\"'");
    if (q == std::string_view::npos) return "...";
    auto three = text.substr(q, 3);
    std::string quote = three == "\"\"\"" || three == "'''" ? std::string(three) : std::string(1, text[q]);
    return std::string(text.substr(0, q)) + quote + "..." + quote;
  }
  if (kind == "concatenated_string" && ts_node_named_child_count(node) > 0)
    return elide(ts_node_named_child(node, 0), source, budget, depth + 1);
  if (kind == "call") return elide(field(node, "function"), source, budget - 5, depth + 1) + "(...)";
  if (kind == "subscript") return elide(field(node, "value"), source, budget - 5, depth + 1) + "[...]";
  if (kind == "attribute")
    return elide(field(node, "object"), source, budget / 2, depth + 1) + "." + std::string(text_of(field(node, "attribute"), source));
  if (kind == "assignment" || kind == "augmented_assignment") {
    std::string left(text_of(field(node, "left"), source));
    if (left.size() > budget / 2 || left.find('\n') != std::string::npos) return "...";
    TSNode type = field(node, "type");
    std::string head = left;
    if (!ts_node_is_null(type)) head += ": " + std::string(text_of(type, source));
    if (ts_node_is_null(field(node, "right"))) return head;
    std::string op = kind == "assignment" ? "=" : std::string(type_of(field(node, "operator")));
    size_t rest = budget > head.size() + 8 ? budget - head.size() - 3 : 5;
    return head + " " + op + " " + elide(field(node, "right"), source, rest, depth + 1);
  }
  if (kind == "binary_operator" || kind == "boolean_operator") {
    std::string op(type_of(field(node, "operator")));
    return part("left", budget / 2) + " " + op + " " + part("right", budget / 2);
  }
  return "...";
}

}  // namespace

std::string short_text(TSNode node, std::string_view source) { return elide(node, source, 60, 0); }

std::vector<TSNode> Ancestry::of(TSNode node) {
  if (ts_node_is_null(node) || ts_node_is_null(over_) || node.tree != over_.tree) return syntax::ancestors(node);
  TSNode root = ts_tree_root_node(over_.tree);
  if (!ready_) {
    ready_ = true;
    if (over_.id == root.id) {
      TSTreeCursor cursor = ts_tree_cursor_new(root);
      if (ts_tree_cursor_goto_first_child(&cursor)) {
        do {
          TSNode n = ts_tree_cursor_current_node(&cursor);
          tops_.push_back(n);
          starts_.push_back(ts_node_start_byte(n));
        } while (ts_tree_cursor_goto_next_sibling(&cursor));
      }
      ts_tree_cursor_delete(&cursor);
      above_ = {root};
    } else {
      tops_ = {over_};
      starts_ = {ts_node_start_byte(over_)};
      // Usually a child of the root (a top-level item): a cursor finds it by its start byte,
      // summing the lengths of the items before it; else the descent from the root.
      TSTreeCursor cursor = ts_tree_cursor_new(root);
      bool child = ts_tree_cursor_goto_first_child_for_byte(&cursor, starts_[0]) >= 0 &&
                   ts_tree_cursor_current_node(&cursor).id == over_.id;
      ts_tree_cursor_delete(&cursor);
      above_ = child ? std::vector<TSNode>{root} : syntax::ancestors(over_);
    }
  }
  if (node.id == root.id) return {};
  uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
  auto it = std::upper_bound(starts_.begin(), starts_.end(), start);
  // A node of positive width lies in exactly one child of a node (siblings do not overlap), the
  // one ts_node_child_with_descendant finds; anything else takes the descent from the root.
  if (start == end || it == starts_.begin()) return syntax::ancestors(node);
  TSNode top = tops_[static_cast<size_t>(it - starts_.begin()) - 1];
  if (ts_node_end_byte(top) < end) return syntax::ancestors(node);
  std::vector<TSNode> out = above_;
  if (top.id == node.id) return out;
  syntax::append_descent(top, node, out);
  return out;
}

TSNode Ancestry::parent(TSNode node) {
  auto chain = of(node);
  return chain.empty() ? TSNode{} : chain.back();
}

}  // namespace c2py::analysis::python
