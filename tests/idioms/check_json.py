"""Runs `c2py-lsp --check --json` and applies the edits of its code actions."""
import json
import os
import subprocess

BINARY = os.environ.get("C2PY_LSP", "c2py-lsp")
SOURCE_DIR = os.environ.get("C2PY_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


def check(*paths):
    """The parsed JSON of --check --json over the files (syntax errors make the exit status 1)."""
    run = subprocess.run([BINARY, "--check", "--json", *paths], capture_output=True, text=True, timeout=120)
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)["files"]


def offset(text, position):
    """Byte offset of an LSP position; --check reports UTF-8 columns."""
    data = text.encode()
    line_start = 0
    for _ in range(position["line"]):
        line_start = data.index(b"\n", line_start) + 1
    return line_start + position["character"]


def apply(text, edits):
    data = text.encode()
    spans = sorted(((offset(text, e["range"]["start"]), offset(text, e["range"]["end"]), e["newText"]) for e in edits),
                   reverse=True)
    for begin, end, new in spans:
        data = data[:begin] + new.encode() + data[end:]
    return data.decode()
