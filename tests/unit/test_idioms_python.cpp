// The Python idiom recognizers (issue 3), with annotated inputs: ranges that must be found and
// look-alikes that must not, diagnostics with their fixes, and hovers checked by content.
#include <doctest/doctest.h>

#include "annotations.hpp"
#include "check_harness.hpp"
#include "knowledge/knowledge.hpp"
#include "server/feature.hpp"

using c2py::analysis::FixSafety;
using c2py::syntax::Language;
using c2py::testing::analyze;
using c2py::testing::Annotations;
using c2py::testing::has_hint;
using c2py::testing::hover;
using c2py::testing::message;
using c2py::testing::ranges_of;

namespace {


std::string apply(std::string code, const c2py::analysis::Fix& fix) {
  auto edits = fix.edits;
  std::sort(edits.begin(), edits.end(), [](const auto& a, const auto& b) { return a.range.begin > b.range.begin; });
  for (const auto& e : edits) code.replace(e.range.begin, e.range.end - e.range.begin, e.new_text);
  return code;
}

bool parses(const std::string& python) {
  c2py::syntax::Parser parser(Language::Python);
  return !parser.parse(python).has_error();
}

}  // namespace

TEST_CASE("[x] * n: the C malloc-and-fill, with its size as sys.getsizeof counts") {
  Annotations code(R"py(
arr = $a[[[0] * 10]]
big = $b[[[None] * 1_000_000]]
words = "ab" * 3
)py");
  auto a = analyze(Language::Python, code.code());
  auto found = a.with_idiom("list-repeat");
  CHECK(ranges_of(found) == std::vector{code.range("a"), code.range("b")});
  REQUIRE(found.size() == 2);
  // 56 + 8 * 1_000_000 bytes on 64-bit CPython 3.12.
  CHECK(has_hint(*found[1], "list 8.0 MB"));
  CHECK(found[0]->hints.empty());
  auto text = hover(*found[0]);
  CHECK(text.find("int *arr = malloc(10 * sizeof *arr);") != std::string::npos);
  CHECK(text.find("MM07") != std::string::npos);
}

TEST_CASE("aliased-rows: one row repeated, with an unsafe fix that builds a row per index") {
  Annotations code(R"py(
grid = $a^[ [0] * 4] * 3
table = $b^[{}] * n
flat = [0] * 12
rows = [ [0] * 4 for _ in range(3)]
seen = [ [0] * 2] * 5
slots = [ [None]] * 4
grid[1][2] = 7
table[0]["k"] = 1
print(seen[0][1])
slots[0] = [1]
)py");
  auto a = analyze(Language::Python, code.code());
  // (`[[` and `]]]` are range marks in annotated inputs: the rows are spelled `[ [0] * 4]`, and
  // the starts are points.)
  auto rows = a.with_code("aliased-rows");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0]->range.begin == code.point("a"));
  CHECK(rows[1]->range.begin == code.point("b"));
  const auto& d = *rows[0]->diagnostic;
  CHECK(message(*rows[0]).find("`grid`") != std::string::npos);
  CHECK(message(*rows[0]).find("all 3 rows") != std::string::npos);
  // Rows only read (`seen`) or replaced whole (`slots`) are not reported; a dict row is a dict.
  CHECK(message(*rows[1]).find("the same dict") != std::string::npos);
  REQUIRE(d.fixes.size() == 1);
  CHECK(d.fixes[0].safety == FixSafety::Unsafe);
  auto fixed = apply(code.code(), d.fixes[0]);
  CHECK(fixed.find("grid = [[0] * 4 for _ in range(3)]") != std::string::npos);
  CHECK(parses(fixed));
  // The repeated row is not reported again as a separate [x] * n; `flat` and the comprehension's
  // row (a new list per index) are.
  CHECK(a.with_idiom("list-repeat").size() == 2);
}

