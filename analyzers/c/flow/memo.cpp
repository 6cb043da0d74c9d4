#include "c/flow/memo.hpp"

#include <ctime>

namespace c2py::analysis::c::flow::memo {

namespace {

uint64_t hash_summary(const Summary* s) {
  if (!s) return 7;
  uint64_t h = mix(11, (s->allocator ? 2u : 0u) | (s->may_return_null ? 1u : 0u) | (s->noreturn ? 4u : 0u));
  if (s->constant) h = mix(h, static_cast<uint64_t>(*s->constant) ^ 0x5bd1e995u);
  if (s->returns_freed) h = mix(h, 0x2545f491u);
  if (s->returns_param) h = mix(h, static_cast<uint64_t>(*s->returns_param) ^ 0x3c6ef372u);
  for (const auto& [name, effect] : s->globals) h = mix(mix(h, hash_text(name)), static_cast<uint64_t>(effect) + 3);
  for (const auto& name : s->global_derefs) h = mix(h, hash_text(name) ^ 0x1234);
  if (s->calls_unknown) h = mix(h, 0x4321);
  for (auto p : s->params) h = mix(h, static_cast<uint64_t>(p) + 1);
  for (bool d : s->derefs) h = mix(h, d ? 13 : 17);
  if (!s->guard.empty()) {
    h = mix(h, hash_text(s->guard));
    for (auto p : s->params_if_true) h = mix(h, static_cast<uint64_t>(p) + 21);
    for (auto p : s->params_if_false) h = mix(h, static_cast<uint64_t>(p) + 31);
  }
  return h;
}

// What the summaries, the file's functions and the scope say of the names an analysis looked up.
uint64_t deps_digest(const std::vector<Dep>& deps, const Summaries& summaries, const FunctionNames& defined,
                     const FileScope& scope) {
  uint64_t h = 3;
  for (const auto& [name, what] : deps) {
    h = mix(mix(h, hash_text(name)), what);
    if (what & Dep::Summary) {
      auto it = summaries.find(name);
      h = mix(h, hash_summary(it == summaries.end() ? nullptr : &it->second));
    }
    if (what & Dep::Constant) {
      auto constant = scope.constants.find(name);
      if (constant != scope.constants.end()) h = mix(h, static_cast<uint64_t>(constant->second) ^ 0x6a09e667u);
    }
    if (what & Dep::Macro) {
      auto macro = scope.function_macros.find(name);
      if (macro != scope.function_macros.end()) h = mix(h, hash_text(macro->second) ^ 0xbb67ae85u);
    }
    bool in_defined = (what & Dep::Defined) && defined.count(name);
    bool in_unions = (what & Dep::Union) && scope.unions.count(name);
    h = mix(h, (in_defined ? 1u : 0u) | (in_unions ? 2u : 0u));
  }
  return h;
}

}  // namespace

void shift_rows(Finding& f, int64_t delta) {
  f.bindings.rewrite_values([delta](std::string& value) { rebase_lines(value, delta); });
  if (!f.diagnostic) return;
  rebase_lines(f.diagnostic->message, delta);
  for (auto& r : f.diagnostic->related) rebase_lines(r.message, delta);
}

void render_rows(Finding& f) {
  f.bindings.rewrite_values([](std::string& value) { render_lines(value); });
  if (!f.diagnostic) return;
  render_lines(f.diagnostic->message);
  for (auto& r : f.diagnostic->related) render_lines(r.message);
}

// Analysis of one function under `summaries`, from the memo when its text and its callees'
// summaries are unchanged. Returned positions are relative to the function.
// `prepared` keeps what the function's analyses share between the rounds (dataflow.hpp).
std::shared_ptr<const Entry> analyze(const Function& fn, std::string_view source, const Summaries& summaries,
                                     const FunctionNames& defined, const FileScope& scope, Memo& memo, PreparedPtr& prepared) {
  for (const auto& cached : memo.functions(fn.text_key))
    if (cached->deps_digest == deps_digest(cached->result.deps, summaries, defined, scope)) return cached;
  if (memo.shared)
    for (auto& cached : memo.shared->functions(fn.text_key))
      if (cached->deps_digest == deps_digest(cached->result.deps, summaries, defined, scope)) {
        memo.store_function(fn.text_key, cached);
        return cached;
      }
  auto entry = std::make_shared<Entry>();
  std::clock_t start = std::clock();
  entry->result = analyze_function(fn.node, source, summaries, defined, scope, &prepared);
  entry->cpu_ms = 1000.0 * static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;  // for function_stats
  for (auto& f : entry->result.findings) {
    f.shift(-static_cast<int64_t>(fn.begin));
    shift_rows(f, -static_cast<int64_t>(fn.row));
  }
  entry->deps_digest = deps_digest(entry->result.deps, summaries, defined, scope);
  memo.store_function(fn.text_key, entry);
  if (memo.shared) memo.shared->store_function(fn.text_key, entry);
  return entry;
}

}  // namespace c2py::analysis::c::flow::memo
