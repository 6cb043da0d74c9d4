// The C idiom recognizers (issue 3), with annotated inputs: ranges that must be found and
// look-alikes that must not, and hovers checked by content (the user's names, the lesson points).
#include <doctest/doctest.h>

#include "annotations.hpp"
#include "check_harness.hpp"
#include "knowledge/knowledge.hpp"
#include "server/feature.hpp"

using c2py::syntax::Language;
using c2py::testing::analyze;
using c2py::testing::Annotations;
using c2py::testing::has_hint;
using c2py::testing::hover;
using c2py::testing::message;
using c2py::testing::ranges_of;

TEST_CASE("hover on malloc shows the Python with the user's names and size") {
  auto a = analyze(Language::C, "#include <stdlib.h>\nvoid f(void) {\n  int *scores = malloc(10 * sizeof(int));\n  free(scores);\n}\n");
  auto found = a.with_idiom("malloc");
  REQUIRE(found.size() == 1);
  auto text = hover(*found[0]);
  CHECK(text.find("scores = [0] * 10") != std::string::npos);
  CHECK(text.find("```c\nint *scores = malloc(10 * sizeof(int));") != std::string::npos);
  CHECK(text.find("MM07") != std::string::npos);
  CHECK(has_hint(*found[0], "40 B"));
  CHECK(has_hint(*found[0], "≈ [0] * 10"));
  CHECK(has_hint(*found[0], "heap · free it"));
}

TEST_CASE("free is found; a user function named free and free in comments or strings are not") {
  Annotations code(R"c(
#include <stdlib.h>
void f(int *p, char *s) {
  $a[[free]](p);
  /* free(p) in a comment */
  const char *msg = "free(s)";
  $b[[free]](s);
}
)c");
  auto a = analyze(Language::C, code.code());
  CHECK(ranges_of(a.with_idiom("free")) == std::vector{code.range("a"), code.range("b")});
  auto own = analyze(Language::C, "void free(void *p);\nvoid g(int *p) { free(p); }\n");
  CHECK(own.with_idiom("free").empty());
}

TEST_CASE("p = NULL after free is recognized; a freed pointer left dangling in scope is a hint") {
  Annotations code(R"c(
#include <stdlib.h>
#include <stdio.h>
int f(int n) {
  int *a = malloc(4);
  int *b = malloc(4);
  int *c = malloc(4);
  int *d = malloc(4);
  free(a);
  $reset[[a = NULL;]]
  if (n) {
    free($dangling[[b]]);
  }
  printf("%d\n", n);
  free(c);
  return n;
  free(d);
}
void g(int *p) {
  free(p);
}
void h(void) {
  for (int i = 0; i < 3; i++) {
    char *tmp = malloc(8);
    free(tmp);
  }
}
)c");
  auto a = analyze(Language::C, code.code());
  auto reset = a.with_idiom("null-after-free");
  REQUIRE(reset.size() == 1);
  CHECK(reset[0]->range == code.range("reset"));
  CHECK(a.diagnostic_ranges("dangling-pointer") == std::vector{code.range("dangling")});
  const auto& d = *a.with_code("dangling-pointer")[0]->diagnostic;
  CHECK(d.severity == c2py::analysis::Severity::Hint);
  CHECK(message(*a.with_code("dangling-pointer")[0]).find("`b`") != std::string::npos);
  CHECK(message(*a.with_code("dangling-pointer")[0]).find("Python") != std::string::npos);
  REQUIRE(d.fixes.size() == 1);
  CHECK(d.fixes[0].safety == c2py::analysis::FixSafety::Safe);
  std::string fixed = code.code();
  const auto& edit = d.fixes[0].edits[0];
  fixed.replace(edit.range.begin, edit.range.end - edit.range.begin, edit.new_text);
  CHECK(fixed.find("free(b);\n    b = NULL;") != std::string::npos);
  c2py::syntax::Parser parser(Language::C);
  CHECK_FALSE(parser.parse(fixed).has_error());
}

