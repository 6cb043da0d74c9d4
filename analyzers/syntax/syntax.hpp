// RAII wrappers around the tree-sitter C API. Everything above this layer uses these types; no
// other file calls ts_*_delete.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <tree_sitter/api.h>

namespace c2py::syntax {

enum class Language { C, Python };

std::string_view language_name(Language language);
// "c" / "python" as LSP languageIds; also accepts the file extension fallback (".c", ".h", ".py").
std::optional<Language> language_from_id(std::string_view language_id);
std::optional<Language> language_from_path(std::string_view path);

// The grammar for a language; checked once against the core's ABI range (see ARCHITECTURE.md).
const TSLanguage* grammar(Language language);

struct ByteRange {
  uint32_t begin = 0;
  uint32_t end = 0;
  friend bool operator==(const ByteRange&, const ByteRange&) = default;
  bool contains(uint32_t offset) const { return begin <= offset && offset <= end; }
};

// Null-safe: half-typed code leaves fields missing, and a missing field is a null node, whose
// end byte tree-sitter cannot compute (it dereferences the node's subtree).
inline ByteRange range_of(TSNode node) {
  if (ts_node_is_null(node)) return {};
  return {ts_node_start_byte(node), ts_node_end_byte(node)};
}
inline std::string_view text_of(TSNode node, std::string_view source) {
  if (ts_node_is_null(node)) return {};
  uint32_t begin = ts_node_start_byte(node), end = ts_node_end_byte(node);
  if (begin > source.size() || end > source.size() || end < begin) return {};
  return source.substr(begin, end - begin);
}
std::string_view type_of(TSNode node);
// Child by field name, or a null node.
TSNode field(TSNode node, std::string_view name);
// Named children, in order.
std::vector<TSNode> named_children(TSNode node);
// Nearest ancestor (or the node itself) of one of the given types; null node if none.
TSNode ancestor_of_type(TSNode node, std::initializer_list<std::string_view> types);
// The ancestors of a node, the root first and its parent last: the chain ts_node_parent walks,
// found in one descent (ts_node_parent descends from the root once per call, scanning every
// top-level item on the way).
std::vector<TSNode> ancestors(TSNode node);
// Appends `from` and each of its descendants on the way down to `node` (excluded), one
// ts_node_child_with_descendant step each; `node` must lie strictly inside `from`.
void append_descent(TSNode from, TSNode node, std::vector<TSNode>& out);

// An owned syntax tree. Copying is cheap (tree-sitter shares structure between copies).
class Tree {
 public:
  Tree() = default;
  explicit Tree(TSTree* raw) : tree_(raw, &ts_tree_delete) {}
  Tree(const Tree& other) : tree_(other.tree_ ? ts_tree_copy(other.tree_.get()) : nullptr, &ts_tree_delete) {}
  Tree& operator=(const Tree& other) {
    if (this != &other) *this = Tree(other);
    return *this;
  }
  Tree(Tree&&) noexcept = default;
  Tree& operator=(Tree&&) noexcept = default;
  ~Tree() = default;

  explicit operator bool() const { return tree_ != nullptr; }
  TSNode root() const { return ts_tree_root_node(tree_.get()); }
  TSTree* raw() const { return tree_.get(); }
  void edit(const TSInputEdit& edit) { ts_tree_edit(tree_.get(), &edit); }
  bool has_error() const { return tree_ && ts_node_has_error(root()); }

 private:
  std::unique_ptr<TSTree, decltype(&ts_tree_delete)> tree_{nullptr, &ts_tree_delete};
};

// A parser for one language. Not thread-safe: one per thread or per document job.
class Parser {
 public:
  explicit Parser(Language language);
  Language language() const { return language_; }
  // Parses `source`, reusing `old_tree` (already edited with Tree::edit) when given. Returns an
  // empty tree only when parsing was cancelled by `should_stop` returning true.
  Tree parse(std::string_view source, const Tree* old_tree = nullptr,
             bool (*should_stop)(void*) = nullptr, void* stop_payload = nullptr);

 private:
  Language language_;
  std::unique_ptr<TSParser, decltype(&ts_parser_delete)> parser_{nullptr, &ts_parser_delete};
};

// Visits `node` and its descendants in document order, without recursion (files can nest
// 100 000 levels deep). `visit` returns false to skip a node's children.
template <typename Visit>
void walk(TSNode node, Visit visit) {
  if (ts_node_is_null(node)) return;
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  struct Guard {
    TSTreeCursor* c;
    ~Guard() { ts_tree_cursor_delete(c); }
  } guard{&cursor};
  bool descend = visit(ts_tree_cursor_current_node(&cursor));
  while (true) {
    if (descend && ts_tree_cursor_goto_first_child(&cursor)) {
      descend = visit(ts_tree_cursor_current_node(&cursor));
      continue;
    }
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (!ts_tree_cursor_goto_parent(&cursor)) return;
    }
    descend = visit(ts_tree_cursor_current_node(&cursor));
  }
}

// What running a query over `root` costs in sibling scans beyond the walk itself: for each node
// a query cursor enters, tree-sitter looks along the later siblings for a named one, so a run of
// L unnamed siblings (20 000 `(` in an ERROR node) costs about L²/2. Only subtrees with syntax
// errors can hold such runs; an error-free tree costs 0 to measure.
uint64_t query_sibling_scan_cost(TSNode root);

struct Match;

