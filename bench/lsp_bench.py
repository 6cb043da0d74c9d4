#!/usr/bin/env python3
"""What a user waits for, measured over the real protocol: time from didOpen to the first
diagnostics, from a one-character edit to new diagnostics, hover latency p50/p99, and the
server's peak RSS. c2py-lsp runs on generated C and Python files; clangd (Debian) on the same C
file, and pyright (npm, bench/node_modules) and pylsp (Debian's python3-pylsp, with pyflakes) on the
same Python file, in the same run, where installed. Prints figures and ratios; asserts nothing."""
import os
import shutil
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "protocol"))
from lsp_client import LspClient, BINARY  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def peak_rss_mb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def one_char_edit(text):
    at = text.find("1", len(text) // 2)
    line = text.count("\n", 0, at)
    col = at - (text.rfind("\n", 0, at) + 1)
    return {"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col + 1}},
            "text": "2"}


def measure(command, path, language, hovers=0, timeout=300):
    """Returns first-diagnostics ms, edit-to-diagnostics ms, hover p50/p99 ms, peak RSS MB."""
    with open(path) as f:
        text = f.read()
    uri = "file://" + os.path.abspath(path)
    client = LspClient.__new__(LspClient)
    import queue, subprocess, threading
    client.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, cwd=os.path.dirname(os.path.abspath(path)))
    client.messages, client.pending, client.next_id, client.stderr = queue.Queue(), [], 1, []
    threading.Thread(target=client._read, daemon=True).start()
    try:
        root = "file://" + os.path.dirname(os.path.abspath(path))
        client.result("initialize", {"processId": os.getpid(), "rootUri": root,
                                     "workspaceFolders": [{"uri": root, "name": "bench"}],
                                     "capabilities": {"textDocument": {"publishDiagnostics": {"versionSupport": True}},
                                                      "workspace": {"configuration": True}}}, timeout=60)
        client.notify("initialized", {})
        start = time.monotonic()
        client.open(uri, language, text)
        client.diagnostics(uri, timeout=timeout)
        first = (time.monotonic() - start) * 1000
        start = time.monotonic()
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                                 "contentChanges": [one_char_edit(text)]})
        # pylsp 1.7 publishes without a version: its next publication after the edit counts.
        client.pending = [m for m in client.pending if m.get("method") != "textDocument/publishDiagnostics"]
        client.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                        and m["params"]["uri"] == uri and m["params"].get("version", 2) == 2, timeout)
        edit = (time.monotonic() - start) * 1000
        times = []
        lines = text.split("\n")
        targets = [(i, l.find("malloc") if "malloc" in l else l.find("append")) for i, l in enumerate(lines)
                   if "malloc" in l or "append" in l]
        for k in range(hovers):
            line, col = targets[k % len(targets)]
            start = time.monotonic()
            client.result("textDocument/hover", {"textDocument": {"uri": uri},
                                                 "position": {"line": line, "character": col + 1}})
            times.append((time.monotonic() - start) * 1000)
        rss = peak_rss_mb(client.proc.pid)
        p50 = statistics.median(times) if times else float("nan")
        p99 = sorted(times)[int(len(times) * 0.99) - 1] if times else float("nan")
        return first, edit, p50, p99, rss
    finally:
        client.close()


def spread(values, fmt):
    """One figure, or median [min-max] of several runs."""
    if len(values) == 1:
        return fmt % values[0]
    return (fmt + " [" + fmt + "-" + fmt + "]") % (statistics.median(values), min(values), max(values))


def main():
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, help="lines of the generated files (default 1000 10000)")
    parser.add_argument("--runs", type=int, default=1,
                        help="runs of each server, alternating, printed as median [min-max] (default 1)")
    parser.add_argument("--only", choices=["c", "py"], help="one language")
    parser.add_argument("--no-others", action="store_true", help="c2py-lsp alone (no clangd, pyright, pylsp)")
    args = parser.parse_args()
    out = os.path.join(HERE, "out")
    sizes = args.sizes or [1000, 10000]
    os.system("%s %s %s %s >/dev/null" % (sys.executable, os.path.join(HERE, "generate.py"), out,
                                          " ".join(map(str, sizes))))
    clangd = shutil.which("clangd")
    pyright = os.path.join(HERE, "node_modules", ".bin", "pyright-langserver")
    pylsp = shutil.which("pylsp")
    peers = {"c": [("clangd", [clangd, "--log=error"] if clangd else None)],
             "py": [("pyright", [pyright, "--stdio"] if os.path.exists(pyright) else None),
                    ("pylsp", [pylsp] if pylsp else None)]}
    if args.no_others:
        peers = {"c": [], "py": []}
    wide = args.runs > 1
    w, h = (30, 30) if wide else (12, 10)
    row = "%-14s %-8s %*s %*s %*s %*s %*s"
    print(row % ("file", "server", w, "first diag ms", w, "edit→diag ms", h, "hover p50", h, "hover p99", w,
                 "peak RSS MB"))
    for lines in sizes:
        for ext, language in (("c", "c"), ("py", "python")):
            if args.only and args.only != ext:
                continue
            path = os.path.join(out, "gen_%d.%s" % (lines, ext))
            name = os.path.basename(path)
            installed = [(other_name, other) for other_name, other in peers[ext] if other]
            for other_name, other in peers[ext]:
                if not other:
                    print("%-14s %-8s not installed" % (name, other_name))
            # Runs alternate between the servers: the machine's load changes from run to run.
            ours, theirs = [], {other_name: [] for other_name, _ in installed}
            for _ in range(args.runs):
                ours.append(measure([BINARY], path, language, hovers=300))
                for other_name, other in installed:
                    theirs[other_name].append(measure(other, path, language))
            col = lambda runs, i, fmt: spread([r[i] for r in runs], fmt)
            print(row % (name, "c2py", w, col(ours, 0, "%.1f"), w, col(ours, 1, "%.1f"), h, col(ours, 2, "%.3f"), h,
                         col(ours, 3, "%.3f"), w, col(ours, 4, "%.1f")))
            for other_name, runs in theirs.items():
                print(row % (name, other_name, w, col(runs, 0, "%.1f"), w, col(runs, 1, "%.1f"), h, "", h, "", w,
                             col(runs, 4, "%.1f")))
                # Ratios of runs made one after the other.
                ratios = [[t[i] / o[i] for t, o in zip(runs, ours)] for i in range(5)]
                print(row % ("", "ratio", w, spread(ratios[0], "%.1fx"), w, spread(ratios[1], "%.1fx"), h, "", h, "", w,
                             spread(ratios[4], "%.1fx")))
    print("\nratio = the other server's figure / c2py-lsp's (higher: c2py-lsp is faster or smaller)")


if __name__ == "__main__":
    main()
