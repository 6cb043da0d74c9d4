// Conversions between byte offsets (what analyzers use) and LSP positions in the negotiated
// encoding. Invalid UTF-8 counts one code unit per bad byte, so every offset maps somewhere.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace c2py::server {

enum class Encoding { UTF8, UTF16, UTF32 };
std::string_view encoding_name(Encoding encoding);

struct Position {
  uint32_t line = 0;
  uint32_t character = 0;
};

class LineIndex {
 public:
  LineIndex() = default;
  explicit LineIndex(std::string_view text);
  uint32_t line_count() const { return static_cast<uint32_t>(starts_.size()); }
  uint32_t line_start(uint32_t line) const { return starts_.at(line); }
  // Byte offset of a position. A character past the end of its line clamps to the line's end; a
  // line past the last clamps to the end of the text (LSP 3.17 asks servers to be lenient).
  uint32_t offset(Position position, Encoding encoding, std::string_view text) const;
  Position position(uint32_t offset, Encoding encoding, std::string_view text) const;
  // After the bytes [begin, end) of the indexed text were replaced, making `text`: updates the
  // index to equal LineIndex(text), rescanning only the lines the change touched (the others'
  // starts and checkpoints move by the change in length).
  void replace(uint32_t begin, uint32_t end, std::string_view text);
  friend bool operator==(const LineIndex&, const LineIndex&) = default;

 private:
  // Counting code units from a line's start is linear in the column, which is quadratic over a
  // one-line file of megabytes. Long lines keep a checkpoint every kCheckpointBytes: the units
  // counted from the line's start up to that byte (a sequence boundary).
  static constexpr uint32_t kCheckpointBytes = 4096;
  struct Checkpoint {
    uint32_t byte = 0;
    uint32_t utf16 = 0;
    uint32_t utf32 = 0;
    friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
  };
  // Indexes text[from, to), `from` being a line start: appends the line starts after `from` and
  // before `to` (and `to` itself if `start_at_to` and a line ends there), and the checkpoints.
  void scan(std::string_view text, uint32_t from, uint32_t to, bool start_at_to);
  // The latest checkpoint at or before `offset` on the line starting at `line_start` (or the start).
  Checkpoint checkpoint_before(uint32_t line_start, uint32_t offset) const;
  // The latest checkpoint of [line_start, line_end) whose count in `encoding` is ≤ `units`.
  Checkpoint checkpoint_within(uint32_t line_start, uint32_t line_end, uint32_t units, Encoding encoding) const;

  std::vector<uint32_t> starts_{0};
  std::vector<Checkpoint> checkpoints_;  // sorted by byte
  uint32_t size_ = 0;
};

}  // namespace c2py::server
