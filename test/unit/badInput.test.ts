// Whatever a user has typed, the analyzer answers without throwing and without false alarms.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lintSource } from '../helpers/python';

describe('bad input', () => {
  it('finds nothing in an empty file', async () => {
    assert.deepEqual((await lintSource('')).findings, []);
  });

  it('survives random bytes', async () => {
    let state = 7;
    const bytes = Buffer.from(Array.from({ length: 20000 }, () => (state = (state * 1103515245 + 12345) & 0x7fffffff) & 0xff));
    const result = await lintSource(bytes.toString('latin1') + bytes.toString('utf8'));
    assert.deepEqual(result.findings, []);
  });

  it('reports nothing for a half-typed call, then the error once it is complete', async () => {
    assert.deepEqual((await lintSource('import torch.nn as nn\nnorm = nn.GroupNorm(32,')).findings, []);
    assert.deepEqual((await lintSource('import torch.nn as nn\nnorm = nn.GroupNorm(32, 10')).findings, []);
    assert.deepEqual((await lintSource('import torch.nn as nn\nnorm = nn.GroupNorm(32, 100 +)\n')).findings, []);
    assert.equal((await lintSource('import torch.nn as nn\nnorm = nn.GroupNorm(32, 100)\n')).findings.length, 1);
  });

  it('keeps checking the rest of a file with a syntax error elsewhere', async () => {
    const { findings } = await lintSource('import torch.nn as nn\ndef broken(:\n    pass\nnorm = nn.GroupNorm(32, 100)\n');
    assert.deepEqual(findings.map((finding) => finding.range.start.line), [3]);
  });

  it('checks a 50,000-line file completely', async () => {
    const lines = ['import torch.nn as nn'];
    for (let index = 1; index < 50000; index++) lines.push(index % 1000 === 0 ? `n${index} = nn.GroupNorm(32, 100)` : `x${index} = ${index} * 2`);
    const { findings } = await lintSource(lines.join('\n'));
    assert.equal(findings.length, 49);
  });

  it('does not treat deeply nested expressions as a reason to crash', async () => {
    const { findings } = await lintSource(`import torch.nn as nn\nnorm = nn.GroupNorm(32, ${'('.repeat(2000)}100${')'.repeat(2000)})\n`);
    assert.ok(findings.length <= 1);
  });
});
