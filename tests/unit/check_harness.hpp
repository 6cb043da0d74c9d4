// Runs the real checks over a snippet: parse with the real grammar, analyze with every check of
// the language, and filter the findings.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine.hpp"
#include "knowledge/knowledge.hpp"
#include "server/feature.hpp"
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

inline std::vector<syntax::ByteRange> ranges_of(const std::vector<const analysis::Finding*>& found) {
  std::vector<syntax::ByteRange> out;
  for (const auto* f : found) out.push_back(f->range);
  return out;
}

// The hover Markdown the server would send for a finding, from the embedded knowledge.
inline std::string hover(const analysis::Finding& finding) {
  static const auto base = knowledge::Base::embedded();
  return server::render_hover(base, finding);
}

// The message the server would send for a finding's diagnostic.
inline std::string message(const analysis::Finding& finding) {
  static const auto base = knowledge::Base::embedded();
  return server::diagnostic_message(base, finding);
}

// The message of a diagnostic's i-th related location, and the title of its i-th fix, as sent.
inline std::string related_message(const analysis::Finding& finding, size_t i) {
  static const auto base = knowledge::Base::embedded();
  return server::related_message(base, finding, finding.diagnostic->related.at(i));
}
inline std::string fix_title(const analysis::Finding& finding, size_t i) {
  static const auto base = knowledge::Base::embedded();
  return server::fix_text(base, finding, i);
}

inline bool has_hint(const analysis::Finding& f, std::string_view label) {
  for (const auto& h : f.hints)
    if (h.label == label) return true;
  return false;
}

}  // namespace c2py::testing
