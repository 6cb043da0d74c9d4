#include <doctest/doctest.h>

#include <string>

#include "server/position.hpp"

using c2py::server::Encoding;
using c2py::server::LineIndex;
using c2py::server::Position;

TEST_CASE("positions round-trip in every encoding on lines with é, 中 and emoji") {
  std::string text = "a\né中😀x\r\nlast";
  LineIndex lines(text);
  CHECK(lines.line_count() == 3);
  uint32_t x = static_cast<uint32_t>(text.find('x'));
  CHECK(lines.position(x, Encoding::UTF8, text).character == 2 + 3 + 4);
  CHECK(lines.position(x, Encoding::UTF16, text).character == 1 + 1 + 2);
  CHECK(lines.position(x, Encoding::UTF32, text).character == 3);
  for (auto encoding : {Encoding::UTF8, Encoding::UTF16, Encoding::UTF32}) {
    auto p = lines.position(x, encoding, text);
    CHECK(lines.offset(p, encoding, text) == x);
  }
}

TEST_CASE("positions past the end clamp to the line or the file") {
  std::string text = "ab\ncd\n";
  LineIndex lines(text);
  CHECK(lines.offset({0, 99}, Encoding::UTF16, text) == 2);  // before the newline
  CHECK(lines.offset({99, 0}, Encoding::UTF16, text) == text.size());
  CHECK(lines.offset({2, 0}, Encoding::UTF16, text) == text.size());
}

TEST_CASE("a position inside a surrogate pair stays before the character") {
  std::string text = "😀x";
  LineIndex lines(text);
  CHECK(lines.offset({0, 1}, Encoding::UTF16, text) == 0);
  CHECK(lines.offset({0, 2}, Encoding::UTF16, text) == 4);
}

TEST_CASE("invalid UTF-8 counts one unit per bad byte") {
  std::string text = "a\xff\xfe" "b";
  LineIndex lines(text);
  CHECK(lines.position(3, Encoding::UTF16, text).character == 3);
  CHECK(lines.offset({0, 3}, Encoding::UTF16, text) == 3);
  std::string truncated = "\xe4\xb8";  // half of 中
  LineIndex t(truncated);
  CHECK(t.position(2, Encoding::UTF32, truncated).character == 2);
}

TEST_CASE("lone carriage returns end lines, as LSP says") {
  std::string text = "a\rb\r\nc";
  LineIndex lines(text);
  CHECK(lines.line_count() == 3);
  CHECK(lines.offset({2, 0}, Encoding::UTF8, text) == 5);
}

TEST_CASE("an index updated by replacements equals a fresh index of the new text") {
  // Line ends of every kind, split and joined by edits ("\r" + "\n"), multi-byte and invalid
  // bytes, and lines long enough to hold checkpoints (every 4 KiB).
  const char* const pieces[] = {"a", "é", "中", "😀", "\n", "\r", "\r\n", "\xff", "\xe4", "\xb8", " "};
  uint64_t seed = 88172645463325252ull;
  auto next = [&](uint64_t n) {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return n ? seed % n : 0;
  };
  auto piece_text = [&](size_t count, bool long_lines) {
    std::string out;
    for (size_t i = 0; i < count; ++i) {
      size_t k = next(std::size(pieces));
      if (long_lines && (k == 4 || k == 5 || k == 6) && next(50) != 0) k = 0;  // few line ends
      out += pieces[k];
    }
    return out;
  };
  for (int round = 0; round < 40; ++round) {
    bool long_lines = round % 4 == 0;
    std::string text = piece_text(long_lines ? 6000 : 200, long_lines);
    LineIndex lines(text);
    for (int edit = 0; edit < 60; ++edit) {
      uint32_t begin = static_cast<uint32_t>(next(text.size() + 1));
      uint32_t end = begin + static_cast<uint32_t>(next(std::min<size_t>(text.size() - begin, 40) + 1));
      std::string inserted = piece_text(next(long_lines && next(3) == 0 ? 3000 : 8), long_lines);
      text.replace(begin, end - begin, inserted);
      lines.replace(begin, end, text);
      REQUIRE(lines == LineIndex(text));
    }
  }
}
