// Parses Python with tree-sitter, incrementally when the caller keeps the previous tree.
// The host (server, CLI, tests) loads the WebAssembly grammar and hands the ready
// `Language` in; nothing here knows where the .wasm files live.
import { Parser } from '@vscode/tree-sitter-wasm';
import type { Language, Node, Point, Tree } from '@vscode/tree-sitter-wasm';

export type { Language, Node, Point, Tree };

/** A parser bound to the Python grammar. One per host; reuse it for every document. */
export class PythonParser {
  private readonly parser = new Parser();

  constructor(readonly language: Language) {
    this.parser.setLanguage(language);
  }

  /** Parses `text`; with `previous` (already `edit`ed to match `text`) only the changed parts are re-parsed. */
  parse(text: string, previous?: Tree): Tree {
    const tree = this.parser.parse(text, previous ?? null);
    // The runtime returns null only when parsing was cancelled or no language is set; neither happens here.
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  }
}

/** A zero-based line/character position (characters are UTF-16 code units, as in LSP and tree-sitter's web runtime). */
export interface Position {
  line: number;
  character: number;
}

/** A half-open range between two positions. */
export interface SourceRange {
  start: Position;
  end: Position;
}

/** True when `position` lies within `range`, both ends included. */
export function contains(range: SourceRange, position: Position): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}

/** True when `first` comes strictly before `second` in the document. */
export function isBefore(first: Position, second: Position): boolean {
  return first.line < second.line || (first.line === second.line && first.character < second.character);
}

export function rangeOfNode(node: Node): SourceRange {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

/** A change to a document: replace `range` (in the old text) with `text`; no range means "replace everything". */
export interface TextChange {
  range?: SourceRange;
  text: string;
}

/**
 * A document's text and its syntax tree, kept in step through edits so that a keystroke
 * re-parses only what changed. The tree is built lazily: edits only record themselves, and
 * the next read of `tree` re-parses once, however many edits arrived in between.
 */
export class ParsedDocument {
  private currentText: string;
  private currentTree: Tree | undefined;
  private treeIsStale = false;
  private lineStarts: number[];

  constructor(readonly parser: PythonParser, text: string) {
    this.currentText = text;
    this.lineStarts = computeLineStarts(text);
  }

  get text(): string {
    return this.currentText;
  }

  get tree(): Tree {
    if (!this.currentTree) {
      this.currentTree = this.parser.parse(this.currentText);
    } else if (this.treeIsStale) {
      const previous = this.currentTree;
      this.currentTree = this.parser.parse(this.currentText, previous);
      previous.delete();
    }
    this.treeIsStale = false;
    return this.currentTree;
  }

  /** Applies changes in order, as LSP sends them. */
  applyChanges(changes: readonly TextChange[]): void {
    for (const change of changes) {
      if (!change.range) {
        this.currentText = change.text;
        this.lineStarts = computeLineStarts(change.text);
        this.currentTree?.delete();
        this.currentTree = undefined;
        continue;
      }
      const startIndex = this.offsetAt(change.range.start);
      const oldEndIndex = this.offsetAt(change.range.end);
      const startPosition = this.pointAt(startIndex);
      const oldEndPosition = this.pointAt(oldEndIndex);
      this.currentText = this.currentText.slice(0, startIndex) + change.text + this.currentText.slice(oldEndIndex);
      this.lineStarts = computeLineStarts(this.currentText);
      if (!this.currentTree) continue;
      const newEndIndex = startIndex + change.text.length;
      this.currentTree.edit({ startIndex, oldEndIndex, newEndIndex, startPosition, oldEndPosition, newEndPosition: this.pointAt(newEndIndex) });
      this.treeIsStale = true;
    }
  }

  /** Frees the tree's WebAssembly memory. */
  dispose(): void {
    this.currentTree?.delete();
    this.currentTree = undefined;
  }

  private offsetAt(position: Position): number {
    if (position.line >= this.lineStarts.length) return this.currentText.length;
    const lineStart = this.lineStarts[position.line]!;
    const nextLineStart = this.lineStarts[position.line + 1] ?? this.currentText.length + 1;
    // Positions past the end of a line clamp to it, as LSP specifies.
    return Math.min(lineStart + Math.max(0, position.character), nextLineStart - 1, this.currentText.length);
  }

  private pointAt(offset: number): Point {
    const { line, character } = positionAt(this.lineStarts, offset);
    return { row: line, column: character };
  }
}

/** The position of a character offset, given the text's line starts (from `computeLineStarts`). */
export function positionAt(lineStarts: readonly number[], offset: number): Position {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lineStarts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low, character: offset - lineStarts[low]! };
}

/** Line starts as tree-sitter counts rows: only `\n` ends a line (a `\r` before it stays part of the line). */
export function computeLineStarts(text: string): number[] {
  const starts = [0];
  let index = text.indexOf('\n');
  while (index !== -1) {
    starts.push(index + 1);
    index = text.indexOf('\n', index + 1);
  }
  return starts;
}
