// Open documents: their text, version and language; incremental edits that feed tree-sitter's
// incremental reparse; and analysis off the I/O thread on the newest version only, published as
// immutable snapshots that requests read without locks.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <asio/thread_pool.hpp>

#include "engine.hpp"
#include "server/position.hpp"
#include "server/project_files.hpp"
#include "syntax/syntax.hpp"

namespace c2py::server {

struct DiagnosticMemo;

// Everything known about one version of a document. Never changes once published.
struct Snapshot {
  std::string uri;
  // The server's own count of the document's texts: every open, change or settings change makes
  // a higher one (store-wide, so a reopened document never reuses one). Requests and publishing
  // order go by it; the client's `version` is only a label copied into what we send back.
  uint64_t revision = 0;
  std::optional<int64_t> version;  // the client's, when it sent a valid integer
  syntax::Language language = syntax::Language::C;
  std::shared_ptr<const std::string> text;
  LineIndex lines;
  syntax::Tree tree;  // empty when the file was too large to analyze
  analysis::FileAnalysis analysis;
  std::string skipped_reason;  // why it was not analyzed, if it was not
  std::vector<std::string> headers;  // C: the project headers its analysis read (local paths)
  double parse_ms = 0, analysis_ms = 0;
  // The document's rendered diagnostics, shared by its snapshots (null outside the server).
  std::shared_ptr<DiagnosticMemo> diagnostic_memo;
};
using SnapshotPtr = std::shared_ptr<const Snapshot>;

// One content change of didChange: a range in the encoding, or the whole text.
struct TextChange {
  std::optional<std::pair<Position, Position>> range;
  std::string text;
};

class DocumentStore {
 public:
  // Files above this size are kept but not parsed: a parse of 50 MB takes seconds here.
  static constexpr size_t kMaxAnalyzedBytes = 16u << 20;

  using SnapshotCallback = std::function<void(SnapshotPtr)>;

  DocumentStore(asio::thread_pool& pool, SnapshotCallback on_published);
  ~DocumentStore();

  void open(const std::string& uri, syntax::Language language, std::optional<int64_t> version, std::string text);
  // Applies changes in order, whatever the version says (the spec's versions label texts; they
  // never gate edits). A change whose range is invalid for the text is applied clamped to it, so
  // the text stays what the client has; `error` then says what was wrong.
  bool change(const std::string& uri, std::optional<int64_t> version, const std::vector<TextChange>& changes,
              Encoding encoding, std::string& error);
  void close(const std::string& uri);
  bool is_open(const std::string& uri) const;
  std::vector<std::string> uris() const;
  // New options: caches are dropped and every document is analyzed again.
  void set_options(const analysis::AnalysisOptions& options);

  // Calls `ready` (on a pool thread) with the first snapshot at least as new as the document
  // was when this was called; with nullptr if the document is unknown or gets closed first.
  // Revisions only grow, so every waiter is answered by a later analysis or by the close.
  void when_current(const std::string& uri, std::function<void(SnapshotPtr)> ready);
  SnapshotPtr latest(const std::string& uri) const;
  // Stops every parse in progress and every analysis that has not started (the server exits).
  void stop_all();
  // The newest revision handed out so far (a close publishes empty diagnostics at it).
  uint64_t current_revision() const { return next_revision_.load(); }

 private:
  struct State;
  void schedule(const std::shared_ptr<State>& state);
  void run_analysis(const std::shared_ptr<State>& state);
  // The text of the open document at a local path, or null.
  std::shared_ptr<const std::string> open_text(const std::string& path) const;
  // The open C documents whose last analysis read the header at `uri` are analysed again.
  void reanalyze_includers(const std::string& uri);

  asio::thread_pool& pool_;
  SnapshotCallback on_published_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<State>> documents_;
  analysis::AnalysisOptions options_;
  ProjectReader project_;  // headers and compile flags around C documents (thread-safe)
  std::shared_ptr<std::atomic<bool>> alive_ = std::make_shared<std::atomic<bool>>(true);
  std::atomic<uint64_t> next_revision_{0};
  uint64_t new_revision() { return ++next_revision_; }
};

}  // namespace c2py::server
