#include "syntax/syntax.hpp"

#include <algorithm>
#include <cctype>
#include <regex>
#include <stdexcept>
#include <unordered_map>

extern "C" const TSLanguage* tree_sitter_c();
extern "C" const TSLanguage* tree_sitter_python();

namespace c2py::syntax {

std::string_view language_name(Language language) {
  return language == Language::C ? "c" : "python";
}

std::optional<Language> language_from_id(std::string_view id) {
  if (id == "c") return Language::C;
  if (id == "python") return Language::Python;
  return std::nullopt;
}

std::optional<Language> language_from_path(std::string_view path) {
  auto ends_with = [&](std::string_view suffix) {
    return path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix;
  };
  if (ends_with(".c") || ends_with(".h")) return Language::C;
  if (ends_with(".py") || ends_with(".pyi")) return Language::Python;
  return std::nullopt;
}

const TSLanguage* grammar(Language language) {
  return language == Language::C ? tree_sitter_c() : tree_sitter_python();
}

namespace {
// Node type names by symbol, read from a grammar once: ts_node_type returns a C string whose
// length every comparison measured again (strlen was 3% of a Python --check).
class SymbolNames {
 public:
  explicit SymbolNames(const TSLanguage* language) : language_(language) {
    uint32_t count = ts_language_symbol_count(language);
    names_.reserve(count);
    for (uint32_t symbol = 0; symbol < count; ++symbol) {
      const char* name = ts_language_symbol_name(language, static_cast<TSSymbol>(symbol));
      names_.push_back(name ? std::string_view(name) : std::string_view());
    }
  }
  const TSLanguage* language() const { return language_; }
  const std::vector<std::string_view>& names() const { return names_; }

 private:
  const TSLanguage* language_;
  std::vector<std::string_view> names_;
};
}  // namespace

std::string_view type_of(TSNode node) {
  if (ts_node_is_null(node)) return {};
  static const SymbolNames c_names(grammar(Language::C)), python_names(grammar(Language::Python));
  const TSLanguage* language = ts_node_language(node);
  const SymbolNames* names = language == python_names.language() ? &python_names
                             : language == c_names.language()    ? &c_names
                                                                 : nullptr;
  // ts_node_symbol is the public symbol of the node's type (aliases included): the same name.
  TSSymbol symbol = ts_node_symbol(node);
  if (!names || symbol >= names->names().size()) return ts_node_type(node);
  return names->names()[symbol];
}

namespace {
// Field ids by name, read from a grammar once: tree-sitter's lookup by name compares the name with
// every field of the grammar on each call (a fifth of the runtime model's time went there).
class FieldIds {
 public:
  explicit FieldIds(const TSLanguage* language) : language_(language) {
    uint32_t count = ts_language_field_count(language);
    for (uint32_t id = 1; id <= count; ++id)
      if (const char* field_name = ts_language_field_name_for_id(language, static_cast<TSFieldId>(id)))
        ids_.emplace(field_name, static_cast<TSFieldId>(id));
  }
  const TSLanguage* language() const { return language_; }
  TSFieldId find(std::string_view name) const {
    auto it = ids_.find(name);
    return it == ids_.end() ? 0 : it->second;
  }

