// Which files of a workspace folder the index reads: Python files, notebooks and YAML/JSON
// configs, minus what the user excludes (`files.exclude`, `.gitignore` files at any depth),
// tool folders, and files over the size limit.
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import ignore from 'ignore';
import type { Ignore } from 'ignore';
import picomatch from 'picomatch';

/** Folders that hold no user code: environments, caches, dependencies. */
const skippedFolders = new Set(['node_modules', '__pycache__', 'site-packages', 'venv', 'env', 'build', 'dist']);

const indexedFile = /(\.py|\.ipynb|\.ya?ml|\.json)$/;

export interface WorkspaceFile {
  path: string;
  /** Relative to the workspace folder, with `/`. */
  relativePath: string;
}

export interface WorkspaceFileFilter {
  /** VS Code's `files.exclude`: glob → whether it applies. */
  exclude: Readonly<Record<string, boolean>>;
  maxFileSizeBytes: number;
}

/** Whether the index reads files with this name at all. */
export function isIndexedFileName(path: string): boolean {
  return indexedFile.test(path);
}

/** Every indexed file under `folder`, in a stable order. */
export async function workspaceFiles(folder: string, filter: WorkspaceFileFilter): Promise<WorkspaceFile[]> {
  const excluded = picomatch(
    Object.entries(filter.exclude).flatMap(([glob, on]) => (on ? [glob] : [])),
    { dot: true },
  );
  const found: WorkspaceFile[] = [];
  const walk = async (directory: string, ignores: readonly { base: string; rules: Ignore }[]): Promise<void> => {
    const here = [...ignores];
    const gitignore = await readFile(join(directory, '.gitignore'), 'utf8').catch(() => undefined);
    if (gitignore !== undefined) here.push({ base: directory, rules: ignore().add(gitignore) });
    const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((first, second) => first.name.localeCompare(second.name))) {
      const path = join(directory, entry.name);
      const relativePath = relative(folder, path).split(sep).join('/');
      const isDirectory = entry.isDirectory();
      if (excluded(relativePath) || here.some(({ base, rules }) => rules.ignores(relative(base, path).split(sep).join('/') + (isDirectory ? '/' : '')))) continue;
      if (isDirectory) {
        if (!entry.name.startsWith('.') && !skippedFolders.has(entry.name)) await walk(path, here);
      } else if (entry.isFile() && isIndexedFileName(entry.name)) {
        const size = (await stat(path).catch(() => undefined))?.size ?? Infinity;
        if (size <= filter.maxFileSizeBytes) found.push({ path, relativePath });
      }
    }
  };
  await walk(folder, []);
  return found;
}
