// Making lists: displays and list() (MM01, MM16), `[x] * n` as malloc-and-fill with its size
// (MM07, MM05), and the diagnostics that come with it: aliased-rows (`[[0] * m] * n`),
// numeric-list (a big list of numbers: array/numpy would hold C values), preallocated-fill
// (`[None] * n` then a loop assigning by index).
#include "check.hpp"
#include "python/native_match.hpp"
#include "python/py_ast.hpp"

namespace c2py::analysis {
namespace {

using python::ValueKind;

// Big enough to be worth a size hint (CPython would take ~1 MB for the list alone).
constexpr long long kBigBytes = 1'000'000;
// From this many numbers on, a list costs noticeably more than array/numpy would.
constexpr long long kNumericListItems = 100'000;

// sys.getsizeof([x] * n) on 64-bit CPython 3.12: the list header (56 bytes with its GC head)
// plus one 8-byte reference per slot; `[x] * n` allocates exactly n slots.
long long list_size(long long n) { return 56 + 8 * n; }

bool is_mutable_display(TSNode node, std::string_view source) {
  auto kind = syntax::type_of(node);
  if (kind == "list" || kind == "list_comprehension" || kind == "dictionary" || kind == "set" ||
      kind == "dictionary_comprehension" || kind == "set_comprehension")
    return true;
  if (kind == "binary_operator") return python::kind_of(node, source) == ValueKind::List;
  if (kind == "call") {
    auto f = syntax::text_of(syntax::field(node, "function"), source);
    return f == "list" || f == "dict" || f == "set" || f == "bytearray";
  }
  return false;
}

std::string c_type_of(TSNode item, std::string_view source) {
  auto kind = syntax::type_of(item);
  if (kind == "float") return "double";
  if (kind == "integer" || kind == "true" || kind == "false") return "int";
  if (kind == "string") return "char *";
  (void)source;
  return "void *";
}

std::string c_value_of(TSNode item, std::string_view source) {
  auto kind = syntax::type_of(item);
  if (kind == "none") return "NULL";
  if (kind == "true") return "1";
  if (kind == "false") return "0";
  auto text = syntax::text_of(item, source);
  // C spells numbers without `_`; anything that is not a plain number or name is `0` there.
  if (kind == "integer" || kind == "float") {
    std::string digits;
    for (char ch : text)
      if (ch != '_') digits += ch;
    return digits;
  }
  if (kind == "identifier") return std::string(text);
  return "0";
}

// Does the code around `product` change a row of `var` in place (`var[i][j] = x`,
// `var[i].append(x)`, `for row in var: row[0] = x`, `row = var[i]; row += [x]`), or hand the
// rows to code that may (a call, a return, an attribute)? Only then does the sharing show. Searched in the enclosing function, or the class for `self.rows`, or the
// module.
bool rows_mutated(TSNode product, const std::string& var, std::string_view src) {
  TSNode scope = var.rfind("self.", 0) == 0 ? syntax::ancestor_of_type(product, {"class_definition"}) : python::scope_of(product);
  if (ts_node_is_null(scope)) scope = python::scope_of(product);
  static constexpr std::string_view kMutators[] = {"append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse",
                                                   "update", "add", "discard", "setdefault", "popitem", "__setitem__"};
  auto is_row_of = [&](TSNode n, const std::vector<std::string>& rows) {
    // `var[i]`, or a name bound to a row.
    if (syntax::type_of(n) == "subscript") return syntax::text_of(syntax::field(n, "value"), src) == var;
    return syntax::type_of(n) == "identifier" &&
           std::find(rows.begin(), rows.end(), std::string(syntax::text_of(n, src))) != rows.end();
  };
  // Names that hold a row: `for row in var`, `row = var[i]`.
  std::vector<std::string> rows;
  syntax::walk(scope, [&](TSNode n) {
    auto kind = syntax::type_of(n);
    if ((kind == "for_statement" || kind == "for_in_clause") && syntax::text_of(syntax::field(n, "right"), src) == var &&
        syntax::type_of(syntax::field(n, "left")) == "identifier")
      rows.emplace_back(syntax::text_of(syntax::field(n, "left"), src));
    if (kind == "assignment" && syntax::type_of(syntax::field(n, "left")) == "identifier" &&
        syntax::type_of(syntax::field(n, "right")) == "subscript" &&
        syntax::text_of(syntax::field(syntax::field(n, "right"), "value"), src) == var)
      rows.emplace_back(syntax::text_of(syntax::field(n, "left"), src));
    return true;
  });
  bool mutated = false, replaced = false;
  syntax::walk(scope, [&](TSNode n) {
    if (mutated || replaced) return false;
    auto kind = syntax::type_of(n);
    TSNode target{};
    if (kind == "assignment" || kind == "augmented_assignment") target = syntax::field(n, "left");
    if (kind == "delete_statement") target = ts_node_named_child(n, 0);
    // A whole row replaced (`var[i] = [x]`): the rows are slots filled later, placeholders
    // until then; sharing the placeholder is harmless, so nothing is reported.
    if (kind == "assignment" && syntax::type_of(syntax::field(n, "left")) == "subscript" &&
        syntax::text_of(syntax::field(syntax::field(n, "left"), "value"), src) == var) {
      replaced = true;
      return false;
    }
    if (!ts_node_is_null(target)) {
      // row[j] = x (or +=, del); `row += [x]` extends the shared row in place too.
      if (syntax::type_of(target) == "subscript" && is_row_of(syntax::field(target, "value"), rows)) mutated = true;
      if (kind == "augmented_assignment" && is_row_of(target, rows) && syntax::type_of(target) == "subscript") mutated = true;
      if (kind == "augmented_assignment" && syntax::type_of(target) == "identifier" && is_row_of(target, rows)) mutated = true;
    }
    // Returned, or stored where other code reaches it: that code may change a row.
    if (kind == "return_statement" && syntax::text_of(ts_node_named_child(n, 0), src) == var) mutated = true;
    if (kind == "assignment" && syntax::text_of(syntax::field(n, "right"), src) == var &&
        syntax::type_of(syntax::field(n, "left")) != "identifier")
      mutated = true;
    if (kind == "call") {
      TSNode function = syntax::field(n, "function");
      // Handed whole to a function that is not a known reader: it may change a row.
      static constexpr std::string_view kReaders[] = {"len", "print", "str", "repr", "sum", "max", "min", "sorted", "enumerate",
                                                      "zip", "iter", "list", "tuple", "any", "all", "map", "filter",
                                                      "reversed", "id", "type", "isinstance", "deepcopy", "format"};
      auto callee = syntax::text_of(syntax::type_of(function) == "attribute" ? syntax::field(function, "attribute") : function, src);
      if (std::find(std::begin(kReaders), std::end(kReaders), callee) == std::end(kReaders))
        for (TSNode arg : syntax::named_children(syntax::field(n, "arguments")))
          if (syntax::text_of(arg, src) == var) mutated = true;
      if (syntax::type_of(function) == "attribute" && is_row_of(syntax::field(function, "object"), rows)) {
        auto method = syntax::text_of(syntax::field(function, "attribute"), src);
        if (std::find(std::begin(kMutators), std::end(kMutators), method) != std::end(kMutators)) mutated = true;
      }
    }
    return !mutated;
  });
  if (replaced) return false;
  // The replacement may come after the first mutation in the text: look once more.
  bool later_replaced = false;
  syntax::walk(scope, [&](TSNode n) {
    if (later_replaced) return false;
    if (syntax::type_of(n) == "assignment" && syntax::type_of(syntax::field(n, "left")) == "subscript" &&
        syntax::text_of(syntax::field(syntax::field(n, "left"), "value"), src) == var)
      later_replaced = true;
    return true;
  });
  return mutated && !later_replaced;
}

std::string_view row_kind(TSNode row, std::string_view src) {
  auto kind = syntax::type_of(row);
  if (kind == "dictionary" || kind == "dictionary_comprehension") return "dict";
  if (kind == "set" || kind == "set_comprehension") return "set";
  if (kind == "call") {
    auto f = syntax::text_of(syntax::field(row, "function"), src);
    if (f == "dict" || f == "set" || f == "bytearray") return f;
  }
  return "list";
}

// The statement's own text when it is short enough to quote in a hover.
// Long code is shown elided but still valid Python (`grid = [...]`).
std::string quote(TSNode node, std::string_view source) { return python::short_text(node, source); }

class ListCreation final : public Check {
 public:
  std::string_view id() const override { return "python-list-creation"; }
  syntax::Language language() const override { return syntax::Language::Python; }
  std::vector<const syntax::Query*> queries() const override { return {&repeat_query_, &range_query_, &display_query_}; }
  // File scope: it reads bindings, imports and loops outside the statement it reports on, and
  // the engine's per-unit cache keys findings by the unit's text alone (a repeated `x = None`
  // at module level means different things in different places).
  Scope scope() const override { return Scope::File; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    const auto& src = input.source;
    for (const auto& match : input.matches(repeat_query_)) repeat(input, match, out);
    // list(range(N)) with a big literal N, wherever it appears.
    for (const auto& match : input.matches(range_query_)) {
      TSNode value = match.get("value");
      long long n = big_range(match.get("range"), src);
      if (n < 0) continue;
      TSNode parent = ts_node_parent(value);
      std::string var = syntax::type_of(parent) == "assignment" ? std::string(syntax::text_of(syntax::field(parent, "left"), src))
                                                                : std::string(syntax::text_of(value, src));
      std::string count(syntax::text_of(ts_node_named_child(syntax::field(match.get("range"), "arguments"), 0), src));
      Finding finding;
      numeric_list(input, finding, value, var, count, n,
                   std::string(n < (1LL << 31) ? "array.array('i', range(" : "array.array('q', range(") + count + "))", out);
    }
    for (const auto& match : input.matches(display_query_)) {
      TSNode value = match.get("value");
      TSNode assignment = match.get("assignment");
      std::string var(syntax::text_of(match.get("var"), src));
      auto kind = syntax::type_of(value);
      Finding finding;
      finding.idiom = "list-display";
      finding.range = syntax::range_of(value);
      finding.bindings.set("var", var);
      finding.bindings.set("python_code", quote(assignment, src));
      if (kind == "list") {
        auto items = syntax::named_children(value);
        bool names = false;
        for (TSNode item : items) names = names || syntax::type_of(item) == "identifier";
        if (names) continue;  // a list of references to named objects: container-references
        if (items.empty()) {
          finding.bindings.set("c_code", "int *" + var + " = NULL;   /* grown later with realloc */\nsize_t len = 0, cap = 0;");
        } else {
          std::string type = c_type_of(items[0], src), init;
          for (TSNode item : items) init += (init.empty() ? "" : ", ") + c_value_of(item, src);
          finding.bindings.set("c_code", type + " *" + var + " = malloc(" + std::to_string(items.size()) + " * sizeof *" + var +
                                             ");\n/* fill with " + init + "; free(" + var + ") later */");
        }
      } else if (kind == "call") {
        if (syntax::text_of(syntax::field(value, "function"), src) != "list") continue;
        auto args = syntax::named_children(syntax::field(value, "arguments"));
        TSNode range_call = args.size() == 1 && syntax::type_of(args[0]) == "call" &&
                                    syntax::text_of(syntax::field(args[0], "function"), src) == "range"
                                ? args[0]
                                : TSNode{};
        if (!ts_node_is_null(range_call) && big_range(range_call, src) >= 0) continue;  // numeric-list, below
        finding.bindings.set("c_code", "size_t n = count;   /* the number of items */\nint *" + var + " = malloc(n * sizeof *" + var +
                                           ");\n/* copy each item; free(" + var + ") later */");
      } else {
        finding.bindings.set("c_code", "int *" + var + " = malloc(n * sizeof *" + var + ");\nfor (size_t i = 0; i < n; i++) " + var +
                                           "[i] = 0;   /* each item in turn */");
      }
      out.push_back(std::move(finding));
    }
  }

