// What a C file takes from its project besides its own text: the definitions of the same-project
// headers it includes and of the macros the build defines (`-D`, `c2py.c.macros`). The server
// finds and reads the headers (server/project_files.*); the flow analysis (flow/file_flow.cpp)
// reads each header's text as it reads a file and hands what it learned to the next one, then to
// the including file. Nothing here reads a file.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "c/flow/dataflow.hpp"

namespace c2py::analysis::c::project {

// The facts of the headers read so far (and of the build's macros), as the including file sees
// them. A later definition replaces an earlier one, as it would after an `#undef`.
struct Imported {
  std::unordered_map<std::string, long long> constants;          // `#define N 5`, `static const int N = 5;`
  std::unordered_set<std::string> unions;                        // union type names
  std::unordered_map<std::string, std::string> function_macros;  // `#define ALLOCA alloca`
  flow::Summaries summaries;  // prototypes (noreturn, `const T *` parameters), macro wrappers, bodies
  flow::FunctionNames defined;  // functions with a body (or a macro wrapper) in the headers
  // Macros whose body is empty or an attribute (`#define CJSON_CDECL`, `#define UNUSED(x)`): noise
  // to blank in a file that does not parse.
  std::unordered_set<std::string> empty_macros;
  uint64_t digest = 29;  // of everything read to get here: part of every memo key below it
};

// The build's macros (`-D` syntax: "NAME", "NAME=VALUE", "NAME(a,b)=BODY") as the `#define`
// lines a header would hold: "NAME" defines NAME as 1, as a compiler does. Malformed names are
// skipped.
std::string macros_as_source(const std::vector<std::string>& macros);

// The Imported of each chain of headers read, by its digest, shared by every file of a project
// (thread-safe, bounded). Values never change once stored.
class ImportCache {
 public:
  std::shared_ptr<const Imported> find(uint64_t digest) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(digest);
    return it == entries_.end() ? nullptr : it->second;
  }
  void store(uint64_t digest, std::shared_ptr<const Imported> value) {
    std::lock_guard lock(mutex_);
    if (entries_.size() > 256) entries_.clear();
    entries_[digest] = std::move(value);
  }

  // The hash of a header's text (`hash` of it), once per text object: the server hands the same
  // immutable text to every file that includes the header. The cache holds the text, so its
  // address names it while the entry lives.
  template <typename Hash>
  uint64_t text_hash(const std::shared_ptr<const std::string>& text, Hash hash) {
    {
      std::lock_guard lock(mutex_);
      if (auto it = hashes_.find(text.get()); it != hashes_.end()) return it->second.second;
    }
    uint64_t value = hash(std::string_view(*text));
    std::lock_guard lock(mutex_);
    if (hashes_.size() > 512) hashes_.clear();
    hashes_.insert_or_assign(text.get(), std::make_pair(text, value));
    return value;
  }

  // The parse tree of a header's text, by the text's hash (the text is compared too): files include
  // a header in many different chains, each read anew, but the text parses the same way. Each
  // caller gets its own copy (ts_tree_copy: trees are not shared between threads).
  std::optional<syntax::Tree> tree(uint64_t hash, std::string_view text) const {
    std::lock_guard lock(mutex_);
    auto it = trees_.find(hash);
    if (it == trees_.end() || it->second.first != text) return std::nullopt;
    return it->second.second;
  }
  void store_tree(uint64_t hash, std::string_view text, const syntax::Tree& tree) {
    std::lock_guard lock(mutex_);
    tree_bytes_ += text.size();
    if (trees_.size() >= 64 || tree_bytes_ > (4u << 20)) {  // a tree takes about 10 bytes per byte of text
      trees_.clear();
      tree_bytes_ = text.size();
    }
    trees_.insert_or_assign(hash, std::make_pair(std::string(text), tree));
  }

  // The analyses of the functions of the headers' texts, by function text and pointer globals
  // (file_flow.cpp checks each one's deps_digest): a `.c` file included by several files of a
  // project, after different headers, is analysed once where its functions do not depend on
  // what differs.
  std::vector<std::shared_ptr<const flow::AnalyzedFunction>> functions(uint64_t key) const {
    std::lock_guard lock(mutex_);
    auto it = functions_.find(key);
    return it == functions_.end() ? std::vector<std::shared_ptr<const flow::AnalyzedFunction>>{} : it->second;
  }
  void store_function(uint64_t key, std::shared_ptr<const flow::AnalyzedFunction> entry) {
    std::lock_guard lock(mutex_);
    if (functions_.size() > 20000) functions_.clear();
    auto& variants = functions_[key];
    if (variants.size() >= 8) variants.erase(variants.begin());
    variants.push_back(std::move(entry));
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_map<uint64_t, std::shared_ptr<const Imported>> entries_;
  std::unordered_map<uint64_t, std::vector<std::shared_ptr<const flow::AnalyzedFunction>>> functions_;
  std::unordered_map<uint64_t, std::pair<std::string, syntax::Tree>> trees_;
  size_t tree_bytes_ = 0;
  std::unordered_map<const std::string*, std::pair<std::shared_ptr<const std::string>, uint64_t>> hashes_;
};

}  // namespace c2py::analysis::c::project
