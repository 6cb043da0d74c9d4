#include "c/flow/file_flow.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <functional>
#include <list>
#include <optional>
#include <unordered_set>
#include <string>
#include <unordered_map>

#include "c/c_ast.hpp"
#include "c/flow/dataflow.hpp"
#include "c/flow/macro_noise.hpp"
#include "c/flow/memo.hpp"
#include "c/flow/tables.hpp"
#include "c/project/imports.hpp"

namespace c2py::analysis::c::flow {
namespace {

using memo::analyze;
using memo::FileResult;
using memo::Function;
using memo::hash_text;
using memo::Memo;
using memo::mix;
using memo::render_rows;
using memo::shift_rows;
using Entry = AnalyzedFunction;

// Containers whose items are top-level items too: every branch of a preprocessor conditional
// (`#ifndef OMITBAD`, include guards, `#ifdef _WIN32 ... #else ...`), and the ERROR nodes macro
// noise leaves at top level (a definition intact inside one is still a definition).
bool holds_items(std::string_view type) {
  return type == "preproc_if" || type == "preproc_ifdef" || type == "preproc_else" || type == "preproc_elif" ||
         type == "preproc_elifdef" || type == "linkage_specification" || type == "declaration_list" || type == "ERROR";
}

// The file's items in source order, looking through the containers above. Bounded: an explicit
// stack and a nesting limit rather than recursion over the tree.
std::vector<TSNode> top_level_items(TSNode root) {
  constexpr size_t kMaxNesting = 64;
  std::vector<TSNode> out;
  std::vector<std::pair<std::vector<TSNode>, size_t>> stack;
  stack.emplace_back(syntax::named_children(root), 0);
  while (!stack.empty()) {
    auto& [items, next] = stack.back();
    if (next == items.size()) {
      stack.pop_back();
      continue;
    }
    TSNode item = items[next++];
    auto type = syntax::type_of(item);
    if (holds_items(type) && stack.size() < kMaxNesting) {
      stack.emplace_back(syntax::named_children(item), 0);
      continue;
    }
    out.push_back(item);
  }
  return out;
}

// An integer written in a `#define` body: `5`, `(-1)`, `0x10u`.
std::optional<long long> parse_integer(std::string_view text) {
  std::string t;
  for (char ch : text)
    if (ch != ' ' && ch != '\t' && ch != '(' && ch != ')') t += ch;
  while (!t.empty() && (t.back() == 'u' || t.back() == 'U' || t.back() == 'l' || t.back() == 'L')) t.pop_back();
  if (t.empty()) return std::nullopt;
  try {
    size_t used = 0;
    long long value = std::stoll(t, &used, 0);
    if (used == t.size()) return value;
  } catch (...) {
  }
  return std::nullopt;
}

// Whether the file writes to `name` or takes its address (assignments, ++/--, `&x`). Only the
// items whose text holds the name are walked (the items of preprocessor groups too, a few levels
// down), where the whole tree was walked once: an identifier spelled `name` is in the text of
// every node above it.
bool writes(TSNode root, std::string_view source, std::string_view name) {
  auto holds = [&](TSNode n) { return syntax::text_of(n, source).find(name) != std::string_view::npos; };
  std::vector<TSNode> walk_these, open = {root};
  for (int level = 0; level < 4 && !open.empty(); ++level) {
    std::vector<TSNode> next;
    for (TSNode n : open)
      for (TSNode child : syntax::named_children(n)) {
        if (!holds(child)) continue;
        (holds_items(syntax::type_of(child)) ? next : walk_these).push_back(child);
      }
    open = std::move(next);
  }
  walk_these.insert(walk_these.end(), open.begin(), open.end());
  bool found = false;
  for (TSNode start : walk_these)
    syntax::walk(start, [&](TSNode n) {
      if (found) return false;
      auto type = syntax::type_of(n);
      TSNode target{};
      if (type == "assignment_expression") target = syntax::field(n, "left");
      else if (type == "update_expression") target = syntax::field(n, "argument");
      else if (type == "pointer_expression" && syntax::type_of(ts_node_child(n, 0)) == "&") target = syntax::field(n, "argument");
      while (syntax::type_of(target) == "parenthesized_expression" && ts_node_named_child_count(target) == 1)
        target = ts_node_named_child(target, 0);
      if (syntax::type_of(target) == "identifier" && syntax::text_of(target, source) == name) found = true;
      return !found;
    });
  return found;
}

// File-scope integer constants (see Constants).
// `flags` gets the written `static int`s initialized to a constant (FileScope::int_globals).
std::unordered_map<std::string, long long> file_constants(const std::vector<TSNode>& items, TSNode root,
                                                         std::string_view source, std::unordered_set<std::string>& flags) {
  std::unordered_map<std::string, long long> out;
  std::unordered_set<std::string> seen;
  std::unordered_map<std::string, bool> written;  // writes(), once per name
  auto keep = [&](std::string name, std::optional<long long> value) {
    // A name given two values (#ifdef variants) is not a constant.
    if (!seen.insert(name).second || !value) out.erase(name);
    else out[name] = *value;
  };
  for (TSNode item : items) {
    auto type = syntax::type_of(item);
    if (type == "preproc_def") {
      TSNode value = syntax::field(item, "value");
      keep(std::string(syntax::text_of(syntax::field(item, "name"), source)),
           ts_node_is_null(value) ? std::nullopt : parse_integer(syntax::text_of(value, source)));
      continue;
    }
    if (type != "declaration") continue;
    bool is_const = false, is_static = false, is_extern = false;
    for (TSNode child : syntax::named_children(item)) {
      auto t = syntax::type_of(child);
      auto text = syntax::text_of(child, source);
      if (t == "type_qualifier" && text == "const") is_const = true;
      if (t == "storage_class_specifier") (text == "static" ? is_static : is_extern) = true;
    }
    if (is_extern || (!is_const && !is_static)) continue;
    for (TSNode child : syntax::named_children(item)) {
      if (syntax::type_of(child) != "init_declarator") continue;
      TSNode declarator = syntax::field(child, "declarator");
      if (syntax::type_of(declarator) != "identifier") continue;  // pointers, arrays: not integers
      std::string name(syntax::text_of(declarator, source));
      if (!is_const) {
        auto known = written.find(name);
        if (known == written.end()) known = written.emplace(name, writes(root, source, name)).first;
        if (known->second) {
          if (c::constant_value(syntax::field(child, "value"), source)) flags.insert(name);
          continue;
        }
      }
      keep(name, c::constant_value(syntax::field(child, "value"), source));
    }
  }
  return out;
}

// Function-like macros that are plainly an allocation or a free (`#define NEW(T) ((T *)malloc(
// sizeof(T)))`, `#define FREE(p) free(p)`): tree-sitter does not expand macros, so their uses
// would otherwise be unknown calls.
Summaries macro_summaries(const std::vector<TSNode>& items, std::string_view source, FunctionNames& defined) {
  Summaries out;
  for (TSNode item : items) {
    if (syntax::type_of(item) != "preproc_function_def") continue;
    TSNode name_node = syntax::field(item, "name"), value = syntax::field(item, "value");
    if (ts_node_is_null(name_node) || ts_node_is_null(value)) continue;  // `#define F(x)`: no body
    std::string name(syntax::text_of(name_node, source));
    std::string body;
    for (char ch : syntax::text_of(value, source))
      if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\\') body += ch;
    // Outer parentheses and a leading cast `(T*)`.
    for (int guard = 0; guard < 8; ++guard) {
      if (body.size() > 2 && body.front() == '(' && body.back() == ')') {
        int level = 0;
        bool whole = true;
        for (size_t i = 0; i < body.size(); ++i) {
          level += body[i] == '(' ? 1 : body[i] == ')' ? -1 : 0;
          if (level == 0 && i + 1 < body.size()) whole = false;
        }
        if (whole) {
          body = body.substr(1, body.size() - 2);
          continue;
        }
      }
      if (body.size() > 2 && body.front() == '(') {
        size_t close = body.find(')');
        if (close != std::string::npos && close > 1 && body[close - 1] == '*') {
          body = body.substr(close + 1);
          continue;
        }
      }
      break;
    }
    size_t paren = body.find('(');
    if (paren == std::string::npos || body.back() != ')') continue;
    std::string callee = body.substr(0, paren);
    if (body.find('(', paren + 1) != std::string::npos && callee != "malloc" && callee != "calloc") {
      // nested calls are fine only inside sizeof: malloc(sizeof(T)), calloc(n, sizeof(T))
      std::string rest = body.substr(paren + 1);
      size_t at = 0;
      bool ok = true;
      while ((at = rest.find('(', at)) != std::string::npos) {
        if (at < 6 || rest.substr(at - 6, 6) != "sizeof") ok = false;
        ++at;
      }
      if (!ok) continue;
    }
    Summary summary;
    if (callee == "malloc" || callee == "calloc" || callee == "strdup" || callee == "strndup") {
      summary.allocator = true;
      summary.may_return_null = true;
    } else if (callee == "free") {
      summary.params = {ParamEffect::Frees};
    } else {
      continue;
    }
    defined.insert(name);
    out[name] = summary;
  }
  return out;
}

}  // namespace

namespace {
struct FileRun {
  std::vector<Function> functions;
  std::vector<std::shared_ptr<const Entry>> results;
  FunctionNames noreturn;  // functions of the file (or declared in it) that never return
  FunctionNames defined;   // functions with a body in the file (and macro wrappers)
  project::Imported exported;  // what a file including this one learns from it (and from its imports)
};

// What a prototype's parameters promise: Borrows for a pointer to const (`const char *s`, one
// level), Unknown for any other.
std::vector<ParamEffect> prototype_effects(TSNode declaration, std::string_view source) {
  TSNode d = syntax::field(declaration, "declarator");
  for (int guard = 0; guard < 16 && !ts_node_is_null(d) && syntax::type_of(d) != "function_declarator"; ++guard)
    d = ts_node_is_null(syntax::field(d, "declarator")) ? ts_node_named_child(d, 0) : syntax::field(d, "declarator");
  std::vector<ParamEffect> out;
  if (syntax::type_of(d) != "function_declarator") return out;
  for (TSNode param : syntax::named_children(syntax::field(d, "parameters"))) {
    if (syntax::type_of(param) != "parameter_declaration") {
      out.push_back(ParamEffect::Unknown);
      continue;
    }
    bool const_pointee = false;
    for (TSNode child : syntax::named_children(param))
      if (syntax::type_of(child) == "type_qualifier" && syntax::text_of(child, source) == "const") const_pointee = true;
    TSNode declarator = syntax::field(param, "declarator");
    int stars = 0;
    for (int guard = 0; guard < 8; ++guard) {
      auto type = syntax::type_of(declarator);
      if (type != "pointer_declarator" && type != "abstract_pointer_declarator") break;
      ++stars;
      declarator = syntax::field(declarator, "declarator");
    }
    // `const T *p` reads; `const T **pp`, `T *const p` or a pointer cast to an integer may not.
    out.push_back(const_pointee && stars == 1 ? ParamEffect::Borrows : ParamEffect::Unknown);
  }
  return out;
}

// The name a declaration or definition of a function declares, or "".
std::string declared_function(TSNode item, std::string_view source) {
  TSNode d = syntax::field(item, "declarator");
  for (int guard = 0; guard < 16 && !ts_node_is_null(d); ++guard) {
    auto type = syntax::type_of(d);
    if (type == "function_declarator") {
      TSNode id = syntax::field(d, "declarator");
      return syntax::type_of(id) == "identifier" ? std::string(syntax::text_of(id, source)) : std::string();
    }
    if (type == "init_declarator" || type == "pointer_declarator" || type == "attributed_declarator" ||
        type == "parenthesized_declarator")
      d = ts_node_is_null(syntax::field(d, "declarator")) ? ts_node_named_child(d, 0) : syntax::field(d, "declarator");
    else
      return {};
  }
  return {};
}

FileRun run_tree(TSNode root, std::string_view source, Memo& memo, const project::Imported& imported);

// Every function analyzed under the file's summaries, to a fixed point. A file that does not
// parse is analysed on a copy without its macro noise (same offsets and lines: macro_noise.hpp).
// Macros with an empty body, or a body that is only an attribute or a qualifier (`#define CONST
// const`): noise where they are used, in a file that does not parse.
void note_empty_macros(const std::vector<TSNode>& items, std::string_view source, std::unordered_set<std::string>& out) {
  for (TSNode item : items) {
    auto type = syntax::type_of(item);
    if (type != "preproc_def" && type != "preproc_function_def") continue;
    std::string name(syntax::text_of(syntax::field(item, "name"), source));
    TSNode value = syntax::field(item, "value");
    std::string_view body = ts_node_is_null(value) ? std::string_view() : syntax::text_of(value, source);
    while (!body.empty() && std::isspace(static_cast<unsigned char>(body.front()))) body.remove_prefix(1);
    while (!body.empty() && std::isspace(static_cast<unsigned char>(body.back()))) body.remove_suffix(1);
    bool attribute = body.empty() || body.rfind("__attribute__", 0) == 0 || body.rfind("__declspec", 0) == 0 ||
                     body.rfind("[[", 0) == 0 || body == "static" || body == "inline" || body == "static inline" ||
                     body == "__inline" || body == "__inline__" || body == "extern" || body == "const" ||
                     body == "volatile" || body == "register" || body == "restrict" || body == "__restrict";
    if (attribute) out.insert(name);
    else out.erase(name);
  }
}

// The tree of the de-noised copy (same length and lines as `source`): the original tree, edited
// where the bytes differ, parsed again incrementally, so that only the statements around the
// blanked macros are parsed anew rather than the whole file.
syntax::Tree reparse_cleaned(TSNode root, std::string_view source, std::string_view cleaned) {
  syntax::Tree tree(ts_tree_copy(root.tree));
  uint32_t row = 0, column = 0;  // the point of `at`
  size_t at = 0;
  auto advance_to = [&](size_t target) {
    for (; at < target; ++at) {
      if (source[at] == '\n') {
        ++row;
        column = 0;
      } else {
        ++column;
      }
    }
  };
  for (size_t i = 0; i < source.size() && i < cleaned.size();) {
    if (source[i] == cleaned[i]) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < source.size() && source[end] != cleaned[end]) {
      if (source[end] == '\n' || cleaned[end] == '\n') return syntax::Parser(syntax::Language::C).parse(cleaned);
      ++end;
    }
    advance_to(i);
    TSPoint start{row, column};
    advance_to(end);
    TSPoint stop{row, column};
    tree.edit(TSInputEdit{static_cast<uint32_t>(i), static_cast<uint32_t>(end), static_cast<uint32_t>(end), start, stop,
                          stop});
    i = end;
  }
  syntax::Parser parser(syntax::Language::C);
  return parser.parse(cleaned, &tree);
}

FileRun run_file(TSNode root, std::string_view source, Memo& memo, const project::Imported& imported) {
  if (ts_node_has_error(root)) {
    // The headers' noise macros, and the file's own.
    std::unordered_set<std::string> noise = imported.empty_macros;
    note_empty_macros(top_level_items(root), source, noise);
    if (auto cleaned = without_macro_noise(source, noise)) {
      syntax::Tree tree = reparse_cleaned(root, source, *cleaned);
      if (tree) return run_tree(tree.root(), *cleaned, memo, imported);  // results keep no node of it
    }
  }
  return run_tree(root, source, memo, imported);
}

FileRun run_tree(TSNode root, std::string_view source, Memo& memo, const project::Imported& imported) {
  std::vector<Function> functions;
  FunctionNames defined, twice;
  const std::vector<TSNode> items = top_level_items(root);
  FileScope scope;
  scope.constants = imported.constants;
  for (auto& [name, value] : file_constants(items, root, source, scope.int_globals)) scope.constants[name] = value;
  scope.unions = imported.unions;
  for (TSNode item : items) {
    if (syntax::type_of(item) != "type_definition" || syntax::type_of(syntax::field(item, "type")) != "union_specifier")
      continue;
    for (TSNode child : syntax::named_children(item))
      if (syntax::type_of(child) == "type_identifier") scope.unions.insert(std::string(syntax::text_of(child, source)));
  }
  for (TSNode item : items) {
    if (syntax::type_of(item) != "preproc_def") continue;
    TSNode value = syntax::field(item, "value");
    if (ts_node_is_null(value)) continue;
    std::string target;
    for (char ch : syntax::text_of(value, source))
      if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n') target += ch;
    bool word = !target.empty() && !std::isdigit(static_cast<unsigned char>(target[0])) &&
                std::all_of(target.begin(), target.end(), [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; });
    std::string name(syntax::text_of(syntax::field(item, "name"), source));
    // A macro defined twice (`#ifdef _WIN32 ... _alloca #else ... alloca`) names a function only
    // when both agree on what it does.
    if (!word) target.clear();  // any other body: the macro names no known function
    auto [it, fresh] = scope.function_macros.emplace(name, target);
    if (!fresh && (it->second.empty() || call_kind(it->second) != call_kind(target))) it->second.clear();
  }
  std::erase_if(scope.function_macros,
                [](const auto& entry) { return entry.second.empty() || call_kind(entry.second) == CallKind::Unknown; });
  for (const auto& [name, target] : imported.function_macros) scope.function_macros.emplace(name, target);
  for (TSNode item : items) {
    if (syntax::type_of(item) != "declaration" || !declared_function(item, source).empty()) continue;
    for (TSNode child : syntax::named_children(item)) {
      TSNode d = syntax::type_of(child) == "init_declarator" ? syntax::field(child, "declarator") : child;
      if (syntax::type_of(d) != "pointer_declarator") continue;
      while (syntax::type_of(d) == "pointer_declarator") d = syntax::field(d, "declarator");
      if (syntax::type_of(d) == "identifier") scope.pointer_globals.insert(std::string(syntax::text_of(d, source)));
    }
  }
  // What the functions' analyses depend on besides their text and the names they look up (checked
  // by deps_digest): the file's pointer globals, read as a whole.
  uint64_t constants_key = 17;
  {
    std::vector<std::string> globals(scope.pointer_globals.begin(), scope.pointer_globals.end());
    std::sort(globals.begin(), globals.end());
    for (const auto& name : globals) constants_key = mix(constants_key, hash_text(name) ^ 0x99);
  }
  // Functions declared never to return: `__attribute__((noreturn))`, `_Noreturn`, `[[noreturn]]`.
  // The headers' summaries come first; the file's own declarations and definitions refine them.
  Summaries base = imported.summaries;
  for (TSNode item : items) {
    auto type = syntax::type_of(item);
    if (type != "declaration" && type != "function_definition") continue;
    TSNode body = syntax::field(item, "body");
    std::string_view head = syntax::text_of(item, source);
    if (!ts_node_is_null(body)) head = head.substr(0, ts_node_start_byte(body) - ts_node_start_byte(item));
    if (head.find("noreturn") == std::string_view::npos && head.find("Noreturn") == std::string_view::npos) continue;
    std::string name = declared_function(item, source);
    if (name.empty()) continue;
    base[name].noreturn = true;
    constants_key = mix(constants_key, hash_text(name));
  }
  // Prototypes of functions the file does not define: a `const T *` parameter only reads the
  // block it is given (it cannot free it without a cast), so the block stays the caller's.
  for (TSNode item : items) {
    if (syntax::type_of(item) != "declaration") continue;
    std::string name = declared_function(item, source);
    if (name.empty() || call_kind(name) != CallKind::Unknown) continue;  // libc's keep their model
    auto effects = prototype_effects(item, source);
    bool any = std::find(effects.begin(), effects.end(), ParamEffect::Borrows) != effects.end();
    if (!any) continue;
    base[name].params = std::move(effects);
    constants_key = mix(constants_key, hash_text(name) ^ 0x77);
  }
  for (TSNode item : items) {
    if (syntax::type_of(item) != "function_definition") continue;
    Function fn{item, function_name(item, source), 0, ts_node_start_byte(item), ts_node_start_point(item).row};
    fn.text_key = mix(hash_text(syntax::text_of(item, source)), constants_key);  // its meaning depends on them
    if (!fn.name.empty() && !defined.insert(fn.name).second) twice.insert(fn.name);
    functions.push_back(std::move(fn));
  }
  // Functions with a body in an included header are the project's, never libc's.
  for (const auto& name : imported.defined) defined.insert(name);

  // The flag (FileScope::int_globals) an `if` of each function tests, if any: such functions are
  // also analyzed with the flag set and clear (Summary::guard).
  std::vector<std::string> guards(functions.size());
  if (!scope.int_globals.empty()) {
    for (size_t i = 0; i < functions.size(); ++i) {
      syntax::walk(functions[i].node, [&](TSNode n) {
        if (!guards[i].empty()) return false;
        if (syntax::type_of(n) != "if_statement") return true;
        syntax::walk(syntax::field(n, "condition"), [&](TSNode id) {
          if (syntax::type_of(id) == "identifier" && guards[i].empty() &&
              scope.int_globals.count(std::string(syntax::text_of(id, source))))
            guards[i] = std::string(syntax::text_of(id, source));
          return guards[i].empty();
        });
        return true;
      });
    }
  }
  std::vector<PreparedPtr> prepared(functions.size());
  auto with_flag = [&](size_t i, const Summaries& summaries, long long value) {
    FileScope flagged = scope;
    flagged.constants[guards[i]] = value;
    Function variant = functions[i];
    variant.text_key = mix(variant.text_key, hash_text(guards[i] + "=" + std::to_string(value)));
    return analyze(variant, source, summaries, defined, flagged, memo, prepared[i]);
  };

  // Summaries to a fixed point: each round analyzes under the previous round's summaries; the
  // memo makes a round cost only the functions whose callees' summaries changed.
  for (auto& [name, summary] : macro_summaries(items, source, defined)) base[name] = summary;
  // Each round's summaries are `base` with the entries of the file's functions set (`over`):
  // only those are built, compared with the previous round's and patched in, not the whole map
  // (the headers of a project declare hundreds of functions).
  Summaries summaries = base;
  std::unordered_map<std::string, Summary> previous;  // the entries the current `summaries` sets over base
  std::vector<std::shared_ptr<const Entry>> results(functions.size());
  for (int round = 0; round < 4; ++round) {
    // A function that calls none of the file's functions is never analysed again (its memo key
    // holds): what it prepared is dropped.
    for (size_t i = 0; i < functions.size(); ++i)
      if (results[i] && results[i]->result.callees.empty()) prepared[i].reset();
    std::unordered_map<std::string, Summary> over;
    auto entry = [&](const std::string& name) -> Summary& {
      auto it = over.find(name);
      if (it == over.end()) {
        auto in_base = base.find(name);
        it = over.emplace(name, in_base == base.end() ? Summary{} : in_base->second).first;
      }
      return it->second;
    };
    std::unordered_map<std::string, int> variants_noreturn;  // names defined twice: how many never return
    for (size_t i = 0; i < functions.size(); ++i) {
      // A function that gave up keeps its first round's answer (its summary stays unknown).
      if (!results[i] || !results[i]->result.gave_up)
        results[i] = analyze(functions[i], source, summaries, defined, scope, memo, prepared[i]);
      const auto& summary = results[i]->result.summary;
      const std::string& name = functions[i].name;
      if (!summary || name.empty()) continue;
      bool declared_noreturn = base.count(name) && base.at(name).noreturn;
      if (twice.count(name)) {
        // #ifdef variants: only what all of them agree on, never returning.
        if (summary->noreturn) ++variants_noreturn[name];
        continue;
      }
      Summary& next = entry(name);
      next = *summary;
      if (declared_noreturn) next.noreturn = true;
      if (!guards[i].empty()) {
        auto set = with_flag(i, summaries, 1), clear = with_flag(i, summaries, 0);
        const auto &if_true = set->result.summary, &if_false = clear->result.summary;
        if (if_true && if_false && if_true->params != if_false->params) {
          Summary& guarded = entry(name);
          guarded.guard = guards[i];
          guarded.params_if_true = if_true->params;
          guarded.params_if_false = if_false->params;
        }
      }
    }
    for (const auto& name : twice) {
      int all = 0;
      for (const auto& fn : functions) all += fn.name == name;
      if (variants_noreturn[name] == all) entry(name).noreturn = true;
    }
    // next == summaries, where they can differ: the names either round sets.
    auto value_in = [&](const std::unordered_map<std::string, Summary>& set, const std::string& name) -> const Summary* {
      if (auto it = set.find(name); it != set.end()) return &it->second;
      auto in_base = base.find(name);
      return in_base == base.end() ? nullptr : &in_base->second;
    };
    bool same = true;
    for (const auto& [name, value] : over) {
      const Summary* before = value_in(previous, name);
      if (!before || !(*before == value)) same = false;
    }
    for (const auto& [name, value] : previous) {
      const Summary* after = value_in(over, name);
      if (!after || !(*after == value)) same = false;
    }
    if (same) break;
    for (const auto& [name, value] : previous) {
      if (over.count(name)) continue;
      auto in_base = base.find(name);
      if (in_base == base.end()) summaries.erase(name);
      else summaries[name] = in_base->second;
    }
    for (const auto& [name, value] : over) summaries[name] = value;
    previous = std::move(over);
  }
  FunctionNames noreturn;
  for (const auto& [name, summary] : summaries)
    if (summary.noreturn) noreturn.insert(name);
  project::Imported exported;
  // Moved, not copied: the file's scope and summaries are done with (a project's headers declare
  // hundreds of functions).
  exported.constants = std::move(scope.constants);
  exported.unions = std::move(scope.unions);
  exported.function_macros = std::move(scope.function_macros);
  exported.summaries = std::move(summaries);
  exported.defined = imported.defined;
  exported.defined.insert(defined.begin(), defined.end());
  exported.empty_macros = imported.empty_macros;
  note_empty_macros(items, source, exported.empty_macros);
  return {std::move(functions), std::move(results), std::move(noreturn), std::move(defined), std::move(exported)};
}

// What the build's macros and the included headers, read in order, tell the file. Each step is
// memoized by the digest of the chain up to it, so the files of one project share the work.
std::shared_ptr<const project::Imported> import_project(const ProjectContext* project, Memo& memo) {
  static const auto kNothing = std::make_shared<const project::Imported>();
  if (!project || project->empty()) return kNothing;
  std::shared_ptr<const project::Imported> acc = kNothing;
  std::string macros = project::macros_as_source(project->macros);
  // Each text with the header's shared text when it has one (its hash is then kept by the cache).
  std::vector<std::pair<std::string_view, const std::shared_ptr<const std::string>*>> texts;
  if (!macros.empty()) texts.emplace_back(macros, nullptr);
  for (const auto& header : project->headers)
    if (header.text) texts.emplace_back(*header.text, &header.text);
  for (const auto& [text, shared_text] : texts) {
    uint64_t text_hash = shared_text && project->memo ? project->memo->text_hash(*shared_text, hash_text) : hash_text(text);
    uint64_t key = mix(mix(acc->digest, text_hash), 0xC0FFEE);
    if (auto known = memo.imported(key)) {
      acc = known;
      continue;
    }
    if (auto shared = project->memo ? project->memo->find(key) : nullptr) {
      memo.store_imported(key, shared);
      acc = std::move(shared);
      continue;
    }
    syntax::Tree tree;
    if (project->memo)
      if (auto parsed = project->memo->tree(text_hash, text)) tree = std::move(*parsed);
    if (!tree) {
      tree = syntax::Parser(syntax::Language::C).parse(text);
      if (!tree) continue;
      if (project->memo) project->memo->store_tree(text_hash, text, tree);
    }
    // The header's functions' analyses are shared by the run's include chains.
    struct Sharing {
      Memo& memo;
      ~Sharing() { memo.shared = nullptr; }
    } sharing{memo};
    memo.shared = project->memo.get();
    auto next = std::make_shared<project::Imported>(run_file(tree.root(), text, memo, *acc).exported);
    next->digest = key;
    memo.store_imported(key, next);
    if (project->memo) project->memo->store(key, next);
    acc = std::move(next);
  }
  return acc;
}

std::shared_ptr<const FileResult> compute(TSNode root, std::string_view source, const ProjectContext* project,
                                          Memo& memo) {
  auto imported = import_project(project, memo);
  uint64_t file_key = mix(hash_text(source), imported->digest);
  if (auto cached = memo.file(file_key)) return cached;
  auto [functions, results, noreturn, defined, exported] = run_file(root, source, memo, *imported);
  auto out = std::make_shared<FileResult>();
  out->project_digest = imported->digest;
  out->noreturn = std::move(noreturn);
  out->defined = std::move(defined);
  for (size_t i = 0; i < functions.size(); ++i) {
    for (Finding f : results[i]->result.findings) {
      f.shift(static_cast<int64_t>(functions[i].begin));
      shift_rows(f, functions[i].row);
      render_rows(f);
      out->findings.push_back(std::move(f));
    }
  }
  std::shared_ptr<const FileResult> result = std::move(out);
  memo.store_file(file_key, result);
  return result;
}
}  // namespace

