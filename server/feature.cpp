#include "server/feature.hpp"

#include <algorithm>
#include <cctype>
#include <deque>
#include <memory>

namespace c2py::server {

json FeatureContext::position(uint32_t offset) const {
  auto p = doc.lines.position(offset, encoding, text());
  return {{"line", p.line}, {"character", p.character}};
}

json FeatureContext::range(analysis::ByteRange r) const {
  return {{"start", position(r.begin)}, {"end", position(r.end)}};
}

uint32_t FeatureContext::offset(const json& p) const {
  if (!p.is_object() || !p.contains("line") || !p.contains("character") || !p["line"].is_number_unsigned() ||
      !p["character"].is_number_unsigned())
    throw RequestError{error_code::InvalidParams, "position must be {line, character} with non-negative integers"};
  auto line = p["line"].get<uint64_t>(), character = p["character"].get<uint64_t>();
  return doc.lines.offset({static_cast<uint32_t>(std::min<uint64_t>(line, UINT32_MAX)),
                           static_cast<uint32_t>(std::min<uint64_t>(character, UINT32_MAX))},
                          encoding, text());
}

analysis::ByteRange FeatureContext::byte_range(const json& r) const {
  if (!r.is_object() || !r.contains("start") || !r.contains("end"))
    throw RequestError{error_code::InvalidParams, "range must be {start, end}"};
  uint32_t begin = offset(r["start"]), end = offset(r["end"]);
  if (end < begin) std::swap(begin, end);
  return {begin, end};
}

void FeatureRegistry::document_request(std::string method, DocumentHandler handler, UriOf uri_of) {
  if (!uri_of)
    uri_of = [](const json& params) -> std::string {
      if (!params.is_object() || !params.contains("textDocument") || !params["textDocument"].is_object() ||
          !params["textDocument"].contains("uri") || !params["textDocument"]["uri"].is_string())
        throw RequestError{error_code::InvalidParams, "params.textDocument.uri must be a string"};
      return params["textDocument"]["uri"].get<std::string>();
    };
  requests_.push_back({std::move(method), std::move(handler), std::move(uri_of)});
}

void FeatureRegistry::on_snapshot(SnapshotHandler handler) { snapshot_handlers_.push_back(std::move(handler)); }

void FeatureRegistry::capabilities(const json& patch) { capabilities_.merge_patch(patch); }

json lesson_data(const knowledge::Base& knowledge, const analysis::Finding& finding) {
  json points = json::array();
  if (const auto* entry = knowledge.find(finding.idiom))
    for (const auto& p : entry->lesson_points) points.push_back(p);
  return {{"idiom", finding.idiom}, {"lessonPoints", points}};
}

namespace {

auto lookup_in(const analysis::Finding& finding) {
  return [&finding](std::string_view name) { return finding.bindings.get(name); };
}

// A template of one language prefers the binding spelled for it: `py:var` (s.buf) over `var`
// (s->buf) in a Python template, `c:count` (1000000) over `count` (1_000_000) in a C one.
// A value that is a keyword of the template's language (a Python variable named `union`, a C one
// named `lambda`) gets a trailing `_`, so the snippet still parses.
bool keyword_of(std::string_view prefix, std::string_view word) {
  static constexpr std::string_view kC[] = {"auto", "break", "case", "char", "const", "continue", "default", "do", "double",
                                            "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long",
                                            "register", "restrict", "return", "short", "signed", "sizeof", "static", "struct",
                                            "switch", "typedef", "union", "unsigned", "void", "volatile", "while"};
  static constexpr std::string_view kPython[] = {"False", "None", "True", "and", "as", "assert", "async", "await", "class",
                                                 "def", "del", "elif", "except", "finally", "from", "global", "import", "in",
                                                 "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "try", "with", "yield"};
  if (prefix == "c:") return std::find(std::begin(kC), std::end(kC), word) != std::end(kC);
  return std::find(std::begin(kPython), std::end(kPython), word) != std::end(kPython);
}

auto lookup_for(const analysis::Finding& finding, std::string_view prefix) {
  auto renamed = std::make_shared<std::deque<std::string>>();
  return [&finding, prefix, renamed](std::string_view name) -> const std::string* {
    const std::string* value = finding.bindings.get(std::string(prefix) + std::string(name));
    if (!value) value = finding.bindings.get(name);
    // Only names of variables and functions are renamed; a `{type}` of `int` is meant.
    static constexpr std::string_view kNames[] = {"var", "function", "dest", "operand", "left", "right", "index", "pointer", "source", "argument"};
    bool is_name = std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
    if (value && is_name && keyword_of(prefix, *value)) return &renamed->emplace_back(*value + "_");
    // A C lvalue without a `py:` spelling (`*outp`, `s->buf`), in a Python template: `outp[0]`,
    // `s.buf`. Anything else (`&x`, casts) is left as written.
    if (value && is_name && prefix == "py:" &&
        (value->find("->") != std::string::npos || (!value->empty() && value->front() == '*'))) {
      std::string text = *value;
      size_t stars = 0;
      while (stars < text.size() && text[stars] == '*') ++stars;
      text.erase(0, stars);
      for (size_t at = text.find("->"); at != std::string::npos; at = text.find("->", at)) text.replace(at, 2, ".");
      bool plain = !text.empty() && !std::isdigit(static_cast<unsigned char>(text[0]));
      for (char ch : text)
        if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '.') plain = false;
      if (plain) {
        for (size_t i = 0; i < stars; ++i) text += "[0]";
        return &renamed->emplace_back(text);
      }
    }
    return value;
  };
}

}  // namespace

std::string fill_c(const knowledge::Base& knowledge, const analysis::Finding& finding) {
  const auto* entry = knowledge.find(finding.idiom);
  const auto* tmpl = entry ? entry->c_template(finding.variant) : nullptr;
  return tmpl ? knowledge::fill_code(*tmpl, lookup_for(finding, "c:")) : std::string();
}

std::string fill_python(const knowledge::Base& knowledge, const analysis::Finding& finding) {
  const auto* entry = knowledge.find(finding.idiom);
  const auto* tmpl = entry ? entry->python_template(finding.variant) : nullptr;
  return tmpl ? knowledge::fill_code(*tmpl, lookup_for(finding, "py:")) : std::string();
}

namespace {

// The lookup of a diagnostic's sentences: `{name}` is a binding; `{@name}` is the entry's
// `phrase[v]` for the binding's value v, filled from the same bindings (one level: a phrase
// names no phrase). A phrase the entry lacks stays unfilled, as an unknown name does.
auto message_lookup(const analysis::Finding& finding, const knowledge::Entry* entry) {
  auto filled = std::make_shared<std::deque<std::string>>();
  return [&finding, entry, filled](std::string_view name) -> const std::string* {
    if (name.empty() || name.front() != '@') return finding.bindings.get(name);
    const std::string* choice = finding.bindings.get(name.substr(1));
    const std::string* phrase = choice && entry ? entry->phrase(*choice) : nullptr;
    return phrase ? &filled->emplace_back(knowledge::fill(*phrase, lookup_in(finding))) : nullptr;
  };
}

const knowledge::Entry* entry_of(const knowledge::Base& knowledge, const analysis::Finding& finding) {
  const auto* entry = knowledge.find(finding.idiom);
  if (!entry && finding.diagnostic) entry = knowledge.find_by_code(finding.diagnostic->code);
  return entry;
}

}  // namespace

std::string diagnostic_message(const knowledge::Base& knowledge, const analysis::Finding& finding) {
  const auto* entry = entry_of(knowledge, finding);
  if (entry)
    if (const auto* tmpl = entry->message(finding.variant)) return knowledge::fill(*tmpl, message_lookup(finding, entry));
  if (finding.diagnostic && !finding.diagnostic->message.empty()) return finding.diagnostic->message;
  // A knowledge folder without this message: the entry's summary still says what it is.
  return entry ? knowledge::fill(entry->summary, lookup_in(finding)) : std::string();
}

std::string related_message(const knowledge::Base& knowledge, const analysis::Finding& finding,
                            const analysis::Related& related) {
  if (related.kind.empty()) return related.message;
  const auto* entry = entry_of(knowledge, finding);
  if (const auto* tmpl = entry ? entry->related_message(related.kind) : nullptr)
    return knowledge::fill(*tmpl, message_lookup(finding, entry));
  return related.message.empty() ? related.kind : related.message;
}

std::string fix_text(const knowledge::Base& knowledge, const analysis::Finding& finding, size_t index) {
  const auto& fix = finding.diagnostic->fixes[index];
  if (index == 0)
    if (const auto* entry = knowledge.find(finding.idiom))
      if (const auto* tmpl = entry->fix(finding.variant)) return knowledge::fill(*tmpl, message_lookup(finding, entry));
  return fix.title.empty() ? "Apply the c2py fix" : fix.title;
}

json to_lsp_diagnostic(const FeatureContext& ctx, const analysis::Finding& finding) {
  const auto& d = *finding.diagnostic;
  json out = {{"range", ctx.range(finding.range)},
              {"severity", static_cast<int>(d.severity)},
              {"source", "c2py"},
              {"code", d.code},
              {"message", diagnostic_message(ctx.knowledge, finding)},
              {"data", lesson_data(ctx.knowledge, finding)}};
  if (const auto* entry = ctx.knowledge.find(finding.idiom); entry && !entry->link.empty())
    out["codeDescription"] = {{"href", entry->link}};
  if (!d.related.empty()) {
    json related = json::array();
    for (const auto& r : d.related)
      related.push_back({{"location", {{"uri", ctx.doc.uri}, {"range", ctx.range(r.range)}}}, {"message", related_message(ctx.knowledge, finding, r)}});
    out["relatedInformation"] = related;
  }
  return out;
}

std::string render_hover(const knowledge::Base& knowledge, const analysis::Finding& finding) {
  const auto* entry = knowledge.find(finding.idiom);
  if (!entry) return {};
  auto lookup = lookup_in(finding);
  std::string points;
  for (const auto& p : entry->lesson_points) points += (points.empty() ? "" : " ") + p;
  std::string footer = "\n";
  if (!entry->link.empty()) footer += "[Reference](" + entry->link + ") · ";
  footer += "lesson " + points + "\n";
  std::string md;
  if (!finding.note.empty() && !finding.diagnostic) {
    // A fact about this very code (the runtime model's count for a name, what a line freed):
    // the reader hovered for it, so it comes first; the idiom is named in one line, and its
    // examples stay in the entry (a diagnostic's hover, the lesson), not repeated on every name.
    md = finding.note + "\n\n**" + entry->title + "**";
    if (!entry->summary.empty()) md += ": " + knowledge::fill(entry->summary, lookup);
    return md + "\n" + footer;
  }
  md = "**" + entry->title + "**";
  if (!entry->summary.empty()) md += ": " + knowledge::fill(entry->summary, lookup);
  md += "\n";
  std::string c = fill_c(knowledge, finding), python = fill_python(knowledge, finding);
  // Each block under its language's name: two code blocks in a row render as one grey box in VS
  // Code, and a reader cannot tell where C ends and Python starts.
  if (!c.empty()) md += "\n**C**\n```c\n" + c + "\n```\n";
  if (!python.empty()) md += "\n**Python**\n```python\n" + python + "\n```\n";
  if (!finding.note.empty()) md += "\n" + finding.note + "\n";
  if (!entry->why.empty()) md += "\n" + knowledge::fill(entry->why, lookup) + "\n";
  return md + footer;
}

std::string render_entry(const knowledge::Entry& entry) {
  std::string points;
  for (const auto& p : entry.lesson_points) points += (points.empty() ? "" : " ") + p;
  return entry.body + "\n\nLesson points: " + points + "\n";
}

}  // namespace c2py::server
