#include "server/check_mode.hpp"

#include <fstream>
#include <sstream>

#include "server/feature.hpp"

namespace c2py::server {

namespace {

const FeatureRegistry::DocumentRequest* find_request(const FeatureRegistry& registry, std::string_view method) {
  for (const auto& request : registry.document_requests())
    if (request.method == method) return &request;
  return nullptr;
}

// Syntax errors as (offset, text) pairs, found without recursion (files may nest deeply).
std::vector<std::pair<uint32_t, std::string>> syntax_errors(const syntax::Tree& tree, size_t limit) {
  std::vector<std::pair<uint32_t, std::string>> out;
  if (!tree || !tree.has_error()) return out;
  std::vector<TSNode> stack{tree.root()};
  while (!stack.empty() && out.size() < limit) {
    TSNode node = stack.back();
    stack.pop_back();
    if (!ts_node_has_error(node)) continue;
    if (ts_node_is_error(node)) {
      out.emplace_back(ts_node_start_byte(node), "syntax error");
      continue;
    }
    if (ts_node_is_missing(node)) {
      out.emplace_back(ts_node_start_byte(node), std::string("missing ") + ts_node_type(node));
      continue;
    }
    for (uint32_t i = ts_node_child_count(node); i-- > 0;) stack.push_back(ts_node_child(node, i));
  }
  return out;
}

std::string where(const std::string& path, const FeatureContext& ctx, const json& position) {
  (void)ctx;
  return path + ":" + std::to_string(position["line"].get<uint32_t>() + 1) + ":" +
         std::to_string(position["character"].get<uint32_t>() + 1);
}

void indent(std::ostream& out, const std::string& text, const char* prefix) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) out << prefix << line << '\n';
}

const char* severity_name(int severity) {
  switch (severity) {
    case 1: return "error";
    case 2: return "warning";
    case 3: return "info";
    default: return "hint";
  }
}

}  // namespace

int run_check(const CheckOptions& options, std::ostream& out, Logger& logger) {
  FeatureRegistry registry;
  register_all_features(registry);
  auto knowledge = knowledge::Base::embedded();
  Settings settings;
  settings.python_version = options.python_version;
  analysis::AnalysisOptions analysis_options{settings.python_version, settings.model_max_steps};
  int status = 0;
  json files = json::array();
  for (const auto& path : options.files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (!in) {
      std::cerr << "c2py-lsp: cannot read " << path << '\n';
      status = 1;
      continue;
    }
    auto language = syntax::language_from_path(path);
    if (!language) {
      std::cerr << "c2py-lsp: " << path << ": not a C (.c, .h) or Python (.py) file\n";
      status = 1;
      continue;
    }
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->uri = "file://" + path;
    snapshot->language = *language;
    snapshot->text = std::make_shared<const std::string>(buffer.str());
    snapshot->lines = LineIndex(*snapshot->text);
    syntax::Parser parser(*language);
    snapshot->tree = parser.parse(*snapshot->text);
    analysis::UnitCache cache;
    snapshot->analysis = analysis::analyze(*language, snapshot->tree, *snapshot->text, analysis_options, cache);
    FeatureContext ctx{*snapshot, settings, knowledge, Encoding::UTF8};
    logger.log(LogLevel::Debug, path + ": " + std::to_string(snapshot->analysis.findings.size()) + " findings");

    json file = {{"path", path}, {"language", std::string(syntax::language_name(*language))}};
    json errors = json::array();
    for (const auto& [offset, message] : syntax_errors(snapshot->tree, 20))
      errors.push_back({{"position", ctx.position(offset)}, {"message", message}});
    if (!errors.empty()) status = 1;

    json diagnostics = json::array();
    for (const auto& handler : registry.snapshot_handlers())
      if (auto notification = handler(ctx); notification && notification->method == "textDocument/publishDiagnostics")
        for (const auto& d : notification->params["diagnostics"]) diagnostics.push_back(d);

    json text_document = {{"uri", snapshot->uri}};
    json whole = {{"start", ctx.position(0)}, {"end", ctx.position(static_cast<uint32_t>(snapshot->text->size()))}};
    json hints = json::array();
    if (const auto* request = find_request(registry, "textDocument/inlayHint")) {
      hints = request->handler(ctx, {{"textDocument", text_document}, {"range", whole}});
      if (const auto* resolve = find_request(registry, "inlayHint/resolve"))
        for (auto& hint : hints) hint = resolve->handler(ctx, hint);
    }

    json actions = json::array();
    if (const auto* request = find_request(registry, "textDocument/codeAction"))
      for (const auto& d : diagnostics)
        for (const auto& action : request->handler(ctx, {{"textDocument", text_document},
                                                         {"range", d["range"]},
                                                         {"context", {{"diagnostics", json::array({d})}}}}))
          if (action.contains("diagnostics")) actions.push_back(action);

    json hovers = json::array();
    if (const auto* request = find_request(registry, "textDocument/hover")) {
      uint32_t last = UINT32_MAX;
      for (const auto& finding : snapshot->analysis.findings) {
        if (finding.range.begin == last || !knowledge.find(finding.idiom)) continue;
        last = finding.range.begin;
        json position = ctx.position(finding.range.begin);
        json hover = request->handler(ctx, {{"textDocument", text_document}, {"position", position}});
        if (hover.is_null()) continue;
        // The data of the finding the hover shows, which may be another one starting here.
        const auto* shown = hover_finding(ctx, finding.range.begin);
        hovers.push_back({{"position", position}, {"data", lesson_data(knowledge, shown ? *shown : finding)}, {"contents", hover["contents"]}});
      }
    }

    if (options.json) {
      file["syntaxErrors"] = errors;
      file["diagnostics"] = diagnostics;
      file["inlayHints"] = hints;
      file["codeActions"] = actions;
      file["hovers"] = hovers;
      files.push_back(file);
      continue;
    }
    out << "== " << path << " (" << syntax::language_name(*language) << ", " << snapshot->lines.line_count()
        << " lines)\n";
    for (const auto& e : errors) out << where(path, ctx, e["position"]) << ": error: " << e["message"].get<std::string>() << '\n';
    out << "-- diagnostics: " << diagnostics.size() << '\n';
    for (const auto& d : diagnostics) {
      out << where(path, ctx, d["range"]["start"]) << ": " << severity_name(d["severity"].get<int>()) << ": "
          << d["message"].get<std::string>() << " [" << d["code"].get<std::string>() << "]\n";
      for (const auto& action : actions)
        if (action["diagnostics"][0] == d) out << "    fix: " << action["title"].get<std::string>() << '\n';
    }
    out << "-- inlay hints: " << hints.size() << '\n';
    for (const auto& hint : hints) {
      std::string label = hint["label"].is_string() ? hint["label"].get<std::string>() : hint["label"].dump();
      out << where(path, ctx, hint["position"]) << ": " << label << '\n';
    }
    out << "-- hovers: " << hovers.size() << '\n';
    for (const auto& hover : hovers) {
      out << where(path, ctx, hover["position"]) << ": hover (" << hover["data"]["idiom"].get<std::string>() << ")\n";
      indent(out, hover["contents"]["value"].get<std::string>(), "    | ");
    }
    out << '\n';
  }
  if (options.json) out << dump({{"files", files}}) << '\n';
  return status;
}

}  // namespace c2py::server
