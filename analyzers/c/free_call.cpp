// free(p): handing a block back by hand (MM01, MM10, MM13); `p = NULL` right after it (MM11);
// and the hint dangling-pointer when the freed pointer stays in scope without that reset.
// Python has no free: an object goes when its last reference does.
#include <algorithm>
#include <cctype>
#include <vector>

#include "c/c_ast.hpp"
#include "c/native_match.hpp"
#include "check.hpp"

namespace c2py::analysis {
namespace {

std::string indent_at(std::string_view source, uint32_t offset) {
  uint32_t start = offset;
  while (start > 0 && source[start - 1] != '\n') --start;
  uint32_t end = start;
  while (end < source.size() && (source[end] == ' ' || source[end] == '\t')) ++end;
  return std::string(source.substr(start, end - start));
}

// `name = <anything>;` as a statement.
bool assigns(TSNode statement, std::string_view name, std::string_view source, bool null_only) {
  if (syntax::type_of(statement) != "expression_statement") return false;
  TSNode e = ts_node_named_child(statement, 0);
  if (syntax::type_of(e) != "assignment_expression" || syntax::text_of(syntax::field(e, "left"), source) != name) return false;
  if (!null_only) return true;
  TSNode right = syntax::field(e, "right");
  auto text = syntax::text_of(right, source);
  return syntax::type_of(right) == "null" || text == "NULL" || text == "0" || text == "nullptr" || text == "(void *)0";
}

// Whether `text` holds `name` where an identifier token could be: not right after a letter or `_`,
// not right before a letter, digit or `_` (the lexer takes the longest word). An identifier node
// spelled `name` lies in the text of every node above it at such a place, so without one there is
// nothing to walk for.
bool holds_word(std::string_view text, std::string_view name) {
  auto letter = [](char ch) { return std::isalpha(static_cast<unsigned char>(ch)) || ch == '_'; };
  for (size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
    size_t end = at + name.size();
    if ((at == 0 || !letter(text[at - 1])) &&
        (end == text.size() || !(letter(text[end]) || std::isdigit(static_cast<unsigned char>(text[end])))))
      return true;
  }
  return false;
}

// Does this compound statement declare `name` itself (so the name ends with it)?
bool declares(TSNode block, std::string_view name, std::string_view source) {
  for (TSNode item : syntax::named_children(block)) {
    if (syntax::type_of(item) != "declaration") continue;
    if (name.empty() || !holds_word(syntax::text_of(item, source), name)) continue;  // no identifier `name` in it
    bool found = false;
    syntax::walk(item, [&](TSNode n) {
      if (found) return false;
      auto kind = syntax::type_of(n);
      if (kind == "identifier" && syntax::text_of(n, source) == name) {
        TSNode parent = c::parent_of(n, item);
        auto pk = syntax::type_of(parent);
        found = pk == "declaration" || pk == "init_declarator" || pk == "pointer_declarator" || pk == "array_declarator";
        if (pk == "init_declarator" && !ts_node_eq(syntax::field(parent, "declarator"), n)) found = false;
      }
      return kind != "call_expression";
    });
    if (found) return true;
  }
  return false;
}

bool mentions(TSNode node, std::string_view name, std::string_view source) {
  if (ts_node_is_null(node)) return false;
  if (name.empty() || !holds_word(syntax::text_of(node, source), name)) return false;
  bool found = false;
  syntax::walk(node, [&](TSNode n) {
    if (found) return false;
    if (syntax::type_of(n) == "identifier" && syntax::text_of(n, source) == name) found = true;
    return true;
  });
  return found;
}

bool is_comment(TSNode n) { return syntax::type_of(n) == "comment"; }

// `T name[N];` in the function: an array, which `name = NULL` cannot even assign (and freeing
// it is free-non-heap's business).
bool declared_as_array(TSNode use, std::string_view name, std::string_view source) {
  TSNode function = c::enclosing_function(use);
  if (ts_node_is_null(function)) return false;
  TSNode body_node = syntax::field(function, "body");
  std::string_view body = syntax::text_of(body_node, source);
  if (body.find('[') == std::string_view::npos || name.empty() || !holds_word(body, name)) return false;
  // Where the body's text holds the name as a word (see holds_word), as offsets in the source: a
  // declarator spelled `name` starts at one of them, so a subtree holding none is not entered.
  std::vector<uint32_t> words;
  auto letter = [](char ch) { return std::isalpha(static_cast<unsigned char>(ch)) || ch == '_'; };
  for (size_t at = body.find(name); at != std::string_view::npos; at = body.find(name, at + 1)) {
    size_t end = at + name.size();
    if ((at == 0 || !letter(body[at - 1])) &&
        (end == body.size() || !(letter(body[end]) || std::isdigit(static_cast<unsigned char>(body[end])))))
      words.push_back(ts_node_start_byte(body_node) + static_cast<uint32_t>(at));
  }
  auto holds_one = [&](TSNode n) {
    auto it = std::lower_bound(words.begin(), words.end(), ts_node_start_byte(n));
    return it != words.end() && *it + name.size() <= ts_node_end_byte(n);
  };
  bool found = false;
  syntax::walk(body_node, [&](TSNode n) {
    if (found) return false;
    if (syntax::type_of(n) == "array_declarator" && syntax::text_of(syntax::field(n, "declarator"), source) == name) {
      found = true;
      return false;
    }
    return ts_node_child_count(n) > 0 && holds_one(n);
  });
  return found;
}

// A `for` loop around the free whose update or condition uses the name
// (`for (n = head; n; n = n->next) free(n);`): the loop itself moves on from the freed value, so
// a reset would be wrong advice (the read of `n->next` there is a use after free, reported as such).
bool loop_moves_on(TSNode statement, std::string_view name, std::string_view source, TSNode within) {
  for (TSNode n = c::parent_of(statement, within); !ts_node_is_null(n); n = c::parent_of(n, within)) {
    auto kind = syntax::type_of(n);
    if (kind == "function_definition") break;
    if (kind == "for_statement" &&
        (mentions(syntax::field(n, "update"), name, source) || mentions(syntax::field(n, "condition"), name, source)))
      return true;
  }
  return false;
}

class FreeCall final : public Check {
 public:
  std::string_view id() const override { return "c-free"; }
  syntax::Language language() const override { return syntax::Language::C; }
  std::vector<const syntax::Query*> queries() const override { return {&query_}; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    for (const auto& match : input.matches(query_)) {
      TSNode call = match.get("call");
      if (c::file_defines_function(input, "free")) continue;
      TSNode statement = match.get("stmt");
      std::string var(syntax::text_of(match.get("arg"), input.source));
      Finding finding;
      finding.idiom = "free";
      finding.range = syntax::range_of(match.get("fn"));
      finding.bindings.set("var", var);
      out.push_back(finding);

      // What follows the free, block by block outwards until the block that declares the name.
      TSNode current = statement;
      bool reset = false, later_work = false;
      TSNode reset_statement{};
      bool first = true;
      bool conditional = false, ended = false;
      for (int depth = 0; depth < 64 && !reset && !later_work && !ended; ++depth) {
        TSNode block = c::parent_of(current, input.node);
        if (syntax::type_of(block) != "compound_statement") {
          // if/else/loop bodies without braces: step out to the statement that holds them.
          if (ts_node_is_null(block) || syntax::type_of(block) == "translation_unit" ||
              syntax::type_of(block) == "function_definition")
            break;
          current = block;
          conditional = conditional || syntax::type_of(block) == "if_statement" || syntax::type_of(block) == "else_clause";
          continue;
        }
        for (TSNode next = ts_node_next_named_sibling(current); !ts_node_is_null(next); next = ts_node_next_named_sibling(next)) {
          if (is_comment(next)) continue;
          if (assigns(next, var, input.source, false)) {
            reset = true;
            if (first && assigns(next, var, input.source, true)) reset_statement = next;
            break;
          }
          first = false;
          auto kind = syntax::type_of(next);
          if (kind == "return_statement" || kind == "break_statement" || kind == "continue_statement" || kind == "goto_statement") {
            ended = true;  // this path leaves here: nothing after the block runs after the free
            break;
          }
          // Later code that names the pointer again, or any later code after a free on one path
          // only (inside an if or a loop), cannot tell whether the address is still valid.
          if (mentions(next, var, input.source) || conditional) {
            later_work = true;
            break;
          }
        }
        if (ended || later_work || reset || declares(block, var, input.source)) break;
        TSNode parent = c::parent_of(block, input.node);
        if (syntax::type_of(parent) == "function_definition") break;
        // Out of an if or loop body: the free happened on some paths only.
        auto holder = syntax::type_of(parent);
        conditional = conditional || holder == "if_statement" || holder == "else_clause" || holder == "for_statement" ||
                      holder == "while_statement" || holder == "do_statement";
        current = parent;
      }
      if (!ts_node_is_null(reset_statement)) {
        Finding good;
        good.idiom = "null-after-free";
        good.range = syntax::range_of(reset_statement);
        good.bindings.set("var", var);
        good.hints.push_back({ts_node_end_byte(reset_statement), "no dangling pointer", HintKind::Lifetimes, {}});
        out.push_back(std::move(good));
        continue;
      }
      if (reset || !later_work || declared_as_array(call, var, input.source) || loop_moves_on(statement, var, input.source, input.node))
        continue;
      // Globals and struct members are beyond what one function shows; only plain names here.
      Finding dangling;
      dangling.idiom = "dangling-pointer";
      dangling.range = syntax::range_of(match.get("arg"));
      dangling.bindings.set("var", var);
      uint32_t line = ts_node_start_point(call).row + 1;  // the rows count the newlines before it
      dangling.bindings.set("line", std::to_string(line));
      dangling.mentions_lines = true;
      Diagnostic diagnostic;
      diagnostic.code = "dangling-pointer";
      diagnostic.severity = Severity::Hint;
      // The sentences are the entry's `message`.
      // Safe: reading a pointer's value after free is already undefined behaviour (C17 §6.2.4 ¶2),
      // so no correct program can tell the difference; a later free(p) becomes a harmless no-op.
      std::string text = "\n" + indent_at(input.source, ts_node_start_byte(statement)) + var + " = NULL;";
      bool braceless = syntax::type_of(c::parent_of(statement, input.node)) != "compound_statement";
      if (!braceless) {
        uint32_t end = ts_node_end_byte(statement);
        diagnostic.fixes.push_back({"", FixSafety::Safe,  // title: the entry's `fix`
                                     {{{end, end}, text}}});
      }
      dangling.diagnostic = std::move(diagnostic);
      out.push_back(std::move(dangling));
    }
  }

 private:
  syntax::Query query_{syntax::Language::C,
                       R"(
    (expression_statement
      (call_expression
        function: (identifier) @fn (#eq? @fn "free")
        arguments: (argument_list . (identifier) @arg .)) @call) @stmt
  )",
                       {{"expression_statement"}, &match}};

  static void match(TSNode statement, std::string_view source, std::vector<syntax::Match>& out) {
    static const TSFieldId function = c::native::field_id("function"), arguments = c::native::field_id("arguments");
    c::native::each_child(statement, [&](TSNode call) {
      if (!c::native::is(call, "call_expression")) return;
      TSNode fn = c::native::child(call, function);
      if (!c::native::is(fn, "identifier") || syntax::text_of(fn, source) != "free") return;
      TSNode args = c::native::child(call, arguments);
      // `. (identifier) .`: the first and the last named child.
      if (!c::native::is(args, "argument_list") || ts_node_named_child_count(args) != 1) return;
      TSNode arg = ts_node_named_child(args, 0);
      if (!c::native::is(arg, "identifier")) return;
      c::native::add(out, 0, {{"stmt", statement}, {"call", call}, {"fn", fn}, {"arg", arg}});
    });
  }
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(FreeCall)
