#include "knowledge.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace c2py::knowledge {

// Generated at build time from knowledge/**/*.md.
struct EmbeddedFile {
  const char* path;
  const char* text;
  unsigned long size;
};
extern const EmbeddedFile kEmbeddedKnowledge[];
extern const unsigned long kEmbeddedKnowledgeCount;

const std::string* Entry::c_template(std::string_view variant) const {
  auto it = c_templates.find(std::string(variant));
  if (it == c_templates.end()) it = c_templates.find("");
  return it == c_templates.end() ? nullptr : &it->second;
}

const std::string* Entry::python_template(std::string_view variant) const {
  auto it = python_templates.find(std::string(variant));
  if (it == python_templates.end()) it = python_templates.find("");
  return it == python_templates.end() ? nullptr : &it->second;
}

const std::string* Entry::message(std::string_view variant) const {
  auto it = messages.find(std::string(variant));
  if (it == messages.end()) it = messages.find("");
  return it == messages.end() ? nullptr : &it->second;
}

const std::string* Entry::fix(std::string_view variant) const {
  auto it = fixes.find(std::string(variant));
  if (it == fixes.end()) it = fixes.find("");
  return it == fixes.end() ? nullptr : &it->second;
}

const std::string* Entry::phrase(std::string_view name) const {
  auto it = phrases.find(std::string(name));
  return it == phrases.end() ? nullptr : &it->second;
}

const std::string* Entry::related_message(std::string_view kind) const {
  auto it = related.find(std::string(kind));
  return it == related.end() ? nullptr : &it->second;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  s = trim(s);
  if (!s.empty() && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  while (!s.empty()) {
    size_t comma = s.find(',');
    auto item = trim(s.substr(0, comma));
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

// "\n" in a one-line front-matter value stands for a line break.
std::string unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == 'n') {
      out += '\n';
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string first_paragraph_of_section(std::string_view body, std::string_view heading) {
  size_t at = body.find(heading);
  if (at == std::string_view::npos) return {};
  size_t start = body.find('\n', at);
  if (start == std::string_view::npos) return {};
  std::string_view rest = body.substr(start + 1);
  while (!rest.empty() && (rest.front() == '\n' || rest.front() == '\r')) rest.remove_prefix(1);
  size_t end = rest.find("\n\n");
  size_t next_heading = rest.find("\n#");
  end = std::min(end, next_heading);
  return std::string(trim(rest.substr(0, end)));
}

// The body without its claim checks (```python check, ```c check ...): they prove the text
// (tests/idioms/claims.py runs them) but are not for the reader of a hover.
std::string without_checks(std::string_view body) {
  std::string out;
  bool in_check = false;
  while (!body.empty()) {
    size_t nl = body.find('\n');
    std::string_view line = body.substr(0, nl == std::string_view::npos ? body.size() : nl + 1);
    body.remove_prefix(line.size());
    std::string_view bare = trim(line.substr(0, line.find('\n')));
    if (!in_check && bare.substr(0, 3) == "```" && bare.find(" check") != std::string_view::npos) {
      in_check = true;
      continue;
    }
    if (in_check) {
      if (bare == "```") {
        in_check = false;
        // Drop the blank line that separated the check from the text after it.
        if (!body.empty() && body.front() == '\n' && !out.empty() && out.back() == '\n' &&
            out.size() >= 2 && out[out.size() - 2] == '\n')
          body.remove_prefix(1);
      }
      continue;
    }
    out += line;
  }
  return out;
}

bool valid_point(std::string_view p) {
  return p.size() == 4 && p[0] == 'M' && p[1] == 'M' && std::isdigit(static_cast<unsigned char>(p[2])) &&
         std::isdigit(static_cast<unsigned char>(p[3]));
}

}  // namespace

bool reserved_word(std::string_view word) {
  static constexpr std::string_view kWords[] = {
      // C
      "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern", "float",
      "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed", "sizeof", "static",
      "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while", "size_t", "NULL", "FILE", "int32_t",
      "uint8_t", "malloc", "calloc", "realloc", "free", "strdup", "strlen", "strcpy", "strcat", "memcpy", "memset",
      "snprintf", "fopen", "fclose", "abort", "perror", "asprintf",
      // Python
      "and", "as", "class", "def", "del", "elif", "except", "from", "import", "in", "is", "lambda", "not", "or", "pass",
      "raise", "try", "with", "None", "True", "False", "self", "range", "print", "list", "bytearray", "bytes", "array", "sys",
      "gc", "copy", "getsizeof", "itemsize", "append", "extend", "join", "collect", "MemoryError", "IndexError"};
  for (auto w : kWords)
    if (w == word) return true;
  return false;
}

ParseResult parse_entry(std::string_view text, std::string_view origin, std::string_view id) {
  ParseResult result;
  auto fail = [&](const std::string& why) {
    result.error = std::string(origin) + ": " + why;
    return result;
  };
  if (text.substr(0, 4) != "---\n") return fail("does not start with a '---' front matter line");
  size_t end = text.find("\n---\n", 3);
  if (end == std::string_view::npos) return fail("front matter is not closed by a '---' line");
  Entry entry;
  entry.id = std::string(id);
  entry.origin = std::string(origin);
  std::string_view header = text.substr(4, end - 4 + 1);
  size_t line_no = 1;
  while (!header.empty()) {
    ++line_no;
    size_t nl = header.find('\n');
    std::string_view line = header.substr(0, nl);
    header.remove_prefix(nl == std::string_view::npos ? header.size() : nl + 1);
    if (trim(line).empty() || trim(line).front() == '#') continue;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos)
      return fail("line " + std::to_string(line_no) + ": expected 'key: value', got '" + std::string(line) + "'");
    std::string_view key = trim(line.substr(0, colon));
    std::string_view value = trim(line.substr(colon + 1));
    if (key == "id") entry.id = std::string(value);
    else if (key == "title") entry.title = std::string(value);
    else if (key == "summary") entry.summary = unescape(value);
    else if (key == "lessonPoints") entry.lesson_points = split_list(value);
    else if (key == "codes") entry.codes = split_list(value);
    else if (key == "link") entry.link = std::string(value);
    else if (key == "sample") continue;  // bindings for the snippet checks (tests/idioms/claims.py)
    else if (key.substr(0, 1) == "c" && (key == "c" || key.substr(0, 2) == "c[")) {
      std::string variant = key.size() > 3 ? std::string(key.substr(2, key.size() - 3)) : "";
      entry.c_templates[variant] = unescape(value);
    } else if (key == "fix" || key.substr(0, 4) == "fix[") {
      std::string variant = key.size() > 5 ? std::string(key.substr(4, key.size() - 5)) : "";
      entry.fixes[variant] = unescape(value);
    } else if (key == "message" || key.substr(0, 8) == "message[") {
      std::string variant = key.size() > 9 ? std::string(key.substr(8, key.size() - 9)) : "";
      entry.messages[variant] = unescape(value);
    } else if ((key.substr(0, 7) == "phrase[" || key.substr(0, 8) == "related[") && key.back() == ']') {
      // A fragment may begin or end with a space, or be empty: written in double quotes then.
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      bool is_phrase = key.front() == 'p';
      std::string name(key.substr(is_phrase ? 7 : 8, key.size() - (is_phrase ? 8 : 9)));
      (is_phrase ? entry.phrases : entry.related)[name] = unescape(value);
    } else if (key == "python" || key.substr(0, 7) == "python[") {
      std::string variant = key.size() > 8 ? std::string(key.substr(7, key.size() - 8)) : "";
      entry.python_templates[variant] = unescape(value);
    } else {
      return fail("line " + std::to_string(line_no) + ": unknown key '" + std::string(key) + "'");
    }
  }
  if (entry.title.empty()) return fail("missing 'title'");
  if (entry.lesson_points.empty()) return fail("missing 'lessonPoints'");
  for (const auto& p : entry.lesson_points)
    if (!valid_point(p)) return fail("lesson point '" + p + "' is not of the form MM01");
  entry.body = without_checks(text.substr(end + 5));
  entry.why = first_paragraph_of_section(entry.body, "## Why they differ");
  result.entries.push_back(std::move(entry));
  return result;
}

void Base::add(Entry entry) {
  auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.id == entry.id; });
  if (it != entries_.end()) *it = std::move(entry);
  else entries_.push_back(std::move(entry));
}

