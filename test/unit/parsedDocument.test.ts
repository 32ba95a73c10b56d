import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ParsedDocument } from '../../src/python/pythonParser';
import type { Position } from '../../src/python/pythonParser';
import { pythonParser } from '../helpers/python';

/** A seeded generator, so a failure can be replayed. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

const source = `import torch.nn as nn

class Block(nn.Module):
    def __init__(self, width=64):
        super().__init__()
        self.norm = nn.GroupNorm(32, width)  # é 😀
        self.bn = nn.BatchNorm2d(width)
`;

const insertions = ['nn.GroupNorm(3, 10)', '\n', '(', ')', '😀', '# c', 'x = 1\n', '    ', ',', '"'];

describe('ParsedDocument', () => {
  it('keeps the incremental tree identical to a fresh parse through 300 random edits', async () => {
    const parser = await pythonParser();
    const random = mulberry32(20261129);
    const document = new ParsedDocument(parser, source);
    let text = source;
    for (let step = 0; step < 300; step++) {
      const start = Math.floor(random() * (text.length + 1));
      const end = Math.min(text.length, start + Math.floor(random() * 6));
      const inserted = random() < 0.3 ? '' : insertions[Math.floor(random() * insertions.length)]!;
      document.applyChanges([{ range: { start: positionAt(text, start), end: positionAt(text, end) }, text: inserted }]);
      text = text.slice(0, start) + inserted + text.slice(end);
      if (step % 3 !== 0) continue; // several edits between reads exercise the lazy re-parse
      assert.equal(document.text, text);
      const fresh = parser.parse(text);
      assert.equal(document.tree.rootNode.toString(), fresh.rootNode.toString(), `tree differs after edit ${step}`);
      fresh.delete();
    }
    document.dispose();
  });

  it('replaces the whole text on a change without a range', async () => {
    const document = new ParsedDocument(await pythonParser(), source);
    document.applyChanges([{ text: 'x = 1\n' }]);
    assert.equal(document.tree.rootNode.toString(), '(module (expression_statement (assignment left: (identifier) right: (integer))))');
    document.dispose();
  });
});
