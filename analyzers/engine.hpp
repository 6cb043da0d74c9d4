// Runs every check of a language over a parsed file. Unit-scope findings are cached per
// top-level item, keyed by the item's text, so an edit re-analyzes only the items it touched.
#pragma once

#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "check.hpp"
#include "finding.hpp"
#include "syntax/syntax.hpp"

namespace c2py::runtime_model {
class Trace;
}

namespace c2py::analysis {

struct AnalysisStats {
  uint32_t units = 0;
  uint32_t units_reanalyzed = 0;
  // Python: top-level definitions whose file-check findings were computed, not taken from the cache.
  uint32_t definitions_rechecked = 0;
};

// A file's findings in order of range.begin, read like a const vector. The findings themselves
// live in shared, immutable runs (`Run`): one per top-level item, the same run the document's
// UnitCache holds for that item, and the runtime model's own list inside its trace. A snapshot
// and the cache thus share one copy; only an item that moved gets a shifted copy (which then
// becomes the cache's). `order_` points into the runs, which it keeps alive.
class Findings {
 public:
  using Run = std::shared_ptr<const std::vector<Finding>>;
  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = Finding;
    using difference_type = std::ptrdiff_t;
    using pointer = const Finding*;
    using reference = const Finding&;
    const_iterator() = default;
    explicit const_iterator(const Finding* const* at) : at_(at) {}
    reference operator*() const { return **at_; }
    pointer operator->() const { return *at_; }
    reference operator[](difference_type n) const { return *at_[n]; }
    const_iterator& operator++() {
      ++at_;
      return *this;
    }
    const_iterator operator++(int) {
      auto old = *this;
      ++at_;
      return old;
    }
    const_iterator& operator--() {
      --at_;
      return *this;
    }
    const_iterator operator--(int) {
      auto old = *this;
      --at_;
      return old;
    }
    const_iterator& operator+=(difference_type n) {
      at_ += n;
      return *this;
    }
    const_iterator& operator-=(difference_type n) {
      at_ -= n;
      return *this;
    }
    friend const_iterator operator+(const_iterator it, difference_type n) { return it += n; }
    friend const_iterator operator+(difference_type n, const_iterator it) { return it += n; }
    friend const_iterator operator-(const_iterator it, difference_type n) { return it -= n; }
    friend difference_type operator-(const_iterator a, const_iterator b) { return a.at_ - b.at_; }
    friend bool operator==(const_iterator a, const_iterator b) { return a.at_ == b.at_; }
    friend bool operator!=(const_iterator a, const_iterator b) { return a.at_ != b.at_; }
    friend bool operator<(const_iterator a, const_iterator b) { return a.at_ < b.at_; }
    friend bool operator>(const_iterator a, const_iterator b) { return a.at_ > b.at_; }
    friend bool operator<=(const_iterator a, const_iterator b) { return a.at_ <= b.at_; }
    friend bool operator>=(const_iterator a, const_iterator b) { return a.at_ >= b.at_; }

   private:
    const Finding* const* at_ = nullptr;
  };
  using iterator = const_iterator;

  size_t size() const { return order_.size(); }
  bool empty() const { return order_.empty(); }
  const Finding& operator[](size_t i) const { return *order_[i]; }
  const Finding& front() const { return *order_.front(); }
  const Finding& back() const { return *order_.back(); }
  const_iterator begin() const { return const_iterator(order_.data()); }
  const_iterator end() const { return const_iterator(order_.data() + order_.size()); }

  // Appends a run (kept alive here); its findings come after those added before at equal
  // starts. Then sort() once.
  void add(Run run);
  // A stable sort by range.begin.
  void sort();

 private:
  std::vector<Run> runs_;
  std::vector<const Finding*> order_;
};

struct FileAnalysis {
  Findings findings;  // sorted by range.begin
  AnalysisStats stats;
  // Why the file got no analysis, when it got none (a shape whose analysis would not be bounded).
  std::string skipped_reason;
  // The longest distance from a finding's start to the end of its range or to its farthest hint:
  // requests about one place look only at findings starting within this distance before it.
  uint32_t max_extent = 0;
  // Python files: the runtime model's simulation of the module (heap snapshots on demand). Its
  // findings are already merged into `findings`. Null for C files.
  std::shared_ptr<const runtime_model::Trace> heap;

  // Indices of the findings that may touch [begin, end] (range or hints), in order.
  std::pair<size_t, size_t> findings_near(uint32_t begin, uint32_t end) const;
};

// Per-document memory of unit findings. Owned by one document's analysis job; not shared.
class UnitCache {
 public:
  struct Entry {
    uint32_t begin = 0;             // where the unit started when analyzed (or last reused)
    Findings::Run findings;         // positions as of `begin`; null when none; shared with snapshots
    uint32_t row = 0;               // the line it started on
    bool mentions_lines = false;    // some finding's text names a line: valid on `row` only
  };
  // The entry for `key` (marked used), or null. The engine moves a reused entry to where its
  // item now is; entries stay where they are in memory until sweep() or store() of their key.
  Entry* find(const std::string& key);
  void store(std::string key, Entry entry);
  // Drops the entries not used since the last call (units that no longer exist).
  void sweep();
  // A short stand-in for a long part of every key (the file facts' signature: every top-level
  // name of the module), the same for the same text as long as the cache lives: keys stay exact
  // without copying and hashing that text once per unit. Past 64 distinct texts the cache
  // starts over.
  std::string intern(const std::string& text);
  // What file checks keep for this document between analyses.
  CheckMemory memory;
  // Python: the runtime model's trace of the last analysis, with its checkpoints, from which the
  // next analysis resumes the model (see ARCHITECTURE.md, "The engine pass"). Kept only when
  // `model_checkpoints` (documents of the server); `--check` analyses each file once.
  std::shared_ptr<const runtime_model::Trace> model;
  bool model_checkpoints = true;
  // Where one part of an analysis may run beside the calling thread (the server's worker pool).
  // The engine hands it the file checks (C) or the runtime model (Python) and runs the rest
  // itself; a part no helper thread has started when the rest is done runs on the calling thread,
  // so a busy pool only makes the analysis sequential, never blocked. Findings are merged in the
  // same order either way. Empty: all on the calling thread (`--check`, tests).
  std::function<void(std::function<void()>)> helper;

 private:
  struct Slot {
    Entry entry;
    mutable bool used = true;  // touched since the last sweep
  };
  std::unordered_map<std::string, Slot> entries_;
  std::unordered_map<std::string, std::string> interned_;
};

// Past this many sibling scans (see syntax::query_sibling_scan_cost) a file is not analyzed: it is
// about 0.1 s of CPU per check, and only broken text (thousands of unclosed brackets) gets there.
inline constexpr uint64_t kMaxQuerySiblingScans = 20'000'000;

// `project`: what the build says about a C file (included headers, macros); file checks only.
FileAnalysis analyze(syntax::Language language, const syntax::Tree& tree, std::string_view source,
                     const AnalysisOptions& options, UnitCache& cache, const ProjectContext* project = nullptr);

// Compiles every query the checks of `language` run (analyze() otherwise compiles them as it
// meets their node types). Thread-safe; cheap once done. The server calls it on a worker while
// the first document of a language is parsed, so its first diagnostics do not wait for it.
void prepare(syntax::Language language);

}  // namespace c2py::analysis
