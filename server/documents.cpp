#include "server/documents.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>

#include <asio/post.hpp>

#include "server/diagnostic_memo.hpp"

namespace c2py::server {

struct DocumentStore::State {
  std::mutex mutex;
  std::string uri;
  syntax::Language language = syntax::Language::C;
  uint64_t revision = 0;
  std::optional<int64_t> version;
  std::shared_ptr<const std::string> text;
  LineIndex lines;                   // of `text`, updated edit by edit; snapshots copy it
  std::vector<TSInputEdit> pending;  // edits since base_tree's text, in order
  syntax::Tree base_tree;            // tree of the last analyzed version
  bool running = false;              // an analysis job owns base_tree, cache and parser now
  bool closed = false;
  // The revision an analysis must reach to be worth finishing; kStopped ends every parse.
  std::atomic<uint64_t> latest_revision{0};
  SnapshotPtr snapshot;
  std::vector<std::pair<uint64_t, std::function<void(SnapshotPtr)>>> waiters;
  analysis::UnitCache cache;
  std::shared_ptr<DiagnosticMemo> diagnostic_memo = std::make_shared<DiagnosticMemo>();
  analysis::AnalysisOptions options;
  std::optional<syntax::Parser> parser;
};

namespace {

// tree-sitter counts rows by '\n' only, and columns in bytes.
TSPoint point_at(std::string_view text, uint32_t offset) {
  uint32_t row = 0, line_start = 0;
  const char* data = text.data();
  const char* end = data + std::min<size_t>(offset, text.size());
  for (const char* p = data; (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)))); ++p) {
    ++row;
    line_start = static_cast<uint32_t>(p - data) + 1;
  }
  return {row, offset - line_start};
}

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// latest_revision of a document being closed, or of every document when the server exits.
constexpr uint64_t kStopped = UINT64_MAX;

}  // namespace

DocumentStore::DocumentStore(asio::thread_pool& pool, SnapshotCallback on_published)
    : pool_(pool), on_published_(std::move(on_published)) {}

DocumentStore::~DocumentStore() { *alive_ = false; }

void DocumentStore::open(const std::string& uri, syntax::Language language, std::optional<int64_t> version,
                         std::string text) {
  auto state = std::make_shared<State>();
  state->uri = uri;
  state->language = language;
  state->version = version;
  state->revision = new_revision();
  state->latest_revision = state->revision;
  state->text = std::make_shared<const std::string>(std::move(text));
  state->lines = LineIndex(*state->text);
  // The analysis runs the file checks (C) or the runtime model (Python) on another worker when
  // one is free.
  state->cache.helper = [&pool = pool_](std::function<void()> job) { asio::post(pool, std::move(job)); };
  {
    std::lock_guard lock(mutex_);
    state->options = options_;
    if (auto it = documents_.find(uri); it != documents_.end()) {
      // Reopened without a close: the old state's waiters are answered by the new state.
      std::lock_guard old_lock(it->second->mutex);
      it->second->closed = true;
      it->second->latest_revision = kStopped;
      state->waiters = std::move(it->second->waiters);
    }
    documents_[uri] = state;
  }
  schedule(state);
  // While that analysis parses, another worker compiles the language's queries (once a process).
  asio::post(pool_, [language] {
    try {
      analysis::prepare(language);
    } catch (const std::exception&) {
      // A query that does not compile fails the analysis itself, which reports it.
    }
  });
  reanalyze_includers(uri);
}

bool DocumentStore::change(const std::string& uri, std::optional<int64_t> version, const std::vector<TextChange>& changes,
                           Encoding encoding, std::string& error) {
  std::shared_ptr<State> state;
  {
    std::lock_guard lock(mutex_);
    auto it = documents_.find(uri);
    if (it == documents_.end()) {
      error = "didChange for a document that is not open: " + uri;
      return false;
    }
    state = it->second;
  }
  {
    std::lock_guard lock(state->mutex);
    std::string text = *state->text;
    LineIndex& lines = state->lines;
    std::vector<TSInputEdit> edits;
    for (const auto& change : changes) {
      if (!change.range) {
        TSInputEdit edit{};
        edit.start_byte = 0;
        edit.old_end_byte = static_cast<uint32_t>(text.size());
        edit.new_end_byte = static_cast<uint32_t>(change.text.size());
        edit.start_point = {0, 0};
        edit.old_end_point = point_at(text, edit.old_end_byte);
        edit.new_end_point = point_at(change.text, edit.new_end_byte);
        text = change.text;
        lines = LineIndex(text);
        edits.push_back(edit);
        continue;
      }
      uint32_t begin = lines.offset(change.range->first, encoding, text);
      uint32_t end = lines.offset(change.range->second, encoding, text);
      if (end < begin) {
        // The client's text changed somehow; the likeliest reading keeps us closest to it.
        error = "didChange range ends before it starts; applied as the range between the two positions";
        std::swap(begin, end);
      }
      TSInputEdit edit{};
      edit.start_byte = begin;
      edit.old_end_byte = end;
      edit.new_end_byte = begin + static_cast<uint32_t>(change.text.size());
      edit.start_point = point_at(text, begin);
      edit.old_end_point = point_at(text, end);
      text.replace(begin, end - begin, change.text);
      lines.replace(begin, end, text);
      edit.new_end_point = point_at(text, edit.new_end_byte);
      edits.push_back(edit);
    }
    state->text = std::make_shared<const std::string>(std::move(text));
    state->version = version;
    state->revision = new_revision();
    state->latest_revision = state->revision;
    state->pending.insert(state->pending.end(), edits.begin(), edits.end());
  }
  schedule(state);
  reanalyze_includers(uri);
  return error.empty();
}

