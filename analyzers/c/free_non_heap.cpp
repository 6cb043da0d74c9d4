// free-non-heap: free of a stack array, a string literal or a pointer into a block. Reported by the allocation-state dataflow
// (flow/dataflow.cpp); this check selects its findings. File scope because wrapper summaries
// cross functions; flow/file_flow.cpp keeps the work per function.
#include "c/flow/file_flow.hpp"
#include "check.hpp"

namespace c2py::analysis {
namespace {

class FreeNonHeap final : public Check {
 public:
  std::string_view id() const override { return "c-free-non-heap"; }
  syntax::Language language() const override { return syntax::Language::C; }
  Scope scope() const override { return Scope::File; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override { c::flow::emit(input, "free-non-heap", out); }
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(FreeNonHeap)
