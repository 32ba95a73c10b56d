// Jupyter notebooks over LSP notebook document sync: the Python code cells are analysed in order
// as one program, as the kernel runs them, and each finding is published on the cell it is in.
import { NotebookCellKind, NotebookDocuments } from 'vscode-languageserver/node';
import type { Connection, Diagnostic, Hover, NotebookDocument, Position } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lint } from '../src/analysis/lint';
import type { LintOptions, LintResult } from '../src/analysis/lint';
import { explainLayerAt } from '../src/explain/hover';
import { programFromCells, rangeInCell } from '../src/notebook/notebookProgram';
import type { NotebookProgram } from '../src/notebook/notebookProgram';
import type { PythonParser } from '../src/python/pythonParser';
import type { Tree } from '@vscode/tree-sitter-wasm';
import type { Finding, Fix } from '../src/rules/rule';
import { toDiagnostic } from './presentation';

/** The notebook type VS Code gives `.ipynb` files, and the cells normlint reads. */
export const notebookSelector = [{ notebook: { notebookType: 'jupyter-notebook' }, cells: [{ language: 'python' }] }];

/** How the workspace index takes part in a notebook's analysis. */
export interface NotebookWorkspaceHooks {
  covers(notebookUri: string): boolean;
  /** The notebook's program as the editor has it, analysed with the rest of the workspace. */
  analyse(notebookUri: string, tree: Tree, program: NotebookProgram): LintResult | undefined;
}

interface AnalysedNotebook {
  program: NotebookProgram;
  result: LintResult;
  /** The URI of each code cell, by its index in the program. */
  cellUris: string[];
  /** Each cell's findings, with ranges (and fix edits) relative to that cell. */
  findingsByCell: Finding[][];
}

