// syntax::ancestor_of_type descends once from the root (issue 14): it must find exactly the
// ancestor that walking up with ts_node_parent finds, on every node of real and broken code.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "syntax/syntax.hpp"

namespace {

TSNode walking_up(TSNode node, std::initializer_list<std::string_view> types) {
  while (!ts_node_is_null(node)) {
    if (std::find(types.begin(), types.end(), c2py::syntax::type_of(node)) != types.end()) return node;
    node = ts_node_parent(node);
  }
  return node;
}

size_t compare_all(c2py::syntax::Language language, const std::string& text) {
  c2py::syntax::Parser parser(language);
  auto tree = parser.parse(text);
  size_t nodes = 0;
  c2py::syntax::walk(tree.root(), [&](TSNode n) {
    ++nodes;
    for (auto types : {std::initializer_list<std::string_view>{"function_definition"},
                       std::initializer_list<std::string_view>{"function_definition", "lambda", "class_definition"},
                       std::initializer_list<std::string_view>{"compound_statement", "ERROR"}}) {
      TSNode a = c2py::syntax::ancestor_of_type(n, types), b = walking_up(n, types);
      CHECK(ts_node_eq(a, b));
    }
    std::vector<TSNode> up;
    for (TSNode p = ts_node_parent(n); !ts_node_is_null(p); p = ts_node_parent(p)) up.insert(up.begin(), p);
    auto chain = c2py::syntax::ancestors(n);
    CHECK(chain.size() == up.size());
    for (size_t i = 0; i < chain.size() && i < up.size(); ++i) CHECK(ts_node_eq(chain[i], up[i]));
    return nodes < 6000;
  });
  return nodes;
}

}  // namespace

TEST_CASE("ancestors and ancestor_of_type find what walking up with ts_node_parent finds") {
  size_t nodes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(C2PY_SOURCE_DIR) + "/examples")) {
    auto language = c2py::syntax::language_from_path(entry.path().string());
    if (!language) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    nodes += compare_all(*language, text);
    // Broken versions: cut in the middle of a line, an unclosed bracket (MISSING and zero-width
    // nodes, ERROR nodes).
    nodes += compare_all(*language, text.substr(0, text.size() / 2));
    nodes += compare_all(*language, "(" + text.substr(0, text.size() / 3) + "\n[\n" + text.substr(text.size() / 3));
  }
  nodes += compare_all(c2py::syntax::Language::Python, "def f(:\n    x = (1,\n\nclass C(\n    def g(self): return [\n");
  nodes += compare_all(c2py::syntax::Language::C, "int f( { int x = ; if (x { return }\nstruct S { int a\n");
  CHECK(nodes > 1000);
}
