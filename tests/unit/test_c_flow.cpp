// The C memory dataflow (analyzers/c/flow): annotated inputs where [[ranges]] must be flagged
// with the code under test and look-alikes must not be.
#include <doctest/doctest.h>

#include <string>

#include "annotations.hpp"
#include "check_harness.hpp"

using c2py::syntax::Language;
using c2py::testing::analyze;
using c2py::testing::Annotations;

namespace {

void expect_ranges(const char* code_name, const char* marked) {
  Annotations code(marked);
  auto a = analyze(Language::C, code.code());
  auto texts = [&](const std::vector<c2py::syntax::ByteRange>& ranges) {
    std::string out;
    for (const auto& r : ranges) out += "[" + code.code().substr(r.begin, r.end - r.begin) + "] ";
    return out;
  };
  INFO("found:    ", texts(a.diagnostic_ranges(code_name)));
  INFO("expected: ", texts(code.ranges()));
  CHECK(a.diagnostic_ranges(code_name) == code.ranges());
}

}  // namespace

TEST_CASE("memory-leak: early return, overwrite, freed container; not returned or stored") {
  expect_ranges("memory-leak", R"c(
#include <stdlib.h>
struct s { char *name; };
int early(int n) {
  char *buf = malloc(8);
  if (!buf) return -1;
  if (n < 0)
    [[return -2;]]
  free(buf);
  return 0;
}
void overwrite(void) {
  char *p = malloc(1);
  if (!p) return;
  [[p = malloc(2);]]
  free(p);
}
void container(void) {
  struct s *x = malloc(sizeof *x);
  if (!x) return;
  x->name = malloc(4);
  [[free(x);]]
}
char *returned(void) { char *p = malloc(3); return p; }
void stored(struct s *out) { char *p = malloc(3); if (!p) return; out->name = p; }
int cleanup(int n) {
  char *a = NULL, *b = NULL;
  int rc = -1;
  a = malloc(1);
  if (!a) goto out;
  b = malloc(1);
  if (!b || n) goto out;
  rc = 0;
out:
  free(a);
  free(b);
  return rc;
}
void correlated(int k) { char *p = 0; if (k) p = malloc(1); if (k) free(p); }
void dies(void) { char *p = malloc(1); if (!p) return; exit(1); }
)c");
}

TEST_CASE("memory-leak message names the variable, the allocation line and the path, with a safe fix") {
  std::string code =
      "#include <stdlib.h>\nint f(int n) {\n  char *buf = malloc(8);\n  if (!buf) return -1;\n"
      "  if (n < 0) {\n    return -2;\n  }\n  free(buf);\n  return 0;\n}\n";
  auto a = analyze(Language::C, code);
  auto leaks = a.with_code("memory-leak");
  REQUIRE(leaks.size() == 1);
  const auto& d = *leaks[0]->diagnostic;
  CHECK(c2py::testing::message(*leaks[0]) ==
        "`buf`, allocated on line 3, is never freed when the function returns on line 6 after `if (n < 0)`. "
        "Python would free it when the last reference goes away.");
  REQUIRE(d.related.size() == 1);
  CHECK(code.substr(d.related[0].range.begin, 9) == "malloc(8)");
  CHECK(c2py::testing::related_message(*leaks[0], 0) == "the block is allocated here");
  REQUIRE(d.fixes.size() == 1);
  CHECK(c2py::testing::fix_title(*leaks[0], 0) == "Free `buf` before this return");
  CHECK(d.fixes[0].safety == c2py::analysis::FixSafety::Safe);
  std::string fixed = code;
  const auto& edit = d.fixes[0].edits.at(0);
  fixed.replace(edit.range.begin, edit.range.end - edit.range.begin, edit.new_text);
  CHECK(fixed.find("free(buf);\n    return -2;") != std::string::npos);
  auto again = analyze(Language::C, fixed);
  CHECK(again.with_code("memory-leak").empty());
}

