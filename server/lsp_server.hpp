// The LSP 3.17 lifecycle and dispatch: reads framed JSON-RPC, answers lifecycle and document
// sync itself, hands feature requests to the files under server/features/ on the worker pool,
// and writes every outgoing message through one ordered sink on the I/O thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <asio/io_context.hpp>
#include <asio/thread_pool.hpp>

#include "knowledge/knowledge.hpp"
#include "server/documents.hpp"
#include "server/feature.hpp"
#include "server/json_rpc.hpp"
#include "server/log.hpp"
#include "server/settings.hpp"

namespace c2py::server {

class LanguageServer {
 public:
  // `write` receives framed messages, always on the I/O thread (the io_context's thread).
  LanguageServer(asio::io_context& io, std::function<void(std::string)> write, Logger& logger,
                 unsigned worker_threads = 2);
  ~LanguageServer();
  LanguageServer(const LanguageServer&) = delete;
  LanguageServer& operator=(const LanguageServer&) = delete;

  // Called on the I/O thread with raw bytes from the client.
  void on_bytes(std::string_view bytes);
  // Bytes received but not yet handled (any thread): the input reader stops reading while this
  // and what it has in flight exceed its bound, so a client that floods us (or stops reading our
  // answers, which stalls us) keeps its backlog in its own pipe.
  size_t backlog_bytes() const { return backlog_bytes_.load(std::memory_order_relaxed); }
  // The client's stream ended.
  void on_end_of_input();
  // Set once `exit` arrived (or input ended): the process exit code per LSP.
  std::optional<int> exit_code() const { return exit_code_; }
  // Requests taken and not yet answered (I/O thread only).
  size_t requests_in_flight() const { return active_.size(); }
  // Stops the analyses and the worker pool; false if a worker is still busy after `grace`.
  bool stop_workers(std::chrono::milliseconds grace);

 private:
  enum class Phase { Uninitialized, Running, ShutDown };
  struct ActiveRequest {
    std::shared_ptr<std::atomic<bool>> cancelled;
    uint64_t serial = 0;
  };

  // Handles the frames received so far while fewer than kMaxActiveRequests are in flight.
  void pump();
  void handle(const json& message);
  void handle_request(const json& id, const std::string& method, const json& params);
  void handle_notification(const std::string& method, const json& params);
  void handle_response(const json& message);
  json initialize(const json& params);
  void did_open(const json& params);
  void did_change(const json& params);
  void did_close(const json& params);
  void did_change_configuration(const json& params);
  void request_configuration();
  void apply_settings(const json& section);
  void on_snapshot(const SnapshotPtr& snapshot);
  void republish_all();

  void send(const json& message);  // from any thread
  void respond(const json& id, json result);
  void respond_error(const json& id, int code, const std::string& message);
  void notify(const std::string& method, json params);
  void log_message(int type, const std::string& text);

  asio::io_context& io_;
  std::function<void(std::string)> write_;
  Logger& logger_;
  FrameReader reader_;
  // Requests being worked on at once; more wait, unparsed, in reader_ (and then in the pipe).
  static constexpr size_t kMaxActiveRequests = 256;
  std::atomic<size_t> backlog_bytes_{0};
  size_t backlog_peak_ = 0;  // for giving memory back once a flood is over
  Phase phase_ = Phase::Uninitialized;
  std::optional<int> exit_code_;
  Encoding encoding_ = Encoding::UTF16;
  std::string trace_ = "off";
  bool client_configuration_ = false;
  bool client_inlay_refresh_ = false;
  int64_t next_outgoing_id_ = 1;
  std::map<int64_t, std::function<void(const json&)>> outgoing_;
  std::multimap<std::string, ActiveRequest> active_;  // by id.dump()
  uint64_t next_serial_ = 0;
  // Per document, the revision whose diagnostics were written last (I/O thread only).
  std::map<std::string, uint64_t> published_;
  FeatureRegistry features_;

  // Read by workers as immutable snapshots; replaced whole on the I/O thread.
  mutable std::mutex config_mutex_;
  std::shared_ptr<const Settings> settings_ = std::make_shared<Settings>();
  std::shared_ptr<const knowledge::Base> knowledge_;

  asio::thread_pool pool_;
  std::unique_ptr<DocumentStore> documents_;
};

}  // namespace c2py::server
