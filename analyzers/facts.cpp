#include <algorithm>

#include "c/c_ast.hpp"
#include "check.hpp"

namespace c2py::analysis {

bool FileFacts::defines(std::string_view name) const {
  return std::binary_search(defined_functions.begin(), defined_functions.end(), name, std::less<>());
}

FileFacts collect_file_facts(syntax::Language language, TSNode root, std::string_view source) {
  FileFacts facts;
  if (language == syntax::Language::C) {
    facts.defined_functions = c::declared_functions(root, source);
  } else {
    for (TSNode item : syntax::named_children(root)) {
      auto top = syntax::type_of(item);
      if (top == "import_statement" || top == "import_from_statement") {
        facts.module_context += syntax::text_of(item, source);
        facts.module_context += '\n';
      }
      if (top == "decorated_definition") item = syntax::field(item, "definition");
      auto kind = syntax::type_of(item);
      if (kind == "function_definition" || kind == "class_definition")
        facts.defined_functions.emplace_back(syntax::text_of(syntax::field(item, "name"), source));
      if (kind != "class_definition") continue;
      // A class header as python-finalizer reads a base class: its name, bases, and the names of
      // the methods it defines.
      facts.module_context += "class ";
      facts.module_context += syntax::text_of(syntax::field(item, "name"), source);
      facts.module_context += syntax::text_of(syntax::field(item, "superclasses"), source);
      for (TSNode member : syntax::named_children(syntax::field(item, "body"))) {
        if (syntax::type_of(member) == "decorated_definition") member = syntax::field(member, "definition");
        if (syntax::type_of(member) != "function_definition") continue;
        facts.module_context += ' ';
        facts.module_context += syntax::text_of(syntax::field(member, "name"), source);
      }
      facts.module_context += '\n';
    }
  }
  std::sort(facts.defined_functions.begin(), facts.defined_functions.end());
  facts.defined_functions.erase(std::unique(facts.defined_functions.begin(), facts.defined_functions.end()),
                                facts.defined_functions.end());
  // Checks ask only whether the file shadows a library function, so only such names go into the
  // cache key: typing a new function's name does not invalidate every cached unit.
  static constexpr std::string_view kLibraryNames[] = {
      "malloc", "calloc", "realloc", "free", "strdup", "strndup", "strcpy", "strncpy", "strcat", "strncat",
      "memcpy", "memmove", "memset", "aligned_alloc", "reallocarray", "asprintf", "exit", "abort", "assert",
      "list", "dict", "set", "str", "bytes", "bytearray", "len", "range", "print", "array", "del"};
  for (const auto& name : facts.defined_functions)
    if (std::find(std::begin(kLibraryNames), std::end(kLibraryNames), name) != std::end(kLibraryNames))
      facts.signature += name + ",";
  return facts;
}

}  // namespace c2py::analysis