void DocumentStore::close(const std::string& uri) {
  std::shared_ptr<State> state;
  {
    std::lock_guard lock(mutex_);
    auto it = documents_.find(uri);
    if (it == documents_.end()) return;
    state = it->second;
    documents_.erase(it);
  }
  std::vector<std::pair<uint64_t, std::function<void(SnapshotPtr)>>> waiters;
  {
    std::lock_guard lock(state->mutex);
    state->closed = true;
    state->latest_revision = kStopped;  // stops a parse in progress
    waiters.swap(state->waiters);
  }
  for (auto& [version, ready] : waiters) asio::post(pool_, [ready = std::move(ready)] { ready(nullptr); });
  reanalyze_includers(uri);  // they go back to the disk's text
}

bool DocumentStore::is_open(const std::string& uri) const {
  std::lock_guard lock(mutex_);
  return documents_.count(uri) > 0;
}

std::vector<std::string> DocumentStore::uris() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [uri, state] : documents_) out.push_back(uri);
  return out;
}

void DocumentStore::set_options(const analysis::AnalysisOptions& options) {
  std::vector<std::shared_ptr<State>> states;
  {
    std::lock_guard lock(mutex_);
    if (options == options_) return;
    options_ = options;
    for (const auto& [uri, state] : documents_) states.push_back(state);
  }
  for (const auto& state : states) {
    {
      std::lock_guard lock(state->mutex);
      state->options = options;
      state->revision = new_revision();  // a new analysis of the same text: requests wait for it
      state->latest_revision = state->revision;
    }
    schedule(state);
  }
}

std::shared_ptr<const std::string> DocumentStore::open_text(const std::string& path) const {
  std::lock_guard lock(mutex_);
  for (const auto& [uri, state] : documents_) {
    if (path_from_uri(uri) != path) continue;
    std::lock_guard state_lock(state->mutex);
    return state->text;
  }
  return nullptr;
}

void DocumentStore::reanalyze_includers(const std::string& uri) {
  std::string path = path_from_uri(uri);
  if (path.empty()) return;
  std::vector<std::shared_ptr<State>> includers;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [other, state] : documents_) {
      if (other == uri) continue;
      std::lock_guard state_lock(state->mutex);
      if (state->snapshot && std::find(state->snapshot->headers.begin(), state->snapshot->headers.end(), path) !=
                                 state->snapshot->headers.end())
        includers.push_back(state);
    }
  }
  for (const auto& state : includers) {
    {
      std::lock_guard lock(state->mutex);
      state->revision = new_revision();  // the same text, analysed again: requests wait for it
      state->latest_revision = state->revision;
    }
    schedule(state);
  }
}

void DocumentStore::when_current(const std::string& uri, std::function<void(SnapshotPtr)> ready) {
  std::shared_ptr<State> state;
  {
    std::lock_guard lock(mutex_);
    auto it = documents_.find(uri);
    if (it != documents_.end()) state = it->second;
  }
  if (!state) {
    asio::post(pool_, [ready = std::move(ready)] { ready(nullptr); });
    return;
  }
  std::lock_guard lock(state->mutex);
  if (state->snapshot && state->snapshot->revision >= state->revision) {
    asio::post(pool_, [ready = std::move(ready), snapshot = state->snapshot] { ready(snapshot); });
    return;
  }
  state->waiters.emplace_back(state->revision, std::move(ready));
}

SnapshotPtr DocumentStore::latest(const std::string& uri) const {
  std::lock_guard lock(mutex_);
  auto it = documents_.find(uri);
  if (it == documents_.end()) return nullptr;
  std::lock_guard state_lock(it->second->mutex);
  return it->second->snapshot;
}

void DocumentStore::stop_all() {
  *alive_ = false;
  std::lock_guard lock(mutex_);
  for (const auto& [uri, state] : documents_) state->latest_revision = kStopped;
}

void DocumentStore::schedule(const std::shared_ptr<State>& state) {
  {
    std::lock_guard lock(state->mutex);
    if (state->running || state->closed) return;  // the running job reschedules when it ends
    state->running = true;
  }
  asio::post(pool_, [this, state, alive = alive_] {
    if (*alive) run_analysis(state);
  });
}

