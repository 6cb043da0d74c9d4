// In-process benchmark of the analysis against its floor, the bare tree-sitter parse of the same
// file: full analysis from scratch, and an edit (incremental reparse + re-analysis with a warm
// unit cache). Prints medians and ratios; asserts nothing (figures go in notes, not tests).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "engine.hpp"
#include "syntax/syntax.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using c2py::syntax::Language;

using c2py::bench::median_ms;

}  // namespace

int main(int argc, char** argv) {
  std::printf("%-28s %8s %10s %10s %7s %10s %10s %7s %9s\n", "file", "lines", "parse ms", "analyze ms", "ratio",
              "reparse ms", "edit ms", "ratio", "findings");
  for (int i = 1; i < argc; ++i) {
    std::string path = argv[i];
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    auto language = c2py::syntax::language_from_path(path);
    if (!language) continue;
    int runs = text.size() > 1'000'000 ? 5 : 15;
    // C2PY_BENCH_EDITS=N: only the edit, N times; C2PY_BENCH_FULL=N: only the full analysis (for
    // a profiler).
    int edits_only = std::getenv("C2PY_BENCH_EDITS") ? std::atoi(std::getenv("C2PY_BENCH_EDITS")) : 0;
    c2py::syntax::Parser parser(*language);
    c2py::analysis::AnalysisOptions options;

    size_t findings = 0;
    int full_only = std::getenv("C2PY_BENCH_FULL") ? std::atoi(std::getenv("C2PY_BENCH_FULL")) : 0;
    double full = median_ms(edits_only ? 1 : full_only ? full_only : runs, [&] {
      auto tree = parser.parse(text);
      c2py::analysis::UnitCache cache;
      findings = c2py::analysis::analyze(*language, tree, text, options, cache).findings.size();
    });
    // The bare parse is timed after the full analyses, on a heap they grew: timed first, the
    // first file's parses paid for faulting in fresh pages (33 against 50 ms on one file).
    double parse = median_ms(edits_only ? 1 : runs, [&] { auto tree = parser.parse(text); });

    // One-character edit in the middle: a digit becomes another digit.
    size_t at = text.find_first_of("0123456789", text.size() / 2);
    auto [edited, edit] = c2py::bench::one_digit_edit(text, at);

    if (full_only) {
      std::printf("%-28s full analysis %.2f ms\n", path.c_str(), full);
      continue;
    }
    auto base = parser.parse(text);
    c2py::analysis::UnitCache warm;
    c2py::analysis::analyze(*language, base, text, options, warm);
    double reparse = median_ms(runs, [&] {
      c2py::syntax::Tree old = base;
      old.edit(edit);
      auto tree = parser.parse(edited, &old);
    });
    double incremental = median_ms(edits_only ? edits_only : runs, [&] {
      c2py::syntax::Tree old = base;
      old.edit(edit);
      auto tree = parser.parse(edited, &old);
      // Alternate the warm cache between the two versions, as an editor's edits do.
      c2py::analysis::analyze(*language, tree, edited, options, warm);
      c2py::analysis::analyze(*language, base, text, options, warm);
    }) / 2;
    auto lines = std::count(text.begin(), text.end(), '\n');
    std::string name = path.substr(path.find_last_of('/') + 1);
    std::printf("%-28s %8ld %10.2f %10.2f %6.2fx %10.3f %10.3f %6.2fx %9zu\n", name.c_str(), static_cast<long>(lines),
                parse, full, full / parse, reparse, incremental, incremental / parse, findings);
  }
  std::printf("\nratio = time / bare parse from scratch (CPU time of the thread, median); 'edit ms' = incremental reparse + re-analysis\n");
  // Where the analysis time goes: each check alone over the last file's units.
  if (std::getenv("C2PY_BENCH_PER_CHECK") && argc > 1) {
    std::string path = argv[argc - 1];
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    auto language = c2py::syntax::language_from_path(path);
    c2py::syntax::Parser parser(*language);
    auto tree = parser.parse(text);
    c2py::analysis::AnalysisOptions options;
    auto facts = c2py::analysis::collect_file_facts(*language, tree.root(), text);
    auto units = c2py::syntax::named_children(tree.root());
    for (const auto& check : c2py::analysis::all_checks()) {
      if (check->language() != *language) continue;
      double ms = median_ms(3, [&] {
        std::vector<c2py::analysis::Finding> out;
        if (check->scope() == c2py::analysis::Scope::File) {
          check->run({*language, tree.root(), text, options, facts}, out);
        } else {
          for (TSNode unit : units) check->run({*language, unit, text, options, facts}, out);
        }
      });
      std::printf("  %-28s %8.2f ms\n", std::string(check->id()).c_str(), ms);
    }
    // What the engine does instead of each check's own query: one pass of every check's queries.
    for (auto scope : {c2py::analysis::Scope::Unit, c2py::analysis::Scope::File}) {
      std::vector<const c2py::syntax::Query*> parts;
      for (const auto& check : c2py::analysis::all_checks())
        if (check->language() == *language && check->scope() == scope)
          for (const auto* query : check->queries()) parts.push_back(query);
      c2py::syntax::QueryGroup group(*language, parts);
      double ms = median_ms(3, [&] {
        if (scope == c2py::analysis::Scope::File) {
          group.run(tree.root(), text);
        } else {
          for (TSNode unit : units) group.run(unit, text);
        }
      });
      std::printf("  %-28s %8.2f ms  (%zu queries)\n",
                  scope == c2py::analysis::Scope::Unit ? "one pass, unit queries" : "one pass, file queries", ms,
                  parts.size());
    }
    std::printf("(each check alone runs its own query; the engine runs the two passes above instead)\n");
  }
  return 0;
}
