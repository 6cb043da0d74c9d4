// Diagnostics: pushed with textDocument/publishDiagnostics whenever a new analysis is published.
#include "server/feature.hpp"

C2PY_REGISTER_FEATURE(diagnostics) {
  registry.on_snapshot([](const FeatureContext& ctx) -> std::optional<Notification> {
    json diagnostics = json::array();
    if (ctx.settings.diagnostics_enable)
      for (const auto& finding : ctx.doc.analysis.findings)
        if (finding.diagnostic) diagnostics.push_back(to_lsp_diagnostic(ctx, finding));
    json params = {{"uri", ctx.doc.uri}, {"diagnostics", diagnostics}};
    // The client's label for the text these are about, when it gave a usable one.
    if (ctx.doc.version) params["version"] = *ctx.doc.version;
    return Notification{"textDocument/publishDiagnostics", std::move(params)};
  });
}