TEST_CASE("double-free: alias, struct copy, wrapper; not after reset or reassignment") {
  expect_ranges("double-free", R"c(
#include <stdlib.h>
struct b { char *data; };
static void release(char *p) { free(p); }
void alias(void) { char *p = malloc(1); char *q = p; free(p); [[free(q)]]; }
void copy(void) { struct b x; x.data = malloc(1); struct b y = x; free(x.data); [[free(y.data)]]; }
void wrapped(void) { char *p = malloc(1); release(p); [[free(p)]]; }
void reset(void) { char *p = malloc(1); free(p); p = NULL; free(p); }
void again(void) { char *p = malloc(1); free(p); p = malloc(2); free(p); }
void flag(int k) { char *p = malloc(1); int done = 0; if (k) { free(p); done = 1; } if (!done) free(p); }
)c");
}

TEST_CASE("use-after-free: read, write, passed on, after a long loop, through a wrapper; not after reassignment") {
  expect_ranges("use-after-free", R"c(
#include <stdlib.h>
#include <stdio.h>
struct n { struct n *next; int v; };
static void destroy(struct n *x) { free(x); }
int read(void) { int *p = malloc(4); if (!p) return 0; free(p); return [[*p]]; }
void write(void) { char *s = malloc(4); if (!s) return; free(s); [[*s]] = 0; }
void passed(void) { char *s = malloc(4); if (!s) return; free(s); [[puts(s)]]; }
int loop(void) {
  int *p = malloc(40);
  if (!p) return 0;
  free(p);
  int t = 0;
  for (int i = 0; i < 100; i++) t += i;
  return t + [[*p]];
}
int wrapper(void) { struct n *x = malloc(sizeof *x); if (!x) return 0; destroy(x); return [[x->v]]; }
void list(struct n *head) { while (head) { struct n *next = head->next; free(head); head = next; } }
void fresh(void) { char *s = malloc(4); if (!s) return; free(s); s = malloc(4); if (!s) return; s[0] = 0; free(s); }
void compare(void) { char *s = malloc(4); free(s); if (s == NULL) return; }
)c");
}

TEST_CASE("unchecked-alloc: index, member, memset, wrapper result; not after any form of check") {
  expect_ranges("unchecked-alloc", R"c(
#include <assert.h>
#include <stdlib.h>
#include <string.h>
struct pt { int x; };
static struct pt *make(void) { struct pt *p = malloc(sizeof *p); if (!p) return NULL; p->x = 0; return p; }
void index(void) { int *v = malloc(8); [[*v]] = 1; v[1] = 2; free(v); }
void member(void) { struct pt *p = malloc(sizeof *p); [[p->x]] = 1; free(p); }
void set(int n) { char *b = malloc(n); [[memset(b, 0, n)]]; free(b); }
int wrapped(void) { struct pt *p = make(); int x = [[p->x]]; free(p); return x; }
void checked(void) { int *v = malloc(8); if (!v) return; v[0] = 1; free(v); }
void eq(void) { int *v = malloc(8); if (v == NULL) return; v[0] = 1; free(v); }
void inside(void) { int *v = malloc(8); if (v) { v[0] = 1; free(v); } }
void asserted(void) { int *v = malloc(8); assert(v); v[0] = 1; free(v); }
void assigned(void) { int *v; if ((v = malloc(8)) == NULL) return; v[0] = 1; free(v); }
void both(void) { char *a = malloc(1), *b = malloc(1); if (!a || !b) { free(a); free(b); return; } a[0] = b[0] = 0; free(a); free(b); }
void never(void) { char *b = malloc(1); free(b); }
)c");
}

TEST_CASE("unchecked-alloc offers an unsafe early return fitting the return type") {
  auto a = analyze(Language::C, "#include <stdlib.h>\nchar *f(void) {\n  char *p = malloc(4);\n  p[0] = 0;\n  return p;\n}\n");
  auto found = a.with_code("unchecked-alloc");
  REQUIRE(found.size() == 1);
  REQUIRE(found[0]->diagnostic->fixes.size() == 1);
  CHECK(found[0]->diagnostic->fixes[0].safety == c2py::analysis::FixSafety::Unsafe);
  CHECK(found[0]->diagnostic->fixes[0].edits[0].new_text.find("return NULL;") != std::string::npos);
}

