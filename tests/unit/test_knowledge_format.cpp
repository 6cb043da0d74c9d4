#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "knowledge/knowledge.hpp"
#include "server/feature.hpp"

using namespace c2py::knowledge;

TEST_CASE("every embedded knowledge file parses") {
  // Base::embedded() skips malformed files; re-parse to see their errors.
  auto base = Base::embedded();
  CHECK(base.entries().size() >= 3);
  for (const auto& entry : base.entries()) {
    CAPTURE(entry.origin);
    CHECK_FALSE(entry.title.empty());
    CHECK_FALSE(entry.lesson_points.empty());
  }
  std::vector<std::string> errors;
  Base from_disk;
  from_disk.load_folder(std::string(C2PY_SOURCE_DIR) + "/knowledge", errors);
  for (const auto& error : errors) FAIL_CHECK(error);
  CHECK(from_disk.entries().size() == base.entries().size());
}

TEST_CASE("templates fill the user's names and keep C braces") {
  auto lookup = [](std::string_view name) -> const std::string* {
    static const std::string arr = "arr";
    return name == "var" ? &arr : nullptr;
  };
  CHECK(fill("if (!{var}) { return; }", lookup) == "if (!arr) { return; }");
  CHECK(fill("{unknown} {var}", lookup) == "{unknown} arr");
}

TEST_CASE("a malformed file is reported with its name and the rest still load") {
  auto dir = std::filesystem::temp_directory_path() / "c2py-knowledge-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "good.md") << "---\ntitle: Good\nlessonPoints: MM01\n---\nbody\n";
  std::ofstream(dir / "bad.md") << "no front matter\n";
  std::ofstream(dir / "badpoint.md") << "---\ntitle: X\nlessonPoints: M1\n---\n";
  std::ofstream(dir / "unknown.md") << "---\ntitle: X\nlessonPoints: MM02\ncolour: red\n---\n";
  Base base;
  std::vector<std::string> errors;
  base.load_folder(dir.string(), errors);
  CHECK(base.find("good") != nullptr);
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].find("bad.md") != std::string::npos);
  CHECK(errors[1].find("MM01") != std::string::npos);
  CHECK(errors[2].find("colour") != std::string::npos);
  base.load_folder((dir / "missing").string(), errors);
  CHECK(errors.size() == 4);
  std::filesystem::remove_all(dir);
}

TEST_CASE("claim checks stay in the file, out of the body a reader sees; message templates per variant") {
  auto parsed = parse_entry(
      "---\ntitle: T\nlessonPoints: MM01\nsample: var=x\nmessage: `{var}` one\nmessage[local]: `{var}` two\n---\n"
      "## What it is\nText.\n\n```python check\nassert 1 + 1 == 2\n```\n\nAfter.\n```c\nint x;\n```\n",
      "t.md", "t");
  REQUIRE(parsed.entries.size() == 1);
  const auto& entry = parsed.entries[0];
  CHECK(entry.body.find("assert") == std::string::npos);
  CHECK(entry.body.find("After.") != std::string::npos);
  CHECK(entry.body.find("```c\nint x;") != std::string::npos);
  REQUIRE(entry.message("") != nullptr);
  CHECK(*entry.message("") == "`{var}` one");
  CHECK(*entry.message("local") == "`{var}` two");
  CHECK(*entry.message("other") == "`{var}` one");
}

TEST_CASE("phrases fill a sentence's varying parts, related messages by kind, both from the bindings") {
  auto parsed = parse_entry(
      "---\ntitle: T\nlessonPoints: MM01\nmessage: `{var}` is {@how}{@path}.\nphrase[used]: used\n"
      "phrase[passed]: passed to `{callee}`\nphrase[none]: \"\"\nphrase[after]: \" after `if ({cond})`\"\n"
      "related[freed]: freed on line {line}\nfix: Free `{var}`\n---\nBody.\n",
      "t.md", "t");
  REQUIRE(parsed.error.empty());
  REQUIRE(parsed.entries.size() == 1);
  CHECK(*parsed.entries[0].phrase("none") == "");
  CHECK(*parsed.entries[0].phrase("after") == " after `if ({cond})`");
  CHECK(parsed.entries[0].phrase("other") == nullptr);
  Base base;
  base.add(parsed.entries[0]);
  c2py::analysis::Finding f;
  f.idiom = "t";
  f.diagnostic = c2py::analysis::Diagnostic{};
  f.diagnostic->related.push_back({{0, 1}, "", "freed"});
  f.diagnostic->related.push_back({{0, 1}, "its own text", ""});
  f.diagnostic->fixes.push_back({"", c2py::analysis::FixSafety::Safe, {}});
  f.bindings.set("var", "p");
  f.bindings.set("how", "passed");
  f.bindings.set("callee", "g");
  f.bindings.set("path", "after");
  f.bindings.set("cond", "{n}");  // a value is not filled again
  f.bindings.set("line", "7");
  CHECK(c2py::server::diagnostic_message(base, f) == "`p` is passed to `g` after `if ({n})`.");
  CHECK(c2py::server::related_message(base, f, f.diagnostic->related[0]) == "freed on line 7");
  CHECK(c2py::server::related_message(base, f, f.diagnostic->related[1]) == "its own text");
  CHECK(c2py::server::fix_text(base, f, 0) == "Free `p`");
  c2py::analysis::Finding g = f;
  g.bindings = {};
  g.bindings.set("var", "q");
  g.bindings.set("how", "used");
  g.bindings.set("path", "none");
  CHECK(c2py::server::diagnostic_message(base, g) == "`q` is used.");
  g.bindings.set("how", "unknown");  // no such phrase: left as written, as an unknown name is
  CHECK(c2py::server::diagnostic_message(base, g) == "`q` is {@how}.");
}

TEST_CASE("a code template's own names give way to the user's") {
  auto lookup = [](std::string_view name) -> const std::string* {
    static const std::string n = "n", count = "10";
    return name == "var" ? &n : name == "count" ? &count : nullptr;
  };
  // `n` is the template's own name and the user's variable: the template's becomes `n2`.
  CHECK(fill_code("{var} = malloc(n * sizeof *{var});", lookup) == "n = malloc(n2 * sizeof *n);");
  // Reserved words and members after `.`/`->` are never renamed.
  CHECK(fill_code("int *{var} = malloc({count} * sizeof *{var}); s->n = 1;", lookup) ==
        "int *n = malloc(10 * sizeof *n); s->n = 1;");
}
