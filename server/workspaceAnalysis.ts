// The server's side of the workspace index: reads the workspace folders' files once (with
// progress shown), keeps closed files in step with the disk through file watching, and keeps
// open files in step with the editor. Which files an edit affects comes from the index.
import { readFile } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Tree } from '@vscode/tree-sitter-wasm';
import { FileChangeType } from 'vscode-languageserver/node';
import type { Connection, FileEvent } from 'vscode-languageserver/node';
import type { LintOptions, LintResult } from '../src/analysis/lint';
import { notebookProgram, rangeInCell } from '../src/notebook/notebookProgram';
import type { NotebookProgram } from '../src/notebook/notebookProgram';
import type { PythonParser } from '../src/python/pythonParser';
import { WorkspaceIndex } from '../src/workspace/workspaceIndex';
import { isIndexedFileName, workspaceFiles } from './workspaceFiles';
import type { WorkspaceFileFilter } from './workspaceFiles';
import type { ProjectConfig } from './projectConfig';

/** Beyond this many files the index stops growing: a repository that size is better analysed file by file. */
const maximumIndexedFiles = 20_000;
/** Files read, or milliseconds of first analysis, between yields to the message loop, so edits stay responsive while indexing. */
const filesPerSlice = 25;
const sliceMs = 50;

