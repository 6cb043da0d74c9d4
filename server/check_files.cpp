#include "server/check_files.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <system_error>

namespace c2py::server {

namespace fs = std::filesystem;

namespace {

bool analysable(const fs::path& path) {
  auto ext = path.extension().string();
  return ext == ".c" || ext == ".h" || ext == ".py";
}

bool skipped_folder(const fs::path& dir) {
  std::string name = dir.filename().string();
  if (name.empty() || name[0] == '.') return true;  // .git, .venv, .tox, .cache ...
  if (name == "node_modules" || name == "__pycache__" || name.rfind("build", 0) == 0 ||
      name.rfind("cmake-build-", 0) == 0)
    return true;
  std::error_code ec;
  return fs::exists(dir / "CMakeCache.txt", ec);
}

std::string absolute_normal(const fs::path& path) {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  if (ec) abs = path;
  std::string out = abs.lexically_normal().string();
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

// The .gitignore rules that apply above `dir`: those of its parents up to the folder holding .git.
IgnoreRules parent_rules(const std::string& dir) {
  std::vector<fs::path> parents;
  std::error_code ec;
  for (fs::path p = fs::path(dir).parent_path(); !p.empty(); p = p.parent_path()) {
    parents.push_back(p);
    if (fs::exists(p / ".git", ec) || p == p.root_path()) break;
  }
  // Only inside a repository do the parents' rules apply.
  if (parents.empty() || !fs::exists(parents.back() / ".git", ec)) return {};
  IgnoreRules rules;
  for (auto it = parents.rbegin(); it != parents.rend(); ++it)
    rules.add_file((*it / ".gitignore").string(), it->string());
  return rules;
}

void walk(const std::string& root, std::vector<std::string>& files) {
  struct Folder {
    std::string path;  // as the user would write it
    IgnoreRules rules;
  };
  std::vector<Folder> stack;
  stack.push_back({root, parent_rules(absolute_normal(root))});
  while (!stack.empty()) {
    Folder folder = std::move(stack.back());
    stack.pop_back();
    std::string abs = absolute_normal(folder.path);
    folder.rules.add_file(abs + "/.gitignore", abs);
    std::vector<std::pair<std::string, bool>> entries;  // name, is folder
    std::error_code ec;
    for (fs::directory_iterator it(folder.path, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code type_ec;
      bool is_dir = it->is_directory(type_ec) && !it->is_symlink(type_ec);
      bool is_file = !is_dir && it->is_regular_file(type_ec);
      if (is_dir || (is_file && analysable(it->path()))) entries.emplace_back(it->path().filename().string(), is_dir);
    }
    std::sort(entries.begin(), entries.end());
    std::vector<std::string> subfolders;
    std::string prefix = folder.path == "." ? "" : folder.path + (folder.path.back() == '/' ? "" : "/");
    for (const auto& [name, is_dir] : entries) {
      if (folder.rules.ignored(abs + "/" + name, is_dir)) continue;
      if (!is_dir) files.push_back(prefix + name);
      else if (!skipped_folder(fs::path(folder.path) / name)) subfolders.push_back(prefix + name);
    }
    // Files of a folder first, then its subfolders in name order (pushed in reverse: a stack).
    for (auto it = subfolders.rbegin(); it != subfolders.rend(); ++it) stack.push_back({*it, folder.rules});
  }
}

}  // namespace

void IgnoreRules::add_file(const std::string& gitignore_path, const std::string& base) {
  std::ifstream in(gitignore_path);
  std::string line;
  while (std::getline(in, line)) add_pattern(line, base);
}

void IgnoreRules::add_pattern(const std::string& raw, const std::string& base) {
  std::string line = raw;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  while (!line.empty() && line.back() == ' ' && (line.size() < 2 || line[line.size() - 2] != '\\')) line.pop_back();
  if (line.empty() || line[0] == '#') return;
  Rule rule;
  rule.base = base;
  if (line[0] == '!') {
    rule.negate = true;
    line.erase(0, 1);
  } else if (line[0] == '\\') {
    line.erase(0, 1);
  }
  if (!line.empty() && line.back() == '/') {
    rule.dir_only = true;
    line.pop_back();
  }
  if (line.rfind("**/", 0) == 0 && line.find('/', 3) == std::string::npos) line.erase(0, 3);
  rule.anchored = line.find('/') != std::string::npos;
  if (!line.empty() && line[0] == '/') line.erase(0, 1);
  if (line.empty()) return;
  rule.pattern = line;
  rules_.push_back(std::move(rule));
}

bool IgnoreRules::ignored(const std::string& path, bool is_dir) const {
  bool result = false;
  for (const auto& rule : rules_) {
    if (rule.dir_only && !is_dir) continue;
    if (path.size() <= rule.base.size() || path.compare(0, rule.base.size(), rule.base) != 0 ||
        path[rule.base.size()] != '/')
      continue;
    std::string relative = path.substr(rule.base.size() + 1);
    bool match;
    if (rule.anchored) {
      // "a/**/b" and "a/**": `**` crosses folders; without it `*` stays within one.
      int flags = rule.pattern.find("**") != std::string::npos ? 0 : FNM_PATHNAME;
      match = fnmatch(rule.pattern.c_str(), relative.c_str(), flags) == 0;
    } else {
      std::string name = relative.substr(relative.rfind('/') + 1);
      match = fnmatch(rule.pattern.c_str(), name.c_str(), 0) == 0;
    }
    if (match) result = !rule.negate;
  }
  return result;
}

FileList collect_files(const std::vector<std::string>& paths) {
  FileList list;
  std::set<std::string> seen;
  for (const auto& path : paths) {
    std::error_code ec;
    std::vector<std::string> found;
    if (fs::is_directory(path, ec)) walk(path, found);
    else if (fs::exists(path, ec)) found.push_back(path);
    else list.problems.push_back(path);
    for (auto& file : found)
      if (seen.insert(absolute_normal(file)).second) list.files.push_back(std::move(file));
  }
  return list;
}

std::string absolute_path(const std::string& path) { return absolute_normal(path); }

std::string percent_encode_path(const std::string& path) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string file_uri(const std::string& path) { return "file://" + percent_encode_path(absolute_normal(path)); }

}  // namespace c2py::server
