// Node types and fields of the C grammar, looked up without work per call: tree-sitter's field
// lookup by name compares the name against every field of the grammar, and a node's type name
// comes back as a C string whose length every comparison measures again; together they were a
// fifth of the dataflow's profile. Both tables are read from the grammar once (immutable).
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "syntax/syntax.hpp"

namespace c2py::analysis::c::flow {

inline TSFieldId field_id(std::string_view name) {
  // The grammar's field names bucketed by length: a lookup compares a few short names, no hashing.
  static const std::vector<std::vector<std::pair<std::string_view, TSFieldId>>> by_length = [] {
    std::vector<std::vector<std::pair<std::string_view, TSFieldId>>> table;
    const TSLanguage* language = syntax::grammar(syntax::Language::C);
    uint32_t count = ts_language_field_count(language);
    for (uint32_t id = 1; id <= count; ++id) {
      const char* field_name = ts_language_field_name_for_id(language, static_cast<TSFieldId>(id));
      if (!field_name) continue;
      std::string_view view(field_name);  // points into the grammar's tables
      if (table.size() <= view.size()) table.resize(view.size() + 1);
      table[view.size()].emplace_back(view, static_cast<TSFieldId>(id));
    }
    return table;
  }();
  if (name.size() >= by_length.size()) return 0;
  for (const auto& [candidate, id] : by_length[name.size()])
    if (candidate == name) return id;
  return 0;
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