void DocumentStore::run_analysis(const std::shared_ptr<State>& state) {
  uint64_t revision;
  std::optional<int64_t> version;
  std::shared_ptr<const std::string> text;
  LineIndex lines;
  std::vector<TSInputEdit> edits;
  syntax::Tree old_tree;
  analysis::AnalysisOptions options;
  syntax::Language language;
  {
    std::lock_guard lock(state->mutex);
    if (state->closed) {
      state->running = false;
      return;
    }
    revision = state->revision;
    version = state->version;
    text = state->text;
    lines = state->lines;
    edits.swap(state->pending);
    old_tree = state->base_tree;
    options = state->options;
    language = state->language;
  }
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->uri = state->uri;
  snapshot->revision = revision;
  snapshot->version = version;
  snapshot->language = language;
  snapshot->text = text;
  snapshot->lines = std::move(lines);
  snapshot->diagnostic_memo = state->diagnostic_memo;
  bool cancelled = false;
  if (text->size() > kMaxAnalyzedBytes) {
    snapshot->skipped_reason = "not analyzed: " + std::to_string(text->size() >> 20) + " MB is over the " +
                               std::to_string(kMaxAnalyzedBytes >> 20) + " MB limit";
  } else {
    try {
      if (!state->parser || state->parser->language() != language) state->parser.emplace(language);
      if (old_tree)
        for (const auto& edit : edits) old_tree.edit(edit);
      auto start = std::chrono::steady_clock::now();
      struct Stop {
        const State* state;
        uint64_t revision;
      } stop{state.get(), revision};
      // A newer version (or a close) makes this parse pointless: stop it and start over.
      snapshot->tree = state->parser->parse(
          *text, old_tree ? &old_tree : nullptr,
          [](void* p) {
            auto* s = static_cast<Stop*>(p);
            return s->state->latest_revision.load(std::memory_order_relaxed) != s->revision;
          },
          &stop);
      snapshot->parse_ms = ms_since(start);
      // Released here, while this job is the document's only one: the next analysis's parse may
      // start as soon as this one publishes (see the previous snapshot below).
      old_tree = syntax::Tree();
      if (!snapshot->tree) {
        cancelled = true;
      } else {
        start = std::chrono::steady_clock::now();
        // C: the project's headers and macros (an open header's text wins over the disk's).
        std::shared_ptr<const analysis::ProjectContext> project;
        if (language == syntax::Language::C)
          project = project_.context_for(path_from_uri(state->uri), *text, {options.c_include_paths, options.c_macros},
                                         [this](const std::string& path) { return open_text(path); });
        snapshot->analysis = analysis::analyze(language, snapshot->tree, *text, options, state->cache, project.get());
        if (project)
          for (const auto& header : project->headers) snapshot->headers.push_back(header.path);
        snapshot->skipped_reason = snapshot->analysis.skipped_reason;
        snapshot->analysis_ms = ms_since(start);
      }
    } catch (const std::exception& e) {
      snapshot->skipped_reason = std::string("analysis failed: ") + e.what();
      snapshot->tree = syntax::Tree();
      snapshot->analysis = {};
    }
  }
  std::vector<std::function<void(SnapshotPtr)>> ready;
  bool again = false;
  SnapshotPtr published, previous;
  {
    std::lock_guard lock(state->mutex);
    if (state->closed) {
      state->running = false;
      return;
    }
    if (cancelled) {
      state->running = false;
      edits.insert(edits.end(), state->pending.begin(), state->pending.end());
      state->pending.swap(edits);
      again = true;
    } else {
      published = snapshot;
      previous = std::move(state->snapshot);
      state->snapshot = snapshot;
      state->base_tree = snapshot->tree;
      if (!snapshot->tree) state->pending.clear();  // no tree to edit: the next parse starts fresh
      auto it = std::partition(state->waiters.begin(), state->waiters.end(),
                               [&](const auto& waiter) { return waiter.first > revision; });
      for (auto w = it; w != state->waiters.end(); ++w) ready.push_back(std::move(w->second));
      state->waiters.erase(it, state->waiters.end());
    }
  }
  if (published) {
    // The previous snapshot is freed (unless a request holds it) outside the lock, and before
    // the next analysis of the document may start: its tree shares subtrees with the one the
    // next parse edits, and tree-sitter's reference counts are not meant to be released on one
    // thread while a parse reads them on another. Before publishing, not after: the client's
    // first requests about the new text would run beside the free (a Python trace is a few
    // MB), which made hover p99 over 1 ms on a loaded machine.
    previous.reset();
    std::lock_guard lock(state->mutex);
    state->running = false;
    again = !state->closed && state->revision != revision;
  }
  if (published && on_published_) on_published_(published);
  if (again) schedule(state);
  for (auto& callback : ready) callback(published);
}

}  // namespace c2py::server
