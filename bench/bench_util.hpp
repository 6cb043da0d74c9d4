// Shared by the in-process benchmarks: a median of repeated timings (thread CPU time), and reading an input file.
#pragma once

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <tree_sitter/api.h>

namespace c2py::bench {

// CPU time of the calling thread, in ms: on a machine shared with other work, wall time measures
// the neighbours as much as the code (the benchmarks run in one thread).
inline double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// The median CPU time of `runs` calls of f, in ms.
template <typename F>
double median_ms(int runs, F f) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    double start = thread_cpu_ms();
    f();
    times.push_back(thread_cpu_ms() - start);
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// The benchmarks' edit: the digit at byte `at` becomes another digit, as a text and as the
// TSInputEdit an editor's change gives the incremental parse.
struct DigitEdit {
  std::string text;
  TSInputEdit edit{};
};
inline DigitEdit one_digit_edit(const std::string& text, size_t at) {
  DigitEdit out{text, {}};
  out.text[at] = out.text[at] == '1' ? '2' : '1';
  out.edit.start_byte = static_cast<uint32_t>(at);
  out.edit.old_end_byte = out.edit.new_end_byte = static_cast<uint32_t>(at + 1);
  auto row = static_cast<uint32_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
  auto column = static_cast<uint32_t>(at - text.rfind('\n', at) - 1);
  out.edit.start_point = {row, column};
  out.edit.old_end_point = out.edit.new_end_point = {row, column + 1};
  return out;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace c2py::bench
