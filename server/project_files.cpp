#include "server/project_files.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

namespace c2py::server {

namespace fs = std::filesystem;

std::string path_from_uri(std::string_view uri) {
  constexpr std::string_view kScheme = "file://";
  if (uri.rfind(kScheme, 0) != 0) return {};
  uri.remove_prefix(kScheme.size());
  if (!uri.empty() && uri[0] != '/') {
    size_t slash = uri.find('/');  // file://host/path: only the local host
    if (slash == std::string_view::npos || uri.substr(0, slash) != "localhost") return {};
    uri.remove_prefix(slash);
  }
  std::string out;
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && std::isxdigit(static_cast<unsigned char>(uri[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(uri[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(uri.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else if (uri[i] == '?' || uri[i] == '#') {
      break;
    } else {
      out += uri[i];
    }
  }
  return out;
}

namespace {

struct Include {
  std::string name;
  bool quoted;
};

// The `#include "x"` and `#include <x>` lines of a text, outside comments, in order.
std::vector<Include> includes_of(std::string_view text) {
  std::vector<Include> out;
  bool in_comment = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    size_t i = 0;
    auto skip_space = [&] {
      while (i < line.size()) {
        if (in_comment) {
          size_t end = line.find("*/", i);
          if (end == std::string_view::npos) {
            i = line.size();
            return;
          }
          in_comment = false;
          i = end + 2;
        } else if (line[i] == ' ' || line[i] == '\t' || line[i] == '\r') {
          ++i;
        } else if (line.substr(i, 2) == "/*") {
          in_comment = true;
          i += 2;
        } else {
          return;
        }
      }
    };
    skip_space();
    if (i < line.size() && line[i] == '#') {
      ++i;
      skip_space();
      if (line.substr(i, 7) == "include") {
        i += 7;
        skip_space();
        if (i < line.size() && (line[i] == '"' || line[i] == '<')) {
          char close = line[i] == '"' ? '"' : '>';
          size_t end = line.find(close, i + 1);
          if (end != std::string_view::npos && end > i + 1)
            out.push_back({std::string(line.substr(i + 1, end - i - 1)), close == '"'});
        }
      }
    }
    // A block comment opened later on the line (rare before a directive) is still tracked. The
    // scan jumps from one '/' (or "*/" inside a comment) to the next: every included header's
    // text passes here once per file that includes it.
    for (size_t k = i; k < line.size();) {
      if (in_comment) {
        size_t end = line.find("*/", k);
        if (end == std::string_view::npos) break;
        in_comment = false;
        k = end + 2;
        continue;
      }
      size_t slash = line.find('/', k);
      if (slash == std::string_view::npos || slash + 1 >= line.size() || line[slash + 1] == '/') break;
      if (line[slash + 1] == '*') {
        in_comment = true;
        k = slash + 2;
      } else {
        k = slash + 1;
      }
    }
  }
  return out;
}

std::string normal(const fs::path& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  return (ec ? p : abs).lexically_normal().string();
}

bool regular_file(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

}  // namespace

std::shared_ptr<const std::string> ProjectReader::read(const std::string& path, size_t limit) {
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (ec || !fs::is_regular_file(status)) return nullptr;
  uintmax_t size = fs::file_size(path, ec);
  if (ec || size > limit) return nullptr;
  int64_t mtime = static_cast<int64_t>(fs::last_write_time(path, ec).time_since_epoch().count());
  {
    std::lock_guard lock(mutex_);
    if (auto it = files_.find(path); it != files_.end() && it->second.mtime == mtime && it->second.size == size)
      return it->second.text;
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (!in) return nullptr;
  auto text = std::make_shared<const std::string>(buffer.str());
  std::lock_guard lock(mutex_);
  if (files_.size() > 2048) files_.clear();
  files_[path] = {mtime, size, text};
  return text;
}

CompileFlags ProjectReader::flags_for(const std::string& path) {
  std::error_code ec;
  for (fs::path dir = fs::path(normal(path)).parent_path(); !dir.empty(); dir = dir.parent_path()) {
    for (const fs::path& db : {dir / "compile_commands.json", dir / "build" / "compile_commands.json"}) {
      if (!fs::is_regular_file(db, ec)) continue;
      auto text = read(db.string(), 256u << 20);
      if (!text) continue;
      // The parse of one database is cached per (database text, file).
      std::string key = db.string() + '\n' + path;
      {
        std::lock_guard lock(mutex_);
        if (auto it = databases_.find(key); it != databases_.end() && it->second.first.text == text) {
          if (it->second.second) return *it->second.second;
          continue;
        }
      }
      auto flags = flags_from_database(*text, normal(path));
      if (flags) flags->origin = db.string();
      std::lock_guard lock(mutex_);
      if (databases_.size() > 4096) databases_.clear();
      databases_[key] = {CachedFile{0, 0, text}, flags};
      if (flags) return *flags;
    }
    fs::path txt = dir / "compile_flags.txt";
    if (fs::is_regular_file(txt, ec)) {
      auto text = read(txt.string(), 1u << 20);
      if (text) {
        std::vector<std::string> args;
        std::istringstream lines(*text);
        for (std::string line; std::getline(lines, line);) {
          while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
          if (!line.empty()) args.push_back(line);
        }
        auto flags = flags_from_arguments(args, dir.string());
        flags.origin = txt.string();
        return flags;
      }
    }
    if (dir == dir.root_path()) break;
  }
  return {};
}

std::shared_ptr<const analysis::ProjectContext> ProjectReader::context_for(const std::string& path, std::string_view text,
                                                                           const ProjectOptions& options,
                                                                           const OpenText& open_text) {
  CompileFlags flags = path.empty() ? CompileFlags{} : flags_for(path);
  auto context = std::make_shared<analysis::ProjectContext>();
  std::vector<std::string> ops = flags.macro_ops;
  for (const auto& macro : options.macros) ops.push_back("D" + macro);
  context->macros = resolve_macros(ops);
  std::vector<std::string> include_dirs = flags.include_dirs;
  for (const auto& dir : options.include_dirs) include_dirs.push_back(normal(dir));

  // Depth-first, each header once, in the order a preprocessor ends reading them (a header's own
  // includes before it), so that each sees the definitions it relies on.
  std::set<std::string> seen;
  size_t total = 0;
  if (!path.empty()) seen.insert(normal(path));
  auto text_of = [&](const std::string& file) -> std::shared_ptr<const std::string> {
    if (open_text)
      if (auto open = open_text(file)) return open->size() <= kMaxHeaderBytes ? open : nullptr;
    return read(file, kMaxHeaderBytes);
  };
  auto resolve = [&](const Include& inc, const std::string& from_dir) -> std::string {
    if (fs::path(inc.name).is_absolute()) return {};  // not the project's to say
    std::vector<std::string> dirs;
    if (inc.quoted) {
      dirs.push_back(from_dir);
      dirs.insert(dirs.end(), flags.quote_dirs.begin(), flags.quote_dirs.end());
    }
    dirs.insert(dirs.end(), include_dirs.begin(), include_dirs.end());
    for (const auto& dir : dirs) {
      if (dir.empty()) continue;
      std::string candidate = normal(fs::path(dir) / inc.name);
      if (regular_file(candidate) || (open_text && open_text(candidate))) return candidate;
    }
    return {};
  };
  struct Frame {
    std::string file;
    std::shared_ptr<const std::string> text;
    std::vector<Include> includes;
    size_t next = 0;
  };
  auto visit = [&](std::vector<Frame>& stack, const std::string& file, std::shared_ptr<const std::string> body) {
    auto includes = includes_of(*body);
    stack.push_back({file, std::move(body), std::move(includes), 0});
  };
  auto walk = [&](std::vector<Frame>& stack) {
    while (!stack.empty()) {
      Frame& top = stack.back();
      if (top.next == top.includes.size() || stack.size() > kMaxDepth) {
        if (!top.file.empty()) context->headers.push_back({top.file, top.text});
        stack.pop_back();
        continue;
      }
      Include inc = top.includes[top.next++];
      if (context->headers.size() + stack.size() > kMaxHeaders) continue;
      std::string dir = top.file.empty() ? (path.empty() ? std::string() : fs::path(normal(path)).parent_path().string())
                                         : fs::path(top.file).parent_path().string();
      std::string found = resolve(inc, dir);
      if (found.empty() || !seen.insert(found).second) continue;
      auto body = text_of(found);
      if (!body || total + body->size() > kMaxTotalBytes) continue;
      total += body->size();
      visit(stack, found, std::move(body));
    }
  };
  for (const auto& forced : flags.forced_includes) {
    if (!seen.insert(forced).second) continue;
    auto body = text_of(forced);
    if (!body || total + body->size() > kMaxTotalBytes) continue;
    total += body->size();
    std::vector<Frame> stack;
    visit(stack, forced, std::move(body));
    walk(stack);
  }
  {
    std::vector<Frame> stack;
    stack.push_back({"", nullptr, includes_of(text), 0});
    walk(stack);
  }
  if (context->empty()) return nullptr;
  context->memo = memo_;
  return context;
}

}  // namespace c2py::server
