// What publishing one document's diagnostics keeps from one snapshot to the next: the JSON text
// of each diagnostic without its positions (code, description, data, message, the related
// locations' messages), under the content of the finding it came from. An edit changes few
// findings; the others' text is reused and only their positions are converted again
// (features/diagnostics.cpp). It saves work, never changes what is sent.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace c2py::server {

struct DiagnosticMemo {
  struct Parts {
    std::string head;                  // `{"code":…,"message":…,` up to the range
    std::vector<std::string> related;  // each related location's message, as a JSON string
    std::string tail;                  // `,"severity":2,"source":"c2py"}`
    bool used = true;                  // by the last publication
  };
  // A settings republish may render beside a new analysis: one publication at a time.
  std::mutex mutex;
  const void* knowledge = nullptr;  // the knowledge base the texts were rendered with
  std::unordered_map<std::string, Parts> parts;
};

}  // namespace c2py::server
