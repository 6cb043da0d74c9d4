// Diagnostics: pushed with textDocument/publishDiagnostics whenever a new analysis is published.
#include "server/feature.hpp"

C2PY_REGISTER_FEATURE(diagnostics) {
  registry.on_snapshot([](const FeatureContext& ctx) -> std::optional<Notification> {
    json diagnostics = json::array();
    if (ctx.settings.diagnostics_enable)
      for (const auto& finding : ctx.doc.analysis.findings)
        if (finding.diagnostic) diagnostics.push_back(to_lsp_diagnostic(ctx, finding));
    return Notification{"textDocument/publishDiagnostics",
                        {{"uri", ctx.doc.uri}, {"version", ctx.doc.version}, {"diagnostics", diagnostics}}};
  });
}