 private:
  // The count as C can spell it: a known value without Python's `_` separators, a plain name,
  // or `n` when it is a Python expression (`len(rows[0])`).
  static std::string c_count(TSNode count, long long value, std::string_view src) {
    if (value >= 0) return std::to_string(value);
    if (syntax::type_of(count) == "identifier") return std::string(syntax::text_of(count, src));
    return "n";
  }

  void repeat(const CheckInput& input, const syntax::Match& match, std::vector<Finding>& out) const {
    const auto& src = input.source;
    TSNode product = match.get("product");
    TSNode list = match.get("list");
    TSNode count_node = match.get("count");
    auto items = syntax::named_children(list);
    if (items.size() != 1 || syntax::type_of(items[0]) == "list_splat") return;
    TSNode item = items[0];
    // `[x] * n * m` or `n * [x]` nested inside a bigger product: take the outermost only.
    if (syntax::type_of(ts_node_parent(product)) == "binary_operator") return;
    // The row of `[[0] * m] * n` is reported with the outer product (aliased-rows).
    TSNode holder = ts_node_parent(product);
    if (syntax::type_of(holder) == "list" && syntax::type_of(ts_node_parent(holder)) == "binary_operator") return;
    TSNode assignment = ts_node_parent(product);
    std::string var = "items";
    if (syntax::type_of(assignment) == "assignment" && syntax::type_of(syntax::field(assignment, "left")) == "identifier")
      var = std::string(syntax::text_of(syntax::field(assignment, "left"), src));
    // `self.rows = [[0] * m] * n`: the rows are `self.rows` (for aliased-rows; other idioms'
    // templates want a plain name).
    std::string rows_var = var;
    if (syntax::type_of(assignment) == "assignment" && syntax::type_of(syntax::field(assignment, "left")) == "attribute")
      rows_var = std::string(syntax::text_of(syntax::field(assignment, "left"), src));
    std::string count(syntax::text_of(count_node, src));
    long long n = python::integer_value(count_node, src);

    if (is_mutable_display(item, src)) {
      // The sharing matters only where a row is changed in place; rows that are only read, or
      // replaced whole (`rows[i] = [x]`), behave the same shared or not.
      if (rows_mutated(product, rows_var, src)) aliased_rows(input, product, item, count_node, rows_var, out);
      return;
    }

    Finding finding;
    finding.idiom = "list-repeat";
    finding.range = syntax::range_of(product);
    finding.bindings.set("var", var);
    finding.bindings.set("count", count);
    finding.bindings.set("c:count", c_count(count_node, n, src));
    finding.bindings.set("item", std::string(syntax::text_of(item, src)));
    finding.bindings.set("c_item", c_value_of(item, src));
    finding.bindings.set("c_type", c_type_of(item, src));
    TSNode statement = python::enclosing_statement(product);
    finding.bindings.set("python_code", quote(syntax::type_of(assignment) == "assignment" ? assignment : product, src));
    finding.bindings.set("size_text", n >= 0 ? " (" + size_label(list_size(n)) + ", as sys.getsizeof counts)" : "");
    bool numeric = syntax::type_of(item) == "integer" || syntax::type_of(item) == "float";
    if (numeric && n >= kNumericListItems) {
      // 'i' (a C int, as the lesson's array.array('i', ...)) halves the references' 8 bytes.
      std::string code = syntax::type_of(item) == "float" ? "d" : "i";
      numeric_list(input, finding, product, var, count, n,
                   "array.array('" + code + "', [" + std::string(syntax::text_of(item, src)) + "]) * " + count, out);
      return;
    }
    if (n >= 0 && list_size(n) >= kBigBytes)
      finding.hints.push_back({ts_node_end_byte(product), "list " + size_label(list_size(n)), HintKind::Sizes, {}});
    // `[None] * n` then a loop that fills it by index.
    if (syntax::type_of(assignment) == "assignment" && ts_node_eq(statement, ts_node_parent(assignment)))
      preallocated_fill(input, statement, var, count, item, finding);
    out.push_back(std::move(finding));
  }