// Hand-written matching for the patterns of one query (issue 14): at a node of one of `roots`, the
// matches tree-sitter finds anchored there (same pattern indices, captures in the same order, in
// the order tree-sitter finishes them), appended to `out`. A query group runs it instead of the
// query cursor, which costs thousands of instructions per candidate node; the query itself stays
// the definition (run_query and a check run alone use it, and a unit test holds the two equal).
struct NativeMatcher {
  std::vector<std::string_view> roots;  // the node types its patterns start at
  void (*match)(TSNode node, std::string_view source, std::vector<Match>& out) = nullptr;
};

// A tree-sitter query, compiled on first use (thread-safe), so that a process compiles only the
// queries it runs: compiling is most of the start-up of a short run. Immutable once compiled, so
// one instance serves all threads.
class Query {
 public:
  Query(Language language, std::string_view source);
  Query(Language language, std::string_view source, NativeMatcher native);
  // The hand-written matcher of its patterns, if it has one.
  const NativeMatcher* native() const { return native_.match ? &native_ : nullptr; }
  // The compiled query. Throws std::invalid_argument with the offset and kind of the error for a
  // malformed query (on every call).
  const TSQuery* raw() const;
  uint32_t capture_index(std::string_view name) const;  // UINT32_MAX if absent
  std::string_view capture_name(uint32_t index) const;
  // The compiled regex of a #match? argument, by the argument's string id.
  const std::regex* regex_for(uint32_t string_id) const;
  Language language() const { return language_; }
  std::string_view source() const { return source_; }
  uint32_t pattern_count() const;

 private:
  void compile() const;

  Language language_;
  std::string source_;
  NativeMatcher native_;
  mutable std::once_flag compiled_;
  mutable std::unique_ptr<TSQuery, decltype(&ts_query_delete)> query_{nullptr, &ts_query_delete};
  mutable std::unordered_map<uint32_t, std::regex> regexes_;
};

struct Capture {
  std::string_view name;
  TSNode node;
};
struct Match {
  uint32_t pattern = 0;
  std::vector<Capture> captures;
  // First node captured under `name`, or a null node.
  TSNode get(std::string_view name) const;
};

// How deep below the queried node a pattern may start (see run_query).
inline constexpr uint32_t kMaxQueryStartDepth = 400;
// Runs a query over a subtree and returns every match whose text predicates (#eq?, #not-eq?,
// #match? with a plain substring, #any-of?) hold.
std::vector<Match> run_query(const Query& query, TSNode node, std::string_view source);

// The queries of several checks run in one pass over a tree. Their patterns are sorted by the
// node type they start at; the pass walks the tree once with a cursor, and at each node of such a
// type runs the patterns rooted there (compiled together, on the first node of that type ever
// met) anchored at that node. So a process compiles only the patterns its files can match, and
// the query cursor explores only small subtrees. A group whose patterns do not all start with a
// plain named node runs as one combined query over the tree instead. Immutable once built, apart
// from the thread-safe lazy compilation. A query with a NativeMatcher runs it at the nodes of its
// roots, in the same walk (unless `native` is false: then every part runs as a query).
class QueryGroup {
 public:
  // Throws std::invalid_argument when the queries are of different languages.
  QueryGroup(Language language, std::vector<const Query*> parts, bool native = true);
  // Queries run in several passes (subset(i) runs passes[i]; a query in several passes is placed
  // with the first). The patterns of one root type compile as one tree-sitter query per pass, or
  // as one for all passes where `merge(root, patterns of each pass there)` says so: compiling
  // costs a fixed 0.5 ms or so per tree-sitter query besides its patterns, but a pass run at a
  // merged root type runs the other passes' patterns there too.
  using MergeRule = std::function<bool(std::string_view root, const std::vector<uint32_t>& patterns_per_pass)>;
  QueryGroup(Language language, std::vector<std::vector<const Query*>> passes, const MergeRule& merge, bool native = true);
  ~QueryGroup();
  QueryGroup(const QueryGroup&) = delete;
  QueryGroup& operator=(const QueryGroup&) = delete;
  const std::vector<const Query*>& parts() const { return parts_; }
  // The parts of one pass, to run only those.
  class Subset {
   public:
    bool has(size_t part) const { return part < parts_.size() && parts_[part]; }
    bool empty() const { return std::find(parts_.begin(), parts_.end(), 1) == parts_.end(); }

   private:
    friend class QueryGroup;
    std::vector<char> parts_;    // by part
    std::vector<char> buckets_;  // by bucket: holds a pattern of the subset
  };
  const Subset& subset(size_t pass) const { return passes_.at(pass); }
  // The matches of each part over `node` (the pattern index is the part's own); result[i]
  // belongs to parts()[i]. The same matches as run_query gives for each part, in the order of
  // their root nodes in the tree. With a subset, only its parts' (the others' stay empty).
  std::vector<std::vector<Match>> run(TSNode node, std::string_view source, const Subset* subset = nullptr) const;
  // Compiles every pattern now (thread-safe), so that a later run() compiles nothing: a server
  // does it on another thread while the first document of the language is being parsed.
  void compile() const;

 private:
  struct Bucket;
  std::vector<const Query*> parts_;
  std::vector<std::unique_ptr<Bucket>> buckets_;  // per root node type, one per pass or one merged
  std::vector<std::vector<uint32_t>> buckets_of_root_;
  std::vector<int32_t> root_of_symbol_;  // by ts_node_symbol: its root, or -1
  std::vector<Subset> passes_;
  // The parts matched by hand, by ts_node_symbol of their roots (empty: none).
  std::vector<std::vector<uint32_t>> native_of_symbol_;
  // The fallback: every queried part's text as one query, run over the tree.
  std::vector<uint32_t> queried_;        // the parts not matched by hand
  std::vector<uint32_t> first_pattern_;  // per queried part, its first pattern in `combined_`
  std::unique_ptr<Query> combined_;
};

}  // namespace c2py::syntax
