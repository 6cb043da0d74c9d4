// The driver of one function's analysis: locals, the path exploration, path ends (analyzer.hpp).
#include <algorithm>
#include <cctype>
#include "c/flow/analyzer.hpp"

namespace c2py::analysis::c::flow::detail {

FunctionResult FunctionAnalyzer::run(PreparedPtr* prepared) {
  FunctionResult result;
  Prepared* prep = prepared ? prepared->get() : nullptr;
  std::optional<Cfg> own;  // the graph when no Prepared keeps it
  try {
    if (prep) {
      deps_ = prep->deps;
      if (!prep->gave_up.empty()) throw GiveUp(prep->gave_up);
      restore(*prep);
    } else {
      try {
        own = build_cfg(fn_, src_);
        collect_locals();
      } catch (const GiveUp& e) {
        if (prepared) {
          *prepared = PreparedPtr(new Prepared);
          (*prepared)->gave_up = e.what();
          (*prepared)->deps = deps_;
        }
        throw;
      }
      // Only a function that may call one of the file's functions is analysed again when their
      // summaries change: the others keep nothing.
      if (prepared && may_call_file_) {
        PreparedPtr fresh(new Prepared);
        fresh->cfg = std::move(*own);
        own.reset();
        save(*fresh);
        fresh->deps = deps_;
        *prepared = std::move(fresh);
        prep = prepared->get();
      }
    }
    locals_known_ = true;
    explore(prep ? prep->cfg : *own);
  } catch (const GiveUp& e) {
    if (prep && prep->gave_up.empty()) restore_caches(*prep);
    result.gave_up = true;
    result.gave_up_reason = e.what();
    result.work = work_;
    result.deps = sorted_deps();
    return result;
  }
  if (prep) restore_caches(*prep);
  result.work = work_;
  drop_unproven_leaks();
  for (auto& [key, finding] : findings_) result.findings.push_back(std::move(finding));
  std::sort(result.findings.begin(), result.findings.end(),
            [](const Finding& a, const Finding& b) { return a.range.begin < b.range.begin; });
  result.summary = make_summary();
  result.callees.assign(callees_.begin(), callees_.end());
  std::sort(result.callees.begin(), result.callees.end());
  result.deps = sorted_deps();
  return result;
}

std::vector<Dep> FunctionAnalyzer::sorted_deps() const {
  std::vector<Dep> all = deps_;
  std::sort(all.begin(), all.end(), [](const Dep& a, const Dep& b) { return a.name < b.name; });
  std::vector<Dep> out;
  for (auto& dep : all) {
    if (!out.empty() && out.back().name == dep.name) out.back().what |= dep.what;
    else out.push_back(std::move(dep));
  }
  return out;
}

void FunctionAnalyzer::save(Prepared& p) {
  p.ret_void = ret_void_;
  p.ret_pointer = ret_pointer_;
  p.ret_type = ret_type_;
  p.locals = locals_;
  p.statics = statics_;
  p.static_arrays = static_arrays_;
  p.global_names = global_names_;
  p.written_globals = written_globals_;
  p.aliases = aliases_;
  p.params = params_;
  p.globals = globals_;
  p.param_count = param_count_;
  p.ids = ids_;
  p.names = names_;
  p.roots = roots_;
}

void FunctionAnalyzer::restore(Prepared& p) {
  ret_void_ = p.ret_void;
  ret_pointer_ = p.ret_pointer;
  ret_type_ = p.ret_type;
  locals_ = p.locals;
  statics_ = p.statics;
  static_arrays_ = p.static_arrays;
  global_names_ = p.global_names;
  written_globals_ = p.written_globals;
  aliases_ = p.aliases;
  params_ = p.params;
  globals_ = p.globals;
  param_count_ = p.param_count;
  ids_ = p.ids;
  names_ = p.names;
  roots_ = p.roots;
  nodes_ = std::move(p.nodes);
  is_local_ = std::move(p.is_local);
  body_compact_ = std::move(p.body_compact);
}

// The caches that depend only on the text go back to `p` for the next analysis.
void FunctionAnalyzer::restore_caches(Prepared& p) {
  p.nodes = std::move(nodes_);
  p.is_local = std::move(is_local_);
  p.body_compact = std::move(body_compact_);
}

std::string_view FunctionAnalyzer::call_name(TSNode call) {
  NodeInfo& info = nodes_[call];
  if (!info.has_callee) {
    info.callee = callee_name(call, src_);
    info.has_callee = true;
  }
  return info.callee;
}

std::optional<long long> FunctionAnalyzer::constant(TSNode e) {
  if (is_null(e)) return std::nullopt;
  NodeInfo& info = nodes_[e];
  if (!info.has_constant) {
    info.constant = constant_value(e, src_);  // reads the tree only: no entry is added
    info.has_constant = true;
  }
  return info.constant;
}

TSNode FunctionAnalyzer::strip(TSNode e) {
  if (is_null(e)) return e;
  int32_t index = nodes_.index(e);
  if (int32_t known = nodes_.at(index).stripped; known >= 0) {
    nodes_.handed_out(known);
    return nodes_.at(known).node;
  }
  TSNode inner = detail::strip(e);
  int32_t found = nodes_.index(inner);
  nodes_.at(index).stripped = found;
  return inner;
}

bool FunctionAnalyzer::local_node(TSNode identifier) {
  if (!locals_known_) return is_local(text(identifier));
  if (int8_t known = nodes_[identifier].local; known >= 0) return known == 1;
  bool local = is_local(text(identifier));
  nodes_[identifier].local = local ? 1 : 0;
  return local;
}

int32_t FunctionAnalyzer::name_of(TSNode identifier) {
  int32_t& known = by_node(node_names_, nodes_.index(identifier));
  if (known < 0) known = intern(text(identifier));  // interning touches no node entry
  return known;
}

int32_t FunctionAnalyzer::intern(std::string_view name) {
  auto it = ids_.find(name);
  if (it != ids_.end()) return it->second;
  int32_t id = static_cast<int32_t>(names_.size());
  names_.emplace_back(name);
  roots_.push_back(id);
  ids_.emplace(std::string(name), id);
  return id;
}

int32_t FunctionAnalyzer::intern_path(std::string_view path, std::string_view root) {
  int32_t id = intern(path);
  roots_[static_cast<size_t>(id)] = intern(root);
  return id;
}

bool FunctionAnalyzer::union_type(TSNode type) const {
  auto kind = type_of(type);
  if (kind == "union_specifier") return true;
  if (kind != "type_identifier") return false;
  depend(text_of(type, src_), Dep::Union);
  return scope_.unions.count(std::string(text_of(type, src_)));
}

void FunctionAnalyzer::collect_locals() {
  // Parameters: pointer ones start as the caller's blocks.
  TSNode declarator = field(fn_, F::declarator);
  while (!is_null(declarator) && type_of(declarator) != "function_declarator")
    declarator = field(declarator, F::declarator);
  // No declarator: a definition made by a macro (`TEST(group, name) { ... }`). Its body is
  // analysed as a function without parameters (it declares none we can see).
  if (is_null(declarator) && is_null(field(fn_, F::body))) throw GiveUp("no function declarator");
  TSNode type = field(fn_, F::type);
  ret_void_ = text_of(type, src_) == "void";
  ret_pointer_ = kind_of(field(fn_, F::declarator)) == NK::PointerDeclarator;
  ret_type_ = std::string(text_of(type, src_));
  int index = 0;
  for (TSNode param : is_null(declarator) ? std::vector<TSNode>{} : children(field(declarator, F::parameters))) {
    if (type_of(param) != "parameter_declaration") {
      ++index;
      continue;
    }
    int stars = 0;
    bool array = false;
    TSNode id = declared(field(param, F::declarator), stars, array);
    if (!is_null(id)) {
      Local local{false, stars > 0 || array, param};
      locals_[std::string(text_of(id, src_))] = local;
      if (local.pointer) params_.emplace_back(index, name_of(id));
    }
    ++index;
  }
  param_count_ = index;
  std::unordered_set<std::string> assigned;
  // The file's pointer globals it mentions, in order of first mention (filtered below, once every
  // local is known: a local of the same name hides them).
  std::vector<std::string> mentioned;
  const TSNode body = field(fn_, F::body);
  const std::string_view body_text = text_of(body, src_);
  // `whole`: every node of the body. Otherwise only what can hold a declaration: expressions and
  // statements of one expression without `{` and without errors hold none (in the grammar a
  // declaration inside an expression is always inside a `{ ... }` block), and nothing else of
  // them is needed when no pointer global is named in the body and no function pointer is set
  // to one of the file's functions (below). Most of a body is expressions.
  auto visit = [&](TSNode node, bool whole) {
    auto kind = type_of(node);
    if (!whole) {
      bool expression = kind == "expression_statement" || kind == "return_statement" || kind == "argument_list" ||
                        (kind.size() > 11 && kind.substr(kind.size() - 11) == "_expression");
      if (expression && !ts_node_has_error(node) && text_of(node, src_).find('{') == std::string_view::npos) return false;
    }
    if (whole && kind == "identifier" && !scope_.pointer_globals.empty()) {
      std::string n(text_of(node, src_));
      if (scope_.pointer_globals.count(n) && std::find(mentioned.begin(), mentioned.end(), n) == mentioned.end())
        mentioned.push_back(n);
      return true;
    }
    if (whole && kind == "assignment_expression") {
      TSNode left = strip(field(node, F::left));
      if (kind_of(left) == NK::Identifier) assigned.insert(std::string(text_of(left, src_)));
    }
    if (kind == "init_declarator") function_alias(node);
    if (whole && kind == "call_expression" && !may_call_file_) {
      std::string_view callee = call_name(node);
      may_call_file_ = !callee.empty() && defined_.count(std::string(callee));
    }
    if (kind != "declaration") return true;
    bool is_static = false;
    for (TSNode child : children(node))
      if (type_of(child) == "storage_class_specifier") {
        auto s = text_of(child, src_);
        if (s == "static" || s == "extern") is_static = true;
      }
    for (TSNode child : children(node)) {
      TSNode d = kind_of(child) == NK::InitDeclarator ? field(child, F::declarator) : child;
      int stars = 0;
      bool array = false;
      TSNode id = declared(d, stars, array);
      if (is_null(id) || ts_node_eq(child, field(node, F::type))) continue;
      std::string n(text_of(id, src_));
      if (is_static) {
        statics_.insert(n);
        if (array) static_arrays_.insert(n);
        continue;
      }
      if (!locals_.count(n)) locals_[n] = Local{array, stars > 0, node, stars == 0 && !array && union_type(field(node, F::type))};
    }
    return true;
  };
  // An identifier spelled as a pointer global is in the body's text.
  bool names_global = scope_.pointer_globals.size() > 64;
  for (const auto& g : scope_.pointer_globals)
    if (!names_global && body_text.find(g) != std::string_view::npos) names_global = true;
  if (!names_global) {
    syntax::walk(body, [&](TSNode node) { return visit(node, false); });
    // Whether a call may name one of the file's functions (a memo hint: Prepared is kept for it),
    // from the body's words.
    for (size_t i = 0; i < body_text.size() && !may_call_file_;) {
      auto word_char = [&](size_t at) {
        unsigned char ch = static_cast<unsigned char>(body_text[at]);
        return std::isalnum(ch) || ch == '_' || ch == '$' || ch >= 0x80;
      };
      if (!word_char(i)) {
        ++i;
        continue;
      }
      size_t end = i;
      while (end < body_text.size() && word_char(end)) ++end;
      if (defined_.count(std::string(body_text.substr(i, end - i)))) may_call_file_ = true;
      i = end;
    }
  }
  // The assignments and identifiers too: the same declarations again (which changes nothing: a
  // local's first declaration stays, a later alias of a name overwrites an earlier one as before).
  if (names_global || !aliases_.empty()) syntax::walk(body, [&](TSNode node) { return visit(node, true); });
  for (const auto& n : assigned) aliases_.erase(n);  // it may point elsewhere later
  if (!aliases_.empty()) may_call_file_ = true;  // through a pointer to one of the file's functions
  std::erase_if(mentioned, [&](const std::string& n) { return locals_.count(n) || statics_.count(n); });
  for (const auto& n : mentioned) {
    globals_.emplace_back(param_count_ + static_cast<int>(globals_.size()), intern(n));
    global_names_.insert(n);
    if (assigned.count(n)) written_globals_.insert(n);
  }
}

void FunctionAnalyzer::function_alias(TSNode init) {
  TSNode value = strip(field(init, F::value));
  if (kind_of(value) == NK::PointerExpr && text(field(value, F::op)) == "&")
    value = strip(field(value, F::argument));
  if (kind_of(value) != NK::Identifier) return;
  depend(text_of(value, src_), Dep::Defined);
  if (!defined_.count(std::string(text_of(value, src_)))) return;
  TSNode d = field(init, F::declarator);
  for (int guard = 0; guard < 16 && !is_null(d) && kind_of(d) != NK::Identifier; ++guard)
    d = is_null(field(d, F::declarator)) ? ts_node_named_child(d, 0) : field(d, F::declarator);
  if (kind_of(d) == NK::Identifier) aliases_[std::string(text_of(d, src_))] = std::string(text_of(value, src_));
}

TSNode FunctionAnalyzer::declared(TSNode d, int& stars, bool& array) {
  for (int guard = 0; guard < 64 && !is_null(d); ++guard) {
    auto kind = type_of(d);
    if (kind == "identifier") return d;
    if (kind == "pointer_declarator") ++stars;
    else if (kind == "array_declarator") array = true;
    else if (kind == "function_declarator") return TSNode{};
    else if (kind != "parenthesized_declarator" && kind != "attributed_declarator") return TSNode{};
    TSNode inner = flow::field(d, "declarator");
    if (is_null(inner) && ts_node_named_child_count(d) > 0) inner = ts_node_named_child(d, 0);
    d = inner;
  }
  return TSNode{};
}

bool FunctionAnalyzer::is_local(std::string_view name) const {
  if (!locals_known_) return local_name(name);
  auto it = is_local_.find(name);
  if (it == is_local_.end()) it = is_local_.emplace(std::string(name), local_name(name)).first;
  return it->second;
}

bool FunctionAnalyzer::local_name(std::string_view name) const {
  return (!statics_.count(name) && locals_.count(name)) || global_names_.count(name);
}

void FunctionAnalyzer::escape_globals(State& s) {
  for (const auto& [index, var] : globals_) {
    escape(s, get_var(s, var));
    set_var(s, var, std::nullopt);  // it may have been given a new value, too
  }
}

namespace {
// The (graph node, state key) pairs explored: an open-addressing table (one probe, no allocation
// per state).
class SeenStates {
 public:
  // False when the pair was there already.
  bool insert(int node, uint64_t key) {
    if (2 * (count_ + 1) > slots_.size()) grow();
    size_t mask = slots_.size() - 1;
    for (size_t at = spread(node, key) & mask;; at = (at + 1) & mask) {
      Slot& slot = slots_[at];
      if (!slot.used) {
        slot = Slot{key, node, true};
        ++count_;
        return true;
      }
      if (slot.key == key && slot.node == node) return false;
    }
  }