  void numeric_list(const CheckInput& input, Finding finding, TSNode value, const std::string& var, const std::string& count,
                    long long n, const std::string& array_value, std::vector<Finding>& out) const {
    const auto& src = input.source;
    finding.idiom = "numeric-list";
    finding.range = syntax::range_of(value);
    bool doubles = array_value.find("'d'") != std::string::npos;
    long long itemsize = doubles || array_value.find("'q'") != std::string::npos ? 8 : 4;
    std::string c_name = doubles ? "doubles" : itemsize == 8 ? "long longs" : "ints";
    finding.bindings.set("var", var);
    finding.bindings.set("count", count);
    finding.bindings.set("python_code", quote(value, src));
    finding.bindings.set("size_text", size_label(list_size(n)) + " of references alone");
    finding.bindings.set("c_type", doubles ? "double" : itemsize == 8 ? "long long" : "int");
    finding.bindings.set("c_bytes", size_label(n * itemsize));
    finding.bindings.set("array_value", array_value);
    finding.hints.push_back({ts_node_end_byte(value), "list " + size_label(list_size(n)), HintKind::Sizes, {}});
    if (n >= 0) finding.bindings.set("c:count", std::to_string(n));
    Diagnostic diagnostic;
    diagnostic.code = "numeric-list";
    diagnostic.severity = Severity::Information;
    // The sentences are the entry's `message`.
    finding.bindings.set("list_bytes", size_label(list_size(n)));
    finding.bindings.set("c_name", c_name);
    // Unsafe: an array accepts only numbers of its type (a later `x[i] = "a"` or a too-big int
    // raises), and lacks some list methods; the program may rely on either.
    Fix fix{"", FixSafety::Unsafe,  // title: the entry's `fix`
             {{syntax::range_of(value), array_value}}};
    if (!python::module_imports(value, "array", src)) {
      TSNode statement = python::enclosing_statement(value);
      uint32_t at = python::line_start(src, ts_node_start_byte(statement));
      fix.edits.insert(fix.edits.begin(), Edit{{at, at}, python::indentation(src, at) + "import array\n"});
    }
    diagnostic.fixes.push_back(std::move(fix));
    finding.diagnostic = std::move(diagnostic);
    out.push_back(std::move(finding));
  }

