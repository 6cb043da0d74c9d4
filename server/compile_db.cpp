#include "server/compile_db.hpp"

#include <filesystem>
#include <map>

#include <nlohmann/json.hpp>

namespace c2py::server {

namespace fs = std::filesystem;

namespace {

std::string normal(const fs::path& path, const std::string& directory) {
  fs::path p = path.is_absolute() ? path : fs::path(directory) / path;
  std::string out = p.lexically_normal().string();
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

}  // namespace

CompileFlags flags_from_arguments(const std::vector<std::string>& args, const std::string& directory) {
  CompileFlags flags;
  // Options that take a value, joined (`-Ifoo`) or as the next argument (`-I foo`).
  auto value_of = [&](size_t& i, std::string_view option) -> std::optional<std::string> {
    std::string_view arg = args[i];
    if (arg.rfind(option, 0) != 0) return std::nullopt;
    if (arg.size() > option.size()) return std::string(arg.substr(option.size()));
    if (i + 1 < args.size()) return args[++i];
    return std::nullopt;
  };
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg.empty() || arg[0] != '-') continue;
    if (arg.rfind("-include", 0) == 0 && arg != "-include-pch") {
      if (auto v = value_of(i, "-include")) flags.forced_includes.push_back(normal(*v, directory));
    } else if (arg.rfind("-iquote", 0) == 0) {
      if (auto v = value_of(i, "-iquote")) flags.quote_dirs.push_back(normal(*v, directory));
    } else if (arg.rfind("-isystem", 0) == 0 || arg.rfind("-idirafter", 0) == 0 || arg.rfind("-imacros", 0) == 0) {
      if (arg == "-isystem" || arg == "-idirafter" || arg == "-imacros") ++i;  // skip its value
    } else if (arg.rfind("-I", 0) == 0) {
      if (auto v = value_of(i, "-I")) flags.include_dirs.push_back(normal(*v, directory));
    } else if (arg.rfind("-D", 0) == 0) {
      if (auto v = value_of(i, "-D")) flags.macro_ops.push_back("D" + *v);
    } else if (arg.rfind("-U", 0) == 0) {
      if (auto v = value_of(i, "-U")) flags.macro_ops.push_back("U" + *v);
    }
  }
  return flags;
}

std::vector<std::string> split_command(std::string_view command) {
  std::vector<std::string> out;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < command.size(); ++i) {
    char c = command[i];
    if (quote) {
      if (c == quote) quote = 0;
      else if (c == '\\' && quote == '"' && i + 1 < command.size() &&
               (command[i + 1] == '"' || command[i + 1] == '\\' || command[i + 1] == '$'))
        word += command[++i];
      else word += c;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) out.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\'' || c == '"') quote = c;
    else if (c == '\\' && i + 1 < command.size()) word += command[++i];
    else word += c;
  }
  if (in_word) out.push_back(std::move(word));
  return out;
}

std::optional<CompileFlags> flags_from_database(std::string_view json_text, const std::string& path) {
  nlohmann::json db = nlohmann::json::parse(json_text, nullptr, false);
  if (!db.is_array()) return std::nullopt;
  const std::string wanted = fs::path(path).lexically_normal().string();
  const nlohmann::json* best = nullptr;
  size_t best_shared = 0;
  std::string best_directory;
  for (const auto& entry : db) {
    if (!entry.is_object() || !entry.contains("file") || !entry["file"].is_string()) continue;
    std::string directory = entry.contains("directory") && entry["directory"].is_string() ? entry["directory"].get<std::string>() : "";
    std::string file = normal(entry["file"].get<std::string>(), directory);
    if (file == wanted) {
      best = &entry;
      best_directory = directory;
      break;
    }
    // How many leading path components it shares with the wanted file (the nearest entry).
    size_t shared = 0;
    auto a = fs::path(file).parent_path(), b = fs::path(wanted).parent_path();
    for (auto ia = a.begin(), ib = b.begin(); ia != a.end() && ib != b.end() && *ia == *ib; ++ia, ++ib) ++shared;
    if (!best || shared > best_shared) {
      best = &entry;
      best_shared = shared;
      best_directory = directory;
    }
  }
  if (!best) return std::nullopt;
  std::vector<std::string> args;
  if (best->contains("arguments") && (*best)["arguments"].is_array()) {
    for (const auto& a : (*best)["arguments"])
      if (a.is_string()) args.push_back(a.get<std::string>());
  } else if (best->contains("command") && (*best)["command"].is_string()) {
    args = split_command((*best)["command"].get<std::string>());
  }
  return flags_from_arguments(args, best_directory);
}

std::vector<std::string> resolve_macros(const std::vector<std::string>& macro_ops) {
  std::vector<std::string> order;
  std::map<std::string, std::string> value;
  for (const auto& op : macro_ops) {
    if (op.size() < 2) continue;
    std::string text = op.substr(1);
    std::string name = text.substr(0, text.find_first_of("=("));
    if (op[0] == 'U') {
      value.erase(name);
      continue;
    }
    if (!value.count(name)) order.push_back(name);
    value[name] = text;
  }
  std::vector<std::string> out;
  for (const auto& name : order)
    if (auto it = value.find(name); it != value.end()) {
      out.push_back(it->second);
      value.erase(it);  // a name -U'd and defined again appears once
    }
  return out;
}

}  // namespace c2py::server
