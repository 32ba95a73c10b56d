import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cliPath, repositoryRoot } from '../helpers/repository';

function normlint(...args: string[]) {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd: repositoryRoot, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const notebook = 'test/fixtures/cli/notebook/experiment.ipynb';

describe('normlint check on a notebook', () => {
  it('reads the code cells as one program and reports the cell, counted from 1 in text', () => {
    const { status, stdout } = normlint('check', notebook);
    assert.equal(status, 1);
    assert.equal(
      stdout.split('\n')[0],
      `${notebook}:cell 3:2:8: NL101 [group-divisibility] 100 channels (\`CHANNELS\`) are not divisible by 32 groups (\`GROUPS\`); 25 or 50 would be`,
    );
  });

  it('gives the 0-based code cell and positions inside it in JSON, with related locations in their own cells', () => {
    const { stdout } = normlint('check', notebook, '--format', 'json');
    const [diagnostic] = JSON.parse(stdout).diagnostics;
    assert.equal(diagnostic.cell, 2);
    assert.deepEqual(diagnostic.range, { start: { line: 1, character: 7 }, end: { line: 1, character: 37 } });
  });

  it('finds notebooks when walking a folder, and says what is wrong with one that is not JSON', () => {
    const { status, stdout, stderr } = normlint('check', 'test/fixtures/cli/notebook');
    assert.equal(status, 2);
    assert.match(stdout, /experiment\.ipynb:cell 3:2:8: NL101/);
    assert.match(stderr, /cannot read '.*broken\.ipynb': not a notebook: the file is not JSON/);
  });
});