 private:
  struct Slot {
    uint64_t key = 0;
    int node = 0;
    bool used = false;
  };
  static size_t spread(int node, uint64_t key) {
    return static_cast<size_t>((key ^ (static_cast<uint64_t>(node) * 0x9E3779B97F4A7C15ull)) * 0xff51afd7ed558ccdull >> 17);
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    count_ = 0;
    for (const Slot& slot : old)
      if (slot.used) insert(slot.node, slot.key);
  }
  std::vector<Slot> slots_;
  size_t count_ = 0;
};

// The state goes on to each successor: copies for all but the last, which takes it.
void hand_on(std::vector<std::pair<int, State>>& work, const std::vector<int>& succ, State& s) {
  for (size_t i = 0; i < succ.size(); ++i) {
    if (i + 1 == succ.size()) work.emplace_back(succ[i], std::move(s));
    else work.emplace_back(succ[i], s);
  }
}
}  // namespace

void FunctionAnalyzer::explore(const Cfg& cfg) {
  State init;
  init.fates.assign(static_cast<size_t>(std::max(param_count_, 0)) + globals_.size(), Fate::Kept);
  std::vector<std::pair<int, int32_t>> entry_blocks = params_;
  entry_blocks.insert(entry_blocks.end(), globals_.begin(), globals_.end());
  for (const auto& [index, var] : entry_blocks) {
    int32_t o = new_obj(init, OS::Param, TSNode{}, var);
    init.objs[static_cast<size_t>(o)].param = static_cast<int16_t>(index);
    set_var(init, var, Value{VK::Obj, o});
  }
  std::vector<std::pair<int, State>> work;
  work.emplace_back(cfg.entry, std::move(init));
  SeenStates seen;
  size_t visits = 0;
  std::vector<std::pair<int, State>> sides;  // a branch's states (kept: its buffer serves every branch)
  while (!work.empty()) {
    // Named members, not a structured binding: lambdas below may capture `s` (clang 14 cannot).
    std::pair<int, State> item = std::move(work.back());
    work.pop_back();
    const int id = item.first;
    State& s = item.second;
    if (!seen.insert(id, key_of(s, id))) continue;
    if (++visits > kMaxVisits) throw GiveUp("too many paths");
    work_ += 1 + s.vars.size() + 2 * s.objs.size() + s.fields.size() + s.facts.size();  // copying, canonicalizing, hashing the state
    if (work_ > kMaxWork) throw GiveUp("over budget");
    const CfgNode& node = cfg.nodes[static_cast<size_t>(id)];
    switch (node.kind) {
      case CfgNode::Kind::Nop:
        hand_on(work, node.succ, s);
        break;
      case CfgNode::Kind::Statement: {
        NK kind = kind_of(node.ast);
        if (kind == NK::Declaration) eval_declaration(s, node.ast);
        else if (kind == NK::ExpressionStatement) {
          for (TSNode child : children(node.ast)) eval(s, child, 0);
        } else if (kind != NK::Comment) {
          eval(s, node.ast, 0);
        }
        if (s.dead) break;
        canonicalize(s, node.ast);
        hand_on(work, node.succ, s);
        break;
      }
      case CfgNode::Kind::Branch:
        if (node.preproc) {
          auto [fact, positive] = preproc_fact(node.ast);
          for (int side = 0; side < 2; ++side) {
            bool holds = side == 0;
            if (fact < 0 && (fact == -2) != (holds == positive)) continue;  // a constant `#if 0`/`#if 1`
            State branch = s;
            if (fact >= 0 && !apply_fact(branch, fact, holds == positive)) continue;
            work.emplace_back(node.succ[static_cast<size_t>(side)], std::move(branch));
          }
          break;
        }
        {
          sides.clear();
          bool taken[2] = {false, false};
          for (int side = 0; side < 2 && side < static_cast<int>(node.succ.size()); ++side) {
            // The false side is the last use of `s` when there are two (a `for (;;)` has one).
            bool last = side == 1 && node.succ.size() == 2;
            for (auto& branch : assume(last ? std::move(s) : State(s), node.ast, side == 0, 0)) {
              if (branch.dead) continue;
              taken[side] = true;
              sides.emplace_back(side, std::move(branch));
            }
          }
          bool opaque = taken[0] && taken[1] && is_opaque(node.ast);
          for (auto& [side, branch] : sides) {
            if (opaque)
              for (auto& o : branch.objs)
                if ((o.st == OS::MaybeNull || o.st == OS::NonNull) && o.param < 0) o.uncertain = true;
            if (node.if_condition && !null_test_condition(node.ast)) {
              branch.trail = node.ast;  // messages name the `if` a path took, not loop tests
              branch.trail_truth = side == 0;
            }
            canonicalize(branch, node.ast);
            work.emplace_back(node.succ[static_cast<size_t>(side)], std::move(branch));
          }
        }
        if (node.succ.size() == 1) {  // for (;;)
          work.emplace_back(node.succ[0], s);
        }
        break;
      case CfgNode::Kind::Switch: {
        MaybeValue v = eval(s, node.ast, 0);
        if (s.dead) break;
        canonicalize(s, node.ast);
        // A known value takes only its case; an unknown variable is known inside each case.
        std::optional<long long> known;
        if (v && v->kind == VK::Null) known = 0;
        if (v && v->kind == VK::Int) known = v->ref;
        TSNode subject = strip(node.ast);
        bool local_var = kind_of(subject) == NK::Identifier && local_node(subject);
        bool matched = false;
        for (size_t i = 0; i < node.succ.size(); ++i) {
          TSNode label = node.cases[i];
          auto value = is_null(label) ? std::nullopt : constant(label);
          if (known && value && *value == *known) matched = true;
        }
        for (size_t i = 0; i < node.succ.size(); ++i) {
          TSNode label = node.cases[i];
          auto value = is_null(label) ? std::nullopt : constant(label);
          if (known) {
            // `default` only when no case matched; a label whose value is unknown may match.
            bool take = value ? *value == *known : is_null(label) ? !matched : true;
            if (!take) continue;
            work.emplace_back(node.succ[i], s);
          } else if (value && local_var && *value > -1000000 && *value < 1000000) {
            State branch = s;
            set_var(branch, name_of(subject),
                    *value == 0 ? Value{VK::Null, -1} : Value{VK::Int, static_cast<int32_t>(*value)});
            work.emplace_back(node.succ[i], std::move(branch));
          } else {
            work.emplace_back(node.succ[i], s);
          }
        }
        break;
      }
      case CfgNode::Kind::Return: {
        TSNode value = ts_node_named_child_count(node.ast) > 0 ? ts_node_named_child(node.ast, 0) : TSNode{};
        if (kind_of(value) == NK::Comment) value = TSNode{};
        MaybeValue v = eval(s, value, 0);
        if (s.dead) break;
        note_return(s, v);
        {
          // Giving a parameter's block back hands it to the caller, who owned it: not an escape.
          Obj* o = obj_of(s, v);
          int16_t param = o && v->kind == VK::Obj && o->st != OS::Freed ? o->param : -1;
          if (param >= 0 && s.fates[static_cast<size_t>(param)] != Fate::Kept) param = -1;  // stored elsewhere too
          auto points_at = [&](const MaybeValue& x) {
            return x && (x->kind == VK::Obj || x->kind == VK::Interior) && x->ref == v->ref;
          };
          for (const auto& f : s.fields)
            if (param >= 0 && points_at(f.v)) param = -1;  // also held by a member
          for (const auto& [index, var] : globals_)
            if (param >= 0 && points_at(get_var(s, var))) param = -1;  // also held by a global
          escape(s, v);
          if (param >= 0) s.fates[static_cast<size_t>(param)] = Fate::Kept;
        }
        for (std::string_view local : returned_locals(node.ast, value)) escape_members(s, local);
        exit_path(s, node.ast);
        break;
      }
      case CfgNode::Kind::End:
        returns_void_end_ = true;
        exit_path(s, node.ast);
        break;
    }
  }
}

const std::vector<std::string_view>& FunctionAnalyzer::returned_locals(TSNode ret, TSNode value) {
  // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
  const auto emplaced = returned_locals_.try_emplace(ret.id);
  std::vector<std::string_view>& names = emplaced.first->second;
  if (emplaced.second)
    syntax::walk(value, [&](TSNode n) {
      if (kind_of(n) == NK::Identifier && local_node(n)) names.push_back(text_of(n, src_));
      return true;
    });
  return names;
}

void FunctionAnalyzer::exit_path(State& s, TSNode at) {
  // What a global holds outlives the function (the caller's block stays the caller's).
  for (const auto& [index, var] : globals_) {
    MaybeValue v = get_var(s, var);
    if (Obj* o = obj_of(s, v); o && o->param < 0) escape(s, v);
  }
  canonicalize(s, at);
  for (size_t o = 0; o < s.objs.size(); ++o) {
    const Obj& obj = s.objs[o];
    if ((obj.st == OS::MaybeNull || obj.st == OS::NonNull) && obj.param < 0) report_leak(s, static_cast<int32_t>(o), at, true);
  }
  ++exits_;
  if (fates_seen_.empty()) fates_seen_.assign(s.fates.size(), 0);
  for (size_t i = 0; i < s.fates.size(); ++i) fates_seen_[i] |= static_cast<uint8_t>(1u << static_cast<unsigned>(s.fates[i]));
}

}  // namespace c2py::analysis::c::flow::detail

