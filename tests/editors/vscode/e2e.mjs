// VS Code for real: code-server (VS Code 1.100 in the browser) driven by playwright-core in
// Debian's Chromium, with the c2py .vsix installed. One screenshot per step under the output folder.
//
//   C2PY_VSIX=...vsix C2PY_E2E_OUT_DIR=... C2PY_SOURCE_DIR=... node e2e.mjs
//
// Steps: install the .vsix; open lesson.c and see the realloc-leak squiggle; hover `malloc` and read
// the hover from the DOM; apply the quick fix "Resize `arr` through a temporary" from the
// code-action menu; open lesson.py and see the inlay hints; open the heap view and read the
// picture from the webview's DOM; move the cursor and see the view follow. Every wait has a
// timeout; a watchdog ends the run. Exit status 0 only when every check passed; results.json
// holds what was seen.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = process.env.C2PY_SOURCE_DIR ?? path.resolve(here, '..', '..', '..');
const vsix = process.env.C2PY_VSIX;
const outDir = path.resolve(process.env.C2PY_E2E_OUT_DIR ?? path.join(sourceDir, 'tests', 'out', 'vscode'));
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const codeServer = path.join(here, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const stepTimeout = Number(process.env.C2PY_E2E_STEP_MS ?? 45000);
const totalTimeout = Number(process.env.C2PY_E2E_TOTAL_MS ?? 420000);

const results = { steps: [], checks: [], screenshots: [], console: [], ok: false };
const t0 = Date.now();
let server;
let context;

function fail(message) {
  throw new Error(message);
}
function check(name, ok, detail) {
  results.checks.push({ name, ok: Boolean(ok), detail });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : ': ' + JSON.stringify(detail).slice(0, 2000)}`);
}
function writeResults() {
  results.seconds = (Date.now() - t0) / 1000;
  fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify(results, null, 2));
}
async function cleanup() {
  try {
    await context?.close();
  } catch {}
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((resolve) => {
      const timer = setTimeout(() => {
        server.kill('SIGKILL');
        resolve();
      }, 5000);
      server.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
const watchdog = setTimeout(async () => {
  results.error = `watchdog: the run took longer than ${totalTimeout} ms`;
  console.error(results.error);
  writeResults();
  await cleanup();
  process.exit(3);
}, totalTimeout);

async function step(name, fn) {
  const started = Date.now();
  console.log(`-- ${name}`);
  try {
    const value = await fn();
    results.steps.push({ name, seconds: (Date.now() - started) / 1000 });
    return value;
  } catch (error) {
    results.steps.push({ name, seconds: (Date.now() - started) / 1000, error: String(error && error.stack ? error.stack : error) });
    throw error;
  }
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function until(what, fn, timeout = stepTimeout, interval = 250) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, interval));
  }
  fail(`timed out after ${timeout} ms waiting for ${what} (last: ${String(last).slice(0, 300)})`);
}

let shotIndex = 0;
// The README's pictures (docs/images/vscode-*.png) are these screenshots, copied there when the
// test runs with C2PY_UPDATE_DOCS_IMAGES=1.
const docsImages = new Set(['c-hover-malloc', 'python-inlay-hints', 'heap-view-follows-cursor', 'heap-view-cycle']);

async function screenshot(page, name, what) {
  const file = path.join(outDir, `${String(++shotIndex).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  results.screenshots.push({ file, what });
  if (process.env.C2PY_UPDATE_DOCS_IMAGES === '1' && docsImages.has(name)) {
    fs.mkdirSync(path.join(sourceDir, 'docs', 'images'), { recursive: true });
    fs.copyFileSync(file, path.join(sourceDir, 'docs', 'images', `vscode-${name}.png`));
  }
}

const text = (s) => (s ?? '').replace(/\u00a0/g, ' ');

// The visible lines of the active editor in order (Monaco positions its line elements by `top`,
// not in DOM order), inlay hints included as they are drawn.
async function editorText(page) {
  const lines = await page.evaluate(() => {
    const editor = document.querySelector('.editor-group-container.active .editor-instance .monaco-editor .view-lines')
      ?? document.querySelector('.editor-instance .monaco-editor .view-lines');
    if (!editor) return [];
    return [...editor.querySelectorAll('.view-line')]
      .map((l) => [parseFloat(l.style.top) || 0, l.textContent ?? ''])
      .sort((a, b) => a[0] - b[0])
      .map((x) => x[1]);
  });
  return text(lines.join('\n'));
}

async function openFromExplorer(page, name) {
  const item = page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"], .explorer-folders-view .monaco-list-row:has-text("${name}")`).first();
  await item.waitFor({ timeout: stepTimeout });
  await item.click();
  await page.locator(`.tabs-container .tab[aria-label*="${name}"]`).first().waitFor({ timeout: stepTimeout });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: stepTimeout });
}

