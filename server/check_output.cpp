#include "server/check_output.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

#include "server/check_files.hpp"
#include "server/feature.hpp"

namespace c2py::server {

namespace {

uint32_t line_of(const json& position) { return position["line"].get<uint32_t>(); }
uint32_t column_of(const json& position) { return position["character"].get<uint32_t>(); }

// "path:12:5" with 1-based line and column.
std::string where(const std::string& path, const json& position) {
  return path + ":" + std::to_string(line_of(position) + 1) + ":" + std::to_string(column_of(position) + 1);
}

const char* severity_name(int severity) {
  switch (severity) {
    case 1: return "error";
    case 2: return "warning";
    case 3: return "info";
    default: return "hint";
  }
}

std::string plural(size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// The path as a reader of the output wants it: relative to the current folder when inside it.
std::string relative_to_cwd(const std::string& path) {
  std::error_code ec;
  std::string cwd = std::filesystem::current_path(ec).string();
  std::string abs = absolute_path(path);
  if (!ec && abs.size() > cwd.size() + 1 && abs.compare(0, cwd.size(), cwd) == 0 && abs[cwd.size()] == '/')
    return abs.substr(cwd.size() + 1);
  return abs;
}

// The first paragraph of a hover's Markdown, on one line, without the bold marks.
std::string first_paragraph(const std::string& markdown) {
  std::string text = markdown.substr(0, markdown.find("\n\n"));
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "**") == 0) {
      ++i;
      continue;
    }
    out += text[i];
  }
  return out;
}

// `text` in lines of at most `width` columns (counted in code points): the first after `first`,
// the others after `indent`.
std::string wrap(const std::string& text, size_t width, const std::string& first, const std::string& indent) {
  std::string out, line;
  size_t columns = 0;
  bool at_first = true;
  std::istringstream words(text);
  std::string word;
  auto length = [](const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  };
  while (words >> word) {
    size_t w = length(word);
    if (columns > 0 && columns + 1 + w > width) {
      out += (at_first ? first : indent) + line + '\n';
      at_first = false;
      line.clear();
      columns = 0;
    }
    line += (columns > 0 ? " " : "") + word;
    columns += (columns > 0 ? 1 : 0) + w;
  }
  if (!line.empty()) out += (at_first ? first : indent) + line + '\n';
  return out;
}

std::string hint_label(const json& hint) {
  if (hint["label"].is_string()) return hint["label"].get<std::string>();
  std::string out;  // InlayHintLabelPart[]
  for (const auto& part : hint["label"])
    if (part.contains("value")) out += part["value"].get<std::string>();
  return out;
}

// ---------------------------------------------------------------------------------------- text

class TextWriter : public ReportWriter {
 public:
  TextWriter(const CheckOptions& options, std::ostream& out) : options_(options), out_(out) {}

  void file(const FileReport& r) override {
    if (!r.problem.empty()) return;  // said on stderr
    ++files_;
    lines_ += r.lines.line_count();
    std::map<int, size_t> by_severity;
    for (const auto& d : r.diagnostics) ++by_severity[d["severity"].get<int>()];
    std::vector<std::string> parts;
    if (r.syntax_error_count) parts.push_back(plural(r.syntax_error_count, "syntax error", "syntax errors"));
    for (const auto& [severity, n] : by_severity) {
      totals_[severity] += n;
      parts.push_back(plural(n, severity_name(severity), std::string(severity_name(severity)) + "s"));
    }
    if (by_severity.empty()) parts.emplace_back("no findings");
    if (!options_.diagnostics_only) {
      parts.push_back(plural(r.hints.size(), "inlay hint", "inlay hints"));
      parts.push_back(plural(r.hovers.size(), "hover", "hovers"));
    }
    std::string summary;
    for (const auto& part : parts) summary += (summary.empty() ? "" : ", ") + part;
    out_ << "== " << r.path << " (" << (r.language == "c" ? "C" : "Python") << ", "
         << plural(r.lines.line_count(), "line", "lines") << "): " << summary << '\n';

    for (const auto& e : r.syntax_errors)
      out_ << where(r.path, e["position"]) << ": error: " << e["message"].get<std::string>() << '\n';
    if (r.syntax_error_count > r.syntax_errors.size())
      out_ << "  ... and " << plural(r.syntax_error_count - r.syntax_errors.size(), "more syntax error", "more syntax errors") << '\n';
    if (r.syntax_error_count)
      out_ << "  (the parser recovered around " << (r.syntax_error_count == 1 ? "it" : "them")
           << "; findings there may be missing)\n";

    for (const auto& d : r.diagnostics) {
      out_ << where(r.path, d["range"]["start"]) << ": " << severity_name(d["severity"].get<int>()) << ": "
           << d["message"].get<std::string>() << " [" << d["code"].get<std::string>() << "]\n";
      if (d.contains("relatedInformation"))
        for (const auto& related : d["relatedInformation"])
          out_ << "    " << where(r.path, related["location"]["range"]["start"])
               << ": note: " << related["message"].get<std::string>() << '\n';
      for (const auto& action : r.actions)
        if (action["diagnostics"][0] == d) out_ << "    fix: " << action["title"].get<std::string>() << '\n';
    }
    if (!options_.diagnostics_only) code_view(r);
    out_ << '\n';
  }