export class WorkspaceAnalysis {
  private index: WorkspaceIndex | undefined;
  private folders: string[] = [];
  /** Files the editor has open: their text comes from the editor, not the disk. */
  private readonly openInEditor = new Set<string>();
  /** How each notebook's cells make up its program, so messages can name a cell and a line in it. */
  private readonly notebookPrograms = new Map<string, NotebookProgram>();
  /** Each indexed file's nearest `[tool.normlint]` configuration, so files that are not open are judged as the CLI judges them. */
  private readonly projects = new Map<string, ProjectConfig>();
  private building: Promise<void> | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly parserReady: Promise<PythonParser>,
    private readonly optionsFor: (uri: string) => LintOptions,
    private readonly log: (message: string) => void,
    private readonly projectFor: (folder: string) => Promise<ProjectConfig>,
  ) {}

  /** The configuration read for a file of the index, if it was read. */
  projectOf(uri: string): ProjectConfig | undefined {
    return this.projects.get(uri);
  }

  /** A pyproject.toml changed: every indexed file's configuration is looked up again. */
  async reloadProjects(): Promise<void> {
    await Promise.all([...this.projects.keys()].map(async (uri) => this.projects.set(uri, await this.projectFor(dirname(fileURLToPath(uri))))));
    this.optionsChanged();
  }

  setFolders(folders: readonly string[]): void {
    this.folders = folders.filter((folder) => folder.startsWith('file:')).map((folder) => fileURLToPath(folder));
  }

  /** Whether `uri` is a file of an indexed workspace folder. */
  covers(uri: string): boolean {
    return this.index !== undefined && this.relativePath(uri) !== undefined;
  }

  /** Reads every file of the workspace folders into a new index, reporting progress; `done` runs when it is ready. */
  rebuild(filter: WorkspaceFileFilter, done: () => void): void {
    const build = (this.building = this.build(filter).then(() => {
      if (this.building === build) done();
    }));
  }

  /** No index: each file is analysed on its own. */
  disable(): void {
    this.index = undefined;
    this.building = undefined;
  }

  private async build(filter: WorkspaceFileFilter): Promise<void> {
    if (this.folders.length === 0) return;
    const parser = await this.parserReady;
    const progress = await this.connection.window.createWorkDoneProgress();
    // Not cancellable: VS Code then shows it in the status bar rather than as a notification that takes the eye.
    progress.begin('normlint: indexing the workspace', 0, 'listing files', false);
    const started = Date.now();
    const index = new WorkspaceIndex(parser.language, this.optionsFor, (uri, line) => {
      const program = this.notebookPrograms.get(uri);
      if (!program) return `line ${line + 1}`;
      const { cell, range } = rangeInCell(program, { start: { line, character: 0 }, end: { line, character: 0 } });
      return `cell ${cell + 1}, line ${range.start.line + 1}`;
    });
    let files = (await Promise.all(this.folders.map((folder) => workspaceFiles(folder, filter)))).flat();
    if (files.length > maximumIndexedFiles) {
      // Findings that depend on the files left out would silently go missing: say so where the user looks.
      void this.connection.window.showInformationMessage(
        `normlint read the first ${maximumIndexedFiles.toLocaleString('en')} of ${files.length.toLocaleString('en')} files in this workspace; add folders to files.exclude, or set normlint.indexWorkspace to false to analyse each open file on its own`,
      );
      files = files.slice(0, maximumIndexedFiles);
    }
    for (let position = 0; position < files.length; position++) {
      const file = files[position]!;
      const uri = pathToFileURL(file.path).href;
      if (!this.openInEditor.has(uri)) await this.readIntoIndex(index, parser, uri, file.path);
      if (position % filesPerSlice === filesPerSlice - 1) {
        progress.report(Math.round((100 * position) / files.length), `${position + 1} of ${files.length} files`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    // The first analysis of every file, in slices, so edits in open files stay responsive meanwhile.
    progress.report(100, 'analysing');
    while (!index.refresh(Date.now() + sliceMs)) await new Promise((resolve) => setImmediate(resolve));
    progress.done();
    this.log(`indexed and analysed ${files.length} files in ${Date.now() - started} ms`);
    this.index = index;
  }

  /** The editor's version of an open Python file (or a notebook's program); call after each change. */
  updateOpen(uri: string, tree: Tree, program?: NotebookProgram): void {
    this.openInEditor.add(uri);
    if (program) this.notebookPrograms.set(uri, program);
    const path = this.relativePath(uri);
    if (this.index && path !== undefined) this.index.setPythonFile(uri, path, tree);
  }

  /** The editor's version of an open config. */
  updateOpenConfig(uri: string, text: string): void {
    this.openInEditor.add(uri);
    const path = this.relativePath(uri);
    if (this.index && path !== undefined) this.index.setConfigFile(uri, path, text);
  }

  /** The editor closed the file: from now on the disk has its text. */
  async closed(uri: string): Promise<void> {
    this.openInEditor.delete(uri);
    await this.reloadFromDisk(uri);
  }

  /** Settings or a pyproject.toml changed. */
  optionsChanged(): void {
    this.index?.optionsChanged();
  }

  lint(uri: string): LintResult | undefined {
    return this.index?.lint(uri);
  }

  /** The files whose findings may change when `uri` changes. */
  affectedBy(uri: string): string[] {
    return this.index?.affectedBy(uri) ?? [];
  }

  /** Files created, changed or deleted on disk (not through the editor); returns the files they affect. */
  async filesChanged(events: readonly FileEvent[]): Promise<string[]> {
    const affected = new Set<string>();
    for (const event of events) {
      if (!this.index || !isIndexedFileName(event.uri) || this.openInEditor.has(event.uri)) continue;
      for (const uri of this.index.affectedBy(event.uri)) affected.add(uri);
      if (event.type === FileChangeType.Deleted) this.index.remove(event.uri);
      else await this.reloadFromDisk(event.uri);
      for (const uri of this.index.affectedBy(event.uri)) affected.add(uri);
    }
    return [...affected];
  }

  private async reloadFromDisk(uri: string): Promise<void> {
    const index = this.index;
    if (!index || this.relativePath(uri) === undefined || !isIndexedFileName(uri)) return;
    const parser = await this.parserReady;
    if (!(await this.readIntoIndex(index, parser, uri, fileURLToPath(uri)))) index.remove(uri);
  }

  /** Reads one file into the index; false when it cannot be read (deleted meanwhile, not a notebook). */
  private async readIntoIndex(index: WorkspaceIndex, parser: PythonParser, uri: string, path: string): Promise<boolean> {
    const relativePath = this.relativePath(uri);
    if (relativePath === undefined) return false;
    this.projects.set(uri, await this.projectFor(dirname(path)));
    let text: string;
    try {
      text = await readFile(path, 'utf8');
      if (path.endsWith('.ipynb')) {
        const program = notebookProgram(text);
        this.notebookPrograms.set(uri, program);
        text = program.text;
      }
    } catch {
      return false;
    }
    if (path.endsWith('.json') || path.endsWith('.yaml') || path.endsWith('.yml')) {
      index.setConfigFile(uri, relativePath, text);
      return true;
    }
    const tree = parser.parse(text);
    try {
      index.setPythonFile(uri, relativePath, tree);
    } finally {
      tree.delete();
    }
    return true;
  }

  private relativePath(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    const path = fileURLToPath(uri);
    for (const folder of this.folders) {
      const inside = relative(folder, path);
      if (inside && !inside.startsWith('..') && !inside.startsWith(sep)) return inside.split(sep).join('/');
    }
    return undefined;
  }
}