// The first rendered occurrence of `token` on the editor line that contains `lineText`.
async function tokenOnLine(page, lineText, token) {
  const lines = page.locator('.editor-instance .monaco-editor .view-lines .view-line');
  const count = await lines.count();
  for (let i = 0; i < count; i++) {
    const line = lines.nth(i);
    if (!text(await line.innerText()).includes(lineText)) continue;
    const spans = line.locator('span > span');
    const n = await spans.count();
    for (let j = 0; j < n; j++) {
      if (text(await spans.nth(j).innerText()).includes(token)) return spans.nth(j);
    }
  }
  fail(`no rendered line contains ${lineText} with token ${token}`);
}

async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ timeout: stepTimeout });
  await input.fill('>' + title);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: stepTimeout });
  await input.press('Enter');
}

// The heap view's page: inside the webview's nested iframes.
async function heapFrame(page) {
  for (const frame of page.frames()) {
    try {
      if (await frame.locator('#heap').count()) return frame;
    } catch {}
  }
  return undefined;
}

async function readHeap(frame) {
  return frame.evaluate(() => {
    const names = [...document.querySelectorAll('#heap g.name')].map((g) => ({ name: g.querySelector('text')?.textContent, object: g.getAttribute('data-object') }));
    const objects = [...document.querySelectorAll('#heap g.object')].map((g) => ({
      id: g.getAttribute('data-id'),
      type: g.getAttribute('data-type'),
      classes: g.getAttribute('class'),
      text: [...g.querySelectorAll('text')].map((t) => t.textContent),
    }));
    const values = [...document.querySelectorAll('#heap g.value')].map((g) => ({
      id: g.getAttribute('data-id'),
      type: g.getAttribute('data-type'),
      holder: g.getAttribute('data-holder'),
      classes: g.getAttribute('class'),
      text: g.querySelector('text')?.textContent,
    }));
    const csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null;
    return {
      where: document.getElementById('where')?.textContent ?? '',
      note: document.getElementById('note')?.textContent ?? '',
      names,
      objects,
      values,
      legend: [...document.querySelectorAll('#legend dt')].map((dt) => `${dt.textContent.trim()}: ${dt.nextElementSibling?.textContent.trim() ?? ''}`),
      overflowingTexts: [...document.querySelectorAll('#heap g.object')].filter((g) => {
        const box = g.querySelector('rect')?.getBBox();
        return box && [...g.querySelectorAll('text')].some((t) => { const b = t.getBBox(); return b.x + b.width > box.x + box.width + 1; });
      }).length,
      edges: document.querySelectorAll('#heap g.edge').length,
      csp,
      // VS Code itself prepends one inline script (its acquireVsCodeApi) before the page's CSP;
      // any other inline script or style attribute would be the extension's.
      inlineScripts: [...document.querySelectorAll('script')].filter((s) => !s.src && !(s.textContent ?? '').includes('acquireVsCodeApi')).length,
      styleAttributes: document.querySelectorAll('#heap [style], header [style], footer [style]').length,
      externalScripts: [...document.querySelectorAll('script[src]')].map((s) => s.getAttribute('src')),
    };
  });
}

let work;

