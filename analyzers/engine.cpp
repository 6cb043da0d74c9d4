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

void Findings::add(Run run) {
  if (!run || run->empty()) return;
  order_.reserve(order_.size() + run->size());
  for (const Finding& finding : *run) order_.push_back(&finding);
  runs_.push_back(std::move(run));
}

void Findings::sort() {
  std::stable_sort(order_.begin(), order_.end(),
                   [](const Finding* a, const Finding* b) { return a->range.begin < b->range.begin; });
}

UnitCache::Entry* UnitCache::find(const std::string& key) {
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

// The checks of one language, split by scope, with the queries of all of them in one group (each
// root type's patterns compiled once, for both scopes); each scope runs its own subset of it.
struct LanguagePlan {
  std::vector<const Check*> unit_checks, file_checks;
  std::unique_ptr<syntax::QueryGroup> queries;
  syntax::QueryGroup::Subset unit_parts, file_parts;
};

std::vector<const syntax::Query*> queries_of(const std::vector<const Check*>& checks) {
  std::vector<const syntax::Query*> parts;
  for (const auto* check : checks)
    for (const auto* query : check->queries())
      if (std::find(parts.begin(), parts.end(), query) == parts.end()) parts.push_back(query);
  return parts;
}

LanguagePlan make_plan(syntax::Language language) {
  LanguagePlan plan;
  for (const auto& check : all_checks()) {
    if (check->language() != language) continue;
    (check->scope() == Scope::Unit ? plan.unit_checks : plan.file_checks).push_back(check.get());
  }
  // The unit pass runs over the items an edit touched, the file pass over every item (in Python,
  // the statements outside definitions) on every analysis. A root type's patterns of both
  // compile as one query where the file checks have at least as many patterns there as the unit
  // checks: the file pass then runs at most twice its own patterns at those nodes, the unit pass
  // more, but over the touched items only. (Python: `assignment`, one unit pattern beside five:
  // a one-line `--check` compiled two queries, 2 ms of its 8.5. C: the file pass's one pattern
  // shares its root with many unit patterns, which it would run over the whole file.)
  plan.queries = std::make_unique<syntax::QueryGroup>(
      language, std::vector<std::vector<const syntax::Query*>>{queries_of(plan.unit_checks), queries_of(plan.file_checks)},
      [](std::string_view, const std::vector<uint32_t>& patterns) { return patterns[1] >= patterns[0]; });
  plan.unit_parts = plan.queries->subset(0);
  plan.file_parts = plan.queries->subset(1);
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

PrerunMatches run_group(const syntax::QueryGroup& group, const syntax::QueryGroup::Subset& subset, TSNode node,
                        std::string_view source) {
  PrerunMatches prerun;
  auto matches = group.run(node, source, &subset);
  for (size_t i = 0; i < matches.size(); ++i)
    if (subset.has(i)) prerun.put(group.parts()[i], std::move(matches[i]));
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
  static constexpr uint32_t kNone = UINT32_MAX;
  TSNode unit;
  std::string key;
  UnitCache::Entry* cached = nullptr;
  Findings::Run run;  // its findings, positions as of `begin` (null: none)
  uint32_t begin = 0, row = 0;
  uint32_t same_as = kNone;  // an earlier job of the same key, computed in this analysis
  // A definition's job whose item's unit checks are to compute too: this job does both, with one
  // walk of the item (the two passes' matches in one run).
  uint32_t partner = kNone;
  bool definition = false;
  bool computed = false;
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

bool any_mentions_lines(const Findings::Run& run) {
  return run && std::any_of(run->begin(), run->end(), [](const Finding& f) { return f.mentions_lines; });
}

Findings::Run shared_run(std::vector<Finding>&& findings) {
  if (findings.empty()) return nullptr;
  findings.shrink_to_fit();
  for (Finding& finding : findings) finding.shrink_to_fit();
  return std::make_shared<const std::vector<Finding>>(std::move(findings));
}

// The run itself where the item did not move, else a copy moved by `delta`.
Findings::Run shifted(const Findings::Run& run, int64_t delta) {
  if (!run || delta == 0) return run;
  std::vector<Finding> out(run->begin(), run->end());
  for (Finding& finding : out) finding.shift(delta);
  return std::make_shared<const std::vector<Finding>>(std::move(out));
}

// The text of a top-level item, its type and the parts of the key that follow, in one
// allocation of the right size (keys hold every item's text: growing them doubled it).
std::string unit_key(std::string_view prefix, std::string_view text, std::string_view type,
                     std::initializer_list<std::string_view> rest) {
  size_t size = prefix.size() + text.size() + type.size();
  for (auto part : rest) size += 1 + part.size();
  std::string key;
  key.reserve(size);
  key += prefix;
  key += text;
  key += type;
  for (auto part : rest) {
    key += '\0';
    key += part;
  }
  return key;
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
  plan.queries->compile();
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
  auto run_checks = [&](const syntax::QueryGroup::Subset& parts, const std::vector<const Check*>& checks, TSNode unit,
                        std::vector<Finding>& out) {
    PrerunMatches prerun = run_group(*plan.queries, parts, unit, source);
    CheckInput input{language, unit, source, options, facts, nullptr, &prerun};
    for (const auto* check : checks) check->run(input, out);
  };
  std::vector<TSNode> units = syntax::named_children(root);
  // Every unit's unit checks, then (Python) every top-level definition's file checks: a
  // definition is cached like a unit (keyed also by the module context), so an edit inside one
  // function reruns them on it alone. The rest of the module (statements, decorated
  // definitions) reruns the file checks every time, below.
  // The cache is read here, on this thread, as each job is made (a key found is dropped at once:
  // keys hold every item's text), and written after the jobs are done.
  std::vector<UnitJob> jobs;
  size_t definitions = 0;
  if (language == syntax::Language::Python)
    definitions = static_cast<size_t>(std::count_if(units.begin(), units.end(), self_contained_definition));
  jobs.reserve(units.size() + definitions);  // never reallocated: first_of_key views the keys
  std::vector<size_t> pending;
  std::unordered_map<std::string_view, size_t> first_of_key;
  auto add_job = [&](TSNode unit, bool definition, std::string key) {
    size_t i = jobs.size();
    UnitJob& job = jobs.emplace_back();
    job.unit = unit;
    job.definition = definition;
    job.key = std::move(key);
    job.begin = ts_node_start_byte(unit);
    job.row = ts_node_start_point(unit).row;
    job.cached = cache.find(job.key);
    if (job.cached && job.cached->mentions_lines && job.cached->row != job.row) job.cached = nullptr;
    if (job.cached) {
      std::string().swap(job.key);  // found: the key is not needed again
      return;
    }
    auto [it, fresh] = first_of_key.emplace(job.key, i);
    if (fresh) pending.push_back(i);
    else job.same_as = static_cast<uint32_t>(it->second);
  };
  for (TSNode unit : units) {
    ++result.stats.units;
    // The key is the unit's text: findings depend only on it, so equal text means equal findings
    // (shifted to where the unit now starts).
    add_job(unit, false, unit_key({}, syntax::text_of(unit, source), syntax::type_of(unit), {signature}));
  }
  std::vector<size_t> unit_of_definition;  // per definition's job, after the units' jobs
  if (language == syntax::Language::Python)
    for (size_t k = 0; k < units.size(); ++k)
      if (self_contained_definition(units[k])) {
        add_job(units[k], true,
                unit_key(std::string_view("file checks\0", 12), syntax::text_of(units[k], source), syntax::type_of(units[k]),
                         {signature, module_context}));
        unit_of_definition.push_back(k);
      }
  first_of_key.clear();
  // A definition whose unit checks and file checks both run gets one job for both: one walk.
  if (language == syntax::Language::Python) {
    std::vector<char> is_pending(jobs.size(), 0);
    for (size_t i : pending) is_pending[i] = 1;
    for (size_t d = units.size(); d < jobs.size(); ++d) {
      if (!is_pending[d]) continue;
      size_t u = unit_of_definition[d - units.size()];  // the units' jobs come first, in order
      if (is_pending[u]) {
        jobs[d].partner = static_cast<uint32_t>(u);
        is_pending[u] = 0;
      }
    }
    pending.erase(std::remove_if(pending.begin(), pending.end(), [&](size_t i) { return !is_pending[i]; }), pending.end());
  }
  JobQueue queue(jobs, std::move(pending));
  auto compute = [&](UnitJob& job) {
    if (job.partner != UnitJob::kNone) {
      UnitJob& unit_job = jobs[job.partner];
      auto matches = plan.queries->run(job.unit, source);  // both passes
      PrerunMatches unit_matches, file_matches;
      for (size_t i = 0; i < matches.size(); ++i) {
        const syntax::Query* query = plan.queries->parts()[i];
        if (plan.unit_parts.has(i)) {
          if (plan.file_parts.has(i)) unit_matches.put(query, matches[i]);
          else unit_matches.put(query, std::move(matches[i]));
        }
        if (plan.file_parts.has(i)) file_matches.put(query, std::move(matches[i]));
      }
      std::vector<Finding> unit_findings, definition_findings;
      CheckInput unit_input{language, job.unit, source, options, facts, nullptr, &unit_matches};
      for (const auto* check : plan.unit_checks) check->run(unit_input, unit_findings);
      CheckInput file_input{language, job.unit, source, options, facts, nullptr, &file_matches};
      for (const auto* check : plan.file_checks) check->run(file_input, definition_findings);
      unit_job.run = shared_run(std::move(unit_findings));
      unit_job.computed = true;
      job.run = shared_run(std::move(definition_findings));
    } else {
      std::vector<Finding> findings;
      if (job.definition) run_checks(plan.file_parts, plan.file_checks, job.unit, findings);
      else run_checks(plan.unit_parts, plan.unit_checks, job.unit, findings);
      job.run = shared_run(std::move(findings));
    }
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
      PrerunMatches file_matches = run_group(*plan.queries, plan.file_parts, root, source);
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
    std::vector<std::vector<syntax::Match>> rest(plan.queries->parts().size());
    for (TSNode unit : units) {
      if (self_contained_definition(unit)) continue;
      auto matches = plan.queries->run(unit, source, &plan.file_parts);
      for (size_t i = 0; i < matches.size(); ++i)
        std::move(matches[i].begin(), matches[i].end(), std::back_inserter(rest[i]));
    }
    PrerunMatches file_matches;
    for (size_t i = 0; i < rest.size(); ++i)
      if (plan.file_parts.has(i)) file_matches.put(plan.queries->parts()[i], std::move(rest[i]));
    CheckInput whole{language, root, source, options, facts, &cache.memory, &file_matches, project};
    for (const auto* check : plan.file_checks) check->run(whole, rest_findings);
  }
  beside.join();
  // The findings in the jobs' order, as if each job had been looked up and stored in turn. A
  // reused entry that moved is moved in the cache too (its shifted copy replaces it), so the
  // cache and the snapshot share one copy of every item's findings.
  for (UnitJob& job : jobs) {
    uint32_t& recomputed = job.definition ? result.stats.definitions_rechecked : result.stats.units_reanalyzed;
    if (job.cached) {
      job.run = shifted(job.cached->findings, static_cast<int64_t>(job.begin) - job.cached->begin);
      job.cached->findings = job.run;
      job.cached->begin = job.begin;
      job.cached->row = job.row;
      result.findings.add(job.run);
      continue;
    }
    if (job.same_as != UnitJob::kNone) {
      const UnitJob& first = jobs[job.same_as];
      if (!any_mentions_lines(first.run) || first.row == job.row) {
        job.run = shifted(first.run, static_cast<int64_t>(job.begin) - first.begin);
        result.findings.add(job.run);
        continue;
      }
      compute(job);  // its text names lines, and it starts on another line than its twin
      job.computed = true;
    }
    ++recomputed;
    result.findings.add(job.run);
  }
  for (UnitJob& job : jobs)
    if (job.computed) {
      bool mentions = any_mentions_lines(job.run);
      cache.store(std::move(job.key), UnitCache::Entry{job.begin, std::move(job.run), job.row, mentions});
    }
  cache.sweep();
  result.findings.add(shared_run(std::move(rest_findings)));
  if (language == syntax::Language::Python) {
    cache.model = cache.model_checkpoints ? heap : nullptr;
    result.heap = std::move(heap);
    // The model's findings stay in its trace: the list shares the trace's ownership.
    result.findings.add(Findings::Run(result.heap, &result.heap->findings));
  } else {
    result.findings.add(shared_run(std::move(file_findings)));
  }
  result.findings.sort();
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
