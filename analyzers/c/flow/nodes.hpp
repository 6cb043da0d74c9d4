// What one function's analysis reads of the tree, read once per node (issue 14). The exploration
// evaluates a statement or a condition once per path state that reaches it; every node it touches
// gets a `NodeInfo` on first sight, found again through a flat table keyed by the node's id (one
// probe, no allocation), holding its kind as an enum (no comparison of type names), the fields it
// was asked for (as indices of other entries), its named children, its text and what the
// analyzer derived from it (whether an identifier is local, a call's callee, whether a condition
// tests only NULL...): all functions of the function's text, so the table is kept between the
// analyses of one function under different summaries (dataflow.hpp, Prepared). Internal to analyzers/c/flow.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string_view>
#include <vector>

#include "c/flow/fields.hpp"

namespace c2py::analysis::c::flow {

// ts_node_is_null and ts_node_start_byte as tree-sitter defines them (node.c), inline: the
// exploration asks them once per value it follows.
inline bool is_null(TSNode node) { return node.id == nullptr; }
inline uint32_t start_byte(TSNode node) { return node.context[0]; }

// The node types the transfer functions tell apart; Other for the rest.
enum class NK : uint8_t {
  Other, Identifier, FieldExpr, Subscript, PointerExpr, Paren, Cast, Null, False, True, Number, String,
  ConcatString, Call, Assign, Update, Binary, Conditional, Comma, Sizeof, Alignof, Offsetof, Char, InitList,
  CompoundLiteral, InitPair, Unary, Comment, Declaration, ExpressionStatement, InitDeclarator, PointerDeclarator,
  ArrayDeclarator,
};

// The kind of a node of a C tree, from a table by grammar symbol (built once from the names).
inline NK kind_of(TSNode node) {
  static const TSLanguage* const language = syntax::grammar(syntax::Language::C);
  static const std::vector<NK> kinds = [] {
    constexpr std::pair<std::string_view, NK> named[] = {
        {"identifier", NK::Identifier}, {"field_expression", NK::FieldExpr}, {"subscript_expression", NK::Subscript},
        {"pointer_expression", NK::PointerExpr}, {"parenthesized_expression", NK::Paren}, {"cast_expression", NK::Cast},
        {"null", NK::Null}, {"false", NK::False}, {"true", NK::True}, {"number_literal", NK::Number},
        {"string_literal", NK::String}, {"concatenated_string", NK::ConcatString}, {"call_expression", NK::Call},
        {"assignment_expression", NK::Assign}, {"update_expression", NK::Update}, {"binary_expression", NK::Binary},
        {"conditional_expression", NK::Conditional}, {"comma_expression", NK::Comma},
        {"sizeof_expression", NK::Sizeof}, {"alignof_expression", NK::Alignof}, {"offsetof_expression", NK::Offsetof},
        {"char_literal", NK::Char}, {"initializer_list", NK::InitList},
        {"compound_literal_expression", NK::CompoundLiteral}, {"initializer_pair", NK::InitPair},
        {"unary_expression", NK::Unary}, {"comment", NK::Comment}, {"declaration", NK::Declaration},
        {"expression_statement", NK::ExpressionStatement}, {"init_declarator", NK::InitDeclarator},
        {"pointer_declarator", NK::PointerDeclarator}, {"array_declarator", NK::ArrayDeclarator},
    };
    std::vector<NK> table;
    uint32_t count = ts_language_symbol_count(language);
    for (uint32_t symbol = 0; symbol < count; ++symbol) {
      const char* name = ts_language_symbol_name(language, static_cast<TSSymbol>(symbol));
      std::string_view view = name ? name : "";
      NK kind = NK::Other;
      for (const auto& [n, k] : named)
        if (n == view) kind = k;
      table.push_back(kind);
    }
    return table;
  }();
  if (is_null(node)) return NK::Other;
  TSSymbol symbol = ts_node_symbol(node);
  if (ts_node_language(node) != language || symbol >= kinds.size()) {
    // Another grammar's node (never in practice): by name, as type_of would compare it.
    return NK::Other;
  }
  return kinds[symbol];
}

// The fields the analysis reads.
enum class F : uint8_t {
  argument, op, field, index, left, right, function, arguments, value, condition, consequence, alternative,
  declarator, type, name, body, parameters, count
};

inline std::string_view field_name(F f) {
  static constexpr std::string_view names[] = {"argument", "operator", "field", "index", "left", "right",
                                               "function", "arguments", "value", "condition", "consequence",
                                               "alternative", "declarator", "type", "name", "body", "parameters"};
  return names[static_cast<size_t>(f)];
}

// flow::field for code outside the analyzer (not cached).
inline TSNode field(TSNode node, F f) { return field(node, field_name(f)); }

struct NodeInfo {
  TSNode node{};
  NK kind = NK::Other;
  bool has_text = false;
  int8_t local = -1;         // identifier: is_local, once asked (after the locals are known)
  int8_t null_test = -1;     // condition: is_null_test
  int8_t opaque = -1;        // condition: is_opaque
  int8_t null_literal = -1;  // is_null_literal
  int32_t stripped = -2;     // the entry of the node without its parentheses, once asked
  bool has_constant = false;
  std::optional<long long> constant;  // c::constant_value, once has_constant
  bool has_callee = false;
  int32_t children = -1;     // index into NodeTable's child lists, once asked
  std::string_view text;     // once has_text
  std::string_view callee;   // call: c::callee_name, once has_callee
  std::array<int32_t, static_cast<size_t>(F::count)> fields;  // -2 not read yet, -1 none, else an index
  NodeInfo() { fields.fill(-2); }
};

// Entries for the nodes of one tree (one function's analysis).
class NodeTable {
 public:
  int32_t index(TSNode node) {
    // Runs of questions about one node, and about the child just handed out.
    if (node.id == last_id_) return last_;
    if (node.id == child_id_) return child_;
    last_id_ = node.id;
    last_ = find_or_add(node);
    return last_;
  }
  // The entry `i` is the next one asked about (a child just found).
  void handed_out(int32_t i) {
    child_id_ = infos_[static_cast<size_t>(i)].node.id;
    child_ = i;
  }
  // An entry, valid until the next call that may add one (index, field, children, text).
  NodeInfo& at(int32_t i) { return infos_[static_cast<size_t>(i)]; }
  NodeInfo& operator[](TSNode node) { return at(index(node)); }
  size_t size() const { return infos_.size(); }

