// Builds every bundle with esbuild: the extension client, the language server,
// the CLI and the webview into dist/ (what ships), and the tests and benchmarks
// into out/ (what runs here). Types are checked separately by `npm run typecheck`.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');

/** Every file below `folder` whose name ends with one of `endings`, relative to the root. */
function filesBelow(folder, endings) {
  return readdirSync(join(root, folder), { recursive: true })
    .map(String)
    .filter((name) => endings.some((ending) => name.endsWith(ending)))
    .filter((name) => !name.includes('node_modules'))
    .map((name) => join(folder, name));
}

const common = {
  absWorkingDir: root,
  bundle: true,
  sourcemap: 'linked',
  target: 'es2022',
  logLevel: 'warning',
  loader: { '.scm': 'text' },
  // jsonc-parser's default entry is a UMD bundle whose AMD-style requires esbuild cannot follow; its ES module build bundles cleanly.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  // The tree-sitter runtime is an Emscripten module that mentions Node built-ins
  // behind runtime checks; in the browser bundle they are never reached.
};

const nodeBundle = { ...common, platform: 'node', format: 'cjs', external: ['vscode'] };

rmSync(join(root, 'dist'), { recursive: true, force: true });
rmSync(join(root, 'out'), { recursive: true, force: true });
mkdirSync(join(root, 'dist'), { recursive: true });

// The parser runtime and the Python grammar ship inside dist/: nothing is fetched at run time.
const treeSitterFolder = dirname(require.resolve('@vscode/tree-sitter-wasm'));
for (const wasm of ['tree-sitter.wasm', 'tree-sitter-python.wasm']) {
  copyFileSync(join(treeSitterFolder, wasm), join(root, 'dist', wasm));
}

const builds = [
  { ...nodeBundle, entryPoints: { client: 'client/extension.ts' }, outdir: 'dist' },
  { ...nodeBundle, entryPoints: { server: 'server/main.ts' }, outdir: 'dist' },
  {
    ...nodeBundle,
    entryPoints: { cli: 'cli/main.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    // The panel's script (with its styles, dist/webview.css) and its compute worker.
    entryPoints: { webview: 'webview/main.ts', webviewWorker: 'webview/worker.ts' },
    outdir: 'dist',
  },
  {
    ...nodeBundle,
    entryPoints: [...filesBelow('test', ['.test.ts']), ...filesBelow('test/e2e', ['.ts']), ...filesBelow('bench', ['.ts']), ...filesBelow('scripts', ['.ts'])]
      .filter((file) => !file.endsWith('.d.ts'))
      .map((file) => ({ in: file, out: relative(root, join(root, file)).replace(/\.ts$/, '') })),
    outdir: 'out',
    external: ['vscode', 'mocha', 'playwright-core', '@vscode/test-electron'],
  },
];

if (watch) {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
  console.log('watching for changes…');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