std::shared_ptr<const std::vector<Finding>> file_findings(TSNode root, std::string_view source, CheckMemory& memory,
                                                          const ProjectContext* project) {
  auto result = compute(root, source, project, memory.get<Memo>("c-flow"));
  return {result, &result->findings};
}

std::vector<Finding> file_findings_uncached(TSNode root, std::string_view source, const ProjectContext* project) {
  Memo memo;
  return compute(root, source, project, memo)->findings;
}

bool never_returns(const CheckInput& input, const std::string& name) {
  CheckMemory scratch;
  auto result = compute(input.node, input.source, input.project, (input.memory ? *input.memory : scratch).get<Memo>("c-flow"));
  if (result->noreturn.count(name)) return true;
  return !result->defined.count(name) && call_kind(name) == CallKind::NoReturn;  // libc's, or the usual names
}

std::vector<FunctionStat> function_stats(TSNode root, std::string_view source, const ProjectContext* project) {
  Memo memo;
  auto run = run_file(root, source, memo, *import_project(project, memo));
  std::vector<FunctionStat> out;
  for (size_t i = 0; i < run.functions.size(); ++i)
    out.push_back({run.functions[i].name, run.functions[i].row, run.results[i]->result.gave_up_reason,
                   run.results[i]->result.work, run.results[i]->cpu_ms});
  return out;
}

void emit(const CheckInput& input, std::string_view code, std::vector<Finding>& out) {
  CheckMemory scratch;
  auto findings = file_findings(input.node, input.source, input.memory ? *input.memory : scratch, input.project);
  for (const auto& f : *findings)
    if (f.diagnostic && f.diagnostic->code == code) out.push_back(f);
}

}  // namespace c2py::analysis::c::flow
