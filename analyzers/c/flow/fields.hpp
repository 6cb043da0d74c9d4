// Field lookup by id: tree-sitter's lookup by name compares the name against every field of the
// grammar on each call, which dominated the dataflow's profile. The ids are read from the C
// grammar once (an immutable table).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "syntax/syntax.hpp"

namespace c2py::analysis::c::flow {

inline TSFieldId field_id(std::string_view name) {
  static const std::unordered_map<std::string, TSFieldId> ids = [] {
    std::unordered_map<std::string, TSFieldId> table;
    const TSLanguage* language = syntax::grammar(syntax::Language::C);
    uint32_t count = ts_language_field_count(language);
    for (uint32_t id = 1; id <= count; ++id)
      if (const char* field_name = ts_language_field_name_for_id(language, static_cast<TSFieldId>(id)))
        table.emplace(field_name, static_cast<TSFieldId>(id));
    return table;
  }();
  auto it = ids.find(std::string(name));
  return it == ids.end() ? 0 : it->second;
}

inline TSNode field(TSNode node, std::string_view name) {
  TSFieldId id = field_id(name);
  return id == 0 || ts_node_is_null(node) ? TSNode{} : ts_node_child_by_field_id(node, id);
}

}  // namespace c2py::analysis::c::flow
