// The C memory dataflow against its floor, the bare tree-sitter parse of the same file:
// a cold check of the whole file (every function analyzed, summaries to a fixed point), the whole
// engine with every C check, and an edit inside one function (reparse + checks with the memo warm,
// so only that function is analyzed again). Prints medians and ratios; asserts nothing.
// Usage: c2py_c_flow_bench FILE.c...   (bench/gen_c_memory.py 10000 big.c makes a 10k-line input)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "c/flow/file_flow.hpp"
#include "bench_util.hpp"
#include "engine.hpp"
#include "syntax/syntax.hpp"

namespace {

using Clock = std::chrono::steady_clock;

using c2py::bench::median_ms;

}  // namespace

int main(int argc, char** argv) {
  using c2py::syntax::Language;
  std::printf("%-24s %7s %9s %9s %6s %10s %6s %9s %6s %9s\n", "file", "lines", "parse ms", "flow ms", "ratio",
              "engine ms", "ratio", "edit ms", "ratio", "findings");
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    c2py::syntax::Parser parser(Language::C);
    const int runs = 11;
    double parse = median_ms(runs, [&] { auto tree = parser.parse(text); });
    size_t findings = 0;
    auto tree = parser.parse(text);
    // Cold: the dataflow alone, with a fresh memo each time.
    double flow = median_ms(runs, [&] { findings = c2py::analysis::c::flow::file_findings_uncached(tree.root(), text).size(); });
    // The whole engine (all C checks) after a parse, as the server runs it on open. A trailing
    // comment makes each run's text new, so the shared memo cannot answer for the whole file.
    int serial = 0;
    double engine = median_ms(runs, [&] {
      std::string variant = text + "/* " + std::to_string(serial++) + " */\n";
      auto t = parser.parse(variant);
      c2py::analysis::UnitCache cache;
      c2py::analysis::AnalysisOptions options;
      (void)c2py::analysis::analyze(Language::C, t, variant, options, cache);
    });
    // An edit inside one function in the middle: a digit changes (a new text each run), the
    // tree is reparsed incrementally, and the flow findings are asked again with the memo warm,
    // so only the edited function is analyzed again.
    size_t at = text.find_first_of("123456789", text.size() / 2);
    double edit = 0;
    if (at != std::string::npos) {
      c2py::analysis::CheckMemory memory;
      (void)c2py::analysis::c::flow::file_findings(tree.root(), text, memory);
      TSPoint point{0, 0};
      for (size_t k = 0; k < at; ++k) {
        if (text[k] == '\n') {
          ++point.row;
          point.column = 0;
        } else {
          ++point.column;
        }
      }
      char digit = text[at];
      edit = median_ms(8, [&] {
        digit = digit == '9' ? '1' : static_cast<char>(digit + 1);
        std::string edited = text;
        edited[at] = digit;
        c2py::syntax::Tree old = tree;
        TSInputEdit change{static_cast<uint32_t>(at), static_cast<uint32_t>(at + 1), static_cast<uint32_t>(at + 1),
                           point, {point.row, point.column + 1}, {point.row, point.column + 1}};
        old.edit(change);
        auto t = parser.parse(edited, &old);
        (void)c2py::analysis::c::flow::file_findings(t.root(), edited, memory);
      });
    }
    size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
    std::string name = argv[i];
    name = name.substr(name.find_last_of('/') + 1);
    std::printf("%-24s %7zu %9.2f %9.2f %6.2f %10.2f %6.2f %9.2f %6.2f %9zu\n", name.c_str(), lines, parse, flow,
                flow / parse, engine, engine / parse, edit, edit / parse, findings);
  }
  return 0;
}
