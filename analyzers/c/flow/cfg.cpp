#include "c/flow/cfg.hpp"
#include "c/flow/fields.hpp"

#include <string>
#include <unordered_map>

namespace c2py::analysis::c::flow {
namespace {



// Statement nesting deeper than this is given up on: the builder recurses once per level.
constexpr int kMaxDepth = 200;

class Builder {
 public:
  Builder(Cfg& cfg, std::string_view source) : cfg_(cfg), source_(source) {}

  int add(CfgNode::Kind kind, TSNode ast, std::vector<int> succ) {
    cfg_.nodes.push_back(CfgNode{kind, ast, std::move(succ), {}, false, false});
    return static_cast<int>(cfg_.nodes.size()) - 1;
  }

  int label(std::string_view name) {
    auto [it, inserted] = labels_.try_emplace(std::string(name), -1);
    if (inserted) it->second = add(CfgNode::Kind::Nop, TSNode{}, {});
    return it->second;
  }

  void finish() {
    // A goto to a label that was never defined (broken code): give up rather than guess.
    for (const auto& [name, id] : labels_)
      if (cfg_.nodes[static_cast<size_t>(id)].succ.empty()) throw GiveUp("undefined label");
  }

  // Returns the entry node of `stmt`, whose normal successor is `next`.
  int build(TSNode stmt, int next, int depth) {
    if (depth > kMaxDepth) throw GiveUp("nesting too deep");
    auto kind = type_of(stmt);
    if (kind == "compound_statement") {
      auto children = syntax::named_children(stmt);
      for (auto it = children.rbegin(); it != children.rend(); ++it) next = build(*it, next, depth + 1);
      return next;
    }
    if (kind == "comment" || kind == "type_definition" || kind == "struct_specifier" || kind == "enum_specifier" ||
        kind == "union_specifier" || kind == ";")
      return next;
    if (kind == "expression_statement" || kind == "declaration")
      return ts_node_named_child_count(stmt) == 0 ? next : add(CfgNode::Kind::Statement, stmt, {next});
    if (kind == "if_statement") {
      TSNode alternative = field(stmt, "alternative");
      int otherwise = next;
      if (!ts_node_is_null(alternative)) {
        TSNode inner = type_of(alternative) == "else_clause" ? ts_node_named_child(alternative, 0) : alternative;
        otherwise = build(inner, next, depth + 1);
      }
      int then = build(field(stmt, "consequence"), next, depth + 1);
      int id = add(CfgNode::Kind::Branch, condition(field(stmt, "condition")), {then, otherwise});
      cfg_.nodes[static_cast<size_t>(id)].if_condition = true;
      return id;
    }
    if (kind == "while_statement") {
      int head = add(CfgNode::Kind::Branch, condition(field(stmt, "condition")), {});
      int body = loop_body(field(stmt, "body"), head, next, depth);
      cfg_.nodes[static_cast<size_t>(head)].succ = {body, next};
      return head;
    }
    if (kind == "do_statement") {
      int head = add(CfgNode::Kind::Branch, condition(field(stmt, "condition")), {});
      int body = loop_body(field(stmt, "body"), head, next, depth);
      cfg_.nodes[static_cast<size_t>(head)].succ = {body, next};
      return body;
    }
    if (kind == "for_statement") {
      TSNode cond = field(stmt, "condition");
      int head = ts_node_is_null(cond) ? add(CfgNode::Kind::Nop, TSNode{}, {})
                                       : add(CfgNode::Kind::Branch, cond, {});
      TSNode update = field(stmt, "update");
      int cont = ts_node_is_null(update) ? head : add(CfgNode::Kind::Statement, update, {head});
      int body = loop_body(field(stmt, "body"), cont, next, depth);
      auto& head_node = cfg_.nodes[static_cast<size_t>(head)];
      head_node.succ = ts_node_is_null(cond) ? std::vector<int>{body} : std::vector<int>{body, next};
      TSNode init = field(stmt, "initializer");
      return ts_node_is_null(init) ? head : add(CfgNode::Kind::Statement, init, {head});
    }
    if (kind == "switch_statement") {
      TSNode body = field(stmt, "body");
      breaks_.push_back(next);
      std::vector<int> entries;
      std::vector<TSNode> values;
      bool has_default = false;
      int fall = next;
      auto cases = syntax::named_children(body);
      for (auto it = cases.rbegin(); it != cases.rend(); ++it) {
        if (type_of(*it) != "case_statement") {
          if (type_of(*it) == "comment") continue;
          throw GiveUp("statement outside a case");
        }
        TSNode value = field(*it, "value");
        if (ts_node_is_null(value)) has_default = true;
        auto parts = syntax::named_children(*it);
        for (auto p = parts.rbegin(); p != parts.rend(); ++p) {
          if (!ts_node_is_null(value) && ts_node_eq(*p, value)) continue;
          fall = build(*p, fall, depth + 1);
        }
        entries.push_back(fall);
        values.push_back(value);
      }
      breaks_.pop_back();
      if (!has_default) {
        entries.push_back(next);
        values.push_back(TSNode{});
      }
      int id = add(CfgNode::Kind::Switch, condition(field(stmt, "condition")), std::move(entries));
      cfg_.nodes[static_cast<size_t>(id)].cases = std::move(values);
      return id;
    }
    if (kind == "break_statement") {
      if (breaks_.empty()) throw GiveUp("break outside a loop");
      return breaks_.back();
    }
    if (kind == "continue_statement") {
      if (continues_.empty()) throw GiveUp("continue outside a loop");
      return continues_.back();
    }
    if (kind == "return_statement") return add(CfgNode::Kind::Return, stmt, {});
    if (kind == "goto_statement") return label(syntax::text_of(field(stmt, "label"), source_));
    if (kind == "labeled_statement") {
      int id = label(syntax::text_of(field(stmt, "label"), source_));
      TSNode inner{};
      for (TSNode child : syntax::named_children(stmt))
        if (type_of(child) != "statement_identifier") inner = child;
      int entry = ts_node_is_null(inner) ? next : build(inner, next, depth + 1);
      cfg_.nodes[static_cast<size_t>(id)].succ = {entry};
      return id;
    }
    if (kind == "case_statement") throw GiveUp("case label inside a nested block");
    if (kind == "preproc_if" || kind == "preproc_ifdef" || kind == "preproc_elif" || kind == "preproc_elifdef")
      return conditional(stmt, next, depth);
    if (kind == "preproc_else") return sequence(stmt, next, depth);
    if (kind == "preproc_def" || kind == "preproc_function_def" || kind == "preproc_call" ||
        kind == "preproc_include")
      return next;  // `#define`, `#pragma`, `#undef` inside a body: nothing runs
    if (kind.rfind("preproc_", 0) == 0) throw GiveUp("preprocessor construct in a body");
    if (kind == "ERROR") throw GiveUp("syntax error");
    // attributed statements, asm, ...: no effect the analysis models.
    return add(CfgNode::Kind::Statement, stmt, {next});
  }

