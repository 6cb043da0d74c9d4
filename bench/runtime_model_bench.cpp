// Benchmark of the runtime model against its floor, the bare tree-sitter parse of the same file:
// a generated 1k-line Python module (functions, classes, loops, containers, aliasing, del) that the
// model simulates to the end. Prints medians of: parse, simulate (the findings run), one heap
// snapshot in the middle, and the ratios. Optional argument: a Python file to use instead.
// Target (issue 5): simulate a 1k-line file in under 20 ms.
//
// `--survey FILE...` (issue 12): runs the model once over each file and prints one line per file
// (lines, statements reached, where and why it gave up), then the totals: how many modules the
// model runs past their first statement, and a histogram of the reasons it gives up.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
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

std::string read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The first line holding a statement (comments and blank lines do not count).
int64_t first_statement_line(TSNode root) {
  uint32_t n = ts_node_named_child_count(root);
  for (uint32_t i = 0; i < n; ++i) {
    TSNode c = ts_node_named_child(root, i);
    if (std::string_view(ts_node_type(c)) != "comment") return ts_node_start_point(c).row;
  }
  return -1;
}

// Reasons are grouped by their text up to the first backquote (names differ from file to file).
std::string reason_key(const std::string& reason) {
  std::string key = reason.substr(0, reason.find('`'));
  return key.empty() ? reason : key;
}

int survey(int argc, char** argv) {
  c2py::syntax::Parser parser(c2py::syntax::Language::Python);
  c2py::analysis::AnalysisOptions options;
  options.python_version = "3.11";
  int files = 0, past_first = 0, complete = 0;
  int64_t stmts = 0, stmts_clean = 0;
  std::map<std::string, int> first_reasons, all_reasons;
  for (int i = 2; i < argc; ++i) {
    std::string text = read_file(argv[i]);
    auto tree = parser.parse(text);
    auto trace = c2py::runtime_model::simulate(tree, text, options);
    int64_t first = first_statement_line(tree.root());
    ++files;
    bool past = trace->complete || trace->gave_up_line > first;
    past_first += past;
    complete += trace->complete && trace->give_ups.empty();
    stmts += trace->module_statements;
    stmts_clean += trace->module_statements_clean;
    std::string first_reason = trace->give_ups.empty() ? trace->gave_up : trace->give_ups.front().second;
    int64_t first_line = trace->give_ups.empty() ? trace->gave_up_line : trace->give_ups.front().first;
    if (!first_reason.empty()) ++first_reasons[reason_key(first_reason)];
    for (const auto& [line, reason] : trace->give_ups) ++all_reasons[reason_key(reason)];
    if (!trace->complete) ++all_reasons["(stopped) " + reason_key(trace->gave_up)];
    std::printf("%s\t%s\tstmts %lld/%lld\tsteps %lld\t%s%s\n", argv[i], past ? "past" : "STOP",
                static_cast<long long>(trace->module_statements_clean), static_cast<long long>(trace->module_statements),
                static_cast<long long>(trace->steps), first_reason.empty() ? "" : ("line " + std::to_string(first_line + 1) + ": ").c_str(),
                first_reason.c_str());
  }
  std::printf("\n%d files; past the first statement: %d (%.1f%%); no give-up at all: %d (%.1f%%)\n", files, past_first,
              files ? 100.0 * past_first / files : 0.0, complete, files ? 100.0 * complete / files : 0.0);
  std::printf("module-level statements run without a give-up: %lld of %lld (%.1f%%)\n", static_cast<long long>(stmts_clean),
              static_cast<long long>(stmts), stmts ? 100.0 * static_cast<double>(stmts_clean) / static_cast<double>(stmts) : 0.0);
  auto print = [](const char* title, const std::map<std::string, int>& m) {
    std::vector<std::pair<int, std::string>> sorted;
    for (const auto& [k, v] : m) sorted.emplace_back(v, k);
    std::sort(sorted.rbegin(), sorted.rend());
    std::printf("\n%s\n", title);
    for (size_t i = 0; i < sorted.size() && i < 40; ++i) std::printf("%6d  %s\n", sorted[i].first, sorted[i].second.c_str());
  };
  print("first give-up per file:", first_reasons);
  print("every give-up (\"(stopped)\": the run ended there):", all_reasons);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "--survey") return survey(argc, argv);
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
  double snapshot_fresh = median_ms(runs, [&] { objects = trace->snapshot(middle).objects.size(); });
  // The same with checkpoints (as the server keeps them): the run that takes them, a snapshot
  // from the last one before the line, and the run after a one-digit edit in the middle, resumed
  // from the previous version's checkpoints.
  std::shared_ptr<const c2py::runtime_model::Trace> kept;
  double with_checkpoints =
      median_ms(runs, [&] { kept = c2py::runtime_model::simulate(tree, text, options, nullptr, c2py::runtime_model::Checkpoints::Bounded); });
  double snapshot = median_ms(runs, [&] { objects = kept->snapshot(middle).objects.size(); });
  size_t at = text.find_first_of("0123456789", text.size() / 2);
  double resume = 0;
  size_t resumed_at = 0;
  if (at != std::string::npos) {
    auto [edited, edit] = c2py::bench::one_digit_edit(text, at);
    c2py::syntax::Tree old = tree;
    old.edit(edit);
    auto edited_tree = parser.parse(edited, &old);
    resume = median_ms(runs, [&] {
      auto next = c2py::runtime_model::simulate(edited_tree, edited, options, kept.get(), c2py::runtime_model::Checkpoints::Bounded);
      resumed_at = next->resumed_at;
    });
  }
  std::printf("%-12s %6s %9s %12s %7s %12s %7s %8s %9s %s\n", "file", "lines", "parse ms", "simulate ms", "ratio",
              "snapshot ms", "ratio", "steps", "findings", "complete");
  std::printf("%-12s %6ld %9.3f %12.3f %7.1f %12.3f %7.1f %8lld %9zu %s\n", name.c_str(), static_cast<long>(lines), parse,
              simulate, simulate / parse, snapshot, snapshot / parse, static_cast<long long>(trace->steps),
              trace->findings.size(), trace->complete ? "yes" : ("no: " + trace->gave_up).c_str());
  std::printf("snapshot at line %u: %zu objects; from line 1 it took %.3f ms\n", middle + 1, objects, snapshot_fresh);
  std::printf("with checkpoints (%zu): simulate %.3f ms (%.2fx without); one-digit edit in the middle resumed at "
              "top-level statement %zu of %lld: %.3f ms (%.2fx a whole run)\n",
              kept->checkpoint_count(), with_checkpoints, with_checkpoints / simulate, resumed_at,
              static_cast<long long>(kept->module_statements), resume, resume / simulate);
  return 0;
}
