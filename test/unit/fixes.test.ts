// Quick fixes applied to real source produce the code the rule's documentation recommends.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lintSource } from '../helpers/python';

async function fixed(source: string, rule: string): Promise<string[]> {
  const { findings } = await lintSource(source);
  const finding = findings.find((candidate) => candidate.rule === rule);
  assert.ok(finding, `no ${rule} finding in:\n${source}`);
  return (finding.fixes ?? []).map((fix) => TextDocument.applyEdits(TextDocument.create('file:///x.py', 'python', 1, source), fix.edits));
}

describe('quick fixes', () => {
  it('sets the nearest dividing group counts, nearest first', async () => {
    assert.deepEqual(await fixed('import torch.nn as nn\nnorm = nn.GroupNorm(num_groups=32, num_channels=100)\n', 'group-divisibility'), [
      'import torch.nn as nn\nnorm = nn.GroupNorm(num_groups=25, num_channels=100)\n',
      'import torch.nn as nn\nnorm = nn.GroupNorm(num_groups=50, num_channels=100)\n',
    ]);
  });

  it('converts a Keras-style momentum to PyTorch', async () => {
    assert.deepEqual(await fixed('import torch.nn as nn\nbn = nn.BatchNorm2d(64, momentum=0.99)\n', 'momentum-convention'), [
      'import torch.nn as nn\nbn = nn.BatchNorm2d(64, momentum=0.01)\n',
    ]);
  });

  it('moves weight_norm to parametrizations, keeping the prefix the user wrote', async () => {
    assert.deepEqual(await fixed('import torch.nn as nn\nconv = nn.utils.weight_norm(nn.Conv1d(4, 4, 3), dim=0)\n', 'deprecated-weight-norm'), [
      'import torch.nn as nn\nconv = nn.utils.parametrizations.weight_norm(nn.Conv1d(4, 4, 3), dim=0)\n',
    ]);
  });

  it('moves remove_weight_norm to remove_parametrizations with the tensor name it defaulted to', async () => {
    assert.deepEqual(await fixed('import torch\ntorch.nn.utils.remove_weight_norm(conv)\n', 'deprecated-weight-norm'), [
      'import torch\ntorch.nn.utils.parametrize.remove_parametrizations(conv, "weight")\n',
    ]);
  });

  it('offers no rewrite for a bare imported name, whose import would have to change too', async () => {
    assert.deepEqual(await fixed('from torch.nn.utils import weight_norm\nconv = weight_norm(layer)\n', 'deprecated-weight-norm'), []);
  });
});
