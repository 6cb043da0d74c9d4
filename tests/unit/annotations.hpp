// Test inputs that carry their own expectations, in the manner of clangd's Annotations:
//   ^            a point            $name^          a named point
//   [[ ... ]]    a range            $name[[ ... ]]  a named range
// code() is the text with the marks removed; offsets are bytes into it.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "syntax/syntax.hpp"

namespace c2py::testing {

class Annotations {
 public:
  explicit Annotations(std::string_view marked) {
    std::vector<std::pair<std::string, uint32_t>> open;
    std::string pending_name;
    for (size_t i = 0; i < marked.size(); ++i) {
      if (marked[i] == '$') {
        size_t j = i + 1;
        while (j < marked.size() && (std::isalnum(static_cast<unsigned char>(marked[j])) || marked[j] == '_')) ++j;
        if (j < marked.size() && (marked[j] == '^' || marked.substr(j, 2) == "[[")) {
          pending_name = std::string(marked.substr(i + 1, j - i - 1));
          i = j - 1;
          continue;
        }
      }
      if (marked[i] == '^') {
        points_[pending_name].push_back(static_cast<uint32_t>(code_.size()));
        pending_name.clear();
        continue;
      }
      if (marked.substr(i, 2) == "[[") {
        open.emplace_back(pending_name, static_cast<uint32_t>(code_.size()));
        pending_name.clear();
        ++i;
        continue;
      }
      if (marked.substr(i, 2) == "]]" && !open.empty()) {
        auto [name, begin] = open.back();
        open.pop_back();
        ranges_[name].push_back({begin, static_cast<uint32_t>(code_.size())});
        ++i;
        continue;
      }
      code_ += marked[i];
    }
    if (!open.empty()) throw std::invalid_argument("unclosed [[ in annotated test input");
  }

  const std::string& code() const { return code_; }
  uint32_t point(const std::string& name = "") const { return one(points_, name); }
  syntax::ByteRange range(const std::string& name = "") const { return one(ranges_, name); }
  std::vector<uint32_t> points(const std::string& name = "") const { return all(points_, name); }
  std::vector<syntax::ByteRange> ranges(const std::string& name = "") const { return all(ranges_, name); }

 private:
  template <typename T>
  static T one(const std::map<std::string, std::vector<T>>& table, const std::string& name) {
    auto it = table.find(name);
    if (it == table.end() || it->second.size() != 1)
      throw std::invalid_argument("expected exactly one annotation named '" + name + "'");
    return it->second.front();
  }
  template <typename T>
  static std::vector<T> all(const std::map<std::string, std::vector<T>>& table, const std::string& name) {
    auto it = table.find(name);
    return it == table.end() ? std::vector<T>{} : it->second;
  }

  std::string code_;
  std::map<std::string, std::vector<uint32_t>> points_;
  std::map<std::string, std::vector<syntax::ByteRange>> ranges_;
};

}  // namespace c2py::testing
