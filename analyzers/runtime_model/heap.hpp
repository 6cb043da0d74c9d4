// The model's heap: CPython objects as plain records, with the reference counts the program
// holds, the over-allocation rules of list/dict/set/bytearray/array, and sys.getsizeof per
// CPython version. No tree-sitter here; the interpreter (interpreter.cpp) drives it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <tree_sitter/api.h>

namespace c2py::runtime_model {

using Id = uint32_t;  // allocation number; 0 = no object
__extension__ typedef __int128 wide_t;  // ints beyond 64 bits the model follows (up to 127 bits)
__extension__ typedef unsigned __int128 uwide_t;

enum class Kind : uint8_t {
  None, Bool, Int, Float, Str, Bytes, Bytearray, List, Tuple, Dict, Set, Function, Class, Instance,
  Module, Array, Cell, Iterator, View, Range, Builtin, Opaque, Generator
};

// Members are grouped by alignment (a run holds up to 100 000 records, and each checkpoint a copy
// of them): the 16-byte int first, then strings and vectors, 8-, 4- and 1-byte fields.
struct Obj {
  // An int beyond 64 bits: its value here, `has_value` false (so code that reads `ival` sees an
  // int it does not know and gives up); arithmetic, comparisons, truth, str() and sizes read it.
  wide_t wide = 0;
  std::string type;       // type(x).__name__
  std::string text;       // UTF-8 for str, raw bytes for bytes/bytearray
  std::string name;       // function/class/module/builtin name
  std::string last_name;  // the last variable that named it

  // Containers. Dict: items are keys, values parallel; Set: items.
  std::vector<Id> items;
  std::vector<Id> values;
  std::vector<std::pair<std::string, Id>> attrs;  // instance/class attributes, module members
  std::vector<std::pair<std::string, Id>> cells;  // function: free variable → cell
  // The last name it had in each frame (by frame serial), newest last, for "freed: big_data"
  // said in the frame where the user reads it, not in a callee's.
  std::vector<std::pair<uint64_t, std::string>> frame_names;
  TSNode def{};           // function: its definition (function_definition or lambda)

  int64_t rc = 0;
  // Scalars. A str/bytes/bytearray value is kept when known (`has_value`).
  int64_t ival = 0;
  double fval = 0;
  int64_t len = 0;        // str code points, bytes length, array items
  int64_t cap = 0;        // list allocated slots, bytearray/array allocation
  int64_t dk_usable = 0, dk_nentries = 0;
  int64_t set_mask = 7, set_fill = 0;
  int64_t index = 0;      // iterator position; generator: its state (gen_object.cpp)
  int64_t range_start = 0, range_step = 1;
  uint64_t dirty_seq = 0;     // when its count last changed inside a statement (interpreter.cpp)

  int str_kind = 1;       // 1 ASCII, 2 latin-1, 3 UCS-2, 4 UCS-4
  int dk_log2 = 0;        // dict keys table (0: the shared empty table)
  Id defaults = 0;        // function: the __defaults__ tuple
  Id kwdefaults = 0;      // function: the __kwdefaults__ dict (keyword-only defaults)
  Id cls = 0;             // instance: its class; class: its base (0 = object)
  Id target = 0;          // cell content; iterator's sequence; generator: its function (f_func)
  int itemsize = 0;
  uint32_t birth_line = 0;

