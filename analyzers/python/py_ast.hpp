// Small facts about Python syntax trees shared by the Python checks: what a name was last bound
// to in its scope, and what kind of value an expression makes.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "syntax/syntax.hpp"

namespace c2py::analysis::python {

enum class ValueKind { Unknown, List, Dict, Set, Tuple, Str, Bytes, Bytearray, Number, None, Other };

// The kind of object an expression evaluates to, where syntax alone tells.
// Nested deeper than a bound (inputs nest 100 000 levels) the kind is Unknown.
ValueKind kind_of(TSNode expression, std::string_view source, int depth = 0);

// The function (or module) whose local scope holds a name used at `node`.
TSNode scope_of(TSNode node);

// The ancestors of nodes inside `over` (the module, or one of its top-level items, as a file
// check runs), as syntax::ancestors gives them (the root first, the parent last). They are found
// by descending from the top-level item that holds the node (for the module, a binary search
// over its items; else `over`, whose own ancestors are found once) rather than from the root:
// ts_node_parent and syntax::ancestors scan every item before it, quadratic over a module of
// thousands when a check asks about each of its matches.
class Ancestry {
 public:
  explicit Ancestry(TSNode over) : over_(over) {}
  std::vector<TSNode> of(TSNode node);
  TSNode parent(TSNode node);  // as ts_node_parent

 private:
  TSNode over_;
  bool ready_ = false;
  std::vector<TSNode> tops_;        // the root's children in order, or `over` alone
  std::vector<uint32_t> starts_;    // … their start bytes
  std::vector<TSNode> above_;       // the ancestors of tops_[0] when it is `over`
};

struct Binding {
  bool found = false;       // an assignment `name = value` precedes the use in its scope
  bool parameter = false;   // the name is a parameter of the enclosing function
  bool rebound_otherwise = false;  // bound by for/with/import/def/augmented assignment too
  TSNode value{};           // the right side of the last plain assignment
};
// The last binding of `name` in the scope of `use`, before `use` in the text. Nested function and
// class bodies are not looked into.
Binding last_binding(TSNode use, std::string_view name, std::string_view source);

// last_binding for the many uses one check run looks up: each scope's bindings are collected in
// one walk (in the order last_binding's walk meets them), and a lookup replays those that start
// before the use instead of walking the scope's text again. The same answers.
class BindingIndex {
 public:
  Binding last_binding(TSNode use, std::string_view name, std::string_view source);

 private:
  struct Event {
    uint32_t start = 0, end = 0;
    bool assigns = false;  // `name = value`; else a rebinding (def, class, for, with, import)
    std::string_view name;
    TSNode value{};
  };
  struct Scope {
    std::vector<std::string_view> parameters;  // the identifiers in a def's parameters
    std::vector<Event> events;                 // in document order
  };
  const Scope& scope(TSNode node, std::string_view source);
  std::unordered_map<const void*, Scope> scopes_;  // by node (one tree per check run)
};

// Resolving a name walks its whole scope. A file-scope check spends at most `passes` times the
// size of the node it runs over (the module, or one top-level definition: see engine.cpp), and
// at least 1 MiB, of scope text on lookups per run, so its cost stays linear in that node; past
// the budget, names count as unknown and nothing is reported about them.
class LookupBudget {
 public:
  explicit LookupBudget(TSNode over, size_t passes = 4)
      : left_(std::max<size_t>(size_t{ts_node_end_byte(over) - ts_node_start_byte(over)} * passes, 1 << 20)) {}
  // Charges one lookup of a name used at `use`; false when the budget is spent.
  bool take(TSNode use) {
    TSNode scope = scope_of(use);
    size_t cost = ts_node_end_byte(scope) - ts_node_start_byte(scope) + 1;
    if (cost > left_) {
      left_ = 0;
      return false;
    }
    left_ -= cost;
    return true;
  }
  // python::last_binding, through this run's index of the scopes' bindings.
  Binding last_binding(TSNode use, std::string_view name, std::string_view source) {
    return bindings_.last_binding(use, name, source);
  }

 private:
  size_t left_;
  BindingIndex bindings_;
};

// The nearest enclosing for/while loop inside the same function (or module), or a null node.
TSNode enclosing_loop(TSNode node);

// The statement that holds `node` directly in a block or the module: where a line can be inserted.
TSNode enclosing_statement(TSNode node);

// Byte offset of the start of the line holding `offset`, and that line's indentation.
uint32_t line_start(std::string_view source, uint32_t offset);
std::string indentation(std::string_view source, uint32_t offset);

// True when a top-level `import <module>` binds the module name for the whole file.
bool module_imports(TSNode any_node, std::string_view module, std::string_view source);

// True when `name` occurs as an identifier inside `node`.
bool mentions(TSNode node, std::string_view name, std::string_view source);

// An integer literal's value (underscores allowed), or -1.
long long integer_value(TSNode node, std::string_view source);

// The expression's text for a message: one line, at most 60 characters (cut with "…").
std::string short_text(TSNode node, std::string_view source);

}  // namespace c2py::analysis::python
