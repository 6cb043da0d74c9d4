// c2py-lsp: a language server over stdio, or `--check FILE...` to print what an editor shows.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include "server/command_line.hpp"
#include "server/log.hpp"
#include "server/lsp_server.hpp"
#include "server/stdin_reader.hpp"

namespace {

int serve(c2py::server::Logger& logger) {
  std::signal(SIGPIPE, SIG_IGN);
#if defined(__GLIBC__)
  // Two malloc arenas for the process (the I/O thread's and one the reader and the workers
  // share) instead of one per thread: memory one worker frees is reused by the other, not kept
  // resident for its owner only. 10k-line Python file, 10 runs each, alternating: peak RSS median
  // 29.0 -> 28.4 MB, first diagnostics and edits unchanged within the noise (most allocations
  // of a worker come from its own tcache, without the arena's lock). See ARCHITECTURE.md.
  mallopt(M_ARENA_MAX, 2);
#endif
  asio::io_context io;
  auto work = asio::make_work_guard(io);
  bool output_broken = false;
  auto write = [&](std::string framed) {
    if (output_broken) return;
    const char* data = framed.data();
    size_t left = framed.size();
    while (left > 0) {
      ssize_t n = ::write(STDOUT_FILENO, data, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        output_broken = true;
        logger.log(c2py::server::LogLevel::Error, "stdout closed; stopping");
        io.stop();
        return;
      }
      data += n;
      left -= static_cast<size_t>(n);
    }
  };
  c2py::server::LanguageServer server(io, write, logger);
  c2py::server::StdinReader reader(
      io, STDIN_FILENO,
      [&server, &io](std::string_view bytes) {
        server.on_bytes(bytes);
        if (server.exit_code()) io.stop();
      },
      [&server, &io] {
        server.on_end_of_input();
        io.stop();
      },
      [&server] { return server.backlog_bytes(); });
  io.run();
  reader.stop();
  int code = server.exit_code().value_or(1);
  // `exit` ends the process promptly whatever is running: analyses are told to stop, and one that
  // does not stop within the grace period is abandoned with the process (its output is unsent
  // diagnostics nobody waits for; everything already answered was written synchronously).
  if (!server.stop_workers(std::chrono::milliseconds(50))) std::_Exit(code);
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  using c2py::server::CommandLine;
  auto line = c2py::server::parse_command_line(std::vector<std::string>(argv + 1, argv + argc));
  switch (line.mode) {
    case CommandLine::Mode::Help: std::cout << c2py::server::kHelpText; return 0;
    case CommandLine::Mode::Version: std::cout << "c2py-lsp " << C2PY_VERSION << "\n"; return 0;
    case CommandLine::Mode::Usage: std::cerr << "c2py-lsp: " << line.error << "\n"; return 2;
    case CommandLine::Mode::Check: {
      c2py::server::Logger logger(line.log_level);
      return c2py::server::run_check(line.check, std::cout, std::cerr, logger);
    }
    case CommandLine::Mode::Serve: break;
  }
  c2py::server::Logger logger(line.log_level);
  return serve(logger);
}
