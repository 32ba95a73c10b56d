// Loads the tree-sitter runtime and Python grammar from the .wasm files that ship in dist/.
// Nothing is downloaded.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Language, Parser } from '@vscode/tree-sitter-wasm';

let loading: Promise<Language> | undefined;

/**
 * Where normlint is installed (the extension folder, the npm package, or the repository): the
 * nearest folder above this bundle whose dist/ holds the grammar. Tests built into out/ find the
 * repository's dist/ the same way.
 */
export function installRoot(): string {
  for (let folder = dirname(__dirname); dirname(folder) !== folder; folder = dirname(folder)) {
    if (existsSync(join(folder, 'dist', 'tree-sitter-python.wasm'))) return folder;
  }
  throw new Error(`normlint is incomplete: no dist/tree-sitter-python.wasm above ${__dirname} (run \`npm run build\`)`);
}

/** The Python grammar, loaded once per process. */
export function loadPythonLanguage(): Promise<Language> {
  loading ??= (async () => {
    const folder = join(installRoot(), 'dist');
    await Parser.init({ locateFile: (file: string) => join(folder, file) });
    return Language.load(await readFile(join(folder, 'tree-sitter-python.wasm')));
  })();
  return loading;
}
