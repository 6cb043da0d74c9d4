#include "engine.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <condition_variable>
#include <exception>
#include <iterator>
#include <mutex>

#include "runtime_model/model.hpp"

namespace c2py::analysis {

const UnitCache::Entry* UnitCache::find(const std::string& key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  it->second.used = true;
  return &it->second.entry;
}

void UnitCache::store(std::string key, Entry entry) { entries_[std::move(key)] = Slot{std::move(entry), true}; }

std::string UnitCache::intern(const std::string& text) {
  auto it = interned_.find(text);
  if (it != interned_.end()) return it->second;
  if (interned_.size() >= 64) {
    // Entries keyed by the dropped stand-ins could be taken for new ones: drop them too.
    interned_.clear();
    entries_.clear();
  }
  std::string id = "#" + std::to_string(interned_.size());
  interned_.emplace(text, id);
  return id;
}

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

void PrerunMatches::put(const syntax::Query* query, std::vector<syntax::Match> matches) {
  entries_.emplace_back(query, std::move(matches));
}

bool PrerunMatches::take(const syntax::Query* query, std::vector<syntax::Match>& out) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->first != query) continue;
    out = std::move(it->second);
    entries_.erase(it);
    return true;
  }
  return false;
}

std::vector<syntax::Match> CheckInput::matches(const syntax::Query& query) const {
  std::vector<syntax::Match> out;
  if (prerun && prerun->take(&query, out)) return out;
  return syntax::run_query(query, node, source);
}

namespace {

// The checks of one language, split by scope, with their queries compiled into one group per
// scope: one pass over each unit (or the file) finds the matches of every check.
struct LanguagePlan {
  std::vector<const Check*> unit_checks, file_checks;
  std::unique_ptr<syntax::QueryGroup> unit_queries, file_queries;
};

std::unique_ptr<syntax::QueryGroup> group_of(syntax::Language language, const std::vector<const Check*>& checks) {
  std::vector<const syntax::Query*> parts;
  for (const auto* check : checks)
    for (const auto* query : check->queries())
      if (std::find(parts.begin(), parts.end(), query) == parts.end()) parts.push_back(query);
  return std::make_unique<syntax::QueryGroup>(language, std::move(parts));
}

LanguagePlan make_plan(syntax::Language language) {
  LanguagePlan plan;
  for (const auto& check : all_checks()) {
    if (check->language() != language) continue;
    (check->scope() == Scope::Unit ? plan.unit_checks : plan.file_checks).push_back(check.get());
  }
  plan.unit_queries = group_of(language, plan.unit_checks);
  plan.file_queries = group_of(language, plan.file_checks);
  return plan;
}

// Built on the first analysis of a language (its queries compiled then), immutable after.
const LanguagePlan& plan_for(syntax::Language language) {
  if (language == syntax::Language::C) {
    static const LanguagePlan c = make_plan(syntax::Language::C);
    return c;
  }
  static const LanguagePlan python = make_plan(syntax::Language::Python);
  return python;
}

PrerunMatches run_group(const syntax::QueryGroup& group, TSNode node, std::string_view source) {
  PrerunMatches prerun;
  auto matches = group.run(node, source);
  for (size_t i = 0; i < matches.size(); ++i) prerun.put(group.parts()[i], std::move(matches[i]));
  return prerun;
}

}  // namespace

namespace {

// Below this size an analysis runs on one thread: handing a part to another costs a wake-up.
constexpr size_t kParallelBytes = 8u << 10;

// One part of an analysis offered to the cache's helper thread. join() runs it here if no helper
// thread has started it, else waits for it; either way it has run once when join() returns, and
// its exception is rethrown. The state is shared with the posted job, which may run after the
// analysis is over and then finds the task taken.
class Beside {
 public:
  Beside(const std::function<void(std::function<void()>)>& helper, std::function<void()> task)
      : shared_(std::make_shared<Shared>()) {
    shared_->task = std::move(task);
    if (helper) helper([shared = shared_] { shared->run_if_free(); });
  }
  Beside(const Beside&) = delete;
  Beside& operator=(const Beside&) = delete;
  // An exception left the caller's part: the task must not outlive the locals it refers to.
  ~Beside() {
    std::unique_lock lock(shared_->mutex);
    shared_->claimed = true;
    shared_->finished.wait(lock, [&] { return shared_->done || !shared_->running; });
  }
  void join() {
    shared_->run_if_free();
    std::unique_lock lock(shared_->mutex);
    shared_->finished.wait(lock, [&] { return shared_->done; });
    if (shared_->error) std::rethrow_exception(shared_->error);
  }

