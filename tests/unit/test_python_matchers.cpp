// The Python checks' hand-written matchers (analyzers/python/native_match.hpp) against their
// queries, which stay the definition: over every tree, the same matches (patterns, captures,
// nodes) in the same order. Trees: the examples, the tests' Python inputs, a slice of real-python
// (when the shared corpora are beside the project) and mutilated copies of some of them, full of
// ERROR and MISSING nodes. C2PY_PYTHON_MATCHERS_ALL=1 takes all of real-python and eight
// mutilated copies of every file (a one-off by hand, not for CI).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "check.hpp"
#include "syntax/syntax.hpp"

using c2py::syntax::Language;

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> keys(const std::vector<c2py::syntax::Match>& matches) {
  std::vector<std::string> out;
  for (const auto& m : matches) {
    std::string key = std::to_string(m.pattern);
    for (const auto& c : m.captures)
      key += " " + std::string(c.name) + "@" + std::to_string(ts_node_start_byte(c.node)) + "-" +
             std::to_string(ts_node_end_byte(c.node)) + ":" + ts_node_type(c.node) + (ts_node_is_missing(c.node) ? "!" : "");
    out.push_back(std::move(key));
  }
  return out;
}

// Deterministic damage: cuts, stray brackets, colons and operators, a truncation, so that the
// trees hold ERROR and MISSING nodes in many shapes.
std::string mutilate(std::string text, uint32_t seed) {
  uint64_t state = 0x9e3779b97f4a7c15ull ^ seed;
  auto next = [&](size_t bound) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return bound == 0 ? size_t{0} : static_cast<size_t>((state >> 33) % bound);
  };
  static const char* const pieces[] = {"(",    ")",     "[",    "]",    ":",       "=",      "+",  "* ",  ",",    "\n",
                                       "    ", "x = [", "del ", " as ", "except ", "lambda", "\"", "'''", "+= [", "\\"};
  int edits = 1 + static_cast<int>(next(8));
  for (int i = 0; i < edits && !text.empty(); ++i) {
    size_t at = next(text.size());
    switch (next(4)) {
      case 0: text.erase(at, 1 + next(12)); break;
      case 1: text.insert(at, pieces[next(std::size(pieces))]); break;
      case 2: text.insert(at, text.substr(next(text.size()), next(40))); break;
      default:
        if (next(4) == 0) text.resize(at);
        else text.erase(at, 1);
        break;
    }
  }
  return text;
}

}  // namespace

