// Findings: what an analyzer says about a piece of code, as plain data with byte ranges. The
// server turns them into hovers, inlay hints, diagnostics and code actions; analyzers know
// nothing of LSP or JSON.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "syntax/syntax.hpp"

namespace c2py::analysis {

using syntax::ByteRange;

enum class Severity { Error = 1, Warning = 2, Information = 3, Hint = 4 };

// How safe a fix is, in the manner of ruff: only Safe fixes are preferred or applied in bulk.
enum class FixSafety { Safe, Unsafe, DisplayOnly };

// One switch per kind in the `inlayHints` settings.
enum class HintKind { Allocations, PythonEquivalents, Refcounts, Lifetimes, Sizes };
std::string_view hint_kind_name(HintKind kind);

// A byte count as the C and Python hints write it: "40 B", "4.1 kB", "8.0 MB" (one decimal past
// bytes, as the runtime model's "list 8.0 MB" beside it).
std::string size_label(long long bytes);

struct Edit {
  ByteRange range;
  std::string new_text;
};

struct Fix {
  std::string title;
  FixSafety safety = FixSafety::Safe;
  std::vector<Edit> edits;
};

struct Related {
  ByteRange range;
  std::string message;  // a text of its own, or
  std::string kind;     // the entry's `related[kind]`, filled from the finding's bindings
};

struct Diagnostic {
  std::string code;  // one of design.md's codes
  Severity severity = Severity::Warning;
  std::string message;
  std::vector<Related> related;
  std::vector<Fix> fixes;
};

struct InlayHint {
  uint32_t offset = 0;  // the hint is drawn before this byte
  std::string label;
  HintKind kind = HintKind::Allocations;
  std::string tooltip;  // Markdown, sent on inlayHint/resolve
};

// Placeholder values for knowledge templates, taken from the user's code: {var} → "arr".
class Bindings {
 public:
  void set(std::string key, std::string value);
  const std::string* get(std::string_view key) const;
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }
  // Rewrites every value in place (the C flow rebases the line numbers its values hold).
  // Gives back the room the vector and its strings grew into (findings kept for long).
  void shrink_to_fit();
  template <typename F>
  void rewrite_values(F rewrite) {
    for (auto& item : items_) rewrite(item.second);
  }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// An optional value kept on the heap, with std::optional's interface as findings use it: an
// absent one takes 8 bytes instead of the value's size (most findings are hovers and hints
// without a diagnostic, and a 10k-line file holds thousands of them, twice while an edit runs).
template <typename T>
class HeapOptional {
 public:
  HeapOptional() = default;
  HeapOptional(std::nullopt_t) {}
  HeapOptional(const T& value) : value_(std::make_unique<T>(value)) {}
  HeapOptional(T&& value) : value_(std::make_unique<T>(std::move(value))) {}
  HeapOptional(const HeapOptional& other) : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
  HeapOptional(HeapOptional&&) noexcept = default;
  HeapOptional& operator=(const HeapOptional& other) {
    if (this != &other) value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
    return *this;
  }
  HeapOptional& operator=(HeapOptional&&) noexcept = default;
  HeapOptional& operator=(const T& value) {
    value_ = std::make_unique<T>(value);
    return *this;
  }
  HeapOptional& operator=(T&& value) {
    value_ = std::make_unique<T>(std::move(value));
    return *this;
  }
  HeapOptional& operator=(std::optional<T> value) {
    value_ = value ? std::make_unique<T>(std::move(*value)) : nullptr;
    return *this;
  }
  HeapOptional& operator=(std::nullopt_t) {
    value_.reset();
    return *this;
  }
  template <typename... Args>
  T& emplace(Args&&... args) {
    value_ = std::make_unique<T>(std::forward<Args>(args)...);
    return *value_;
  }
  void reset() { value_.reset(); }
  bool has_value() const { return value_ != nullptr; }
  explicit operator bool() const { return value_ != nullptr; }
  T* operator->() { return value_.get(); }
  const T* operator->() const { return value_.get(); }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::unique_ptr<T> value_;
};

struct Finding {
  std::string idiom;   // id of the knowledge entry that explains it
  ByteRange range;     // where hovering shows the entry
  Bindings bindings;   // the user's names and sizes, for the entry's templates
  std::string variant; // which template variant of the entry fits ("" = default)
  HeapOptional<Diagnostic> diagnostic;
  std::vector<InlayHint> hints;
  // Facts about this very code that no template can hold (a reference count, who refers to an
  // object, the path to a leak): Markdown shown under the entry in hovers and hint tooltips.
  std::string note;
  // The text above names line numbers of this file: a cached copy is only good where the unit
  // still starts on the same line (the engine re-analyzes it otherwise).
  bool mentions_lines = false;

  // Moves every byte position by `delta` (used when a cached unit moved in the file).
  void shift(int64_t delta);
  // Gives back the room its vectors and strings grew into while it was built: a finding kept in
  // a document's snapshot and unit cache then holds only what it says.
  void shrink_to_fit();
};

}  // namespace c2py::analysis
