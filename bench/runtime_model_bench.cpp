// Benchmark of the runtime model against its floor, the bare tree-sitter parse of the same file:
// a generated 1k-line Python module (functions, classes, loops, containers, aliasing, del) that the
// model simulates to the end. Prints medians of: parse, simulate (the findings run), one heap
// snapshot in the middle, and the ratios. Optional argument: a Python file to use instead.
// Target (issue 5): simulate a 1k-line file in under 20 ms.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "runtime_model/model.hpp"
#include "bench_util.hpp"
#include "syntax/syntax.hpp"

namespace {

using Clock = std::chrono::steady_clock;

using c2py::bench::median_ms;

std::string generate(int lines) {
  std::string out = "import gc\nimport sys\n\n";
  for (int i = 0; std::count(out.begin(), out.end(), '\n') < lines; ++i) {
    std::string n = std::to_string(i);
    out += "def make_" + n + "(n):\n    out = []\n    for k in range(n):\n        out.append(k * " + n +
           ")\n    return out\n\n";
    out += "class Item" + n + ":\n    def __init__(self, v):\n        self.v = v\n        self.next = None\n\n";
    out += "data_" + n + " = make_" + n + "(20)\n";
    out += "alias_" + n + " = data_" + n + "\n";
    out += "node_" + n + " = Item" + n + "(data_" + n + ")\n";
    out += "text_" + n + " = \"item\" + str(" + n + ")\n";
    out += "table_" + n + " = {\"a\": data_" + n + ", \"b\": [1, 2, 3]}\n";
    out += "del alias_" + n + "\n\n";
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string text;
  std::string name = "generated";
  if (argc > 1) {
    std::ifstream in(argv[1], std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
    name = argv[1];
  } else {
    text = generate(1000);
  }
  auto lines = std::count(text.begin(), text.end(), '\n');
  c2py::syntax::Parser parser(c2py::syntax::Language::Python);
  c2py::analysis::AnalysisOptions options;
  const int runs = 21;
  double parse = median_ms(runs, [&] { auto tree = parser.parse(text); });
  auto tree = parser.parse(text);
  std::shared_ptr<const c2py::runtime_model::Trace> trace;
  double simulate = median_ms(runs, [&] { trace = c2py::runtime_model::simulate(tree, text, options); });
  uint32_t middle = static_cast<uint32_t>(lines / 2);
  // A line with a statement near the middle: the snapshot re-simulates up to it.
  while (middle < lines && trace->snapshot(middle).objects.empty() && middle < lines / 2 + 20) ++middle;
  size_t objects = 0;
  double snapshot = median_ms(runs, [&] { objects = trace->snapshot(middle).objects.size(); });
  std::printf("%-12s %6s %9s %12s %7s %12s %7s %8s %9s %s\n", "file", "lines", "parse ms", "simulate ms", "ratio",
              "snapshot ms", "ratio", "steps", "findings", "complete");
  std::printf("%-12s %6ld %9.3f %12.3f %7.1f %12.3f %7.1f %8lld %9zu %s\n", name.c_str(), static_cast<long>(lines), parse,
              simulate, simulate / parse, snapshot, snapshot / parse, static_cast<long long>(trace->steps),
              trace->findings.size(), trace->complete ? "yes" : ("no: " + trace->gave_up).c_str());
  std::printf("snapshot at line %u: %zu objects\n", middle + 1, objects);
  return 0;
}
