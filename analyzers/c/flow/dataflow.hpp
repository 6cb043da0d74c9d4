// The allocation-state dataflow over one C function's control-flow graph.
//
// Each path through the graph carries a State: which block (abstract object, one per allocation
// on that path) each pointer variable, struct member (`s.buf`, `node->buf`) or constant index
// (`v[0]`) refers to, and whether each block may be NULL, is known non-NULL, was freed, or
// escaped (returned, stored where the function loses track of it, given to an unknown function).
// States are path-sensitive and merged only when equal (after renaming blocks canonically), so
// `if (!p) return;` narrows p on each side and correlated conditions are not mixed up; a budget
// ends the analysis of a function that would explode, with no findings rather than wrong ones.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "finding.hpp"
#include "syntax/syntax.hpp"

namespace c2py::analysis::c::flow {

// What a function defined in the same file does with its pointer parameters and its result,
// as seen at its call sites (allocator and deallocator wrappers).
enum class ParamEffect : uint8_t { Unknown, Frees, Borrows };
struct Summary {
  bool allocator = false;        // every return gives a fresh block (or NULL)
  bool may_return_null = true;
  bool noreturn = false;         // no path returns (it exits or aborts)
  std::optional<long long> constant;  // every return gives this integer (`return 1;`)
  bool returns_freed = false;    // every return gives a block it allocated and already freed (or NULL)
  std::optional<int> returns_param;  // every return gives back this parameter's block, unfreed
  // The file's pointer globals it mentions (FileScope::pointer_globals), as if parameters: what it
  // does with the block each holds on entry (Unknown also when it assigns the global), and which
  // it reads through before any NULL test. calls_unknown: it calls code that may touch any global.
  std::map<std::string, ParamEffect> globals;
  std::set<std::string> global_derefs;
  bool calls_unknown = false;
  std::vector<ParamEffect> params;  // by argument position
  std::vector<bool> derefs;          // by argument position: read through before any NULL test
  // When what it does with its parameters hangs on a static int global of the file that its
  // conditions test (`if (badStatic) free(data);`): that global, and the effects when it is
  // non-zero and zero. A call right after `guard = 1;` in the same block uses the matching one.
  std::string guard;
  std::vector<ParamEffect> params_if_true, params_if_false;
  friend bool operator==(const Summary&, const Summary&) = default;
};
using Summaries = std::unordered_map<std::string, Summary>;
using FunctionNames = std::unordered_set<std::string>;
// What the file's top level tells the analysis of each function.
struct FileScope {
  // Names whose value is a known integer: `#define N 5`, `static const int N = 5;`, and a
  // `static int` initialized to a constant that nothing in the file writes or takes the address of.
  std::unordered_map<std::string, long long> constants;
  // Names of union types (`typedef union {...} name;`, `union tag`): their members share one slot.
  std::unordered_set<std::string> unions;
  // Object-like macros naming a function (`#define ALLOCA alloca`): a call of the macro is a call
  // of the function.
  std::unordered_map<std::string, std::string> function_macros;
  // Pointer variables declared at file scope (`static char *saved;`).
  std::unordered_set<std::string> pointer_globals;
  // `static int` variables of the file that it writes (so not constants): flags between functions.
  std::unordered_set<std::string> int_globals;
};

// A name an analysis looked up, and where (bits): in the summaries, among the functions the file
// and its headers define, the constants, the function macros, the union types.
struct Dep {
  enum : uint8_t { Summary = 1, Defined = 2, Constant = 4, Macro = 8, Union = 16 };
  std::string name;
  uint8_t what = 0;
  friend bool operator==(const Dep&, const Dep&) = default;
};

struct FunctionResult {
  bool gave_up = false;
  std::string gave_up_reason;  // why, when it gave up ("syntax error", "too many paths", ...)
  size_t work = 0;             // path-state visits plus expression steps spent (the budget's unit)
  // Findings with absolute byte ranges; line numbers in messages are tokens (see lines.hpp).
  std::vector<Finding> findings;
  std::optional<Summary> summary;
  std::vector<std::string> callees;  // functions of the file this one calls (for the memo)
  // The names looked up in the summaries, the file's functions, constants, function macros and
  // unions (sorted by name, once each): the result is the same under any scope and summaries that
  // agree on these, with the same text and pointer globals (file_flow.cpp's memo checks them).
  std::vector<Dep> deps;
};

// One function's analysis as memoized (file_flow.cpp), positions relative to the function, valid
// wherever its text and pointer globals are the same and `deps_digest` matches.
struct AnalyzedFunction {
  uint64_t deps_digest = 0;  // of what the scope and summaries say of result.deps
  FunctionResult result;
  double cpu_ms = 0;  // what the analysis cost (reported by function_stats, never used in results)
};

// The name a function_definition defines, or "".
std::string function_name(TSNode function, std::string_view source);

// What the analysis of a function prepares from its text before exploring it (its graph, its
// locals, what it read of the tree), kept by the caller between the analyses of one function
// under different summaries (the summary rounds of a file, a guard's variants): valid for one
// tree, one `defined` and one FileScope's pointer globals and unions.
struct Prepared;
struct PreparedDeleter {
  void operator()(Prepared* prepared) const;
};
using PreparedPtr = std::unique_ptr<Prepared, PreparedDeleter>;

// Analyzes one function_definition. `defined` names the functions the file defines: calls to
// them use their summary when known and are never taken for libc's. `prepared`, when given, is
// filled by the first analysis and reused by later ones.
FunctionResult analyze_function(TSNode function, std::string_view source, const Summaries& summaries,
                                const FunctionNames& defined, const FileScope& scope,
                                PreparedPtr* prepared = nullptr);

// Line numbers in messages: a token holding a 0-based row, so that cached messages can be moved
// with their function (rebase) and rendered as 1-based numbers at the end.
std::string line_token(uint32_t row);
void rebase_lines(std::string& text, int64_t delta);
void render_lines(std::string& text);

}  // namespace c2py::analysis::c::flow
