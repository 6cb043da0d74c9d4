// Hover: the knowledge entry of the idiom under the cursor, written with the user's own names.
// Inside a diagnostic's range the whole entry follows, so the reason for a warning is one hover
// away.
#include "server/feature.hpp"

namespace c2py::server {

// A diagnostic's finding wins over a note inside its range (the reason for a warning is what the
// reader hovers for); otherwise, and among diagnostics, the narrowest finding wins.
const analysis::Finding* hover_finding(const FeatureContext& ctx, uint32_t offset) {
  const analysis::Finding* best = nullptr;
  const auto& findings = ctx.doc.analysis.findings;
  auto [first, last] = ctx.doc.analysis.findings_near(offset, offset);
  for (size_t i = first; i < last; ++i) {
    const auto& finding = findings[i];
    if (!finding.range.contains(offset) || !ctx.knowledge.find(finding.idiom)) continue;
    auto size = finding.range.end - finding.range.begin;
    bool diagnostic = finding.diagnostic.has_value(), best_diagnostic = best && best->diagnostic.has_value();
    if (!best || (diagnostic && !best_diagnostic) ||
        (diagnostic == best_diagnostic && size < best->range.end - best->range.begin))
      best = &finding;
  }
  return best;
}

}  // namespace c2py::server

C2PY_REGISTER_FEATURE(hover) {
  registry.capabilities({{"hoverProvider", true}});
  registry.document_request("textDocument/hover", [](const FeatureContext& ctx, const json& params) -> json {
    uint32_t offset = ctx.offset(params.value("position", json()));
    const auto* finding = hover_finding(ctx, offset);
    if (!finding) return nullptr;
    std::string markdown = render_hover(ctx.knowledge, *finding);
    if (finding->diagnostic) {
      if (const auto* entry = ctx.knowledge.find(finding->idiom))
        markdown += "\n---\n\n" + render_entry(*entry);
    }
    return {{"contents", {{"kind", "markdown"}, {"value", markdown}}}, {"range", ctx.range(finding->range)}};
  });
}
