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

uint32_t count_in(const auto& checkpoint, Encoding encoding) {
  return encoding == Encoding::UTF16 ? checkpoint.utf16 : checkpoint.utf32;
}

}  // namespace

LineIndex::LineIndex(std::string_view text) : size_(static_cast<uint32_t>(text.size())) {
  scan(text, 0, size_, true);
}

void LineIndex::scan(std::string_view text, uint32_t from, uint32_t to, bool start_at_to) {
  uint32_t utf16 = 0, utf32 = 0, next_checkpoint = from + kCheckpointBytes;
  for (uint32_t i = from; i < to;) {
    // \n, \r\n and a lone \r all end a line, as LSP says.
    char ch = text[i];
    if (ch == '\n' || ch == '\r') {
      i += (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
      if (i < to || start_at_to) starts_.push_back(i);
      utf16 = utf32 = 0;
      next_checkpoint = i + kCheckpointBytes;
      continue;
    }
    if (i >= next_checkpoint) {
      checkpoints_.push_back({i, utf16, utf32});
      next_checkpoint = i + kCheckpointBytes;
    }
    uint32_t length = sequence_length(text, i);
    utf16 += units(length, Encoding::UTF16);
    utf32 += 1;
    i += length;
  }
}

void LineIndex::replace(uint32_t begin, uint32_t end, std::string_view text) {
  end = std::min(end, size_);
  begin = std::min(begin, end);
  const int64_t delta = static_cast<int64_t>(text.size()) - static_cast<int64_t>(size_);
  // Rescan from the last line start before `begin`: the bytes before it and at it are unchanged,
  // so it is still a line start (one at `begin` itself may not be: "\r" + inserted "\n").
  auto first = std::lower_bound(starts_.begin(), starts_.end(), begin);
  uint32_t from = first == starts_.begin() ? 0 : *std::prev(first);
  // ... up to the first old line start at or after end + 1: the byte before it and the byte at
  // it come after the change, so it is a line start of the new text too, `delta` away.
  auto kept = std::lower_bound(starts_.begin(), starts_.end(), end + 1);
  std::vector<uint32_t> after(kept, starts_.end());
  for (auto& start : after) start = static_cast<uint32_t>(start + delta);
  auto first_checkpoint = std::lower_bound(checkpoints_.begin(), checkpoints_.end(), from,
                                           [](const Checkpoint& c, uint32_t at) { return c.byte < at; });
  std::vector<Checkpoint> checkpoints_after;
  if (!after.empty()) {
    uint32_t old_start = *kept;
    auto moved = std::lower_bound(first_checkpoint, checkpoints_.end(), old_start,
                                  [](const Checkpoint& c, uint32_t at) { return c.byte < at; });
    checkpoints_after.assign(moved, checkpoints_.end());
    for (auto& c : checkpoints_after) c.byte = static_cast<uint32_t>(c.byte + delta);
  }
  starts_.erase(std::upper_bound(starts_.begin(), starts_.end(), from), starts_.end());
  checkpoints_.erase(first_checkpoint, checkpoints_.end());
  size_ = static_cast<uint32_t>(text.size());
  scan(text, from, after.empty() ? size_ : after.front(), after.empty());
  if (!after.empty()) starts_.insert(starts_.end(), after.begin(), after.end());
  checkpoints_.insert(checkpoints_.end(), checkpoints_after.begin(), checkpoints_after.end());
}

LineIndex::Checkpoint LineIndex::checkpoint_before(uint32_t line_start, uint32_t offset) const {
  auto it = std::upper_bound(checkpoints_.begin(), checkpoints_.end(), offset,
                             [](uint32_t at, const Checkpoint& c) { return at < c.byte; });
  if (it == checkpoints_.begin() || std::prev(it)->byte < line_start) return {line_start, 0, 0};
  return *std::prev(it);
}

LineIndex::Checkpoint LineIndex::checkpoint_within(uint32_t line_start, uint32_t line_end, uint32_t units_wanted,
                                                   Encoding encoding) const {
  auto first = std::lower_bound(checkpoints_.begin(), checkpoints_.end(), line_start,
                                [](const Checkpoint& c, uint32_t at) { return c.byte < at; });
  auto last = std::lower_bound(first, checkpoints_.end(), line_end,
                               [](const Checkpoint& c, uint32_t at) { return c.byte < at; });
  // Counts grow along a line: the last checkpoint not past `units_wanted`.
  auto it = std::upper_bound(first, last, units_wanted,
                             [&](uint32_t u, const Checkpoint& c) { return u < count_in(c, encoding); });
  if (it == first) return {line_start, 0, 0};
  return *std::prev(it);
}

uint32_t LineIndex::offset(Position position, Encoding encoding, std::string_view text) const {
  if (position.line >= starts_.size()) return size_;
  uint32_t begin = starts_[position.line];
  uint32_t end = position.line + 1 < starts_.size() ? starts_[position.line + 1] : size_;
  // Exclude the line terminator.
  while (end > begin && (text[end - 1] == '\n' || text[end - 1] == '\r')) --end;
  if (encoding == Encoding::UTF8) {
    uint32_t at = begin + std::min(position.character, end - begin);
    // Inside a valid sequence: stay before it (a stray continuation byte is a unit of its own).
    for (uint32_t lead = at; lead > begin && at - lead < 3;) {
      --lead;
      if ((static_cast<unsigned char>(text[lead]) & 0xC0) != 0x80) {
        if (sequence_length(text, lead) > at - lead) at = lead;
        break;
      }
    }
    return at;
  }
  Checkpoint from = checkpoint_within(begin, end, position.character, encoding);
  uint32_t at = from.byte, counted = count_in(from, encoding);
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
  if (encoding == Encoding::UTF8) return {line, offset - starts_[line]};
  Checkpoint from = checkpoint_before(starts_[line], offset);
  uint32_t at = from.byte, counted = count_in(from, encoding);
  while (at < offset) {
    uint32_t length = sequence_length(text, at);
    counted += units(length, encoding);
    at += length;
  }
  return {line, counted};
}

}  // namespace c2py::server