TEST_CASE("free-non-heap: stack array, literal, &local, interior pointer; not the block's start") {
  expect_ranges("free-non-heap", R"c(
#include <stdlib.h>
void arr(void) { char b[8]; [[free(b)]]; }
void lit(void) { char *s = "x"; [[free(s)]]; }
void addr(void) { int x; [[free(&x)]]; }
void inner(void) { char *p = malloc(8); if (!p) return; p++; [[free(p)]]; }
void start(void) { char *p = malloc(8); if (!p) return; char *c = p; c++; *c = 0; free(p); }
void choose(int big) { char small[8]; char *p = small; if (big) { p = malloc(64); if (!p) return; } if (p != small) free(p); }
void param(char *owned) { free(owned); }
)c");
}

TEST_CASE("realloc: the dataflow reports a failed `p = realloc(p, n)` once, as realloc-leak") {
  auto a = analyze(Language::C, "#include <stdlib.h>\nint f(void) {\n  char *p = malloc(4);\n  if (!p) return -1;\n"
                                "  p = realloc(p, 8);\n  if (!p) return -1;\n  free(p);\n  return 0;\n}\n");
  CHECK(a.with_code("realloc-leak").size() == 1);
  CHECK(a.with_code("memory-leak").empty());
  auto tmp = analyze(Language::C, "#include <stdlib.h>\nint f(void) {\n  char *p = malloc(4);\n  if (!p) return -1;\n"
                                  "  char *t = realloc(p, 8);\n  if (!t) return -1;\n  free(t);\n  return 0;\n}\n");
  CHECK(tmp.with_code("memory-leak").size() == 1);  // the old block leaks when realloc fails
  CHECK(tmp.with_code("realloc-leak").empty());
}

TEST_CASE("absurd nesting gives up quietly instead of recursing") {
  std::string code = "#include <stdlib.h>\nvoid f(int n) {\n  char *p = malloc(1);\n";
  for (int i = 0; i < 100000; ++i) code += "{";
  for (int i = 0; i < 100000; ++i) code += "}";
  code += "\n}\nvoid g(void) { char *q = malloc(1); if (!q) return; q = 0; }\nvoid h(int n) { int x = ";
  for (int i = 0; i < 100000; ++i) code += "(";
  code += "n";
  for (int i = 0; i < 100000; ++i) code += ")";
  code += "; char *r = malloc(1); (void)x; }\n";
  auto a = analyze(Language::C, code);
  auto leaks = a.with_code("memory-leak");
  REQUIRE(leaks.size() == 1);  // g's, found; f and h given up on
  CHECK(c2py::testing::message(*leaks[0]).find("`q`") == 0);
}

TEST_CASE("findings follow a function that moved, with line numbers rendered again") {
  std::string body = "void f(void) {\n  char *p = malloc(1);\n  if (!p) return;\n}\n";
  auto first = analyze(Language::C, "#include <stdlib.h>\n" + body);
  auto moved = analyze(Language::C, "#include <stdlib.h>\n\n\n" + body);
  REQUIRE(first.with_code("memory-leak").size() == 1);
  REQUIRE(moved.with_code("memory-leak").size() == 1);
  CHECK(c2py::testing::message(*first.with_code("memory-leak")[0]) ==
        "`p`, allocated on line 3, is never freed when the function ends on line 5. "
        "Python would free it when the last reference goes away.");
  CHECK(c2py::testing::message(*moved.with_code("memory-leak")[0]) ==
        "`p`, allocated on line 5, is never freed when the function ends on line 7. "
        "Python would free it when the last reference goes away.");
}

TEST_CASE("a function-like macro with an empty body does not crash the macro summaries") {
  auto a = analyze(Language::C, "#define F(x)\n#define G(x) \\\n\n#include <stdlib.h>\n"
                                "void f(void) { char *p = malloc(1); if (!p) return; F(0); }\n");
  CHECK(a.with_code("memory-leak").size() == 1);
}