TEST_CASE("numeric-list: big literal counts only; the fix imports array where needed") {
  Annotations code(R"py(
def f():
    counts = $a[[[0] * 1_000_000]]
    ids = $b[[list(range(200_000))]]
    small = [0] * 1000
    names = [""] * 1_000_000
    return counts, ids, small, names
)py");
  auto a = analyze(Language::Python, code.code());
  CHECK(a.diagnostic_ranges("numeric-list") == std::vector{code.range("a"), code.range("b")});
  const auto& d = *a.with_code("numeric-list")[0]->diagnostic;
  CHECK(message(*a.with_code("numeric-list")[0]).find("`counts`") != std::string::npos);
  CHECK(message(*a.with_code("numeric-list")[0]).find("4.0 MB") != std::string::npos);
  CHECK(d.fixes.at(0).safety == FixSafety::Unsafe);
  auto fixed = apply(code.code(), d.fixes[0]);
  CHECK(fixed.find("    import array\n    counts = array.array('i', [0]) * 1_000_000") != std::string::npos);
  CHECK(parses(fixed));
  auto imported = analyze(Language::Python, "import array\nxs = [0.0] * 500_000\n");
  auto fix = imported.with_code("numeric-list").at(0)->diagnostic->fixes.at(0);
  CHECK(fix.edits.size() == 1);
  CHECK(fix.edits[0].new_text == "array.array('d', [0.0]) * 500_000");
}

TEST_CASE("preallocated-fill: [None] * n filled by index, and not when the loop does more") {
  Annotations code(R"py(
out = $a[[[None] * n]]
for i in range(n):
    out[i] = i * i
other = [None] * n
for i in range(n):
    other[i] = i
    print(i)
grid = [0] * n
for i in range(m):
    grid[i] = 1
)py");
  auto a = analyze(Language::Python, code.code());
  CHECK(a.diagnostic_ranges("preallocated-fill") == std::vector{code.range("a")});
  const auto& fix = a.with_code("preallocated-fill")[0]->diagnostic->fixes.at(0);
  CHECK(fix.safety == FixSafety::Unsafe);
  auto fixed = apply(code.code(), fix);
  CHECK(fixed.find("out = [i * i for i in range(n)]\nother") != std::string::npos);
  CHECK(parses(fixed));
}

TEST_CASE("list displays and list(); a list of names is container-references instead") {
  Annotations code(R"py(
empty = $a^[]
nums = $b^[1, 2, 3]
copy = $c[[list(nums)]]
pair = $d^[nums, copy]
t = (1, 2)
)py");
  auto a = analyze(Language::Python, code.code());
  auto displays = a.with_idiom("list-display");
  REQUIRE(displays.size() == 3);
  CHECK(displays[0]->range.begin == code.point("a"));
  CHECK(displays[1]->range.begin == code.point("b"));
  CHECK(displays[2]->range == code.range("c"));
  auto refs = a.with_idiom("container-references");
  REQUIRE(refs.size() == 1);
  CHECK(refs[0]->range.begin == code.point("d"));
  auto text = hover(*refs[0]);
  CHECK(text.find("`nums`, `copy`") != std::string::npos);
  CHECK(text.find("MM17") != std::string::npos);
}

TEST_CASE("str concatenation makes a new str; += in a loop is str-concat-in-loop") {
  Annotations code(R"py(
s = "hello"
s2 = $a[[s + " world"]]
n = 1 + 2
xs = [1] + [2]
out = ""
for w in words:
    $loop[[out += w]]
for i in range(3):
    total += i
def f(parts):
    text = ""
    while parts:
        $w[[text += parts.pop()]]
    return text
)py");
  auto a = analyze(Language::Python, code.code());
  auto concat = a.with_idiom("str-concat");
  CHECK(ranges_of(concat) == std::vector{code.range("a")});
  CHECK(has_hint(*concat[0], "new str"));
  CHECK(a.diagnostic_ranges("str-concat-in-loop") == std::vector{code.range("loop"), code.range("w")});
  CHECK(message(*a.with_code("str-concat-in-loop")[0]).find("`out += w`") != std::string::npos);
  CHECK(message(*a.with_code("str-concat-in-loop")[0]).find("join") != std::string::npos);
  auto text = hover(*concat[0]);
  CHECK(text.find("s2 = s + \" world\"") != std::string::npos);
  CHECK(text.find("strcat(s2, \" world\");") != std::string::npos);
}

TEST_CASE("join, f-strings and slices") {
  Annotations code(R"py(
line = ", ".$j[[join]](names)
label = $f[[f"{n} items"]]
plain = "n items"
part = $s^names[1:3]
first = names[0]
)py");
  auto a = analyze(Language::Python, code.code());
  CHECK(ranges_of(a.with_idiom("str-join")) == std::vector{code.range("j")});
  CHECK(ranges_of(a.with_idiom("f-string")) == std::vector{code.range("f")});
  auto slices = a.with_idiom("slice-copy");
  REQUIRE(slices.size() == 1);
  CHECK(slices[0]->range.begin == code.point("s"));
}

