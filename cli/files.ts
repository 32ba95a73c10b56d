// The file system side of the CLI: which .py, .ipynb, model-config .json and YAML files a path stands for, and one-line descriptions
// of the errors reading them, shared by `check` and `run`.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Folders that hold no user code worth linting. */
const skippedFolders = new Set(['node_modules', '__pycache__', 'site-packages', 'venv']);

/** Python files, notebooks, and the configs that set channels, groups or batch sizes (or that scripts load). */
const checkedFileName = /(\.py|\.ipynb|config\.json|\.ya?ml)$/;

/** `path` itself if it is a file, else every .py, .ipynb, `*config.json` and YAML file below it (sorted, skipping hidden and tool folders). */
export async function pythonFilesUnder(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const files: string[] = [];
  for (const entry of (await readdir(path, { withFileTypes: true })).sort((first, second) => first.name.localeCompare(second.name))) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && !skippedFolders.has(entry.name)) files.push(...(await pythonFilesUnder(child)));
    } else if (entry.isFile() && checkedFileName.test(entry.name)) {
      files.push(child);
    }
  }
  return files;
}

export function describeFileError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return error instanceof Error ? error.message : String(error);
}
