#include "engine.hpp"

#include <algorithm>

#include "runtime_model/model.hpp"

namespace c2py::analysis {

const UnitCache::Entry* UnitCache::find(const std::string& key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  it->second.used = true;
  return &it->second.entry;
}

void UnitCache::store(std::string key, Entry entry) { entries_[std::move(key)] = Slot{std::move(entry), true}; }

void UnitCache::sweep() {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (!it->second.used) {
      it = entries_.erase(it);
    } else {
      it->second.used = false;
      ++it;
    }
  }
}

FileAnalysis analyze(syntax::Language language, const syntax::Tree& tree, std::string_view source,
                     const AnalysisOptions& options, UnitCache& cache, const ProjectContext* project) {
  FileAnalysis result;
  if (!tree) return result;
  std::vector<const Check*> unit_checks, file_checks;
  for (const auto& check : all_checks()) {
    if (check->language() != language) continue;
    (check->scope() == Scope::Unit ? unit_checks : file_checks).push_back(check.get());
  }
  TSNode root = tree.root();
  if (uint64_t scans = syntax::query_sibling_scan_cost(root); scans > kMaxQuerySiblingScans) {
    result.skipped_reason = "not analyzed: its syntax errors hold long runs of bare tokens (" + std::to_string(scans) +
                            " sibling scans for each check, over the limit of " + std::to_string(kMaxQuerySiblingScans) + ")";
    return result;
  }
  FileFacts facts = collect_file_facts(language, root, source);
  for (TSNode unit : syntax::named_children(root)) {
    ++result.stats.units;
    // The key is the unit's text: findings depend only on it, so equal text means equal findings
    // (shifted to where the unit now starts).
    std::string key(syntax::text_of(unit, source));
    key += syntax::type_of(unit);
    key += '\0';
    key += facts.signature;
    uint32_t begin = ts_node_start_byte(unit);
    uint32_t row = ts_node_start_point(unit).row;
    const auto* cached = cache.find(key);
    if (cached && cached->mentions_lines && cached->row != row) cached = nullptr;
    if (cached) {
      for (Finding finding : cached->findings) {
        finding.shift(static_cast<int64_t>(begin) - static_cast<int64_t>(cached->begin));
        result.findings.push_back(std::move(finding));
      }
      continue;
    }
    ++result.stats.units_reanalyzed;
    UnitCache::Entry entry{begin, {}, row, false};
    CheckInput input{language, unit, source, options, facts, &cache.memory};
    for (const auto* check : unit_checks) check->run(input, entry.findings);
    entry.mentions_lines = std::any_of(entry.findings.begin(), entry.findings.end(),
                                       [](const Finding& f) { return f.mentions_lines; });
    result.findings.insert(result.findings.end(), entry.findings.begin(), entry.findings.end());
    cache.store(std::move(key), std::move(entry));
  }
  cache.sweep();
  CheckInput whole{language, root, source, options, facts, &cache.memory, project};
  for (const auto* check : file_checks) check->run(whole, result.findings);
  // The runtime model simulates the whole module: it reruns on every change, like a file check.
  if (language == syntax::Language::Python) {
    result.heap = runtime_model::simulate(tree, source, options);
    result.findings.insert(result.findings.end(), result.heap->findings.begin(), result.heap->findings.end());
  }
  std::stable_sort(result.findings.begin(), result.findings.end(),
                   [](const Finding& a, const Finding& b) { return a.range.begin < b.range.begin; });
  for (const auto& finding : result.findings) {
    uint32_t far = finding.range.end;
    for (const auto& hint : finding.hints) far = std::max(far, hint.offset);
    result.max_extent = std::max(result.max_extent, far - std::min(far, finding.range.begin));
  }
  return result;
}

std::pair<size_t, size_t> FileAnalysis::findings_near(uint32_t begin, uint32_t end) const {
  uint32_t from = begin > max_extent ? begin - max_extent : 0;
  auto by_start = [](const Finding& f, uint32_t offset) { return f.range.begin < offset; };
  auto first = std::lower_bound(findings.begin(), findings.end(), from, by_start);
  auto last = std::upper_bound(findings.begin(), findings.end(), end,
                               [](uint32_t offset, const Finding& f) { return offset < f.range.begin; });
  return {static_cast<size_t>(first - findings.begin()), static_cast<size_t>(last - findings.begin())};
}

}  // namespace c2py::analysis
