// Findings: what an analyzer says about a piece of code, as plain data with byte ranges. The
// server turns them into hovers, inlay hints, diagnostics and code actions; analyzers know
// nothing of LSP or JSON.
#pragma once

#include <cstdint>
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
  template <typename F>
  void rewrite_values(F rewrite) {
    for (auto& item : items_) rewrite(item.second);
  }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

struct Finding {
  std::string idiom;   // id of the knowledge entry that explains it
  ByteRange range;     // where hovering shows the entry
  Bindings bindings;   // the user's names and sizes, for the entry's templates
  std::string variant; // which template variant of the entry fits ("" = default)
  std::optional<Diagnostic> diagnostic;
  std::vector<InlayHint> hints;
  // Facts about this very code that no template can hold (a reference count, who refers to an
  // object, the path to a leak): Markdown shown under the entry in hovers and hint tooltips.
  std::string note;
  // The text above names line numbers of this file: a cached copy is only good where the unit
  // still starts on the same line (the engine re-analyzes it otherwise).
  bool mentions_lines = false;

  // Moves every byte position by `delta` (used when a cached unit moved in the file).
  void shift(int64_t delta);
};

}  // namespace c2py::analysis