TEST_CASE("functions inside every branch of a preprocessor conditional are analysed") {
  expect_ranges("double-free", R"c(
#ifndef GUARD_H
#define GUARD_H
#include <stdlib.h>
#ifndef OMITBAD
void bad(void) { char *p = malloc(1); free(p); [[free(p)]]; }
#endif
#ifdef _WIN32
void win(void) { char *p = malloc(1); free(p); [[free(p)]]; }
#elif defined(__linux__)
void lin(void) { char *p = malloc(1); free(p); [[free(p)]]; }
#else
void other(void) { char *p = malloc(1); free(p); [[free(p)]]; }
#endif
#if 0
#elif X
void good(void) { char *p = malloc(1); free(p); p = NULL; free(p); }
#endif
#endif
)c");
}

TEST_CASE("realloc-leak: not when the old pointer is kept, realloc(p, 0) frees, or the program stops") {
  expect_ranges("realloc-leak", R"c(
#include <stdlib.h>
void die(const char *why);
static void oom(void) { abort(); }
__attribute__((noreturn)) void bail(int code);
int trap(char *p) { [[p = realloc(p, 8)]]; return p != 0; }
int kept(char *p) { char *old = p; p = realloc(p, 8); if (!p) { free(old); return -1; } free(p); return 0; }
void zero(char *p) { p = realloc(p, 0); }
char *stops(char *p) { p = realloc(p, 8); if (!p) abort(); return p; }
char *helper(char *p) { p = realloc(p, 8); if (p == NULL) { oom(); } return p; }
char *declared(char *p) { p = realloc(p, 8); if (!p) bail(1); return p; }
char *named(char *p) { p = realloc(p, 8); if (!p) die("realloc"); return p; }
char *returns(char *p) { [[p = realloc(p, 8)]]; if (!p) return NULL; return p; }
)c");
}

TEST_CASE("never-returning functions end the path: attributes, bodies, the usual names") {
  expect_ranges("unchecked-alloc", R"c(
#include <stdlib.h>
#include <string.h>
_Noreturn void fail(void);
void fatal(const char *fmt, ...);
static void quit(void) { exit(1); }
void *xalloc(size_t n) { void *p = malloc(n); if (p == NULL) fatal("out of memory"); return p; }
void a(void) { char *p = malloc(4); if (!p) fail(); p[0] = 0; free(p); }
void b(void) { char *p = malloc(4); if (!p) quit(); p[0] = 0; free(p); }
void c(void) { char *p = xalloc(4); p[0] = 0; free(p); }
void d(void) { char *p = malloc(4); [[*p]] = 0; free(p); }
)c");
}

TEST_CASE("free-non-heap: static arrays and alloca") {
  expect_ranges("free-non-heap", R"c(
#include <stdlib.h>
#include <alloca.h>
void s(void) { static int buf[4]; int *p = buf; [[free(p)]]; }
void a(void) { char *p = alloca(16); [[free(p)]]; }
)c");
}

TEST_CASE("#if groups in a body: each condition holds or not along the whole path") {
  expect_ranges("memory-leak", R"c(
#include <stdlib.h>
void f(void) {
  char *p = NULL;
#ifdef DEBUG
  p = malloc(4);
#endif
  if (!p) return;
#ifdef DEBUG
  free(p);
#endif
}
void g(void) {
  char *p = malloc(4);
  if (!p) return;
#if 0
  free(p);
#else
  p[0] = 1;
#endif
[[}]]
)c");
}

TEST_CASE("known constants decide branches: #define, static const, switch, counted loops") {
  expect_ranges("memory-leak", R"c(
#include <stdlib.h>
#define ON 1
static const int OFF = 0;
static int five = 5;
void a(void) { char *p = malloc(4); if (!p) return; if (ON) free(p); }
void b(void) { char *p = malloc(4); if (!p) return; if (OFF) return; free(p); }
void c(void) { char *p = malloc(4); if (!p) return; if (five == 5) free(p); }
void d(void) { char *p = malloc(4); if (!p) return; switch (7) { case 7: free(p); break; default: break; } }
void e(void) { int i; char *p = NULL; for (i = 0; i < 1; i++) { p = malloc(4); if (!p) return; } for (i = 0; i < 1; i++) free(p); }
void f(int n) { char *p = malloc(4); if (!p) return; if (n) free(p); [[}]]
)c");
}

