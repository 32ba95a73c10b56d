import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixturePath } from '../helpers/repository';
import { normlint } from './normlintProcess';

describe('normlint check', () => {
  it('walks a folder for .py files and prints path:line:col: CODE message', () => {
    const { status, stdout } = normlint('check', 'test/fixtures/cli/project');
    assert.equal(status, 1);
    assert.equal(
      stdout,
      [
        'test/fixtures/cli/project/models/unet.py:7:12: NL101 [group-divisibility] 100 channels (`CHANNELS`) are not divisible by 32 groups; 25 or 50 would be',
        'test/fixtures/cli/project/train.py:3:8: NL101 [group-divisibility] 64 channels are not divisible by 3 groups; 2 or 4 would be',
        'Found 2 errors in 2 files.',
        '',
      ].join('\n'),
    );
  });

  it('prints JSON with 0-based LSP ranges', () => {
    const { status, stdout } = normlint('check', fixturePath('cli', 'project', 'train.py'), '--format', 'json');
    assert.equal(status, 1);
    assert.deepEqual(JSON.parse(stdout), {
      version: 1,
      diagnostics: [
        {
          path: fixturePath('cli', 'project', 'train.py'),
          code: 'NL101',
          rule: 'group-divisibility',
          severity: 'error',
          message: '64 channels are not divisible by 3 groups; 2 or 4 would be',
          range: { start: { line: 2, character: 7 }, end: { line: 2, character: 50 } },
        },
      ],
    });
  });

  it('exits 0 when nothing is found', () => {
    const { status, stdout } = normlint('check', 'test/fixtures/cli/clean');
    assert.equal(status, 0);
    assert.equal(stdout, 'No findings in 1 file.\n');
  });

  it('exits 2 with a clear message for a path that does not exist, after checking the others', () => {
    const { status, stdout, stderr } = normlint('check', 'test/fixtures/cli/clean', 'missing.py');
    assert.equal(status, 2);
    assert.match(stdout, /No findings in 1 file/);
    assert.equal(stderr, "normlint: cannot read 'missing.py': no such file or folder\n");
  });

  it('exits 2 with the usage for unknown options, formats and commands', () => {
    for (const args of [['check', '--format', 'xml', 'x.py'], ['check', '--colour', 'x.py'], ['check'], ['lint', 'x.py']]) {
      const { status, stderr } = normlint(...args);
      assert.equal(status, 2, args.join(' '));
      assert.match(stderr, /^normlint: .+\n\nUsage:/, args.join(' '));
    }
  });
});
