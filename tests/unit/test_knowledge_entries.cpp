// The knowledge entries of the memory-management lesson (issue 3): shaped like a lint rule's
// documentation, one per idiom the checks report, and every template filled by the findings on
// the examples (no `{placeholder}` reaches a hover).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "check_harness.hpp"
#include "knowledge/knowledge.hpp"
#include "server/feature.hpp"

using c2py::syntax::Language;

namespace {

const c2py::knowledge::Base& base() {
  static const auto knowledge = c2py::knowledge::Base::embedded();
  return knowledge;
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<c2py::testing::Analyzed> analyzed_examples() {
  std::vector<c2py::testing::Analyzed> out;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(C2PY_SOURCE_DIR) + "/examples")) {
    auto language = c2py::syntax::language_from_path(entry.path().string());
    if (!language) continue;
    out.push_back(c2py::testing::analyze(*language, read(entry.path())));
  }
  return out;
}

}  // namespace

TEST_CASE("every lesson point MM01-MM19 has at least one entry") {
  std::set<std::string> points;
  for (const auto& e : base().entries()) points.insert(e.lesson_points.begin(), e.lesson_points.end());
  for (int n = 1; n <= 19; ++n) {
    std::string id = n < 10 ? "MM0" + std::to_string(n) : "MM" + std::to_string(n);
    CAPTURE(id);
    CHECK(points.count(id) == 1);
  }
}

TEST_CASE("the diagnostic codes of the idioms are documented by an entry") {
  for (std::string_view code : {"aliased-rows", "str-concat-in-loop", "manual-free", "finalizer-cleanup", "list-copy-append",
                                "numeric-list", "preallocated-fill", "out-of-bounds", "dangling-pointer"}) {
    CAPTURE(code);
    const auto* entry = base().find_by_code(code);
    REQUIRE(entry != nullptr);
    CHECK(entry->id == code);
  }
}

TEST_CASE("the idiom entries read like a lint rule's documentation") {
  // The entries of this lesson's idioms: every section, a link, both languages' templates.
  const std::regex section_list("## What it is[\\s\\S]*## The C way[\\s\\S]*```c[\\s\\S]*## The Python way[\\s\\S]*```python"
                                "[\\s\\S]*## Why they differ[\\s\\S]*## Pitfalls[\\s\\S]*## References[\\s\\S]*Python:[\\s\\S]*C:");
  for (const char* id : {"calloc", "free", "null-after-free", "dangling-pointer", "strdup", "string-copy", "memcpy-memset",
                         "stack-variable", "stack-array", "out-of-bounds", "null-check", "sizeof-arithmetic", "linked-node",
                         "indexing", "list-display", "list-repeat", "aliased-rows", "preallocated-fill", "numeric-list",
                         "str-concat", "str-concat-in-loop", "str-join", "f-string", "slice-copy", "del-statement",
                         "rebind-none", "manual-free", "locals-freed-at-return", "return-object", "aliasing",
                         "container-references", "gc-module", "array-module", "numpy-array", "bytes-bytearray",
                         "with-statement", "finalizer-cleanup", "list-copy-append", "memory-error", "index-error"}) {
    CAPTURE(id);
    const auto* entry = base().find(id);
    REQUIRE(entry != nullptr);
    CHECK(std::regex_search(entry->body, section_list));
    CHECK_FALSE(entry->summary.empty());
    CHECK(entry->link.rfind("https://", 0) == 0);
    CHECK(entry->c_template("") != nullptr);
    CHECK(entry->python_template("") != nullptr);
    CHECK_FALSE(entry->why.empty());
  }
}

TEST_CASE("every finding on the examples has an entry, and its hover is filled, short and fenced") {
  const std::regex placeholder("\\{[a-z_]+\\}");
  std::set<std::string> idioms;
  for (const auto& a : analyzed_examples()) {
    for (const auto& finding : a.result.findings) {
      CAPTURE(finding.idiom);
      idioms.insert(finding.idiom);
      REQUIRE(base().find(finding.idiom) != nullptr);
      auto hover = c2py::server::render_hover(base(), finding);
      CHECK_FALSE(std::regex_search(hover, placeholder));
      size_t lines = static_cast<size_t>(std::count(hover.begin(), hover.end(), '\n'));
      CHECK(lines <= 24);
      CHECK(hover.find("```\n```") == std::string::npos);
    }
  }
  CHECK(idioms.size() >= 40);
}

TEST_CASE("hovers use the user's identifiers") {
  auto a = c2py::testing::analyze(Language::Python, "def load(rows):\n    table = [[0] * 8] * rows\n    table[0][0] = 1\n    return table\n");
  auto found = a.with_code("aliased-rows");
  REQUIRE(found.size() == 1);
  auto hover = c2py::server::render_hover(base(), *found[0]);
  CHECK(hover.find("table = [[0] * 8 for _ in range(rows)]") != std::string::npos);
  CHECK(hover.find("lesson MM17 MM16") != std::string::npos);
}
