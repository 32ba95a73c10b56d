// Seeded random edits to a document, applied both to a ParsedDocument and to a plain string, so a
// test can compare incremental results with a fresh parse of the same text.
import { createSeededRandom } from '../../src/engine';
import type { ParsedDocument, Position } from '../../src/python/pythonParser';

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

/** Yields the document's text after each of `count` edits (replace up to `maxDeleted` characters with one of `insertions`). */
export function* randomEdits(document: ParsedDocument, seed: number, count: number, insertions: readonly string[], maxDeleted: number): Generator<{ step: number; text: string }> {
  const random = createSeededRandom(seed);
  let text = document.text;
  for (let step = 0; step < count; step++) {
    const start = Math.floor(random() * (text.length + 1));
    const end = Math.min(text.length, start + Math.floor(random() * (maxDeleted + 1)));
    const inserted = insertions[Math.floor(random() * insertions.length)]!;
    document.applyChanges([{ range: { start: positionAt(text, start), end: positionAt(text, end) }, text: inserted }]);
    text = text.slice(0, start) + inserted + text.slice(end);
    yield { step, text };
  }
}
