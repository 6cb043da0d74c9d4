// Which files `--check` reads: the files named, and the C and Python files under the folders named,
// in a stable order. Folders are walked without recursion; .git, hidden folders, build folders
// (named build*, cmake-build-*, node_modules, __pycache__, or holding a CMakeCache.txt) and what the
// .gitignore files of the folder and of its parents up to the repository's root name are skipped.
#pragma once

#include <string>
#include <vector>

namespace c2py::server {

struct FileList {
  std::vector<std::string> files;     // as named, or the folder's path joined with the file's
  std::vector<std::string> problems;  // paths that do not exist
};

FileList collect_files(const std::vector<std::string>& paths);

// The absolute file:// URI of a path (made absolute against the current directory), with the
// bytes outside RFC 3986's unreserved set and '/' percent-encoded.
std::string file_uri(const std::string& path);
// `path` made absolute and normal ("a/./b/../c" is "a/c"), without a trailing '/'.
std::string absolute_path(const std::string& path);
// The bytes of `path` outside RFC 3986's unreserved set and '/' percent-encoded.
std::string percent_encode_path(const std::string& path);

// Gitignore patterns of one file, matched against paths relative to its folder.
class IgnoreRules {
 public:
  void add_file(const std::string& gitignore_path, const std::string& base);  // base: absolute folder
  void add_pattern(const std::string& line, const std::string& base);
  // `path` absolute; true when the last rule that matches it is not a negation.
  bool ignored(const std::string& path, bool is_dir) const;
  bool empty() const { return rules_.empty(); }

 private:
  struct Rule {
    std::string base, pattern;
    bool negate = false, dir_only = false, anchored = false;
  };
  std::vector<Rule> rules_;
};

}  // namespace c2py::server
