#include "server/command_line.hpp"

#include <charconv>
#include <optional>
#include <string_view>

namespace c2py::server {

const char* const kHelpText = R"(c2py-lsp: teaches C and Python memory management in your editor.

Usage:
  c2py-lsp [--stdio] [--log-level LEVEL]    serve LSP over stdin/stdout (the default)
  c2py-lsp --check [OPTIONS] PATH...        print what an editor would show for each C or
                                            Python file; folders are searched (skipping .git,
                                            hidden and build folders, and what .gitignore names)
  c2py-lsp --version | --help

Options (each takes `--opt value` or `--opt=value`):
  --log-level LEVEL       error, warn, info (default) or debug; logs go to stderr
  --output-format FORMAT  with --check: text (default), json, sarif (SARIF 2.1.0, for code
                          scanning) or github (GitHub Actions annotations)
  --json                  the same as --output-format json
  --diagnostics-only      with --check: no inlay hints or hovers (sarif and github never have them)
  --full-hovers           with --check text: each hover's whole text, not only its first line
  --fail-on SEVERITY      with --check: exit with status 3 when a finding is at or above
                          SEVERITY: error, warning, information, hint or none. Default: none
                          for text and json, warning for sarif and github
  --python-version V      with --check: 3.11, 3.12 (default) or 3.13
  -j N, --jobs N          with --check: files analysed at once (default: the number of cores)
  -I DIR                  with --check: also look for the C files' `#include`d headers in DIR
                          (added to the -I folders of compile_commands.json / compile_flags.txt)
  -D NAME[=VALUE]         with --check: define a macro for the C files, as a compiler's -D does
                          (also NAME(a,b)=BODY)

Exit status: 0 on success; with --check, 1 when a file cannot be read, is not C or Python, or
has syntax errors, else 3 when findings reach --fail-on; 2 on bad usage.
)";

namespace {

std::optional<OutputFormat> parse_format(std::string_view name) {
  if (name == "text") return OutputFormat::Text;
  if (name == "json") return OutputFormat::Json;
  if (name == "sarif") return OutputFormat::Sarif;
  if (name == "github") return OutputFormat::Github;
  return std::nullopt;
}

std::optional<int> parse_severity(std::string_view name) {
  if (name == "none") return 0;
  if (name == "error") return 1;
  if (name == "warning") return 2;
  if (name == "information" || name == "info") return 3;
  if (name == "hint") return 4;
  return std::nullopt;
}

std::optional<unsigned> parse_jobs(std::string_view text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 256) return std::nullopt;
  return value;
}

bool takes_value(std::string_view option) {
  return option == "--log-level" || option == "--python-version" || option == "--output-format" ||
         option == "--fail-on" || option == "--jobs" || option == "-j";
}

// Applies one option with its value; returns an error message, or "" when it is fine.
std::string apply(CommandLine& line, std::string_view option, std::string_view value) {
  auto& check = line.check;
  if (option == "--log-level") {
    auto level = parse_log_level(value);
    if (!level) return "unknown log level '" + std::string(value) + "' (error, warn, info, debug)";
    line.log_level = *level;
  } else if (option == "--python-version") {
    if (value != "3.11" && value != "3.12" && value != "3.13") return "--python-version must be 3.11, 3.12 or 3.13";
    check.python_version = std::string(value);
  } else if (option == "--output-format") {
    auto format = parse_format(value);
    if (!format) return "--output-format must be text, json, sarif or github";
    check.format = *format;
  } else if (option == "--fail-on") {
    auto severity = parse_severity(value);
    if (!severity) return "--fail-on must be error, warning, information, hint or none";
    check.fail_on = *severity;
  } else if (option == "--jobs" || option == "-j") {
    auto jobs = parse_jobs(value);
    if (!jobs) return std::string(option) + " needs a number from 1 to 256";
    check.jobs = *jobs;
  }
  return {};
}

}  // namespace

CommandLine parse_command_line(const std::vector<std::string>& args) {
  CommandLine line;
  auto usage = [&line](std::string message) {
    line.mode = CommandLine::Mode::Usage;
    line.error = std::move(message);
    return line;
  };
  bool check = false, only_paths = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (only_paths || arg == "-" || arg.empty() || arg[0] != '-') {
      line.check.paths.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      only_paths = true;
      continue;
    }
    // --opt=value, and -jN in the manner of make.
    std::string_view option = arg;
    std::optional<std::string_view> value;
    if (auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string_view::npos) {
      option = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    } else if (arg.size() > 2 && arg.rfind("-j", 0) == 0) {
      option = "-j";
      value = arg.substr(2);
    }
    // -I DIR, -IDIR, -D NAME, -DNAME=V: a compiler's spelling.
    if (!value && arg.size() >= 2 && arg[0] == '-' && arg[1] != '-' && (arg[1] == 'I' || arg[1] == 'D')) {
      std::string given;
      if (arg.size() > 2) given = std::string(arg.substr(2));
      else if (i + 1 < args.size()) given = args[++i];
      else return usage(std::string(arg) + " needs a value");
      if (given.empty()) return usage(std::string(arg.substr(0, 2)) + " needs a value");
      (arg[1] == 'I' ? line.check.project.include_dirs : line.check.project.macros).push_back(given);
      continue;
    }
    if (takes_value(option)) {
      if (!value) {
        if (i + 1 >= args.size()) return usage(std::string(option) + " needs a value");
        value = args[++i];
      }
      if (auto problem = apply(line, option, *value); !problem.empty()) return usage(problem);
      continue;
    }
    if (value) return usage(std::string(option) + " takes no value");
    if (option == "--help" || option == "-h") {
      line.mode = CommandLine::Mode::Help;
      return line;
    } else if (option == "--version") {
      line.mode = CommandLine::Mode::Version;
      return line;
    } else if (option == "--stdio") {
    } else if (option == "--check") {
      check = true;
    } else if (option == "--json") {
      line.check.format = OutputFormat::Json;
    } else if (option == "--diagnostics-only") {
      line.check.diagnostics_only = true;
    } else if (option == "--full-hovers") {
      line.check.full_hovers = true;
    } else {
      return usage("unknown option " + std::string(option) + " (see --help)");
    }
  }
  if (check) {
    if (line.check.paths.empty()) return usage("--check needs at least one file or folder");
    line.mode = CommandLine::Mode::Check;
  } else if (!line.check.paths.empty()) {
    return usage("files are only taken with --check");
  }
  return line;
}

}  // namespace c2py::server
