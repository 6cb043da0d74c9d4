// (a) The transport and dispatch fed raw bytes: a client that initialized and opened a C and a
// Python document, then sends anything. The server must write only well-framed JSON, answer or
// cancel every request it took (unless the bytes said `exit`), and never crash.
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <thread>

#include <asio/io_context.hpp>

#include "server/lsp_server.hpp"

namespace {

using c2py::server::FrameReader;
using c2py::server::json;

std::string framed(const json& message) { return c2py::server::frame(message); }

const std::string& prelude() {
  static const std::string bytes = [] {
    std::string out;
    out += framed({{"jsonrpc", "2.0"}, {"id", 0}, {"method", "initialize"}, {"params", {{"capabilities", json::object()}}}});
    out += framed({{"jsonrpc", "2.0"}, {"method", "initialized"}, {"params", json::object()}});
    out += framed({{"jsonrpc", "2.0"}, {"method", "textDocument/didOpen"},
                   {"params", {{"textDocument", {{"uri", "file:///a.c"}, {"languageId", "c"}, {"version", 1},
                                                 {"text", "#include <stdlib.h>\nint main(void) {\n  int *p = malloc(4);\n  free(p);\n  return *p;\n}\n"}}}}}});
    out += framed({{"jsonrpc", "2.0"}, {"method", "textDocument/didOpen"},
                   {"params", {{"textDocument", {{"uri", "file:///a.py"}, {"languageId", "python"}, {"version", 1},
                                                 {"text", "a = [1, 2]\nb = a\ndel a\nb.append(3)\n"}}}}}});
    return out;
  }();
  return bytes;
}

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_transport: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  asio::io_context io;
  std::string written;
  c2py::server::Logger logger(c2py::server::LogLevel::Error);
  {
    c2py::server::LanguageServer server(io, [&](std::string bytes) { written += bytes; }, logger, 1);
    server.on_bytes(prelude());
    // Fed in pieces, as a pipe delivers them: the first byte says how big.
    std::string_view input(reinterpret_cast<const char*>(data), size);
    size_t piece = size > 0 ? 1 + data[0] % 97 : 1;
    for (size_t at = 0; at < input.size() && !server.exit_code(); at += piece) server.on_bytes(input.substr(at, piece));
    // Let the workers finish: bounded by rounds, not by a clock reading.
    for (int round = 0; round < 200'000; ++round) {
      io.restart();
      size_t ran = io.poll();
      if (ran == 0 && (server.exit_code() || server.requests_in_flight() == 0)) break;
      if (ran == 0) std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
    if (!server.exit_code() && server.requests_in_flight() != 0) fail("a request was never answered");
    server.stop_workers(std::chrono::seconds(60));
  }
  // Everything written is framed JSON.
  FrameReader reader(1u << 30);
  reader.feed(written);
  while (auto item = reader.next()) {
    auto* frame = std::get_if<FrameReader::Frame>(&*item);
    if (!frame) fail("the server wrote a bad frame");
    if (json::parse(frame->body, nullptr, false).is_discarded()) fail("the server wrote invalid JSON");
  }
  if (reader.buffered() != 0) fail("the server wrote a partial frame");
  return 0;
}