  void aliased_rows(const CheckInput& input, TSNode product, TSNode row, TSNode count_node, const std::string& var,
                    std::vector<Finding>& out) const {
    const auto& src = input.source;
    std::string rows(syntax::text_of(count_node, src)), row_text(syntax::text_of(row, src));
    Finding finding;
    finding.idiom = "aliased-rows";
    finding.range = syntax::range_of(product);
    finding.bindings.set("var", var);
    finding.bindings.set("c:var", var.substr(var.rfind('.') == std::string::npos ? 0 : var.rfind('.') + 1));
    finding.bindings.set("rows", rows);
    finding.bindings.set("row", row_text);
    finding.bindings.set("python_code", python::short_text(product, src));
    std::string cols = "m";
    if (syntax::type_of(row) == "binary_operator") cols = std::string(syntax::text_of(syntax::field(row, "right"), src));
    finding.bindings.set("cols", cols);
    Diagnostic diagnostic;
    diagnostic.code = "aliased-rows";
    diagnostic.severity = Severity::Warning;
    // The sentences are the entry's `message` (a known row count) or `message[unsized]`.
    if (python::integer_value(count_node, src) < 0) finding.variant = "unsized";
    finding.bindings.set("row_kind", std::string(row_kind(row, src)));
    // The loop variable must not capture a name the row expression uses.
    std::string loop_var = python::mentions(row, "_", src) ? "_row" : "_";
    // Unsafe by design: the fix changes what the program does wherever a row is written (each
    // row becomes its own list). That is the bug being fixed, but a program that relied on the
    // sharing would change behaviour, so it is not applied without review.
    diagnostic.fixes.push_back({"", FixSafety::Unsafe,  // title: the entry's `fix`
                               
                                {{syntax::range_of(product), "[" + row_text + " for " + loop_var + " in range(" + rows + ")]"}}});
    finding.diagnostic = std::move(diagnostic);
    out.push_back(std::move(finding));
  }

