#include "c/flow/tables.hpp"

#include <algorithm>
#include <array>

namespace c2py::analysis::c::flow {
namespace {

template <size_t N>
bool in(const std::array<std::string_view, N>& table, std::string_view name) {
  return std::find(table.begin(), table.end(), name) != table.end();
}

constexpr std::array<std::string_view, 9> kAllocators = {
    "malloc", "calloc", "strdup", "strndup", "aligned_alloc", "valloc", "pvalloc", "memalign", "wcsdup"};
// By convention these abort rather than return NULL (GNU xmalloc, GLib).
constexpr std::array<std::string_view, 9> kAllocatorsNonNull = {
    "xmalloc", "xcalloc", "xstrdup", "xstrndup", "g_malloc", "g_malloc0", "g_new", "g_strdup", "g_strndup"};
constexpr std::array<std::string_view, 2> kReallocs = {"realloc", "reallocarray"};
constexpr std::array<std::string_view, 2> kOutAllocators = {"asprintf", "vasprintf"};
constexpr std::array<std::string_view, 2> kGetlines = {"getline", "getdelim"};
constexpr std::array<std::string_view, 3> kStackAllocators = {"alloca", "_alloca", "__builtin_alloca"};
constexpr std::array<std::string_view, 2> kFrees = {"free", "g_free"};
// libc's, and the names projects give their own fatal-error functions (a function of the file by
// such a name is judged by its body instead).
constexpr std::array<std::string_view, 24> kNoReturn = {
    "exit", "abort", "_Exit", "_exit", "quick_exit", "longjmp", "siglongjmp", "__assert_fail",
    "err", "errx", "verr", "verrx", "pthread_exit", "__builtin_unreachable", "__builtin_trap",
    "die", "fatal", "fatalx", "panic", "BUG", "g_error", "oom", "out_of_memory", "xalloc_die"};
constexpr std::array<std::string_view, 2> kAsserts = {"assert", "g_assert"};
// Functions that dereference their pointer arguments (a NULL argument is undefined behaviour).
constexpr std::array<std::string_view, 61> kDereferencing = {
    "memcpy", "memmove", "memset", "memcmp", "memchr", "strcpy", "strncpy", "strcat", "strncat",
    "strcmp", "strncmp", "strlen", "strnlen", "strchr", "strrchr", "strstr", "strspn", "strcspn",
    "strtok", "sprintf", "snprintf", "vsprintf", "vsnprintf", "sscanf", "fgets", "fread", "fwrite",
    "fputs", "puts", "strtol", "strtoul", "strtod", "atoi", "qsort",
    // their wide-character twins
    "wmemcpy", "wmemmove", "wmemset", "wmemcmp", "wmemchr", "wcscpy", "wcsncpy", "wcscat", "wcsncat",
    "wcscmp", "wcsncmp", "wcslen", "wcsnlen", "wcschr", "wcsrchr", "wcsstr", "wcsspn", "wcscspn", "wcstok",
    "swprintf", "vswprintf", "swscanf", "fgetws", "fputws", "wcstol", "wcstoul", "wcstod"};
// Other functions known to keep no reference to, and not to free, what they are given.
constexpr std::array<std::string_view, 44> kBorrowing = {
    "printf", "fprintf", "dprintf", "vprintf", "vfprintf", "scanf", "fscanf", "perror", "fputc",
    "putc", "putchar", "fflush", "write", "read", "strerror", "atol", "atoll", "strtoll", "strtoull",
    "strtof", "isalpha", "isdigit", "isspace", "toupper", "tolower", "bsearch", "memccpy", "fgetc",
    "strcasecmp", "strncasecmp", "wprintf", "fwprintf", "fputwc", "putwc", "putwchar", "iswalpha",
    "iswdigit", "iswspace", "towupper", "towlower", "recv", "recvfrom", "send", "sendto"};

}  // namespace

CallKind call_kind(std::string_view name) {
  if (in(kAllocators, name)) return CallKind::Allocator;
  if (in(kAllocatorsNonNull, name)) return CallKind::AllocatorNonNull;
  if (in(kReallocs, name)) return CallKind::Realloc;
  if (in(kOutAllocators, name)) return CallKind::OutAllocator;
  if (in(kGetlines, name)) return CallKind::Getline;
  if (in(kStackAllocators, name)) return CallKind::StackAllocator;
  if (in(kFrees, name)) return CallKind::Free;
  if (in(kNoReturn, name) || name == "usage" || name.rfind("usage_", 0) == 0) return CallKind::NoReturn;
  if (in(kAsserts, name)) return CallKind::Assert;
  if (in(kDereferencing, name) || in(kBorrowing, name)) return CallKind::Borrows;
  return CallKind::Unknown;
}

bool dereferences_arguments(std::string_view name) { return in(kDereferencing, name); }

bool returns_first_argument(std::string_view name) {
  constexpr std::array<std::string_view, 13> kReturnsDestination = {
      "memcpy", "memmove", "memset", "strcpy", "strncpy", "strcat", "strncat",
      "wmemcpy", "wmemmove", "wmemset", "wcscpy", "wcsncpy", "wcscat"};
  return in(kReturnsDestination, name);
}

}  // namespace c2py::analysis::c::flow