  void end() override {
    if (files_ < 2) return;
    std::string summary;
    for (const auto& [severity, n] : totals_)
      summary += ", " + plural(n, severity_name(severity), std::string(severity_name(severity)) + "s");
    out_ << "== " << plural(files_, "file", "files") << ", " << plural(lines_, "line", "lines")
         << (summary.empty() ? ": no findings" : ":" + summary.substr(1)) << '\n';
  }

 private:
  // Each line that has inlay hints or hovers, with its hints drawn where an editor draws them
  // (‹label›), and under it the first line of each hover (or all of it, with --full-hovers).
  void code_view(const FileReport& r) {
    if (r.hints.empty() && r.hovers.empty()) return;
    std::map<uint32_t, std::vector<std::pair<uint32_t, std::string>>> hints;
    for (const auto& hint : r.hints) hints[line_of(hint["position"])].emplace_back(column_of(hint["position"]), hint_label(hint));
    std::map<uint32_t, std::vector<const json*>> hovers;
    for (const auto& hover : r.hovers) hovers[line_of(hover["position"])].push_back(&hover);
    std::vector<uint32_t> lines;
    for (const auto& [line, _] : hints) lines.push_back(line);
    for (const auto& [line, _] : hovers) lines.push_back(line);
    std::sort(lines.begin(), lines.end());
    lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
    out_ << "-- the code with its inlay hints (in ‹›) and hovers (under their line)\n";
    const std::string& text = *r.text;
    for (uint32_t line : lines) {
      uint32_t begin = r.lines.line_start(line);
      uint32_t end = line + 1 < r.lines.line_count() ? r.lines.line_start(line + 1) : static_cast<uint32_t>(text.size());
      std::string source = text.substr(begin, end - begin);
      while (!source.empty() && (source.back() == '\n' || source.back() == '\r')) source.pop_back();
      auto& line_hints = hints[line];
      std::stable_sort(line_hints.begin(), line_hints.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      std::string drawn;
      size_t at = 0;
      for (const auto& [column, label] : line_hints) {
        size_t cut = std::min<size_t>(column, source.size());
        if (cut < at) cut = at;
        drawn += source.substr(at, cut - at) + "‹" + label + "›";
        at = cut;
      }
      drawn += source.substr(std::min(at, source.size()));
      std::string number = std::to_string(line + 1);
      out_ << std::string(number.size() < 5 ? 5 - number.size() : 0, ' ') << number << " │ " << drawn << '\n';
      for (const json* hover : hovers[line]) {
        std::string markdown = (*hover)["contents"]["value"].get<std::string>();
        std::string head = "hover at " + std::to_string(line + 1) + ":" +
                           std::to_string(column_of((*hover)["position"]) + 1) + " (" +
                           (*hover)["data"]["idiom"].get<std::string>() + "): ";
        out_ << wrap(head + first_paragraph(markdown), 96, "      │   ", "      │       ");
        if (options_.full_hovers) {
          std::istringstream body(markdown);
          std::string body_line;
          while (std::getline(body, body_line)) out_ << "      │     | " << body_line << '\n';
        }
      }
    }
  }

  const CheckOptions& options_;
  std::ostream& out_;
  size_t files_ = 0, lines_ = 0;
  std::map<int, size_t> totals_;
};

// ---------------------------------------------------------------------------------------- JSON

class JsonWriter : public ReportWriter {
 public:
  explicit JsonWriter(std::ostream& out) : out_(out) { out_ << "{\"files\": ["; }