 private:
  const TSLanguage* language_;
  std::unordered_map<std::string_view, TSFieldId> ids_;  // names point into the grammar's tables
};
}  // namespace

TSNode field(TSNode node, std::string_view name) {
  if (ts_node_is_null(node)) return node;
  static const FieldIds c_ids(grammar(Language::C)), python_ids(grammar(Language::Python));
  const TSLanguage* language = ts_node_language(node);
  const FieldIds* ids = language == c_ids.language() ? &c_ids : language == python_ids.language() ? &python_ids : nullptr;
  if (!ids) return ts_node_child_by_field_name(node, name.data(), static_cast<uint32_t>(name.size()));
  TSFieldId id = ids->find(name);
  return id == 0 ? TSNode{} : ts_node_child_by_field_id(node, id);
}

std::vector<TSNode> named_children(TSNode node) {
  // ts_node_named_child(node, i) walks from the first child each time: a cursor keeps this linear.
  std::vector<TSNode> out;
  if (ts_node_is_null(node)) return out;
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      TSNode child = ts_tree_cursor_current_node(&cursor);
      if (ts_node_is_named(child)) out.push_back(child);
    } while (ts_tree_cursor_goto_next_sibling(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
  return out;
}

std::vector<TSNode> ancestors(TSNode node) {
  // The descent ts_node_parent makes, with the same steps, once.
  std::vector<TSNode> out;
  if (ts_node_is_null(node)) return out;
  TSNode root = ts_tree_root_node(node.tree);
  if (root.id != node.id) append_descent(root, node, out);
  return out;
}

void append_descent(TSNode from, TSNode node, std::vector<TSNode>& out) {
  for (TSNode at = from;;) {
    out.push_back(at);
    TSNode next = ts_node_child_with_descendant(at, node);
    if (ts_node_is_null(next) || next.id == node.id) break;
    at = next;
  }
}

TSNode ancestor_of_type(TSNode node, std::initializer_list<std::string_view> types) {
  if (ts_node_is_null(node)) return node;
  auto wanted = [&](TSNode n) { return std::find(types.begin(), types.end(), type_of(n)) != types.end(); };
  if (wanted(node)) return node;
  // Walking up with ts_node_parent would descend from the root once per level.
  auto chain = ancestors(node);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it)
    if (wanted(*it)) return *it;
  return TSNode{};
}

Parser::Parser(Language language) : language_(language), parser_(ts_parser_new(), &ts_parser_delete) {
  // ts_parser_set_language returns false (and keeps no language) on an ABI mismatch; a silent
  // failure here would make every parse return NULL, so it is fatal.
  if (!ts_parser_set_language(parser_.get(), grammar(language)))
    throw std::runtime_error("tree-sitter core rejected the " + std::string(language_name(language)) +
                             " grammar (ABI " + std::to_string(ts_language_abi_version(grammar(language))) +
                             ")");
}

Tree Parser::parse(std::string_view source, const Tree* old_tree, bool (*should_stop)(void*),
                   void* stop_payload) {
  TSInput input{};
  struct Payload {
    std::string_view source;
  } payload{source};
  input.payload = &payload;
  input.encoding = TSInputEncodingUTF8;
  input.read = [](void* p, uint32_t byte, TSPoint, uint32_t* bytes_read) -> const char* {
    auto* self = static_cast<Payload*>(p);
    if (byte >= self->source.size()) {
      *bytes_read = 0;
      return "";
    }
    *bytes_read = static_cast<uint32_t>(self->source.size() - byte);
    return self->source.data() + byte;
  };
  TSTree* raw = nullptr;
  if (should_stop) {
    struct StopPayload {
      bool (*should_stop)(void*);
      void* payload;
    } stop{should_stop, stop_payload};
    TSParseOptions opts{};
    opts.payload = &stop;
    opts.progress_callback = [](TSParseState* state) {
      auto* s = static_cast<StopPayload*>(state->payload);
      return s->should_stop(s->payload);
    };
    raw = ts_parser_parse_with_options(parser_.get(), old_tree ? old_tree->raw() : nullptr, input, opts);
  } else {
    raw = ts_parser_parse(parser_.get(), old_tree ? old_tree->raw() : nullptr, input);
  }
  if (!raw) ts_parser_reset(parser_.get());
  return Tree(raw);
}

namespace {
std::string_view string_value(const TSQuery* query, uint32_t id) {
  uint32_t length = 0;
  const char* s = ts_query_string_value_for_id(query, id, &length);
  return {s, length};
}
}  // namespace

Query::Query(Language language, std::string_view source) : language_(language), source_(source) {}
Query::Query(Language language, std::string_view source, NativeMatcher native)
    : language_(language), source_(source), native_(std::move(native)) {}

const TSQuery* Query::raw() const {
  std::call_once(compiled_, [this] { compile(); });  // a throw leaves it uncompiled, to throw again
  return query_.get();
}

void Query::compile() const {
  uint32_t error_offset = 0;
  TSQueryError error = TSQueryErrorNone;
  TSQuery* raw = ts_query_new(grammar(language_), source_.data(), static_cast<uint32_t>(source_.size()),
                              &error_offset, &error);
  if (!raw) {
    static constexpr const char* kinds[] = {"none", "syntax", "node type", "field", "capture", "structure", "language"};
    auto kind = static_cast<size_t>(error) < std::size(kinds) ? kinds[error] : "unknown";
    throw std::invalid_argument("query error (" + std::string(kind) + ") at offset " + std::to_string(error_offset) +
                                ": " + source_.substr(std::min<size_t>(error_offset, source_.size()), 40));
  }
  std::unique_ptr<TSQuery, decltype(&ts_query_delete)> owned(raw, &ts_query_delete);
  // Compile every #match? pattern once, keyed by its string id.
  std::unordered_map<uint32_t, std::regex> regexes;
  for (uint32_t pattern = 0; pattern < ts_query_pattern_count(raw); ++pattern) {
    uint32_t count = 0;
    const TSQueryPredicateStep* steps = ts_query_predicates_for_pattern(raw, pattern, &count);
    for (uint32_t i = 0; i + 2 < count; ++i) {
      if (steps[i].type != TSQueryPredicateStepTypeString) continue;
      auto op = string_value(raw, steps[i].value_id);
      if ((op == "match?" || op == "not-match?") && steps[i + 2].type == TSQueryPredicateStepTypeString)
        regexes.emplace(steps[i + 2].value_id, std::regex(std::string(string_value(raw, steps[i + 2].value_id))));
    }
  }
  regexes_ = std::move(regexes);
  query_ = std::move(owned);
}

uint32_t Query::pattern_count() const { return ts_query_pattern_count(raw()); }

const std::regex* Query::regex_for(uint32_t string_id) const {
  raw();
  auto it = regexes_.find(string_id);
  return it == regexes_.end() ? nullptr : &it->second;
}

uint32_t Query::capture_index(std::string_view name) const {
  uint32_t count = ts_query_capture_count(raw());
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t length = 0;
    const char* n = ts_query_capture_name_for_id(raw(), i, &length);
    if (std::string_view(n, length) == name) return i;
  }
  return UINT32_MAX;
}

