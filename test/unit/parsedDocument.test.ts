import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ParsedDocument } from '../../src/python/pythonParser';
import { pythonParser } from '../helpers/python';
import { randomEdits } from '../helpers/randomEdits';

const source = `import torch.nn as nn

class Block(nn.Module):
    def __init__(self, width=64):
        super().__init__()
        self.norm = nn.GroupNorm(32, width)  # é 😀
        self.bn = nn.BatchNorm2d(width)
`;

const insertions = ['nn.GroupNorm(3, 10)', '\n', '(', ')', '😀', '# c', 'x = 1\n', '    ', ',', '"', '', '', ''];

describe('ParsedDocument', () => {
  it('keeps the incremental tree identical to a fresh parse through 300 random edits', async () => {
    const parser = await pythonParser();
    const document = new ParsedDocument(parser, source);
    for (const { step, text } of randomEdits(document, 20261129, 300, insertions, 5)) {
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