  void file(const FileReport& r) override {
    if (!r.problem.empty()) return;
    json file = {{"path", r.path}, {"uri", r.uri}, {"language", r.language}, {"syntaxErrors", r.syntax_errors},
                 {"diagnostics", r.diagnostics}, {"inlayHints", r.hints}, {"codeActions", r.actions},
                 {"hovers", r.hovers}};
    out_ << (first_ ? "\n" : ",\n") << dump(file);
    first_ = false;
    out_.flush();
  }

  void end() override { out_ << "\n]}\n"; }

 private:
  std::ostream& out_;
  bool first_ = true;
};

// ---------------------------------------------------------------------------------------- SARIF

// In CI output a syntax error is a note: in real C code most are macros tree-sitter cannot expand
// (`CJSON_CDECL`, `TAILQ_ENTRY(x)`), in code that compiles. The exit status still says 1.
constexpr const char* kParserNote = " (the parser recovered; findings here may be missing)";

const char* sarif_level(int severity) {
  switch (severity) {
    case 1: return "error";
    case 2: return "warning";
    default: return "note";
  }
}

class SarifWriter : public ReportWriter {
 public:
  SarifWriter(std::ostream& out, const knowledge::Base& knowledge) : out_(out), knowledge_(knowledge) {
    std::error_code ec;
    cwd_ = std::filesystem::current_path(ec).string();
  }

  void file(const FileReport& r) override {
    if (!r.problem.empty()) {
      notifications_.push_back({{"level", "error"},
                                {"message", {{"text", r.path + ": " + r.problem}}},
                                {"locations", json::array({{{"physicalLocation", {{"artifactLocation", artifact(r)}}}}})}});
      return;
    }
    for (const auto& e : r.syntax_errors) {
      json region = {{"startLine", line_of(e["position"]) + 1}, {"startColumn", column_of(e["position"]) + 1}};
      results_.push_back({{"ruleId", "syntax-error"},
                          {"ruleIndex", rule_index("syntax-error")},
                          {"level", "note"},
                          {"message", {{"text", e["message"].get<std::string>() + kParserNote}}},
                          {"locations", json::array({location(r, region)})}});
    }
    for (const auto& d : r.diagnostics) {
      std::string code = d["code"].get<std::string>();
      json result = {{"ruleId", code},
                     {"ruleIndex", rule_index(code)},
                     {"level", sarif_level(d["severity"].get<int>())},
                     {"message", {{"text", d["message"].get<std::string>()}}},
                     {"locations", json::array({location(r, region(d["range"]))})}};
      if (d.contains("relatedInformation")) {
        json related = json::array();
        int id = 1;
        for (const auto& info : d["relatedInformation"]) {
          json loc = location(r, region(info["location"]["range"]));
          loc["id"] = id++;
          loc["message"] = {{"text", info["message"].get<std::string>()}};
          related.push_back(loc);
        }
        result["relatedLocations"] = related;
      }
      if (d.contains("data")) result["properties"] = d["data"];
      results_.push_back(std::move(result));
    }
  }

  void end() override {
    json run = {{"tool", {{"driver", {{"name", "c2py-lsp"},
                                      {"version", C2PY_VERSION},
                                      {"semanticVersion", C2PY_VERSION},
                                      {"rules", rules_}}}}},
                {"columnKind", "utf16CodeUnits"},
                {"originalUriBaseIds", {{"SRCROOT", {{"uri", "file://" + percent_encode_path(cwd_ + "/")}}}}},
                {"invocations", json::array({{{"executionSuccessful", notifications_.empty()},
                                              {"toolExecutionNotifications", notifications_}}})},
                {"results", results_}};
    json log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                {"version", "2.1.0"},
                {"runs", json::array({run})}};
    out_ << dump(log) << '\n';
  }

 private:
  static json region(const json& range) {
    return {{"startLine", line_of(range["start"]) + 1},
            {"startColumn", column_of(range["start"]) + 1},
            {"endLine", line_of(range["end"]) + 1},
            {"endColumn", column_of(range["end"]) + 1}};
  }

