// c2py-lsp: a language server over stdio, or `--check FILE...` to print what an editor shows.
#include <csignal>
#include <cstring>
#include <iostream>
#include <thread>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include "server/command_line.hpp"
#include "server/log.hpp"
#include "server/lsp_server.hpp"

namespace {

int serve(c2py::server::Logger& logger) {
  std::signal(SIGPIPE, SIG_IGN);
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
  // stdin may be a regular file or a pipe; a plain blocking reader works for both (epoll cannot
  // watch regular files), and hands bytes to the I/O thread in order.
  std::thread reader([&io, &server] {
    char buffer[1 << 16];
    while (true) {
      ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      asio::post(io, [&server, &io, bytes = std::string(buffer, static_cast<size_t>(n))] {
        server.on_bytes(bytes);
        if (server.exit_code()) io.stop();
      });
    }
    asio::post(io, [&server, &io] {
      server.on_end_of_input();
      io.stop();
    });
  });
  reader.detach();  // it may stay blocked in read() after `exit`; the process ends anyway
  io.run();
  return server.exit_code().value_or(1);
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