std::string_view Query::capture_name(uint32_t index) const {
  uint32_t length = 0;
  const char* n = ts_query_capture_name_for_id(raw(), index, &length);
  return {n, length};
}

TSNode Match::get(std::string_view name) const {
  for (const auto& capture : captures)
    if (capture.name == name) return capture.node;
  return TSNode{};
}

namespace {

bool predicates_hold(const Query& query, const TSQueryMatch& match, std::string_view source) {
  uint32_t step_count = 0;
  const TSQueryPredicateStep* steps = ts_query_predicates_for_pattern(query.raw(), match.pattern_index, &step_count);
  auto capture_text = [&](uint32_t capture_id, std::vector<std::string_view>& out) {
    for (uint16_t i = 0; i < match.capture_count; ++i)
      if (match.captures[i].index == capture_id) out.push_back(text_of(match.captures[i].node, source));
  };
  uint32_t i = 0;
  while (i < step_count) {
    uint32_t end = i;
    while (end < step_count && steps[end].type != TSQueryPredicateStepTypeDone) ++end;
    if (end > i && steps[i].type == TSQueryPredicateStepTypeString) {
      std::string_view op = string_value(query.raw(), steps[i].value_id);
      std::vector<std::string_view> subjects;
      if (i + 1 < end && steps[i + 1].type == TSQueryPredicateStepTypeCapture) capture_text(steps[i + 1].value_id, subjects);
      const std::regex* regex = i + 2 < end ? query.regex_for(steps[i + 2].value_id) : nullptr;
      std::vector<std::string_view> args;
      for (uint32_t k = i + 2; k < end; ++k) {
        if (steps[k].type == TSQueryPredicateStepTypeString) args.push_back(string_value(query.raw(), steps[k].value_id));
        else capture_text(steps[k].value_id, args);
      }
      // A quantified capture that matched nothing satisfies the predicate vacuously.
      for (auto subject : subjects) {
        bool ok = true;
        if (op == "eq?" || op == "not-eq?") {
          bool equal = !args.empty() && subject == args.front();
          ok = (op == "eq?") == equal;
        } else if (op == "any-of?" || op == "not-any-of?") {
          bool found = std::find(args.begin(), args.end(), subject) != args.end();
          ok = (op == "any-of?") == found;
        } else if (op == "match?" || op == "not-match?") {
          bool matched = regex && std::regex_search(subject.begin(), subject.end(), *regex);
          ok = (op == "match?") == matched;
        }
        if (!ok) return false;
      }
    }
    i = end + 1;
  }
  return true;
}

}  // namespace

