#!/usr/bin/env python3
"""Soak test (issue 10): many documents, many incremental edits with requests between them.

    python3 bench/soak.py [--docs 50] [--edits 100000] [--server build/release/c2py-lsp]

Opens --docs C and Python documents, then applies --edits random incremental edits (inserts,
deletes, multi-byte text, CRLF) spread over them, with a hover, inlay-hint or heap request after
every few edits, and $/cancelRequest for some. Samples the server's RSS and request latency every
2,000 edits. At the end every document is compared with a fresh open of the client's text (the
same answers), and the run fails when: a request went unanswered, a document drifted from its
fresh open, or RSS in the last quarter grew more than 20% over the second quarter's (flat memory).
Prints the samples and a summary; exits 1 on failure."""
import argparse
import os
import random
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "protocol"))
import lsp_client  # noqa: E402

C_TEXT = ("#include <stdlib.h>\n#include <string.h>\n"
          "int f%d(int n) {\n    int *arr = malloc(n * sizeof(int));\n    if (!arr) return 1;\n"
          "    arr = realloc(arr, 2 * n * sizeof(int));\n    char *s = strdup(\"é中😀\");\n"
          "    free(s);\n    free(arr);\n    return 0;\n}\n")
PY_TEXT = ("items = []\nfor i in range(10):\n    items.append(i)\ncopy = items\ndel items\n"
           "grid = [[0] * 3] * 4\ns = ''\nfor w in ['a', 'é', '😀']:\n    s += w\n")
PIECES = ["x", " ", "\n", "\r\n", "é", "中", "😀", "free(p);", "p = malloc(4);", "a.append(1)", "(", ")", "{", "}"]


def units(s):
    return len(s.encode("utf-16-le")) // 2


LINE_END = re.compile(r"\r\n|\r|\n")


def position(text, offset):
    """LSP's position of a code-point offset: \n, \r\n and a lone \r end lines."""
    line, start = 0, 0
    for m in LINE_END.finditer(text, 0, offset):
        line, start = line + 1, m.end()
    return {"line": line, "character": units(text[start:offset])}


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def view(client, uri, text):
    hints = client.result("textDocument/inlayHint", {"textDocument": {"uri": uri}, "range": {
        "start": {"line": 0, "character": 0}, "end": {"line": 100000, "character": 0}}}, timeout=120)
    hovers = []
    for offset in range(0, len(text), 11):
        hover = client.result("textDocument/hover", {"textDocument": {"uri": uri}, "position": position(text, offset)},
                              timeout=120)
        hovers.append(hover and hover["contents"]["value"])
    return [(h["label"], h["position"]) for h in hints], hovers


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=50)
    parser.add_argument("--edits", type=int, default=100_000)
    parser.add_argument("--server", default=lsp_client.BINARY)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    lsp_client.BINARY = args.server
    rng = random.Random(args.seed)
    client = lsp_client.LspClient()
    client.initialize()
    docs = {}
    for i in range(args.docs):
        python = i % 2 == 1
        uri = "file:///soak/doc%d.%s" % (i, "py" if python else "c")
        text = (PY_TEXT if python else C_TEXT % i)
        docs[uri] = {"text": text, "version": 1, "language": "python" if python else "c"}
        client.open(uri, docs[uri]["language"], text)
    samples, latencies, started = [], [], time.monotonic()
    unanswered = 0
    for n in range(1, args.edits + 1):
        uri = rng.choice(list(docs))
        doc = docs[uri]
        text = doc["text"]
        # Keep documents from growing without bound: deletions win when they get long.
        if len(text) > 1500 or (len(text) > 200 and rng.random() < 0.45):
            a = rng.randrange(len(text))
            b = min(len(text), a + rng.randrange(1, 12))
            while b < len(text) and 0xDC00 <= ord(text[b]) <= 0xDFFF:
                b += 1
            new_piece = ""
        else:
            a = b = rng.randrange(len(text) + 1)
            new_piece = rng.choice(PIECES)
        # LSP cannot address a place between \r and \n (one line end): editors never edit there.
        a -= a > 0 and text[a - 1:a + 1] == "\r\n"
        b -= b > 0 and text[b - 1:b + 1] == "\r\n"
        a, b = min(a, b), max(a, b)
        start, end = position(text, a), position(text, b)
        doc["text"] = text[:a] + new_piece + text[b:]
        doc["version"] += 1
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": doc["version"]},
                                                 "contentChanges": [{"range": {"start": start, "end": end},
                                                                     "text": new_piece}]})
        if n % 5 == 0:
            t0 = time.monotonic()
            offset = rng.randrange(len(doc["text"]) + 1)
            method = rng.choice(["textDocument/hover", "textDocument/inlayHint"]
                                + (["c2py/heapSnapshot"] if uri.endswith(".py") else []))
            params = {"textDocument": {"uri": uri}}
            if method == "textDocument/inlayHint":
                params["range"] = {"start": {"line": 0, "character": 0}, "end": {"line": 1000, "character": 0}}
            else:
                params["position"] = position(doc["text"], offset)
            request = client.request(method, params)
            if n % 35 == 0:
                client.notify("$/cancelRequest", {"id": request})
            try:
                client.response(request, timeout=120)
            except TimeoutError:
                unanswered += 1
            latencies.append((time.monotonic() - t0) * 1000)
            client.pending = [m for m in client.pending if m.get("method") != "textDocument/publishDiagnostics"]
        if n % 2000 == 0:
            rss = rss_kb(client.proc.pid)
            p50 = statistics.median(latencies) if latencies else 0
            p99 = sorted(latencies)[int(len(latencies) * 0.99)] if latencies else 0
            samples.append((n, rss, p50, p99))
            print("edits %7d  rss %6.1f MB  request p50 %6.2f ms  p99 %7.2f ms  (%.0f s)" %
                  (n, rss / 1024, p50, p99, time.monotonic() - started), flush=True)
            latencies = []
    drifted = []
    for uri, doc in docs.items():
        got = view(client, uri, doc["text"])
        fresh = lsp_client.LspClient()
        fresh.initialize()
        fresh.open(uri, doc["language"], doc["text"])
        want = view(fresh, uri, doc["text"])
        fresh.close()
        if got != want:
            drifted.append(uri)
    client.close()
    failures = []
    if unanswered:
        failures.append("%d requests unanswered" % unanswered)
    if drifted:
        failures.append("%d documents differ from a fresh open: %s" % (len(drifted), ", ".join(drifted[:5])))
    if len(samples) >= 4:
        quarter = len(samples) // 4
        second = statistics.mean(s[1] for s in samples[quarter:2 * quarter])
        last = statistics.mean(s[1] for s in samples[-quarter:])
        print("RSS: second quarter %.1f MB, last quarter %.1f MB" % (second / 1024, last / 1024))
        if last > second * 1.2:
            failures.append("RSS grew from %.1f MB to %.1f MB" % (second / 1024, last / 1024))
    print("soak: %d documents, %d edits, %d requests sampled: %s" % (
        args.docs, args.edits, args.edits // 5, "; ".join(failures) if failures else "no unanswered request, no drift, flat memory"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
