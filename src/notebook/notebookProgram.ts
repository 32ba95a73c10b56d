// Reads a Jupyter notebook (.ipynb, nbformat 4) as one Python program: its code cells in order,
// as the kernel runs them, so a constant set in one cell reaches a layer built in a later one.
// Positions in the program map back to (code cell, position in that cell).
import type { Position, SourceRange } from '../python/pythonParser';

export interface NotebookCell {
  /** 0-based index among the notebook's code cells. */
  index: number;
  /** The program line the cell starts on. */
  firstLine: number;
  lineCount: number;
}

export interface NotebookProgram {
  text: string;
  cells: NotebookCell[];
}

export class NotebookFormatError extends Error {}

/** IPython lines that are not Python (`%matplotlib inline`, `!pip install …`) become empty lines, keeping every position. */
function withoutMagics(source: string): string {
  if (/^\s*%%/.test(source)) return source.replace(/[^\n]/g, '');
  return source
    .split('\n')
    .map((line) => (/^\s*[%!]/.test(line) ? '' : line))
    .join('\n');
}

export function notebookProgram(json: string): NotebookProgram {
  let notebook: unknown;
  try {
    notebook = JSON.parse(json);
  } catch (error) {
    throw new NotebookFormatError(`not a notebook: the file is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const cells = (notebook as { cells?: unknown }).cells;
  if (!Array.isArray(cells)) throw new NotebookFormatError('not a notebook: there is no "cells" list (nbformat 4 is supported)');
  const sources = (cells as { cell_type?: unknown; source?: unknown }[])
    .filter((cell) => cell?.cell_type === 'code')
    .map((cell) =>
      Array.isArray(cell.source) ? cell.source.filter((part): part is string => typeof part === 'string').join('') : typeof cell.source === 'string' ? cell.source : '',
    );
  return programFromCells(sources);
}

/** The program that code cells with these sources make, run in order. */
export function programFromCells(sources: readonly string[]): NotebookProgram {
  const program: NotebookProgram = { text: '', cells: [] };
  let line = 0;
  for (const source of sources) {
    const text = withoutMagics(source.endsWith('\n') ? source : `${source}\n`);
    const lineCount = text.split('\n').length - 1;
    program.cells.push({ index: program.cells.length, firstLine: line, lineCount });
    program.text += text;
    line += lineCount;
  }
  return program;
}

/** The code cell a program position falls in, and the position inside that cell. */
function locateInNotebook(program: NotebookProgram, position: Position): { cell: number; position: Position } {
  let cell = program.cells[0];
  for (const candidate of program.cells) if (candidate.firstLine <= position.line) cell = candidate;
  if (!cell) return { cell: 0, position };
  return { cell: cell.index, position: { line: position.line - cell.firstLine, character: position.character } };
}

/** A program range as a range inside the cell where it starts (cut to its start if it runs into the next cell). */
export function rangeInCell(program: NotebookProgram, range: SourceRange): { cell: number; range: SourceRange } {
  const start = locateInNotebook(program, range.start);
  const end = locateInNotebook(program, range.end);
  return { cell: start.cell, range: { start: start.position, end: end.cell === start.cell ? end.position : start.position } };
}
