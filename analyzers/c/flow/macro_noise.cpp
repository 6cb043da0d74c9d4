#include "c/flow/macro_noise.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_set>

namespace c2py::analysis::c::flow {
namespace {

// Attribute-like macros: a word with no arguments that compilers see as an attribute, a calling
// convention or nothing at all.
constexpr std::array<std::string_view, 27> kAttributeWords = {
    "__unused",   "__dead",      "__dead2",     "__packed",  "__pure",      "__pure2",   "__malloc",
    "__wur",      "__cold",      "__hot",       "__used",    "__must_check", "__maybe_unused", "MAYBE_UNUSED",
    "ATTRIBUTE_UNUSED", "UNUSED_PARAM", "WINAPI",  "CALLBACK",  "APIENTRY",    "__cdecl",   "__stdcall",
    "__fastcall", "CJSON_CDECL", "NORETURN",    "NO_RETURN", "__noreturn",  "FORCE_INLINE"};
// Attribute-like macros with arguments: `printflike(2, 3)`.
constexpr std::array<std::string_view, 6> kAttributeCalls = {"printflike", "__printflike", "__scanflike",
                                                             "__nonnull", "__format_arg", "__attribute_format__"};
constexpr std::array<std::string_view, 5> kNoreturnWords = {"__dead", "__dead2", "NORETURN", "NO_RETURN",
                                                            "__noreturn"};

template <size_t N>
bool in(const std::array<std::string_view, N>& table, std::string_view name) {
  return std::find(table.begin(), table.end(), name) != table.end();
}

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Whether the name holds `foreach` or `for_each`, in any case (asked of every call in the file:
// no lower-case copy).
bool loop_macro(std::string_view name) {
  auto holds = [&](std::string_view word) {
    return std::search(name.begin(), name.end(), word.begin(), word.end(),
                       [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; }) != name.end();
  };
  return holds("foreach") || holds("for_each");
}

class Cleaner {
 public:
  Cleaner(std::string_view source, const std::unordered_set<std::string>& defined_empty)
      : out_(source), defined_empty_(defined_empty) {}

  std::optional<std::string> run() {
    size_t i = 0;
    bool line_start = true, directive = false;
    while (i < out_.size()) {
      char c = out_[i];
      if (c == '\n') {
        // A directive continues past a backslash-newline.
        if (!(i > 0 && out_[i - 1] == '\\')) directive = false;
        line_start = true;
        ++i;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r') {
        ++i;
        continue;
      }
      if (line_start && c == '#') directive = true;
      line_start = false;
      if (c == '/' && i + 1 < out_.size() && out_[i + 1] == '/') {
        i = out_.find('\n', i);
        if (i == std::string::npos) break;
        continue;
      }
      if (c == '/' && i + 1 < out_.size() && out_[i + 1] == '*') {
        size_t end = out_.find("*/", i + 2);
        i = end == std::string::npos ? out_.size() : end + 2;
        continue;
      }
      if (c == '"' || c == '\'') {
        i = skip_literal(i);
        if (!directive) last_ = '"';
        continue;
      }
      if (!ident_start(c)) {
        if (!directive) last_ = c;
        ++i;
        continue;
      }
      size_t end = i;
      while (end < out_.size() && ident_char(out_[end])) ++end;
      std::string_view name(out_.data() + i, end - i);
      if (directive) {
        if (defining_ == 1) note_definition(name, i);
        defining_ = name == "define" ? 1 : 0;
      } else {
        rewrite(i, end, name);
        last_ = 'a';
      }
      i = end;
    }
    if (!changed_) return std::nullopt;
    return std::move(out_);
  }

 private:
  size_t skip_literal(size_t i) {
    char quote = out_[i];
    for (size_t k = i + 1; k < out_.size(); ++k) {
      if (out_[k] == '\\') ++k;
      else if (out_[k] == quote || out_[k] == '\n') return k + 1;
    }
    return out_.size();
  }

  size_t next_visible(size_t i) const {
    while (i < out_.size() && std::isspace(static_cast<unsigned char>(out_[i]))) ++i;
    return i;
  }

  // The index just past the `)` matching the `(` at `open`, or npos.
  size_t matching(size_t open) {
    int level = 0;
    for (size_t k = open; k < out_.size(); ++k) {
      char c = out_[k];
      if (c == '"' || c == '\'') {
        k = skip_literal(k) - 1;
        continue;
      }
      if (c == '(') ++level;
      if (c == ')' && --level == 0) return k + 1;
      if (c == ';' || c == '{' || c == '}') return std::string::npos;  // not an argument list
    }
    return std::string::npos;
  }

  void blank(size_t from, size_t to) {
    for (size_t k = from; k < to; ++k)
      if (out_[k] != '\n') out_[k] = ' ';
    changed_ = true;
  }

  // `#define NAME body`: whether the body jumps (break, return, goto, continue), which makes NAME a
  // statement that must not be blanked.
  void note_definition(std::string_view name, size_t at) {
    size_t end = at + name.size();
    if (end < out_.size() && out_[end] == '(') return;  // function-like
    size_t stop = end;
    while (stop < out_.size() && (out_[stop] != '\n' || out_[stop - 1] == '\\')) ++stop;
    std::string_view body(out_.data() + end, stop - end);
    for (std::string_view jump : {"break", "return", "goto", "continue"})
      if (body.find(jump) != std::string_view::npos) jumps_.emplace(name);
  }

  // An upper-case name alone on its line (`EXPECT_ABORT_BEGIN`), where a statement may start.
  bool alone_on_line(size_t begin, size_t end, std::string_view name) const {
    if (name.size() < 4) return false;
    for (char ch : name)
      if (!(std::isupper(static_cast<unsigned char>(ch)) || std::isdigit(static_cast<unsigned char>(ch)) || ch == '_')) return false;
    if (jumps_.count(std::string(name))) return false;
    if (last_ != ';' && last_ != '{' && last_ != '}' && last_ != ':' && last_ != ')') return false;
    size_t k = begin;
    while (k > 0 && (out_[k - 1] == ' ' || out_[k - 1] == '\t')) --k;
    if (k > 0 && out_[k - 1] != '\n') return false;
    k = end;
    while (k < out_.size() && (out_[k] == ' ' || out_[k] == '\t' || out_[k] == '\r')) ++k;
    if (k < out_.size() && out_[k] != '\n') return false;
    size_t after = next_visible(k);
    return after < out_.size() && (ident_start(out_[after]) || out_[after] == '}' || out_[after] == '{' || out_[after] == '#');
  }

  void rewrite(size_t begin, size_t end, std::string_view name) {
    size_t after = next_visible(end);
    bool call = after < out_.size() && out_[after] == '(';
    if (!call && alone_on_line(begin, end, name)) {
      blank(begin, end);
      return;
    }
    if (call && name == "va_arg") {
      // `va_arg(ap, char *)`: a type is no expression; the value is unknown anyway.
      size_t close = matching(after);
      if (close == std::string::npos) return;
      size_t comma = std::string::npos;
      int level = 0;
      for (size_t k = after; k < close; ++k) {
        level += out_[k] == '(' ? 1 : out_[k] == ')' ? -1 : 0;
        if (out_[k] == ',' && level == 1) comma = k;
      }
      if (comma == std::string::npos || comma + 2 > close - 1) return;
      blank(comma + 1, close - 1);
      out_[comma + 1] = '0';
      return;
    }
    if (!defined_empty_.empty() && defined_empty_.count(std::string(name))) {
      size_t close = call ? matching(after) : std::string::npos;
      blank(begin, close == std::string::npos ? end : close);
      return;
    }
    if (in(kAttributeWords, name) && !call) {
      blank(begin, end);
      return;
    }
    if (in(kAttributeCalls, name) && call) {
      size_t close = matching(after);
      if (close != std::string::npos) blank(begin, close);
      return;
    }
    if (call && loop_macro(name) && name.size() >= 5) {
      size_t close = matching(after);
      if (close == std::string::npos) return;
      size_t body = next_visible(close);
      // The loop's body: a block or a statement (never `;`, `)` or an operator: then it was a call).
      if (body >= out_.size() || (out_[body] != '{' && !ident_start(out_[body]))) return;
      // At the start of a statement: after `;`, a brace, a label, a condition or `else`/`do`.
      if (last_ != ';' && last_ != '{' && last_ != '}' && last_ != ':' && last_ != ')' && last_ != 'a' && last_ != 0)
        return;
      out_.replace(begin, 5, "while");
      blank(begin + 5, end);
    }
  }

  std::string out_;
  const std::unordered_set<std::string>& defined_empty_;
  bool changed_ = false;
  char last_ = 0;        // the last character of code seen (outside comments and directives)
  int defining_ = 0;     // 1 right after `#define`
  std::unordered_set<std::string> jumps_;  // object-like macros whose body jumps
};

}  // namespace

std::optional<std::string> without_macro_noise(std::string_view source, const std::unordered_set<std::string>& defined_empty) {
  return Cleaner(source, defined_empty).run();
}

bool noreturn_marker(std::string_view name) { return in(kNoreturnWords, name); }

}  // namespace c2py::analysis::c::flow
