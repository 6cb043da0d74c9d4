"""A small LSP client for protocol tests: spawns the real c2py-lsp and speaks JSON-RPC to it.

The binary comes from $C2PY_LSP (ctest sets it); messages are read on a thread so a test can wait
for a response or a notification with a timeout instead of hanging.
"""
import json
import os
import queue
import subprocess
import threading
import time

SOURCE_DIR = os.environ.get("C2PY_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.environ.get("C2PY_LSP", os.path.join(SOURCE_DIR, "build", "release", "c2py-lsp"))


def frame(message):
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class LspClient:
    def __init__(self, args=(), env=None):
        self.proc = subprocess.Popen(
            [BINARY, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})})
        self.messages = queue.Queue()
        self.pending = []  # messages read but not yet consumed
        self.next_id = 1
        self.stderr = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode().partition(":")
                headers[name.strip().lower()] = value.strip()
            body = out.read(int(headers["content-length"]))
            self.messages.put(json.loads(body))

    def _drain_stderr(self):
        for line in self.proc.stderr:
            self.stderr.append(line.decode("utf-8", "replace"))

    # --- sending ---
    def send_raw(self, data: bytes):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message):
        self.send_raw(frame(message))

    def request(self, method, params=None, id=None):
        if id is None:
            id = self.next_id
            self.next_id += 1
        message = {"jsonrpc": "2.0", "id": id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        return id

    def notify(self, method, params=None):
        message = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)

    # --- receiving ---
    def wait_for(self, predicate, timeout=20.0):
        """Returns the first message (old or new) that satisfies predicate; answers server requests."""
        for i, m in enumerate(self.pending):
            if predicate(m):
                return self.pending.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no matching message within %.1fs; stderr:\n%s" % (timeout, "".join(self.stderr[-20:])))
            try:
                m = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            if m is None:
                raise EOFError("server closed its output; stderr:\n" + "".join(self.stderr[-20:]))
            if "method" in m and "id" in m and m["method"] == "workspace/configuration":
                self.send({"jsonrpc": "2.0", "id": m["id"], "result": [self.configuration]})
            if predicate(m):
                return m
            self.pending.append(m)

    configuration = {}

    def response(self, id, timeout=20.0):
        return self.wait_for(lambda m: m.get("id") == id and "method" not in m, timeout)

    def call(self, method, params=None, timeout=20.0):
        return self.response(self.request(method, params), timeout)

    def result(self, method, params=None, timeout=20.0):
        reply = self.call(method, params, timeout)
        if "error" in reply:
            raise AssertionError("%s failed: %s" % (method, reply["error"]))
        return reply["result"]

    def diagnostics(self, uri, version=None, timeout=20.0):
        def match(m):
            return (m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
                    and (version is None or m["params"].get("version") == version))
        return self.wait_for(match, timeout)["params"]["diagnostics"]

    # --- lifecycle helpers ---
    def initialize(self, capabilities=None, options=None):
        params = {"processId": os.getpid(), "rootUri": None, "capabilities": capabilities or {}}
        if options is not None:
            params["initializationOptions"] = options
        result = self.result("initialize", params)
        self.notify("initialized", {})
        return result

    def open(self, uri, language, text, version=1):
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language,
                                                               "version": version, "text": text}})

    def shutdown_and_exit(self, timeout=10.0):
        self.result("shutdown")
        self.notify("exit")
        return self.proc.wait(timeout)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                stream.close()
            except Exception:
                pass