TEST_CASE("macro noise: attribute-like macros and foreach loops do not hide a function") {
  auto a = analyze(Language::C, R"c(
#include <stdlib.h>
struct item { struct item *next; };
static void f(__unused int fd, __unused short events, void *arg) {
  char *p = malloc(4);
  if (!p) return;
  (void)arg;
}
static void g(struct item *list) {
  struct item *it;
  char *p = malloc(4);
  if (!p) return;
  LIST_FOREACH(it, list, next) {
    free(it);
  }
  free(p);
}
static void h(struct item *list) {
  struct item *it;
  char *p = malloc(4);
  if (!p) return;
  LIST_FOREACH(it, list, next) {
    free(p);
  }
}
)c");
  REQUIRE(a.with_code("memory-leak").size() == 2);  // f's, and h's when the loop runs zero times
  // Each turn the macro gives `it` a new element: freeing each is no double free; freeing `p`
  // on each turn is one.
  REQUIRE(a.with_code("double-free").size() == 1);
  CHECK(c2py::testing::message(*a.with_code("double-free")[0]).find("`p`") == 0);
}

TEST_CASE("a helper of the file that frees the members of its argument") {
  expect_ranges("memory-leak", R"c(
#include <stdlib.h>
struct buf { char *data; };
static void release(struct buf *b) { free(b->data); }
static void look(struct buf *b) { (void)b; }
void by_address(void) { struct buf b; b.data = malloc(4); if (!b.data) return; release(&b); }
void by_pointer(void) {
  struct buf *b = malloc(sizeof *b);
  if (!b) return;
  b->data = malloc(4);
  release(b);
  free(b);
}
void fresh(void) { char *p = malloc(4); if (!p) return; struct buf b; b.data = NULL; look(&b); [[}]]
)c");
}

TEST_CASE("macro noise: statement macros alone on a line, va_arg with a type, but not jumping macros") {
  auto a = analyze(Language::C, R"c(
#include <stdlib.h>
#include <stdarg.h>
#define STOP break;
void f(int n, ...) {
  va_list ap;
  va_start(ap, n);
  char *s = va_arg(ap, char *);
  char *p = malloc(4);
  if (!p) return;
  TEST_BEGIN
  p[0] = s[0];
  TEST_END
}
void g(int n) {
  char *p = malloc(4);
  if (!p) return;
  switch (n) {
  case 1:
    free(p);
    STOP
  default:
    free(p);
  }
}
)c");
  auto leaks = a.with_code("memory-leak");
  REQUIRE(leaks.size() == 1);  // f is analysed despite its macros
  CHECK(c2py::testing::message(*leaks[0]).find("`p`") == 0);
  CHECK(a.with_code("double-free").empty());  // g is left alone: STOP jumps, it is not noise
}

TEST_CASE("a prototype's const pointer parameter only reads: the block stays the caller's") {
  expect_ranges("memory-leak", R"c(
#include <stdlib.h>
void show(const char *text);
void keep(char *text);
void shown(void) { char *p = malloc(4); if (!p) return; p[0] = 0; show(p); [[}]]
void kept(void) { char *p = malloc(4); if (!p) return; p[0] = 0; keep(p); }
)c");
}

TEST_CASE("opaque conditions: a leak behind globals is reported only if no path frees the block") {
  expect_ranges("memory-leak", R"c(
#include <stdlib.h>
extern int verbose, quiet;
int ready(void);
void correlated(void) {
  char *p = NULL;
  if (verbose) { p = malloc(4); if (!p) return; }
  if (quiet) return;
  free(p);
}
void never(void) {
  char *p = malloc(4);
  if (!p) return;
  if (ready()) p[0] = 1;
[[}]]
void local(int n) {
  char *p = malloc(4);
  if (!p) return;
  if (n)
    [[return;]]
  free(p);
}
)c");
}

TEST_CASE("a function that returns a block it already freed hands its caller a dangling pointer") {
  expect_ranges("double-free", R"c(
#include <stdlib.h>
static char *source(void) { char *p = malloc(4); if (!p) exit(1); free(p); return p; }
static char *fine(void) { char *p = malloc(4); if (!p) exit(1); return p; }
void bad(void) { char *d = source(); [[free(d)]]; }
void good(void) { char *d = fine(); free(d); }
)c");
}

