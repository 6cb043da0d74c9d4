#include "fuzz_support.hpp"

namespace c2py::fuzz {

using server::json;

const World& world() {
  static const World instance;  // immutable after construction: shared by every run
  return instance;
}

server::SnapshotPtr fresh_snapshot(syntax::Language language, std::string text) {
  auto snapshot = std::make_shared<server::Snapshot>();
  snapshot->uri = "file:///fuzz";
  snapshot->language = language;
  snapshot->text = std::make_shared<const std::string>(std::move(text));
  snapshot->lines = server::LineIndex(*snapshot->text);
  syntax::Parser parser(language);
  snapshot->tree = parser.parse(*snapshot->text);
  analysis::UnitCache cache;
  snapshot->analysis = analysis::analyze(language, snapshot->tree, *snapshot->text, {}, cache);
  return snapshot;
}

namespace {

json call(const World& w, const server::FeatureContext& ctx, std::string_view method, const json& params) {
  for (const auto& request : w.features.document_requests()) {
    if (request.method != method) continue;
    try {
      return request.handler(ctx, params);
    } catch (const server::RequestError& e) {
      return {{"error", e.code}};
    }
  }
  return nullptr;
}

void scrub(json& value) {
  // Labels of the server's own bookkeeping differ between two equal texts.
  if (value.is_object()) {
    value.erase("revision");
    value.erase("uri");
    value.erase("version");
    for (auto& [key, item] : value.items()) scrub(item);
  } else if (value.is_array()) {
    for (auto& item : value) scrub(item);
  }
}

}  // namespace

json everything(const server::Snapshot& snapshot, server::Encoding encoding, size_t hover_stride) {
  const World& w = world();
  server::FeatureContext ctx{snapshot, w.settings, w.knowledge, encoding};
  json out = json::object();
  for (const auto& handler : w.features.snapshot_handlers())
    if (auto notification = handler(ctx)) out["published"].push_back(notification->params_value());
  json doc = {{"uri", snapshot.uri}};
  uint32_t lines = snapshot.lines.line_count();
  json whole = {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", lines + 1}, {"character", 0}}}};
  out["hints"] = call(w, ctx, "textDocument/inlayHint", {{"textDocument", doc}, {"range", whole}});
  std::string_view text = *snapshot.text;
  for (size_t offset = 0; offset <= text.size(); offset += std::max<size_t>(hover_stride, 1)) {
    json position = ctx.position(static_cast<uint32_t>(offset));
    out["hovers"].push_back(call(w, ctx, "textDocument/hover", {{"textDocument", doc}, {"position", position}}));
  }
  // A snapshot of a line the model ran re-simulates from the last checkpoint before it (one of
  // a line it never ran costs nothing), but checkpoints are sparse where copying them would not
  // pay (runtime_model/checkpoint.cpp): a loop that runs to model.maxSteps still costs a whole
  // run per snapshot. So at most 32 per input, spread over the file (one per line made Python
  // inputs quadratic and the fuzzer slow).
  uint32_t heap_stride = std::max<uint32_t>(1, std::min<uint32_t>(lines, 400) / 32);
  for (uint32_t line = 0; line < std::min<uint32_t>(lines, 400); ++line) {
    json range = {{"start", {{"line", line}, {"character", 0}}}, {"end", {{"line", line + 1}, {"character", 0}}}};
    out["actions"].push_back(call(w, ctx, "textDocument/codeAction",
                                  {{"textDocument", doc}, {"range", range}, {"context", {{"diagnostics", json::array()}}}}));
    if (snapshot.language == syntax::Language::Python && line % heap_stride == 0)
      out["heap"].push_back(call(w, ctx, "c2py/heapSnapshot",
                                 {{"textDocument", doc}, {"position", {{"line", line}, {"character", 0}}}}));
  }
  scrub(out);
  return out;
}

}  // namespace c2py::fuzz
