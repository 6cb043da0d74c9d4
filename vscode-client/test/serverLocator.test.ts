// How the extension finds c2py-lsp: setting, then the shipped binary, then PATH; and what it says
// it tried. Run with `node --test dist-test/` after `npm run build`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { describeAttempts, expandPath, locateServer } from '../src/serverLocator';

// Each test's folder is removed when the test process exits, passed or failed.
const folders: string[] = [];
process.on('exit', () => {
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
});

function tree(): { dir: string; exe: (p: string) => string; plain: (p: string) => string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'c2py-locator-'));
  folders.push(dir);
  const write = (p: string, mode: number) => {
    const file = path.join(dir, p);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '#!/bin/sh\n');
    fs.chmodSync(file, mode);
    return file;
  };
  return { dir, exe: (p) => write(p, 0o755), plain: (p) => write(p, 0o644) };
}

test('the setting wins, and a broken setting is reported, not replaced by a guess', () => {
  const t = tree();
  const configured = t.exe('custom/c2py-lsp');
  t.exe('ext/server/c2py-lsp');
  let found = locateServer({ configured, workspaceFolder: undefined, extensionPath: path.join(t.dir, 'ext'), envPath: '' });
  assert.equal(found.command, configured);
  found = locateServer({ configured: path.join(t.dir, 'missing'), workspaceFolder: undefined, extensionPath: path.join(t.dir, 'ext'), envPath: '' });
  assert.equal(found.command, undefined);
  assert.equal(found.attempts.length, 1);
  assert.match(describeAttempts(found.attempts), /setting c2py.serverPath: .*missing does not exist/);
});

test('then the binary shipped in the extension, then PATH', () => {
  const t = tree();
  const shipped = t.exe('ext/server/c2py-lsp');
  const onPath = t.exe('bin/c2py-lsp');
  const envPath = ['/nonexistent', path.join(t.dir, 'bin')].join(path.delimiter);
  assert.equal(locateServer({ configured: '', workspaceFolder: undefined, extensionPath: path.join(t.dir, 'ext'), envPath }).command, shipped);
  const noShipped = locateServer({ configured: '', workspaceFolder: undefined, extensionPath: path.join(t.dir, 'none'), envPath });
  assert.equal(noShipped.command, onPath);
  assert.deepEqual(noShipped.attempts.map((a) => a.source), ['shipped in the extension', 'PATH']);
});

test('says what it tried when nothing works', () => {
  const t = tree();
  t.plain('bin/c2py-lsp'); // not executable
  const found = locateServer({ configured: '', workspaceFolder: undefined, extensionPath: path.join(t.dir, 'ext'), envPath: path.join(t.dir, 'bin') });
  assert.equal(found.command, undefined);
  const text = describeAttempts(found.attempts);
  assert.match(text, /shipped in the extension: .*ext\/server\/c2py-lsp does not exist/);
  assert.match(text, /PATH: .*bin\/c2py-lsp is not executable/);
  const empty = locateServer({ configured: '', workspaceFolder: undefined, extensionPath: path.join(t.dir, 'ext'), envPath: '' });
  assert.match(describeAttempts(empty.attempts), /PATH: c2py-lsp is in none of the 0 folders of PATH/);
});

test('expands ~ and ${workspaceFolder}, and resolves relative paths against the workspace', () => {
  assert.equal(expandPath('~/bin/c2py-lsp', undefined), path.join(os.homedir(), 'bin/c2py-lsp'));
  assert.equal(expandPath('${workspaceFolder}/build/release/c2py-lsp', '/w'), '/w/build/release/c2py-lsp');
  assert.equal(expandPath('build/release/c2py-lsp', '/w'), '/w/build/release/c2py-lsp');
});
