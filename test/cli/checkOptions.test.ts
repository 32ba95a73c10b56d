import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixturePath } from '../helpers/repository';
import { normlint, normlintIn } from './normlintProcess';

/** The `CODE [rule]` and severity of each finding in JSON output, by file name. */
function findingsOf(stdout: string): string[] {
  const { diagnostics } = JSON.parse(stdout) as { diagnostics: { path: string; code: string; severity: string }[] };
  return diagnostics.map((diagnostic) => `${diagnostic.path.split('/').slice(-2).join('/')} ${diagnostic.code} ${diagnostic.severity}`);
}

describe('normlint check --select / --ignore', () => {
  it('runs only the selected rules, by name or code', () => {
    for (const selection of ['group-divisibility', 'NL101', 'NL101,group-divisibility', ' NL101 , ']) {
      const { status, stdout } = normlint('check', 'test/fixtures/cli/project', '--select', selection, '--format', 'json');
      assert.equal(status, 1, selection);
      assert.deepEqual(findingsOf(stdout), ['models/unet.py NL101 error', 'project/train.py NL101 error'], selection);
    }
  });

  it('removes ignored rules, also from a selection', () => {
    for (const args of [['--ignore', 'group-divisibility'], ['--select', 'NL101', '--ignore', 'group-divisibility']]) {
      const { status, stdout } = normlint('check', 'test/fixtures/cli/project', ...args);
      assert.equal(status, 0, args.join(' '));
      assert.equal(stdout, 'No findings in 2 files.\n');
    }
  });

  it('exits 2 with the usage and the rule list for a name that is no rule', () => {
    const { status, stdout, stderr } = normlint('check', 'test/fixtures/cli/project', '--select', 'group-divisibility,groupnorm');
    assert.equal(status, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /^normlint: --select: unknown rule `groupnorm`; the rules are group-divisibility \(NL101\).*\n\nUsage:/);
  });
});

describe('normlint check configuration from pyproject.toml', () => {
  it('uses the nearest pyproject.toml with [tool.normlint] for each file, skipping those without it', () => {
    // configured/ ignores the rule; configured/strict/ has its own table (rule on, as a warning);
    // configured/plain/ has a pyproject.toml without [tool.normlint], so configured/'s applies there.
    const { status, stdout } = normlint('check', 'test/fixtures/cli/configured', '--format', 'json');
    assert.equal(status, 1);
    assert.deepEqual(findingsOf(stdout), ['strict/model.py NL101 warning']);
  });

  it('finds the configuration from the file, not from the working folder', () => {
    // From configured/strict/, ../model.py is still governed by configured/pyproject.toml, which ignores the rule.
    const { stdout } = normlintIn(fixturePath('cli', 'configured', 'strict'), 'check', '../model.py', 'model.py', '--format', 'json');
    assert.deepEqual(findingsOf(stdout), ['model.py NL101 warning']);
  });

  it('lets --select start afresh over the ignore of the file, and adds --ignore to it', () => {
    const selected = normlint('check', 'test/fixtures/cli/configured', '--select', 'group-divisibility', '--format', 'json');
    assert.deepEqual(findingsOf(selected.stdout), ['configured/model.py NL101 error', 'plain/model.py NL101 error', 'strict/model.py NL101 warning']);
    const ignored = normlint('check', 'test/fixtures/cli/configured', '--ignore', 'NL101');
    assert.equal(ignored.status, 0);
    assert.equal(ignored.stdout, 'No findings in 3 files.\n');
  });

  it('reads only --config FILE when given', () => {
    const { status, stdout } = normlint('check', 'test/fixtures/cli/configured', '--config', 'test/fixtures/cli/configured/strict/pyproject.toml', '--format', 'json');
    assert.equal(status, 1);
    assert.deepEqual(findingsOf(stdout), ['configured/model.py NL101 warning', 'plain/model.py NL101 warning', 'strict/model.py NL101 warning']);
  });

  it('exits 2 before linting when the configuration has mistakes, printing each with its line', () => {
    const { status, stdout, stderr } = normlint('check', 'test/fixtures/cli/badconfig');
    assert.equal(status, 2);
    assert.equal(stdout, '');
    const lines = stderr.trimEnd().split('\n');
    assert.equal(lines.length, 2, stderr);
    assert.match(lines[0]!, /^normlint: test\/fixtures\/cli\/badconfig\/pyproject\.toml:2: \[tool\.normlint\] select: unknown rule `groupnorm-divisibility`; the rules are group-divisibility \(NL101\)/);
    assert.equal(lines[1], 'normlint: test/fixtures/cli/badconfig/pyproject.toml:5: [tool.normlint.severity] group-divisibility: `critical` is not a severity; use error, warning, information, hint, off');
  });

  it('exits 2 for a --config file that is missing or does not configure normlint', () => {
    const missing = normlint('check', 'test/fixtures/cli/clean', '--config', 'test/fixtures/cli/clean/pyproject.toml');
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr, 'normlint: test/fixtures/cli/clean/pyproject.toml: cannot read: no such file\n');
    const unrelated = normlint('check', 'test/fixtures/cli/clean', '--config', 'test/fixtures/cli/configured/plain/pyproject.toml');
    assert.equal(unrelated.status, 2);
    assert.equal(unrelated.stderr, 'normlint: test/fixtures/cli/configured/plain/pyproject.toml: has no [tool.normlint] table\n');
  });
});

