// Runs the real checks over a snippet: parse with the real grammar, analyze with every check of
// the language, and filter the findings.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine.hpp"
#include "syntax/syntax.hpp"

namespace c2py::testing {

struct Analyzed {
  std::string code;
  syntax::Tree tree;
  analysis::FileAnalysis result;

  std::vector<const analysis::Finding*> with_idiom(std::string_view idiom) const {
    std::vector<const analysis::Finding*> out;
    for (const auto& f : result.findings)
      if (f.idiom == idiom) out.push_back(&f);
    return out;
  }
  std::vector<const analysis::Finding*> with_code(std::string_view code_name) const {
    std::vector<const analysis::Finding*> out;
    for (const auto& f : result.findings)
      if (f.diagnostic && f.diagnostic->code == code_name) out.push_back(&f);
    return out;
  }
  std::vector<syntax::ByteRange> diagnostic_ranges(std::string_view code_name) const {
    std::vector<syntax::ByteRange> out;
    for (const auto* f : with_code(code_name)) out.push_back(f->range);
    return out;
  }
};

inline Analyzed analyze(syntax::Language language, std::string code, analysis::AnalysisOptions options = {}) {
  Analyzed a;
  a.code = std::move(code);
  syntax::Parser parser(language);
  a.tree = parser.parse(a.code);
  analysis::UnitCache cache;
  a.result = analysis::analyze(language, a.tree, a.code, options, cache);
  return a;
}

}  // namespace c2py::testing
