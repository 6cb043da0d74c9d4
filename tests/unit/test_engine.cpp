#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
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

TEST_CASE("a query group with a pattern not rooted at a named node runs as one combined query") {
  std::string code = "void f(void) { g(h(1)); x = y; }";
  c2py::syntax::Parser parser(Language::C);
  auto tree = parser.parse(code);
  c2py::syntax::Query calls(Language::C, "(call_expression function: (identifier) @f) @call");
  c2py::syntax::Query any(Language::C, "[(assignment_expression) (number_literal)] @x");
  c2py::syntax::QueryGroup plain(Language::C, {&calls});
  c2py::syntax::QueryGroup mixed(Language::C, {&calls, &any});
  CHECK(plain.run(tree.root(), code)[0].size() == 2);
  auto both = mixed.run(tree.root(), code);
  CHECK(both[0].size() == 2);
  CHECK(both[1].size() == 2);
}

// Two passes over one group (the engine's unit and file passes): each reports only its own
// queries' matches, the same whether a root type's patterns of both compiled as one query or not.
TEST_CASE("a query group's passes report their own queries, merged or not") {
  std::string code = "x = [1]\ny = x + [2]\ndel x\nprint(y)\n";
  c2py::syntax::Parser parser(Language::Python);
  auto tree = parser.parse(code);
  c2py::syntax::Query unit(Language::Python, "(assignment left: (identifier) @v right: (binary_operator)) @a");
  c2py::syntax::Query file(Language::Python, "(assignment left: (identifier) @v) @a (delete_statement) @d");
  c2py::syntax::Query other(Language::Python, "(call function: (identifier) @f) @c");
  for (bool merge : {false, true}) {
    CAPTURE(merge);
    std::vector<std::vector<uint32_t>> asked;
    c2py::syntax::QueryGroup group(Language::Python, {{&unit}, {&file, &other}},
                                   [&](std::string_view, const std::vector<uint32_t>& patterns) {
                                     asked.push_back(patterns);
                                     return merge;
                                   });
    // Roots: assignment (1 unit pattern, 1 file pattern), delete_statement and call (file only).
    CHECK(asked.size() == 3);
    CHECK(std::count(asked.begin(), asked.end(), std::vector<uint32_t>{1, 1}) == 1);
    auto first = group.run(tree.root(), code, &group.subset(0));
    auto second = group.run(tree.root(), code, &group.subset(1));
    auto all = group.run(tree.root(), code);
    REQUIRE(group.parts().size() == 3);
    CHECK(first[0].size() == 1);  // y = x + [2]
    CHECK(first[1].empty());
    CHECK(first[2].empty());
    CHECK(second[0].empty());
    CHECK(second[1].size() == 3);  // two assignments and the del
    CHECK(second[2].size() == 1);
    CHECK(all[0].size() == 1);
    CHECK(all[1].size() == 3);
    CHECK(all[2].size() == 1);
    CHECK(c2py::syntax::type_of(second[1][2].get("d")) == "delete_statement");
  }
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
// matches its own query finds alone (same patterns, captures and nodes). The order may differ:
// the group gives them in the order of their root nodes, tree-sitter in the order they finish
// (`[[0] * m] * n`: the inner product first).
TEST_CASE("a query group finds what each of its queries finds alone") {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(C2PY_SOURCE_DIR) + "/examples"))
    files.push_back(entry.path());
  // A bounded slice of real code, when the shared corpora are beside the project.
  std::filesystem::path corpora = std::string(C2PY_SOURCE_DIR) + "/../shared/corpora";
  if (const char* env = std::getenv("C2PY_CORPORA")) corpora = env;
  for (const char* sub : {"real-c/sds", "real-c/cJSON", "real-python/TheAlgorithms/sorts"}) {
    if (!std::filesystem::is_directory(corpora / sub)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(corpora / sub))
      if (entry.is_regular_file() && c2py::syntax::language_from_path(entry.path().string())) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  auto keys = [](const std::vector<c2py::syntax::Match>& matches, bool sorted = true) {
    std::vector<std::string> out;
    for (const auto& m : matches) {
      std::string key = std::to_string(m.pattern);
      for (const auto& c : m.captures)
        key += " " + std::string(c.name) + "@" + std::to_string(ts_node_start_byte(c.node)) + "-" +
               std::to_string(ts_node_end_byte(c.node)) + ":" + c2py::syntax::type_of(c.node).data();
      out.push_back(key);
    }
    if (sorted) std::sort(out.begin(), out.end());
    return out;
  };
  size_t compared = 0;
  for (Language language : {Language::C, Language::Python}) {
    std::vector<const c2py::syntax::Query*> parts;
    for (const auto& check : c2py::analysis::all_checks())
      if (check->language() == language)
        for (const auto* query : check->queries()) parts.push_back(query);
    REQUIRE(!parts.empty());
    c2py::syntax::QueryGroup group(language, parts);
    c2py::syntax::QueryGroup queried(language, parts, false);  // no part matched by hand
    c2py::syntax::Parser parser(language);
    for (const auto& path : files) {
      if (c2py::syntax::language_from_path(path.string()) != language) continue;
      std::string text = read_text(path);
      auto tree = parser.parse(text);
      std::vector<TSNode> nodes = c2py::syntax::named_children(tree.root());
      nodes.push_back(tree.root());
      for (TSNode node : nodes) {
        auto together = group.run(node, text);
        auto by_queries = queried.run(node, text);
        REQUIRE(together.size() == parts.size());
        for (size_t i = 0; i < parts.size(); ++i) {
          auto alone = c2py::syntax::run_query(*parts[i], node, text);
          INFO(path.string(), " query ", i, " at byte ", ts_node_start_byte(node));
          CHECK(keys(together[i]) == keys(alone));
          // Hand-written matchers (NativeMatcher) give the queries' matches in the same order.
          CHECK(keys(together[i], false) == keys(by_queries[i], false));
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

namespace {
// What a user sees of a finding, as text: idiom, range, bindings, note, hints, diagnostic message.
std::vector<std::string> summary(const c2py::analysis::FileAnalysis& analysis) {
  std::vector<std::string> out;
  for (const auto& f : analysis.findings) {
    std::string line = f.idiom + "@" + std::to_string(f.range.begin) + "-" + std::to_string(f.range.end) + " " + f.variant;
    for (const auto& [key, value] : f.bindings.items()) line += " " + key + "=" + value;
    for (const auto& hint : f.hints) line += " hint@" + std::to_string(hint.offset) + ":" + hint.label;
    if (f.diagnostic) line += " diag:" + f.diagnostic->message;
    line += " note:" + f.note;
    out.push_back(line);
  }
  return out;
}
}  // namespace

TEST_CASE("Python file checks rerun only on the definitions an edit touched") {
  std::string before = R"py(import array

def fill(n):
    out = []
    for i in range(n):
        out.append(i)
    return out

def names(words):
    s = ""
    for w in words:
        s += w
    return s

class Holder:
    def __init__(self):
        self.rows = [[0] * 3] * 4

grid = [[0] * 8] * 8
grid[0][0] = 1
)py";
  c2py::syntax::Parser parser(Language::Python);
  c2py::analysis::UnitCache cache;
  auto tree = parser.parse(before);
  auto first = c2py::analysis::analyze(Language::Python, tree, before, {}, cache);
  CHECK(first.stats.definitions_rechecked == 3);

  // An edit inside one function, which also moves everything after it.
  std::string after = before;
  after.replace(after.find("s = \"\""), 6, "s = \"-\"\n    t = 1");
  auto edited = c2py::analysis::analyze(Language::Python, parser.parse(after), after, {}, cache);
  CHECK(edited.stats.definitions_rechecked == 1);
  c2py::analysis::UnitCache fresh_cache;
  auto fresh = c2py::analysis::analyze(Language::Python, parser.parse(after), after, {}, fresh_cache);
  CHECK(summary(edited) == summary(fresh));
  CHECK(edited.findings.size() > 5);

  // The module context changed (a new import): every definition is checked again.
  std::string imported = "import gc\n" + after;
  auto again = c2py::analysis::analyze(Language::Python, parser.parse(imported), imported, {}, cache);
  CHECK(again.stats.definitions_rechecked == 3);
  c2py::analysis::UnitCache fresh_cache2;
  CHECK(summary(again) == summary(c2py::analysis::analyze(Language::Python, parser.parse(imported), imported, {}, fresh_cache2)));
}

TEST_CASE("realloc-leak after an edit reports what a fresh analysis reports") {
  // Two traps; the edits move them, add a third, and give the file a name the fix's temporary
  // would have taken (read from the whole file, not from the cached item).
  std::string before = R"c(#include <stdlib.h>
#include <stdio.h>
void grow(char **out, size_t n) {
    char *buf = malloc(4);
    buf = realloc(buf, n);
    *out = buf;
}
void keep(int *xs, size_t n) {
    int *old = xs;
    xs = realloc(xs, n);
    free(old);
}
void shrink(int *ys, size_t n) {
    ys = realloc(ys, n * 2);
    if (!ys) exit(1);
    free(ys);
}
)c";
  c2py::syntax::Parser parser(Language::C);
  c2py::analysis::UnitCache cache;
  auto count = [](const c2py::analysis::FileAnalysis& a) {
    return std::count_if(a.findings.begin(), a.findings.end(),
                         [](const auto& f) { return f.diagnostic && f.diagnostic->code == "realloc-leak"; });
  };
  auto first = c2py::analysis::analyze(Language::C, parser.parse(before), before, {}, cache);
  CHECK(count(first) == 1);  // grow; keep saved the old value; shrink stops on failure
  std::string after = before;
  after.replace(after.find("void grow"), 0, "static int buf_grown;\nvoid more(long *zs) { zs = realloc(zs, 64); }\n");
  after.replace(after.find("exit(1)"), 7, "puts(\"no\")");
  auto edited = c2py::analysis::analyze(Language::C, parser.parse(after), after, {}, cache);
  c2py::analysis::UnitCache fresh_cache;
  auto fresh = c2py::analysis::analyze(Language::C, parser.parse(after), after, {}, fresh_cache);
  CHECK(count(edited) == 3);
  CHECK(summary(edited) == summary(fresh));
}

// A snapshot and the unit cache hold one copy of an item's findings between them: an analysis
// that reuses an item where it was hands out the very findings of the last one; an item that
// moved gets a shifted copy, which the cache then keeps (the next analysis shares that one).
TEST_CASE("unit findings are shared between analyses, not copied, until their item moves") {
  std::string before =
      "#include <stdlib.h>\nvoid a(void) { char *p = malloc(4); free(p); }\n"
      "void b(void) { int *q = malloc(8); free(q); }\n";
  c2py::syntax::Parser parser(Language::C);
  c2py::analysis::UnitCache cache;
  // The findings from the unit checks of `b` (the file checks' are made anew every time).
  auto of_b = [](const c2py::analysis::FileAnalysis& a, const std::string& text) {
    std::vector<const c2py::analysis::Finding*> out;
    size_t from = text.find("void b");
    for (const auto& f : a.findings)
      if (f.range.begin >= from && f.idiom == "malloc") out.push_back(&f);
    return out;
  };
  auto first = c2py::analysis::analyze(Language::C, parser.parse(before), before, {}, cache);
  auto again = c2py::analysis::analyze(Language::C, parser.parse(before), before, {}, cache);
  REQUIRE(!of_b(first, before).empty());
  CHECK(of_b(again, before) == of_b(first, before));  // the same objects

  std::string moved = "/* a comment */\n" + before;
  auto shifted = c2py::analysis::analyze(Language::C, parser.parse(moved), moved, {}, cache);
  REQUIRE(of_b(shifted, moved).size() == of_b(first, before).size());
  CHECK(of_b(shifted, moved) != of_b(first, before));  // copies, at the new offsets
  CHECK(of_b(shifted, moved)[0]->range.begin == of_b(first, before)[0]->range.begin + 16);
  auto after = c2py::analysis::analyze(Language::C, parser.parse(moved), moved, {}, cache);
  CHECK(of_b(after, moved) == of_b(shifted, moved));  // the cache kept the shifted copy
  CHECK(after.stats.units_reanalyzed == 0);
}
