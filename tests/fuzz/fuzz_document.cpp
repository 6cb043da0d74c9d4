// (b) and (c): one language's analysis fed arbitrary text, and every feature asked about it: the
// checks, the knowledge rendering and (Python) the runtime model's snapshots at every line.
// C2PY_FUZZ_LANGUAGE is 0 for C, 1 for Python (one binary per language, so corpora stay apart).
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;  // bigger inputs only slow the search; bounds are tested elsewhere
  auto language = C2PY_FUZZ_LANGUAGE == 0 ? c2py::syntax::Language::C : c2py::syntax::Language::Python;
  auto snapshot = c2py::fuzz::fresh_snapshot(language, std::string(reinterpret_cast<const char*>(data), size));
  c2py::fuzz::everything(*snapshot, c2py::server::Encoding::UTF16, 7);
  return 0;
}
