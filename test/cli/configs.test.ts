import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lintDiffusersConfig } from '../../src/configs/diffusersConfig';
import { cliPath, repositoryRoot } from '../helpers/repository';

describe('diffusers model configs', () => {
  it('flags each block_out_channels entry that norm_num_groups does not divide, on that entry', () => {
    const findings = lintDiffusersConfig('{\n  "block_out_channels": [128, 200, 96],\n  "norm_num_groups": 32\n}\n');
    assert.deepEqual(
      findings.map((finding) => [finding.rule, finding.range.start, finding.message]),
      [
        [
          'group-divisibility',
          { line: 1, character: 30 },
          "`block_out_channels[1]` = 200 is not divisible by `norm_num_groups` = 32: the model's GroupNorm layers get 200 channels in 32 groups, which PyTorch refuses; 25 or 40 groups would divide it",
        ],
      ],
    );
    assert.deepEqual(findings[0]!.related?.map((related) => related.range.start), [{ line: 2, character: 21 }]);
  });

  it('assumes no default: without norm_num_groups nothing is said, and the rule can be turned off', () => {
    assert.deepEqual(lintDiffusersConfig('{"block_out_channels": [200]}'), []);
    assert.deepEqual(lintDiffusersConfig('{"block_out_channels": [200], "norm_num_groups": 32}', { 'group-divisibility': 'off' }), []);
  });

  it('survives JSON that is broken or not a model config', () => {
    assert.deepEqual(lintDiffusersConfig('{"block_out_channels": [200, '), []);
    assert.deepEqual(lintDiffusersConfig('[1, 2, 3]'), []);
  });

  it('is checked by normlint check when walking a folder', () => {
    const result = spawnSync(process.execPath, [cliPath, 'check', 'test/fixtures/cli/diffusers'], { cwd: repositoryRoot, encoding: 'utf8' });
    assert.equal(result.status, 1);
    assert.match(result.stdout, /^test\/fixtures\/cli\/diffusers\/unet\/config\.json:5:5: NL101 \[group-divisibility\] `block_out_channels\[1\]` = 200 is not divisible by `norm_num_groups` = 32/m);
    assert.match(result.stdout, /Found 1 error in 2 files\./);
  });
});