describe('normlint check --stats', () => {
  // stats/model.py: 7 layers with 10 size arguments, 8 written (make_norm hides 2 in **kwargs), 6 resolved
  // (literals and WIDTH; RUNTIME_WIDTH and os.environ are read at run time). stats/keras_model.py: 3
  // Keras layers, which take no size argument.
  const expected = {
    files: 2,
    normLayers: { total: 10, byFamily: { BatchNorm: 2, GroupNorm: 4, InstanceNorm: 1, LayerNorm: 3 } },
    sizeArguments: { total: 10, written: 8, resolved: 6 },
    findingsByRule: { 'group-divisibility': 1 },
    // Two unrelated files: nothing to link.
    crossFile: { imports: 0, crossFileCalls: 0, layersBuiltAcrossFiles: 0, configValues: 0 },
  };

  it('counts files, layers by family, resolved arguments and findings by rule in JSON', () => {
    const { status, stdout } = normlint('check', 'test/fixtures/cli/stats', '--stats', '--format', 'json', '--select', 'group-divisibility');
    assert.equal(status, 1);
    assert.deepEqual((JSON.parse(stdout) as { stats: unknown }).stats, expected);
  });

  it('prints the same numbers after the findings in text', () => {
    const { stdout } = normlint('check', 'test/fixtures/cli/stats', '--stats', '--select', 'group-divisibility');
    assert.equal(
      stdout,
      [
        'test/fixtures/cli/stats/model.py:12:5: NL101 [group-divisibility] 64 channels (`WIDTH`) are not divisible by 3 groups; 2 or 4 would be',
        'Found 1 error in 2 files.',
        'Statistics:',
        '  files checked: 2',
        '  norm layers: 10 (BatchNorm 2, GroupNorm 4, InstanceNorm 1, LayerNorm 3)',
        '  channel/group/feature arguments: 6 of 10 resolved to a known value (60.0%); 8 written',
        '  findings by rule: group-divisibility 1',
        '  cross-file links: 0 imports of workspace files, 0 calls into other files, 0 norm layers built with another file\'s arguments, 0 config values read',
        '',
      ].join('\n'),
    );
  });

  it('counts the layers of rules that are ignored, and no findings for them', () => {
    const { stdout } = normlint('check', 'test/fixtures/cli/stats', '--stats', '--format', 'json', '--ignore', 'group-divisibility');
    const { stats } = JSON.parse(stdout) as { stats: typeof expected };
    assert.deepEqual(stats.normLayers, expected.normLayers);
    assert.deepEqual(stats.findingsByRule, {});
  });

  it('finds nothing wrong in the Keras layers with every rule on', () => {
    const { status, stdout } = normlint('check', 'test/fixtures/cli/stats/keras_model.py');
    assert.equal(status, 0);
    assert.equal(stdout, 'No findings in 1 file.\n');
  });
});
