// A struct that points to its own type: linked lists, trees. Each node is malloc'd and freed by
// hand in C; Python objects refer to each other through counted references (MM07, MM17, MM19).
#include "c/c_ast.hpp"
#include "c/native_match.hpp"
#include "c/py_expr.hpp"
#include "check.hpp"

namespace c2py::analysis {
namespace {

class LinkedNode final : public Check {
 public:
  std::string_view id() const override { return "c-linked-node"; }
  syntax::Language language() const override { return syntax::Language::C; }
  std::vector<const syntax::Query*> queries() const override { return {&query_}; }
  void run(const CheckInput& input, std::vector<Finding>& out) const override {
    for (const auto& match : input.matches(query_)) {
      std::string tag(syntax::text_of(match.get("tag"), input.source));
      if (syntax::text_of(match.get("field_tag"), input.source) != tag) continue;
      Finding finding;
      finding.idiom = "linked-node";
      finding.range = syntax::range_of(match.get("field"));
      finding.bindings.set("tag", tag);
      finding.bindings.set("field", std::string(syntax::text_of(match.get("field"), input.source)));
      finding.bindings.set("class_name", c::python_class_name(tag, "Node"));
      out.push_back(std::move(finding));
    }
  }

 private:
  syntax::Query query_{syntax::Language::C,
                       R"(
    (struct_specifier
      name: (type_identifier) @tag
      body: (field_declaration_list
        (field_declaration
          type: (struct_specifier name: (type_identifier) @field_tag)
          declarator: (pointer_declarator declarator: (field_identifier) @field))))
  )",
                       {{"struct_specifier"}, &match}};

  static void match(TSNode node, std::string_view, std::vector<syntax::Match>& out) {
    using c::native::child;
    using c::native::is;
    static const TSFieldId name = c::native::field_id("name"), body_field = c::native::field_id("body"),
                           type = c::native::field_id("type"), declarator = c::native::field_id("declarator");
    TSNode tag = child(node, name), body = child(node, body_field);
    if (!is(tag, "type_identifier") || !is(body, "field_declaration_list")) return;
    c::native::each_child(body, [&](TSNode member) {
      if (!is(member, "field_declaration")) return;
      TSNode member_type = child(member, type);
      if (!is(member_type, "struct_specifier")) return;
      TSNode field_tag = child(member_type, name);
      if (!is(field_tag, "type_identifier")) return;
      // Every declarator of the member (`struct node *next, *prev;`).
      c::native::each_child_with_field(member, [&](TSNode d, TSFieldId field) {
        if (field != declarator || !is(d, "pointer_declarator")) return;
        TSNode id = child(d, declarator);
        if (is(id, "field_identifier")) c::native::add(out, 0, {{"tag", tag}, {"field_tag", field_tag}, {"field", id}});
      });
    });
  }
};

}  // namespace
}  // namespace c2py::analysis

C2PY_REGISTER_CHECK(LinkedNode)