uint64_t query_sibling_scan_cost(TSNode root) {
  uint64_t cost = 0;
  if (ts_node_is_null(root) || !ts_node_has_error(root)) return 0;
  walk(root, [&](TSNode node) {
    if (!ts_node_has_error(node)) return false;
    TSTreeCursor children = ts_tree_cursor_new(node);
    uint64_t run = 0;
    if (ts_tree_cursor_goto_first_child(&children)) {
      do {
        if (ts_node_is_named(ts_tree_cursor_current_node(&children))) {
          cost += run * run / 2;
          run = 0;
        } else {
          ++run;
        }
      } while (ts_tree_cursor_goto_next_sibling(&children));
    }
    cost += run * run / 2;
    ts_tree_cursor_delete(&children);
    return true;
  });
  return cost;
}

namespace {

// Runs `query` over `node`, handing each match whose predicates hold to `sink`.
using QueryCursor = std::unique_ptr<TSQueryCursor, decltype(&ts_query_cursor_delete)>;

// Runs `query` with `cursor` over `node`, handing each match whose predicates hold to `sink`.
template <typename Sink>
void for_each_match(TSQueryCursor* cursor, const Query& query, TSNode node, std::string_view source, Sink sink) {
  ts_query_cursor_exec(cursor, query.raw(), node);
  TSQueryMatch match;
  while (ts_query_cursor_next_match(cursor, &match)) {
    if (!predicates_hold(query, match, source)) continue;
    Match m;
    m.pattern = match.pattern_index;
    m.captures.reserve(match.capture_count);
    for (uint16_t i = 0; i < match.capture_count; ++i)
      m.captures.push_back({query.capture_name(match.captures[i].index), match.captures[i].node});
    sink(std::move(m));
  }
}

template <typename Sink>
void for_each_match(const Query& query, TSNode node, std::string_view source, Sink sink) {
  if (ts_node_is_null(node)) return;
  QueryCursor cursor(ts_query_cursor_new(), &ts_query_cursor_delete);
  // A query cursor pays for the depth of every node it visits (ts_tree_cursor_current_status walks
  // the stack), so 20 000 unclosed parentheses cost 20 000² steps per query. Patterns start no
  // deeper than kMaxQueryStartDepth levels below `node`: code nested deeper gets no findings.
  ts_query_cursor_set_max_start_depth(cursor.get(), kMaxQueryStartDepth);
  for_each_match(cursor.get(), query, node, source, sink);
}

// The top-level patterns of a query's text, each with the node type it starts at; nullopt when a
// pattern starts otherwise (an alternation, a wildcard, a grouping, a string).
struct PatternText {
  std::string root;
  std::string text;
};
std::optional<std::vector<PatternText>> split_patterns(std::string_view src) {
  std::vector<PatternText> out;
  size_t i = 0, n = src.size();
  auto skip_space = [&] {
    while (i < n) {
      if (src[i] == ';') {
        while (i < n && src[i] != '\n') ++i;
      } else if (std::isspace(static_cast<unsigned char>(src[i]))) {
        ++i;
      } else {
        break;
      }
    }
  };
  auto is_name = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; };
  skip_space();
  while (i < n) {
    if (src[i] != '(') return std::nullopt;
    size_t start = i++;
    skip_space();
    size_t name_start = i;
    while (i < n && is_name(src[i])) ++i;
    std::string root(src.substr(name_start, i - name_start));
    if (root.empty() || root == "_") return std::nullopt;
    // To the matching parenthesis, past strings and comments.
    int depth = 1;
    while (i < n && depth > 0) {
      char c = src[i];
      if (c == '"') {
        for (++i; i < n && src[i] != '"'; ++i)
          if (src[i] == '\\') ++i;
      } else if (c == ';') {
        while (i < n && src[i] != '\n') ++i;
        continue;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')') {
        --depth;
      }
      ++i;
    }
    if (depth != 0) return std::nullopt;
    // Quantifiers and captures of the whole pattern, up to the next pattern.
    while (true) {
      skip_space();
      if (i < n && (src[i] == '@' || src[i] == '?' || src[i] == '*' || src[i] == '+')) {
        ++i;
        while (i < n && (is_name(src[i]) || src[i] == '-')) ++i;
        continue;
      }
      break;
    }
    out.push_back({std::move(root), std::string(src.substr(start, i - start))});
  }
  return out;
}

}  // namespace