  Kind kind = Kind::Opaque;
  bool alive = true;
  bool constant = false;  // immortal, cached or a code constant: its count is not the program's
  bool immortal = false;
  bool unknown = false;   // its count, contents or size may differ from CPython
  bool hidden = false;    // modules and builtins: not listed in snapshots
  bool has_value = false;
  bool is_wide = false;   // an int beyond 64 bits (`wide`)
  bool dk_unicode = true;
  bool has_del = false;   // class: defines __del__
  bool has_slots = false; // class: defines __slots__ or special methods the model refuses
  bool has_repr = false;  // class: defines __repr__/__str__ (printing runs user code)
  bool has_eq = false;    // class: defines __eq__/__ne__/__hash__ (equality and hashing run user code)
  bool has_truth = false; // class: defines __bool__/__len__ (truth runs user code)
  bool size_unknown = false;  // layout depends on hashes (a set after removals)
  char typecode = 0;      // array
  bool runs_user_code = false;  // an opaque callable wrapping user code (an unknown decorator's result)
  // The interpreter holds references the model cannot count (a traceback's frame waiting for the
  // cyclic GC): the program's count is exact, the interpreter's is not; never freed by the model.
  bool interp_unknown = false;
  bool count_unknown = false;  // both counts unknown, the object itself known (see Interp::count_unknown)
  bool generated = false;  // function: code a library generated (a dataclass's __init__), not the program's lines
};

// The records of a run, by id, in chunks of kChunk: a record never moves (handlers hold `Obj&`
// while they allocate) and indexing is a shift and a mask. A copy (a checkpoint, or a run
// resumed from one) shares the chunks; a chunk is copied when a shared one is first reached
// through a non-const reference (copy on write), so a checkpoint costs the chunks the run
// changes afterwards, not the whole heap. Copies are taken only between top-level statements,
// when no `Obj&` is held. (std::deque kept records this large one per allocation.)
class ObjStore {
 public:
  static constexpr size_t kChunk = 32;
  ObjStore() = default;
  ObjStore(const ObjStore& other) : chunks_(other.chunks_), shared_(other.chunks_.size(), 1), size_(other.size_) {
    std::fill(other.shared_.begin(), other.shared_.end(), 1);
  }
  ObjStore& operator=(const ObjStore&) = delete;
  ObjStore(ObjStore&&) noexcept = default;
  ObjStore& operator=(ObjStore&&) = delete;
  ~ObjStore() = default;

  size_t size() const { return size_; }
  Obj& operator[](size_t id) {
    size_t c = id / kChunk;
    if (shared_[c]) own(c);
    return chunks_[c]->at(id % kChunk);
  }
  const Obj& operator[](size_t id) const { return chunks_[id / kChunk]->at(id % kChunk); }
  template <typename... A>
  Obj& emplace_back(A&&... args) {
    size_t c = size_ / kChunk;
    if (c == chunks_.size()) {
      chunks_.push_back(std::make_shared<Chunk>());
      shared_.push_back(0);
    } else if (shared_[c]) {
      own(c);
    }
    Chunk& chunk = *chunks_[c];
    Obj* o = new (chunk.slot(chunk.count)) Obj(std::forward<A>(args)...);
    ++chunk.count;
    ++size_;
    return *o;
  }
  void push_back(Obj&& o) { emplace_back(std::move(o)); }

