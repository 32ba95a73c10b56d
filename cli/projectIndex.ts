// The workspace index `normlint check` lints through. Files count as modules from the project's
// root — the nearest folder above them with a pyproject.toml, setup.py or setup.cfg — so checking
// one file of a project (as a pre-commit hook does) still sees the script that builds its model
// and the config that sets its numbers; the project's other files are read for that, but only the
// checked files are reported. Without a project marker the checked files are the whole project.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultThresholds } from '../src/analysis/lint';
import type { LintOptions } from '../src/analysis/lint';
import { isConfigPath, lintConfigFile } from '../src/configs';
import { NotebookFormatError, notebookProgram, rangeInCell } from '../src/notebook/notebookProgram';
import type { NotebookProgram } from '../src/notebook/notebookProgram';
import type { PythonParser } from '../src/python/pythonParser';
import type { Finding } from '../src/rules/rule';
import { WorkspaceIndex } from '../src/workspace/workspaceIndex';
import { defaultSettings } from '../server/settings';
import { workspaceFiles } from '../server/workspaceFiles';
import { describeFileError } from './files';

/** Beyond this many files in a project, only the checked files are read. */
const maximumProjectFiles = 20_000;
const projectMarkers = ['pyproject.toml', 'setup.py', 'setup.cfg'];

/** A checked file as read: its URI, its notebook layout, and its own config findings. */
export interface CheckedSource {
  file: string;
  uri: string;
  notebook?: NotebookProgram;
  configFindings: Finding[];
}

export async function indexProject(
  files: readonly string[],
  parser: PythonParser,
  optionsOf: (file: string) => LintOptions,
): Promise<{ index: WorkspaceIndex; sources: CheckedSource[]; problems: string[] }> {
  const problems: string[] = [];
  const checkedFolder = commonFolder(files);
  const marked = projectRoot(checkedFolder);
  const root = marked ?? checkedFolder;
  const fileOfUri = new Map(files.map((file) => [uriOf(file), file]));
  const notebooks = new Map<string, NotebookProgram>();
  const lineLabel = (uri: string, line: number): string => {
    const notebook = notebooks.get(uri);
    if (!notebook) return `line ${line + 1}`;
    const { cell, range } = rangeInCell(notebook, { start: { line, character: 0 }, end: { line, character: 0 } });
    return `cell ${cell + 1}, line ${range.start.line + 1}`;
  };
  // A file read only for context is judged with the options of the checked files (the same project's, in practice).
  const index = new WorkspaceIndex(parser.language, (uri) => optionsOf(fileOfUri.get(uri) ?? files[0]!), lineLabel);

  const sources: CheckedSource[] = [];
  for (const file of files) {
    const read = await readSource(file);
    if (typeof read === 'string') problems.push(read);
    if (typeof read !== 'object') continue;
    const uri = uriOf(file);
    if (read.notebook) notebooks.set(uri, read.notebook);
    const options = optionsOf(file);
    const configResult = isConfigPath(file)
      ? lintConfigFile({ path: resolve(file), text: read.text, severities: options.severities ?? {}, thresholds: options.thresholds ?? defaultThresholds, readFile: readTextFileSync, parser })
      : undefined;
    // What kept part of a config from being read is worth a line, but it is not a finding: the exit status stays.
    for (const error of configResult?.errors ?? []) {
      process.stderr.write(`normlint: note: ${relative(process.cwd(), error.path) || error.path}:${error.range.start.line + 1}: ${error.message}\n`);
    }
    addToIndex(index, parser, uri, toPosix(relative(root, resolve(file))), file, read.text);
    sources.push({ file, uri, ...(read.notebook ? { notebook: read.notebook } : {}), configFindings: configResult?.findings ?? [] });
  }

  // The rest of the project, read only for what it tells the checked files.
  if (marked !== undefined) {
    const context = await workspaceFiles(root, { exclude: {}, maxFileSizeBytes: defaultSettings.maxFileSizeBytes });
    const unchecked = context.filter((candidate) => !fileOfUri.has(uriOf(candidate.path)));
    if (unchecked.length + files.length <= maximumProjectFiles) {
      for (const { path, relativePath } of unchecked) {
        const read = await readSource(path);
        if (typeof read === 'object') addToIndex(index, parser, uriOf(path), relativePath, path, read.text);
      }
    }
  }
  return { index, sources, problems };
}

/** The text the analysis reads (a notebook's code cells as one program), why it cannot be read, or nothing for a file over the size limit. */
async function readSource(file: string): Promise<{ text: string; notebook?: NotebookProgram } | string | undefined> {
  try {
    const text = await readFile(file, 'utf8');
    if (text.length > defaultSettings.maxFileSizeBytes) {
      process.stderr.write(`normlint: skipped '${file}': ${Math.round(text.length / 1000)} KB is over the ${defaultSettings.maxFileSizeBytes / 1000} KB limit\n`);
      return undefined;
    }
    if (!file.endsWith('.ipynb')) return { text };
    const notebook = notebookProgram(text);
    return { text: notebook.text, notebook };
  } catch (error) {
    return `cannot read '${file}': ${error instanceof NotebookFormatError ? error.message : describeFileError(error)}`;
  }
}

function addToIndex(index: WorkspaceIndex, parser: PythonParser, uri: string, path: string, file: string, text: string): void {
  if (file.endsWith('.json') || file.endsWith('.yaml') || file.endsWith('.yml')) {
    index.setConfigFile(uri, path, text);
    return;
  }
  const tree = parser.parse(text);
  try {
    index.setPythonFile(uri, path, tree);
  } finally {
    tree.delete();
  }
}

/** The nearest folder at or above `folder` that marks a Python project. */
function projectRoot(folder: string): string | undefined {
  for (let current = folder; ; current = dirname(current)) {
    if (projectMarkers.some((marker) => existsSync(join(current, marker)))) return current;
    if (dirname(current) === current) return undefined;
  }
}

/** The deepest folder that holds every file. */
function commonFolder(files: readonly string[]): string {
  const folders = files.map((file) => dirname(resolve(file)).split(sep));
  if (folders.length === 0) return process.cwd();
  const common: string[] = [];
  for (let index = 0; folders.every((parts) => index < parts.length && parts[index] === folders[0]![index]); index++) common.push(folders[0]![index]!);
  return common.join(sep) || sep;
}

function uriOf(file: string): string {
  return pathToFileURL(resolve(file)).href;
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

export function readTextFileSync(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