TEST_CASE("mangled C never crashes the flow checks or the macro-noise copy") {
  // Deterministic mutations (cut, duplicate, insert a macro-ish token) of a file that exercises
  // the conditionals, loop macros and attribute macros: every variant must analyse without
  // crashing (ASan runs this too).
  const std::string base = R"c(#ifndef H
#define H
#define F(x)
#define ALLOCA alloca
#define N 3
static const int ON = 1;
typedef union { char *a; char *b; } U;
void show(const char *s);
__attribute__((noreturn)) void bail(int);
static void f(__unused int fd, char *p, ...) {
  U u; char *q = NULL; int i;
  va_list ap; va_start(ap, p); char *s = va_arg(ap, char *);
  for (i = 0; i < N; i++) { q = malloc(4); if (!q) bail(1); free(q); }
  TAILQ_FOREACH(q, &list, entry) { show(q); }
#ifdef DEBUG
  q = realloc(q, 8);
#else
  q = realloc(q, 0);
#endif
  switch (ON) { case 1: u.a = p; break; default: free(u.b); }
  EXPECT_BEGIN
  free(p + 1);
  EXPECT_END
}
#endif
)c";
  const char* inserts[] = {"#if X\n", "#endif\n", "{", "}", "(", ")", "\"", "/*", "\\\n", "#define G(y)", "FOREACH(", "__unused "};
  uint32_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) & 0xffffff;
  };
  for (int round = 0; round < 150; ++round) {
    std::string text = base;
    for (int edit = 0; edit < 3; ++edit) {
      size_t at = next() % (text.size() + 1);
      switch (next() % 3) {
        case 0: text.erase(at, next() % 12); break;
        case 1: text.insert(at, text.substr(next() % text.size(), next() % 20)); break;
        default: text.insert(at, inserts[next() % (sizeof inserts / sizeof *inserts)]); break;
      }
    }
    auto a = analyze(Language::C, text);
    CHECK(a.result.findings.size() < 1000);
  }
}

TEST_CASE("a file's pointer globals carry blocks between its functions") {
  auto a = analyze(Language::C, R"c(
#include <stdlib.h>
#include <string.h>
static char *saved;
static char *other;
static void sink(void) { char *d = saved; strcpy(d, "x"); free(d); }
static void keep(void) { other = saved; }
void unchecked(void) { char *p = malloc(8); saved = p; sink(); }
void twice(void) { char *p = malloc(8); if (!p) return; saved = p; sink(); free(p); }
void handed(void) { char *p = malloc(8); if (!p) return; saved = p; keep(); free(p); }
void stored(void) { char *p = malloc(8); if (!p) return; saved = p; }
)c");
  CHECK(a.with_code("unchecked-alloc").size() == 1);  // in unchecked: sink reads it unchecked
  CHECK(a.with_code("double-free").size() == 1);      // in twice: sink freed it already
  CHECK(a.with_code("memory-leak").empty());          // what a global holds is not leaked
}

TEST_CASE("a global freed, then reassigned by unknown code, is not a use after free") {
  expect_ranges("use-after-free", R"c(
#include <stdlib.h>
struct config { int n; };
static struct config *cfg;
void reload(void);
int again(void) { free(cfg); reload(); return cfg->n; }
int stale(void) { free(cfg); return [[cfg->n]]; }
)c");
}

TEST_CASE("a flag global set just before the call selects what the callee does; a body that ignores a freed block does not use it") {
  auto a = analyze(Language::C, R"c(#include <stdlib.h>
static int flag = 0;
static void sink(int *data) {
  if (flag) free(data);
}
void bad(void) {
  int *data = malloc(4);
  if (!data) return;
  free(data);
  flag = 1;
  sink(data);
}
void good(void) {
  int *data = malloc(4);
  if (!data) return;
  free(data);
  flag = 0;
  sink(data);
}
)c");
  auto found = a.with_code("double-free");
  REQUIRE(found.size() == 1);
  CHECK(a.code.substr(found[0]->range.begin, 10) == "sink(data)");
  CHECK(a.code.find("sink(data)") == found[0]->range.begin);  // in bad(), not in good()
  CHECK(a.with_code("use-after-free").empty());
}

