#include "server/position.hpp"

#include <algorithm>

namespace c2py::server {

std::string_view encoding_name(Encoding encoding) {
  switch (encoding) {
    case Encoding::UTF8: return "utf-8";
    case Encoding::UTF16: return "utf-16";
    case Encoding::UTF32: return "utf-32";
  }
  return "utf-16";
}

LineIndex::LineIndex(std::string_view text) : size_(static_cast<uint32_t>(text.size())) {
  for (uint32_t i = 0; i < text.size(); ++i) {
    // \n, \r\n and a lone \r all end a line, as LSP says.
    if (text[i] == '\n') {
      starts_.push_back(i + 1);
    } else if (text[i] == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      starts_.push_back(i + 1);
    }
  }
}

namespace {

// Length in bytes of the UTF-8 sequence at `s[i]`, or 1 for an invalid byte.
uint32_t sequence_length(std::string_view s, size_t i) {
  auto byte = static_cast<unsigned char>(s[i]);
  uint32_t length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xE ? 3 : (byte >> 3) == 0x1E ? 4 : 1;
  if (i + length > s.size()) return 1;
  for (uint32_t k = 1; k < length; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 1;
  return length;
}

uint32_t units(uint32_t bytes, Encoding encoding) {
  switch (encoding) {
    case Encoding::UTF8: return bytes;
    case Encoding::UTF16: return bytes == 4 ? 2 : 1;
    case Encoding::UTF32: return 1;
  }
  return 1;
}

}  // namespace

uint32_t LineIndex::offset(Position position, Encoding encoding, std::string_view text) const {
  if (position.line >= starts_.size()) return size_;
  uint32_t begin = starts_[position.line];
  uint32_t end = position.line + 1 < starts_.size() ? starts_[position.line + 1] : size_;
  // Exclude the line terminator.
  while (end > begin && (text[end - 1] == '\n' || text[end - 1] == '\r')) --end;
  uint32_t at = begin, counted = 0;
  while (at < end && counted < position.character) {
    uint32_t length = sequence_length(text, at);
    uint32_t u = units(length, encoding);
    if (counted + u > position.character) break;  // inside a surrogate pair: stay before it
    counted += u;
    at += length;
  }
  return at;
}

Position LineIndex::position(uint32_t offset, Encoding encoding, std::string_view text) const {
  offset = std::min(offset, size_);
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - starts_.begin()) - 1;
  uint32_t at = starts_[line], counted = 0;
  while (at < offset) {
    uint32_t length = sequence_length(text, at);
    counted += units(length, encoding);
    at += length;
  }
  return {line, counted};
}

}  // namespace c2py::server
