"""Neovim (Debian's 0.7+) headless against the built c2py-lsp, on copies of the lesson's examples.

nvim/e2e.lua drives Neovim's own LSP client (vim.lsp.start_client, vim.lsp.buf.hover,
vim.lsp.buf.code_action with vim.ui.select) and writes what the editor saw to a JSON file; these
tests assert on it. The C example runs twice: as written, and with `arr` renamed to `scores`, so
that the hover and the fix are seen to use the user's own identifiers, not a canned text.

Environment: C2PY_LSP (the server binary; ctest sets it), NVIM (default: nvim on PATH),
C2PY_E2E_OUT_DIR (where the work folder and results go; default: a temporary folder).
"""
import json
import os
import re
import shutil
import subprocess
import unittest

import terminal_shot
from e2e_common import examples_work_dir

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("C2PY_SOURCE_DIR", os.path.join(HERE, "..", ".."))
BINARY = os.environ.get("C2PY_LSP", os.path.join(SOURCE_DIR, "build", "release", "c2py-lsp"))
NVIM = os.environ.get("NVIM_BIN") or shutil.which("nvim")
TIMEOUT = 150  # seconds for the whole Neovim run; the script's own watchdog fires at 90


def run_neovim(work, out):
    env = {**os.environ, "C2PY_LSP": BINARY, "C2PY_E2E_WORK": work, "C2PY_E2E_OUT": out,
           "C2PY_E2E_C_CASES": "lesson.c:arr,renamed.c:scores", "XDG_STATE_HOME": work,
           "XDG_CACHE_HOME": work, "XDG_DATA_HOME": work, "XDG_CONFIG_HOME": work}
    cmd = [NVIM, "--headless", "--clean", "-n", "-i", "NONE",
           "-c", "luafile " + os.path.join(HERE, "nvim", "e2e.lua")]
    proc = subprocess.run(cmd, cwd=work, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                          timeout=TIMEOUT)
    return proc


def line_of(name, text):
    """0-based line of the first line of the work copy `name` that contains `text`."""
    with open(os.path.join(NeovimEndToEnd.work, name), encoding="utf-8") as f:
        return next(i for i, line in enumerate(f) if text in line)


class NeovimEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not NVIM:
            raise AssertionError("nvim not found (scripts/c2py.sh test installs Debian's neovim)")
        cls.work = examples_work_dir("neovim")
        examples = os.path.join(SOURCE_DIR, "examples")
        with open(os.path.join(examples, "lesson.c"), encoding="utf-8") as f:
            renamed = re.sub(r"\barr\b", "scores", f.read())
        with open(os.path.join(cls.work, "renamed.c"), "w", encoding="utf-8") as f:
            f.write(renamed)
        cls.out = os.path.join(cls.work, "results.json")
        cls.proc = run_neovim(cls.work, cls.out)
        cls.log = "nvim exit %s\nstdout: %s\nstderr: %s" % (
            cls.proc.returncode, cls.proc.stdout.decode(errors="replace")[-2000:],
            cls.proc.stderr.decode(errors="replace")[-2000:])
        if not os.path.exists(cls.out):
            raise AssertionError("Neovim wrote no results.\n" + cls.log)
        with open(cls.out, encoding="utf-8") as f:
            cls.results = json.load(f)

    def case(self, name):
        self.assertIn(name, self.results["cases"], "the run never reached %s; errors: %s" % (name, self.results["errors"]))
        return self.results["cases"][name]

    def test_run_had_no_errors(self):
        self.assertEqual(self.results["errors"], [], self.log)
        version = self.results["nvim"]
        self.assertGreaterEqual((version["major"], version["minor"]), (0, 7))

    def test_server_exits_cleanly_on_shutdown(self):
        self.assertEqual(self.results.get("exit", {}).get("code"), 0, self.results.get("exit"))

    def test_diagnostics_arrive_with_our_codes(self):
        for name, ident in (("lesson.c", "arr"), ("renamed.c", "scores")):
            with self.subTest(name):
                case = self.case(name)
                self.assertEqual(case["filetype"], "c")
                ours = [d for d in case["diagnostics"] if d["source"] == "c2py"]
                realloc = [d for d in ours if d["code"] == "realloc-leak"]
                self.assertTrue(realloc, "no realloc-leak among %s" % case["diagnostics"])
                # On the line `arr = realloc(arr, ...)`.
                self.assertEqual(realloc[0]["lnum"], line_of(name, "%s = realloc(" % ident))
                self.assertIn("`%s`" % ident, realloc[0]["message"])

    def test_hover_on_malloc_uses_the_users_identifiers(self):
        for name, ident in (("lesson.c", "arr"), ("renamed.c", "scores")):
            with self.subTest(name):
                case = self.case(name)
                text = "\n".join(case.get("hover_malloc", []))
                self.assertIn("malloc", text)
                self.assertIn("`%s`" % ident, text)
                self.assertIn("free(%s)" % ident, text)

    def test_code_action_menu_holds_the_safe_quick_fix(self):
        for name, ident in (("lesson.c", "arr"), ("renamed.c", "scores")):
            with self.subTest(name):
                case = self.case(name)
                titles = [a["title"] for a in case["code_actions"]]
                want = "Resize `%s` through a temporary" % ident
                self.assertIn(want, titles)
                action = case["code_actions"][titles.index(want)]
                self.assertEqual(action["kind"], "quickfix")
                self.assertTrue(action["isPreferred"])
                self.assertEqual(action["data"]["idiom"], "realloc")
                self.assertEqual(case["chosen"], want)

    def test_applying_the_fix_changes_the_buffer(self):
        for name, ident in (("lesson.c", "arr"), ("renamed.c", "scores")):
            with self.subTest(name):
                case = self.case(name)
                text = "\n".join(case["lines_after_fix"])
                self.assertNotIn("%s = realloc(%s" % (ident, ident), text)
                m = re.search(r"(\w+)\s*=\s*realloc\(%s, 20 \* sizeof\(int\)\);" % ident, text)
                self.assertTrue(m, text)
                temp = m.group(1)
                self.assertNotEqual(temp, ident)
                self.assertRegex(text, r"if \(!?%s( == NULL)?\)" % temp)
                self.assertRegex(text, r"\n\s*%s = %s;" % (ident, temp))
                # The rest of the file is untouched.
                self.assertIn("free(%s);\n    %s = NULL;" % (ident, ident), text)
                self.assertIn("int *%s = malloc(10 * sizeof(int));" % ident, text)

    def test_server_reanalyzes_the_edited_buffer(self):
        for name in ("lesson.c", "renamed.c"):
            with self.subTest(name):
                case = self.case(name)
                self.assertGreater(case["version_after"], case["version_before"])
                self.assertGreaterEqual(case["version_published_after_fix"], case["version_after"])
                self.assertNotIn("realloc-leak", case["codes_after_fix"])

    def test_python_hover_and_hints(self):
        case = self.case("lesson.py")
        self.assertEqual(case["filetype"], "python")
        text = "\n".join(case.get("hover_append", []))
        self.assertIn("append", text)
        self.assertRegex(text, r"\barr\b")
        labels = [h["label"] for h in case["inlay_hints"]]
        # The runtime model's capacity hint says where the list grows (CPython's over-allocation).
        self.assertTrue(any(label.startswith("cap ") for label in labels), labels)

    def test_heap_snapshot_request(self):
        heap = self.case("lesson.py").get("heap")
        self.assertIsNotNone(heap)
        self.assertEqual(heap["line"], line_of("lesson.py", "arr.append(2)"))
        names = heap["names"] or {}  # an empty Lua table is encoded as []
        self.assertEqual(names.get("arr") if isinstance(names, dict) else None, "list", heap)


