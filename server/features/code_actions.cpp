// Code actions: quick fixes of diagnostics (marked safe, unsafe or display-only, as in ruff),
// `source.fixAll.c2py` with every safe fix, and on every recognized idiom "Insert the Python (or
// C) equivalent as a comment", so the lesson is one keystroke away.
#include "server/feature.hpp"

namespace c2py::server {
namespace {

json workspace_edit(const FeatureContext& ctx, const std::vector<analysis::Edit>& edits) {
  json text_edits = json::array();
  for (const auto& edit : edits) text_edits.push_back({{"range", ctx.range(edit.range)}, {"newText", edit.new_text}});
  return {{"changes", {{ctx.doc.uri, text_edits}}}};
}

std::string fix_title(const analysis::Fix& fix, const std::string& title) {
  switch (fix.safety) {
    case analysis::FixSafety::Safe: return title;
    case analysis::FixSafety::Unsafe: return title + " (unsafe: may change behaviour)";
    case analysis::FixSafety::DisplayOnly: return title + " (example only: review before keeping)";
  }
  return title;
}

bool overlaps(analysis::ByteRange a, analysis::ByteRange b) { return a.begin <= b.end && b.begin <= a.end; }

bool kind_wanted(const json& params, std::string_view kind) {
  const json& context = params.value("context", json::object());
  if (!context.is_object() || !context.contains("only") || !context["only"].is_array()) return true;
  for (const auto& only : context["only"]) {
    if (!only.is_string()) continue;
    auto prefix = only.get<std::string>();
    if (kind == prefix || (kind.size() > prefix.size() && kind.substr(0, prefix.size()) == prefix && kind[prefix.size()] == '.'))
      return true;
  }
  return false;
}

// The statement's line, its indentation, and the comment that carries the other language.
json equivalent_as_comment(const FeatureContext& ctx, const analysis::Finding& finding) {
  bool is_c = ctx.doc.language == syntax::Language::C;
  std::string code = is_c ? fill_python(ctx.knowledge, finding) : fill_c(ctx.knowledge, finding);
  if (code.empty()) return nullptr;
  auto line = ctx.doc.lines.position(finding.range.begin, Encoding::UTF8, ctx.text()).line;
  uint32_t line_start = ctx.doc.lines.line_start(line);
  std::string_view text = ctx.text();
  uint32_t indent_end = line_start;
  while (indent_end < text.size() && (text[indent_end] == ' ' || text[indent_end] == '\t')) ++indent_end;
  std::string indent(text.substr(line_start, indent_end - line_start));
  std::string marker = is_c ? "// Python: " : "# C: ";
  std::string continuation = is_c ? "//         " : "#    ";
  std::string comment;
  size_t start = 0;
  bool first = true;
  while (start <= code.size()) {
    size_t nl = code.find('\n', start);
    std::string_view part = std::string_view(code).substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    comment += indent + (first ? marker : continuation) + std::string(part) + "\n";
    first = false;
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  std::string title = is_c ? "Insert the Python equivalent as a comment" : "Insert the C equivalent as a comment";
  return {{"title", title},
          {"kind", "refactor.rewrite"},
          {"data", lesson_data(ctx.knowledge, finding)},
          {"edit", workspace_edit(ctx, {{{line_start, line_start}, comment}})}};
}

}  // namespace
}  // namespace c2py::server

C2PY_REGISTER_FEATURE(code_actions) {
  registry.capabilities(
      {{"codeActionProvider", {{"codeActionKinds", {"quickfix", "refactor.rewrite", "source.fixAll.c2py"}}, {"resolveProvider", false}}}});
  registry.document_request("textDocument/codeAction", [](const FeatureContext& ctx, const json& params) -> json {
    auto range = ctx.byte_range(params.value("range", json()));
    json actions = json::array();
    const auto& findings = ctx.doc.analysis.findings;
    if (kind_wanted(params, "quickfix")) {
      for (const auto& finding : findings) {
        if (!finding.diagnostic || !overlaps(finding.range, range)) continue;
        json diagnostic = to_lsp_diagnostic(ctx, finding);
        for (size_t i = 0; i < finding.diagnostic->fixes.size(); ++i) {
          const auto& fix = finding.diagnostic->fixes[i];
          actions.push_back({{"title", fix_title(fix, fix_text(ctx.knowledge, finding, i))},
                             {"kind", "quickfix"},
                             {"diagnostics", json::array({diagnostic})},
                             {"isPreferred", fix.safety == analysis::FixSafety::Safe},
                             {"data", lesson_data(ctx.knowledge, finding)},
                             {"edit", workspace_edit(ctx, fix.edits)}});
        }
      }
    }
    if (kind_wanted(params, "refactor.rewrite")) {
      std::vector<uint32_t> seen_lines;
      for (const auto& finding : findings) {
        if (!overlaps(finding.range, range)) continue;
        json action = equivalent_as_comment(ctx, finding);
        if (action.is_null()) continue;
        // One comment per idiom and line is enough.
        auto line = ctx.doc.lines.position(finding.range.begin, Encoding::UTF8, ctx.text()).line;
        bool duplicate = false;
        for (const auto& a : actions)
          if (a["kind"] == "refactor.rewrite" && a["data"]["idiom"] == finding.idiom) duplicate = true;
        if (duplicate || std::find(seen_lines.begin(), seen_lines.end(), line) != seen_lines.end()) continue;
        seen_lines.push_back(line);
        actions.push_back(action);
      }
    }
    // fixAll only when asked for explicitly (editors run it on save).
    const json& context = params.value("context", json::object());
    if (context.is_object() && context.contains("only") && kind_wanted(params, "source.fixAll.c2py")) {
      std::vector<analysis::Edit> edits;
      for (const auto& finding : findings)
        if (finding.diagnostic)
          for (const auto& fix : finding.diagnostic->fixes)
            if (fix.safety == analysis::FixSafety::Safe) edits.insert(edits.end(), fix.edits.begin(), fix.edits.end());
      if (!edits.empty())
        actions.push_back({{"title", "Apply every safe c2py fix"}, {"kind", "source.fixAll.c2py"}, {"edit", workspace_edit(ctx, edits)}});
    }
    return actions;
  });
}
