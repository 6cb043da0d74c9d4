#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

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
  // Compiled on first use: a malformed query throws there, and again on every later use.
  c2py::syntax::Query bad(Language::C, "(no_such_node)");
  CHECK_THROWS_AS(bad.raw(), std::invalid_argument);
  CHECK_THROWS_AS(c2py::syntax::run_query(bad, tree.root(), code), std::invalid_argument);
}

namespace {
std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}
}  // namespace

// The engine runs every check's queries as one group in one pass; each check must get exactly the
// matches its own query finds alone (same nodes, captures, patterns, order).
TEST_CASE("a query group finds what each of its queries finds alone") {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(C2PY_SOURCE_DIR) + "/examples"))
    files.push_back(entry.path());
  // A bounded slice of real code, when the shared corpora are beside the project.
  std::filesystem::path corpora = std::string(C2PY_SOURCE_DIR) + "/../shared/corpora";
  for (const char* sub : {"real-c/sds", "real-c/cJSON", "real-python/TheAlgorithms/sorts"}) {
    if (!std::filesystem::is_directory(corpora / sub)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(corpora / sub))
      if (entry.is_regular_file() && c2py::syntax::language_from_path(entry.path().string())) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  size_t compared = 0;
  for (Language language : {Language::C, Language::Python}) {
    std::vector<const c2py::syntax::Query*> parts;
    for (const auto& check : c2py::analysis::all_checks())
      if (check->language() == language)
        for (const auto* query : check->queries()) parts.push_back(query);
    REQUIRE(!parts.empty());
    c2py::syntax::QueryGroup group(language, parts);
    c2py::syntax::Parser parser(language);
    for (const auto& path : files) {
      if (c2py::syntax::language_from_path(path.string()) != language) continue;
      std::string text = read_text(path);
      auto tree = parser.parse(text);
      std::vector<TSNode> nodes = c2py::syntax::named_children(tree.root());
      nodes.push_back(tree.root());
      for (TSNode node : nodes) {
        auto together = group.run(node, text);
        REQUIRE(together.size() == parts.size());
        for (size_t i = 0; i < parts.size(); ++i) {
          auto alone = c2py::syntax::run_query(*parts[i], node, text);
          INFO(path.string(), " query ", i, " at byte ", ts_node_start_byte(node));
          REQUIRE(together[i].size() == alone.size());
          for (size_t m = 0; m < alone.size(); ++m) {
            CHECK(together[i][m].pattern == alone[m].pattern);
            REQUIRE(together[i][m].captures.size() == alone[m].captures.size());
            for (size_t c = 0; c < alone[m].captures.size(); ++c) {
              CHECK(together[i][m].captures[c].name == alone[m].captures[c].name);
              CHECK(ts_node_eq(together[i][m].captures[c].node, alone[m].captures[c].node));
            }
          }
          compared += alone.size();
        }
      }
    }
  }
  CHECK(compared > 100);
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
