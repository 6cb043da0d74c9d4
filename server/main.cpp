// c2py-lsp: a language server over stdio, or `--check FILE...` to print what an editor shows.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include "server/check_mode.hpp"
#include "server/log.hpp"
#include "server/lsp_server.hpp"
#include "server/stdin_reader.hpp"

namespace {

constexpr const char* kHelp = R"(c2py-lsp: teaches C and Python memory management in your editor.

Usage:
  c2py-lsp [--stdio] [--log-level LEVEL]      serve LSP over stdin/stdout (the default)
  c2py-lsp --check [--json] [--python-version V] FILE...
                                               print the diagnostics, inlay hints and hovers an
                                               editor would show for each C or Python file
  c2py-lsp --version | --help

Options:
  --log-level LEVEL     error, warn, info (default) or debug; logs go to stderr
  --json                with --check: one JSON document for machines
  --python-version V    with --check: 3.11, 3.12 (default) or 3.13

Exit status: 0 on success; with --check, 1 when a file cannot be read or parsed; 2 on bad usage.
)";

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
  c2py::server::StdinReader reader(
      io, STDIN_FILENO,
      [&server, &io](std::string_view bytes) {
        server.on_bytes(bytes);
        if (server.exit_code()) io.stop();
      },
      [&server, &io] {
        server.on_end_of_input();
        io.stop();
      });
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
  std::vector<std::string> args(argv + 1, argv + argc);
  c2py::server::LogLevel level = c2py::server::LogLevel::Info;
  bool check = false;
  c2py::server::CheckOptions check_options;
  for (size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kHelp;
      return 0;
    } else if (arg == "--version") {
      std::cout << "c2py-lsp " << C2PY_VERSION << "\n";
      return 0;
    } else if (arg == "--stdio") {
    } else if (arg == "--check") {
      check = true;
    } else if (arg == "--json") {
      check_options.json = true;
    } else if (arg == "--log-level" || arg == "--python-version") {
      if (i + 1 >= args.size()) {
        std::cerr << "c2py-lsp: " << arg << " needs a value\n";
        return 2;
      }
      const auto& value = args[++i];
      if (arg == "--log-level") {
        auto parsed = c2py::server::parse_log_level(value);
        if (!parsed) {
          std::cerr << "c2py-lsp: unknown log level '" << value << "' (error, warn, info, debug)\n";
          return 2;
        }
        level = *parsed;
      } else {
        if (value != "3.11" && value != "3.12" && value != "3.13") {
          std::cerr << "c2py-lsp: --python-version must be 3.11, 3.12 or 3.13\n";
          return 2;
        }
        check_options.python_version = value;
      }
    } else if (arg.rfind("--", 0) == 0 && arg.size() > 2) {
      std::cerr << "c2py-lsp: unknown option " << arg << " (see --help)\n";
      return 2;
    } else {
      check_options.files.push_back(arg);
    }
  }
  c2py::server::Logger logger(level);
  if (check) {
    if (check_options.files.empty()) {
      std::cerr << "c2py-lsp: --check needs at least one file\n";
      return 2;
    }
    return c2py::server::run_check(check_options, std::cout, logger);
  }
  if (!check_options.files.empty()) {
    std::cerr << "c2py-lsp: files are only taken with --check\n";
    return 2;
  }
  return serve(logger);
}
