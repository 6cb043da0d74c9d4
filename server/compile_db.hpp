// The compile flags a C file is built with, found as clangd finds them: walking up from the file's
// folder, the first folder holding `compile_commands.json` (also in its `build/` subfolder) or
// `compile_flags.txt`. Only what tells the analysis about the project is kept: include folders
// (`-I`, `-iquote`), macros (`-D`, `-U`) and forced includes (`-include`); system folders
// (`-isystem`, the compiler's own) are never read.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace c2py::server {

struct CompileFlags {
  std::string origin;                     // the file the flags came from ("" when none was found)
  std::vector<std::string> quote_dirs;    // -iquote: for `#include "x.h"` only
  std::vector<std::string> include_dirs;  // -I: for `#include "x.h"` and `#include <x.h>`
  // -D and -U in order, as written: "DNAME=V", "UNAME" (the first letter says which).
  std::vector<std::string> macro_ops;
  std::vector<std::string> forced_includes;  // -include, absolute
};

// The flags of one command line (`arguments` of an entry, or the lines of compile_flags.txt);
// relative paths are taken from `directory`.
CompileFlags flags_from_arguments(const std::vector<std::string>& args, const std::string& directory);

// A `command` string split as a POSIX shell would (quotes, backslashes).
std::vector<std::string> split_command(std::string_view command);

// The flags of `path` in a compile_commands.json text: its own entry, else the entry of the file
// nearest to it in the folder tree (a header, a file the build does not list). Nullopt when the
// text is no compile database or has no entry.
std::optional<CompileFlags> flags_from_database(std::string_view json_text, const std::string& path);

// -D/-U operations resolved: each name's last definition unless a later -U removed it, in the
// order of first definition, in the `-D` syntax ("NAME", "NAME=V").
std::vector<std::string> resolve_macros(const std::vector<std::string>& macro_ops);

}  // namespace c2py::server