namespace c2py::analysis::c::flow {

using syntax::text_of;

std::string function_name(TSNode function, std::string_view source) {
  TSNode d = field(function, F::declarator);
  for (int guard = 0; guard < 64 && !is_null(d); ++guard) {
    if (type_of(d) == "function_declarator") {
      TSNode id = field(d, F::declarator);
      return kind_of(id) == NK::Identifier ? std::string(text_of(id, source)) : std::string();
    }
    d = field(d, F::declarator);
  }
  return {};
}

FunctionResult analyze_function(TSNode function, std::string_view source, const Summaries& summaries,
                                const FunctionNames& defined, const FileScope& scope, PreparedPtr* prepared) {
  return detail::FunctionAnalyzer(function, source, summaries, defined, scope).run(prepared);
}

void PreparedDeleter::operator()(Prepared* prepared) const { delete prepared; }

std::string line_token(uint32_t row) { return "\x1f" + std::to_string(row) + "\x1f"; }

namespace {
template <typename F>
void rewrite_tokens(std::string& text, F replace) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find('\x1f', i);
    if (open == std::string::npos) break;
    size_t close = text.find('\x1f', open + 1);
    if (close == std::string::npos) break;
    std::string_view digits(text.data() + open + 1, close - open - 1);
    bool token = !digits.empty() && digits.size() < 12 && std::all_of(digits.begin(), digits.end(), [](char ch) {
      return ch == '-' || (ch >= '0' && ch <= '9');
    });
    if (!token) {  // a \x1f of the user's own text (in a quoted condition): left as it is
      out.append(text, i, close - i);
      i = close;
      continue;
    }
    out.append(text, i, open - i);
    out += replace(std::stoll(std::string(digits)));
    i = close + 1;
  }
  if (i == 0) return;
  out.append(text, i, std::string::npos);
  text = std::move(out);
}
}  // namespace

