// What the fuzz targets share: documents built the way the server builds them, and every feature's
// answer for one document, as JSON, so two server states can be compared.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "knowledge/knowledge.hpp"
#include "server/documents.hpp"
#include "server/feature.hpp"
#include "server/json_rpc.hpp"
#include "server/settings.hpp"

namespace c2py::fuzz {

// The registry, settings and knowledge base every target uses, built once per process.
struct World {
  server::FeatureRegistry features;
  server::Settings settings;
  knowledge::Base knowledge = knowledge::Base::embedded();
  World() { server::register_all_features(features); }
};
const World& world();

// A snapshot of `text` analysed from scratch, as `--check` makes one.
server::SnapshotPtr fresh_snapshot(syntax::Language language, std::string text);

// Everything an editor shows for the snapshot: diagnostics, inlay hints, hovers at many places,
// code actions per line and (Python) heap snapshots per line, with the server's own labels
// (revision, uri) left out. Throws nothing: a feature's error is part of the answer.
server::json everything(const server::Snapshot& snapshot, server::Encoding encoding, size_t hover_stride);

}  // namespace c2py::fuzz
