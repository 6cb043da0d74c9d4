// The memo of the C flow analysis (file_flow.cpp): one function's analysis is a pure function of
// its text, the file's pointer globals and what the scope and the summaries say of the names it
// looked up (FunctionResult::deps), so it is kept per document and, for the headers' functions,
// shared by every include chain of a run (project::ImportCache).
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "c/flow/dataflow.hpp"
#include "c/project/imports.hpp"

namespace c2py::analysis::c::flow::memo {

using Entry = AnalyzedFunction;

inline uint64_t mix(uint64_t h, uint64_t x) { return (h ^ (x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2))) * 1099511628211ull; }
inline uint64_t hash_text(std::string_view text) { return mix(std::hash<std::string_view>{}(text), text.size()); }

// A memo of a pure function (function text and callee summaries → findings): the six flow
// checks share one analysis per file version, and an edit re-analyzes only the functions whose
// text or callees' summaries changed. One per document (in its CheckMemory), bounded. It never
// changes a result, only how fast it comes.
struct FileResult {
  uint64_t project_digest = 0;  // the Imported it was computed under
  std::vector<Finding> findings;
  FunctionNames noreturn;
  FunctionNames defined;
};

class Memo {
 public:
  std::shared_ptr<const FileResult> file(uint64_t key) {
    for (auto& [k, v] : files_)
      if (k == key) return v;
    return nullptr;
  }
  void store_file(uint64_t key, std::shared_ptr<const FileResult> value) {
    files_.emplace_front(key, std::move(value));
    while (files_.size() > 8) files_.pop_back();
  }
  // The analyses of one function text, one per set of callee summaries it was analyzed under
  // (the summary rounds of a file need at least two).
  std::vector<std::shared_ptr<const Entry>> functions(uint64_t key) {
    auto it = functions_.find(key);
    return it == functions_.end() ? std::vector<std::shared_ptr<const Entry>>{} : it->second;
  }
  // What a chain of headers (and build macros) exports, by the digest of the chain.
  std::shared_ptr<const project::Imported> imported(uint64_t key) {
    auto it = imports_.find(key);
    return it == imports_.end() ? nullptr : it->second;
  }
  void store_imported(uint64_t key, std::shared_ptr<const project::Imported> value) {
    if (imports_.size() > 64) imports_.clear();
    imports_[key] = std::move(value);
  }
  // While the headers are read: the run's cache, which also keeps their functions' analyses.
  project::ImportCache* shared = nullptr;
  void store_function(uint64_t key, std::shared_ptr<const Entry> entry) {
    if (functions_.size() > 50000) functions_.clear();
    auto& variants = functions_[key];
    if (variants.size() >= 4) variants.erase(variants.begin());
    variants.push_back(std::move(entry));
  }

 private:
  std::list<std::pair<uint64_t, std::shared_ptr<const FileResult>>> files_;
  std::unordered_map<uint64_t, std::vector<std::shared_ptr<const Entry>>> functions_;
  std::unordered_map<uint64_t, std::shared_ptr<const project::Imported>> imports_;
};

struct Function {
  TSNode node;
  std::string name;
  uint64_t text_key;
  uint32_t begin;
  uint32_t row;
};

// Line numbers are tokens in the bindings (and in any text of the analyzer's own): moved by
// `delta` rows, or rendered as 1-based numbers.
void shift_rows(Finding& f, int64_t delta);
void render_rows(Finding& f);

// Analysis of one function under `summaries`, from the memo when its text and what it depends on
// are unchanged. Returned positions are relative to the function. `prepared` keeps what the
// function's analyses share between the rounds (dataflow.hpp).
std::shared_ptr<const Entry> analyze(const Function& fn, std::string_view source, const Summaries& summaries,
                                     const FunctionNames& defined, const FileScope& scope, Memo& memo, PreparedPtr& prepared);

}  // namespace c2py::analysis::c::flow::memo
