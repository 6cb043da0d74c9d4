// The project around a C file (issue 11): compile flags found as clangd finds them, same-project
// headers read for their macros and function summaries, and what that changes in the findings.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "check_harness.hpp"
#include "server/command_line.hpp"
#include "server/compile_db.hpp"
#include "server/project_files.hpp"
#include "server/settings.hpp"

using c2py::syntax::Language;
namespace fs = std::filesystem;
namespace server = c2py::server;
namespace analysis = c2py::analysis;

namespace {

// A fresh folder under the system's temporary folder, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("c2py-project-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::string write(const std::string& relative, const std::string& text) const {
    fs::path file = path / relative;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file.string();
  }
};

c2py::testing::Analyzed analyze_with(std::string code, const analysis::ProjectContext* project) {
  c2py::testing::Analyzed a;
  a.code = std::move(code);
  c2py::syntax::Parser parser(Language::C);
  a.tree = parser.parse(a.code);
  analysis::UnitCache cache;
  a.result = analysis::analyze(Language::C, a.tree, a.code, {}, cache, project);
  return a;
}

analysis::ProjectContext header(std::string text, std::vector<std::string> macros = {}) {
  analysis::ProjectContext context;
  context.macros = std::move(macros);
  if (!text.empty()) context.headers.push_back({"/p/lib.h", std::make_shared<const std::string>(std::move(text))});
  return context;
}

}  // namespace

TEST_CASE("compile flags: -I, -iquote, -D, -U, -include, joined or apart, relative to the entry's folder") {
  auto flags = server::flags_from_arguments(
      {"cc", "-Iinc", "-I", "/abs/x", "-iquote", "q", "-isystem", "/usr/sys", "-DA=1", "-D", "B", "-UC", "-include", "pre.h",
       "-c", "f.c"},
      "/proj");
  CHECK(flags.include_dirs == std::vector<std::string>{"/proj/inc", "/abs/x"});
  CHECK(flags.quote_dirs == std::vector<std::string>{"/proj/q"});
  CHECK(flags.macro_ops == std::vector<std::string>{"DA=1", "DB", "UC"});
  CHECK(flags.forced_includes == std::vector<std::string>{"/proj/pre.h"});
  CHECK(server::split_command(R"(cc -DMSG="\"hi there\"" 'a b' c\ d)") ==
        std::vector<std::string>{"cc", "-DMSG=\"hi there\"", "a b", "c d"});
  CHECK(server::resolve_macros({"DA=1", "DB", "UA", "DC(x)=x", "DB=2"}) == std::vector<std::string>{"B=2", "C(x)=x"});
}

TEST_CASE("compile_commands.json: the file's own entry, else the nearest file's") {
  std::string db = R"([
    {"directory": "/p", "file": "src/a.c", "arguments": ["cc", "-Iinclude", "-DA", "src/a.c"]},
    {"directory": "/p", "file": "/p/tools/t.c", "command": "cc -Itools/inc -DT tools/t.c"}])";
  auto a = server::flags_from_database(db, "/p/src/a.c");
  REQUIRE(a);
  CHECK(a->include_dirs == std::vector<std::string>{"/p/include"});
  auto header = server::flags_from_database(db, "/p/tools/t.h");
  REQUIRE(header);
  CHECK(header->macro_ops == std::vector<std::string>{"DT"});
  CHECK_FALSE(server::flags_from_database("{not json", "/p/a.c"));
}

TEST_CASE("project reader: compile_flags.txt above the file, quoted and -I includes, no system headers") {
  TempDir dir;
  dir.write("compile_flags.txt", "-Iinclude\n-DFROM_FLAGS=2\n");
  dir.write("include/lib.h", "#include \"detail.h\"\n#include <stdio.h>\nvoid show(const char *s);\n");
  dir.write("include/detail.h", "#include \"lib.h\"\n#define DETAIL 1\n");
  dir.write("src/local.h", "#define LOCAL 1\n");
  std::string file = dir.write("src/main.c", "#include \"local.h\"\n/* #include \"missing.h\" */\n#include <lib.h>\n");
  std::ifstream in(file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  server::ProjectReader reader;
  auto context = reader.context_for(file, text, {{}, {"USER=1"}});
  REQUIRE(context);
  CHECK(context->macros == std::vector<std::string>{"FROM_FLAGS=2", "USER=1"});
  std::vector<std::string> names;
  for (const auto& h : context->headers) names.push_back(fs::path(h.path).filename().string());
  // A header's own includes come before it; each header once; <stdio.h> is not the project's.
  CHECK(names == std::vector<std::string>{"local.h", "detail.h", "lib.h"});

  // An open document's text wins over the disk's.
  auto open = std::make_shared<const std::string>("#define LOCAL 2\n");
  std::string local = (dir.path / "src" / "local.h").lexically_normal().string();
  auto edited = reader.context_for(file, text, {}, [&](const std::string& path) {
    return path == local ? open : nullptr;
  });
  REQUIRE(edited);
  CHECK(*edited->headers.front().text == "#define LOCAL 2\n");
  CHECK(server::path_from_uri("file:///a%20b/c.c") == "/a b/c.c");
  CHECK(server::path_from_uri("untitled:x").empty());
}

TEST_CASE("headers: a prototype's const parameter borrows, so the leak is seen; unknown, it may keep the block") {
  std::string code =
      "#include <stdlib.h>\n#include \"lib.h\"\nvoid f(void) {\n  char *p = malloc(4);\n  if (!p) return;\n  show(p);\n}\n";
  CHECK(analyze_with(code, nullptr).with_code("memory-leak").empty());
  auto context = header("void show(const char *s);\n");
  CHECK(analyze_with(code, &context).with_code("memory-leak").size() == 1);
}

TEST_CASE("headers: noreturn prototypes, freeing bodies and macros; the build's -D macros") {
  std::string code = R"c(#include <stdlib.h>
#include "lib.h"
void a(int n) {
  char *p = malloc(4);
  if (!p) return;
  if (n) fatal("no");
  release(p);
}
void b(void) {
  char *q = malloc(4);
  if (!q) return;
  release(q);
  free(q);
}
void c(void) {
  char buf[8];
  char *r = MAKE(8);
  if (!r) return;
  FREE_IT(r);
  DROP(buf);
}
)c";
  auto plain = analyze_with(code, nullptr);
  CHECK(plain.with_code("double-free").empty());
  auto context = header(R"h(#ifndef LIB_H
#define LIB_H
void fatal(const char *why) __attribute__((noreturn));
static inline void release(void *p) { free(p); }
#define MAKE(n) malloc(n)
#endif
)h",
                        {"FREE_IT(x)=free(x)", "DROP(x)=free(x)"});
  auto a = analyze_with(code, &context);
  CHECK(a.with_code("memory-leak").empty());   // fatal() never returns; release() frees
  CHECK(a.with_code("double-free").size() == 1);  // release(q) then free(q)
  CHECK(a.with_code("free-non-heap").size() == 1);  // DROP(buf) frees a stack array
}

