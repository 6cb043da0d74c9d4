// The runtime model's checkpoints (issue 14): a run resumed from the previous version's
// checkpoint, and a snapshot taken from a checkpoint, must be exactly what a fresh run gives.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "runtime_model/model.hpp"
#include "syntax/syntax.hpp"

namespace {

using c2py::runtime_model::Checkpoints;
using c2py::runtime_model::HeapSnapshot;
using c2py::runtime_model::Trace;
using c2py::syntax::Language;

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Everything a trace tells the editor, in the order it tells it.
std::string describe(const Trace& t) {
  std::ostringstream out;
  out << "complete " << t.complete << " gave_up " << t.gave_up << " @" << t.gave_up_line << " steps " << t.steps
      << " stmts " << t.module_statements << "/" << t.module_statements_clean << "\n";
  for (const auto& [line, why] : t.give_ups) out << "give-up " << line << " " << why << "\n";
  for (const auto& f : t.findings) {
    out << f.idiom << " " << f.range.begin << "-" << f.range.end << " note " << f.note;
    if (f.diagnostic) out << " diag " << f.diagnostic->code << " " << f.diagnostic->message;
    for (const auto& h : f.hints) out << " hint " << h.offset << " " << static_cast<int>(h.kind) << " " << h.label;
    out << "\n";
  }
  return out.str();
}

std::string describe(const HeapSnapshot& s) {
  std::ostringstream out;
  out << s.line << " " << s.executed << " " << s.complete << " " << s.reason << "\n";
  auto opt = [](const auto& o) { return o ? std::to_string(*o) : std::string("-"); };
  for (const auto& o : s.objects) {
    out << o.id << " " << o.type << " rc " << opt(o.refcount) << " ir " << opt(o.interpreter_refs) << " " << o.immortal
        << " size " << opt(o.size) << " len " << opt(o.length) << " cap " << opt(o.capacity) << " value "
        << (o.value ? *o.value : "-") << " unreachable " << o.unreachable << " names";
    for (const auto& n : o.names) out << " " << n;
    out << " refs";
    for (const auto& r : o.refs) out << " " << r.to << r.via;
    out << " referrers";
    for (auto r : o.referrers) out << " " << r;
    out << "\n";
  }
  for (const auto& f : s.freed) out << "freed " << f.id << " " << f.type << " " << opt(f.size) << "\n";
  return out.str();
}

// The byte offsets where the module's statements start (comments left out).
std::vector<uint32_t> statement_starts(const c2py::syntax::Tree& tree) {
  std::vector<uint32_t> out;
  for (TSNode n : c2py::syntax::named_children(tree.root()))
    if (c2py::syntax::type_of(n) != "comment") out.push_back(ts_node_start_byte(n));
  return out;
}

TSPoint point_at(const std::string& text, size_t offset) {
  uint32_t row = static_cast<uint32_t>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
  size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  line_start = offset == 0 || line_start == std::string::npos ? 0 : line_start + 1;
  return {row, static_cast<uint32_t>(offset - line_start)};
}

// One document being edited: its text, its tree (reparsed incrementally) and its last trace.
struct Document {
  std::string text;
  c2py::syntax::Tree tree;
  std::shared_ptr<const Trace> trace;
};

// Replaces [begin, end) by `with`, reparses incrementally and resumes the model from the
// previous trace; checks the result (and a few snapshots) against a fresh run of the new text.
// Returns whether the run resumed past the first statement.
bool edit_and_compare(Document& doc, c2py::syntax::Parser& parser, size_t begin, size_t end, const std::string& with,
                      const std::string& where) {
  c2py::analysis::AnalysisOptions options;
  std::string edited = doc.text.substr(0, begin) + with + doc.text.substr(end);
  TSInputEdit edit{};
  edit.start_byte = static_cast<uint32_t>(begin);
  edit.old_end_byte = static_cast<uint32_t>(end);
  edit.new_end_byte = static_cast<uint32_t>(begin + with.size());
  edit.start_point = point_at(doc.text, begin);
  edit.old_end_point = point_at(doc.text, end);
  edit.new_end_point = point_at(edited, begin + with.size());
  c2py::syntax::Tree old = doc.tree;
  old.edit(edit);
  auto tree = parser.parse(edited, &old);
  auto resumed = c2py::runtime_model::simulate(tree, edited, options, doc.trace.get(), Checkpoints::Every);
  auto fresh_tree = parser.parse(edited);
  auto fresh = c2py::runtime_model::simulate(fresh_tree, edited, options);
  INFO(where);
  CHECK(describe(*resumed) == describe(*fresh));
  // Snapshots: from checkpoints (resumed trace) and re-simulated from the start (fresh trace,
  // which keeps none), at a few executed lines spread over the file.
  auto lines = static_cast<uint32_t>(std::count(edited.begin(), edited.end(), '\n'));
  for (uint32_t k = 1; k <= 4 && lines; ++k) {
    uint32_t line = lines * k / 5;
    CHECK(describe(resumed->snapshot(line)) == describe(fresh->snapshot(line)));
  }
  bool resumed_past_start = resumed->resumed_at > 0;
  doc.text = std::move(edited);
  doc.tree = std::move(tree);
  doc.trace = std::move(resumed);
  return resumed_past_start;
}

// Edits at several points of a module, each on top of the last (so checkpoints carry over
// versions): a new statement, a changed number, a statement replaced.
size_t exercise(const std::string& text, size_t edits_wanted) {
  c2py::syntax::Parser parser(Language::Python);
  Document doc{text, parser.parse(text), nullptr};
  doc.trace = c2py::runtime_model::simulate(doc.tree, doc.text, {}, nullptr, Checkpoints::Every);
  size_t resumed = 0;
  for (size_t e = 0; e < edits_wanted; ++e) {
    auto starts = statement_starts(doc.tree);
    if (starts.size() < 2) break;
    // From the end of the file towards its start, so that each edit lands before the last.
    size_t k = starts.size() - 1 - (e * 7 + 1) % starts.size();
    size_t at = starts[k];
    std::string where = "edit " + std::to_string(e) + " at statement " + std::to_string(k) + " byte " + std::to_string(at);
    switch (e % 3) {
      case 0:
        resumed += edit_and_compare(doc, parser, at, at, "c2py_edit_" + std::to_string(e) + " = [" + std::to_string(e) + "]\n",
                                     where + ": insert");
        break;
      case 1: {
        size_t digit = doc.text.find_first_of("0123456789", at);
        if (digit == std::string::npos) digit = at;
        resumed += edit_and_compare(doc, parser, digit, digit, "1", where + ": digit");
        break;
      }
      default: {
        size_t next = k + 1 < starts.size() ? starts[k + 1] : doc.text.size();
        resumed += edit_and_compare(doc, parser, at, next, "pass\n", where + ": replace");
        break;
      }
    }
  }
  return resumed;
}

}  // namespace

