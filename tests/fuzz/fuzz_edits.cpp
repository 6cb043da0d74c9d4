// (d) Edit consistency: a document opened and changed by random incremental edits (multi-byte and
// astral characters, CRLF and lone CR line ends, ranges past line ends and inside surrogate pairs,
// several changes per notification, whole-text replacements) must end with exactly the answers a
// fresh open of the same text gives: diagnostics, hints, hovers, actions and heap snapshots.
// The expected text comes from a model of the client's buffer in UTF-16, as editors keep it.
#include <cstdio>
#include <cstdlib>
#include <future>
#include <string>
#include <vector>

#include <asio/thread_pool.hpp>

#include "fuzz_support.hpp"

namespace {

using c2py::server::Position;
using c2py::server::TextChange;

const char* const kFragments[] = {
    "int *p = malloc(4);", "free(p);", "p[0] = 1;", "char *s = strdup(t);", "q = realloc(q, 8);",
    "void f(void) {", "}", "{", "(", ")", ";", "\n", "\r\n", "\r", " ", "    ", "é", "中", "😀", "x",
    "return 0;", "def f(a):", "a = [1, 2]", "b = a", "del a", "a.append(3)", "s += 'x'", "for i in range(3):",
    "#if X", "#endif", "/*", "*/", "\"", "'", "class N:", "self.n = None", "import gc", "gc.collect()",
    "int a[4]; a[9] = 0;", "[[0] * 3] * 4", "#define F(x)", "static char buf[8]; free(buf);", "if (!p) return;",
};
constexpr size_t kFragmentCount = sizeof kFragments / sizeof kFragments[0];

std::u16string utf16(std::string_view utf8) {
  std::u16string out;
  for (size_t i = 0; i < utf8.size();) {
    auto b = static_cast<unsigned char>(utf8[i]);
    uint32_t cp = b, n = 1;
    if (b >= 0xF0) cp = b & 0x07, n = 4;
    else if (b >= 0xE0) cp = b & 0x0F, n = 3;
    else if (b >= 0xC0) cp = b & 0x1F, n = 2;
    for (uint32_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    i += n;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out += static_cast<char16_t>(0xD800 + (cp >> 10));
      out += static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
    } else {
      out += static_cast<char16_t>(cp);
    }
  }
  return out;
}

std::string utf8(const std::u16string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    uint32_t cp = text[i];
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < text.size()) cp = 0x10000 + ((cp - 0xD800) << 10) + (text[++i] - 0xDC00);
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

bool is_line_end(char16_t c) { return c == u'\n' || c == u'\r'; }

// Where the client's buffer puts (line, character), by LSP's rules: \n, \r\n and \r end lines; a
// character past the line's end is its end; a line past the last is the end of the text; inside a
// surrogate pair is before it.
size_t model_offset(const std::u16string& text, Position p) {
  size_t start = 0;
  for (uint32_t line = 0; line < p.line; ++line) {
    size_t end = start;
    while (end < text.size() && !is_line_end(text[end])) ++end;
    if (end >= text.size()) return text.size();
    start = end + ((text[end] == u'\r' && end + 1 < text.size() && text[end + 1] == u'\n') ? 2 : 1);
  }
  size_t end = start;
  while (end < text.size() && !is_line_end(text[end])) ++end;
  size_t at = std::min<size_t>(start + p.character, end);
  if (at > start && at < text.size() && text[at] >= 0xDC00 && text[at] <= 0xDFFF && text[at - 1] >= 0xD800 &&
      text[at - 1] <= 0xDBFF)
    --at;
  return at;
}

struct Bytes {
  const uint8_t* data;
  size_t size, at = 0;
  bool empty() const { return at >= size; }
  uint8_t next() { return at < size ? data[at++] : 0; }
};

std::string fragments(Bytes& in, size_t count) {
  std::string out;
  for (size_t i = 0; i < count && !in.empty(); ++i) out += kFragments[in.next() % kFragmentCount];
  return out;
}

c2py::server::SnapshotPtr newest(c2py::server::DocumentStore& store, const std::string& uri) {
  std::promise<c2py::server::SnapshotPtr> ready;
  auto result = ready.get_future();
  store.when_current(uri, [&ready](c2py::server::SnapshotPtr snapshot) { ready.set_value(std::move(snapshot)); });
  return result.get();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2 || size > 4096) return 0;
  Bytes in{data, size};
  auto language = in.next() % 2 ? c2py::syntax::Language::Python : c2py::syntax::Language::C;
  std::string initial = fragments(in, in.next() % 40);
  std::u16string model = utf16(initial);
  const std::string uri = "file:///fuzz";

  asio::thread_pool pool(1);
  c2py::server::DocumentStore store(pool, nullptr);
  store.open(uri, language, 1, initial);
  for (int64_t version = 2; !in.empty() && version < 200; ++version) {
    std::vector<TextChange> changes;
    size_t count = 1 + in.next() % 3;
    for (size_t c = 0; c < count && !in.empty(); ++c) {
      uint8_t kind = in.next();
      TextChange change;
      change.text = fragments(in, in.next() % 4);
      if (kind % 16 == 0) {  // the whole text
        model = utf16(change.text);
      } else {
        Position start{static_cast<uint32_t>(in.next() % 24), static_cast<uint32_t>(in.next() % 48)};
        Position end{start.line + in.next() % 3, static_cast<uint32_t>(in.next() % 48)};
        size_t a = model_offset(model, start), b = model_offset(model, end);
        if (b < a) std::swap(a, b);
        model.replace(a, b - a, utf16(change.text));
        change.range = std::make_pair(start, end);
      }
      changes.push_back(std::move(change));
    }
    std::string error;
    store.change(uri, version, changes, c2py::server::Encoding::UTF16, error);
  }
  auto edited = newest(store, uri);
  std::string expected = utf8(model);
  if (!edited || *edited->text != expected) {
    std::fprintf(stderr, "fuzz_edits: the server's text differs from the client's\nserver: %s\nclient: %s\n",
                 edited ? edited->text->c_str() : "(none)", expected.c_str());
    std::abort();
  }
  auto fresh = c2py::fuzz::fresh_snapshot(language, expected);
  auto got = c2py::fuzz::everything(*edited, c2py::server::Encoding::UTF16, 3);
  auto want = c2py::fuzz::everything(*fresh, c2py::server::Encoding::UTF16, 3);
  if (got != want) {
    std::fprintf(stderr, "fuzz_edits: answers after edits differ from a fresh open of the same text\ntext: %s\n"
                 "after edits: %s\nfresh open:  %s\n",
                 expected.c_str(), got.dump().c_str(), want.dump().c_str());
    std::abort();
  }
  pool.stop();
  pool.join();
  return 0;
}