export class NotebookAnalysis {
  private readonly notebooks = new NotebookDocuments(TextDocument);
  private readonly analysed = new Map<string, AnalysedNotebook>();
  private readonly pending = new Map<string, NodeJS.Immediate>();
  private readonly open = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly parserReady: Promise<PythonParser>,
    /** The options to lint a notebook with (its pyproject.toml applies), or undefined while normlint is disabled or settings are not read yet. */
    private readonly lintOptions: (uri: string) => Promise<LintOptions | undefined>,
    private readonly installRoot: string,
    /** Notebooks whose code is longer than this (in characters) are not analysed, as with files. */
    private readonly maxProgramLength: () => number,
    /** A notebook in a workspace folder is analysed with the workspace: it may build models of other files. */
    private readonly workspace?: NotebookWorkspaceHooks,
  ) {
    this.notebooks.onDidOpen((notebook) => {
      this.open.add(notebook.uri);
      this.schedule(notebook);
    });
    this.notebooks.onDidChange(({ notebookDocument }) => this.schedule(notebookDocument));
    this.notebooks.onDidClose((notebook) => this.close(notebook));
    this.notebooks.listen(connection);
  }

  /** Settings changed: analyse every open notebook again. */
  reanalyzeAll(): void {
    for (const uri of this.open) {
      const notebook = this.notebooks.getNotebookDocument(uri);
      if (notebook) this.schedule(notebook);
    }
  }

  /** Hover on a cell of a notebook: the layer explained against the whole program. */
  hover(cellUri: string, position: Position): Hover | null {
    const notebook = this.notebooks.findNotebookDocumentForCell(cellUri);
    const analysed = notebook && this.analysed.get(notebook.uri);
    const cellIndex = analysed?.cellUris.indexOf(cellUri) ?? -1;
    if (!analysed || cellIndex < 0) return null;
    const firstLine = analysed.program.cells[cellIndex]!.firstLine;
    const explanation = explainLayerAt(analysed.result, { line: position.line + firstLine, character: position.character });
    if (!explanation) return null;
    return { contents: { kind: 'markdown', value: explanation.markdown }, range: rangeInCell(analysed.program, explanation.layer.range).range };
  }

  /** The findings on one cell, for quick fixes; their ranges are relative to the cell. */
  findingsOf(cellUri: string): Finding[] {
    const notebook = this.notebooks.findNotebookDocumentForCell(cellUri);
    const analysed = notebook && this.analysed.get(notebook.uri);
    const cellIndex = analysed?.cellUris.indexOf(cellUri) ?? -1;
    return analysed && cellIndex >= 0 ? analysed.findingsByCell[cellIndex]! : [];
  }

  /** Whether `uri` is a cell of an open notebook (which the text-document path must leave alone). */
  isCell(uri: string): boolean {
    return this.notebooks.findNotebookDocumentForCell(uri) !== undefined;
  }

  /** Changes arriving together (one keystroke may touch several cells) are analysed once. */
  private schedule(notebook: NotebookDocument): void {
    const pending = this.pending.get(notebook.uri);
    if (pending) clearImmediate(pending);
    this.pending.set(
      notebook.uri,
      setImmediate(() => {
        this.pending.delete(notebook.uri);
        void Promise.all([this.parserReady, this.lintOptions(notebook.uri)]).then(([parser, options]) => this.analyse(notebook.uri, parser, options));
      }),
    );
  }

  private analyse(notebookUri: string, parser: PythonParser, options: LintOptions | undefined): void {
    const notebook = this.notebooks.getNotebookDocument(notebookUri);
    if (!notebook || !options) return;
    const cells = notebook.cells
      .filter((cell) => cell.kind === NotebookCellKind.Code)
      .map((cell) => this.notebooks.getCellTextDocument(cell))
      .filter((document): document is TextDocument => document?.languageId === 'python');
    const program = programFromCells(cells.map((document) => document.getText()));
    if (program.text.length > this.maxProgramLength()) {
      this.connection.console.log(`[normlint] ${notebookUri} has ${program.text.length} characters of code, over the normlint.maxFileSize limit: not analysed`);
      return;
    }
    const tree = parser.parse(program.text);
    try {
      const result = (this.workspace?.covers(notebookUri) && this.workspace.analyse(notebookUri, tree, program)) || lint(tree, parser.language, options);
      const cellUris = cells.map((document) => document.uri);
      const findingsByCell = cellUris.map((): Finding[] => []);
      const byCell = cellUris.map((): Diagnostic[] => []);
      for (const finding of result.findings) {
        const { cell, range } = rangeInCell(program, finding.range);
        findingsByCell[cell]!.push({ ...finding, range, fixes: fixesInCell(program, cell, finding) });
        // Related locations in other files (the model a cell builds) keep their own positions.
        const related = finding.related?.map((location) => {
          if (location.uri !== undefined) return location;
          const placed = rangeInCell(program, location.range);
          return { ...location, range: placed.range, uri: cellUris[placed.cell] };
        });
        const diagnostic = toDiagnostic({ ...finding, range, ...(related ? { related } : {}) }, cellUris[cell]!, this.installRoot);
        // Related locations may sit in other cells than the finding.
        if (related) diagnostic.relatedInformation = related.map((location) => ({ location: { uri: location.uri ?? cellUris[cell]!, range: location.range }, message: location.message }));
        byCell[cell]!.push(diagnostic);
      }
      this.analysed.set(notebookUri, { program, result, cellUris, findingsByCell });
      cellUris.forEach((uri, index) => void this.connection.sendDiagnostics({ uri, diagnostics: byCell[index]! }));
    } catch (error) {
      this.connection.console.log(`[normlint] analysis failed for ${notebookUri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } finally {
      tree.delete();
    }
  }

  private close(notebook: NotebookDocument): void {
    this.open.delete(notebook.uri);
    const analysed = this.analysed.get(notebook.uri);
    this.analysed.delete(notebook.uri);
    for (const uri of analysed?.cellUris ?? []) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }
}

/** A finding's fixes whose edits all fall in its own cell, with the edits made relative to it. */
function fixesInCell(program: NotebookProgram, cell: number, finding: Finding): Fix[] {
  return (finding.fixes ?? []).flatMap((fix) => {
    const edits = fix.edits.map((edit) => ({ ...rangeInCell(program, edit.range), newText: edit.newText }));
    return edits.every((edit) => edit.cell === cell) ? [{ ...fix, edits: edits.map(({ range, newText }) => ({ range, newText })) }] : [];
  });
}
