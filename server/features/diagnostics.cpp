// Diagnostics: pushed with textDocument/publishDiagnostics whenever a new analysis is published.
// In the server a document keeps each diagnostic's text without its positions (DiagnosticMemo)
// from one publication to the next, so an edit renders only the findings it changed; the bytes
// sent are those of to_lsp_diagnostic's JSON, keys in order (tests/protocol/test_edit_equivalence).
#include <charconv>

#include "server/diagnostic_memo.hpp"
#include "server/feature.hpp"

namespace c2py::server {
namespace {

void append_field(std::string& key, std::string_view field) {
  uint32_t size = static_cast<uint32_t>(field.size());
  key.append(reinterpret_cast<const char*>(&size), sizeof size);
  key.append(field);
}

// Everything a diagnostic's text (apart from its positions and the document's URI) is made of:
// the finding's idiom, variant, bindings and diagnostic (see to_lsp_diagnostic). Fields carry
// their length, so two different findings never share a key.
std::string content_key(const analysis::Finding& finding) {
  const auto& d = *finding.diagnostic;
  std::string key;
  append_field(key, finding.idiom);
  append_field(key, finding.variant);
  append_field(key, d.code);
  key += static_cast<char>(d.severity);
  append_field(key, d.message);
  append_field(key, std::to_string(finding.bindings.items().size()));
  for (const auto& [name, value] : finding.bindings.items()) {
    append_field(key, name);
    append_field(key, value);
  }
  append_field(key, std::to_string(d.related.size()));
  for (const auto& related : d.related) {
    append_field(key, related.kind);
    append_field(key, related.message);
  }
  return key;
}

DiagnosticMemo::Parts render_parts(const FeatureContext& ctx, const analysis::Finding& finding) {
  const auto& d = *finding.diagnostic;
  json head = {{"code", d.code},
               {"message", diagnostic_message(ctx.knowledge, finding)},
               {"data", lesson_data(ctx.knowledge, finding)}};
  if (const auto* entry = ctx.knowledge.find(finding.idiom); entry && !entry->link.empty())
    head["codeDescription"] = {{"href", entry->link}};
  DiagnosticMemo::Parts parts;
  parts.head = dump(head);
  parts.head.back() = ',';  // the object stays open: "range" comes next in key order
  parts.head += "\"range\":";
  for (const auto& r : d.related) parts.related.push_back(dump(related_message(ctx.knowledge, finding, r)));
  parts.tail = ",\"severity\":" + std::to_string(static_cast<int>(d.severity)) + ",\"source\":\"c2py\"}";
  return parts;
}

void append_number(std::string& out, uint32_t value) {
  char buffer[16];
  auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out.append(buffer, end);
}

void append_position(std::string& out, const FeatureContext& ctx, uint32_t offset) {
  auto p = ctx.doc.lines.position(offset, ctx.encoding, ctx.text());
  out += "{\"character\":";
  append_number(out, p.character);
  out += ",\"line\":";
  append_number(out, p.line);
  out += '}';
}

void append_range(std::string& out, const FeatureContext& ctx, analysis::ByteRange range) {
  out += "{\"end\":";
  append_position(out, ctx, range.end);
  out += ",\"start\":";
  append_position(out, ctx, range.begin);
  out += '}';
}

// The params of publishDiagnostics as JSON text, the same bytes as dump() of the json the
// fallback below builds.
std::string params_text(const FeatureContext& ctx, DiagnosticMemo& memo) {
  std::lock_guard lock(memo.mutex);
  if (memo.knowledge != &ctx.knowledge) {
    memo.parts.clear();
    memo.knowledge = &ctx.knowledge;
  }
  for (auto& [key, parts] : memo.parts) parts.used = false;
  const std::string uri = dump(ctx.doc.uri);
  std::string out = "{\"diagnostics\":[";
  bool first = true;
  if (ctx.settings.diagnostics_enable)
    for (const auto& finding : ctx.doc.analysis.findings) {
      if (!finding.diagnostic) continue;
      std::string key = content_key(finding);
      auto it = memo.parts.find(key);
      if (it == memo.parts.end()) it = memo.parts.emplace(std::move(key), render_parts(ctx, finding)).first;
      auto& parts = it->second;
      parts.used = true;
      if (!first) out += ',';
      first = false;
      out += parts.head;
      append_range(out, ctx, finding.range);
      if (!parts.related.empty()) {
        out += ",\"relatedInformation\":[";
        for (size_t i = 0; i < parts.related.size(); ++i) {
          if (i > 0) out += ',';
          out += "{\"location\":{\"range\":";
          append_range(out, ctx, finding.diagnostic->related[i].range);
          out += ",\"uri\":" + uri + "},\"message\":" + parts.related[i] + "}";
        }
        out += ']';
      }
      out += parts.tail;
    }
  out += "],\"uri\":" + uri;
  if (ctx.doc.version) out += ",\"version\":" + std::to_string(*ctx.doc.version);
  out += '}';
  std::erase_if(memo.parts, [](const auto& entry) { return !entry.second.used; });
  return out;
}

}  // namespace
}  // namespace c2py::server

C2PY_REGISTER_FEATURE(diagnostics) {
  registry.on_snapshot([](const FeatureContext& ctx) -> std::optional<Notification> {
    if (ctx.doc.diagnostic_memo)
      return Notification{"textDocument/publishDiagnostics", nullptr, params_text(ctx, *ctx.doc.diagnostic_memo)};
    json diagnostics = json::array();
    if (ctx.settings.diagnostics_enable)
      for (const auto& finding : ctx.doc.analysis.findings)
        if (finding.diagnostic) diagnostics.push_back(to_lsp_diagnostic(ctx, finding));
    json params = {{"uri", ctx.doc.uri}, {"diagnostics", diagnostics}};
    // The client's label for the text these are about, when it gave a usable one.
    if (ctx.doc.version) params["version"] = *ctx.doc.version;
    return Notification{"textDocument/publishDiagnostics", std::move(params), {}};
  });
}
