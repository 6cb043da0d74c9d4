// Inlay hints: short labels from findings (bytes requested, the Python equivalent, lifetimes,
// reference counts, sizes), each kind switchable in the settings. Tooltips come on resolve.
#include "server/feature.hpp"

namespace c2py::server {
namespace {

// A hint is named by its finding's index and its own index in that finding; resolve finds it so.
const analysis::InlayHint* hint_at(const Snapshot& doc, const json& data, const analysis::Finding*& finding) {
  if (!data.contains("finding") || !data.contains("hint") || !data["finding"].is_number_unsigned() ||
      !data["hint"].is_number_unsigned())
    return nullptr;
  size_t f = data["finding"].get<size_t>(), h = data["hint"].get<size_t>();
  if (f >= doc.analysis.findings.size() || h >= doc.analysis.findings[f].hints.size()) return nullptr;
  finding = &doc.analysis.findings[f];
  return &finding->hints[h];
}

}  // namespace
}  // namespace c2py::server

C2PY_REGISTER_FEATURE(inlay_hints) {
  registry.capabilities({{"inlayHintProvider", {{"resolveProvider", true}}}});
  registry.document_request("textDocument/inlayHint", [](const FeatureContext& ctx, const json& params) -> json {
    auto range = ctx.byte_range(params.value("range", json()));
    json hints = json::array();
    const auto& findings = ctx.doc.analysis.findings;
    auto [first, last] = ctx.doc.analysis.findings_near(range.begin, range.end);
    // An idiom's estimate and the runtime model's figure may size the same object: one size
    // hint per place is enough, the first in document order.
    std::vector<uint32_t> sized;
    for (size_t f = first; f < last; ++f) {
      for (size_t h = 0; h < findings[f].hints.size(); ++h) {
        const auto& hint = findings[f].hints[h];
        if (hint.offset < range.begin || hint.offset > range.end || !ctx.settings.hint_enabled(hint.kind)) continue;
        if (hint.kind == analysis::HintKind::Sizes) {
          if (std::find(sized.begin(), sized.end(), hint.offset) != sized.end()) continue;
          sized.push_back(hint.offset);
        }
        json data = lesson_data(ctx.knowledge, findings[f]);
        data["uri"] = ctx.doc.uri;
        data["revision"] = ctx.doc.revision;
        data["finding"] = f;
        data["hint"] = h;
        data["kind"] = std::string(analysis::hint_kind_name(hint.kind));
        // Padding on the left always; on the right where code follows on the line (`)40 B;`).
        std::string_view text = ctx.text();
        bool code_follows = hint.offset < text.size() && text[hint.offset] != '\n' && text[hint.offset] != '\r' &&
                            text[hint.offset] != ' ' && text[hint.offset] != '\t';
        hints.push_back({{"position", ctx.position(hint.offset)}, {"label", hint.label}, {"paddingLeft", true},
                         {"paddingRight", code_follows}, {"data", data}});
      }
    }
    return hints;
  });
  registry.document_request(
      "inlayHint/resolve",
      [](const FeatureContext& ctx, const json& params) -> json {
        json hint = params;
        const json& data = params["data"];
        if (!data.contains("revision") || data["revision"] != ctx.doc.revision) return hint;  // outdated: as it is
        const analysis::Finding* finding = nullptr;
        const auto* h = hint_at(ctx.doc, data, finding);
        if (!h) return hint;
        std::string tooltip = h->tooltip.empty() ? render_hover(ctx.knowledge, *finding) : h->tooltip;
        if (!tooltip.empty()) hint["tooltip"] = {{"kind", "markdown"}, {"value", tooltip}};
        return hint;
      },
      [](const json& params) -> std::string {
        if (!params.is_object() || !params.contains("data") || !params["data"].is_object() ||
            !params["data"].contains("uri") || !params["data"]["uri"].is_string())
          throw RequestError{error_code::InvalidParams, "inlay hint has no data.uri: was it made by c2py-lsp?"};
        return params["data"]["uri"].get<std::string>();
      });
}
