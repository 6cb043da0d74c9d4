// JSON-RPC 2.0 framing with LSP's Content-Length headers, independent of any I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

namespace c2py::server {

using json = nlohmann::json;

// Error codes of JSON-RPC 2.0 and LSP 3.17.
namespace error_code {
inline constexpr int ParseError = -32700;
inline constexpr int InvalidRequest = -32600;
inline constexpr int MethodNotFound = -32601;
inline constexpr int InvalidParams = -32602;
inline constexpr int InternalError = -32603;
inline constexpr int ServerNotInitialized = -32002;
inline constexpr int RequestFailed = -32803;
inline constexpr int ServerCancelled = -32802;
inline constexpr int ContentModified = -32801;
inline constexpr int RequestCancelled = -32800;
}  // namespace error_code

// An error a handler reports to the client as a response error.
struct RequestError {
  int code;
  std::string message;
};

// Splits a byte stream into message bodies. Malformed headers are reported and skipped up to the
// next header block, so one bad frame never loses the rest of the stream.
class FrameReader {
 public:
  struct Frame {
    std::string body;
  };
  struct FramingError {
    std::string message;
  };
  using Item = std::variant<Frame, FramingError>;

  // Maximum body accepted; a larger Content-Length is an error and its body is skipped.
  // 128 MiB holds the JSON of a 60 MB document; a larger announced length is taken for a lie.
  explicit FrameReader(size_t max_body = 128u << 20) : max_body_(max_body) {}
  void feed(std::string_view bytes) { buffer_.append(bytes); }
  // Bytes received and not yet returned as frames.
  size_t buffered() const { return buffer_.size(); }
  // The next complete frame or error, if any.
  std::optional<Item> next();
  // After a frame whose body was not JSON the length may have been wrong: skip to the next
  // "Content-Length" header instead of reading leftover bytes as headers.
  void resync() { resync_ = true; }

 private:
  bool resynchronize();
  bool resync_ = false;
  std::string buffer_;
  size_t max_body_;
};

// JSON-RPC bodies nest a few levels; a parser that recursed through 100 000 brackets would
// overflow the stack, so deeper bodies are refused before parsing.
inline constexpr size_t kMaxJsonDepth = 512;
bool nesting_within(std::string_view body, size_t limit);

// JSON text may escape a lone UTF-16 surrogate (`"\ud800"`): JavaScript strings hold them, so
// editors send them, but no JSON parser that produces UTF-8 accepts them. Each such escape is
// replaced by `\ufffd`, which is one code unit in UTF-16 and UTF-32 and three bytes in UTF-8, as
// the surrogate would be: positions after it stay where the client counts them. Returns nothing
// when the body has none.
std::optional<std::string> replace_lone_surrogates(std::string_view body);

std::string frame(const json& message);
// Frames a body that is JSON text already.
std::string frame_text(const std::string& body);
// Serializes without throwing on invalid UTF-8 (replaced by U+FFFD).
std::string dump(const json& value);

}  // namespace c2py::server
