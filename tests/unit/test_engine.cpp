#include <doctest/doctest.h>

#include "annotations.hpp"
#include "check_harness.hpp"

using c2py::syntax::Language;
using c2py::testing::Annotations;

TEST_CASE("grammars load into the core and parse modern Python without errors") {
  c2py::syntax::Parser python(Language::Python);
  auto tree = python.parse(
      "match x:\n    case [a, *rest]:\n        pass\ntype Pair[T] = tuple[T, T]\n"
      "def f[T](x: T) -> T: return x\ns = f\"{'nested' + f'{x!r}'}\"\n");
  CHECK_FALSE(tree.has_error());
  c2py::syntax::Parser c(Language::C);
  CHECK_FALSE(c.parse("int main(void) { int a[3] = {1, 2, 3}; return a[0]; }\n").has_error());
}

TEST_CASE("queries evaluate #eq?, #any-of? and #match?") {
  std::string code = "void f(void) { malloc(1); calloc(1, 2); free(0); my_malloc(3); }";
  c2py::syntax::Parser parser(Language::C);
  auto tree = parser.parse(code);
  c2py::syntax::Query any(Language::C, R"((call_expression function: (identifier) @f (#any-of? @f "malloc" "calloc")))");
  CHECK(c2py::syntax::run_query(any, tree.root(), code).size() == 2);
  c2py::syntax::Query match(Language::C, R"((call_expression function: (identifier) @f (#match? @f "alloc$")))");
  CHECK(c2py::syntax::run_query(match, tree.root(), code).size() == 3);
  c2py::syntax::Query eq(Language::C, R"((call_expression function: (identifier) @f (#eq? @f "free")))");
  CHECK(c2py::syntax::run_query(eq, tree.root(), code).size() == 1);
  CHECK_THROWS_AS(c2py::syntax::Query(Language::C, "(no_such_node)"), std::invalid_argument);
}

TEST_CASE("walk visits 100 000 nested parentheses without recursion") {
  std::string code = "int x = " + std::string(100000, '(') + "1" + std::string(100000, ')') + ";";
  c2py::syntax::Parser parser(Language::C);
  auto tree = parser.parse(code);
  size_t nodes = 0;
  c2py::syntax::walk(tree.root(), [&](TSNode) {
    ++nodes;
    return true;
  });
  CHECK(nodes > 100000);
}

TEST_CASE("the unit cache reuses findings of untouched units, shifted") {
  Annotations before(R"c(
void a(void) { int *p = malloc(4); free(p); }
void b(void) { char *q = malloc(8); free(q); }
)c");
  c2py::syntax::Parser parser(Language::C);
  auto tree = parser.parse(before.code());
  c2py::analysis::UnitCache cache;
  auto first = c2py::analysis::analyze(Language::C, tree, before.code(), {}, cache);
  CHECK(first.stats.units_reanalyzed == 2);

  std::string after = "/* new comment */\n" + before.code();
  after.replace(after.find("malloc(4)"), 9, "malloc(40)");
  auto tree2 = parser.parse(after);
  auto second = c2py::analysis::analyze(Language::C, tree2, after, {}, cache);
  CHECK(second.stats.units == 3);             // the comment is a unit too
  CHECK(second.stats.units_reanalyzed == 2);  // the comment and a(); b() came from the cache
  bool found = false;
  for (const auto& f : second.findings)
    if (f.idiom == "malloc" && *f.bindings.get("var") == "q") {
      found = true;
      CHECK(after.substr(f.range.begin, 6) == "malloc");
    }
  CHECK(found);
}
