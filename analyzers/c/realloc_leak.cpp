// realloc: resizing by hand (MM09), and the `p = realloc(p, n)` trap that loses the only pointer
// to the block when realloc fails (diagnostic realloc-leak, with a fix through a temporary).
// Python lists resize themselves (MM02). The dataflow (flow/dataflow.cpp) models the same call:
// on failure the old block stays live, so it never reports that loss as a memory-leak too.
#include "c/c_ast.hpp"
#include "c/flow/dataflow.hpp"
#include "c/flow/file_flow.hpp"
#include "c/native_match.hpp"
#include "check.hpp"

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace c2py::analysis {
namespace {

// A C identifier made from an lvalue: "s->buf" → "buf", "arr" → "arr".
std::string base_identifier(std::string_view lvalue) {
  size_t start = lvalue.size();
  while (start > 0 && (std::isalnum(static_cast<unsigned char>(lvalue[start - 1])) || lvalue[start - 1] == '_')) --start;
  std::string name(lvalue.substr(start));
  return name.empty() || std::isdigit(static_cast<unsigned char>(name[0])) ? "block" : name;
}

bool identifier_used(std::string_view source, const std::string& name) {
  size_t at = 0;
  while ((at = source.find(name, at)) != std::string_view::npos) {
    bool left = at == 0 || !(std::isalnum(static_cast<unsigned char>(source[at - 1])) || source[at - 1] == '_');
    size_t end = at + name.size();
    bool right = end >= source.size() || !(std::isalnum(static_cast<unsigned char>(source[end])) || source[end] == '_');
    if (left && right) return true;
    at = end;
  }
  return false;
}

std::string line_indent(std::string_view source, uint32_t offset) {
  uint32_t start = offset;
  while (start > 0 && source[start - 1] != '\n') --start;
  uint32_t end = start;
  while (end < source.size() && (source[end] == ' ' || source[end] == '\t')) ++end;
  return std::string(source.substr(start, end - start));
}

// The trap: `p = realloc(p, n)` (the result overwrites the pointer it resizes).
bool is_trap(TSNode call, const std::optional<c::Target>& target, std::string_view pointer) {
  (void)call;
  return target && target->type.empty() && target->name == pointer;
}

// `within`: the unit or top-level item holding the call (see c::target_of).
Finding realloc_finding(TSNode call, TSNode fn, TSNode args, std::string_view source, TSNode within) {
  auto arguments = syntax::named_children(args);
  std::string pointer(syntax::text_of(arguments[0], source));
  std::string size(syntax::text_of(arguments[1], source));
  auto target = c::target_of(call, source, within);
  auto shape = c::size_shape(arguments[1], source);
  Finding finding;
  finding.idiom = "realloc";
  finding.range = syntax::range_of(fn);
  std::string var = target ? target->name : pointer;
  finding.bindings.set("var", var);
  finding.bindings.set("pointer", pointer);
  finding.bindings.set("size", size);
  finding.bindings.set("count", shape.element_type.empty() ? size : shape.count);
  finding.bindings.set("tmp", base_identifier(var) + "_grown");
  if (shape.bytes) finding.hints.push_back({ts_node_end_byte(call), std::to_string(*shape.bytes) + " B", HintKind::Allocations, {}});
  if (!is_trap(call, target, pointer)) return finding;

  TSNode assignment = ts_node_parent(call);
  while (syntax::type_of(assignment) != "assignment_expression") assignment = ts_node_parent(assignment);
  Diagnostic diagnostic;
  diagnostic.code = "realloc-leak";
  diagnostic.severity = Severity::Warning;
  // The sentences are the entry's `message` and `fix` (knowledge/memory-management/realloc.md).
  finding.range = syntax::range_of(assignment);
  if (syntax::type_of(target->statement) == "expression_statement") {
    std::string tmp = base_identifier(var) + "_grown";
    for (int n = 2; identifier_used(source, tmp); ++n) tmp = base_identifier(var) + "_grown" + std::to_string(n);
    finding.bindings.set("tmp", tmp);
    TSNode statement = target->statement;
    std::string indent = line_indent(source, ts_node_start_byte(statement));
    bool needs_block = syntax::type_of(ts_node_parent(statement)) != "compound_statement";
    std::string inner = needs_block ? indent + "    " : indent;
    std::string text = "void *" + tmp + " = realloc(" + pointer + ", " + size + ");\n" + inner + "if (" + tmp +
                       " == NULL)\n" + inner + "    free(" + pointer + "); /* realloc failed: release the old block */\n" +
                       inner + var + " = " + tmp + ";";
    if (needs_block) text = "{\n" + inner + text + "\n" + indent + "}";
    diagnostic.fixes.push_back({"", FixSafety::Safe,
                                {{syntax::range_of(statement), text}}});
  }
  finding.diagnostic = std::move(diagnostic);
  return finding;
}

const char* const kReallocQuery = R"(
    (call_expression
      function: (identifier) @fn (#eq? @fn "realloc")
      arguments: (argument_list) @args) @call
  )";

// The matches of kReallocQuery, found by hand (see native_match.hpp).
syntax::NativeMatcher realloc_calls() {
  return {{"call_expression"}, [](TSNode node, std::string_view source, std::vector<syntax::Match>& out) {
            c::native::named_call(node, source, {"realloc"}, out);
          }};
}

// The realloc idiom wherever it is called (hover, size hint). Per unit, so it may only look at
// its own function: the `p = realloc(p, n)` trap, whose diagnostic needs to know whether the
// file defines its own realloc, is left to ReallocLeak below.
class ReallocCall final : public Check {
 public:
  std::string_view id() const override { return "c-realloc"; }
  syntax::Language language() const override { return syntax::Language::C; }
  std::vector<const syntax::Query*> queries() const override { return {&query_}; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    // A unit that is itself a definition of realloc is not libc's.
    if (c::flow::function_name(input.node, input.source) == "realloc") return;
    for (const auto& match : input.matches(query_)) {
      TSNode call = match.get("call");
      if (syntax::named_children(match.get("args")).size() != 2) continue;
      auto target = c::target_of(call, input.source, input.node);
      if (is_trap(call, target, syntax::text_of(ts_node_named_child(match.get("args"), 0), input.source))) continue;
      out.push_back(realloc_finding(call, match.get("fn"), match.get("args"), input.source, input.node));
    }
  }

 private:
  syntax::Query query_{syntax::Language::C, kReallocQuery, realloc_calls()};
};

TSNode strip_value(TSNode e) {
  for (int guard = 0; guard < 16; ++guard) {
    auto type = syntax::type_of(e);
    if (type == "parenthesized_expression" && ts_node_named_child_count(e) == 1) e = ts_node_named_child(e, 0);
    else if (type == "cast_expression") e = syntax::field(e, "value");
    else break;
  }
  return e;
}

// Whether, before `call`, the function copies the pointer's value elsewhere (`old = p;`,
// `char *old = p;`): the block is then not lost when realloc fails.
bool saved_before(TSNode call, std::string_view pointer, std::string_view source) {
  TSNode fn = syntax::ancestor_of_type(call, {"function_definition"});
  if (ts_node_is_null(fn)) return false;
  uint32_t limit = ts_node_start_byte(call);
  bool saved = false;
  syntax::walk(syntax::field(fn, "body"), [&](TSNode n) {
    if (saved || ts_node_start_byte(n) >= limit) return false;
    auto type = syntax::type_of(n);
    TSNode left{}, right{};
    if (type == "assignment_expression" && syntax::text_of(syntax::field(n, "operator"), source) == "=") {
      left = syntax::field(n, "left");
      right = syntax::field(n, "right");
    } else if (type == "init_declarator") {
      left = syntax::field(n, "declarator");
      right = syntax::field(n, "value");
    }
    if (!ts_node_is_null(right) && syntax::text_of(strip_value(right), source) == pointer &&
        syntax::text_of(left, source) != pointer)
      saved = true;
    return !saved;
  });
  return saved;
}

// Whether the statement after `p = realloc(p, n);` is `if (!p) <never returns>`: the program
// stops when realloc fails, so nothing leaks.
bool stops_on_failure(const CheckInput& input, TSNode statement, std::string_view var) {
  TSNode next = ts_node_next_named_sibling(statement);
  while (syntax::type_of(next) == "comment") next = ts_node_next_named_sibling(next);
  if (syntax::type_of(next) != "if_statement") return false;
  std::string cond;
  for (char ch : syntax::text_of(syntax::field(next, "condition"), input.source))
    if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '(' && ch != ')') cond += ch;
  std::string v(var);
  if (cond != "!" + v && cond != v + "==NULL" && cond != "NULL==" + v && cond != v + "==0") return false;
  TSNode then = syntax::field(next, "consequence");
  if (syntax::type_of(then) == "compound_statement") {
    auto body = syntax::named_children(then);
    while (!body.empty() && syntax::type_of(body.back()) == "comment") body.pop_back();
    if (body.empty()) return false;
    then = body.back();
  }
  if (syntax::type_of(then) != "expression_statement" || ts_node_named_child_count(then) != 1) return false;
  TSNode call = ts_node_named_child(then, 0);
  if (syntax::type_of(call) != "call_expression") return false;
  std::string callee(c::callee_name(call, input.source));
  if (callee.empty()) return false;
  return c::flow::never_returns(input, callee);
}

// realloc-leak: `p = realloc(p, n)` loses the only pointer to the block when realloc fails. File
// scope: it needs to know that the file does not define realloc itself (one look at the
// top-level items per file, not one per call).
class ReallocLeak final : public Check {
 public:
  std::string_view id() const override { return "c-realloc-leak"; }
  syntax::Language language() const override { return syntax::Language::C; }
  Scope scope() const override { return Scope::File; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    if (input.source.find("realloc") == std::string_view::npos) return;
    if (c::file_defines_function(input, "realloc")) return;
    // Not in the engine's pass over the file: the query runs only over the top-level items whose
    // text says `realloc` (the query's #eq? needs it), usually a few functions of a file; as a
    // group of one, it starts only at call expressions (see syntax::QueryGroup). What the query
    // and the tests that read only the item find (the calls that are the trap, not `realloc(p,
    // 0)`, the old value not saved) is kept per item text between analyses of the document, so an
    // edit reruns the query over the edited item only; the tests that read the rest of the file
    // (whether the program stops on failure, the finding's free temporary name) run every time.
    ItemMemo scratch;
    ItemMemo& memo = input.memory ? input.memory->get<ItemMemo>("c-realloc-leak") : scratch;
    ItemMemo::Map kept;
    for (TSNode item : syntax::named_children(input.node)) {
      auto text = syntax::text_of(item, input.source);
      if (text.find("realloc") == std::string_view::npos) continue;
      uint32_t base = ts_node_start_byte(item);
      std::string key(text);
      auto hit = kept.find(key);
      if (hit == kept.end()) {
        auto old = memo.items.find(key);
        if (old != memo.items.end()) hit = kept.insert(memo.items.extract(old)).position;
        else hit = kept.emplace(std::move(key), traps(item, input.source)).first;
      }
      for (const auto& [begin, end] : hit->second) {
        TSNode call = ts_node_descendant_for_byte_range(item, base + begin, base + end);
        while (!ts_node_is_null(call) && syntax::type_of(call) != "call_expression") call = ts_node_parent(call);
        if (ts_node_is_null(call)) continue;  // never: the item's text is the one the offsets were found in
        TSNode args = syntax::field(call, "arguments");
        auto target = c::target_of(call, input.source, item);
        if (!target) continue;  // never, as above
        if (stops_on_failure(input, target->statement, target->name)) continue;
        out.push_back(realloc_finding(call, syntax::field(call, "function"), args, input.source, item));
      }
    }
    memo.items = std::move(kept);  // the items of this text only: the memo stays the file's size
  }

 private:
  // Per top-level item text: the byte ranges, from the item's start, of its `p = realloc(p, n)`
  // calls that neither free nor follow a copy of the old value.
  struct ItemMemo {
    using Map = std::unordered_map<std::string, std::vector<std::pair<uint32_t, uint32_t>>>;
    Map items;
  };

  std::vector<std::pair<uint32_t, uint32_t>> traps(TSNode item, std::string_view source) const {
    std::vector<std::pair<uint32_t, uint32_t>> found;
    uint32_t base = ts_node_start_byte(item);
    auto matches = group_.run(item, source);
    for (const auto& match : matches[0]) {
      TSNode call = match.get("call");
      if (syntax::named_children(match.get("args")).size() != 2) continue;
      auto target = c::target_of(call, source, item);
      auto pointer = syntax::text_of(ts_node_named_child(match.get("args"), 0), source);
      if (!is_trap(call, target, pointer)) continue;
      // Not a loss: `realloc(p, 0)` frees; the old value is kept elsewhere.
      auto size = c::constant_value(ts_node_named_child(match.get("args"), 1), source);
      if (size && *size == 0) continue;
      if (saved_before(call, pointer, source)) continue;
      found.emplace_back(ts_node_start_byte(call) - base, ts_node_end_byte(call) - base);
    }
    return found;
  }

 private:
  syntax::Query query_{syntax::Language::C, kReallocQuery, realloc_calls()};
  syntax::QueryGroup group_{syntax::Language::C, {&query_}};
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(ReallocCall)
C2PY_REGISTER_CHECK(ReallocLeak)
