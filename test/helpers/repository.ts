// Paths of the repository and its built bundles, as seen from a test bundled into out/test/.
import { join } from 'node:path';

export const repositoryRoot = join(__dirname, '..', '..', '..');
export const cliPath = join(repositoryRoot, 'dist', 'cli.js');
export const serverPath = join(repositoryRoot, 'dist', 'server.js');
export const fixturePath = (...parts: string[]): string => join(repositoryRoot, 'test', 'fixtures', ...parts);