TEST_CASE("headers: macros defined empty there are noise to skip in a file that does not parse") {
  std::string code = R"c(#include <stdlib.h>
#include "lib.h"
EXPORT_API void f(void) MY_ATTR(1) {
  char *p = malloc(4);
  if (!p) return;
}
)c";
  CHECK(analyze_with(code, nullptr).with_code("memory-leak").empty());  // unparsed: skipped
  auto context = header("#define EXPORT_API\n#define MY_ATTR(n) __attribute__((aligned(n)))\n");
  CHECK(analyze_with(code, &context).with_code("memory-leak").size() == 1);
}

TEST_CASE("--check -I DIR, -IDIR, -D NAME[=V]; the c.macros and c.includePaths settings") {
  auto line = server::parse_command_line({"--check", "-I", "inc", "-Ilib", "-DDEBUG", "-D", "N=3", "a.c"});
  CHECK(line.mode == server::CommandLine::Mode::Check);
  CHECK(line.check.project.include_dirs == std::vector<std::string>{"inc", "lib"});
  CHECK(line.check.project.macros == std::vector<std::string>{"DEBUG", "N=3"});
  CHECK(line.check.paths == std::vector<std::string>{"a.c"});
  CHECK(server::parse_command_line({"--check", "a.c", "-I"}).mode == server::CommandLine::Mode::Usage);

  std::vector<std::string> problems;
  auto settings = server::parse_settings(
      nlohmann::json::parse(R"({"c": {"macros": ["UNUSED(x)=", "N=4"], "includePaths": ["include"]}})"), problems);
  CHECK(problems.empty());
  CHECK(settings.c_macros == std::vector<std::string>{"UNUSED(x)=", "N=4"});
  CHECK(settings.c_include_paths == std::vector<std::string>{"include"});
  settings = server::parse_settings(nlohmann::json::parse(R"({"c": {"macros": "N=4", "defines": []}})"), problems);
  CHECK(settings.c_macros.empty());
  CHECK(problems.size() == 2);
}

TEST_CASE("a file's own qualifier macros (`#define CONST const`) are noise to skip when it does not parse") {
  std::string code = "#include <stdlib.h>\n#define CONST const\nint f(CONST char *s)\n{\n  CONST char *t = s;\n"
                     "  char *p = malloc(4);\n  if (!p) return 0;\n  return t[0];\n}\n";
  CHECK(analyze_with(code, nullptr).with_code("memory-leak").size() == 1);
}

TEST_CASE("headers: a header's functions analysed in one include chain serve another only when what they read agrees") {
  // The same header text after different build macros, one memo for the run (as --check shares
  // it): make() allocates only when LIMIT > 4, so the caller leaks only under -DLIMIT=8.
  std::string code = "#include <stdlib.h>\n#include \"lib.h\"\nvoid g(void) {\n  char *p = make();\n  if (!p) return;\n}\n";
  auto text = std::make_shared<const std::string>(
      "#include <stdlib.h>\nstatic char *make(void) {\n  if (LIMIT > 4) return malloc(8);\n  return 0;\n}\n");
  auto memo = std::make_shared<analysis::c::project::ImportCache>();
  auto context = [&](std::string limit, std::string unread = "0") {
    analysis::ProjectContext c;
    c.macros = {"LIMIT=" + limit, "UNREAD=" + unread};
    c.headers.push_back({"/p/lib.h", text});
    c.memo = memo;
    return c;
  };
  // `other` differs from `big` only in a macro make() does not read: its analysis is shared.
  auto big = context("8"), small = context("2"), other = context("8", "1");
  CHECK(analyze_with(code, &big).with_code("memory-leak").size() == 1);
  CHECK(analyze_with(code, &small).with_code("memory-leak").empty());
  CHECK(analyze_with(code, &other).with_code("memory-leak").size() == 1);
  CHECK(analyze_with(code, &small).with_code("memory-leak").empty());
}
