// What the C memory dataflow does with each function of the given files, as JSON lines (one per
// file): functions analyzed, functions skipped with the reason, and the costliest function's
// budget units and CPU milliseconds. bench/evaluate_real_c.py reads it.
// Each file is analysed with its project around it, as --check does (same-project headers, compile
// flags). Usage: c2py_c_flow_stats FILE.c...   |   c2py_c_flow_stats --cleaned FILE.c (the de-noised copy)
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "c/flow/file_flow.hpp"
#include "c/flow/macro_noise.hpp"
#include "server/project_files.hpp"
#include "syntax/syntax.hpp"

namespace {

double cpu_ms() { return 1000.0 * static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"' || ch == '\\') out += '\\';
    if (static_cast<unsigned char>(ch) >= 0x20) out += ch;
  }
  return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  c2py::syntax::Parser parser(c2py::syntax::Language::C);
  if (argc == 3 && std::string(argv[1]) == "--cleaned") {  // the copy macro_noise.hpp makes, to stdout
    std::ifstream in(argv[2], std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    auto cleaned = c2py::analysis::c::flow::without_macro_noise(buffer.str());
    std::fputs(cleaned ? cleaned->c_str() : buffer.str().c_str(), stdout);
    return 0;
  }
  c2py::server::ProjectReader project;
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    auto tree = parser.parse(text);
    double start = cpu_ms();
    auto context = project.context_for(argv[i], text, {});
    auto stats = c2py::analysis::c::flow::function_stats(tree.root(), text, context.get());
    double ms = cpu_ms() - start;
    std::map<std::string, int> skipped;
    size_t max_work = 0;
    double max_ms = 0;
    std::string costliest;
    bool each = std::getenv("C2PY_FLOW_FUNCTIONS") != nullptr;  // one line per function, to stderr
    for (const auto& f : stats) {
      if (each)
        std::fprintf(stderr, "%8zu %7.2f ms  %s:%u %s\n", f.work, f.cpu_ms, f.name.c_str(), f.row + 1, f.gave_up.c_str());
      if (!f.gave_up.empty()) ++skipped[f.gave_up];
      max_work = std::max(max_work, f.work);
      if (f.cpu_ms >= max_ms) {
        max_ms = f.cpu_ms;
        costliest = f.name + ":" + std::to_string(f.row + 1);
      }
    }
    std::string skips;
    for (const auto& [reason, count] : skipped) skips += (skips.empty() ? "" : ",") + quoted(reason) + ":" + std::to_string(count);
    std::printf("{\"file\":%s,\"functions\":%zu,\"skipped\":{%s},\"max_work\":%zu,\"costliest\":%s,\"max_ms\":%.1f,\"flow_ms\":%.1f}\n",
                quoted(argv[i]).c_str(), stats.size(), skips.c_str(), max_work, quoted(costliest).c_str(), max_ms, ms);
  }
  return 0;
}