TEST_CASE("strdup and strndup: the copy to free, its bytes, the Python string") {
  Annotations code(R"c(
#include <string.h>
void f(const char *name) {
  char *s = $a[[strdup]]("hello");
  char *t = $b[[strndup]](name, 3);
  char *u = my_strdup("x");
}
)c");
  auto a = analyze(Language::C, code.code());
  auto found = a.with_idiom("strdup");
  CHECK(ranges_of(found) == std::vector{code.range("a"), code.range("b")});
  REQUIRE(found.size() == 2);
  CHECK(has_hint(*found[0], "6 B"));
  CHECK(has_hint(*found[0], "≈ s = \"hello\""));
  CHECK(*found[1]->bindings.get("python_value") == "name[:3]");
  auto text = hover(*found[0]);
  CHECK(text.find("free(s)") != std::string::npos);
  CHECK(text.find("MM12") != std::string::npos);
}

TEST_CASE("strcpy and strcat into a buffer; memcpy and memset as slices") {
  Annotations code(R"c(
#include <string.h>
void f(char *buf, int *xs, int *ys) {
  $cpy[[strcpy]](buf, "hi");
  $cat[[strcat]](buf, " there");
  $set[[memset]](xs, 0, 10 * sizeof(int));
  $mov[[memcpy]](ys, xs + 2, 4 * sizeof *ys);
  strlen(buf);
}
)c");
  auto a = analyze(Language::C, code.code());
  CHECK(ranges_of(a.with_idiom("string-copy")) == std::vector{code.range("cpy"), code.range("cat")});
  auto ops = a.with_idiom("memcpy-memset");
  CHECK(ranges_of(ops) == std::vector{code.range("set"), code.range("mov")});
  REQUIRE(ops.size() == 2);
  CHECK(*ops[0]->bindings.get("python_value") == "xs[:10] = [0] * 10");
  CHECK(*ops[1]->bindings.get("python_value") == "ys[:4] = xs[2:2 + 4]");
}

TEST_CASE("memcpy of a whole struct reads as copy.copy; a copy between types or a partial one does not") {
  Annotations code(R"c(
#include <string.h>
struct cell { int fg, bg; };
void f(const struct cell *base, const char *buf, struct cell *out) {
  struct cell cur, saved;
  int x;
  $ptr[[memcpy]](&cur, base, sizeof cur);
  $obj[[memcpy]](&saved, &cur, sizeof(struct cell));
  $pte[[memcpy]](&cur, out, sizeof *out);
  $raw[[memcpy]](&cur, buf, sizeof cur);
  $int[[memcpy]](&x, buf, sizeof(int));
  $part[[memcpy]](&cur, base, sizeof(int));
}
)c");
  auto a = analyze(Language::C, code.code());
  auto ops = a.with_idiom("memcpy-memset");
  REQUIRE(ops.size() == 6);
  CHECK(*ops[0]->bindings.get("python_value") == "cur = copy.copy(base)");
  CHECK(*ops[1]->bindings.get("python_value") == "saved = copy.copy(cur)");
  CHECK(*ops[2]->bindings.get("python_value") == "cur = copy.copy(out)");
  // A byte buffer read into a struct or an int is a conversion, not a copy; part of a struct is
  // not the whole: the generic shape, with no hint.
  for (size_t i = 3; i < 6; ++i) {
    CHECK(ops[i]->bindings.get("python_value")->find("copy.copy") == std::string::npos);
    CHECK(ops[i]->hints.empty());
  }
}

TEST_CASE("memset of one struct is not a slice: the hover shows a new object, and no hint") {
  auto a = analyze(Language::C, "#include <string.h>\nstruct cell { int fg; };\ntypedef struct cell cJSON;\n"
                                "void f(cJSON *item, struct cell *c) {\n  memset(item, 0, sizeof(cJSON));\n"
                                "  memset(c, 0, sizeof(struct cell));\n}\n");
  auto ops = a.with_idiom("memcpy-memset");
  REQUIRE(ops.size() == 2);
  CHECK(ops[0]->bindings.get("python_value")->find("item[:1]") == std::string::npos);
  CHECK(ops[1]->bindings.get("python_value")->rfind("c = Cell()", 0) == 0);
  for (const auto* op : ops) CHECK(op->hints.empty());
}

