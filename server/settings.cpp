#include "server/settings.hpp"

namespace c2py::server {

bool Settings::hint_enabled(analysis::HintKind kind) const {
  switch (kind) {
    case analysis::HintKind::Allocations: return hints_allocations;
    case analysis::HintKind::PythonEquivalents: return hints_python_equivalents;
    case analysis::HintKind::Refcounts: return hints_refcounts;
    case analysis::HintKind::Lifetimes: return hints_lifetimes;
    case analysis::HintKind::Sizes: return hints_sizes;
  }
  return true;
}

Settings parse_settings(const nlohmann::json& given, std::vector<std::string>& problems) {
  Settings settings;
  if (given.is_null()) return settings;
  if (!given.is_object()) {
    problems.emplace_back("c2py settings must be an object; using defaults");
    return settings;
  }
  // Some clients (Helix) send their whole configuration, the section under the key "c2py": its
  // keys are taken over any given beside it.
  nlohmann::json section = given;
  if (auto nested = given.find("c2py"); nested != given.end()) {
    section.erase("c2py");
    if (nested->is_object()) section.update(*nested);
    else if (!nested->is_null()) problems.emplace_back("setting c2py.c2py must be the c2py section (an object); ignored");
  }
  auto wrong = [&](const std::string& key, const char* expected) {
    problems.emplace_back("setting c2py." + key + " must be " + expected + "; keeping the default");
  };
  for (const auto& [key, value] : section.items()) {
    if (key == "pythonVersion") {
      if (value.is_string() && (value == "3.11" || value == "3.12" || value == "3.13"))
        settings.python_version = value.get<std::string>();
      else wrong(key, "\"3.11\", \"3.12\" or \"3.13\"");
    } else if (key == "inlayHints") {
      if (!value.is_object()) {
        wrong(key, "an object of booleans");
        continue;
      }
      for (const auto& [kind, on] : value.items()) {
        bool* target = kind == "allocations" ? &settings.hints_allocations
                       : kind == "pythonEquivalents" ? &settings.hints_python_equivalents
                       : kind == "refcounts" ? &settings.hints_refcounts
                       : kind == "lifetimes" ? &settings.hints_lifetimes
                       : kind == "sizes" ? &settings.hints_sizes
                                         : nullptr;
        if (!target) problems.push_back("unknown setting c2py.inlayHints." + kind);
        else if (!on.is_boolean()) wrong("inlayHints." + kind, "true or false");
        else *target = on.get<bool>();
      }
    } else if (key == "diagnostics") {
      if (value.is_object() && value.contains("enable") && value["enable"].is_boolean())
        settings.diagnostics_enable = value["enable"].get<bool>();
      else if (!value.is_object() || value.contains("enable")) wrong("diagnostics.enable", "true or false");
    } else if (key == "knowledgePaths") {
      if (!value.is_array()) {
        wrong(key, "a list of folder paths");
        continue;
      }
      for (const auto& path : value)
        if (path.is_string()) settings.knowledge_paths.push_back(path.get<std::string>());
        else wrong(key, "a list of folder paths");
    } else if (key == "model") {
      if (value.is_object() && value.contains("maxSteps") && value["maxSteps"].is_number_integer() &&
          value["maxSteps"].get<long>() > 0)
        settings.model_max_steps = value["maxSteps"].get<long>();
      else if (!value.is_object() || value.contains("maxSteps")) wrong("model.maxSteps", "a positive integer");
    } else if (key == "c") {
      if (!value.is_object()) {
        wrong(key, "an object");
        continue;
      }
      for (const auto& [name, list] : value.items()) {
        auto* target = name == "macros" ? &settings.c_macros : name == "includePaths" ? &settings.c_include_paths : nullptr;
        if (!target) {
          problems.push_back("unknown setting c2py.c." + name);
          continue;
        }
        bool ok = list.is_array();
        std::vector<std::string> items;
        if (ok) {
          for (const auto& item : list) {
            if (item.is_string() && !item.get<std::string>().empty()) items.push_back(item.get<std::string>());
            else ok = false;
          }
        }
        if (ok) *target = std::move(items);
        else wrong("c." + name, name == "macros" ? "a list of \"NAME\", \"NAME=VALUE\" or \"NAME(a,b)=BODY\" strings"
                                                 : "a list of folder paths");
      }
    } else {
      problems.push_back("unknown setting c2py." + key);
    }
  }
  return settings;
}

}  // namespace c2py::server
