// Bundles the extension (Node, CommonJS, `vscode` external) and the heap view's page script
// (browser, IIFE) with esbuild into dist/. `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'url';
import path from 'path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const watch = process.argv.includes('--watch');
const common = { bundle: true, sourcemap: watch ? 'inline' : false, minify: !watch, logLevel: 'info', absWorkingDir: root };

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node18', external: ['vscode'] },
  { ...common, entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2020' },
  { ...common, entryPoints: ['test/serverLocator.test.ts'], outfile: 'dist-test/serverLocator.test.js', platform: 'node', format: 'cjs', target: 'node18', minify: false },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