struct QueryGroup::Bucket {
  std::unique_ptr<Query> query;                          // the patterns rooted at one node type
  std::vector<std::pair<uint32_t, uint32_t>> origin;     // per pattern of `query`: (part, its pattern)
};

QueryGroup::~QueryGroup() = default;

std::vector<Match> run_query(const Query& query, TSNode node, std::string_view source) {
  std::vector<Match> out;
  for_each_match(query, node, source, [&](Match m) { out.push_back(std::move(m)); });
  return out;
}

QueryGroup::QueryGroup(Language language, std::vector<const Query*> parts, bool native)
    : QueryGroup(language, std::vector<std::vector<const Query*>>{std::move(parts)}, nullptr, native) {}

QueryGroup::QueryGroup(Language language, std::vector<std::vector<const Query*>> passes, const MergeRule& merge, bool native) {
  std::vector<size_t> pass_of;  // per part, the first pass listing it
  for (size_t p = 0; p < passes.size(); ++p)
    for (const Query* query : passes[p])
      if (std::find(parts_.begin(), parts_.end(), query) == parts_.end()) {
        parts_.push_back(query);
        pass_of.push_back(p);
      }
  for (const Query* part : parts_)
    if (part->language() != language) throw std::invalid_argument("a query group holds queries of one language");
  // Which parts each pass runs, and (below) which buckets hold their patterns.
  passes_.resize(passes.size());
  for (size_t p = 0; p < passes.size(); ++p) {
    passes_[p].parts_.assign(parts_.size(), 0);
    for (size_t i = 0; i < parts_.size(); ++i)
      passes_[p].parts_[i] = std::find(passes[p].begin(), passes[p].end(), parts_[i]) != passes[p].end();
  }
  if (parts_.empty()) return;
  const TSLanguage* grammar_ = grammar(language);
  const uint32_t symbol_count = ts_language_symbol_count(grammar_);
  // Every symbol shown under one of `names` (aliases included), for each name's index.
  auto symbols_named = [&](const std::vector<std::string_view>& names, auto&& add) {
    for (uint32_t symbol = 0; symbol < symbol_count; ++symbol) {
      if (ts_language_symbol_type(grammar_, static_cast<TSSymbol>(symbol)) != TSSymbolTypeRegular) continue;
      const char* name = ts_language_symbol_name(grammar_, static_cast<TSSymbol>(symbol));
      if (!name) continue;
      auto it = std::find(names.begin(), names.end(), std::string_view(name));
      if (it != names.end()) add(symbol, static_cast<size_t>(it - names.begin()));
    }
  };
  for (uint32_t p = 0; p < parts_.size(); ++p) {
    const NativeMatcher* matcher = native ? parts_[p]->native() : nullptr;
    if (!matcher) {
      queried_.push_back(p);
      continue;
    }
    if (native_of_symbol_.empty()) native_of_symbol_.resize(symbol_count);
    symbols_named(matcher->roots, [&](uint32_t symbol, size_t) { native_of_symbol_[symbol].push_back(p); });
  }
  if (queried_.empty()) return;
  // Patterns by root node type and pass, when every pattern starts with a plain named node.
  struct Pending {
    std::string text;
    std::vector<std::pair<uint32_t, uint32_t>> origin;
  };
  std::vector<std::string> roots;
  std::vector<std::vector<Pending>> by_root;  // [root][pass]
  bool plain = true;
  for (uint32_t p : queried_) {
    auto patterns = split_patterns(parts_[p]->source());
    if (!patterns) {
      plain = false;
      break;
    }
    for (uint32_t k = 0; k < patterns->size() && plain; ++k) {
      const auto& pattern = (*patterns)[k];
      TSSymbol symbol = ts_language_symbol_for_name(grammar_, pattern.root.data(), static_cast<uint32_t>(pattern.root.size()), true);
      if (symbol == 0 || ts_language_symbol_type(grammar_, symbol) != TSSymbolTypeRegular) {
        plain = false;
        break;
      }
      size_t r = static_cast<size_t>(std::find(roots.begin(), roots.end(), pattern.root) - roots.begin());
      if (r == roots.size()) {
        roots.push_back(pattern.root);
        by_root.emplace_back(passes.size());
      }
      Pending& pending = by_root[r][pass_of[p]];
      pending.text += pattern.text;
      pending.text += '\n';
      pending.origin.emplace_back(p, k);
    }
    if (!plain) break;
  }
  if (plain) {
    auto add_bucket = [&](Pending&& pending) {
      auto bucket = std::make_unique<Bucket>();
      bucket->query = std::make_unique<Query>(language, pending.text);
      bucket->origin = std::move(pending.origin);
      // A pass runs a bucket holding a pattern of one of its parts.
      for (auto& subset : passes_) {
        bool runs = false;
        for (const auto& [part, pattern] : bucket->origin) runs = runs || subset.parts_[part];
        subset.buckets_.push_back(runs);
      }
      buckets_of_root_.back().push_back(static_cast<uint32_t>(buckets_.size()));
      buckets_.push_back(std::move(bucket));
    };
    for (size_t r = 0; r < roots.size(); ++r) {
      buckets_of_root_.emplace_back();
      std::vector<uint32_t> counts;
      for (const auto& pending : by_root[r]) counts.push_back(static_cast<uint32_t>(pending.origin.size()));
      if (merge && merge(roots[r], counts)) {
        Pending all;
        for (auto& pending : by_root[r]) {
          all.text += pending.text;
          all.origin.insert(all.origin.end(), pending.origin.begin(), pending.origin.end());
        }
        add_bucket(std::move(all));
      } else {
        for (auto& pending : by_root[r])
          if (!pending.origin.empty()) add_bucket(std::move(pending));
      }
    }
    root_of_symbol_.assign(symbol_count, -1);
    std::vector<std::string_view> names(roots.begin(), roots.end());
    symbols_named(names, [&](uint32_t symbol, size_t r) { root_of_symbol_[symbol] = static_cast<int32_t>(r); });
    return;
  }
  std::string text;
  std::vector<uint32_t> starts;  // where each queried part's text begins in the combined text
  for (uint32_t p : queried_) {
    starts.push_back(static_cast<uint32_t>(text.size()));
    text += parts_[p]->source();
    text += '\n';
  }
  // Concatenating the sources keeps every pattern and its predicates, in order; a pattern belongs
  // to the part whose text holds its start. The parts themselves are never compiled.
  combined_ = std::make_unique<Query>(language, text);
  const TSQuery* raw = combined_->raw();
  first_pattern_.assign(queried_.size(), 0);
  size_t part = 0;
  uint32_t count = ts_query_pattern_count(raw);
  for (uint32_t pattern = 0; pattern < count; ++pattern) {
    uint32_t start = ts_query_start_byte_for_pattern(raw, pattern);
    size_t owner = static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), start) - starts.begin()) - 1;
    while (part < owner) first_pattern_[++part] = pattern;
  }
  while (part + 1 < queried_.size()) first_pattern_[++part] = count;
}

