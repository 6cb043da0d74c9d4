// doctest.testmod() (Lib/doctest.py): the examples of the module's docstrings, run as doctest runs
// them. DocTestFinder takes the module's docstring and those of the functions and classes defined
// in it (methods, static and class methods, properties, nested classes), one test per docstring,
// sorted by name; each test runs its examples in a copy of the module's globals, an expression's
// value goes through the display hook (builtins._ keeps the last one), and the copy is cleared
// afterwards. Lines run this way are not the program's own first execution: nothing is recorded
// on them (the tracer of tests/oracle skips them the same way).
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

namespace {

// doctest's example syntax: a line `>>> source`, continued by `... source` lines at the same
// indentation; everything else is expected output.
std::vector<std::string> parse_examples(const std::string& doc) {
  std::vector<std::string> out;
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= doc.size()) {
    size_t nl = doc.find('\n', start);
    lines.push_back(doc.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    size_t indent = l.find_first_not_of(' ');
    if (indent == std::string::npos || l.compare(indent, 3, ">>>") != 0) continue;
    if (l.size() > indent + 3 && l[indent + 3] != ' ') continue;
    std::string source = l.size() > indent + 4 ? l.substr(indent + 4) : "";
    while (i + 1 < lines.size()) {
      const std::string& c = lines[i + 1];
      if (c.size() < indent + 3 || c.compare(0, indent, std::string(indent, ' ')) != 0 || c.compare(indent, 3, "...") != 0 ||
          (c.size() > indent + 3 && c[indent + 3] != ' '))
        break;
      source += "\n" + (c.size() > indent + 4 ? c.substr(indent + 4) : "");
      ++i;
    }
    out.push_back(source + "\n");
  }
  return out;
}

}  // namespace

// The examples of a module's, def's or class's docstring (its body's first statement, a string).
std::vector<std::string> Interp::docstring_examples(TSNode node) {
  TSNode body = type_of(node) == "module" ? node : field(node, "body");
  if (ts_node_is_null(body)) return {};
  TSNode first{};
  for (TSNode c : kids(body)) {
    first = c;
    break;
  }
  if (ts_node_is_null(first) || type_of(first) != "expression_statement") return {};
  TSNode str = ts_node_named_child(first, 0);
  if (type_of(str) != "string" && type_of(str) != "concatenated_string") return {};
  Ref doc = literal(str);
  const Obj& o = heap_[doc.get()];
  if (o.kind != Kind::Str || !o.has_value) throw GiveUp{"a docstring the model cannot read (doctest)"};
  return parse_examples(o.text);
}

// DocTestFinder._find: the object's own test, then what its namespace holds that this module
// defined. `seen` keeps one test per object, as the finder does by id.
void Interp::collect_doctests(Id obj, const std::string& name, std::vector<DocTest>& out, std::vector<Id>& seen,
                              int depth) {
  if (depth > 20 || std::find(seen.begin(), seen.end(), obj) != seen.end()) return;
  seen.push_back(obj);
  const Obj& o = heap_[obj];
  TSNode def = o.def;
  if (!ts_node_is_null(def)) {
    auto examples = docstring_examples(def);
    if (!examples.empty()) out.push_back({name, std::move(examples)});
  }
  if (o.kind != Kind::Class) return;
  std::vector<std::pair<std::string, Id>> members = o.attrs;
  for (auto& [n, id] : members) {
    const Obj& m = heap_[id];
    Id target = id;
    if (m.kind == Kind::Opaque && !m.name.empty() && m.name[0] == '@') {
      // staticmethod, classmethod, property: the function they wrap.
      target = 0;
      for (auto& [an, aid] : m.attrs)
        if (an == "__func__") target = aid;
      if (!target) continue;
    }
    Kind k = heap_[target].kind;
    if (k == Kind::Function || k == Kind::Class) collect_doctests(target, name + "." + n, out, seen, depth + 1);
  }
}

