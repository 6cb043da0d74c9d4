#include <doctest/doctest.h>

#include "server/json_rpc.hpp"

using c2py::server::FrameReader;

namespace {
std::string body_of(std::optional<FrameReader::Item> item) {
  REQUIRE(item);
  auto* frame = std::get_if<FrameReader::Frame>(&*item);
  REQUIRE(frame);
  return frame->body;
}
bool is_error(const std::optional<FrameReader::Item>& item) {
  return item && std::holds_alternative<FrameReader::FramingError>(*item);
}
}  // namespace

TEST_CASE("frames split across reads are reassembled") {
  FrameReader reader;
  std::string message = c2py::server::frame({{"jsonrpc", "2.0"}, {"method", "x"}});
  for (char ch : message.substr(0, message.size() - 1)) {
    reader.feed(std::string_view(&ch, 1));
    CHECK_FALSE(reader.next());
  }
  reader.feed(message.substr(message.size() - 1));
  CHECK(body_of(reader.next()) == R"({"jsonrpc":"2.0","method":"x"})");
}

TEST_CASE("two frames in one read, header names in any case, extra headers") {
  FrameReader reader;
  reader.feed("content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}"
              "Content-Length:3\r\n\r\n[1]");
  CHECK(body_of(reader.next()) == "{}");
  CHECK(body_of(reader.next()) == "[1]");
  CHECK_FALSE(reader.next());
}

TEST_CASE("a bad header is reported and the next frame still read") {
  FrameReader reader;
  reader.feed("Content-Length: x\r\n\r\n{}garbage Content-Length: 2\r\n\r\n{}");
  CHECK(is_error(reader.next()));
  CHECK(body_of(reader.next()) == "{}");
}

TEST_CASE("an oversized body is skipped without buffering it") {
  FrameReader reader(10);
  reader.feed("Content-Length: 20\r\n\r\n0123456789");
  CHECK(is_error(reader.next()));
  reader.feed("0123456789Content-Length: 2\r\n\r\nok");
  CHECK(body_of(reader.next()) == "ok");
}

TEST_CASE("a huge Content-Length does not swallow the messages after it") {
  // 2^28 bytes announced, none sent: the next message must still be read.
  FrameReader reader(1u << 20);
  reader.feed("Content-Length: 268435456\r\n\r\nContent-Length: 2\r\n\r\nok");
  CHECK(is_error(reader.next()));
  CHECK(body_of(reader.next()) == "ok");
}

TEST_CASE("lone surrogate escapes become U+FFFD; pairs and other escapes stay") {
  using c2py::server::replace_lone_surrogates;
  CHECK_FALSE(replace_lone_surrogates(R"({"t": "a\u00e9\ud83d\ude00\\ud800"})"));
  CHECK(*replace_lone_surrogates(R"({"t": "a\ud800b"})") == R"({"t": "a\ufffdb"})");
  CHECK(*replace_lone_surrogates(R"({"t": "\udc00\ud800"})") == R"({"t": "\ufffd\ufffd"})");
  CHECK(*replace_lone_surrogates(R"({"t": "\ud800\u0041"})") == R"({"t": "\ufffd\u0041"})");
  auto repaired = replace_lone_surrogates(R"({"t": "x\ud800y"})");
  CHECK(nlohmann::json::parse(*repaired)["t"] == "x\xEF\xBF\xBDy");
}

TEST_CASE("output never throws on invalid UTF-8") {
  nlohmann::json value = std::string("a\xff");
  CHECK(c2py::server::dump(value) == "\"a\xEF\xBF\xBD\"");
}

TEST_CASE("nesting depth is measured outside strings") {
  using c2py::server::nesting_within;
  CHECK(nesting_within(R"({"a": [[1]]})", 3));
  CHECK_FALSE(nesting_within(R"({"a": [[1]]})", 2));
  CHECK(nesting_within(R"({"a": "[[[[[[\"[[["})", 1));
  CHECK(nesting_within(std::string(100000, '[') + std::string(100000, ']'), 100000));
}