TEST_CASE("a model run resumed from a checkpoint equals a fresh run, edit after edit") {
  // A module whose statements depend on each other: names, a class, a cycle, a stepped-over
  // statement that mentions a function defined further down (lose_lines reads the whole module).
  std::string text = "import gc\nimport json\n\n";
  for (int i = 0; i < 40; ++i) {
    std::string n = std::to_string(i);
    text += "data_" + n + " = [" + n + ", " + n + "]\n";
    text += "alias_" + n + " = data_" + n + "\n";
    text += "class Node" + n + ":\n    def __init__(self, v):\n        self.v = v\n        self.me = self\n\n";
    text += "node_" + n + " = Node" + n + "(data_" + n + ")\n";
    if (i == 20) text += "json.loads(data_3, object_hook=helper_30)\n";
    text += "def helper_" + n + "(x):\n    out = [x, x]\n    return out\n\n";
    text += "del alias_" + n + "\n";
  }
  size_t resumed = exercise(text, 24);
  CHECK(resumed >= 12);
}

TEST_CASE("renaming a function that a stepped-over statement looked up restarts before it") {
  std::string text = "import json\nfirst = [1]\njson.loads(first, object_hook=helper)\n";
  for (int i = 0; i < 30; ++i) text += "x_" + std::to_string(i) + " = [" + std::to_string(i) + "]\n";
  text += "def other(d):\n    kept = [d]\n    return kept\n";
  c2py::syntax::Parser parser(Language::Python);
  Document doc{text, parser.parse(text), nullptr};
  doc.trace = c2py::runtime_model::simulate(doc.tree, doc.text, {}, nullptr, Checkpoints::Every);
  REQUIRE(doc.trace->checkpoint_count() > 2);
  // `other` is not looked up: an edit near the end resumes near the end.
  size_t near_end = doc.text.find("x_29");
  CHECK(edit_and_compare(doc, parser, near_end, near_end, "y = [0]\n", "a statement near the end"));
  CHECK(doc.trace->resumed_at > 20);
  // `other` becomes `helper`, which the stepped-over statement named: its lines are lost now, so
  // no checkpoint after that statement holds.
  size_t at = doc.text.find("def other");
  edit_and_compare(doc, parser, at + 4, at + 9, "helper", "rename to a looked-up name");
  CHECK(doc.trace->resumed_at <= 2);
  // And while `helper`'s lines are marked from there, no checkpoint is taken after it.
  edit_and_compare(doc, parser, near_end, near_end, "z = [0]\n", "near the end again");
  CHECK(doc.trace->resumed_at <= 2);
}

TEST_CASE("resumed runs and snapshots from checkpoints equal fresh ones over real code") {
  std::filesystem::path corpora = std::string(C2PY_SOURCE_DIR) + "/../shared/corpora";
  if (const char* env = std::getenv("C2PY_CORPORA")) corpora = env;
  std::filesystem::path dir = corpora / "real-python";
  if (!std::filesystem::is_directory(dir)) return;  // the corpora are not beside the project
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == ".py" &&
        (entry.file_size() < 12000 || std::getenv("C2PY_CHECKPOINTS_ALL")))
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  size_t tried = 0, resumed = 0;
  // A bounded slice: every 12th file, about 50 files, four edits each (C2PY_CHECKPOINTS_ALL=1:
  // every file, for a run by hand).
  size_t stride = std::getenv("C2PY_CHECKPOINTS_ALL") ? 1 : 12;
  for (size_t i = 0; i < files.size(); i += stride) {
    std::string text = read_text(files[i]);
    INFO(files[i].string());
    resumed += exercise(text, 4);
    tried += 4;
  }
  MESSAGE("edits: " << tried << ", resumed past the first statement: " << resumed);
  CHECK(tried >= 150);
  CHECK(resumed * 3 >= tried);
}
