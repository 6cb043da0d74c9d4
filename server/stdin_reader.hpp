// The client's byte stream, read on a thread of its own and handed to the I/O thread in order.
// stdin may be a regular file or a pipe: a plain blocking read works for both (epoll cannot watch
// regular files). Two things keep it well-behaved:
//   - flow control: at most `max_in_flight` bytes wait for the I/O thread, or in its backlog, at
//     once; past that the reader stops reading, so a busy server (or one whose client stopped reading its output)
//     leaves the backlog in the client's pipe instead of in its own memory;
//   - a clean stop: poll() also watches a wake-up pipe, so stop() ends the thread promptly and
//     nothing is posted to the io_context once it returns.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <asio/io_context.hpp>

namespace c2py::server {

class StdinReader {
 public:
  // `on_bytes` and `on_end` run on the io_context's thread; `on_end` once, when input ends.
  // `backlog` (called on the reader's thread) is what the consumer received and still holds.
  StdinReader(asio::io_context& io, int fd, std::function<void(std::string_view)> on_bytes,
              std::function<void()> on_end, std::function<size_t()> backlog, size_t max_in_flight = 8u << 20);
  ~StdinReader();
  StdinReader(const StdinReader&) = delete;
  StdinReader& operator=(const StdinReader&) = delete;

  // Ends the reading thread; after it returns nothing more is posted. Idempotent.
  void stop();

 private:
  void run();
  bool wait_for_room();
  void consumed(size_t n);

  asio::io_context& io_;
  int fd_;
  std::function<void(std::string_view)> on_bytes_;
  std::function<void()> on_end_;
  std::function<size_t()> backlog_;
  size_t max_in_flight_;
  int wake_[2] = {-1, -1};
  std::mutex mutex_;
  std::condition_variable room_;
  size_t in_flight_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace c2py::server
