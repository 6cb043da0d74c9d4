// Findings: their bindings and variants, related locations, fixes (analyzer.hpp). The sentences
// are the knowledge entries' `message[variant]`, `phrase[...]`, `related[...]` and `fix` keys,
// filled by the server; line numbers in bindings are tokens (`line_token`), rebased by file_flow.
#include "c/flow/analyzer.hpp"

namespace c2py::analysis::c::flow::detail {

std::string FunctionAnalyzer::var_label(const State& s, int32_t obj) {
  for (const auto& [id, v] : s.vars)
    if (v.kind == VK::Obj && v.ref == obj) return name(id);
  const Obj& o = s.objs[static_cast<size_t>(obj)];
  return o.name >= 0 ? name(o.name) : std::string("the block");
}

void FunctionAnalyzer::bind_path(Finding& f, const State& s) {
  if (is_null(s.trail)) {
    f.bindings.set("path", "none");
    return;
  }
  f.bindings.set("path", s.trail_truth ? "after" : "false");
  f.bindings.set("cond", compact(text_of(s.trail, src_)));
}

std::string FunctionAnalyzer::alloc_name(const Obj& o) { return callee_of(alloc_of(o)); }

std::string FunctionAnalyzer::callee_of(TSNode call) {
  if (is_null(call)) return "";
  return std::string(callee_name(call, src_));
}

Finding& FunctionAnalyzer::add(std::string code, TSNode at, uint32_t extra_key) {
  auto key = std::make_tuple(code, start_byte(at), extra_key);
  auto it = findings_.find(key);
  if (it != findings_.end()) {
    duplicate_ = true;
    return it->second;
  }
  duplicate_ = false;
  Finding& f = findings_[key];
  f.idiom = code;
  f.range = syntax::range_of(at);
  f.diagnostic = Diagnostic{};
  f.diagnostic->code = std::move(code);
  f.diagnostic->severity = Severity::Warning;
  return f;
}

void FunctionAnalyzer::relate_alloc(Finding& f, const Obj& o) {
  if (is_null(alloc_of(o))) return;
  f.diagnostic->related.push_back({syntax::range_of(alloc_of(o)), "", "allocated"});
}

void FunctionAnalyzer::relate_free(Finding& f, const Obj& o) {
  if (is_null(freed_of(o))) return;
  f.diagnostic->related.push_back({syntax::range_of(freed_of(o)), "", o.by_realloc_free ? "realloc" : "freed"});
}

namespace {
// Where the block was freed before (the `{@first}` phrase: line, or none when unknown).
void bind_first_free(Finding& f, TSNode freed, uint32_t row, bool by_realloc) {
  f.bindings.set("cause", by_realloc ? "realloc" : "freed");
  f.bindings.set("first", is_null(freed) ? "none" : "line");
  if (!is_null(freed)) f.bindings.set("freed_line", line_token(row));
}
}  // namespace

void FunctionAnalyzer::report_leak(const State& s, int32_t obj, TSNode at, bool exit) {
  const Obj& o = s.objs[static_cast<size_t>(obj)];
  if (is_null(alloc_of(o))) return;
  std::string var = o.name >= 0 ? name(o.name) : compact(text_of(alloc_of(o), src_));
  for (const auto& [id, v] : s.vars)
    if (v.kind == VK::Obj && v.ref == obj) var = name(id);
  (o.uncertain ? uncertain_leaks_ : certain_leaks_)
      .emplace("memory-leak", start_byte(at), o.alloc_byte);
  Finding& f = add("memory-leak", at, o.alloc_byte);
  if (duplicate_) return;
  f.bindings.set("var", var);
  f.bindings.set("alloc_line", line_token(row_of(alloc_of(o))));
  bind_path(f, s);
  if (exit) {
    bool at_end = type_of(at) == "compound_statement";
    f.variant = at_end ? "ends" : "returns";
    f.bindings.set("line", line_token(at_end ? ts_node_end_point(at).row : row_of(at)));
    if (at_end) f.range = {ts_node_end_byte(at) - 1, ts_node_end_byte(at)};
    add_free_fix(f, s, obj, var, at, at_end);
  } else {
    f.variant = "lost";
    f.bindings.set("line", line_token(row_of(at)));
  }
  relate_alloc(f, o);
}

void FunctionAnalyzer::add_free_fix(Finding& f, const State& s, int32_t obj, const std::string& var, TSNode at, bool at_end) {
  // Only a plain local variable, in scope at the return, and the return value must not read it.
  int refs = 0;
  for (const auto& [id, v] : s.vars)
    if ((v.kind == VK::Obj || v.kind == VK::Interior) && v.ref == obj) ++refs;
  for (const auto& fs : s.fields)
    if ((fs.v.kind == VK::Obj || fs.v.kind == VK::Interior) && fs.v.ref == obj) ++refs;
  auto local = locals_.find(var);
  if (refs != 1 || local == locals_.end() || local->second.array || !get_var(s, intern(var))) return;
  TSNode decl = local->second.declaration;
  TSNode block = ts_node_parent(decl);
  uint32_t pos = at_end ? ts_node_end_byte(at) - 1 : start_byte(at);
  if (type_of(decl) != "parameter_declaration" &&
      !(start_byte(decl) < pos && ts_node_end_byte(block) >= pos))
    return;
  if (!at_end) {
    TSNode value = ts_node_named_child_count(at) > 0 ? ts_node_named_child(at, 0) : TSNode{};
    bool mentions = false;
    syntax::walk(value, [&](TSNode n) {
      if (kind_of(n) == NK::Identifier && text_of(n, src_) == var) mentions = true;
      return !mentions;
    });
    if (mentions) return;
    std::string indent = indent_at(src_, pos);
    std::string text;
    if (type_of(ts_node_parent(at)) == "compound_statement")
      text = "free(" + var + ");\n" + indent;
    else
      return;  // a braceless if/else: leave it to the user rather than restructure
    f.diagnostic->fixes.push_back({"", FixSafety::Safe, {{{pos, pos}, text}}});  // title: fix[returns]
  } else {
    std::string indent = indent_at(src_, start_byte(at));
    f.diagnostic->fixes.push_back({"", FixSafety::Safe,  // title: fix[ends]
                                   {{{pos, pos}, "  free(" + var + ");\n" + indent}}});
  }
}

void FunctionAnalyzer::report_use_after_free(State& s, int32_t obj, TSNode at, std::string_view how,
                                              std::string_view callee, std::string_view global) {
  const Obj& o = s.objs[static_cast<size_t>(obj)];
  std::string var = var_label(s, obj);
  Finding& f = add("use-after-free", at, 0);
  if (duplicate_) return;
  f.bindings.set("var", var);
  f.bindings.set("how", std::string(how));
  if (!callee.empty()) f.bindings.set("callee", std::string(callee));
  if (!global.empty()) f.bindings.set("global", std::string(global));
  bind_first_free(f, freed_of(o), is_null(freed_of(o)) ? 0 : row_of(freed_of(o)), o.by_realloc_free);
  bind_path(f, s);
  relate_free(f, o);
  relate_alloc(f, o);
}

void FunctionAnalyzer::report_unchecked(State& s, int32_t obj, TSNode at) {
  const Obj& o = s.objs[static_cast<size_t>(obj)];
  std::string var = var_label(s, obj);
  Finding& f = add("unchecked-alloc", at, 0);
  if (duplicate_) return;
  f.bindings.set("var", var);
  std::string allocator = alloc_name(o);
  f.bindings.set("alloc", allocator.empty() ? "unnamed" : "named");
  if (!allocator.empty()) f.bindings.set("alloc_fn", allocator);
  f.bindings.set("alloc_line", line_token(row_of(alloc_of(o))));
  relate_alloc(f, o);
  add_null_check_fix(f, o, var);
}

void FunctionAnalyzer::add_null_check_fix(Finding& f, const Obj& o, const std::string& var) {
  if (is_null(alloc_of(o))) return;
  auto target = target_of(alloc_of(o), src_, fn_);
  if (!target || target->name != var || !is_local(var)) return;
  TSNode stmt = target->statement;
  if (type_of(ts_node_parent(stmt)) != "compound_statement") return;
  std::string ret;
  if (ret_pointer_) ret = "return NULL;";
  else if (ret_void_) ret = "return;";
  else if (ret_type_ == "int" || ret_type_ == "long" || ret_type_ == "ssize_t") ret = "return -1;";
  else if (ret_type_ == "bool") ret = "return false;";
  else return;
  std::string indent = indent_at(src_, start_byte(stmt));
  uint32_t pos = ts_node_end_byte(stmt);
  f.diagnostic->fixes.push_back({"",  // title: the entry's `fix`
                                 FixSafety::Unsafe,
                                 {{{pos, pos}, "\n" + indent + "if (" + var + " == NULL)\n" + indent + "    " + ret}}});
}

void FunctionAnalyzer::report_double_free(State& s, int32_t obj, TSNode call, TSNode arg) {
  const Obj& o = s.objs[static_cast<size_t>(obj)];
  std::string var = free_label_.empty() ? std::string(text_of(arg, src_)) : free_label_;
  Finding& f = add("double-free", call, 0);
  if (duplicate_) return;
  f.bindings.set("var", var);
  f.bindings.set("var_short", compact(var));  // the message's: a long argument elided
  bind_first_free(f, freed_of(o), is_null(freed_of(o)) ? 0 : row_of(freed_of(o)), o.by_realloc_free);
  bind_path(f, s);
  relate_free(f, o);
  relate_alloc(f, o);
  // Resetting the pointer after the first free makes the second free(NULL) harmless.
  if (!is_null(freed_of(o)) && !o.by_realloc_free) {
    const auto& first_args = children(field(freed_of(o), F::arguments));
    TSNode stmt = ts_node_parent(freed_of(o));
    if (first_args.size() == 1 && kind_of(first_args[0]) == NK::Identifier && text_of(first_args[0], src_) == var &&
        kind_of(stmt) == NK::ExpressionStatement && type_of(ts_node_parent(stmt)) == "compound_statement") {
      uint32_t pos = ts_node_end_byte(stmt);
      f.diagnostic->fixes.push_back({"",  // title: the entry's `fix`
                                     FixSafety::Unsafe, {{{pos, pos}, " " + var + " = NULL;"}}});
    }
  }
}

void FunctionAnalyzer::report_non_heap(TSNode call, TSNode arg, std::string_view what, const std::string& subject,
                                        const Obj* interior_of) {
  Finding& f = add("free-non-heap", call, 0);
  if (duplicate_) return;
  std::string var = free_label_.empty() ? compact(text_of(arg, src_)) : free_label_;
  f.bindings.set("var", var);
  f.bindings.set("what", std::string(what));
  if (!subject.empty()) f.bindings.set("name", subject);
  if (interior_of && !is_null(alloc_of(*interior_of))) {
    f.bindings.set("alloc_line", line_token(row_of(alloc_of(*interior_of))));
    f.diagnostic->related.push_back({syntax::range_of(alloc_of(*interior_of)), "", "start"});
  }
  TSNode stmt = ts_node_parent(call);
  if (!interior_of && free_label_.empty() && kind_of(stmt) == NK::ExpressionStatement && type_of(ts_node_parent(stmt)) == "compound_statement") {
    f.bindings.set("call", compact(text_of(call, src_)));
    f.diagnostic->fixes.push_back({"", FixSafety::Safe, {{syntax::range_of(stmt), ""}}});  // title: the entry's `fix`
  }
}

void FunctionAnalyzer::check_deref(State& s, const MaybeValue& v, TSNode at) {
  Obj* o = obj_of(s, v);
  if (!o) return;
  // A parameter read through before any test of it: the summary says so, for the callers.
  if (o->st == OS::Param && !o->checked && v->kind == VK::Obj) derefs_.insert(o->param);
  if (o->st == OS::Freed) report_use_after_free(s, v->ref, at, "used");
  else if (o->st == OS::MaybeNull) {
    report_unchecked(s, v->ref, at);
    o->st = OS::NonNull;  // as if checked: one report per allocation and path
  }
}

void FunctionAnalyzer::check_pass(State& s, const MaybeValue& v, TSNode at, std::string_view callee) {
  Obj* o = obj_of(s, v);
  if (o && o->st == OS::Freed)
    report_use_after_free(s, v->ref, at, callee.empty() ? "passed_unknown" : "passed", callee);
}

}  // namespace c2py::analysis::c::flow::detail
