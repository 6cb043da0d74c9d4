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
  if (skip_ > 0) {
    size_t n = std::min(skip_, buffer_.size());
    buffer_.erase(0, n);
    skip_ -= n;
    if (skip_ > 0) return std::nullopt;
  }
  if (resync_ && !resynchronize()) return std::nullopt;
  size_t header_end = buffer_.find("\r\n\r\n");
  if (header_end == std::string::npos) {
    // A header block never grows this large; drop garbage so memory stays bounded.
    if (buffer_.size() > 64 * 1024) {
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
    buffer_.erase(0, header_end + 4);
    skip_ = *length;
    return FramingError{"Content-Length " + std::to_string(*length) + " exceeds the limit of " +
                        std::to_string(max_body_) + " bytes; message skipped"};
  }
  if (buffer_.size() < header_end + 4 + *length) return std::nullopt;
  Frame frame{buffer_.substr(header_end + 4, *length)};
  buffer_.erase(0, header_end + 4 + *length);
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

std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string frame(const json& message) {
  std::string body = dump(message);
  return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace c2py::server