 private:
  struct Shared {
    std::mutex mutex;
    std::condition_variable finished;
    std::function<void()> task;
    bool claimed = false, running = false, done = false;
    std::exception_ptr error;
    void run_if_free() {
      {
        std::lock_guard lock(mutex);
        if (claimed) return;
        claimed = running = true;
      }
      std::exception_ptr caught;
      try {
        task();
      } catch (...) {
        caught = std::current_exception();
      }
      {
        std::lock_guard lock(mutex);
        error = caught;
        running = false;
        done = true;
      }
      finished.notify_all();
    }
  };
  std::shared_ptr<Shared> shared_;
};

// One top-level item whose findings come from the cache (an item of the same key analysed
// before, shifted to where this one starts) or from running checks on it: the unit checks, or
// (Python) the file checks on a definition.
struct UnitJob {
  TSNode unit;
  std::string key;
  bool definition = false;
  uint32_t begin = 0, row = 0;
  const UnitCache::Entry* cached = nullptr;
  size_t same_as = SIZE_MAX;  // an earlier job of the same key, computed in this analysis
  bool computed = false;
  std::vector<Finding> findings;  // of a computed job, positions as of `begin`
};

// The jobs to compute, handed out one at a time to whichever thread asks (the analysis's own and
// the helper, when it has finished its part); each job's findings go to its own slot.
class JobQueue {
 public:
  JobQueue(std::vector<UnitJob>& jobs, std::vector<size_t> pending) : jobs_(jobs), pending_(std::move(pending)) {}
  template <typename Compute>
  void work(Compute compute) {
    for (size_t i; (i = next_.fetch_add(1)) < pending_.size();) {
      UnitJob& job = jobs_[pending_[i]];
      compute(job);
      job.computed = true;
    }
  }

 private:
  std::vector<UnitJob>& jobs_;
  std::vector<size_t> pending_;
  std::atomic<size_t> next_{0};
};

bool any_mentions_lines(const std::vector<Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(), [](const Finding& f) { return f.mentions_lines; });
}

void append_shifted(const std::vector<Finding>& findings, int64_t delta, std::vector<Finding>& out) {
  for (const Finding& original : findings) {
    Finding& finding = out.emplace_back(original);
    finding.shift(delta);
  }
}

// A top-level `def` or `class` (undecorated: a decorator is evaluated in the module's scope).
// What the Python file checks find inside one depends only on its text and the module context
// of FileFacts: names inside resolve in its own scopes, and it reaches the rest of the module
// only through top-level imports and other classes' headers (finalizer's base classes).
bool self_contained_definition(TSNode unit) {
  auto type = syntax::type_of(unit);
  return type == "function_definition" || type == "class_definition";
}

}  // namespace

void prepare(syntax::Language language) {
  const LanguagePlan& plan = plan_for(language);
  if (plan.unit_queries) plan.unit_queries->compile();
  if (plan.file_queries) plan.file_queries->compile();
}

