#include "c/project/imports.hpp"

#include <cctype>

namespace c2py::analysis::c::project {
namespace {

bool identifier(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_') return false;
  return true;
}

}  // namespace

std::string macros_as_source(const std::vector<std::string>& macros) {
  std::string out;
  for (const auto& macro : macros) {
    std::string_view text = macro;
    size_t eq = text.find('=');
    std::string_view head = text.substr(0, eq);
    std::string_view body = eq == std::string_view::npos ? std::string_view("1") : text.substr(eq + 1);
    size_t paren = head.find('(');
    std::string_view name = head.substr(0, paren);
    if (!identifier(name)) continue;
    if (paren != std::string_view::npos) {
      // NAME(a,b): the parameters must be names (or `...`) and close the head.
      std::string_view params = head.substr(paren);
      if (params.back() != ')') continue;
      bool ok = true;
      for (char ch : params.substr(1, params.size() - 2))
        if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != ',' && ch != ' ' && ch != '.') ok = false;
      if (!ok) continue;
    }
    if (body.find('\n') != std::string_view::npos || body.find('\r') != std::string_view::npos) continue;
    out += "#define ";
    out += head;
    if (!body.empty()) {
      out += ' ';
      out += body;
    }
    out += '\n';
  }
  return out;
}

}  // namespace c2py::analysis::c::project
