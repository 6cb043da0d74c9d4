// The project around a C file, read for its analysis (analysis::ProjectContext): the compile
// flags (server/compile_db.*) plus the user's own (`--check -I/-D`, the `c2py.c.macros` setting),
// and the same-project headers the file includes, found as a compiler finds them (`#include "x.h"`:
// the file's folder, then -iquote, then -I folders; `#include <x.h>`: -I folders only; never the
// system's). Bounded: depth, number and bytes of headers. Files are cached by path, size and
// modification time; an open document's text wins over the disk's. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "c/project/imports.hpp"
#include "check.hpp"
#include "server/compile_db.hpp"

namespace c2py::server {

// What the user adds to every file's flags.
struct ProjectOptions {
  std::vector<std::string> include_dirs;  // --check -I DIR
  std::vector<std::string> macros;        // --check -D NAME[=V], c2py.c.macros: `-D` syntax
  friend bool operator==(const ProjectOptions&, const ProjectOptions&) = default;
};

// The local path of a `file://` URI (percent-decoded), or "" for any other scheme.
std::string path_from_uri(std::string_view uri);

class ProjectReader {
 public:
  // Bounds on what one file's context may read.
  static constexpr size_t kMaxDepth = 8;
  static constexpr size_t kMaxHeaders = 64;
  static constexpr size_t kMaxHeaderBytes = 1u << 20;
  static constexpr size_t kMaxTotalBytes = 8u << 20;

  // An open document's text for a path, or null (then the disk is read).
  using OpenText = std::function<std::shared_ptr<const std::string>(const std::string& path)>;

  // The context of the C file at `path` whose text is `text`. Null when there is nothing to add.
  std::shared_ptr<const analysis::ProjectContext> context_for(const std::string& path, std::string_view text,
                                                              const ProjectOptions& options,
                                                              const OpenText& open_text = {});

  // The flags of `path` (compile_commands.json or compile_flags.txt above it), cached.
  CompileFlags flags_for(const std::string& path);

 private:
  struct CachedFile {
    int64_t mtime = 0;
    uintmax_t size = 0;
    std::shared_ptr<const std::string> text;  // null: could not be read
  };
  // The text of a file through the cache (null if it is not a readable regular file).
  std::shared_ptr<const std::string> read(const std::string& path, size_t limit);

  std::mutex mutex_;
  std::shared_ptr<analysis::c::project::ImportCache> memo_ = std::make_shared<analysis::c::project::ImportCache>();
  std::map<std::string, CachedFile> files_;
  std::map<std::string, std::pair<CachedFile, std::optional<CompileFlags>>> databases_;  // by db path + file
};

}  // namespace c2py::server
