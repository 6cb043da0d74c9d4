// What an LSP feature file under server/features/ sees: a snapshot of one document, the settings,
// the knowledge base, and the negotiated position encoding. A feature registers its handlers and
// its part of the server capabilities with C2PY_REGISTER_FEATURE; the plumbing does the rest
// (lookup of the document, waiting for its newest analysis, cancellation, errors).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "knowledge/knowledge.hpp"
#include "server/documents.hpp"
#include "server/json_rpc.hpp"
#include "server/settings.hpp"

namespace c2py::server {

struct FeatureContext {
  const Snapshot& doc;
  const Settings& settings;
  const knowledge::Base& knowledge;
  Encoding encoding;

  std::string_view text() const { return *doc.text; }
  json position(uint32_t offset) const;
  json range(analysis::ByteRange range) const;
  // Byte offset of an LSP Position object; throws RequestError(InvalidParams) when malformed.
  uint32_t offset(const json& position) const;
  analysis::ByteRange byte_range(const json& range) const;
};

// Which document a request is about, from its params (default: params.textDocument.uri).
using UriOf = std::function<std::string(const json& params)>;
using DocumentHandler = std::function<json(const FeatureContext&, const json& params)>;
// Builds a notification (method and params) for a newly published snapshot, or nothing.
struct Notification {
  std::string method;
  json params;
  std::string params_text;  // when not empty: the params as JSON text, sent as they are
  // The params as a value, whichever way they were given.
  json params_value() const { return params_text.empty() ? params : json::parse(params_text); }
};
using SnapshotHandler = std::function<std::optional<Notification>(const FeatureContext&)>;

class FeatureRegistry {
 public:
  struct DocumentRequest {
    std::string method;
    DocumentHandler handler;
    UriOf uri_of;
  };
  void document_request(std::string method, DocumentHandler handler, UriOf uri_of = {});
  void on_snapshot(SnapshotHandler handler);
  // Merged into the ServerCapabilities of the initialize result (JSON merge patch).
  void capabilities(const json& patch);

  const std::vector<DocumentRequest>& document_requests() const { return requests_; }
  const std::vector<SnapshotHandler>& snapshot_handlers() const { return snapshot_handlers_; }
  const json& capabilities() const { return capabilities_; }

 private:
  std::vector<DocumentRequest> requests_;
  std::vector<SnapshotHandler> snapshot_handlers_;
  json capabilities_ = json::object();
};

void register_all_features(FeatureRegistry& registry);  // generated: cmake/registry.cmake

// Helpers shared by features: LSP shapes of findings.
json lesson_data(const knowledge::Base& knowledge, const analysis::Finding& finding);
json to_lsp_diagnostic(const FeatureContext& ctx, const analysis::Finding& finding);
// The hover Markdown of a finding: its entry adapted to the user's code.
std::string render_hover(const knowledge::Base& knowledge, const analysis::Finding& finding);
// The whole entry, for a hover on a diagnostic's code.
std::string render_entry(const knowledge::Entry& entry);

// A diagnostic's message: the entry's `message[variant]` template filled from the finding's
// bindings (`{@name}`: the entry's `phrase[<binding name's value>]`), else the analyzer's own text.
std::string diagnostic_message(const knowledge::Base& knowledge, const analysis::Finding& finding);

// The message of one of a diagnostic's related locations: its own text, or the entry's
// `related[kind]` filled from the finding's bindings.
std::string related_message(const knowledge::Base& knowledge, const analysis::Finding& finding,
                            const analysis::Related& related);
// The title of a diagnostic's fix: the entry's `fix[variant]` for the first, else the analyzer's.
std::string fix_text(const knowledge::Base& knowledge, const analysis::Finding& finding, size_t index);

// The finding whose entry a hover at `offset` shows (features/hover.cpp); null if none.
const analysis::Finding* hover_finding(const FeatureContext& ctx, uint32_t offset);
// A template of the entry with the finding's bindings filled in ("" when the entry has none).
std::string fill_c(const knowledge::Base& knowledge, const analysis::Finding& finding);
std::string fill_python(const knowledge::Base& knowledge, const analysis::Finding& finding);

}  // namespace c2py::server

// Registers a feature. Write it at the start of a line, at global scope, followed by the body of
// `void register_feature_Name(FeatureRegistry& registry)`.
#define C2PY_REGISTER_FEATURE(Name)                                 \
  namespace c2py::server {                                          \
  void register_feature_##Name(FeatureRegistry& registry);          \
  }                                                                 \
  void c2py::server::register_feature_##Name(c2py::server::FeatureRegistry& registry)
