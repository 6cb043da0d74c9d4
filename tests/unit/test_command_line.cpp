// The command line (server/command_line.*), the .gitignore rules and file URIs of --check
// (server/check_files.*): pure functions, checked without starting a process.
#include <doctest/doctest.h>

#include "server/check_files.hpp"
#include "server/command_line.hpp"

using c2py::server::CommandLine;
using c2py::server::IgnoreRules;
using c2py::server::OutputFormat;
using c2py::server::parse_command_line;

TEST_CASE("options take --opt value, --opt=value and -jN") {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--check", "--output-format", "sarif", "--jobs", "3", "--fail-on", "hint", "a.c"},
           {"--check", "--output-format=sarif", "--jobs=3", "--fail-on=hint", "a.c"},
           {"--check", "-j3", "--output-format=sarif", "--fail-on", "hint", "a.c"},
           {"--check", "-j", "3", "--output-format=sarif", "--fail-on=hint", "--", "a.c"}}) {
    auto line = parse_command_line(args);
    CHECK(line.mode == CommandLine::Mode::Check);
    CHECK(line.check.format == OutputFormat::Sarif);
    CHECK(line.check.jobs == 3);
    CHECK(line.check.fail_on == 4);
    CHECK(line.check.paths == std::vector<std::string>{"a.c"});
  }
  CHECK(parse_command_line({"--check", "--python-version=3.13", "x.py"}).check.python_version == "3.13");
  CHECK(parse_command_line({"--check", "--json", "x.py"}).check.format == OutputFormat::Json);
  CHECK(parse_command_line({"--check", "--", "--odd-name.c"}).check.paths == std::vector<std::string>{"--odd-name.c"});
  CHECK(parse_command_line({}).mode == CommandLine::Mode::Serve);
  CHECK(parse_command_line({"--stdio", "--log-level=debug"}).mode == CommandLine::Mode::Serve);
}

TEST_CASE("bad usage is reported, with what is wrong") {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--check"},
                                                                {"a.c"},
                                                                {"--check", "--jobs=0", "a.c"},
                                                                {"--check", "--fail-on", "often", "a.c"},
                                                                {"--check", "--json=1", "a.c"},
                                                                {"--check", "a.c", "--python-version"},
                                                                {"--frob"}}) {
    auto line = parse_command_line(args);
    CHECK(line.mode == CommandLine::Mode::Usage);
    CHECK(!line.error.empty());
  }
}

TEST_CASE("gitignore rules: names anywhere, anchored paths, folders only, negation") {
  IgnoreRules rules;
  for (const char* pattern : {"# a comment", "*.gen.c", "/build", "docs/*.py", "out/", "!keep.gen.c", "deep/**/x.c"})
    rules.add_pattern(pattern, "/r");
  CHECK(rules.ignored("/r/a.gen.c", false));
  CHECK(rules.ignored("/r/sub/b.gen.c", false));
  CHECK_FALSE(rules.ignored("/r/sub/keep.gen.c", false));
  CHECK(rules.ignored("/r/build", true));
  CHECK_FALSE(rules.ignored("/r/sub/build", true));  // anchored to /r
  CHECK(rules.ignored("/r/docs/a.py", false));
  CHECK_FALSE(rules.ignored("/r/docs/sub/a.py", false));  // `*` stays within a folder
  CHECK(rules.ignored("/r/sub/out", true));
  CHECK_FALSE(rules.ignored("/r/sub/out", false));  // `out/` names folders only
  CHECK(rules.ignored("/r/deep/a/b/x.c", false));
  CHECK_FALSE(rules.ignored("/elsewhere/a.gen.c", false));  // outside the .gitignore's folder
}

TEST_CASE("file URIs are absolute and percent-encoded") {
  CHECK(c2py::server::file_uri("/tmp/my dir/ä.c") == "file:///tmp/my%20dir/%C3%A4.c");
  CHECK(c2py::server::file_uri("/a/./b/../c.py") == "file:///a/c.py");
  auto relative = c2py::server::file_uri("x.c");
  CHECK(relative.rfind("file:///", 0) == 0);
  CHECK(relative.size() > std::string("file:///x.c").size());
}