Ref Interp::run_doctests() {
  // From a function too: the examples run in a copy of the module's globals (a frame above the
  // caller's), and the functions they call use the module's own globals, as in CPython.
  std::vector<DocTest> tests;
  std::vector<Id> seen;
  {
    auto module_examples = docstring_examples(root_);
    if (!module_examples.empty()) tests.push_back({"__main__", std::move(module_examples)});
  }
  std::vector<std::pair<std::string, Id>> globals = module().vars;
  for (auto& [n, id] : globals) {
    if (!id) continue;
    Kind k = heap_[id].kind;
    if (k == Kind::Function || k == Kind::Class) collect_doctests(id, "__main__." + n, tests, seen, 0);
  }
  std::stable_sort(tests.begin(), tests.end(), [](const DocTest& a, const DocTest& b) { return a.name < b.name; });

  struct Foreign {
    Interp* in;
    bool saved;
    uint32_t saved_line;
    Frame* saved_frame;
    ~Foreign() {
      in->foreign_ = saved;
      in->foreign_line_ = saved_line;
      in->doctest_frame_ = saved_frame;
    }
  } restore{this, foreign_, foreign_line_, doctest_frame_};
  foreign_line_ = cur_line_;
  foreign_ = true;
  syntax::Parser parser(syntax::Language::Python);
  for (const auto& test : tests) {
    // globs = module.__dict__.copy()
    auto globs = new_frame();
    for (auto& [n, id] : module().vars) {
      if (!id) continue;
      incref(id);
      *frame_add(*globs, n) = id;
    }
    frames_.push_back(std::move(globs));
    doctest_frame_ = frames_.back().get();
    for (const auto& example : test.examples) {
      if (example.find("doctest: +SKIP") != std::string::npos) continue;
      auto source = std::make_unique<DoctestSource>();
      source->text = example;
      source->tree = parser.parse(source->text);
      TSNode root = source->tree.root();
      bool broken = source->tree.has_error();
      doctest_sources_.push_back(std::move(source));
      if (broken) throw GiveUp{"a doctest example CPython would not compile"};
      // Each example is a statement (or a few); one that the model cannot follow is stepped over,
      // making what it may have changed unknown, as in the module. One that raises ends there.
      size_t active_mark = active_.size();
      size_t comp_mark = frame().comp.size();
      try {
        exec_block(root, 0);
      } catch (const PyRaise&) {
        raising_ = false;
        active_.resize(active_mark);
        // Frames that unwinding did not pop (a class body) release their names now.
        while (!frames_.empty() && frames_.back().get() != doctest_frame_) {
          std::unique_ptr<Frame> dead = std::move(frames_.back());
          frames_.pop_back();
          for (auto& [n, id] : dead->vars)
            if (id) decref(id);
        }
        if (frame().comp.size() > comp_mark) frame().comp.resize(comp_mark);
        // A give-up found while unwinding (a __del__ that runs) stands.
        if (!pending_.empty()) {
          std::string why = std::move(pending_);
          pending_.clear();
          throw GiveUp{why};
        }
      }
    }
    // test.globs.clear(): the copy's references go, in insertion order.
    std::unique_ptr<Frame> done = std::move(frames_.back());
    frames_.pop_back();
    doctest_frame_ = nullptr;
    for (auto& [n, id] : done->vars)
      if (id) decref(id);
    done->vars.clear();
  }
  // testmod() returns TestResults(failed, attempted): a named tuple the model does not build.
  return opaque();
}

// sys.displayhook in "single" mode: prints the repr of a value other than None and keeps it in
// builtins._ until the next one.
void Interp::display(Ref value) {
  if (heap_[value.get()].kind == Kind::None) return;
  if (reaches_user_repr(value.get(), 0)) throw GiveUp{"a doctest example prints through a user __repr__"};
  Id old = underscore_;
  underscore_ = value.release();
  if (old) decref(old);
}

}  // namespace c2py::runtime_model::engine
