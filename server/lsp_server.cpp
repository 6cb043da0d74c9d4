#include "server/lsp_server.hpp"

#include <algorithm>
#include <future>
#include <thread>

#include <asio/post.hpp>
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace c2py::server {

namespace {

void release_free_memory() {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

const json* member(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string string_member(const json& object, const char* key, const char* what) {
  const json* value = member(object, key);
  if (!value || !value->is_string()) throw RequestError{error_code::InvalidParams, std::string(what) + " must be a string"};
  return value->get<std::string>();
}

const json& object_member(const json& object, const char* key, const char* what) {
  const json* value = member(object, key);
  if (!value || !value->is_object()) throw RequestError{error_code::InvalidParams, std::string(what) + " must be an object"};
  return *value;
}

// The client's document version, when it is an integer JSON can carry exactly in 64 bits. A
// missing, null, fractional or huge one labels nothing: we still take the text.
std::optional<int64_t> client_version(const json& doc) {
  const json* version = member(doc, "version");
  if (!version || !version->is_number_integer()) return std::nullopt;
  if (version->is_number_unsigned() && version->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return version->get<int64_t>();
}

std::optional<syntax::Language> language_of(const std::string& language_id, const std::string& uri) {
  if (auto language = syntax::language_from_id(language_id)) return language;
  return syntax::language_from_path(uri);
}

}  // namespace

LanguageServer::LanguageServer(asio::io_context& io, std::function<void(std::string)> write, Logger& logger,
                               unsigned worker_threads)
    : io_(io),
      write_(std::move(write)),
      logger_(logger),
      knowledge_(std::make_shared<knowledge::Base>(knowledge::Base::embedded())),
      pool_(worker_threads) {
  register_all_features(features_);
  documents_ = std::make_unique<DocumentStore>(pool_, [this](SnapshotPtr snapshot) { on_snapshot(std::move(snapshot)); });
}

LanguageServer::~LanguageServer() {
  // Workers reference the store and this object: stop them before either goes away.
  pool_.stop();
  pool_.join();
  documents_.reset();
}

bool LanguageServer::stop_workers(std::chrono::milliseconds grace) {
  documents_->stop_all();
  pool_.stop();
  // asio's join has no timeout: join on a helper thread and wait for it as long as we may.
  auto joined = std::make_shared<std::promise<void>>();
  auto done = joined->get_future();
  std::thread([this, joined] {
    pool_.join();
    joined->set_value();
  }).detach();
  return done.wait_for(grace) == std::future_status::ready;
}

void LanguageServer::send(const json& message) {
  std::string framed = frame(message);
  asio::post(io_, [this, framed = std::move(framed)]() mutable { write_(std::move(framed)); });
}

void LanguageServer::respond(const json& id, json result) {
  send({{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
}

void LanguageServer::respond_error(const json& id, int code, const std::string& message) {
  send({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
}

void LanguageServer::notify(const std::string& method, json params) {
  send({{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
}

void LanguageServer::log_message(int type, const std::string& text) {
  logger_.log(static_cast<LogLevel>(type), text);
  notify("window/logMessage", {{"type", type}, {"message", "c2py: " + text}});
}

void LanguageServer::on_bytes(std::string_view bytes) {
  reader_.feed(bytes);
  pump();
}

void LanguageServer::pump() {
  while (!exit_code_ && active_.size() < kMaxActiveRequests) {
    auto item = reader_.next();
    if (!item) break;
    if (auto* error = std::get_if<FrameReader::FramingError>(&*item)) {
      logger_.log(LogLevel::Warning, "framing: " + error->message);
      // There is no id to answer; JSON-RPC wants a null-id error for unreadable input.
      respond_error(nullptr, error_code::ParseError, "bad message framing: " + error->message);
      continue;
    }
    const auto& body = std::get<FrameReader::Frame>(*item).body;
    if (!nesting_within(body, kMaxJsonDepth)) {
      respond_error(nullptr, error_code::InvalidRequest,
                    "message nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
      continue;
    }
    json message = json::parse(body, nullptr, false);
    if (message.is_discarded())
      if (auto repaired = replace_lone_surrogates(body)) message = json::parse(*repaired, nullptr, false);
    if (message.is_discarded()) {
      reader_.resync();
      respond_error(nullptr, error_code::ParseError, "message body is not valid JSON (or not UTF-8)");
      continue;
    }
    try {
      handle(message);
    } catch (const std::exception& e) {
      logger_.log(LogLevel::Error, std::string("internal error: ") + e.what());
    }
  }
  // Only frames held back count: a partial frame needs more bytes, whatever its size.
  size_t backlog = active_.size() >= kMaxActiveRequests ? reader_.buffered() : 0;
  backlog_bytes_.store(backlog, std::memory_order_relaxed);
  backlog_peak_ = std::max(backlog_peak_, backlog);
  if (exit_code_) {
    io_.stop();
  } else if (backlog_peak_ > (4u << 20) && backlog == 0 && active_.empty()) {
    // A flood is over: hand the freed heap back to the system rather than keep its peak.
    backlog_peak_ = 0;
    release_free_memory();
  }
}

void LanguageServer::on_end_of_input() {
  if (!exit_code_) exit_code_ = phase_ == Phase::ShutDown ? 0 : 1;
}

void LanguageServer::handle(const json& message) {
  if (!message.is_object()) {
    respond_error(nullptr, error_code::InvalidRequest, "a JSON-RPC message must be an object");
    return;
  }
  const json* id = member(message, "id");
  const json* method = member(message, "method");
  if (id && !id->is_string() && !id->is_number_integer()) {
    // LSP ids are integers or strings; a null id cannot be told apart from our error replies.
    respond_error(nullptr, error_code::InvalidRequest, "id must be a string or an integer");
    return;
  }
  if (!method) {
    if (id && (member(message, "result") || member(message, "error"))) {
      handle_response(message);
      return;
    }
    respond_error(id ? *id : json(nullptr), error_code::InvalidRequest, "message has no method");
    return;
  }
  if (!method->is_string()) {
    respond_error(id ? *id : json(nullptr), error_code::InvalidRequest, "method must be a string");
    return;
  }
  const json* params_ptr = member(message, "params");
  json params = params_ptr ? *params_ptr : json::object();
  if (!params.is_object() && !params.is_array()) {
    if (id) respond_error(*id, error_code::InvalidRequest, "params must be an object or an array");
    return;
  }
  if (logger_.enabled(LogLevel::Debug)) logger_.log(LogLevel::Debug, "<-- " + method->get<std::string>());
  if (trace_ != "off")
    notify("$/logTrace", {{"message", "received " + std::string(id ? "request " : "notification ") + method->get<std::string>()}});
  if (id) handle_request(*id, method->get<std::string>(), params);
  else handle_notification(method->get<std::string>(), params);
}

void LanguageServer::handle_response(const json& message) {
  const json& id = message["id"];
  if (!id.is_number_integer()) return;
  auto it = outgoing_.find(id.get<int64_t>());
  if (it == outgoing_.end()) return;
  auto callback = std::move(it->second);
  outgoing_.erase(it);
  callback(message.contains("result") ? message["result"] : json(nullptr));
}

void LanguageServer::handle_request(const json& id, const std::string& method, const json& params) {
  try {
    if (method == "initialize") {
      if (phase_ != Phase::Uninitialized) throw RequestError{error_code::InvalidRequest, "initialize was already received"};
      respond(id, initialize(params));
      phase_ = Phase::Running;
      return;
    }
    if (phase_ == Phase::Uninitialized)
      throw RequestError{error_code::ServerNotInitialized, "the server is not initialized: send initialize first"};
    if (phase_ == Phase::ShutDown)
      throw RequestError{error_code::InvalidRequest, "the server is shut down: only exit is accepted"};
    if (method == "shutdown") {
      phase_ = Phase::ShutDown;
      respond(id, nullptr);
      return;
    }
    for (const auto& request : features_.document_requests()) {
      if (request.method != method) continue;
      std::string uri = request.uri_of(params);
      if (!documents_->is_open(uri)) throw RequestError{error_code::InvalidParams, "document is not open: " + uri};
      auto cancelled = std::make_shared<std::atomic<bool>>(false);
      std::string key = id.dump();
      // Ids should be unique while in flight; when a client reuses one, each request is still
      // answered (in order of completion), so keep them apart by a serial number.
      uint64_t serial = next_serial_++;
      active_.emplace(key, ActiveRequest{cancelled, serial});
      std::shared_ptr<const Settings> settings;
      std::shared_ptr<const knowledge::Base> knowledge;
      {
        std::lock_guard lock(config_mutex_);
        settings = settings_;
        knowledge = knowledge_;
      }
      auto handler = request.handler;
      auto finish = [this, key, serial](json message) {
        asio::post(io_, [this, key, serial, message = std::move(message)] {
          // A cancelled request was answered already; a late result is dropped.
          auto [first, last] = active_.equal_range(key);
          auto it = std::find_if(first, last, [&](const auto& entry) { return entry.second.serial == serial; });
          if (it == last) return;
          active_.erase(it);
          write_(frame(message));
          if (reader_.buffered() > 0) pump();  // frames held back while too many were in flight
        });
      };
      documents_->when_current(uri, [=, encoding = encoding_](const SnapshotPtr& snapshot) {
        json reply = {{"jsonrpc", "2.0"}, {"id", id}};
        if (cancelled->load()) return;  // answered by $/cancelRequest
        if (!snapshot) {
          reply["error"] = {{"code", error_code::ContentModified}, {"message", "the document was closed"}};
        } else {
          try {
            FeatureContext ctx{*snapshot, *settings, *knowledge, encoding};
            reply["result"] = handler(ctx, params);
          } catch (const RequestError& e) {
            reply["error"] = {{"code", e.code}, {"message", e.message}};
          } catch (const std::exception& e) {
            reply["error"] = {{"code", error_code::InternalError}, {"message", std::string("internal error: ") + e.what()}};
          }
        }
        finish(std::move(reply));
      });
      return;
    }
    throw RequestError{error_code::MethodNotFound, "unknown method: " + method};
  } catch (const RequestError& e) {
    respond_error(id, e.code, e.message);
  } catch (const json::exception& e) {
    respond_error(id, error_code::InvalidParams, std::string("invalid params: ") + e.what());
  }
}

void LanguageServer::handle_notification(const std::string& method, const json& params) {
  if (method == "exit") {
    exit_code_ = phase_ == Phase::ShutDown ? 0 : 1;
    return;
  }
  if (phase_ == Phase::Uninitialized) return;  // the spec says to drop notifications before initialize
  try {
    if (method == "initialized") request_configuration();
    else if (method == "textDocument/didOpen") did_open(params);
    else if (method == "textDocument/didChange") did_change(params);
    else if (method == "textDocument/didClose") did_close(params);
    else if (method == "textDocument/didSave") {
    } else if (method == "workspace/didChangeConfiguration") did_change_configuration(params);
    else if (method == "$/cancelRequest") {
      const json* id = member(params, "id");
      if (!id) return;
      auto [first, last] = active_.equal_range(id->dump());
      for (auto it = first; it != last; ++it) {
        it->second.cancelled->store(true);
        respond_error(*id, error_code::RequestCancelled, "request cancelled");
      }
      active_.erase(first, last);
    } else if (method == "$/setTrace") {
      const json* value = member(params, "value");
      if (value && value->is_string()) trace_ = value->get<std::string>();
    } else if (method.rfind("$/", 0) != 0) {
      logger_.log(LogLevel::Debug, "ignored notification " + method);
    }
  } catch (const RequestError& e) {
    log_message(1, method + ": " + e.message);
  } catch (const json::exception& e) {
    log_message(1, method + ": invalid params: " + e.what());
  }
}

json LanguageServer::initialize(const json& params) {
  if (!params.is_object()) throw RequestError{error_code::InvalidParams, "initialize params must be an object"};
  // positionEncoding: the first of the client's offers we support; UTF-16 when none is offered.
  encoding_ = Encoding::UTF16;
  const json capabilities = params.value("capabilities", json::object());
  if (const json* general = member(capabilities, "general"))
    if (const json* offers = member(*general, "positionEncodings"); offers && offers->is_array()) {
      for (const auto& offer : *offers) {
        if (offer == "utf-8") encoding_ = Encoding::UTF8;
        else if (offer == "utf-32") encoding_ = Encoding::UTF32;
        else if (offer == "utf-16") encoding_ = Encoding::UTF16;
        else continue;
        break;
      }
    }
  if (const json* workspace = member(capabilities, "workspace")) {
    if (const json* configuration = member(*workspace, "configuration"))
      client_configuration_ = configuration->is_boolean() && configuration->get<bool>();
    if (const json* hints = member(*workspace, "inlayHint"))
      if (const json* refresh = member(*hints, "refreshSupport")) client_inlay_refresh_ = refresh->is_boolean() && refresh->get<bool>();
  }
  if (const json* trace = member(params, "trace"); trace && trace->is_string()) trace_ = trace->get<std::string>();
  if (const json* options = member(params, "initializationOptions"); options && !options->is_null()) apply_settings(*options);

  json server_capabilities = {
      {"positionEncoding", std::string(encoding_name(encoding_))},
      {"textDocumentSync", {{"openClose", true}, {"change", 2}, {"save", false}}},
  };
  server_capabilities.merge_patch(features_.capabilities());
  return {{"capabilities", server_capabilities}, {"serverInfo", {{"name", "c2py-lsp"}, {"version", C2PY_VERSION}}}};
}

void LanguageServer::did_open(const json& params) {
  const json& doc = object_member(params, "textDocument", "textDocument");
  std::string uri = string_member(doc, "uri", "textDocument.uri");
  std::string text = string_member(doc, "text", "textDocument.text");
  std::string language_id = doc.contains("languageId") && doc["languageId"].is_string() ? doc["languageId"].get<std::string>() : "";
  auto language = language_of(language_id, uri);
  if (!language) {
    logger_.log(LogLevel::Debug, "not a C or Python document, ignored: " + uri);
    return;
  }
  documents_->open(uri, *language, client_version(doc), std::move(text));
}

void LanguageServer::did_change(const json& params) {
  const json& doc = object_member(params, "textDocument", "textDocument");
  std::string uri = string_member(doc, "uri", "textDocument.uri");
  const json* changes = member(params, "contentChanges");
  if (!changes || !changes->is_array()) throw RequestError{error_code::InvalidParams, "contentChanges must be an array"};
  std::vector<TextChange> parsed;
  for (const auto& change : *changes) {
    TextChange c;
    c.text = string_member(change, "text", "contentChanges[].text");
    if (const json* range = member(change, "range")) {
      auto pos = [](const json& p) {
        if (!p.is_object() || !p.contains("line") || !p.contains("character") || !p["line"].is_number_unsigned() ||
            !p["character"].is_number_unsigned())
          throw RequestError{error_code::InvalidParams, "contentChanges[].range positions must be {line, character}"};
        return Position{static_cast<uint32_t>(std::min<uint64_t>(p["line"].get<uint64_t>(), UINT32_MAX)),
                        static_cast<uint32_t>(std::min<uint64_t>(p["character"].get<uint64_t>(), UINT32_MAX))};
      };
      if (!range->is_object() || !range->contains("start") || !range->contains("end"))
        throw RequestError{error_code::InvalidParams, "contentChanges[].range must be {start, end}"};
      c.range = std::make_pair(pos((*range)["start"]), pos((*range)["end"]));
    }
    parsed.push_back(std::move(c));
  }
  if (!documents_->is_open(uri)) {
    logger_.log(LogLevel::Debug, "didChange for a document we do not track: " + uri);
    return;
  }
  std::string error;
  if (!documents_->change(uri, client_version(doc), parsed, encoding_, error)) log_message(1, error);
}

void LanguageServer::did_close(const json& params) {
  const json& doc = object_member(params, "textDocument", "textDocument");
  std::string uri = string_member(doc, "uri", "textDocument.uri");
  if (!documents_->is_open(uri)) return;
  documents_->close(uri);
  // Anything an analysis of the closed text still publishes is older than this and is dropped.
  published_[uri] = documents_->current_revision();
  notify("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", json::array()}});
}

void LanguageServer::request_configuration() {
  if (!client_configuration_) return;
  int64_t id = next_outgoing_id_++;
  outgoing_[id] = [this](const json& result) {
    // A client with no `c2py` section answers null: keep what initializationOptions gave.
    if (result.is_array() && !result.empty() && !result[0].is_null()) apply_settings(result[0]);
  };
  send({{"jsonrpc", "2.0"}, {"id", id}, {"method", "workspace/configuration"}, {"params", {{"items", {{{"section", "c2py"}}}}}}});
}

void LanguageServer::did_change_configuration(const json& params) {
  // Push-style clients send the section; pull-style ones send null and expect us to ask.
  const json* settings = member(params, "settings");
  if (settings && settings->is_object() && settings->contains("c2py")) apply_settings((*settings)["c2py"]);
  else request_configuration();
}

void LanguageServer::apply_settings(const json& section) {
  std::vector<std::string> problems;
  Settings settings = parse_settings(section, problems);
  for (const auto& problem : problems) log_message(2, problem);
  std::shared_ptr<const knowledge::Base> knowledge;
  bool knowledge_changed = false, changed = false;
  {
    std::lock_guard lock(config_mutex_);
    knowledge_changed = settings.knowledge_paths != settings_->knowledge_paths;
    changed = !(settings == *settings_);
  }
  if (knowledge_changed) {
    auto base = std::make_shared<knowledge::Base>(knowledge::Base::embedded());
    std::vector<std::string> errors;
    for (const auto& folder : settings.knowledge_paths) base->load_folder(folder, errors);
    for (const auto& error : errors) log_message(2, "knowledge: " + error);
    knowledge = base;
  }
  {
    std::lock_guard lock(config_mutex_);
    settings_ = std::make_shared<const Settings>(settings);
    if (knowledge) knowledge_ = knowledge;
  }
  documents_->set_options({settings.python_version, settings.model_max_steps, settings.c_macros, settings.c_include_paths});
  if (changed) {
    republish_all();
    if (client_inlay_refresh_) {
      int64_t id = next_outgoing_id_++;
      outgoing_[id] = [](const json&) {};
      send({{"jsonrpc", "2.0"}, {"id", id}, {"method", "workspace/inlayHint/refresh"}});
    }
  }
}

void LanguageServer::republish_all() {
  for (const auto& uri : documents_->uris())
    if (auto snapshot = documents_->latest(uri)) asio::post(pool_, [this, snapshot] { on_snapshot(snapshot); });
}

void LanguageServer::on_snapshot(const SnapshotPtr& snapshot) {
  std::shared_ptr<const Settings> settings;
  std::shared_ptr<const knowledge::Base> knowledge;
  {
    std::lock_guard lock(config_mutex_);
    settings = settings_;
    knowledge = knowledge_;
  }
  FeatureContext ctx{*snapshot, *settings, *knowledge, encoding_};
  if (!snapshot->skipped_reason.empty()) logger_.log(LogLevel::Info, snapshot->uri + ": " + snapshot->skipped_reason);
  std::vector<std::string> messages;
  for (const auto& handler : features_.snapshot_handlers()) {
    try {
      if (auto notification = handler(ctx)) {
        if (notification->params_text.empty())
          messages.push_back(
              frame({{"jsonrpc", "2.0"}, {"method", notification->method}, {"params", std::move(notification->params)}}));
        else  // the same bytes as frame() of that object: its keys in order, no spaces
          messages.push_back(frame_text(R"({"jsonrpc":"2.0","method":)" + dump(notification->method) + R"(,"params":)" +
                                        notification->params_text + "}"));
      }
    } catch (const std::exception& e) {
      logger_.log(LogLevel::Error, std::string("publishing failed: ") + e.what());
    }
  }
  // Analyses of one document finish in order, but a republish (settings changed) may race with a
  // newer analysis: on the I/O thread, which writes in order, drop anything older than what the
  // client already has, so the last thing sent for a document is about its newest text.
  asio::post(io_, [this, uri = snapshot->uri, revision = snapshot->revision, messages = std::move(messages)] {
    uint64_t& last = published_[uri];
    if (revision < last) return;
    last = revision;
    for (const auto& message : messages) write_(message);
  });
}

}  // namespace c2py::server
