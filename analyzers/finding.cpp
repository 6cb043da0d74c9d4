#include "finding.hpp"

#include <cmath>

namespace c2py::analysis {

std::string_view hint_kind_name(HintKind kind) {
  switch (kind) {
    case HintKind::Allocations: return "allocations";
    case HintKind::PythonEquivalents: return "pythonEquivalents";
    case HintKind::Refcounts: return "refcounts";
    case HintKind::Lifetimes: return "lifetimes";
    case HintKind::Sizes: return "sizes";
  }
  return "allocations";
}

std::string size_label(long long bytes) {
  static constexpr const char* kUnits[] = {"B", "kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1000.0 && unit < 4) {
    value /= 1000.0;
    ++unit;
  }
  if (unit == 0) return std::to_string(bytes) + " B";
  auto tenths = std::llround(value * 10.0);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " " + kUnits[unit];
}

void Bindings::set(std::string key, std::string value) {
  for (auto& [k, v] : items_)
    if (k == key) {
      v = std::move(value);
      return;
    }
  items_.emplace_back(std::move(key), std::move(value));
}

const std::string* Bindings::get(std::string_view key) const {
  for (const auto& [k, v] : items_)
    if (k == key) return &v;
  return nullptr;
}

void Bindings::shrink_to_fit() {
  items_.shrink_to_fit();
  for (auto& [key, value] : items_) {
    key.shrink_to_fit();
    value.shrink_to_fit();
  }
}

void Finding::shrink_to_fit() {
  idiom.shrink_to_fit();
  bindings.shrink_to_fit();
  variant.shrink_to_fit();
  note.shrink_to_fit();
  hints.shrink_to_fit();
  for (auto& hint : hints) {
    hint.label.shrink_to_fit();
    hint.tooltip.shrink_to_fit();
  }
  if (diagnostic) {
    diagnostic->code.shrink_to_fit();
    diagnostic->message.shrink_to_fit();
    diagnostic->related.shrink_to_fit();
    for (auto& related : diagnostic->related) related.message.shrink_to_fit();
    diagnostic->fixes.shrink_to_fit();
  }
}

void Finding::shift(int64_t delta) {
  auto move = [delta](uint32_t& offset) { offset = static_cast<uint32_t>(static_cast<int64_t>(offset) + delta); };
  auto move_range = [&](ByteRange& r) {
    move(r.begin);
    move(r.end);
  };
  move_range(range);
  for (auto& hint : hints) move(hint.offset);
  if (diagnostic) {
    for (auto& related : diagnostic->related) move_range(related.range);
    for (auto& fix : diagnostic->fixes)
      for (auto& edit : fix.edits) move_range(edit.range);
  }
}

}  // namespace c2py::analysis