TEST_CASE("manual-free: del or None as a function's last act, gc.collect() after a release; not del mid-work") {
  Annotations code(R"py(
import gc
def work():
    data = [0] * 100
    total = sum(data)
    $del[[del data]]
    return 0
def middle():
    big = [0] * 100
    n = len(big)
    del big
    return sum(range(n))
def keep():
    global cache
    del cache
def reset(node):
    $none[[node = None]]
def busy():
    tmp = [1]
    del tmp
    print("still working")
x = [1]
del x
$gc[[gc.collect()]]
)py");
  auto a = analyze(Language::Python, code.code());
  CHECK(a.diagnostic_ranges("manual-free") == std::vector{code.range("del"), code.range("none"), code.range("gc")});
  auto found = a.with_code("manual-free");
  REQUIRE(found.size() == 3);
  CHECK(message(*found[0]).find("`work`") != std::string::npos);
  CHECK(found[0]->diagnostic->fixes.at(0).safety == FixSafety::Safe);
  CHECK(found[2]->diagnostic->fixes.at(0).safety == FixSafety::Unsafe);
  auto fixed = apply(code.code(), found[0]->diagnostic->fixes[0]);
  CHECK(fixed.find("    total = sum(data)\n    return 0\n") != std::string::npos);
  CHECK(parses(fixed));
  // The others are still explained, without a warning.
  CHECK(a.with_idiom("del-statement").size() == 4);
  CHECK(a.with_idiom("gc-module").empty());
}

TEST_CASE("rebinding to None only after a real binding; gc and sys tools") {
  Annotations code(R"py(
import gc, sys
node = None
node = []
node = $n[[None]]
print($r[[sys.getrefcount(node)]])
sys.exit(0)
$d[[gc.disable()]]
)py");
  auto a = analyze(Language::Python, code.code());
  CHECK(ranges_of(a.with_idiom("rebind-none")) == std::vector{code.range("n")});
  CHECK(ranges_of(a.with_idiom("gc-module")) == std::vector{code.range("r"), code.range("d")});
  CHECK(hover(*a.with_idiom("gc-module")[0]).find("MM19") != std::string::npos);
}

TEST_CASE("finalizer-cleanup: __del__ that closes; a __del__ that only logs is not; with is explained") {
  Annotations code(R"py(
class Conn:
    def $del[[__del__]](self):
        self.sock.close()
class Quiet:
    def __del__(self):
        print("bye")
$with[[with]] open(path) as f:
    data = f.read()
)py");
  auto a = analyze(Language::Python, code.code());
  CHECK(a.diagnostic_ranges("finalizer-cleanup") == std::vector{code.range("del")});
  CHECK(message(*a.with_code("finalizer-cleanup")[0]).find("`Conn.__del__`") != std::string::npos);
  CHECK(message(*a.with_code("finalizer-cleanup")[0]).find("with") != std::string::npos);
  CHECK(ranges_of(a.with_idiom("with-statement")) == std::vector{code.range("with")});
  CHECK(hover(*a.with_idiom("with-statement")[0]).find("with open(path) as f:") != std::string::npos);
}

TEST_CASE("list-copy-append in loops only, with an unsafe fix to append/extend") {
  Annotations code(R"py(
acc = []
acc = acc + [0]
for w in words:
    $a^acc = acc + [w]
    $b^acc = acc + [w, w]
    other = acc + [w]
    acc = [w] + acc
)py");
  auto a = analyze(Language::Python, code.code());
  auto found = a.with_code("list-copy-append");
  REQUIRE(found.size() == 2);
  CHECK(found[0]->range.begin == code.point("a"));
  CHECK(found[1]->range.begin == code.point("b"));
  CHECK(found[0]->diagnostic->fixes.at(0).edits.at(0).new_text == "acc.append(w)");
  CHECK(found[1]->diagnostic->fixes.at(0).edits.at(0).new_text == "acc.extend([w, w])");
  CHECK(found[0]->diagnostic->fixes[0].safety == FixSafety::Unsafe);
  CHECK(parses(apply(code.code(), found[1]->diagnostic->fixes[0])));
}

