#include "server/stdin_reader.hpp"

#include <cerrno>
#include <chrono>
#include <poll.h>
#include <unistd.h>

#include <asio/post.hpp>

namespace c2py::server {

StdinReader::StdinReader(asio::io_context& io, int fd, std::function<void(std::string_view)> on_bytes,
                         std::function<void()> on_end, std::function<size_t()> backlog, size_t max_in_flight)
    : io_(io),
      fd_(fd),
      on_bytes_(std::move(on_bytes)),
      on_end_(std::move(on_end)),
      backlog_(std::move(backlog)),
      max_in_flight_(max_in_flight) {
  if (::pipe(wake_) != 0) wake_[0] = wake_[1] = -1;  // then stop() cannot interrupt a read; see stop()
  thread_ = std::thread([this] { run(); });
}

StdinReader::~StdinReader() {
  stop();
  for (int end : wake_)
    if (end >= 0) ::close(end);
}

void StdinReader::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  room_.notify_all();
  if (wake_[1] >= 0) {
    char byte = 0;
    while (::write(wake_[1], &byte, 1) < 0 && errno == EINTR) {
    }
  }
  if (!thread_.joinable()) return;
  if (wake_[0] >= 0) thread_.join();
  else thread_.detach();  // no wake-up pipe: the thread may stay in read(); it posts nothing more
}

bool StdinReader::wait_for_room() {
  std::unique_lock lock(mutex_);
  // The consumer's backlog shrinks without telling us: look again every few milliseconds.
  while (!room_.wait_for(lock, std::chrono::milliseconds(5),
                         [this] { return stopping_ || in_flight_ + backlog_() < max_in_flight_; })) {
  }
  return !stopping_;
}

void StdinReader::consumed(size_t n) {
  {
    std::lock_guard lock(mutex_);
    in_flight_ -= n;
  }
  room_.notify_all();
}

void StdinReader::run() {
  char buffer[1 << 16];
  while (wait_for_room()) {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    int ready = ::poll(fds, wake_[0] >= 0 ? 2 : 1, -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0 || (fds[1].revents & POLLIN)) break;
    ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) {
      std::lock_guard lock(mutex_);
      if (!stopping_) asio::post(io_, [this] { on_end_(); });
      return;
    }
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    in_flight_ += static_cast<size_t>(n);
    asio::post(io_, [this, bytes = std::string(buffer, static_cast<size_t>(n))] {
      on_bytes_(bytes);
      consumed(bytes.size());
    });
  }
}

}  // namespace c2py::server