  // Relative to SRCROOT (the current folder) when inside it, as code scanning wants; else absolute.
  json artifact(const FileReport& r) const {
    std::string abs = absolute_path(r.path);
    if (abs.size() > cwd_.size() + 1 && abs.compare(0, cwd_.size(), cwd_) == 0 && abs[cwd_.size()] == '/')
      return {{"uri", percent_encode_path(abs.substr(cwd_.size() + 1))}, {"uriBaseId", "SRCROOT"}};
    return {{"uri", r.uri}};
  }

  json location(const FileReport& r, const json& region) const {
    return {{"physicalLocation", {{"artifactLocation", artifact(r)}, {"region", region}}}};
  }

  // A rule per diagnostic code, from its knowledge entry, added when first used.
  size_t rule_index(const std::string& code) {
    if (auto it = rule_indices_.find(code); it != rule_indices_.end()) return it->second;
    json rule = {{"id", code}};
    if (code == "syntax-error") {
      rule["shortDescription"] = {{"text", "The parser could not read this part of the file"}};
      rule["fullDescription"] = {{"text", "tree-sitter could not parse this code, often a macro it cannot expand; "
                                          "the analysis skips it, so findings there may be missing."}};
    } else if (const auto* entry = knowledge_.find_by_code(code)) {
      rule["shortDescription"] = {{"text", entry->title}};
      std::string help = render_entry(*entry);
      rule["help"] = {{"text", help}, {"markdown", help}};
      if (!entry->link.empty()) rule["helpUri"] = entry->link;
      rule["properties"] = {{"idiom", entry->id}, {"lessonPoints", entry->lesson_points}};
    }
    rules_.push_back(std::move(rule));
    return rule_indices_[code] = rules_.size() - 1;
  }

  std::ostream& out_;
  const knowledge::Base& knowledge_;
  std::string cwd_;
  json rules_ = json::array(), results_ = json::array(), notifications_ = json::array();
  std::map<std::string, size_t> rule_indices_;
};

// ---------------------------------------------------------------------------------------- GitHub

// Workflow commands: `::warning file=F,line=L,col=C,endLine=L,endColumn=C,title=T::message`.
std::string escape_data(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string escape_property(const std::string& text) {
  std::string out;
  for (char c : escape_data(text)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

class GithubWriter : public ReportWriter {
 public:
  explicit GithubWriter(std::ostream& out) : out_(out) {}

  void file(const FileReport& r) override {
    if (!r.problem.empty()) {
      out_ << "::error file=" << escape_property(relative_to_cwd(r.path)) << ",title=c2py::" << escape_data(r.problem) << '\n';
      return;
    }
    std::string file = escape_property(relative_to_cwd(r.path));
    for (const auto& e : r.syntax_errors)
      out_ << "::notice file=" << file << ",line=" << line_of(e["position"]) + 1 << ",col=" << column_of(e["position"]) + 1
           << ",title=c2py syntax error::" << escape_data(e["message"].get<std::string>() + kParserNote) << '\n';
    for (const auto& d : r.diagnostics) {
      int severity = d["severity"].get<int>();
      const auto& range = d["range"];
      out_ << "::" << (severity == 1 ? "error" : severity == 2 ? "warning" : "notice") << " file=" << file
           << ",line=" << line_of(range["start"]) + 1 << ",endLine=" << line_of(range["end"]) + 1;
      // Columns only within one line, as GitHub ignores them otherwise.
      if (line_of(range["start"]) == line_of(range["end"]))
        out_ << ",col=" << column_of(range["start"]) + 1 << ",endColumn=" << column_of(range["end"]) + 1;
      out_ << ",title=" << escape_property("c2py " + d["code"].get<std::string>()) << "::"
           << escape_data(d["message"].get<std::string>()) << '\n';
    }
    out_.flush();
  }

 private:
  std::ostream& out_;
};

}  // namespace

Encoding encoding_of(OutputFormat format) {
  return format == OutputFormat::Text || format == OutputFormat::Json ? Encoding::UTF8 : Encoding::UTF16;
}

std::unique_ptr<ReportWriter> make_writer(const CheckOptions& options, std::ostream& out,
                                          const knowledge::Base& knowledge) {
  switch (options.format) {
    case OutputFormat::Json: return std::make_unique<JsonWriter>(out);
    case OutputFormat::Sarif: return std::make_unique<SarifWriter>(out, knowledge);
    case OutputFormat::Github: return std::make_unique<GithubWriter>(out);
    case OutputFormat::Text: break;
  }
  return std::make_unique<TextWriter>(options, out);
}

}  // namespace c2py::server