Base Base::embedded() {
  Base base;
  for (unsigned long i = 0; i < kEmbeddedKnowledgeCount; ++i) {
    const auto& file = kEmbeddedKnowledge[i];
    std::string_view path(file.path);
    auto stem = std::filesystem::path(path).stem().string();
    auto parsed = parse_entry(std::string_view(file.text, file.size), path, stem);
    // Embedded files are checked by the unit tests; a malformed one is skipped, not fatal.
    for (auto& entry : parsed.entries) base.add(std::move(entry));
  }
  return base;
}

void Base::load_folder(const std::string& folder, std::vector<std::string>& errors) {
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(folder, ec), end;
  if (ec) {
    errors.push_back(folder + ": cannot read the folder (" + ec.message() + ")");
    return;
  }
  std::vector<std::filesystem::path> files;
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    if (it->is_regular_file(ec) && it->path().extension() == ".md" && it->path().filename() != "README.md")
      files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
      errors.push_back(path.string() + ": cannot be read");
      continue;
    }
    auto parsed = parse_entry(text.str(), path.string(), path.stem().string());
    if (!parsed.error.empty()) errors.push_back(parsed.error);
    for (auto& entry : parsed.entries) add(std::move(entry));
  }
}

const Entry* Base::find(std::string_view id) const {
  for (const auto& e : entries_)
    if (e.id == id) return &e;
  return nullptr;
}

const Entry* Base::find_by_code(std::string_view code) const {
  for (const auto& e : entries_)
    if (std::find(e.codes.begin(), e.codes.end(), code) != e.codes.end()) return &e;
  return nullptr;
}

}  // namespace c2py::knowledge
