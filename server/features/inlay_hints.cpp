// Inlay hints: short labels from findings (bytes requested, the Python equivalent, lifetimes,
// reference counts, sizes), each kind switchable in the settings. Tooltips come on resolve.
#include "server/feature.hpp"

namespace c2py::server {
namespace {

// Hints are numbered in the order of findings; resolve finds one by that index.
template <typename Visit>
void for_each_hint(const Snapshot& doc, Visit visit) {
  size_t index = 0;
  for (const auto& finding : doc.analysis.findings)
    for (const auto& hint : finding.hints) visit(index++, finding, hint);
}

}  // namespace
}  // namespace c2py::server

C2PY_REGISTER_FEATURE(inlay_hints) {
  registry.capabilities({{"inlayHintProvider", {{"resolveProvider", true}}}});
  registry.document_request("textDocument/inlayHint", [](const FeatureContext& ctx, const json& params) -> json {
    auto range = ctx.byte_range(params.value("range", json()));
    json hints = json::array();
    for_each_hint(ctx.doc, [&](size_t index, const analysis::Finding& finding, const analysis::InlayHint& hint) {
      if (hint.offset < range.begin || hint.offset > range.end || !ctx.settings.hint_enabled(hint.kind)) return;
      json data = lesson_data(ctx.knowledge, finding);
      data["uri"] = ctx.doc.uri;
      data["version"] = ctx.doc.version;
      data["index"] = index;
      data["kind"] = std::string(analysis::hint_kind_name(hint.kind));
      hints.push_back({{"position", ctx.position(hint.offset)}, {"label", hint.label}, {"paddingLeft", true}, {"data", data}});
    });
    return hints;
  });
  registry.document_request(
      "inlayHint/resolve",
      [](const FeatureContext& ctx, const json& params) -> json {
        json hint = params;
        const json& data = params["data"];
        if (!data.contains("version") || data["version"] != ctx.doc.version || !data["index"].is_number_unsigned())
          return hint;  // from an older version: nothing more to say
        size_t wanted = data["index"].get<size_t>();
        for_each_hint(ctx.doc, [&](size_t index, const analysis::Finding& finding, const analysis::InlayHint& h) {
          if (index != wanted) return;
          std::string tooltip = h.tooltip.empty() ? render_hover(ctx.knowledge, finding) : h.tooltip;
          if (!tooltip.empty()) hint["tooltip"] = {{"kind", "markdown"}, {"value", tooltip}};
        });
        return hint;
      },
      [](const json& params) -> std::string {
        if (!params.is_object() || !params.contains("data") || !params["data"].is_object() ||
            !params["data"].contains("uri") || !params["data"]["uri"].is_string())
          throw RequestError{error_code::InvalidParams, "inlay hint has no data.uri: was it made by c2py-lsp?"};
        return params["data"]["uri"].get<std::string>();
      });
}