  // The field `f` of the entry `i` (null when it has none).
  TSNode field(int32_t i, F f) {
    int32_t slot = infos_[static_cast<size_t>(i)].fields[static_cast<size_t>(f)];
    if (slot == -2) {
      TSNode parent = infos_[static_cast<size_t>(i)].node;
      TSFieldId id = field_id(field_name(f));
      TSNode child = id == 0 ? TSNode{} : ts_node_child_by_field_id(parent, id);
      slot = is_null(child) ? -1 : find_or_add(child);
      infos_[static_cast<size_t>(i)].fields[static_cast<size_t>(f)] = slot;
    }
    if (slot < 0) return TSNode{};
    handed_out(slot);
    return infos_[static_cast<size_t>(slot)].node;
  }
  TSNode field(TSNode node, F f) { return is_null(node) ? TSNode{} : field(index(node), f); }

  const std::vector<TSNode>& children(TSNode node) {
    int32_t i = index(node);
    if (infos_[static_cast<size_t>(i)].children < 0) {
      lists_.push_back(syntax::named_children(node));
      infos_[static_cast<size_t>(i)].children = static_cast<int32_t>(lists_.size()) - 1;
    }
    return lists_[static_cast<size_t>(infos_[static_cast<size_t>(i)].children)];
  }

  std::string_view text(TSNode node, std::string_view source) {
    if (is_null(node)) return {};
    NodeInfo& info = (*this)[node];
    if (!info.has_text) {
      info.text = syntax::text_of(node, source);
      info.has_text = true;
    }
    return info.text;
  }

 private:
  int32_t find_or_add(TSNode node) {
    if (slots_.empty()) {
      slots_.assign(256, Slot{});
      infos_.reserve(128);  // room before the table first grows: no copies of entries below it
    }
    size_t mask = slots_.size() - 1;
    for (size_t at = hash(node.id) & mask;; at = (at + 1) & mask) {
      const Slot& slot = slots_[at];
      if (slot.index < 0) {
        int32_t i = static_cast<int32_t>(infos_.size());
        infos_.emplace_back();
        infos_.back().node = node;
        infos_.back().kind = kind_of(node);
        slots_[at] = Slot{node.id, i};
        if (2 * infos_.size() > slots_.size()) grow();
        return i;
      }
      if (slot.id == node.id) return slot.index;
    }
  }

  static size_t hash(const void* id) {
    return static_cast<size_t>((reinterpret_cast<uintptr_t>(id) >> 3) * 0x9E3779B97F4A7C15ull >> 20);
  }
  void grow() {
    std::vector<Slot> bigger(slots_.size() * 2, Slot{});
    size_t mask = bigger.size() - 1;
    for (size_t i = 0; i < infos_.size(); ++i) {
      size_t at = hash(infos_[i].node.id) & mask;
      while (bigger[at].index >= 0) at = (at + 1) & mask;
      bigger[at] = Slot{infos_[i].node.id, static_cast<int32_t>(i)};
    }
    slots_ = std::move(bigger);
  }

  struct Slot {  // the key beside the index: a probe reads no entry
    const void* id = nullptr;
    int32_t index = -1;
  };
  std::vector<Slot> slots_;
  std::vector<NodeInfo> infos_;
  std::deque<std::vector<TSNode>> lists_;  // children() hands out references: they stay valid
  const void* last_id_ = nullptr;
  int32_t last_ = -1;
  const void* child_id_ = nullptr;
  int32_t child_ = -1;
};

}  // namespace c2py::analysis::c::flow
