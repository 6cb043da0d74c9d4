#include "server/json_rpc.hpp"

#include <cctype>
#include <charconv>

namespace c2py::server {

bool FrameReader::resynchronize() {
  static constexpr std::string_view kHeader = "content-length";
  for (size_t i = 0; i + kHeader.size() <= buffer_.size(); ++i) {
    size_t k = 0;
    while (k < kHeader.size() && std::tolower(static_cast<unsigned char>(buffer_[i + k])) == kHeader[k]) ++k;
    if (k == kHeader.size()) {
      buffer_.erase(0, i);
      resync_ = false;
      return true;
    }
  }
  // Keep a tail that may be the start of a header split across reads.
  if (buffer_.size() > kHeader.size()) buffer_.erase(0, buffer_.size() - kHeader.size());
  return false;
}

std::optional<FrameReader::Item> FrameReader::next() {
  if (resync_ && !resynchronize()) return std::nullopt;
  size_t header_end = buffer_.find("\r\n\r\n");
  if (header_end == std::string::npos) {
    // A header block never grows this large; drop garbage so memory stays bounded.
    if (buffer_.size() > size_t{64} * 1024) {
      buffer_.clear();
      return FramingError{"header block over 64 KiB without a blank line; input discarded"};
    }
    return std::nullopt;
  }
  std::string_view headers(buffer_.data(), header_end);
  std::optional<size_t> length;
  std::string problem;
  while (!headers.empty()) {
    size_t eol = headers.find("\r\n");
    std::string_view line = headers.substr(0, eol);
    headers.remove_prefix(eol == std::string_view::npos ? headers.size() : eol + 2);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      problem = "header line without ':'";
      continue;
    }
    std::string name(line.substr(0, colon));
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    if (name == "content-length") {
      size_t parsed = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
      if (ec != std::errc() || end != value.data() + value.size()) problem = "Content-Length is not a number";
      else length = parsed;
    }
  }
  if (!length) {
    buffer_.erase(0, header_end + 4);
    resync_ = true;
    return FramingError{problem.empty() ? "message without a Content-Length header" : problem};
  }
  if (*length > max_body_) {
    // Skipping that many bytes would swallow every later message if the length is a lie (and
    // wait for a body that may never come if it is not): look for the next header instead.
    buffer_.erase(0, header_end + 4);
    resync_ = true;
    return FramingError{"Content-Length " + std::to_string(*length) + " exceeds the limit of " +
                        std::to_string(max_body_) + " bytes; skipping to the next message"};
  }
  if (buffer_.size() < header_end + 4 + *length) return std::nullopt;
  Frame frame{buffer_.substr(header_end + 4, *length)};
  buffer_.erase(0, header_end + 4 + *length);
  // A large message (a didOpen of a big file) grew the buffer: give the room back rather than
  // keep it for the life of the process.
  if (buffer_.capacity() > size_t{64} * 1024 && buffer_.size() < buffer_.capacity() / 4) buffer_.shrink_to_fit();
  return frame;
}

bool nesting_within(std::string_view body, size_t limit) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < body.size(); ++i) {
    char ch = body[i];
    if (in_string) {
      if (ch == '\\') ++i;
      else if (ch == '"') in_string = false;
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      if (++depth > limit) return false;
    } else if ((ch == ']' || ch == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}

namespace {

// The value of the \uXXXX escape at body[i] (body[i] == '\\'), if it is one.
std::optional<unsigned> unicode_escape(std::string_view body, size_t i) {
  if (i + 6 > body.size() || body[i] != '\\' || body[i + 1] != 'u') return std::nullopt;
  unsigned value = 0;
  auto [end, ec] = std::from_chars(body.data() + i + 2, body.data() + i + 6, value, 16);
  if (ec != std::errc() || end != body.data() + i + 6) return std::nullopt;
  return value;
}

bool is_high(unsigned u) { return u >= 0xD800 && u <= 0xDBFF; }
bool is_low(unsigned u) { return u >= 0xDC00 && u <= 0xDFFF; }

}  // namespace

std::optional<std::string> replace_lone_surrogates(std::string_view body) {
  std::string out;
  bool changed = false, in_string = false;
  size_t copied = 0;
  for (size_t i = 0; i < body.size(); ++i) {
    char ch = body[i];
    if (!in_string) {
      in_string = ch == '"';
      continue;
    }
    if (ch == '"') {
      in_string = false;
      continue;
    }
    if (ch != '\\') continue;
    auto unit = unicode_escape(body, i);
    if (!unit) {
      ++i;  // skip the escaped character (it may be a quote or a backslash)
      continue;
    }
    if (is_high(*unit)) {
      auto next = unicode_escape(body, i + 6);
      if (next && is_low(*next)) {  // a proper pair: keep both
        i += 11;
        continue;
      }
    } else if (!is_low(*unit)) {
      i += 5;
      continue;
    }
    out.append(body.substr(copied, i - copied)).append("\\ufffd");
    copied = i + 6;
    i += 5;
    changed = true;
  }
  if (!changed) return std::nullopt;
  out.append(body.substr(copied));
  return out;
}

std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string frame(const json& message) { return frame_text(dump(message)); }

std::string frame_text(const std::string& body) {
  return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace c2py::server
