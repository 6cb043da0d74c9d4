#include "runtime_model/heap.hpp"

namespace c2py::runtime_model {

int64_t list_resize_cap(int64_t allocated, int64_t size, int64_t newsize) {
  // Fits and not less than half full: no realloc.
  if (allocated >= newsize && newsize >= (allocated >> 1)) return allocated;
  int64_t grown = (newsize + (newsize >> 3) + 6) & ~int64_t{3};
  // A big jump (extend by many) gets just what it needs, rounded to 4.
  if (newsize - size > grown - newsize) grown = (newsize + 3) & ~int64_t{3};
  if (newsize == 0) grown = 0;
  return grown;
}

int64_t bytearray_resize_alloc(int64_t alloc, int64_t size) {
  if (size + 1 <= alloc) return size < alloc / 2 ? size + 1 : alloc;
  if (static_cast<double>(size) <= static_cast<double>(alloc) * 1.125)
    return size + (size >> 3) + (size < 9 ? 3 : 6);
  return size + 1;
}

int64_t array_resize_cap(int64_t allocated, int64_t size, int64_t newsize) {
  if (allocated >= newsize && size < newsize + 16 && allocated > 0) return allocated;
  if (newsize == 0) return 0;
  return (newsize >> 4) + (size < 8 ? 3 : 7) + newsize;
}

namespace {
int log2_for(int64_t minsize) {
  int log2 = 3;
  while ((int64_t{1} << log2) < minsize) ++log2;
  return log2;
}
int64_t usable_of(int log2) { return ((int64_t{1} << log2) << 1) / 3; }
}  // namespace

void dict_insert_layout(Obj& d, bool key_is_str) {
  if (d.dk_log2 == 0) {  // the shared empty table: a new minimal one
    d.dk_log2 = 3;
    d.dk_usable = usable_of(3);
    d.dk_nentries = 0;
    d.dk_unicode = key_is_str;
  } else if (d.dk_unicode && !key_is_str) {
    // A non-str key turns the table general: insertdict resizes it (GROWTH_RATE).
    int64_t used = static_cast<int64_t>(d.items.size());
    d.dk_log2 = log2_for(used * 3);
    d.dk_usable = usable_of(d.dk_log2) - used;
    d.dk_nentries = used;
    d.dk_unicode = false;
  }
  if (d.dk_usable <= 0) {
    int64_t used = static_cast<int64_t>(d.items.size());
    d.dk_log2 = log2_for(used * 3);
    d.dk_usable = usable_of(d.dk_log2) - used;
    d.dk_nentries = used;
  }
  --d.dk_usable;
  ++d.dk_nentries;
}

void dict_presize(Obj& d, int64_t n, bool all_str) {
  // _PyDict_NewPresized: up to 5 items starts from the empty table and grows by insertion.
  if (n <= 5) return;
  d.dk_log2 = log2_for((n * 3 + 1) >> 1);
  d.dk_usable = usable_of(d.dk_log2);
  d.dk_nentries = 0;
  d.dk_unicode = all_str;
}

void set_add_layout(Obj& s) {
  ++s.set_fill;
  if (s.set_fill * 5 < s.set_mask * 3) return;
  int64_t used = static_cast<int64_t>(s.items.size());
  int64_t minused = used > 50000 ? used * 2 : used * 4;
  int64_t size = 8;
  while (size <= minused) size <<= 1;
  s.set_mask = size - 1;
  s.set_fill = used;
}

void set_merge_presize(Obj& s, int64_t other_used) {
  int64_t used = static_cast<int64_t>(s.items.size());
  if ((s.set_fill + other_used) * 5 >= s.set_mask * 3) {
    int64_t minused = (used + other_used) * 2;
    int64_t size = 8;
    while (size <= minused) size <<= 1;
    s.set_mask = size - 1;
    s.set_fill = used;
  }
}

std::optional<int64_t> size_of(const Obj& o, Version v) {
  if (o.size_unknown) return std::nullopt;
  bool new_layout = v.minor >= 12;
  if (o.kind == Kind::Opaque && o.type == "_Feature" && !o.unknown) return new_layout ? 48 : 56;  // measured
  switch (o.kind) {
    case Kind::None: return 16;
    case Kind::Bool: return 28;
    case Kind::Int: {
      if (!o.has_value && !o.is_wide) return std::nullopt;
      wide_t value = o.is_wide ? o.wide : o.ival;
      uwide_t magnitude = value < 0 ? 0 - static_cast<uwide_t>(value) : static_cast<uwide_t>(value);
      int64_t digits = 0;
      while (magnitude) {
        ++digits;
        magnitude >>= 30;
      }
      return 24 + 4 * (digits ? digits : 1);
    }
    case Kind::Float: return 24;
    case Kind::Str: {
      if (o.str_kind == 1) return (new_layout ? 40 : 48) + o.len + 1;
      int width = o.str_kind == 2 ? 1 : o.str_kind == 3 ? 2 : 4;
      return (new_layout ? 56 : 72) + (o.len + 1) * width;
    }
    case Kind::Bytes: return 33 + o.len;
    case Kind::Bytearray: return 56 + o.cap;
    case Kind::List: return 56 + 8 * o.cap;
    case Kind::Tuple: return 40 + 8 * static_cast<int64_t>(o.items.size());
    case Kind::Dict: {
      if (o.dk_log2 == 0) return 64;
      int64_t slots = int64_t{1} << o.dk_log2;
      int index_bytes = o.dk_log2 <= 7 ? 1 : o.dk_log2 <= 15 ? 2 : 4;
      return 64 + 32 + index_bytes * slots + usable_of(o.dk_log2) * (o.dk_unicode ? 16 : 24);
    }
    case Kind::Set: return o.set_mask == 7 ? 216 : 216 + 16 * (o.set_mask + 1);
    case Kind::Function: return new_layout ? 160 : 152;
    case Kind::Instance: return new_layout ? 48 : 56;
    case Kind::Array: return 80 + o.itemsize * o.cap;
    case Kind::Cell: return 40;
    case Kind::Range: return 48;
    default: return std::nullopt;
  }
}

}  // namespace c2py::runtime_model
