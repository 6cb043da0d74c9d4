"""A terminal editor, seen as its user sees it: runs a command in a detached tmux session of a fixed
size, types keys into it, reads the screen (as text, and with its colours), and turns the coloured
screen into a PNG through Chromium's headless screenshot. Used by the Neovim end-to-end test."""
import html
import os
import re
import shutil
import subprocess
import time

# xterm's 16 colours, then the 6×6×6 cube and the grey ramp of the 256-colour palette.
_BASE16 = ["#000000", "#cd0000", "#00cd00", "#cdcd00", "#0000ee", "#cd00cd", "#00cdcd", "#e5e5e5",
           "#7f7f7f", "#ff0000", "#00ff00", "#ffff00", "#5c5cff", "#ff00ff", "#00ffff", "#ffffff"]
_CUBE = [0, 95, 135, 175, 215, 255]
DEFAULT_FG, DEFAULT_BG = "#d0d0d0", "#1c1c1c"


def _palette(n):
    if n < 16:
        return _BASE16[n]
    if n < 232:
        n -= 16
        return "#%02x%02x%02x" % (_CUBE[n // 36], _CUBE[n // 6 % 6], _CUBE[n % 6])
    level = 8 + 10 * (n - 232)
    return "#%02x%02x%02x" % (level, level, level)


def styled_runs(screen):
    """The screen as tmux prints it with `capture-pane -e` (SGR escapes): per row, a list of
    (text, style) runs, style holding fg and bg (resolved, reverse applied), bold, italic, underline."""
    state = {"fg": None, "bg": None, "bold": False, "italic": False, "underline": False, "reverse": False}

    def apply(params):
        codes = [int(p) if p else 0 for p in params.split(";")] if params else [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                state.update(fg=None, bg=None, bold=False, italic=False, underline=False, reverse=False)
            elif c in (1, 3, 4, 7):
                state[{1: "bold", 3: "italic", 4: "underline", 7: "reverse"}[c]] = True
            elif c in (22, 23, 24, 27):
                state[{22: "bold", 23: "italic", 24: "underline", 27: "reverse"}[c]] = False
            elif 30 <= c <= 37 or 90 <= c <= 97:
                state["fg"] = _palette(c - 30 if c < 90 else c - 82)
            elif 40 <= c <= 47 or 100 <= c <= 107:
                state["bg"] = _palette(c - 40 if c < 100 else c - 92)
            elif c == 39:
                state["fg"] = None
            elif c == 49:
                state["bg"] = None
            elif c in (38, 48) and i + 1 < len(codes):
                key = "fg" if c == 38 else "bg"
                if codes[i + 1] == 5 and i + 2 < len(codes):
                    state[key] = _palette(codes[i + 2])
                    i += 2
                elif codes[i + 1] == 2 and i + 4 < len(codes):
                    state[key] = "#%02x%02x%02x" % tuple(codes[i + 2:i + 5])
                    i += 4
            i += 1

    def style():
        fg, bg = state["fg"] or DEFAULT_FG, state["bg"] or DEFAULT_BG
        if state["reverse"]:
            fg, bg = bg, fg
        return {"fg": fg, "bg": bg, "bold": state["bold"], "italic": state["italic"], "underline": state["underline"]}

    rows = []
    for line in screen.split("\n"):
        runs = []
        for part in re.split(r"(\x1b\[[0-9;]*m)", line):
            if part.startswith("\x1b["):
                apply(part[2:-1])
            elif part:
                runs.append((part, style()))
        rows.append(runs)
    return rows


def invisible_text(screen):
    """Visible characters drawn in their own background colour: text the user cannot read."""
    return [text for row in styled_runs(screen) for text, st in row if text.strip() and st["fg"] == st["bg"]]


def ansi_to_html(screen, title):
    """The coloured screen as an HTML page."""
    def span(text, st):
        css = "color:%s;background:%s" % (st["fg"], st["bg"])
        if st["bold"]:
            css += ";font-weight:bold"
        if st["italic"]:
            css += ";font-style:italic"
        if st["underline"]:
            css += ";text-decoration:underline"
        return '<span style="%s">%s</span>' % (css, html.escape(text))

    rows = ["".join(span(text, st) for text, st in row) for row in styled_runs(screen)]
    return ("<!doctype html><meta charset=utf-8><title>%s</title><style>body{margin:0;background:%s}"
            "pre{margin:0;padding:8px;font:14px/1.25 'DejaVu Sans Mono',monospace;color:%s}</style>"
            "<pre>%s</pre>" % (html.escape(title), DEFAULT_BG, DEFAULT_FG, "\n".join(rows)))


class Tmux:
    """One detached tmux server and session, private to the test (its own socket)."""

    def __init__(self, command, cwd, env, width=110, height=34):
        self.tmux = shutil.which("tmux")
        if not self.tmux:
            raise AssertionError("tmux not found (scripts/setup.d/editors.sh installs it)")
        self.socket = "c2py-e2e-%d" % os.getpid()
        self.width, self.height = width, height
        self.env = env
        self._run("-f", "/dev/null", "new-session", "-d", "-x", str(width), "-y", str(height), "-s", "shot",
                  "-c", cwd, command)

    def _run(self, *args):
        return subprocess.run([self.tmux, "-L", self.socket, *args], env=self.env, capture_output=True,
                              text=True, check=True, timeout=30).stdout

    def keys(self, *keys):
        self._run("send-keys", "-t", "shot", *keys)

    def screen(self, colours=False):
        return self._run("capture-pane", "-p", "-t", "shot", *(["-e"] if colours else []))

    def wait_for(self, predicate, what, attempts=600):
        """Polls the screen up to `attempts` times, 0.05 s apart; the bound is work, not a deadline
        the machine's speed decides: a slow machine only makes the wait longer, up to 30 s."""
        for _ in range(attempts):
            text = self.screen()
            if predicate(text):
                return text
            time.sleep(0.05)
        raise AssertionError("the screen never showed %s; it shows:\n%s" % (what, self.screen()))

    def close(self):
        subprocess.run([self.tmux, "-L", self.socket, "kill-server"], env=self.env, capture_output=True, timeout=30)


def screenshot(page_html, png, width_px, height_px, chromium="/usr/bin/chromium"):
    """Renders the page to a PNG with headless Chromium."""
    page = png[:-4] + ".html"
    with open(page, "w", encoding="utf-8") as f:
        f.write(page_html)
    profile = png[:-4] + "-chromium"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--user-data-dir=" + profile, "--window-size=%d,%d" % (width_px, height_px),
                    "--screenshot=" + png, "file://" + page], capture_output=True, timeout=120, check=True)
    shutil.rmtree(profile, ignore_errors=True)
    if not os.path.exists(png):
        raise AssertionError("chromium wrote no screenshot")
