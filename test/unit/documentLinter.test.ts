import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentLinter, lint } from '../../src/analysis/lint';
import type { LintResult } from '../../src/analysis/lint';
import { ParsedDocument } from '../../src/python/pythonParser';
import type { Position } from '../../src/python/pythonParser';
import { pythonParser } from '../helpers/python';

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

/** Everything a host shows: findings with ranges, fixes and related locations, and each layer's bound values. */
function observable(result: LintResult): unknown {
  return {
    findings: result.findings,
    layers: result.facts.normLayers.map((layer) => ({ ...layer, arguments: [...layer.arguments.entries()] })),
    suppressions: result.facts.suppressions,
  };
}

const source = `import torch.nn as nn
WIDTH = 100
GROUPS = 32

class A(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = nn.GroupNorm(GROUPS, WIDTH)  # normlint: ignore[NL101]

class B(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = nn.GroupNorm(3, 10)

head = nn.GroupNorm(GROUPS, WIDTH)
`;

const insertions = ['\n', 'x = 1\n', 'WIDTH = 64\n', 'nn.GroupNorm(3, 10)', '    ', '(', ')', '# normlint: ignore', '2', ''];

describe('DocumentLinter', () => {
  it('gives the same results incrementally as a fresh lint through 300 random edits', async () => {
    const parser = await pythonParser();
    const random = mulberry32(42);
    const document = new ParsedDocument(parser, source);
    const linter = new DocumentLinter(parser.language);
    let text = source;
    for (let step = 0; step < 300; step++) {
      const start = Math.floor(random() * (text.length + 1));
      const end = Math.min(text.length, start + Math.floor(random() * 4));
      const inserted = insertions[Math.floor(random() * insertions.length)]!;
      document.applyChanges([{ range: { start: positionAt(text, start), end: positionAt(text, end) }, text: inserted }]);
      text = text.slice(0, start) + inserted + text.slice(end);
      const fresh = parser.parse(text);
      assert.deepEqual(observable(linter.lint(document.tree)), observable(lint(fresh, parser.language)), `results differ after edit ${step}`);
      fresh.delete();
    }
    document.dispose();
  });
});
