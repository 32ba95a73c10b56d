// Finds and reads the pyproject.toml that configures normlint for a folder: the nearest one at or
// above it that has a `[tool.normlint]` table, as ruff does with `[tool.ruff]`. The CLI asks for the
// folder of each checked file, the language server for each document's or workspace folder's.
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { defaultConfig } from '../src/config/normlintConfig';
import type { ConfigError, NormlintConfig } from '../src/config/normlintConfig';
import { readPyprojectConfig } from '../src/config/pyproject';

export interface ProjectConfig {
  /** The file the configuration came from; absent when no pyproject.toml configures normlint (the defaults apply). */
  path?: string;
  config: NormlintConfig;
  /** Mistakes in that file, with 1-based lines; hosts show them and the CLI stops on them. */
  errors: ConfigError[];
}

const noProjectConfig: ProjectConfig = { config: defaultConfig, errors: [] };

/** Looks up project configurations, reading each folder's pyproject.toml at most once. */
export class ProjectConfigFinder {
  private readonly byFolder = new Map<string, Promise<ProjectConfig>>();

  /** The configuration that applies to files in `folder`. */
  find(folder: string): Promise<ProjectConfig> {
    const absolute = resolve(folder);
    let found = this.byFolder.get(absolute);
    if (!found) {
      found = this.lookUp(absolute);
      this.byFolder.set(absolute, found);
    }
    return found;
  }

  /** Forgets what was read, after a pyproject.toml was created, changed or deleted. */
  clear(): void {
    this.byFolder.clear();
  }

  private async lookUp(folder: string): Promise<ProjectConfig> {
    const path = join(folder, 'pyproject.toml');
    const file = await readIfPresent(path);
    if (file && 'error' in file) return { path, config: defaultConfig, errors: [file.error] };
    const read = file && readPyprojectConfig(file.text);
    if (read?.configuresNormlint) return { path, config: read.config, errors: read.errors };
    const parent = dirname(folder);
    return parent === folder ? noProjectConfig : this.find(parent);
  }
}

/** Reads a file named explicitly (`--config FILE`), which must configure normlint. */
export async function readProjectConfigFile(path: string): Promise<ProjectConfig> {
  const file = await readIfPresent(path);
  if (!file) return { path, config: defaultConfig, errors: [{ message: 'cannot read: no such file' }] };
  if ('error' in file) return { path, config: defaultConfig, errors: [file.error] };
  const read = readPyprojectConfig(file.text);
  if (!read.configuresNormlint) return { path, config: defaultConfig, errors: [{ message: 'has no [tool.normlint] table' }] };
  return { path, config: read.config, errors: read.errors };
}

/** The file's text; undefined when there is no such file; an error when it exists but cannot be read. */
async function readIfPresent(path: string): Promise<{ text: string } | { error: ConfigError } | undefined> {
  try {
    return { text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as { code?: string }).code;
    // A folder named pyproject.toml, or a path through a file, holds no configuration.
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    return { error: { message: `cannot read: ${code === 'EACCES' ? 'permission denied' : error instanceof Error ? error.message : String(error)}` } };
  }
}
