// The core's three idioms (malloc, realloc, list growth) with annotated inputs: ranges that must be
// found, and look-alikes that must not.
#include <doctest/doctest.h>

#include "annotations.hpp"
#include "check_harness.hpp"

using c2py::syntax::Language;
using c2py::testing::analyze;
using c2py::testing::Annotations;

TEST_CASE("malloc and calloc are found with the user's names and sizes") {
  Annotations code(R"c(
#include <stdlib.h>
void f(int n) {
  int *arr = $a[[malloc]](10 * sizeof(int));
  double *xs = (double *)$b[[calloc]](n, sizeof(double));
  struct node *head = $c[[malloc]](sizeof(struct node));
  /* malloc(3) in a comment */ char *s = "malloc(4)";
}
)c");
  auto a = analyze(Language::C, code.code());
  auto found = a.with_idiom("malloc");
  REQUIRE(found.size() == 2);
  CHECK(found[0]->range == code.range("a"));
  CHECK(*found[0]->bindings.get("python_value") == "[0] * 10");
  CHECK(*found[0]->bindings.get("var") == "arr");
  CHECK(found[0]->hints[0].label == "40 B");
  CHECK(found[1]->range == code.range("c"));
  CHECK(*found[1]->bindings.get("python_value") == "Node()");
  auto zeroed = a.with_idiom("calloc");
  REQUIRE(zeroed.size() == 1);
  CHECK(zeroed[0]->range == code.range("b"));
  CHECK(*zeroed[0]->bindings.get("python_value") == "[0.0] * n");
}

TEST_CASE("calloc's hover quotes the call as written, also without sizeof") {
  auto a = analyze(Language::C, "#include <stdlib.h>\nvoid f(size_t nemb, size_t sz) {\n  void *m = calloc(nemb,\n      sz);\n}\n");
  auto zeroed = a.with_idiom("calloc");
  REQUIRE(zeroed.size() == 1);
  CHECK(*zeroed[0]->bindings.get("call") == "calloc(nemb, sz)");
  CHECK(*zeroed[0]->bindings.get("bytes") == "`nemb` × `sz` bytes");
}

TEST_CASE("a user function named malloc is not libc's") {
  auto a = analyze(Language::C, "void *malloc(unsigned long n);\nvoid *malloc(unsigned long n) { return 0; }\n"
                                "void g(void) { int *p = malloc(4); }\n");
  CHECK(a.with_idiom("malloc").empty());
}

TEST_CASE("p = realloc(p, n) is flagged, a temporary is not") {
  Annotations code(R"c(
#include <stdlib.h>
int grow(int *arr, char **lines) {
  [[arr = realloc(arr, 20 * sizeof(int))]];
  int *tmp = realloc(arr, 40 * sizeof(int));
  if (!tmp) return -1;
  arr = tmp;
  if (arr) [[lines[0] = realloc(lines[0], 8)]];
  return 0;
}
)c");
  auto a = analyze(Language::C, code.code());
  CHECK(a.diagnostic_ranges("realloc-leak") == code.ranges());
  CHECK(a.with_idiom("realloc").size() == 3);
  auto leaks = a.with_code("realloc-leak");
  REQUIRE(leaks.size() == 2);
  const auto& fix = leaks[1]->diagnostic->fixes.at(0);
  CHECK(fix.safety == c2py::analysis::FixSafety::Safe);
  // In a braceless if, the fix adds braces so the temporary's statements stay under the if.
  CHECK(fix.edits.at(0).new_text.rfind("{\n", 0) == 0);
  CHECK(fix.edits.at(0).new_text.find("free(lines[0]);") != std::string::npos);
}

TEST_CASE("the realloc fix compiles and the temporary's name does not clash") {
  std::string code = "#include <stdlib.h>\nvoid f(int *arr) {\n  int arr_grown = 0;\n  arr = realloc(arr, 8);\n  (void)arr_grown;\n}\n";
  auto a = analyze(Language::C, code);
  auto leaks = a.with_code("realloc-leak");
  REQUIRE(leaks.size() == 1);
  const auto& edit = leaks[0]->diagnostic->fixes.at(0).edits.at(0);
  std::string fixed = code;
  fixed.replace(edit.range.begin, edit.range.end - edit.range.begin, edit.new_text);
  CHECK(fixed.find("void *arr_grown2 = realloc(arr, 8);") != std::string::npos);
  c2py::syntax::Parser parser(Language::C);
  CHECK_FALSE(parser.parse(fixed).has_error());
}

TEST_CASE("list growth on lists, not on sets or dicts") {
  Annotations code(R"py(
items = []
items.$a[[append]](1)
seen = set()
seen.add(1)
table = {}
names = ["a"]
names.$b[[extend]](["b", "c"])
$d^names += ["d"]
def f(xs):
    xs.$c[[insert]](0, 1)
queue = deque()
queue.append(1)
)py");
  auto a = analyze(Language::Python, code.code());
  auto found = a.with_idiom("list-growth");
  REQUIRE(found.size() == 4);
  CHECK(found[0]->range == code.range("a"));
  CHECK(found[1]->range == code.range("b"));
  // `]]]` would be ambiguous as a range mark, so the statement's start is a point.
  CHECK(found[2]->range.begin == code.point("d"));
  CHECK(code.code().substr(found[2]->range.begin, found[2]->range.end - found[2]->range.begin) == "names += [\"d\"]");
  CHECK(found[3]->range == code.range("c"));
}
