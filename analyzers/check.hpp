// The interface of a check: one recognizer or analysis, in one file under analyzers/c/ or
// analyzers/python/. Adding a file that defines `make_check_<file stem>()` adds the check; the
// build generates the list (cmake/registry.cmake).
#pragma once

#include <any>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "finding.hpp"
#include "syntax/syntax.hpp"

namespace c2py::analysis {

namespace c::project {
class ImportCache;
}

// How much of the file a check needs. Unit checks see one top-level item (a C function or
// declaration, a Python statement or definition) and may be cached per item across edits; file
// checks see the whole tree and rerun on every change.
enum class Scope { Unit, File };

// Settings that change what an analysis computes. Unit checks must not depend on them (their
// findings are cached per unit text); the server clears the caches when these change.
struct AnalysisOptions {
  std::string python_version = "3.12";
  long max_steps = 100000;
  // C: the user's macros (`-D` syntax) and include folders, which the server adds to each file's
  // compile flags when it builds the file's ProjectContext (the analysis reads only that).
  std::vector<std::string> c_macros;
  std::vector<std::string> c_include_paths;
  friend bool operator==(const AnalysisOptions&, const AnalysisOptions&) = default;
};

// Facts about the whole file that unit checks may consult, computed once per analysis. Unit
// findings are cached under the unit's text plus these facts' signature, so they stay exact.
struct FileFacts {
  std::vector<std::string> defined_functions;  // C: functions the file defines or declares itself;
                                               // Python: top-level def and class names. Sorted.
  std::string signature;                       // the names joined: part of the unit cache key
  // Python: what a top-level def or class may read of the rest of the module (the top-level
  // imports; each top-level class's name, bases and method names). Part of the cache key of the
  // file checks' findings per definition (see engine.cpp).
  std::string module_context;
  bool defines(std::string_view name) const;
};
FileFacts collect_file_facts(syntax::Language language, TSNode root, std::string_view source);

// What a file check may keep between the analyses of one document (results per function shared
// by several checks, say). It belongs to the document's analysis job, which runs on one thread at
// a time, so it needs no lock and is never shared between documents.
class CheckMemory {
 public:
  // The value under `key`, default-constructed on first use.
  template <typename T>
  T& get(const std::string& key) {
    auto& slot = slots_[key];
    if (!slot.has_value()) slot = std::make_shared<T>();
    return *std::any_cast<std::shared_ptr<T>&>(slot);
  }

 private:
  std::map<std::string, std::any> slots_;
};

// The matches of the queries of several checks over one node, found in one pass (the engine's
// QueryGroup); each check takes its own.
class PrerunMatches {
 public:
  void put(const syntax::Query* query, std::vector<syntax::Match> matches);
  // The matches of `query`, moved out; false when `query` was not run (or was taken already).
  bool take(const syntax::Query* query, std::vector<syntax::Match>& out);

 private:
  std::vector<std::pair<const syntax::Query*, std::vector<syntax::Match>>> entries_;
};

// What the build tells the analysis of a C file besides its own text: the same-project headers it
// includes, as the server read them (an open document's text, else the disk's), in the order a
// preprocessor reads their definitions, and the macros the build defines. The analysis reads no
// file itself, so its result stays a function of its inputs. Built by server/project_files.*.
struct IncludedText {
  std::string path;
  std::shared_ptr<const std::string> text;
};
struct ProjectContext {
  // `-D` syntax, after every `-U`: "NAME", "NAME=VALUE", "NAME(a,b)=BODY".
  std::vector<std::string> macros;
  std::vector<IncludedText> headers;  // forced includes (`-include`) first
  // What the headers were found to say, shared by the files of one server or `--check` run (a
  // memo: it never changes a result, only how soon it comes). May be null.
  std::shared_ptr<c::project::ImportCache> memo;
  bool empty() const { return macros.empty() && headers.empty(); }
};

struct CheckInput {
  syntax::Language language;
  TSNode node;                      // the unit, or the root for file checks
  std::string_view source;          // the whole file
  const AnalysisOptions& options;
  const FileFacts& facts;
  CheckMemory* memory = nullptr;  // absent when a check runs outside a document (tests, benches)
  PrerunMatches* prerun = nullptr;  // the matches of the checks' queries() over `node`, when run
  const ProjectContext* project = nullptr;  // C: included headers and build macros, when known

  // The matches of one of the check's queries() over `node`: taken from the engine's one pass
  // when it ran, else run now (a check alone in a test or the per-check benchmark).
  std::vector<syntax::Match> matches(const syntax::Query& query) const;
};

class Check {
 public:
  virtual ~Check() = default;
  virtual std::string_view id() const = 0;
  virtual syntax::Language language() const = 0;
  virtual Scope scope() const { return Scope::Unit; }
  virtual void run(const CheckInput& input, std::vector<Finding>& out) const = 0;
  // The queries the check runs over its input node through CheckInput::matches. The engine
  // compiles those of every check of a language and scope into one QueryGroup and runs it in one
  // pass over each unit (or the file) before the checks run.
  virtual std::vector<const syntax::Query*> queries() const { return {}; }
};

// Every check of the build, constructed once (queries compiled) and shared by all threads.
const std::vector<std::unique_ptr<Check>>& all_checks();

}  // namespace c2py::analysis

// Registers a check class (default-constructible, in namespace c2py::analysis or an unnamed
// namespace inside it). Write it at the start of a line, at global scope, after the class.
#define C2PY_REGISTER_CHECK(Name)                                                      \
  namespace c2py::analysis {                                                           \
  std::unique_ptr<Check> make_check_##Name() { return std::make_unique<Name>(); }      \
  }