def readme_snippet():
    with open(os.path.join(SOURCE_DIR, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    section = readme[readme.index("### Neovim 0.7+"):]
    return re.search(r"```lua\n(.*?)```", section, re.S).group(1)


# Opens lesson.py, waits for the client, runs :C2pyHeap on `arr.append(2)` and reads the floating
# window it opens; opens lesson.c, waits for its diagnostics, hovers `malloc` (K) and asks Neovim
# which characters of the hover float are concealed (what the user does not see). Writes it all,
# with :messages, to $C2PY_README_OUT.
README_DRIVE = r"""
local out = {}
local function drive()
local function floats()
  local found = {}
  for _, w in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(w).relative ~= '' then table.insert(found, w) end
  end
  return found
end
local function close_floats()
  for _, w in ipairs(floats()) do pcall(vim.api.nvim_win_close, w, true) end
end
local ok = vim.wait(15000, function()
  local c = vim.lsp.get_active_clients()[1]
  return c ~= nil and c.initialized
end, 20)
table.insert(out, 'initialized=' .. tostring(ok))
vim.fn.search('arr.append(2)')
vim.cmd('C2pyHeap')
vim.wait(5000, function() return #floats() > 0 end, 20)
for _, w in ipairs(floats()) do
  for _, l in ipairs(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(w), 0, -1, false)) do
    table.insert(out, 'heap: ' .. l)
  end
end
close_floats()
vim.cmd('edit lesson.c')
vim.wait(15000, function() return #vim.diagnostic.get(0) > 0 end, 20)
local codes = {}
for _, d in ipairs(vim.diagnostic.get(0)) do table.insert(codes, tostring(d.code)) end
table.insert(out, 'codes=' .. table.concat(codes, ','))
vim.fn.search('malloc(')
vim.cmd('normal K')
vim.wait(5000, function() return #floats() > 0 end, 20)
for _, w in ipairs(floats()) do
  vim.api.nvim_win_call(w, function()
    for i, l in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
      local shown = {}
      for col = 1, #l do
        if vim.fn.synconcealed(i, col)[1] == 0 then table.insert(shown, l:sub(col, col)) end
      end
      table.insert(out, 'hover: ' .. table.concat(shown))
    end
  end)
end
local clients = {}
for _, c in ipairs(vim.lsp.get_active_clients()) do table.insert(clients, c.name) end
table.insert(out, 'clients=' .. table.concat(clients, ','))
end
-- Whatever fails, the results so far are written and Neovim quits.
local ok, err = xpcall(drive, debug.traceback)
if not ok then table.insert(out, 'drive error: ' .. tostring(err)) end
vim.fn.writefile(vim.list_extend(vim.split(vim.api.nvim_exec('messages', true), '\n'), out),
  os.getenv('C2PY_README_OUT'))
vim.cmd('qall!')
"""


class ReadmeSnippet(unittest.TestCase):
    """The README's Neovim snippet (vim.lsp.start_client), copied as a user would into init.lua."""

    def run_snippet(self, name, path_dirs):
        if not NVIM:
            raise AssertionError("nvim not found")
        snippet = readme_snippet()
        self.assertIn("vim.lsp.start_client", snippet)
        work = examples_work_dir(name)
        with open(os.path.join(work, "init.lua"), "w", encoding="utf-8") as f:
            f.write(snippet)
        with open(os.path.join(work, "drive.lua"), "w", encoding="utf-8") as f:
            f.write(README_DRIVE)
        out = os.path.join(work, "out.txt")
        env = {**os.environ, "PATH": os.pathsep.join(path_dirs), "C2PY_README_OUT": out, "XDG_STATE_HOME": work,
               "XDG_CACHE_HOME": work, "XDG_DATA_HOME": work, "XDG_CONFIG_HOME": work}
        proc = subprocess.run([NVIM, "--headless", "-n", "-i", "NONE", "-u", os.path.join(work, "init.lua"), "lesson.py",
                               "-c", "luafile drive.lua"], cwd=work, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=120)
        stderr = proc.stderr.decode(errors="replace")
        self.assertTrue(os.path.exists(out), stderr[-2000:])
        with open(out, encoding="utf-8") as f:
            return f.read().splitlines(), stderr

    def test_readme_init_lua_works_in_neovim(self):
        if os.path.basename(BINARY) != "c2py-lsp":
            self.skipTest("the snippet runs `c2py-lsp` from PATH; C2PY_LSP is named %s" % os.path.basename(BINARY))
        path = [os.path.dirname(os.path.abspath(BINARY))] + os.environ.get("PATH", "").split(os.pathsep)
        lines, _ = self.run_snippet("neovim-readme", path)
        self.assertIn("initialized=true", lines)
        # :C2pyHeap: every line in a float, not only the last one in the command line.
        heap = [line[len("heap: "):] for line in lines if line.startswith("heap: ")]
        self.assertTrue(heap and heap[0].startswith("Heap after line "), lines)
        self.assertTrue(any(re.match(r"arr -> list, refcount 1\b", line) for line in heap), heap)
        self.assertGreater(len(heap), 2, heap)
        self.assertFalse([line for line in heap if "refcount ?" in line], heap)
        codes = next(line for line in lines if line.startswith("codes=")).split("=", 1)[1].split(",")
        self.assertIn("realloc-leak", codes)
        self.assertEqual(next(line for line in lines if line.startswith("clients=")), "clients=c2py")  # one server for both
        # The hover as Neovim 0.7 draws it: no Markdown ticks or link targets left visible.
        hover = [line[len("hover: "):] for line in lines if line.startswith("hover: ")]
        text = "\n".join(hover)
        self.assertIn("malloc", text)
        self.assertIn("free(arr)", text)
        self.assertNotIn("`", text)
        self.assertNotIn("](http", text)
        self.assertIn("Reference", text)

    def test_readme_init_lua_without_the_server_on_path(self):
        # PATH without c2py-lsp: a clear message, no Lua stack trace, and the editor goes on.
        lines, stderr = self.run_snippet("neovim-readme-nopath", ["/usr/bin", "/bin"])
        everything = "\n".join(lines) + "\n" + stderr
        self.assertIn("c2py: c2py-lsp is not on PATH", everything)
        self.assertNotIn("stack traceback", everything)
        self.assertNotIn("buf_attach_client", everything)
        self.assertIn("clients=", lines)


class Screenshot(unittest.TestCase):
    """Neovim in a terminal (tmux) with the README's init.lua, as a user sees it: lesson.c with
    its diagnostic, then K on `malloc`. The screen is read as text for the assertions and saved
    as a PNG; with C2PY_UPDATE_DOCS_IMAGES=1 the PNG becomes the README's picture."""

    def test_hover_in_a_terminal(self):
        if not NVIM:
            raise AssertionError("nvim not found")
        if os.path.basename(BINARY) != "c2py-lsp":
            self.skipTest("the snippet runs `c2py-lsp` from PATH; C2PY_LSP is named %s" % os.path.basename(BINARY))
        work = examples_work_dir("neovim-screenshot")
        with open(os.path.join(work, "init.lua"), "w", encoding="utf-8") as f:
            f.write(readme_snippet())
        path = [os.path.dirname(os.path.abspath(BINARY))] + os.environ.get("PATH", "").split(os.pathsep)
        env = {**os.environ, "PATH": os.pathsep.join(path), "TERM": "xterm-256color", "XDG_STATE_HOME": work,
               "XDG_CACHE_HOME": work, "XDG_DATA_HOME": work, "XDG_CONFIG_HOME": work}
        tmux = terminal_shot.Tmux("%s -n -i NONE -u init.lua lesson.c" % NVIM, work, env)
        try:
            # The diagnostic arrives as virtual text on the realloc line.
            tmux.wait_for(lambda t: "If realloc fails" in t, "the realloc-leak diagnostic", attempts=2400)
            tmux.keys("/malloc(", "Enter")
            tmux.keys("K")
            screen = tmux.wait_for(lambda t: "free(arr)" in t and "Python" in t, "the hover on malloc", attempts=2400)
            coloured = tmux.screen(colours=True)
            tmux.keys("Escape", ":qall!", "Enter")
        finally:
            tmux.close()
        # What the user reads in the float: the idiom with their names, the Markdown rendered.
        self.assertIn("Heap allocation with malloc", screen)
        self.assertIn("arr", screen)
        self.assertNotIn("`", screen)
        self.assertNotIn("](http", screen)
        # Every character readable: none drawn in its own background colour (Neovim 0.7's default
        # colours put floats on magenta, where code's numbers vanish, unless the snippet says otherwise).
        self.assertEqual(terminal_shot.invisible_text(coloured), [])
        png = os.path.join(work, "neovim-hover-malloc.png")
        terminal_shot.screenshot(terminal_shot.ansi_to_html(coloured, "Neovim: hover on malloc"), png, 1000, 660)
        self.assertGreater(os.path.getsize(png), 10000)
        if os.environ.get("C2PY_UPDATE_DOCS_IMAGES") == "1":
            shutil.copy(png, os.path.join(SOURCE_DIR, "docs", "images", "neovim-hover-malloc.png"))


if __name__ == "__main__":
    unittest.main()