void QueryGroup::compile() const {
  if (combined_) combined_->raw();
  for (const auto& bucket : buckets_) bucket->query->raw();
}

std::vector<std::vector<Match>> QueryGroup::run(TSNode node, std::string_view source, const Subset* subset) const {
  std::vector<std::vector<Match>> out(parts_.size());
  if (parts_.empty() || ts_node_is_null(node) || (subset && subset->empty())) return out;
  if (combined_) {
    for_each_match(*combined_, node, source, [&](Match m) {
      auto part = static_cast<size_t>(std::upper_bound(first_pattern_.begin(), first_pattern_.end(), m.pattern) -
                                      first_pattern_.begin()) - 1;
      if (subset && !subset->parts_[queried_[part]]) return;
      m.pattern -= first_pattern_[part];
      out[queried_[part]].push_back(std::move(m));
    });
  }
  if (buckets_.empty() && native_of_symbol_.empty()) return out;
  QueryCursor query_cursor(buckets_.empty() ? nullptr : ts_query_cursor_new(), &ts_query_cursor_delete);
  if (query_cursor) ts_query_cursor_set_max_start_depth(query_cursor.get(), 0);  // matches start at the node given
  auto visit = [&](TSNode n) {
    TSSymbol symbol = ts_node_symbol(n);
    if (symbol < native_of_symbol_.size())
      for (uint32_t part : native_of_symbol_[symbol])
        if (!subset || subset->parts_[part]) parts_[part]->native()->match(n, source, out[part]);
    int32_t r = symbol < root_of_symbol_.size() ? root_of_symbol_[symbol] : -1;
    if (r < 0) return;
    for (uint32_t b : buckets_of_root_[static_cast<size_t>(r)]) {
      if (subset && !subset->buckets_[b]) continue;
      const Bucket& bucket = *buckets_[b];
      for_each_match(query_cursor.get(), *bucket.query, n, source, [&](Match m) {
        auto [part, pattern] = bucket.origin[m.pattern];
        if (subset && !subset->parts_[part]) return;
        m.pattern = pattern;
        out[part].push_back(std::move(m));
      });
    }
  };
  // One walk; as with run_query, no pattern starts more than kMaxQueryStartDepth levels down.
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  uint32_t depth = 0;
  visit(node);
  while (true) {
    if (depth < kMaxQueryStartDepth && ts_tree_cursor_goto_first_child(&cursor)) {
      ++depth;
      visit(ts_tree_cursor_current_node(&cursor));
      continue;
    }
    bool done = false;
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (depth == 0 || !ts_tree_cursor_goto_parent(&cursor)) {
        done = true;
        break;
      }
      --depth;
    }
    if (done) break;
    visit(ts_tree_cursor_current_node(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
  return out;
}

}  // namespace c2py::syntax