 private:
  int loop_body(TSNode body, int cont, int next, int depth) {
    breaks_.push_back(next);
    continues_.push_back(cont);
    int entry = build(body, cont, depth + 1);
    breaks_.pop_back();
    continues_.pop_back();
    return entry;
  }

  // The statements of a conditional group (its children other than the condition, the name and
  // the alternative), in order, then `next`.
  int sequence(TSNode group, int next, int depth) {
    if (depth > kMaxDepth) throw GiveUp("nesting too deep");
    TSNode skip[] = {field(group, "condition"), field(group, "name"), field(group, "alternative")};
    auto children = syntax::named_children(group);
    for (auto it = children.rbegin(); it != children.rend(); ++it) {
      bool part = true;
      for (TSNode s : skip)
        if (!ts_node_is_null(s) && ts_node_eq(s, *it)) part = false;
      if (part) next = build(*it, next, depth + 1);
    }
    return next;
  }

  // `#if C` / `#ifdef N` ... `#elif` ... `#else` ... `#endif` inside a body: either group may be
  // the one compiled, so the graph branches on the condition (the dataflow keeps one answer per
  // condition along a path, so two `#ifdef N` blocks agree).
  int conditional(TSNode stmt, int next, int depth) {
    TSNode alternative = field(stmt, "alternative");
    int otherwise = ts_node_is_null(alternative) ? next : build(alternative, next, depth + 1);
    int then = sequence(stmt, next, depth + 1);
    int id = add(CfgNode::Kind::Branch, stmt, {then, otherwise});
    cfg_.nodes[static_cast<size_t>(id)].preproc = true;
    return id;
  }

  // The condition inside `( ... )`.
  static TSNode condition(TSNode parenthesized) {
    if (type_of(parenthesized) == "parenthesized_expression" && ts_node_named_child_count(parenthesized) == 1)
      return ts_node_named_child(parenthesized, 0);
    return parenthesized;
  }

  Cfg& cfg_;
  std::string_view source_;
  std::unordered_map<std::string, int> labels_;
  std::vector<int> breaks_, continues_;
};

}  // namespace

Cfg build_cfg(TSNode function, std::string_view source) {
  if (ts_node_has_error(function)) throw GiveUp("syntax error");
  TSNode body = field(function, "body");
  if (type_of(body) != "compound_statement") throw GiveUp("no body");
  Cfg cfg;
  Builder builder(cfg, source);
  int end = builder.add(CfgNode::Kind::End, body, {});
  cfg.entry = builder.build(body, end, 0);
  builder.finish();
  return cfg;
}

}  // namespace c2py::analysis::c::flow