async function main() {
  if (!vsix || !fs.existsSync(vsix)) fail(`C2PY_VSIX must name the built .vsix (got ${vsix})`);
  if (!fs.existsSync(codeServer)) fail(`code-server is not installed at ${codeServer}: run bash scripts/setup.d/editors.sh`);
  fs.rmSync(outDir, { recursive: true, force: true });
  work = path.join(outDir, 'work');
  const userData = path.join(outDir, 'code-server', 'user-data');
  const extensions = path.join(outDir, 'code-server', 'extensions');
  const profile = path.join(outDir, 'chromium-profile');
  for (const d of [work, path.join(userData, 'User'), extensions, profile]) fs.mkdirSync(d, { recursive: true });
  for (const name of ['lesson.c', 'lesson.py']) fs.copyFileSync(path.join(sourceDir, 'examples', name), path.join(work, name));
  fs.copyFileSync(path.join(here, 'fixtures', 'heap.py'), path.join(work, 'heap.py'));
  fs.writeFileSync(path.join(outDir, 'code-server', 'config.yaml'), 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'workbench.colorTheme': 'Default Dark Modern',
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'extensions.ignoreRecommendations': true,
        'git.enabled': false,
        'window.restoreWindows': 'none',
        'files.hotExit': 'off',
        'editor.inlayHints.enabled': 'on',
        'editor.hover.delay': 200,
        'editor.minimap.enabled': false,
        'chat.commandCenter.enabled': false,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
      },
      null,
      2,
    ),
  );
  const csArgs = ['--user-data-dir', userData, '--extensions-dir', extensions, '--config', path.join(outDir, 'code-server', 'config.yaml')];

  await step('install the .vsix', async () => {
    const out = execFileSync(process.execPath, [codeServer, ...csArgs, '--install-extension', vsix], { encoding: 'utf8', timeout: stepTimeout });
    results.install = out.trim();
    const list = execFileSync(process.execPath, [codeServer, ...csArgs, '--list-extensions', '--show-versions'], { encoding: 'utf8', timeout: stepTimeout });
    check('the .vsix is installed', /c2py\.c2py-lsp@/.test(list), list);
    const shipped = fs.readdirSync(extensions).find((d) => d.startsWith('c2py.c2py-lsp'));
    const binary = shipped && path.join(extensions, shipped, 'server', 'c2py-lsp');
    check('the shipped server binary is installed executable', binary && (fs.statSync(binary).mode & 0o111) !== 0, binary);
  });

  const port = await freePort();
  await step('start code-server', async () => {
    const log = fs.openSync(path.join(outDir, 'code-server.log'), 'w');
    server = spawn(
      process.execPath,
      [codeServer, ...csArgs, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
       '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened', work],
      { stdio: ['ignore', log, log], env: { ...process.env, XDG_CONFIG_HOME: path.join(outDir, 'code-server'), XDG_DATA_HOME: path.join(outDir, 'code-server') } },
    );
    await until('code-server to answer /healthz', async () => {
      if (server.exitCode !== null) fail(`code-server exited with ${server.exitCode}; see code-server.log`);
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      return res.ok;
    }, 60000, 300);
  });

  const page = await step('start Chromium', async () => {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      viewport: { width: 1500, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking',
             '--disable-component-update', '--disable-sync', '--disable-features=Translate,MediaRouter', '--no-default-browser-check'],
    });
    const p = context.pages()[0] ?? (await context.newPage());
    p.setDefaultTimeout(stepTimeout);
    p.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') results.console.push({ type: m.type(), text: m.text().slice(0, 500) });
    });
    context.on('page', (extra) => extra.close().catch(() => {}));
    await p.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(work)}`, { timeout: 60000 });
    await p.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await p.locator('.explorer-folders-view').waitFor({ timeout: 60000 });
    return p;
  });

  await step('C: the realloc-leak squiggle', async () => {
    await openFromExplorer(page, 'lesson.c');
    await page.locator('.editor-instance .monaco-editor .squiggly-warning, .editor-instance .monaco-editor .squiggly-error').first().waitFor({ timeout: 60000 });
    const squiggles = await page.locator('.editor-instance .monaco-editor .squiggly-warning').count();
    check('a warning squiggle is drawn in lesson.c', squiggles > 0, squiggles);
    // The Problems panel lists it with its code.
    await runCommand(page, 'View: Focus Problems');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'realloc-leak' }).first();
    await problem.waitFor({ timeout: stepTimeout });
    const problemText = text(await problem.innerText());
    results.problem = problemText;
    check('the Problems panel shows realloc-leak from c2py', /c2py/.test(problemText) && /realloc-leak/.test(problemText), problemText);
    // Inlay hints keep their distance from the code on both sides (paddingLeft/paddingRight).
    const cText = await until('the inlay hints of lesson.c', async () => {
      const t = await editorText(page);
      return /40 B/.test(t) ? t : false;
    });
    // VS Code draws padding as a hair space (U+200A).
    check('inlay hints are padded from the code: `sizeof(int)) 40 B ;`', /sizeof\(int\)\)[ \u200a]40 B[ \u200a];/.test(cText), cText.split('\n').find((l) => /40 B/.test(l)));
    await screenshot(page, 'c-diagnostic', 'lesson.c with the realloc-leak squiggle on `arr = realloc(arr, ...)` and the Problems panel listing it');
    await page.keyboard.press('Escape');
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  });

  await step('C: hover malloc', async () => {
    const token = await tokenOnLine(page, 'int *arr = malloc(', 'malloc');
    const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content, .monaco-hover:visible .hover-contents').first();
    await until('the hover over malloc', async () => {
      await token.hover({ position: { x: 8, y: 5 } });
      await page.waitForTimeout(600);
      return (await hover.count()) > 0 && (await hover.isVisible()) && /malloc/i.test(await hover.innerText());
    });
    const hoverText = text(await hover.innerText());
    results.hover = hoverText;
    check('the hover explains malloc with the user\'s names', /malloc/.test(hoverText) && /\barr\b/.test(hoverText) && /free\(arr\)/.test(hoverText), hoverText);
    check('the hover shows the Python that replaces it', /\[0\] \* 10/.test(hoverText), hoverText);
    // The C and the Python block each under its language's name, not run together.
    check('the hover separates the C block and the Python block, each under its name',
      /(^|\n)C\n[\s\S]*int \*arr = malloc[\s\S]*\nPython\n[\s\S]*arr = \[0\] \* 10/.test(hoverText), hoverText);
    await screenshot(page, 'c-hover-malloc', 'the hover over malloc: `arr` gets 40 bytes from the heap, the C and the Python side by side');
    await page.keyboard.press('Escape');
  });

  await step('C: apply the realloc quick fix', async () => {
    const token = await tokenOnLine(page, 'arr = realloc(arr', 'realloc');
    await token.click();
    await page.waitForTimeout(300);
    const title = 'Resize `arr` through a temporary';
    const menuItem = page.locator('.action-widget .monaco-list-row', { hasText: title }).first();
    await until('the code-action menu with the realloc fix', async () => {
      await page.keyboard.press('Control+Period');
      await page.waitForTimeout(700);
      if (await menuItem.count()) return true;
      await page.keyboard.press('Escape');
      return false;
    });
    const items = await page.locator('.action-widget .monaco-list-row').allInnerTexts();
    results.codeActions = items.map(text);
    check('the code-action menu holds the safe quick fix', results.codeActions.some((t) => t.includes(title)), results.codeActions);
    await screenshot(page, 'c-quick-fix-menu', 'the code-action menu on the realloc line, with "Resize `arr` through a temporary"');
    // Choose it with the keyboard, as a user would (the menu's pointer block swallows clicks).
    await until('the realloc fix to be the focused menu item', async () => {
      const focused = await page.locator('.action-widget .monaco-list-row.focused').first().getAttribute('aria-label');
      if (focused === title) return true;
      await page.keyboard.press('ArrowDown');
      return false;
    }, 10000, 150);
    await page.keyboard.press('Enter');
    const after = await until('the fix to change the buffer', async () => {
      const t = await editorText(page);
      return t.includes('arr_grown') ? t : false;
    });
    results.afterFix = after;
    check('the fix resized through a temporary', /\w+ = realloc\(arr, 20 \* sizeof\(int\)\)/.test(after) && !/arr = realloc\(arr/.test(after) && /\n\s*arr = arr_grown\b/.test(after) && /if \(arr_grown == NULL\)/.test(after), after);
    await until('the realloc-leak squiggle to go', async () => {
      await runCommand(page, 'View: Focus Problems');
      await page.waitForTimeout(500);
      const rows = await page.locator('.markers-panel .monaco-list-row', { hasText: 'realloc-leak' }).count();
      await page.keyboard.press('Escape');
      return rows === 0;
    });
    check('the server re-analyzed the edited file: no realloc-leak left', true);
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await screenshot(page, 'c-fix-applied', 'lesson.c after the quick fix: realloc into `arr_grown`, NULL checked, then assigned back');
  });

  await step('Python: inlay hints', async () => {
    await runCommand(page, 'View: Hide Panel');
    await openFromExplorer(page, 'lesson.py');
    const hints = await until('inlay hints in lesson.py', async () => {
      const t = await editorText(page);
      return /cap \d+ → \d+/.test(t) ? t : false;
    }, 60000);
    results.pythonEditor = hints;
    check('inlay hints are drawn in lesson.py', /cap \d+ → \d+/.test(hints), hints);
    await screenshot(page, 'python-inlay-hints', 'lesson.py with the inlay hints of list capacities after append/extend');
  });

  await step('Python: the heap view', async () => {
    const token = await tokenOnLine(page, 'arr.append(2)', 'append');
    await token.click();
    await runCommand(page, 'c2py: Show the heap view');
    const frame = await until('the heap view webview', () => heapFrame(page), 60000);
    const heap = await until('the heap picture for `arr.append(2)`', async () => {
      const h = await readHeap(frame);
      return h.names.some((n) => n.name === 'arr') ? h : false;
    }, 60000);
    results.heap = heap;
    const arr = heap.names.find((n) => n.name === 'arr');
    const arrObject = heap.objects.find((o) => o.id === arr.object);
    check('the heap view shows `arr` bound to a list', arrObject && arrObject.type === 'list', heap);
    check('the list box shows its length and capacity', arrObject && arrObject.text.some((t) => /len 2 \/ cap 4/.test(t)), arrObject);
    // A learner's picture: the list's ints sit in its slots as values, not as boxes at the end of
    // a fan of arrows; no text runs past its box; the legend explains every mark.
    const inList = heap.values.filter((v) => v.holder === arr.object);
    check('the list holds its ints inline, drawn as the values 1 and 2', inList.length === 2 && inList.every((v) => v.type === 'int') &&
      inList.map((v) => v.text).join(',') === '1,2', heap.values);
    check('no int is drawn as a box of its own', !heap.objects.some((o) => o.type === 'int'), heap.objects);
    check('no text spills past its box', heap.overflowingTexts === 0, heap.overflowingTexts);
    check('the legend explains names, objects, references, values, interpreter references, new, changed, immortal, shared, unknown, cycle, freed',
      heap.legend.length >= 12 && heap.legend.some((t) => /sys\.getrefcount/.test(t)), heap.legend);
    const appendLine = fs.readFileSync(path.join(work, 'lesson.py'), 'utf8').split('\n').findIndex((l) => l.includes('arr.append(2)')) + 1;
    check('the heap view names the line', heap.where.includes(`lesson.py:${appendLine}`) && /arr\.append\(2\)/.test(heap.where), heap.where);
    // Local resources only: VS Code's webview.cspSource ('self' and the host VS Code serves the
    // extension's own files from), nothing inline, nothing else.
    const sources = (heap.csp ?? '').split(';').flatMap((d) => d.trim().split(/\s+/).slice(1));
    const strict = /default-src 'none'/.test(heap.csp ?? '') && heap.inlineScripts === 0 && heap.styleAttributes === 0 &&
      sources.every((s) => s === "'none'" || s === "'self'" || /^https:\/\/\*\.vscode-cdn\.net$/.test(s) || /^vscode-(webview|resource):/.test(s));
    check('the heap view has a strict CSP (no inline script or style, local resources only)', strict, heap);
    await screenshot(page, 'heap-view', 'the heap view beside lesson.py at `arr.append(2)`: `arr` → list (len 2 / cap 4) → its ints');

    // It follows the cursor.
    const s2 = await tokenOnLine(page, 's2 = s + " world"', 's2');
    await s2.click();
    const later = await until('the heap view to follow the cursor to `s2 = ...`', async () => {
      const h = await readHeap(frame);
      return h.names.some((n) => n.name === 's2') ? h : false;
    });
    results.heapLater = later;
    const s2Id = later.names.find((n) => n.name === 's2').object;
    const s2Value = later.values.find((v) => v.id === s2Id && v.holder === 's2');
    check('after moving the cursor the view shows `s2` bound to a str, inline in its slot, as Python prints it',
      s2Value && s2Value.type === 'str' && s2Value.text === "'hello world'", later);
    check('the str made by that line is marked new', s2Value && /\bnew\b/.test(s2Value.classes), s2Value);
    await screenshot(page, 'heap-view-follows-cursor', 'the heap view after moving the cursor to `s2 = s + " world"`: the new str appears');
  });

  await step('Python: the heap view greys what a line frees and dashes a cycle', async () => {
    await page.locator('.editor-group-container', { has: page.locator('.tab', { hasText: 'lesson.py' }) }).first().click({ position: { x: 300, y: 300 } });
    await openFromExplorer(page, 'heap.py');
    const frame = await until('the heap view webview', () => heapFrame(page), 30000);
    const none = await tokenOnLine(page, 'alias = None', 'None');
    await none.click();
    const freed = await until('the lists freed by `alias = None`', async () => {
      const h = await readHeap(frame);
      return /heap\.py:\d+/.test(h.where) && /alias = None/.test(h.where) && h.objects.some((o) => /\bfreed\b/.test(o.classes)) ? h : false;
    });
    results.heapFreed = freed;
    const freedLists = freed.objects.filter((o) => /\bfreed\b/.test(o.classes) && o.type === 'list');
    check('`alias = None` frees the rows: greyed list boxes', freedLists.length >= 1, freed);
    await screenshot(page, 'heap-view-freed', 'heap.py at `alias = None`: the outer list and its rows, freed by that line, greyed at the bottom');
    const del = await tokenOnLine(page, 'del node', 'node');
    await del.click();
    const cycle = await until('the cycle after `del node`', async () => {
      const h = await readHeap(frame);
      return /del node/.test(h.where) && h.objects.some((o) => /\bcycle\b/.test(o.classes)) ? h : false;
    });
    results.heapCycle = cycle;
    check('after `del node` the Node is drawn as kept alive only by its cycle', cycle.objects.some((o) => /\bcycle\b/.test(o.classes) && o.type === 'Node'), cycle);
    await screenshot(page, 'heap-view-cycle', 'heap.py at `del node`: no name reaches the Node, its `.next` cycle keeps it (dashed: waits for the cyclic GC)');
  });

  await step('commands: restart the server, open the lesson', async () => {
    await runCommand(page, 'c2py: Restart the language server');
    const statusItem = page.locator('.statusbar-item', { hasText: 'c2py' }).first();
    await until('the status bar to show c2py running again', async () => (await statusItem.count()) > 0 && /check/.test(await statusItem.innerHTML()));
    await openFromExplorer(page, 'lesson.py');
    const token = await tokenOnLine(page, 'arr.append(1)', 'append');
    const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content, .monaco-hover:visible .hover-contents').first();
    await until('a hover from the restarted server', async () => {
      await token.hover({ position: { x: 8, y: 5 } });
      await page.waitForTimeout(600);
      return (await hover.count()) > 0 && (await hover.isVisible()) && /\barr\b/.test(await hover.innerText());
    });
    check('the restarted server answers hovers', true);
    await page.keyboard.press('Escape');

    await runCommand(page, 'c2py: Open the lesson');
    // A fresh copy of the lesson, not the work file whose realloc was fixed (unsaved) above.
    const opened = await until('the lesson side by side', async () => {
      const all = await page.evaluate(() => [...document.querySelectorAll('.editor-instance .monaco-editor .view-lines')].map((v) => v.textContent ?? ''));
      const joined = all.join('\n').replace(/\u00a0/g, ' ');
      return /arr = realloc\(arr/.test(joined) && /arr\.append\(1\)/.test(joined) ? all.length : false;
    });
    check('"Open the lesson" opens the C example and its Python port side by side', opened >= 2, opened);
    // Both panes get their inlay hints, the Python one too.
    const hinted = await until('inlay hints in both panes of the lesson', async () => {
      const all = await page.evaluate(() => [...document.querySelectorAll('.editor-instance .monaco-editor .view-lines')].map((v) => v.textContent ?? ''));
      const joined = all.join('\n').replace(/\u00a0/g, ' ');
      return /cap \d+ → \d+/.test(joined) && /40 B/.test(joined) ? true : false;
    }, 30000).catch(() => false);
    check('"Open the lesson" shows the inlay hints of lesson.c and of lesson.py', hinted === true, hinted);
    await screenshot(page, 'open-lesson', 'the command "c2py: Open the lesson": lesson.c and lesson.py side by side');
  });

  await step('a server that cannot be found is reported', async () => {
    // Through the Settings editor, as a user would.
    await runCommand(page, 'Preferences: Open User Settings');
    await page.locator('.settings-editor').waitFor({ timeout: stepTimeout });
    await page.waitForTimeout(500);
    await page.keyboard.type('c2py.serverPath');
    // c2py.serverPath is machine-overridable: in code-server (a remote window) it lives in the
    // Remote tab, as it would over SSH.
    await page.locator('.settings-editor .settings-tabs-widget .action-label', { hasText: 'Remote' }).first().click();
    const input = page.locator('.settings-editor .setting-item-contents', { hasText: 'Server Path' }).locator('input').first();
    await input.waitFor({ timeout: stepTimeout });
    await input.fill('/nonexistent/c2py-lsp');
    await input.press('Tab');
    const toast = page.locator('.notification-toast', { hasText: 'c2py-lsp was not found' }).first();
    await toast.waitFor({ timeout: stepTimeout });
    const message = text(await toast.innerText());
    results.notFound = message;
    check('the error names what was tried', /setting c2py\.serverPath/.test(message) && message.includes('/nonexistent/c2py-lsp') && /does not exist/.test(message), message);
    await screenshot(page, 'server-not-found', 'c2py.serverPath set to a missing file: the error says what was tried');
  });

  const cspErrors = results.console.filter((m) => /Content Security Policy/i.test(m.text) && /heapView|webview\.js|c2py/i.test(m.text));
  check('no Content-Security-Policy violation from the heap view', cspErrors.length === 0, cspErrors);
}

let status = 1;
try {
  await main();
  results.ok = results.checks.length > 0 && results.checks.every((c) => c.ok);
  status = results.ok ? 0 : 1;
} catch (error) {
  results.error = String(error && error.stack ? error.stack : error);
  console.error(results.error);
  try {
    const page = context?.pages()[0];
    if (page) await screenshot(page, 'failure', 'the screen when the run failed');
  } catch {}
} finally {
  writeResults();
  clearTimeout(watchdog);
  await cleanup();
}
console.log(`${results.checks.filter((c) => c.ok).length}/${results.checks.length} checks passed in ${results.seconds.toFixed(1)} s; screenshots in ${outDir}`);
process.exit(status);