TEST_CASE("aliasing, locals freed at return, returned objects") {
  Annotations code(R"py(
a = [1, 2]
$b[[b = a]]
n = 3
m = n
def make():
    $made[[made]] = [0] * 4
    $scratch[[scratch]] = {}
    return made
def count():
    $big[[big]] = [0] * 100
    return len(big)
)py");
  auto a = analyze(Language::Python, code.code());
  auto alias = a.with_idiom("aliasing");
  CHECK(ranges_of(alias) == std::vector{code.range("b")});
  CHECK(has_hint(*alias[0], "same list as a"));
  CHECK(ranges_of(a.with_idiom("return-object")) == std::vector{code.range("made")});
  auto locals = a.with_idiom("locals-freed-at-return");
  // `return len(big)` returns a number computed from the list, not the list.
  CHECK(ranges_of(locals) == std::vector{code.range("scratch"), code.range("big")});
  auto text = hover(*locals[0]);
  CHECK(text.find("`scratch` is local to `make`") != std::string::npos);
  CHECK(text.find("MM04") != std::string::npos);
}

TEST_CASE("array.array, numpy with a dtype, bytes and bytearray") {
  Annotations code(R"py(
import array
import numpy as np
nums = array.$a[[array]]('i', [1, 2, 3, 4, 5])
z = $z[[np.zeros]](1_000_000, dtype=np.int32)
f = $f[[np.ones]](10)
buf = $ba[[bytearray]](16)
raw = $by[[bytes]](4)
other.array(3)
)py");
  auto a = analyze(Language::Python, code.code());
  auto arrays = a.with_idiom("array-module");
  REQUIRE(arrays.size() == 1);
  CHECK(arrays[0]->range.begin == code.range("a").begin - 6);
  CHECK(has_hint(*arrays[0], "20 B of C int"));
  auto numpy = a.with_idiom("numpy-array");
  CHECK(ranges_of(numpy) == std::vector{code.range("z"), code.range("f")});
  CHECK(*numpy[0]->bindings.get("size_text") == "4.0 MB");
  CHECK(hover(*numpy[0]).find("int32_t *z = calloc(1000000, sizeof *z);") != std::string::npos);
  CHECK(*numpy[1]->bindings.get("dtype") == "float64");
  CHECK(ranges_of(a.with_idiom("bytes-bytearray")) == std::vector{code.range("ba"), code.range("by")});
}

TEST_CASE("MemoryError and IndexError handlers; a constant index past a list display") {
  Annotations code(R"py(
try:
    big = [0] * n
except $m[[MemoryError]]:
    big = None
try:
    x = items[3]
except $i[[IndexError]] as e:
    print(e)
a = [1, 2, 3]
print(a[2], $bad^a[3])
b = [1]
b.append(2)
print(b[1])
)py");
  auto a = analyze(Language::Python, code.code());
  CHECK(ranges_of(a.with_idiom("memory-error")) == std::vector{code.range("m")});
  auto index = a.with_idiom("index-error");
  REQUIRE(index.size() == 2);
  CHECK(index[0]->range == code.range("i"));
  CHECK(index[1]->range.begin == code.point("bad"));
  CHECK(hover(*index[1]).find("`a` has 3 items") != std::string::npos);
}

TEST_CASE("false positives of issue 13 stay away: strings rebuilt per pass, context managers, tracebacks, cycles") {
  Annotations code(R"py(
import gc, sys
def lines(rows):
    out = []
    for row in rows:
        line = ""
        line += str(row)
        out.append(line)
    for name in rows:
        name += "\n"
    return out
def build(parts):
    text = ""
    for p in parts:
        $local[[text += p]]
    return text
class Base:
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self.close()
class Conn(Base):
    def close(self):
        pass
    def __del__(self):
        self.close()
def report():
    t, v, tb = sys.exc_info()
    print(t, v)
    del tb
def drop(graph):
    node = graph.pop()
    del node
    gc.collect()
)py");
  auto a = analyze(Language::Python, code.code());
  // Only the accumulation; a function's local is resized in place: Information, not Warning.
  CHECK(a.diagnostic_ranges("str-concat-in-loop") == std::vector{code.range("local")});
  CHECK(a.with_code("str-concat-in-loop")[0]->diagnostic->severity == c2py::analysis::Severity::Information);
  CHECK(a.with_code("finalizer-cleanup").empty());
  CHECK(a.with_code("manual-free").empty());
}