  void preallocated_fill(const CheckInput& input, TSNode statement, const std::string& var, const std::string& count,
                         TSNode item, Finding& finding) const {
    const auto& src = input.source;
    if (syntax::type_of(item) != "none" && syntax::type_of(item) != "integer") return;
    TSNode loop = ts_node_next_named_sibling(statement);
    while (!ts_node_is_null(loop) && syntax::type_of(loop) == "comment") loop = ts_node_next_named_sibling(loop);
    if (syntax::type_of(loop) != "for_statement" || !ts_node_is_null(syntax::field(loop, "alternative"))) return;
    TSNode index = syntax::field(loop, "left");
    TSNode iterable = syntax::field(loop, "right");
    if (syntax::type_of(index) != "identifier" || syntax::type_of(iterable) != "call" ||
        syntax::text_of(syntax::field(iterable, "function"), src) != "range")
      return;
    auto range_args = syntax::named_children(syntax::field(iterable, "arguments"));
    if (range_args.size() != 1 || syntax::text_of(range_args[0], src) != count) return;
    auto body = syntax::named_children(syntax::field(loop, "body"));
    if (body.size() != 1 || syntax::type_of(body[0]) != "expression_statement") return;
    TSNode fill = ts_node_named_child(body[0], 0);
    if (syntax::type_of(fill) != "assignment") return;
    TSNode left = syntax::field(fill, "left");
    TSNode value = syntax::field(fill, "right");
    if (syntax::type_of(left) != "subscript" || syntax::text_of(syntax::field(left, "value"), src) != var) return;
    auto subscripts = syntax::named_children(left);
    if (subscripts.size() != 2 || syntax::text_of(subscripts[1], src) != syntax::text_of(index, src)) return;
    if (python::mentions(value, var, src) || ts_node_is_null(value)) return;
    std::string i(syntax::text_of(index, src)), value_text(syntax::text_of(value, src));
    if (value_text.find('\n') != std::string::npos) return;
    finding.idiom = "preallocated-fill";
    finding.bindings.set("prealloc", std::string(syntax::text_of(syntax::field(ts_node_named_child(statement, 0), "right"), src)));
    finding.bindings.set("index", i);
    finding.bindings.set("value", value_text);
    finding.bindings.set("c_type", "int");
    Diagnostic diagnostic;
    diagnostic.code = "preallocated-fill";
    diagnostic.severity = Severity::Information;
    // The sentences are the entry's `message`.
    // Unsafe: after the comprehension `i` is not bound (the loop left it at count - 1), and if
    // the value raises halfway no partly filled list remains; code after may depend on either.
    diagnostic.fixes.push_back({"", FixSafety::Unsafe,  // title: the entry's `fix`
                               
                                {{{ts_node_start_byte(statement), ts_node_end_byte(loop)},
                                  var + " = [" + value_text + " for " + i + " in range(" + count + ")]"}}});
    finding.diagnostic = std::move(diagnostic);
  }

