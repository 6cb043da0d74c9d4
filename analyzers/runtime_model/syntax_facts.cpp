// Facts of the syntax tree the runtime model reads again and again, computed once per run and
// node (syntax_facts.hpp).
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

namespace {
// The names of Sym's kinds, in its order (after Sym::other).
constexpr std::string_view kSymNames[] = {"identifier",
                                          "integer",
                                          "float",
                                          "string",
                                          "concatenated_string",
                                          "true",
                                          "false",
                                          "none",
                                          "parenthesized_expression",
                                          "list",
                                          "tuple",
                                          "dictionary",
                                          "set",
                                          "binary_operator",
                                          "unary_operator",
                                          "not_operator",
                                          "boolean_operator",
                                          "comparison_operator",
                                          "conditional_expression",
                                          "call",
                                          "attribute",
                                          "subscript",
                                          "list_comprehension",
                                          "set_comprehension",
                                          "dictionary_comprehension",
                                          "lambda",
                                          "generator_expression",
                                          "named_expression",
                                          "expression_list",
                                          "pattern_list",
                                          "tuple_pattern",
                                          "list_pattern",
                                          "if_statement",
                                          "elif_clause",
                                          "else_clause",
                                          "for_statement",
                                          "while_statement",
                                          "function_definition",
                                          "class_definition",
                                          "try_statement",
                                          "with_statement",
                                          "decorated_definition",
                                          "expression_statement",
                                          "yield",
                                          "assignment",
                                          "augmented_assignment",
                                          "pass_statement",
                                          "return_statement",
                                          "delete_statement",
                                          "break_statement",
                                          "continue_statement",
                                          "import_statement",
                                          "import_from_statement",
                                          "future_import_statement",
                                          "global_statement",
                                          "assert_statement",
                                          "raise_statement",
                                          "keyword_argument",
                                          "dictionary_splat",
                                          "list_splat",
                                          "comment",
                                          "slice"};
static_assert(std::size(kSymNames) == static_cast<size_t>(Sym::slice));

// Sym by symbol of the Python grammar, read from it once (immutable afterwards).
struct SymTable {
  const TSLanguage* python = syntax::grammar(syntax::Language::Python);
  std::vector<Sym> by_symbol;
  SymTable() : by_symbol(ts_language_symbol_count(python), Sym::other) {
    for (size_t s = 0; s < by_symbol.size(); ++s) {
      const char* name = ts_language_symbol_name(python, static_cast<TSSymbol>(s));
      if (!name) continue;
      for (size_t k = 0; k < std::size(kSymNames); ++k)
        if (kSymNames[k] == name) by_symbol[s] = static_cast<Sym>(k + 1);
    }
  }
};
}  // namespace

Sym sym(TSNode node) {
  static const SymTable table;
  // (ts_node_is_null and ts_node_language, without copying the node into two more calls)
  if (!node.id || ts_tree_language(node.tree) != table.python) return Sym::other;
  TSSymbol s = ts_node_symbol(node);
  return s < table.by_symbol.size() ? table.by_symbol[s] : Sym::other;
}

FieldList& Interp::fields(TSNode node) {
  if (ts_node_is_null(node)) return syntax_memo_.none;
  auto [it, added] = syntax_memo_.fields.try_emplace(SyntaxKey::of(node));
  if (added) it->second.node = node;
  return it->second;
}

TSNode Interp::literal_field(TSNode node, const char* name, size_t size) {
  if (ts_node_is_null(node)) return node;
  return fields(node).get(name, size);
}

const std::vector<TSNode>& Interp::kids(TSNode node) {
  static const std::vector<TSNode> none;
  if (ts_node_is_null(node)) return none;
  auto [it, added] = syntax_memo_.kids.try_emplace(SyntaxKey::of(node));
  if (added) it->second = engine::kids(node);
  return it->second;
}

const std::vector<TSNode>& Interp::block_statements(TSNode block) {
  auto [it, added] = syntax_memo_.statements.try_emplace(SyntaxKey::of(block));
  if (!added) return it->second;
  // A cursor, not ts_node_named_child(i) or sibling links: those walk the parent's children
  // each time, quadratic over a module of a thousand statements.
  TSTreeCursor cursor = ts_tree_cursor_new(block);
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      TSNode n = ts_tree_cursor_current_node(&cursor);
      if (ts_node_is_named(n) && type_of(n) != "comment") it->second.push_back(n);
    } while (ts_tree_cursor_goto_next_sibling(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
  return it->second;
}

const ComparisonShape& Interp::comparison_shape(TSNode node) {
  auto [it, added] = syntax_memo_.comparisons.try_emplace(SyntaxKey::of(node));
  if (!added) return it->second;
  ComparisonShape& shape = it->second;
  uint32_t count = ts_node_child_count(node);
  std::string pending;
  for (uint32_t i = 0; i < count; ++i) {
    TSNode c = ts_node_child(node, i);
    if (ts_node_is_named(c)) {
      if (!pending.empty()) shape.ops.push_back(pending);
      pending.clear();
      shape.operands.push_back(c);
    } else {
      if (!pending.empty()) pending += " ";
      pending += std::string(text_of(c, src_));
    }
  }
  return shape;
}

bool Interp::is_constant_expr(TSNode node) {
  auto [it, added] = syntax_memo_.constant.try_emplace(SyntaxKey::of(node));
  if (added) it->second = constant_expr(node, 0);
  return it->second;
}

SubtreeFacts& Interp::subtree_facts(TSNode node) {
  auto key = SyntaxKey::of(node);
  if (auto it = syntax_memo_.subtree.find(key); it != syntax_memo_.subtree.end()) return it->second;
  SubtreeFacts facts;
  std::unordered_set<std::string_view> names;
  syntax::walk(node, [&](TSNode n) {
    ++facts.nodes;
    uint32_t line = ts_node_start_point(n).row;  // document order: rows never decrease
    if (facts.lines.empty() || facts.lines.back() != line) facts.lines.push_back(line);
    auto ty = type_of(n);
    if (ty == "global_statement" || ty == "nonlocal_statement") facts.scope_statement = true;
    if (ty == "class_definition" || ty == "decorated_definition") facts.defines = true;
    if (ty == "identifier") {
      std::string_view name = text_of(n, src_);
      if (is_reflective(name) || name == "__defaults__" || name == "__kwdefaults__" || name == "__code__" ||
          name == "__dict__" || name == "__globals__")
        facts.rebinding_name = true;
      if (names.insert(name).second) facts.names.push_back(name);
    }
    return true;
  });
  return syntax_memo_.subtree.emplace(key, std::move(facts)).first->second;
}

}  // namespace c2py::runtime_model::engine
