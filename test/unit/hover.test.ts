import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { explainBatchSizeAt } from '../../src/explain/batchSizeHover';
import { explainLayerAt } from '../../src/explain/hover';
import { lintSource } from '../helpers/python';

async function hoverAt(source: string, line: number, character: number): Promise<string | undefined> {
  return explainLayerAt(await lintSource(source), { line, character })?.markdown;
}

describe('hover on a normalization layer', () => {
  it('explains a GroupNorm whose channels do not divide, with the alternatives', async () => {
    const markdown = await hoverAt('import torch.nn as nn\nnorm = nn.GroupNorm(32, 100)\n', 1, 12);
    assert.ok(markdown);
    assert.match(markdown, /GroupNorm: 100 channels in 32 groups — \*\*not divisible\*\*/);
    assert.match(markdown, /C\/G channels × H×W/);
    assert.match(markdown, /25 or 50 groups would work/);
    assert.match(markdown, /`NL101` group-divisibility/);
  });

  it('states the normalization set of a valid GroupNorm in numbers', async () => {
    const markdown = await hoverAt('import torch.nn as nn\nnorm = nn.GroupNorm(32, 64)\n', 1, 8);
    assert.match(markdown ?? '', /32 groups × 2 channels × H×W/);
    assert.doesNotMatch(markdown ?? '', /NL101/);
  });

  it('says where a number came from', async () => {
    const markdown = await hoverAt('import torch.nn as nn\nWIDTH = 64\nnorm = nn.GroupNorm(num_groups=8, num_channels=WIDTH)\n', 2, 10);
    assert.match(markdown ?? '', /\| `num_channels` \| `WIDTH` = 64 \| `WIDTH` \(line 2\) \|/);
    assert.match(markdown ?? '', /\| `eps` \| 1e-05 \| default \|/);
  });

  it('tells that a value depends on a parameter nothing binds', async () => {
    const markdown = await hoverAt('import torch.nn as nn\ndef block(width):\n    return nn.GroupNorm(8, width)\n', 2, 14);
    assert.match(markdown ?? '', /\| `num_channels` \| `width` \| depends on parameter `width` of `block`, which no call in this file sets \|/);
  });

  it('tells that a value could not be resolved and why', async () => {
    const markdown = await hoverAt('import torch.nn as nn\ndef block(flag):\n    width = 8\n    if flag:\n        width = 16\n    return nn.GroupNorm(8, width)\n', 5, 14);
    assert.match(markdown ?? '', /unresolved: `width` is assigned inside a branch or loop/);
  });

  it('explains BatchNorm over the batch and InstanceNorm defaults', async () => {
    const source = 'import torch.nn as nn\nbn = nn.BatchNorm2d(64)\ninorm = nn.InstanceNorm2d(64)\n';
    assert.match((await hoverAt(source, 1, 6)) ?? '', /over the whole batch and all spatial positions \(N×H×W values per channel\)/);
    assert.match((await hoverAt(source, 2, 9)) ?? '', /`affine` and `track_running_stats` default to `False`/);
  });

  it('says nothing away from a layer', async () => {
    assert.equal(await hoverAt('import torch.nn as nn\nx = 1\nnorm = nn.GroupNorm(32, 64)\n', 1, 2), undefined);
  });
});

describe('hover on a batch size', () => {
  const source = [
    'import torch',
    'import torch.nn as nn',
    'from torch.utils.data import DataLoader',
    'model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.BatchNorm2d(16), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 8), nn.BatchNorm1d(8))',
    'loader = DataLoader(train_set, batch_size=4, shuffle=True)',
    '',
  ].join('\n');

  it('lists the BatchNorm layers it reaches with the values per channel each sees', async () => {
    const explanation = explainBatchSizeAt(await lintSource(source), { line: 4, character: 40 });
    assert.ok(explanation);
    assert.match(explanation.markdown, /\*\*Batch size 4\*\* — from `batch_size=4`/);
    assert.match(explanation.markdown, /\| `nn\.BatchNorm2d` \(line 4\) \| 16 \| 4 × H×W \|/);
    assert.match(explanation.markdown, /\| `nn\.BatchNorm1d` \(line 4\) \| 8 \| 4 \(one per sample, after `nn\.Linear` \(line 4\)\) \|/);
  });

  it('says nothing away from a batch size', async () => {
    assert.equal(explainBatchSizeAt(await lintSource(source), { line: 0, character: 3 }), undefined);
  });
});
