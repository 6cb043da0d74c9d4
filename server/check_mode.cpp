#include "server/check_mode.hpp"

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "server/check_files.hpp"
#include "server/check_output.hpp"
#include "server/feature.hpp"

namespace c2py::server {

namespace {

const FeatureRegistry::DocumentRequest* find_request(const FeatureRegistry& registry, std::string_view method) {
  for (const auto& request : registry.document_requests())
    if (request.method == method) return &request;
  return nullptr;
}

// Syntax errors as (offset, text) pairs, the first `limit` of them, and how many there are, found
// without recursion (files may nest deeply). The text says what the parser could not read: the
// code itself when short, else the lines it spans.
size_t syntax_errors(const syntax::Tree& tree, std::string_view text, const LineIndex& lines, size_t limit,
                     std::vector<std::pair<uint32_t, std::string>>& out) {
  if (!tree || !tree.has_error()) return 0;
  auto describe = [&](TSNode node) {
    if (ts_node_is_missing(node)) return std::string("missing `") + ts_node_type(node) + "`";
    uint32_t begin = ts_node_start_byte(node), end = std::min<uint32_t>(ts_node_end_byte(node), text.size());
    std::string_view code = text.substr(begin, end - begin);
    while (!code.empty() && std::isspace(static_cast<unsigned char>(code.back()))) code.remove_suffix(1);
    if (code.size() <= 40 && code.find('\n') == std::string_view::npos && !code.empty())
      return "cannot parse `" + std::string(code) + "`";
    uint32_t first = lines.position(begin, Encoding::UTF8, text).line + 1;
    uint32_t last = lines.position(begin + static_cast<uint32_t>(code.size()), Encoding::UTF8, text).line + 1;
    return first == last ? "cannot parse this line" : "cannot parse lines " + std::to_string(first) + "-" + std::to_string(last);
  };
  size_t count = 0;
  std::vector<TSNode> stack{tree.root()};
  while (!stack.empty()) {
    TSNode node = stack.back();
    stack.pop_back();
    if (!ts_node_has_error(node)) continue;
    if (ts_node_is_error(node) || ts_node_is_missing(node)) {
      if (out.size() < limit) out.emplace_back(ts_node_start_byte(node), "syntax error: " + describe(node));
      ++count;
      continue;
    }
    for (uint32_t i = ts_node_child_count(node); i-- > 0;) stack.push_back(ts_node_child(node, i));
  }
  return count;
}

// What every file's analysis shares; read-only while the workers run.
struct Shared {
  const CheckOptions& options;
  FeatureRegistry registry;
  knowledge::Base knowledge = knowledge::Base::embedded();
  Settings settings;
  analysis::AnalysisOptions analysis_options;
  Encoding encoding;
  bool diagnostics_only;
  mutable ProjectReader project;  // thread-safe: shared by the workers
};

FileReport analyze_file(const Shared& shared, const std::string& path) {
  FileReport report;
  report.path = path;
  report.uri = file_uri(path);
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (!in) {
    report.problem = "cannot read the file";
    return report;
  }
  auto language = syntax::language_from_path(path);
  if (!language) {
    report.problem = "not a C (.c, .h) or Python (.py) file";
    return report;
  }
  std::string text = buffer.str();
  if (text.size() > DocumentStore::kMaxAnalyzedBytes) {
    report.problem = "too large to analyse (" + std::to_string(text.size() >> 20) + " MiB; the limit is " +
                     std::to_string(DocumentStore::kMaxAnalyzedBytes >> 20) + " MiB)";
    return report;
  }
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->uri = report.uri;
  snapshot->language = *language;
  snapshot->text = std::make_shared<const std::string>(std::move(text));
  snapshot->lines = LineIndex(*snapshot->text);
  syntax::Parser parser(*language);
  snapshot->tree = parser.parse(*snapshot->text);
  analysis::UnitCache cache;
  cache.model_checkpoints = false;  // one analysis per file: no later version resumes the model
  std::shared_ptr<const analysis::ProjectContext> project;
  if (*language == syntax::Language::C) project = shared.project.context_for(path, *snapshot->text, shared.options.project);
  snapshot->analysis =
      analysis::analyze(*language, snapshot->tree, *snapshot->text, shared.analysis_options, cache, project.get());
  FeatureContext ctx{*snapshot, shared.settings, shared.knowledge, shared.encoding};
  report.language = std::string(syntax::language_name(*language));
  report.text = snapshot->text;
  report.lines = snapshot->lines;

  std::vector<std::pair<uint32_t, std::string>> errors;
  report.syntax_error_count = syntax_errors(snapshot->tree, *snapshot->text, snapshot->lines, 10, errors);
  for (const auto& [offset, message] : errors)
    report.syntax_errors.push_back({{"position", ctx.position(offset)}, {"message", message}});

  for (const auto& handler : shared.registry.snapshot_handlers())
    if (auto notification = handler(ctx); notification && notification->method == "textDocument/publishDiagnostics") {
      json params = notification->params_value();
      for (const auto& d : params["diagnostics"]) report.diagnostics.push_back(d);
    }

  json text_document = {{"uri", snapshot->uri}};
  bool machine = shared.options.format == OutputFormat::Sarif || shared.options.format == OutputFormat::Github;
  if (!machine) {
    if (const auto* request = find_request(shared.registry, "textDocument/codeAction"))
      for (const auto& d : report.diagnostics)
        for (const auto& action : request->handler(ctx, {{"textDocument", text_document},
                                                         {"range", d["range"]},
                                                         {"context", {{"diagnostics", json::array({d})}}}}))
          if (action.contains("diagnostics")) report.actions.push_back(action);
  }
  if (shared.diagnostics_only) return report;

  json whole = {{"start", ctx.position(0)}, {"end", ctx.position(static_cast<uint32_t>(snapshot->text->size()))}};
  if (const auto* request = find_request(shared.registry, "textDocument/inlayHint")) {
    report.hints = request->handler(ctx, {{"textDocument", text_document}, {"range", whole}});
    if (const auto* resolve = find_request(shared.registry, "inlayHint/resolve"))
      for (auto& hint : report.hints) hint = resolve->handler(ctx, hint);
  }
  if (const auto* request = find_request(shared.registry, "textDocument/hover")) {
    uint32_t last = UINT32_MAX;
    for (const auto& finding : snapshot->analysis.findings) {
      if (finding.range.begin == last || !shared.knowledge.find(finding.idiom)) continue;
      last = finding.range.begin;
      json position = ctx.position(finding.range.begin);
      json hover = request->handler(ctx, {{"textDocument", text_document}, {"position", position}});
      if (hover.is_null()) continue;
      // The data of the finding the hover shows, which may be another one starting here.
      const auto* shown = hover_finding(ctx, finding.range.begin);
      report.hovers.push_back({{"position", position},
                               {"data", lesson_data(shared.knowledge, shown ? *shown : finding)},
                               {"contents", hover["contents"]}});
    }
  }
  return report;
}

// Files of a run come and go at a few MB each. glibc's defaults hand freed memory back to the
// kernel after each file and map large blocks afresh, so the next file faults the same pages in
// again: on real-python a tenth of the CPU was the kernel's (93k page faults; 13k with these). The
// peak resident size stays that of the largest file in flight. The server keeps glibc's
// thresholds: it is measured by the memory it holds between edits.
void keep_freed_memory_for_the_next_file() {
#ifdef __GLIBC__
  mallopt(M_MMAP_THRESHOLD, 16 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}

}  // namespace

int fail_on_default(OutputFormat format) {
  return format == OutputFormat::Sarif || format == OutputFormat::Github ? 2 : 0;
}

int run_check(const CheckOptions& options, std::ostream& out, std::ostream& err, Logger& logger) {
  keep_freed_memory_for_the_next_file();
  Shared shared{options, {}, knowledge::Base::embedded(), {}, {}, encoding_of(options.format),
                options.diagnostics_only || options.format == OutputFormat::Sarif || options.format == OutputFormat::Github,
                {}};
  register_all_features(shared.registry);
  shared.settings.python_version = options.python_version;
  shared.analysis_options.python_version = shared.settings.python_version;
  shared.analysis_options.max_steps = shared.settings.model_max_steps;

  int status = kExitOk;
  FileList list = collect_files(options.paths);
  for (const auto& missing : list.problems) {
    err << "c2py-lsp: " << missing << ": no such file or folder\n";
    status = kExitUnreadable;
  }
  const int fail_on = options.fail_on.value_or(fail_on_default(options.format));
  auto writer = make_writer(options, out, shared.knowledge);

  // Workers analyse files in any order; this thread prints them in the list's order as soon as
  // each is ready. Workers stay at most `window` files ahead of the printing, so memory is bounded
  // by the files in flight, not by the whole list.
  const size_t count = list.files.size();
  const unsigned jobs = std::max(1u, std::min<unsigned>(options.jobs ? options.jobs : std::thread::hardware_concurrency(),
                                                        static_cast<unsigned>(std::max<size_t>(count, 1))));
  const size_t window = 4 * static_cast<size_t>(jobs);
  std::vector<std::optional<FileReport>> slots(count);
  std::mutex mutex;
  std::condition_variable ready, room;
  size_t next = 0, printed = 0;
  auto work = [&] {
    while (true) {
      size_t index;
      {
        std::unique_lock lock(mutex);
        room.wait(lock, [&] { return next >= count || next < printed + window; });
        if (next >= count) return;
        index = next++;
      }
      FileReport report;
      try {
        report = analyze_file(shared, list.files[index]);
      } catch (const std::exception& e) {
        report = FileReport{};
        report.path = list.files[index];
        report.uri = file_uri(report.path);
        report.problem = std::string("internal error: ") + e.what();
      }
      std::lock_guard lock(mutex);
      slots[index] = std::move(report);
      ready.notify_all();
    }
  };
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < jobs; ++i) workers.emplace_back(work);

  int worst = 0;  // the most severe diagnostic seen (1 error ... 4 hint), 0 none
  for (size_t index = 0; index < count; ++index) {
    FileReport report;
    {
      std::unique_lock lock(mutex);
      ready.wait(lock, [&] { return slots[index].has_value(); });
      report = std::move(*slots[index]);
      slots[index].reset();
      printed = index + 1;
      room.notify_all();
    }
    if (!report.problem.empty()) {
      err << "c2py-lsp: " << report.path << ": " << report.problem << '\n';
      status = kExitUnreadable;
    } else {
      if (report.syntax_error_count) status = kExitUnreadable;
      for (const auto& d : report.diagnostics) {
        int severity = d["severity"].get<int>();
        if (!worst || severity < worst) worst = severity;
      }
      logger.log(LogLevel::Debug, report.path + ": " + std::to_string(report.diagnostics.size()) + " diagnostics");
    }
    writer->file(report);
  }
  for (auto& worker : workers) worker.join();
  writer->end();
  out.flush();
  if (status == kExitOk && fail_on && worst && worst <= fail_on) status = kExitFindings;
  return status;
}

}  // namespace c2py::server
