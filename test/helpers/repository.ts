// Paths of the repository and its built bundles, for tests and benchmarks bundled into out/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRepositoryRoot(): string {
  for (let folder = __dirname; dirname(folder) !== folder; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json')) && existsSync(join(folder, 'src', 'rules'))) return folder;
  }
  throw new Error(`no normlint repository above ${__dirname}`);
}

export const repositoryRoot = findRepositoryRoot();
export const cliPath = join(repositoryRoot, 'dist', 'cli.js');
export const serverPath = join(repositoryRoot, 'dist', 'server.js');
export const fixturePath = (...parts: string[]): string => join(repositoryRoot, 'test', 'fixtures', ...parts);