FileAnalysis analyze(syntax::Language language, const syntax::Tree& tree, std::string_view source,
                     const AnalysisOptions& options, UnitCache& cache, const ProjectContext* project) {
  FileAnalysis result;
  if (!tree) return result;
  const LanguagePlan& plan = plan_for(language);
  TSNode root = tree.root();
  if (uint64_t scans = syntax::query_sibling_scan_cost(root); scans > kMaxQuerySiblingScans) {
    result.skipped_reason = "not analyzed: its syntax errors hold long runs of bare tokens (" + std::to_string(scans) +
                            " sibling scans for each check, over the limit of " + std::to_string(kMaxQuerySiblingScans) + ")";
    return result;
  }
  FileFacts facts = collect_file_facts(language, root, source);
  const std::string signature = cache.intern("signature\0" + facts.signature);
  const std::string module_context =
      language == syntax::Language::Python ? cache.intern("context\0" + facts.module_context) : std::string();
  // The checks of one scope over one top-level item, their queries found in one pass. Run by
  // either thread: no CheckMemory (unit checks keep nothing; the C file checks own it meanwhile).
  auto run_checks = [&](const syntax::QueryGroup& group, const std::vector<const Check*>& checks, TSNode unit,
                        std::vector<Finding>& out) {
    PrerunMatches prerun = run_group(group, unit, source);
    CheckInput input{language, unit, source, options, facts, nullptr, &prerun};
    for (const auto* check : checks) check->run(input, out);
  };
  std::vector<TSNode> units = syntax::named_children(root);
  // Every unit's unit checks, then (Python) every top-level definition's file checks: a
  // definition is cached like a unit (keyed also by the module context), so an edit inside one
  // function reruns them on it alone. The rest of the module (statements, decorated
  // definitions) reruns the file checks every time, below.
  std::vector<UnitJob> jobs;
  for (TSNode unit : units) {
    ++result.stats.units;
    // The key is the unit's text: findings depend only on it, so equal text means equal findings
    // (shifted to where the unit now starts).
    UnitJob& job = jobs.emplace_back();
    job.unit = unit;
    job.key = syntax::text_of(unit, source);
    job.key += syntax::type_of(unit);
    job.key += '\0';
    job.key += signature;
  }
  if (language == syntax::Language::Python)
    for (TSNode unit : units) {
      if (!self_contained_definition(unit)) continue;
      UnitJob& job = jobs.emplace_back();
      job.unit = unit;
      job.definition = true;
      job.key = "file checks";
      job.key += '\0';
      job.key += syntax::text_of(unit, source);
      job.key += syntax::type_of(unit);
      job.key += '\0';
      job.key += signature;
      job.key += '\0';
      job.key += module_context;
    }
  // The cache is read here, on this thread, and written after the jobs are done.
  std::vector<size_t> pending;
  {
    std::unordered_map<std::string_view, size_t> first_of_key;
    for (size_t i = 0; i < jobs.size(); ++i) {
      UnitJob& job = jobs[i];
      job.begin = ts_node_start_byte(job.unit);
      job.row = ts_node_start_point(job.unit).row;
      job.cached = cache.find(job.key);
      if (job.cached && job.cached->mentions_lines && job.cached->row != job.row) job.cached = nullptr;
      if (job.cached) continue;
      auto [it, fresh] = first_of_key.emplace(job.key, i);
      if (fresh) pending.push_back(i);
      else job.same_as = it->second;
    }
  }
  JobQueue queue(jobs, std::move(pending));
  auto compute = [&](UnitJob& job) {
    if (job.definition) run_checks(*plan.file_queries, plan.file_checks, job.unit, job.findings);
    else run_checks(*plan.unit_queries, plan.unit_checks, job.unit, job.findings);
  };
  const auto& helper = source.size() >= kParallelBytes ? cache.helper : std::function<void(std::function<void()>)>();
  // Beside the jobs, on the helper: C, the file checks (the dataflow, which keeps its memory in
  // cache.memory); Python, the runtime model, resuming from the last checkpoint of the previous
  // version before the first statement the change touched (it reads only the tree, the text,
  // the options and the previous trace). Then the helper takes jobs too.
  std::vector<Finding> file_findings;
  std::shared_ptr<const runtime_model::Trace> heap;
  Beside beside(helper, [&] {
    if (language == syntax::Language::C) {
      PrerunMatches file_matches = run_group(*plan.file_queries, root, source);
      CheckInput whole{language, root, source, options, facts, &cache.memory, &file_matches, project};
      for (const auto* check : plan.file_checks) check->run(whole, file_findings);
    } else {
      heap = runtime_model::simulate(tree, source, options, cache.model.get(),
                                     cache.model_checkpoints ? runtime_model::Checkpoints::Bounded
                                                             : runtime_model::Checkpoints::None);
    }
    queue.work(compute);
  });
  queue.work(compute);
  // Python: the file checks over the module's other statements, fed the matches of those items
  // only (matches do not span top-level items, so these are the matches over the root minus
  // those inside the definitions, in the same order). Their findings go after the definitions'.
  std::vector<Finding> rest_findings;
  if (language == syntax::Language::Python) {
    std::vector<std::vector<syntax::Match>> rest(plan.file_queries->parts().size());
    for (TSNode unit : units) {
      if (self_contained_definition(unit)) continue;
      auto matches = plan.file_queries->run(unit, source);
      for (size_t i = 0; i < matches.size(); ++i)
        std::move(matches[i].begin(), matches[i].end(), std::back_inserter(rest[i]));
    }
    PrerunMatches file_matches;
    for (size_t i = 0; i < rest.size(); ++i) file_matches.put(plan.file_queries->parts()[i], std::move(rest[i]));
    CheckInput whole{language, root, source, options, facts, &cache.memory, &file_matches, project};
    for (const auto* check : plan.file_checks) check->run(whole, rest_findings);
  }
  beside.join();
  // The findings in the jobs' order, as if each job had been looked up and stored in turn.
  for (UnitJob& job : jobs) {
    uint32_t& recomputed = job.definition ? result.stats.definitions_rechecked : result.stats.units_reanalyzed;
    if (job.cached) {
      append_shifted(job.cached->findings, static_cast<int64_t>(job.begin) - job.cached->begin, result.findings);
      continue;
    }
    if (job.same_as != SIZE_MAX) {
      const UnitJob& first = jobs[job.same_as];
      if (!any_mentions_lines(first.findings) || first.row == job.row) {
        append_shifted(first.findings, static_cast<int64_t>(job.begin) - first.begin, result.findings);
        continue;
      }
      compute(job);  // its text names lines, and it starts on another line than its twin
      job.computed = true;
    }
    ++recomputed;
    result.findings.insert(result.findings.end(), job.findings.begin(), job.findings.end());
  }
  for (UnitJob& job : jobs)
    if (job.computed) {
      bool mentions = any_mentions_lines(job.findings);
      cache.store(std::move(job.key), UnitCache::Entry{job.begin, std::move(job.findings), job.row, mentions});
    }
  cache.sweep();
  std::move(rest_findings.begin(), rest_findings.end(), std::back_inserter(result.findings));
  if (language == syntax::Language::Python) {
    cache.model = cache.model_checkpoints ? heap : nullptr;
    result.heap = std::move(heap);
    result.findings.insert(result.findings.end(), result.heap->findings.begin(), result.heap->findings.end());
  } else {
    std::move(file_findings.begin(), file_findings.end(), std::back_inserter(result.findings));
  }
  // A stable sort by start: the order of (start, index) pairs, then one move per finding (a
  // Finding is large; sorting the findings themselves moved each one log n times).
  std::vector<std::pair<uint32_t, uint32_t>> order(result.findings.size());
  bool sorted = true;
  for (size_t i = 0; i < order.size(); ++i) {
    order[i] = {result.findings[i].range.begin, static_cast<uint32_t>(i)};
    if (i > 0 && order[i].first < order[i - 1].first) sorted = false;
  }
  if (!sorted) {
    std::sort(order.begin(), order.end());
    std::vector<Finding> by_start;
    by_start.reserve(order.size());
    for (const auto& [begin, index] : order) by_start.push_back(std::move(result.findings[index]));
    result.findings = std::move(by_start);
  }
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