TEST_CASE("a function that gives back its argument hands the caller's block back; one that also stores it does not") {
  auto a = analyze(Language::C, R"c(#include <stdlib.h>
static char *fill(char *data) {
  data[0] = 'x';
  return data;
}
static char *saved;
static char *keep(char *data) {
  saved = data;
  return data;
}
void moved(void) {
  char *data = malloc(8);
  if (!data) return;
  data = fill(data);
  data++;
  free(data);
}
void leaks(void) {
  char *data = malloc(8);
  if (!data) return;
  data = fill(data);
}
void kept(void) {
  char *data = malloc(8);
  if (!data) return;
  data = keep(data);
}
)c");
  CHECK(a.with_code("free-non-heap").size() == 1);  // moved(): the pointer no longer at the start
  auto leaks = a.with_code("memory-leak");
  REQUIRE(leaks.size() == 1);  // leaks(), not kept()
  CHECK(leaks[0]->range.begin > a.code.find("void leaks"));
  CHECK(leaks[0]->range.begin < a.code.find("void kept"));
}

TEST_CASE("a helper that returns a block it freed (or NULL) hands the caller a dangling pointer") {
  auto a = analyze(Language::C, R"c(#include <stdlib.h>
#include <string.h>
static char *reversed(const char *s) {
  if (s == NULL) return NULL;
  char *r = malloc(strlen(s) + 1);
  if (!r) exit(1);
  strcpy(r, s);
  free(r);
  return r;
}
void bad(void) {
  char *r = reversed("abc");
  r[0] = 'x';
}
)c");
  CHECK(a.with_code("use-after-free").size() == 1);
}

TEST_CASE("a function defined by a macro (`TEST_SETUP(group) { ... }`) is analysed as one without parameters") {
  auto a = analyze(Language::C, R"c(#include <stdlib.h>
TEST_GROUP(group);

TEST_SETUP(group)
{
  char *p = malloc(4);
  if (!p) return;
}
)c");
  CHECK(a.with_code("memory-leak").size() == 1);
}

TEST_CASE("an edit above a cached function renders its lines anew: messages and related messages as sent") {
  std::string body =
      "#include <stdlib.h>\nvoid f(int k) {\n  char *p = malloc(4);\n  if (!p) return;\n  free(p);\n"
      "  if (k) p[0] = 1;\n  char s[4];\n  char *q = malloc(4);\n  if (!q) return;\n  free(q + 1);\n}\n";
  auto sent = [](const c2py::testing::Analyzed& a) {
    std::vector<std::string> out;
    for (const auto& f : a.result.findings) {
      if (!f.diagnostic) continue;
      std::string line = f.diagnostic->code + ": " + c2py::testing::message(f);
      for (size_t i = 0; i < f.diagnostic->related.size(); ++i) line += " | " + c2py::testing::related_message(f, i);
      out.push_back(line);
    }
    return out;
  };
  c2py::syntax::Parser parser(Language::C);
  c2py::analysis::UnitCache cache;
  c2py::testing::Analyzed first;
  first.code = body;
  first.tree = parser.parse(first.code);
  first.result = c2py::analysis::analyze(Language::C, first.tree, first.code, {}, cache);
  c2py::testing::Analyzed edited;
  edited.code = "/* one */\n/* two */\n" + body;
  edited.tree = parser.parse(edited.code);
  edited.result = c2py::analysis::analyze(Language::C, edited.tree, edited.code, {}, cache);
  auto fresh = analyze(Language::C, edited.code);
  auto before = sent(first), after = sent(edited);
  CHECK(after == sent(fresh));
  REQUIRE(before.size() == after.size());
  bool has_lines = false;
  for (const auto& m : before) has_lines |= m.find("on line 5") != std::string::npos;
  CHECK(has_lines);
  bool moved = false;
  for (const auto& m : after) moved |= m.find("on line 7") != std::string::npos;
  CHECK(moved);
}
