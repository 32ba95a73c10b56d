import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentLinter, lint } from '../../src/analysis/lint';
import type { LintResult } from '../../src/analysis/lint';
import { ParsedDocument } from '../../src/python/pythonParser';
import { pythonParser } from '../helpers/python';
import { randomEdits } from '../helpers/randomEdits';

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
    const document = new ParsedDocument(parser, source);
    const linter = new DocumentLinter(parser.language);
    for (const { step, text } of randomEdits(document, 42, 300, insertions, 3)) {
      const fresh = parser.parse(text);
      assert.deepEqual(observable(linter.lint(document.tree)), observable(lint(fresh, parser.language)), `results differ after edit ${step}`);
      fresh.delete();
    }
    document.dispose();
  });
});
