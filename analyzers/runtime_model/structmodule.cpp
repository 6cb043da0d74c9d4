// struct.pack / struct.unpack (Modules/_struct.c) with a standard-size format: a byte order
// ('<', '>', '!' or '='), then counted codes among x b B ? h H i I l L q Q s. Native formats
// ('@' or none: C alignment) and floats are not followed.
#include "runtime_model/interp.hpp"

namespace c2py::runtime_model::engine {

namespace {

struct Field {
  char code;
  int64_t count;  // repeats, or the length of an `s`
  int size;       // bytes of one item
};

int standard_size(char c) {
  switch (c) {
    case 'x': case 'b': case 'B': case '?': case 's': return 1;
    case 'h': case 'H': return 2;
    case 'i': case 'I': case 'l': case 'L': return 4;
    case 'q': case 'Q': return 8;
    default: return 0;
  }
}

}  // namespace

Ref Interp::call_struct(const std::string& name, Args& args) {
  auto& a = args.positional;
  if (a.empty() || !args.keywords.empty()) throw GiveUp{name + "() arguments"};
  const Obj& f = heap_[a[0].get()];
  if (f.kind != Kind::Str || !f.has_value) throw GiveUp{name + "() with a format the model does not know"};
  const std::string& fmt = f.text;
  if (fmt.empty() || (fmt[0] != '<' && fmt[0] != '>' && fmt[0] != '!' && fmt[0] != '='))
    throw GiveUp{name + "() with a native format (alignment)"};
  bool little = fmt[0] == '<';  // '=' is native order: little-endian here
  if (fmt[0] == '=') little = true;
  std::vector<Field> fields;
  int64_t total = 0;
  for (size_t i = 1; i < fmt.size();) {
    if (fmt[i] == ' ') { ++i; continue; }
    int64_t count = -1;
    while (i < fmt.size() && fmt[i] >= '0' && fmt[i] <= '9') {
      count = (count < 0 ? 0 : count) * 10 + (fmt[i] - '0');
      if (count > kMaxSlots) throw GiveUp{name + "() with a count too big for the model"};
      ++i;
    }
    if (i >= fmt.size()) throw GiveUp{"a struct format the model does not read (struct.error)"};
    char c = fmt[i++];
    int size = standard_size(c);
    if (!size) throw GiveUp{std::string("the struct code '") + c + "' is not modelled"};
    if (count < 0) count = 1;
    fields.push_back({c, count, size});
    total += c == 's' ? count : count * size;
  }
  auto put = [&](std::string& out, uwide_t v, int size) {
    for (int k = 0; k < size; ++k) {
      int shift = little ? k : size - 1 - k;
      out += static_cast<char>(static_cast<unsigned char>(v >> (8 * shift)));
    }
  };
  if (name == "struct.pack") {
    std::string out;
    size_t arg = 1;
    for (const Field& fd : fields) {
      if (fd.code == 'x') { out.append(static_cast<size_t>(fd.count), '\0'); continue; }
      if (fd.code == 's') {
        if (arg >= a.size()) throw GiveUp{"struct.pack() with too few values (struct.error)"};
        const Obj& b = heap_[a[arg++].get()];
        if (b.kind != Kind::Bytes || !b.has_value) throw GiveUp{"struct.pack() of an `s` the model does not know"};
        std::string s = b.text.substr(0, static_cast<size_t>(fd.count));
        s.resize(static_cast<size_t>(fd.count), '\0');
        out += s;
        continue;
      }
      for (int64_t n = 0; n < fd.count; ++n) {
        if (arg >= a.size()) throw GiveUp{"struct.pack() with too few values (struct.error)"};
        std::optional<wide_t> v = int_value(a[arg++].get());
        if (!v) throw GiveUp{"struct.pack() of a value that is not an int the model knows"};
        bool is_signed = fd.code == 'b' || fd.code == 'h' || fd.code == 'i' || fd.code == 'l' || fd.code == 'q';
        wide_t lo = is_signed ? -(static_cast<wide_t>(1) << (8 * fd.size - 1)) : 0;
        wide_t hi = is_signed ? (static_cast<wide_t>(1) << (8 * fd.size - 1)) - 1 : (static_cast<wide_t>(1) << (8 * fd.size)) - 1;
        if (fd.code == '?') lo = INT64_MIN, hi = INT64_MAX;
        if (*v < lo || *v > hi) throw GiveUp{"struct.pack() of an int out of range (struct.error)"};
        put(out, fd.code == '?' ? (*v != 0) : static_cast<uwide_t>(*v), fd.size);
      }
    }
    if (arg != a.size()) throw GiveUp{"struct.pack() with too many values (struct.error)"};
    return make_bytes(std::move(out));
  }
  // struct.unpack(fmt, buffer): a new tuple.
  if (a.size() != 2) throw GiveUp{"struct.unpack() arguments"};
  const Obj& buf = heap_[a[1].get()];
  if ((buf.kind != Kind::Bytes && buf.kind != Kind::Bytearray) || !buf.has_value)
    throw GiveUp{"struct.unpack() of a buffer the model does not know"};
  if (static_cast<int64_t>(buf.text.size()) != total) throw GiveUp{"struct.unpack() of a buffer of another size (struct.error)"};
  std::string data = buf.text;
  std::vector<Ref> items;
  size_t at = 0;
  for (const Field& fd : fields) {
    if (fd.code == 'x') { at += static_cast<size_t>(fd.count); continue; }
    if (fd.code == 's') {
      items.push_back(make_bytes(data.substr(at, static_cast<size_t>(fd.count))));
      at += static_cast<size_t>(fd.count);
      continue;
    }
    for (int64_t n = 0; n < fd.count; ++n) {
      uwide_t v = 0;
      for (int k = 0; k < fd.size; ++k) {
        int shift = little ? k : fd.size - 1 - k;
        v |= static_cast<uwide_t>(static_cast<unsigned char>(data[at + static_cast<size_t>(k)])) << (8 * shift);
      }
      at += static_cast<size_t>(fd.size);
      bool is_signed = fd.code == 'b' || fd.code == 'h' || fd.code == 'i' || fd.code == 'l' || fd.code == 'q';
      wide_t value = static_cast<wide_t>(v);
      if (is_signed && (v >> (8 * fd.size - 1)) & 1) value -= static_cast<wide_t>(1) << (8 * fd.size);
      if (fd.code == '?') items.push_back(make_bool(v != 0));
      else items.push_back(make_wide(value));
    }
  }
  return make_tuple(std::move(items));
}

}  // namespace c2py::runtime_model::engine