void rebase_lines(std::string& text, int64_t delta) {
  rewrite_tokens(text, [delta](long long row) { return "\x1f" + std::to_string(row + delta) + "\x1f"; });
}
void render_lines(std::string& text) {
  rewrite_tokens(text, [](long long row) { return std::to_string(row + 1); });
}

}  // namespace c2py::analysis::c::flow

namespace c2py::analysis::c::flow::detail {

bool FunctionAnalyzer::is_opaque(TSNode cond) {
  // A pure function of the condition (the locals are known before exploring), asked on every
  // visit of its branch: remembered per node.
  if (int8_t known = nodes_[cond].opaque; known >= 0) return known == 1;
  bool opaque = true, reads = false;
  int count = 0;
  TSNode callee{};  // the function of the last call entered: visited right after the call itself
  syntax::walk(cond, [&](TSNode n) {
    if (++count > 200) opaque = false;
    NK kind = kind_of(n);
    if (kind == NK::Identifier) {
      if (local_node(n)) opaque = false;
      else if (!ts_node_eq(callee, n)) reads = true;
    }
    if (kind == NK::Call) {
      reads = true;
      callee = flow::field(n, "function");
    }
    return opaque;
  });
  nodes_[cond].opaque = opaque && reads ? 1 : 0;
  return opaque && reads;
}

void FunctionAnalyzer::drop_unproven_leaks() {
  for (const auto& key : uncertain_leaks_)
    if (!certain_leaks_.count(key) && handled_allocs_.count(std::get<2>(key))) findings_.erase(key);
}

}  // namespace c2py::analysis::c::flow::detail
