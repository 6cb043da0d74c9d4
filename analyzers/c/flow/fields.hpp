// Node types and fields of the C grammar, looked up without work per call: tree-sitter's field
// lookup by name compares the name against every field of the grammar, and a node's type name
// comes back as a C string whose length every comparison measures again; together they were a
// fifth of the dataflow's profile. Both tables are read from the grammar once (immutable).
#pragma once

#include <string_view>
#include <unordered_map>
#include <vector>

#include "syntax/syntax.hpp"

namespace c2py::analysis::c::flow {

inline TSFieldId field_id(std::string_view name) {
  static const std::unordered_map<std::string_view, TSFieldId> ids = [] {
    std::unordered_map<std::string_view, TSFieldId> table;  // names point into the grammar's tables
    const TSLanguage* language = syntax::grammar(syntax::Language::C);
    uint32_t count = ts_language_field_count(language);
    for (uint32_t id = 1; id <= count; ++id)
      if (const char* field_name = ts_language_field_name_for_id(language, static_cast<TSFieldId>(id)))
        table.emplace(field_name, static_cast<TSFieldId>(id));
    return table;
  }();
  auto it = ids.find(name);
  return it == ids.end() ? 0 : it->second;
}

inline TSNode field(TSNode node, std::string_view name) {
  TSFieldId id = field_id(name);
  return id == 0 || ts_node_is_null(node) ? TSNode{} : ts_node_child_by_field_id(node, id);
}

// The type name of a node of a C tree (what syntax::type_of returns), its length known.
inline std::string_view type_of(TSNode node) {
  static const TSLanguage* const language = syntax::grammar(syntax::Language::C);
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> table;
    uint32_t count = ts_language_symbol_count(language);
    for (uint32_t symbol = 0; symbol < count; ++symbol) {
      const char* name = ts_language_symbol_name(language, static_cast<TSSymbol>(symbol));
      table.emplace_back(name ? name : "");
    }
    return table;
  }();
  if (ts_node_is_null(node)) return {};
  TSSymbol symbol = ts_node_symbol(node);
  if (ts_node_language(node) != language || symbol >= names.size()) return ts_node_type(node);
  return names[symbol];
}

}  // namespace c2py::analysis::c::flow
