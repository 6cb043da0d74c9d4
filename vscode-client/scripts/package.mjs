// One command from sources to a .vsix: `npm run package [-- --out FILE] [-- --server PATH | --no-server]`
//   1. bundle with esbuild, 2. type-check with tsc --noEmit, 3. ship the server binary
//   (--server, else $C2PY_LSP, else ../build/release/c2py-lsp) as server/c2py-lsp, stripped, with
//   the .vsix's target platform declared (linux-x64 here),
//   4. ship the lesson's examples, 5. @vscode/vsce package (offline; no npm dependencies, the
//   bundle holds them).
import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { fileURLToPath } from 'url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = path.resolve(option('--out') ?? path.join(root, `${manifest.name}-${manifest.version}.vsix`));
const run = (file, argv) => execFileSync(process.execPath, [file, ...argv], { cwd: root, stdio: 'inherit' });

run('scripts/build.mjs', []);
run('node_modules/typescript/bin/tsc', ['--noEmit', '-p', '.']);

fs.rmSync(path.join(root, 'server'), { recursive: true, force: true });
let shipsServer = false;
if (!args.includes('--no-server')) {
  const candidates = [option('--server'), process.env.C2PY_LSP, path.join(root, '..', 'build', 'release', 'c2py-lsp')].filter(Boolean);
  const server = candidates.find((p) => fs.existsSync(p));
  if (server) {
    fs.mkdirSync(path.join(root, 'server'));
    const shipped = path.join(root, 'server', 'c2py-lsp');
    fs.copyFileSync(server, shipped);
    fs.chmodSync(shipped, 0o755);
    // Symbols are for debugging a build, not for users: stripped, the binary is a fraction of it.
    try {
      execFileSync('strip', ['--strip-all', shipped], { stdio: 'inherit' });
    } catch (e) {
      console.warn(`strip failed (${e.message}): shipping the server with its symbols`);
    }
    shipsServer = true;
    console.log(`shipping the server ${server} (${fs.statSync(shipped).size} bytes)`);
  } else {
    console.warn(`no server binary found (tried ${candidates.join(', ')}): the .vsix will use c2py.serverPath or PATH`);
  }
}

const lesson = path.join(root, 'lesson');
fs.rmSync(lesson, { recursive: true, force: true });
fs.mkdirSync(lesson);
for (const name of ['lesson.c', 'lesson.py']) fs.copyFileSync(path.join(root, '..', 'examples', name), path.join(lesson, name));

fs.mkdirSync(path.dirname(out), { recursive: true });
// A .vsix holding a native server declares the one platform it runs on (this machine's).
const target = shipsServer ? [`--target`, `${process.platform === 'win32' ? 'win32' : process.platform}-${process.arch}`] : [];
run('node_modules/@vscode/vsce/vsce', ['package', ...target, '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', out]);
console.log(`packaged ${out}`);
