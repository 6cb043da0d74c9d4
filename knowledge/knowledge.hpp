// The knowledge base: one Markdown file per idiom, with a small front matter. Embedded into the
// binary at build time (cmake/embed_knowledge.cmake); more folders load at run time. Knows
// nothing of tree-sitter or LSP.
#pragma once

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace c2py::knowledge {

struct Entry {
  std::string id;                          // file stem, and the `idiom` of findings
  std::string title;                       // one line
  std::string summary;                     // template: what the code under the cursor does
  std::vector<std::string> lesson_points;  // MM01…MM19
  std::vector<std::string> codes;          // diagnostic codes it documents
  std::string link;                        // the one reference a hover shows
  // Code templates per variant ("" is the default): the C and the Python side of the idiom,
  // with {placeholders} filled from the user's code.
  std::map<std::string, std::string> c_templates;
  std::map<std::string, std::string> python_templates;
  // Diagnostic message templates per variant (`message`, `message[local]`): the sentences a
  // diagnostic says, filled from the finding's bindings, so the claim checks cover them too.
  std::map<std::string, std::string> messages;
  // The title of the diagnostic's first quick fix, per variant (`fix`, `fix[collect]`).
  std::map<std::string, std::string> fixes;
  // Sentence fragments a message picks by a binding's value (`phrase[after]`, used as `{@path}`
  // with path=after): the parts of a sentence that vary with the code, kept beside the sentence.
  std::map<std::string, std::string> phrases;
  // The messages of a diagnostic's related locations, by kind (`related[freed]`).
  std::map<std::string, std::string> related;
  std::string why;                         // first paragraph of "## Why they differ"
  std::string body;                        // the whole Markdown body, for a diagnostic's code hover
  std::string origin;                      // file it came from, for messages

  const std::string* c_template(std::string_view variant) const;
  const std::string* python_template(std::string_view variant) const;
  const std::string* message(std::string_view variant) const;
  const std::string* fix(std::string_view variant) const;
  const std::string* phrase(std::string_view name) const;           // no fallback
  const std::string* related_message(std::string_view kind) const;  // no fallback
};

// Parses one knowledge file. Returns an error message instead of an entry when malformed.
struct ParseResult {
  std::vector<Entry> entries;  // zero or one
  std::string error;
};
ParseResult parse_entry(std::string_view text, std::string_view origin, std::string_view id);

// Fills {name} placeholders from `lookup`; an unknown placeholder is left as written.
template <typename Lookup>
std::string fill(std::string_view text, const Lookup& lookup) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') {
      size_t close = text.find('}', i + 1);
      if (close != std::string_view::npos && close > i + 1 && close - i < 40) {
        std::string_view name = text.substr(i + 1, close - i - 1);
        if (const std::string* value = lookup(name)) {
          out += *value;
          i = close;
          continue;
        }
      }
    }
    out += text[i];
  }
  return out;
}

// True for words a code template may use that are never its own local names: keywords of C
// and Python, C types, and the library functions the lessons call (malloc, free, len...).
bool reserved_word(std::string_view word);

// Fills a code template like `fill`, and first renames the template's own names (`n`, `tmp`,
// `parts`...) that a filled-in value also uses as a name: `{var} = malloc(n * sizeof *{var})`
// with var = `n` becomes `n = malloc(n2 * sizeof *n)`.
template <typename Lookup>
std::string fill_code(std::string_view text, const Lookup& lookup) {
  auto is_word_char = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; };
  // The whole-word identifiers of the values this template uses.
  std::vector<std::string> taken;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') continue;
    size_t close = text.find('}', i + 1);
    if (close == std::string_view::npos || close - i >= 40) continue;
    if (const std::string* value = lookup(text.substr(i + 1, close - i - 1))) {
      for (size_t a = 0; a < value->size();) {
        if (!is_word_char((*value)[a]) || std::isdigit(static_cast<unsigned char>((*value)[a]))) {
          while (a < value->size() && is_word_char((*value)[a])) ++a;  // skip numbers whole
          ++a;
          continue;
        }
        size_t b = a;
        while (b < value->size() && is_word_char((*value)[b])) ++b;
        taken.emplace_back(value->substr(a, b - a));
        a = b;
      }
    }
  }
  // Rename colliding words in the literal parts of the template.
  std::string renamed;
  renamed.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '{') {
      size_t close = text.find('}', i + 1);
      if (close != std::string_view::npos && close - i < 40) {
        renamed.append(text.substr(i, close - i + 1));
        i = close + 1;
        continue;
      }
    }
    if (is_word_char(text[i]) && !std::isdigit(static_cast<unsigned char>(text[i])) && (i == 0 || !is_word_char(text[i - 1]))) {
      size_t end = i;
      while (end < text.size() && is_word_char(text[end])) ++end;
      std::string_view word = text.substr(i, end - i);
      renamed.append(word);
      bool preceded_by_dot = i > 0 && (text[i - 1] == '.' || (i > 1 && text[i - 1] == '>' && text[i - 2] == '-'));
      if (!preceded_by_dot && !reserved_word(word) && std::find(taken.begin(), taken.end(), word) != taken.end()) renamed += '2';
      i = end;
      continue;
    }
    renamed += text[i++];
  }
  return fill(renamed, lookup);
}

class Base {
 public:
  // The entries compiled into the binary.
  static Base embedded();
  // Adds every *.md file of `folder`; entries with an existing id replace it. Malformed files are
  // skipped, each with a message in `errors`; the rest still load.
  void load_folder(const std::string& folder, std::vector<std::string>& errors);
  void add(Entry entry);

  const Entry* find(std::string_view id) const;
  const Entry* find_by_code(std::string_view code) const;
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
};

}  // namespace c2py::knowledge