 private:
  struct Chunk {
    size_t count = 0;  // records constructed
    alignas(Obj) unsigned char bytes[kChunk * sizeof(Obj)];
    // User-provided: make_shared value-initializes, which would zero the records' bytes
    // (kChunk records, most never made) before each is constructed.
    Chunk() {}  // NOLINT(modernize-use-equals-default)
    Chunk(const Chunk&) = delete;
    Chunk& operator=(const Chunk&) = delete;
    ~Chunk() {
      for (size_t i = count; i > 0; --i) at(i - 1).~Obj();
    }
    void* slot(size_t i) { return bytes + i * sizeof(Obj); }
    Obj& at(size_t i) { return *std::launder(reinterpret_cast<Obj*>(slot(i))); }
    const Obj& at(size_t i) const { return *std::launder(reinterpret_cast<const Obj*>(bytes + i * sizeof(Obj))); }
  };
  // Makes chunk c this store's own: copied when another store holds it too.
  void own(size_t c) {
    if (chunks_[c].use_count() > 1) {
      auto copy = std::make_shared<Chunk>();
      const Chunk& from = *chunks_[c];
      for (size_t i = 0; i < from.count; ++i) {
        new (copy->slot(i)) Obj(from.at(i));
        copy->count = i + 1;
      }
      // The old chunk stays allocated while this store lives, so no later record takes an
      // address a record had (the interpreter keys dict indexes by address).
      retired_.push_back(std::move(chunks_[c]));
      chunks_[c] = std::move(copy);
    }
    shared_[c] = 0;
  }
  std::vector<std::shared_ptr<const Chunk>> retired_;  // not copied
  std::vector<std::shared_ptr<Chunk>> chunks_;
  mutable std::vector<uint8_t> shared_;  // per chunk: another store may hold it
  size_t size_ = 0;
};

// Reference edges of an object, in the order CPython would release them.
template <typename Visit>
void for_each_ref(const Obj& o, Visit visit) {
  switch (o.kind) {
    case Kind::List:
    case Kind::Tuple:
      for (size_t i = 0; i < o.items.size(); ++i) visit(o.items[i], "[" + std::to_string(i) + "]");
      break;
    case Kind::Set:
      for (Id id : o.items) visit(id, std::string("<item>"));
      break;
    case Kind::Dict:
      for (size_t i = 0; i < o.items.size(); ++i) {
        visit(o.items[i], std::string("<key>"));
        visit(o.values[i], "[key " + std::to_string(i) + "]");
      }
      break;
    case Kind::Instance:
    case Kind::Class:
      for (const auto& [name, id] : o.attrs) visit(id, "." + name);
      break;
    case Kind::Function:
      if (o.defaults) visit(o.defaults, std::string("__defaults__"));
      if (o.kwdefaults) visit(o.kwdefaults, std::string("__kwdefaults__"));
      for (const auto& [name, id] : o.cells) visit(id, std::string("<cell>"));
      break;
    case Kind::Cell:
      if (o.target) visit(o.target, std::string("<cell>"));
      break;
    case Kind::View:
      if (o.target) visit(o.target, std::string("<mapping>"));
      break;
    case Kind::Iterator:
      // The sequence it walks, inner iterators (enumerate, zip), and the result tuple that
      // enumerate, zip and dict.items() reuse while nothing else holds it.
      if (o.target) visit(o.target, std::string("<iterable>"));
      for (Id id : o.items) visit(id, std::string("<iterator>"));
      for (Id id : o.values) visit(id, std::string("<result>"));
      break;
    case Kind::Generator:
      // Its suspended frame: the locals (attrs), the value stack (items: the iterators of the
      // loops it is suspended in), then the function the frame holds.
      for (const auto& [name, id] : o.attrs) visit(id, "<frame " + name + ">");
      for (Id id : o.items) visit(id, std::string("<frame stack>"));
      if (o.target) visit(o.target, std::string("<function>"));
      break;
    default:
      break;
  }
}

// The same edges without their labels, for the hot paths (frees, reachability, the GC).
template <typename Visit>
void for_each_child(const Obj& o, Visit visit) {
  switch (o.kind) {
    case Kind::List:
    case Kind::Tuple:
    case Kind::Set:
      for (Id id : o.items) visit(id);
      break;
    case Kind::Dict:
      for (size_t i = 0; i < o.items.size(); ++i) {
        visit(o.items[i]);
        visit(o.values[i]);
      }
      break;
    case Kind::Instance:
    case Kind::Class:
      for (const auto& [name, id] : o.attrs) visit(id);
      break;
    case Kind::Function:
      if (o.defaults) visit(o.defaults);
      if (o.kwdefaults) visit(o.kwdefaults);
      for (const auto& [name, id] : o.cells) visit(id);
      break;
    case Kind::Cell:
    case Kind::View:
      if (o.target) visit(o.target);
      break;
    case Kind::Iterator:
      if (o.target) visit(o.target);
      for (Id id : o.items) visit(id);
      for (Id id : o.values) visit(id);
      break;
    case Kind::Generator:
      for (const auto& [name, id] : o.attrs) visit(id);
      for (Id id : o.items) visit(id);
      if (o.target) visit(o.target);
      break;
    default:
      break;
  }
}

// Which CPython the sizes follow: 11, 12 or 13 (3.x).
struct Version {
  int minor = 12;
};

std::optional<int64_t> size_of(const Obj& o, Version v);

// list_resize (Objects/listobject.c, 3.9–3.13): the capacity after resizing to `newsize`.
int64_t list_resize_cap(int64_t allocated, int64_t size, int64_t newsize);
// list_preallocate_exact: rounds up to even (3.11+).
inline int64_t list_exact_cap(int64_t n) { return (n + 1) & ~int64_t{1}; }
// PyByteArray_Resize: the allocation after resizing to `size`.
int64_t bytearray_resize_alloc(int64_t alloc, int64_t size);
// array_resize (Modules/arraymodule.c).
int64_t array_resize_cap(int64_t allocated, int64_t size, int64_t newsize);

// Dict keys table bookkeeping (Objects/dictobject.c, 3.11–3.13).
void dict_insert_layout(Obj& d, bool key_is_str);
void dict_presize(Obj& d, int64_t n, bool all_str);
// Set table bookkeeping (Objects/setobject.c).
void set_add_layout(Obj& s);
void set_merge_presize(Obj& s, int64_t other_used);

}  // namespace c2py::runtime_model
