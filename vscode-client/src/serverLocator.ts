// Finds the c2py-lsp binary: the `c2py.serverPath` setting, then the binary shipped inside the
// .vsix (server/c2py-lsp), then `c2py-lsp` on PATH. Every candidate tried is recorded with the
// reason it was rejected, so that the user is told exactly what was looked at.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface Attempt {
  source: 'setting c2py.serverPath' | 'shipped in the extension' | 'PATH';
  path: string;
  problem?: string; // undefined: this one works
}

export interface Located {
  command?: string;
  attempts: Attempt[];
}

export const binaryName = process.platform === 'win32' ? 'c2py-lsp.exe' : 'c2py-lsp';

function problemWith(file: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return 'does not exist';
  }
  if (!stat.isFile()) return 'is not a file';
  if (process.platform !== 'win32') {
    try {
      fs.accessSync(file, fs.constants.X_OK);
    } catch {
      return 'is not executable (chmod +x it)';
    }
  }
  return undefined;
}

export function expandPath(configured: string, workspaceFolder: string | undefined): string {
  let p = configured.trim();
  if (p === '~' || p.startsWith('~/')) p = path.join(os.homedir(), p.slice(1));
  if (workspaceFolder) p = p.split('${workspaceFolder}').join(workspaceFolder);
  if (!path.isAbsolute(p) && workspaceFolder) p = path.join(workspaceFolder, p);
  return p;
}

export function locateServer(opts: {
  configured: string;
  workspaceFolder: string | undefined;
  extensionPath: string;
  envPath: string | undefined;
}): Located {
  const attempts: Attempt[] = [];
  const tryFile = (source: Attempt['source'], file: string): string | undefined => {
    const problem = problemWith(file);
    attempts.push({ source, path: file, problem });
    return problem ? undefined : file;
  };

  if (opts.configured.trim() !== '') {
    const found = tryFile('setting c2py.serverPath', expandPath(opts.configured, opts.workspaceFolder));
    // An explicit setting that does not work is an error to report, not a reason to guess.
    return { command: found, attempts };
  }
  const shipped = tryFile('shipped in the extension', path.join(opts.extensionPath, 'server', binaryName));
  if (shipped) return { command: shipped, attempts };

  const dirs = (opts.envPath ?? '').split(path.delimiter).filter((d) => d !== '');
  for (const dir of dirs) {
    const file = path.join(dir, binaryName);
    if (!fs.existsSync(file)) continue;
    const found = tryFile('PATH', file);
    if (found) return { command: found, attempts };
  }
  if (!attempts.some((a) => a.source === 'PATH')) {
    attempts.push({ source: 'PATH', path: binaryName, problem: `is in none of the ${dirs.length} folders of PATH` });
  }
  return { attempts };
}

export function describeAttempts(attempts: Attempt[]): string {
  return attempts.map((a) => `${a.source}: ${a.path} ${a.problem ?? 'works'}`).join('; ');
}
