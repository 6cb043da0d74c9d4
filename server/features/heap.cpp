// c2py/heapSnapshot: the runtime model's heap right after the statement on a line first executes
// (design.md). The snapshot is re-simulated from the document's immutable trace on request.
#include "runtime_model/model.hpp"
#include "server/feature.hpp"

namespace c2py::server {
namespace {

json optional_int(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }
std::string object_id(uint32_t id) { return "o" + std::to_string(id); }

json to_json(const runtime_model::HeapSnapshot& snap, uint32_t line) {
  json objects = json::array();
  for (const auto& o : snap.objects) {
    json refs = json::array();
    for (const auto& r : o.refs) refs.push_back({{"to", object_id(r.to)}, {"via", r.via}});
    json referrers = json::array();
    for (auto id : o.referrers) referrers.push_back(object_id(id));
    objects.push_back({{"id", object_id(o.id)},
                       {"type", o.type},
                       {"refcount", optional_int(o.refcount)},
                       {"interpreterRefs", optional_int(o.interpreter_refs)},
                       {"immortal", o.immortal},
                       {"size", optional_int(o.size)},
                       {"length", optional_int(o.length)},
                       {"capacity", optional_int(o.capacity)},
                       {"value", o.value ? json(*o.value) : json(nullptr)},
                       {"names", o.names},
                       {"refs", refs},
                       {"referrers", referrers},
                       {"unreachable", o.unreachable}});
  }
  json freed = json::array();
  for (const auto& f : snap.freed)
    freed.push_back({{"id", object_id(f.id)}, {"type", f.type}, {"size", optional_int(f.size)}});
  json result = {{"line", line}, {"complete", snap.executed && snap.complete}, {"objects", objects}, {"freed", freed}};
  // Not part of the contract: why the snapshot is incomplete, for logs and curious clients.
  if (!snap.reason.empty()) result["reason"] = snap.reason;
  return result;
}

}  // namespace
}  // namespace c2py::server

C2PY_REGISTER_FEATURE(heap) {
  registry.capabilities({{"experimental", {{"heapSnapshot", true}}}});
  registry.document_request("c2py/heapSnapshot", [](const FeatureContext& ctx, const json& params) -> json {
    const json& position = params.value("position", json());
    if (!position.is_object() || !position.contains("line") || !position["line"].is_number_integer() ||
        position["line"].get<int64_t>() < 0)
      throw RequestError{error_code::InvalidParams, "c2py/heapSnapshot needs position.line (0-based)"};
    int64_t requested = position["line"].get<int64_t>();
    uint32_t line = requested > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(requested);
    const auto& heap = ctx.doc.analysis.heap;
    if (!heap) {
      json result = {{"line", line}, {"complete", false}, {"objects", json::array()}, {"freed", json::array()}};
      result["reason"] = ctx.doc.language == syntax::Language::Python ? "the file was not analyzed" : "not a Python file";
      return result;
    }
    json result = to_json(heap->snapshot(line), line);
    result["line"] = requested;  // echo the request, even past the end of the file
    return result;
  });
}