  syntax::Query repeat_query_{syntax::Language::Python, R"(
    (binary_operator left: (list) @list operator: "*" right: (_) @count) @product
    (binary_operator left: (_) @count operator: "*" right: (list) @list) @product
  )",
                              syntax::NativeMatcher{{"binary_operator"}, &ListCreation::match_repeat}};
  // N of range(N) when it is a literal at least kNumericListItems; -1 otherwise.
  static long long big_range(TSNode range_call, std::string_view source) {
    auto args = syntax::named_children(syntax::field(range_call, "arguments"));
    if (args.size() != 1) return -1;
    long long n = python::integer_value(args[0], source);
    return n >= kNumericListItems ? n : -1;
  }

  syntax::Query range_query_{syntax::Language::Python, R"(
    (call function: (identifier) @fn (#eq? @fn "list")
      arguments: (argument_list . (call function: (identifier) @r (#eq? @r "range")) @range .)) @value
  )",
                             syntax::NativeMatcher{{"call"}, &ListCreation::match_range}};
  syntax::Query display_query_{syntax::Language::Python, R"(
    (assignment left: (identifier) @var right: [(list) (list_comprehension) (call function: (identifier) @fn (#eq? @fn "list"))] @value) @assignment
  )",
                               syntax::NativeMatcher{{"assignment"}, &ListCreation::match_display}};

  // The hand-written matchers of the three queries (python/native_match.hpp).
  static void match_repeat(TSNode product, std::string_view, std::vector<syntax::Match>& out) {
    namespace n = python::native;
    static const TSFieldId left = n::field("left"), right = n::field("right"), operator_field = n::field("operator");
    static const TSSymbol list = n::symbol("list"), times = n::symbol("*", false);
    if (!n::is(n::child(product, operator_field), times)) return;
    TSNode l = n::child(product, left), r = n::child(product, right);
    // Both patterns finish on the right operand, the first first.
    if (n::is(l, list) && n::is_named_node(r)) n::add(out, 0, {{"product", product}, {"list", l}, {"count", r}});
    if (n::is_named_node(l) && n::is(r, list)) n::add(out, 1, {{"product", product}, {"count", l}, {"list", r}});
  }
  static void match_range(TSNode value, std::string_view source, std::vector<syntax::Match>& out) {
    namespace n = python::native;
    static const TSFieldId function = n::field("function"), arguments = n::field("arguments");
    static const TSSymbol identifier = n::symbol("identifier"), argument_list = n::symbol("argument_list"),
                          call = n::symbol("call");
    TSNode fn = n::child(value, function);
    if (!n::is(fn, identifier) || syntax::text_of(fn, source) != "list") return;
    TSNode args = n::child(value, arguments);
    // `. (call) .`: the only named child (comments count).
    if (!n::is(args, argument_list) || ts_node_named_child_count(args) != 1) return;
    TSNode range = ts_node_named_child(args, 0);
    if (!n::is(range, call)) return;
    TSNode r = n::child(range, function);
    if (n::is(r, identifier) && syntax::text_of(r, source) == "range")
      n::add(out, 0, {{"value", value}, {"fn", fn}, {"range", range}, {"r", r}});
  }
  static void match_display(TSNode assignment, std::string_view source, std::vector<syntax::Match>& out) {
    namespace n = python::native;
    static const TSFieldId left = n::field("left"), right = n::field("right"), function = n::field("function");
    static const TSSymbol identifier = n::symbol("identifier"), list = n::symbol("list"),
                          list_comprehension = n::symbol("list_comprehension"), call = n::symbol("call");
    TSNode var = n::child(assignment, left);
    if (!n::is(var, identifier)) return;
    TSNode value = n::child(assignment, right);
    if (n::is(value, list) || n::is(value, list_comprehension))
      return n::add(out, 0, {{"assignment", assignment}, {"var", var}, {"value", value}});
    if (!n::is(value, call)) return;
    TSNode fn = n::child(value, function);
    if (n::is(fn, identifier) && syntax::text_of(fn, source) == "list")
      n::add(out, 0, {{"assignment", assignment}, {"var", var}, {"value", value}, {"fn", fn}});
  }
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(ListCreation)
