#!/usr/bin/env python3
"""`--check` on real code, in one run (issue 14): for each corpus of ../shared/corpora, lines per
CPU-second and peak RSS of `c2py-lsp --check -j1` (the CI default, --diagnostics-only, and the
full view), beside pyright's CLI and pyflakes (the linter behind pylsp's diagnostics) for Python,
and clangd's `--check` for C (on a sample of files: it checks one file per process), where
installed; the analysis/parse ratio on each corpus's largest files (c2py_core_bench); and
start-up: `--check` of a one-line file, and the server from spawn to its `initialize` answer and
to the first diagnostics of a one-line file. CPU time is user + system of the child (os.wait4),
so the machine's load changes it less than wall time; compare the figures of one run. Prints
figures; asserts nothing.

Usage: bench/corpus_bench.py [--build DIR] [--corpora DIR] [--clangd-files N]"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

CORPORA = [("real-c/cJSON", "c"), ("real-c/sds", "c"), ("real-c/jq", "c"), ("real-c/tmux", "c"),
           ("real-python/TheAlgorithms", "python")]


def files_of(folder, language):
    suffixes = (".c", ".h") if language == "c" else (".py",)
    out = []
    for base, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out += [os.path.join(base, n) for n in sorted(names) if n.endswith(suffixes)]
    return out


def count_lines(paths):
    total = 0
    for p in paths:
        with open(p, "rb") as f:
            total += f.read().count(b"\n")
    return total


def run(command, cwd=None, timeout=1800):
    """Runs a command; returns (CPU seconds of the child, peak RSS MiB, exit status, stdout)."""
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, cwd=cwd)
        start = time.monotonic()
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        out.seek(0)
        return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), out.read()


def rate(lines, cpu):
    return "%9.0f" % (lines / cpu) if cpu > 0 else "        -"


def startup(binary):
    with tempfile.TemporaryDirectory() as tmp:
        tiny = {"c": os.path.join(tmp, "tiny.c"), "python": os.path.join(tmp, "tiny.py")}
        with open(tiny["c"], "w") as f:
            f.write("int main(void) { return 0; }\n")
        with open(tiny["python"], "w") as f:
            f.write("x = [1, 2, 3]\n")
        print("\n== start-up (median of 11 runs)")
        for language, path in tiny.items():
            cpu = statistics.median(run([binary, "--check", path])[0] for _ in range(11))
            print("  --check of a one-line %-6s file: %6.1f ms CPU" % (language, cpu * 1000))
        os.environ["C2PY_LSP"] = binary  # read by lsp_client when imported
        sys.path.insert(0, os.path.join(ROOT, "tests", "protocol"))
        from lsp_client import LspClient  # noqa: E402
        for language, path in tiny.items():
            to_init, to_diag = [], []
            for _ in range(11):
                start = time.monotonic()
                client = LspClient()
                try:
                    client.result("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": {}}, timeout=30)
                    to_init.append((time.monotonic() - start) * 1000)
                    client.notify("initialized", {})
                    uri = "file://" + path
                    with open(path) as f:
                        client.open(uri, language, f.read())
                    client.diagnostics(uri, timeout=30)
                    to_diag.append((time.monotonic() - start) * 1000)
                finally:
                    client.close()
            print("  server, spawn to initialize answer: %6.1f ms; to first %s diagnostics: %6.1f ms (wall)" %
                  (statistics.median(to_init), language, statistics.median(to_diag)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build", "release"))
    parser.add_argument("--corpora", default=os.path.join(ROOT, "..", "shared", "corpora"))
    parser.add_argument("--clangd-files", type=int, default=20)
    parser.add_argument("--largest", type=int, default=2, help="files per corpus for the analysis/parse ratio")
    args = parser.parse_args()
    binary = os.path.join(args.build, "c2py-lsp")
    core_bench = os.path.join(args.build, "bench", "c2py_core_bench")
    if not os.path.isdir(args.corpora):
        sys.exit("no corpora at %s" % args.corpora)
    pyright = os.path.join(HERE, "node_modules", ".bin", "pyright")
    clangd = shutil.which("clangd")
    print("machine: %d cores, load average %s" % (os.cpu_count(), " ".join("%.1f" % x for x in os.getloadavg())))
    print("\n== --check -j1 over each corpus: lines per CPU-second (peak RSS MiB)")
    print("%-28s %8s %6s %20s %20s %24s" % ("corpus", "lines", "files", "diagnostics-only", "full view",
                                           "peer"))
    largest = []
    for name, language in CORPORA:
        # Absolute: pyright runs with the corpus as its working folder.
        folder = os.path.abspath(os.path.join(args.corpora, name))
        if not os.path.isdir(folder):
            continue
        files = files_of(folder, language)
        lines = count_lines(files)
        largest += sorted(files, key=os.path.getsize)[-args.largest:]
        cpu_d, rss_d, _, _ = run([binary, "--check", "-j1", "--diagnostics-only", folder])
        cpu_f, rss_f, _, _ = run([binary, "--check", "-j1", folder])
        peer = "not installed"
        if language == "python" and os.access(pyright, os.X_OK):
            cpu_p, rss_p, status, out = run([pyright, "--outputjson", folder], cwd=folder)
            # pyright exits 1 when it reports errors; a run that analysed no file measures nothing.
            analysed = b'"filesAnalyzed": 0' not in out and status in (0, 1)
            peer = "pyright %s (%4.0f)" % (rate(lines, cpu_p).strip(), rss_p) if analysed else "pyright failed"
            # pylsp has no command-line mode; pyflakes is the linter behind its diagnostics.
            pyflakes = shutil.which("pyflakes3")  # Debian's python3-pyflakes, which python3-pylsp brings
            cpu_f8, rss_f8, status, _ = run([pyflakes, folder]) if pyflakes else (0, 0, -1, b"")
            if status in (0, 1):
                peer += ", pyflakes %s (%4.0f)" % (rate(lines, cpu_f8).strip(), rss_f8)
        elif language == "c" and clangd:
            # clangd checks one file per process: a deterministic sample of the corpus's .c files.
            sample = [f for f in files if f.endswith(".c")][:: max(1, len(files) // max(1, args.clangd_files))]
            sample = sample[: args.clangd_files]
            cpu_c, rss_c = 0.0, 0.0
            for f in sample:
                cpu, rss, _, _ = run([clangd, "--check=" + f, "--log=error"], timeout=300)
                cpu_c, rss_c = cpu_c + cpu, max(rss_c, rss)
            peer = "clangd %s (%4.0f) %d files" % (rate(count_lines(sample), cpu_c).strip(), rss_c, len(sample))
        print("%-28s %8d %6d %12s (%5.0f) %12s (%5.0f)   %s" % (name, lines, len(files), rate(lines, cpu_d), rss_d,
                                                              rate(lines, cpu_f), rss_f, peer))
    if os.access(core_bench, os.X_OK) and largest:
        print("\n== analysis against the bare parse on each corpus's largest files (in process)")
        sys.stdout.flush()
        subprocess.run([core_bench] + largest, check=False)
    startup(binary)


if __name__ == "__main__":
    main()