TEST_CASE("a stack array of structs reads as one object per element; of an unknown typedef, as slots") {
  auto a = analyze(Language::C, "struct cell_t { int fg; };\ntypedef struct cell_t Cell;\n"
                                "void f(void) {\n  struct cell_t row[3];\n  Cell other[2];\n  row[0].fg = other[1].fg;\n}\n");
  auto arrays = a.with_idiom("stack-array");
  REQUIRE(arrays.size() == 2);
  // Not `[Cell()] * 3`: that would be three references to one object.
  CHECK(*arrays[0]->bindings.get("python_value") == "[Cell() for _ in range(3)]");
  CHECK(*arrays[1]->bindings.get("python_value") == "[None] * 2");
}

TEST_CASE("stack structs and fixed arrays: bytes, Python equivalent, lifetime; scalars, static and pointers are not") {
  Annotations code(R"c(
struct point { int x, y; };
int g[4];
int f(struct point q) {
  int x = 42;
  struct point $p[[p]] = q;
  double $v[[values]][8];
  static int calls = 0;
  int *ptr = 0;
  char $name[[name]][16];
  return x;
}
)c");
  auto a = analyze(Language::C, code.code());
  auto structs = a.with_idiom("stack-variable");
  CHECK(ranges_of(structs) == std::vector{code.range("p")});
  auto arrays = a.with_idiom("stack-array");
  CHECK(ranges_of(arrays) == std::vector{code.range("v"), code.range("name")});
  REQUIRE(arrays.size() == 2);
  CHECK(has_hint(*arrays[0], "64 B"));
  CHECK(has_hint(*arrays[0], "≈ [0.0] * 8"));
  CHECK(has_hint(*arrays[0], "stack · dies at return"));
  CHECK(has_hint(*arrays[1], "≈ bytearray(16)"));
  REQUIRE(structs.size() == 1);
  CHECK(has_hint(*structs[0], "stack · dies at return"));
  CHECK(hover(*structs[0]).find("p = copy.copy(q)") != std::string::npos);
  auto text = hover(*arrays[0]);
  CHECK(text.find("values = [0.0] * 8") != std::string::npos);
  CHECK(text.find("`f`") != std::string::npos);
}

TEST_CASE("sizeof arithmetic in allocation sizes; linked nodes; indexing and dereference") {
  Annotations code(R"c(
#include <stdlib.h>
struct item { int value; struct item *$next[[next]]; };
struct pair { int a; struct other *b; };
void f(struct item *param, int *p) {
  int *arr = malloc(10 * $s[[sizeof(int)]]);
  struct item *it = malloc(sizeof *it);
  int n = 3 * sizeof(int);
  $i^arr[0] = 1;
  *p = 2;
  param->next = NULL;
  $d[[*arr]] = 3;
  $f[[it->next]] = NULL;
  arr[1] = n++;
  int x = arr[1];
}
)c");
  auto a = analyze(Language::C, code.code());
  auto sizes = a.with_idiom("sizeof-arithmetic");
  CHECK(ranges_of(sizes) == std::vector{code.range("s")});
  REQUIRE(sizes.size() == 1);
  CHECK(sizes[0]->bindings.get("bytes_text")->find("40 bytes") == 0);
  auto nodes = a.with_idiom("linked-node");
  CHECK(ranges_of(nodes) == std::vector{code.range("next")});
  CHECK(hover(*nodes[0]).find("class Item") != std::string::npos);
  // Only writes through blocks this function allocated, and only with a Python spelling.
  auto access = a.with_idiom("indexing");
  REQUIRE(access.size() == 3);
  CHECK(access[0]->range.begin == code.point("i"));
  CHECK(access[1]->range == code.range("d"));
  CHECK(*access[1]->bindings.get("python_access") == "arr[0] = 3");
  CHECK(access[2]->range == code.range("f"));
  CHECK(*access[2]->bindings.get("python_access") == "it.next = None");
  CHECK(hover(*access[2]).find("AttributeError") != std::string::npos);
}
