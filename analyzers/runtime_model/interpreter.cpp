// run_model: one run of the abstract interpreter (interp.hpp) over a module. It walks statements
// with an explicit depth bound (inputs may nest 100 000 levels), holds every value it computes as
// an owned reference (`Ref`) so that the counts include a statement's temporaries, and steps over
// (recover.cpp) any statement it cannot follow, making what that statement may have changed
// unknown: a wrong number shown as certain is worse than none. Only its budget ends a run.
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model {

RunResult run_model(TSNode root, std::string_view source, const analysis::AnalysisOptions& options,
                    const RunGoal& goal, CheckpointSink* sink, const ScopeMemo* memo) {
  auto interp = std::make_unique<engine::Interp>(source, options, goal);
  interp->set_sink(sink);
  interp->set_scope_memo(memo);
  RunResult result;
  try {
    result = interp->run(root);
    if (sink) result.scopes = interp->scope_memo();  // for the next version's run
  } catch (...) {
    // Unwinding released references into a model that had already stopped; nothing to keep.
    result.complete = false;
    result.gave_up = "internal error in the model";
  }
  return result;
}

}  // namespace c2py::runtime_model