TEST_CASE("each Python check's hand-written matcher finds exactly what its query finds") {
  std::vector<const c2py::syntax::Query*> queries;
  for (const auto& check : c2py::analysis::all_checks())
    if (check->language() == Language::Python)
      for (const auto* query : check->queries()) {
        INFO("a Python query without a matcher: ", query->source());
        CHECK(query->native() != nullptr);  // else the Python pass compiles queries again
        if (query->native()) queries.push_back(query);
      }
  REQUIRE(!queries.empty());

  const std::filesystem::path source_dir = C2PY_SOURCE_DIR;
  std::vector<std::filesystem::path> files;
  for (const auto& sub : {"examples", "tests"})
    for (const auto& entry : std::filesystem::recursive_directory_iterator(source_dir / sub))
      if (entry.is_regular_file() && entry.path().extension() == ".py") files.push_back(entry.path());
  std::filesystem::path corpora = source_dir / ".." / "shared" / "corpora";
  if (const char* env = std::getenv("C2PY_CORPORA")) corpora = env;
  const bool all = std::getenv("C2PY_PYTHON_MATCHERS_ALL") != nullptr;
  if (std::filesystem::is_directory(corpora / "real-python")) {
    std::vector<std::filesystem::path> real;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(corpora / "real-python"))
      if (entry.is_regular_file() && entry.path().extension() == ".py") real.push_back(entry.path());
    std::sort(real.begin(), real.end());
    // A slice spread over the corpus: every third file, at most 250.
    for (size_t i = 0, taken = 0; i < real.size() && (all || taken < 250); i += all ? 1 : 3, ++taken) files.push_back(real[i]);
  } else {
    MESSAGE("no real-python corpus at ", corpora.string(), ": examples and tests only");
  }
  std::sort(files.begin(), files.end());

  std::vector<std::unique_ptr<c2py::syntax::QueryGroup>> by_hand, by_query;
  for (const auto* query : queries) {
    by_hand.push_back(std::make_unique<c2py::syntax::QueryGroup>(Language::Python, std::vector{query}));
    by_query.push_back(std::make_unique<c2py::syntax::QueryGroup>(Language::Python, std::vector{query}, false));
  }
  c2py::syntax::Parser parser(Language::Python);
  size_t trees = 0, broken = 0, matches = 0, broken_matches = 0;
  auto compare = [&](const std::string& text, const std::string& label) {
    auto tree = parser.parse(text);
    bool has_error = ts_node_has_error(tree.root());
    ++trees;
    broken += has_error;
    for (size_t q = 0; q < queries.size(); ++q) {
      auto hand = keys(by_hand[q]->run(tree.root(), text)[0]);
      auto query = keys(by_query[q]->run(tree.root(), text)[0]);
      INFO(label, ": query ", q, ": ", queries[q]->source());
      CHECK(hand == query);
      // And the query alone (the group's order is that of the roots; tree-sitter's may differ).
      auto alone = keys(c2py::syntax::run_query(*queries[q], tree.root(), text));
      std::sort(alone.begin(), alone.end());
      std::sort(hand.begin(), hand.end());
      CHECK(hand == alone);
      matches += query.size();
      if (has_error) broken_matches += query.size();
    }
  };
  // Shapes where the query's rules are subtle: both repeat patterns on one node, a repeated
  // `subscript:` field, anchors with comments, alternations, several matches at one root.
  static const char* const shapes[] = {
      "grid = [0] * [1]\nrow = [[0] * 3] * 4\nn = 3 * []\nm = [] * x\n",
      "a[1, 2]\nb = a[1:2, 3:4]\nc = a[x, 1:]\nd = a[0][1]\n",
      "xs = list(range(10))\nys = list(range(10), )\nzs = list(range(1) # c\n)\nws = list(# c\n range(2))\n",
      "vs = list(range(1), 2)\nus = list(x for x in range(3))\nts = list()\n",
      "try:\n    pass\nexcept MemoryError as e:\n    pass\nexcept (IndexError):\n    pass\nexcept IndexError, x:\n    pass\n",
      "try:\n    pass\nexcept* MemoryError:\n    pass\nexcept (MemoryError as e):\n    pass\n",
      "class A:\n    def __del__(self): pass\n    def __del__(self, x): pass\n    @d\n    def __del__(self): pass\n",
      "with open(a) as f, open(b) as g:\n    pass\nwith (open(a) as f, open(b)):\n    pass\n",
      "x = \ny = = 1\nz = (\nq = [1, 2\ndel\nw = None\ngc.collect(\nsys.getrefcount(x)\n",
      "s = ''\ns += 'a'\nt = s + 'b'\nu = ''.join(xs)\nv = f'{x}'\nw = v[1:]\nr = r + [1]\nr += [x for x in y]\n",
      "b = bytearray(8)\nc = array.array('i', [0] * 4)\nd = np.zeros(3)\ne = numpy.Array(3)\nf = np . zeros(3)\n",
      "xs.append(1)\nxs.extend([2])\nxs.insert(0, 3)\nxs.pop()\nobj.attr.append(1)\n",
      "x: list = []\ny = z = []\na, b = [], []\nc = (yield)\nd = lambda: 0\n",
  };
  for (size_t i = 0; i < std::size(shapes); ++i) {
    compare(shapes[i], "shape " + std::to_string(i));
    for (uint32_t seed = 0; seed < 8; ++seed)
      compare(mutilate(shapes[i], seed), "shape " + std::to_string(i) + " mutilated #" + std::to_string(seed));
  }
  for (size_t f = 0; f < files.size(); ++f) {
    std::string text = read_file(files[f]);
    compare(text, files[f].string());
    // Mutilated copies of one file in four (and of every example), or of all.
    if (all || f % 4 == 0 || files[f].parent_path().filename() == "examples")
      for (uint32_t seed = 0; seed < (all ? 8u : 3u); ++seed)
        compare(mutilate(text, static_cast<uint32_t>(f * 7 + seed)), files[f].string() + " mutilated #" + std::to_string(seed));
  }
  MESSAGE(trees, " trees (", broken, " with syntax errors), ", matches, " matches (", broken_matches, " in trees with errors)");
  CHECK(broken > 50);
  CHECK(matches > 1000);
  CHECK(broken_matches > 100);
}
