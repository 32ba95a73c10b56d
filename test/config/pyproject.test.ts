import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { defaultConfig } from '../../src/config/normlintConfig';
import { readPyprojectConfig } from '../../src/config/pyproject';
import { fixturePath } from '../helpers/repository';

/** The errors of a pyproject.toml text as `line: message`, the way the CLI prints them. */
function errorsOf(text: string): string[] {
  return readPyprojectConfig(text).errors.map((error) => `${error.line ?? '-'}: ${error.message}`);
}

describe('readPyprojectConfig', () => {
  it('reads select, ignore, severity and thresholds from a real-looking pyproject.toml', () => {
    const read = readPyprojectConfig(readFileSync(fixturePath('config', 'pyproject.toml'), 'utf8'));
    assert.deepEqual(read.errors, []);
    assert.equal(read.configuresNormlint, true);
    assert.deepEqual(read.config, {
      select: ['group-divisibility'],
      ignore: ['group-divisibility'],
      severities: { 'group-divisibility': 'warning' },
      thresholds: { smallBatchWarning: 4, smallBatchInformation: 16 },
    });
  });

  it('turns codes into rule names and drops repeats', () => {
    const read = readPyprojectConfig('[tool.normlint]\nselect = ["NL101", "group-divisibility"]\n[tool.normlint.severity]\nNL101 = "off"\n');
    assert.deepEqual(read.config.select, ['group-divisibility']);
    assert.deepEqual(read.config.severities, { 'group-divisibility': 'off' });
  });

  it('accepts dotted keys and inline tables', () => {
    const read = readPyprojectConfig('[tool.normlint]\nseverity.group-divisibility = "hint"\nthresholds = { small-batch-information = 32 }\n');
    assert.deepEqual(read.errors, []);
    assert.deepEqual(read.config.severities, { 'group-divisibility': 'hint' });
    assert.deepEqual(read.config.thresholds, { smallBatchWarning: 8, smallBatchInformation: 32 });
  });

  it('does not configure normlint without a [tool.normlint] table, as ruff skips a pyproject.toml without [tool.ruff]', () => {
    for (const text of ['', '[project]\nname = "model"\n', '[tool.ruff]\nline-length = 100\n']) {
      assert.deepEqual(readPyprojectConfig(text), { configuresNormlint: false, config: defaultConfig, errors: [] }, text);
    }
  });

  it('reports a TOML syntax error with the line the parser gives, and the defaults apply', () => {
    const read = readPyprojectConfig('[tool.normlint]\nselect = ["group-divisibility"\nignore = []\n');
    assert.equal(read.configuresNormlint, true);
    assert.deepEqual(read.config, defaultConfig);
    assert.equal(read.errors.length, 1);
    assert.equal(read.errors[0]!.line, 3);
    assert.match(read.errors[0]!.message, /^TOML syntax error: \S/);
    assert.doesNotMatch(read.errors[0]!.message, /\n/);
  });

  it('reports unknown keys in each table with their lines', () => {
    const text = [
      '[project]', // 1
      'name = "model"', // 2
      '', // 3
      '[tool.normlint]', // 4
      'selct = ["group-divisibility"]', // 5
      '', // 6
      '[tool.normlint.thresholds]', // 7
      'small_batch_warning = 4', // 8
    ].join('\n');
    assert.deepEqual(errorsOf(text), [
      '5: [tool.normlint]: unknown key `selct`; the keys are select, ignore, severity and thresholds',
      '8: [tool.normlint.thresholds]: unknown key `small_batch_warning`; the keys are small-batch-warning and small-batch-information',
    ]);
  });

  it('reports unknown rule names with the line of the entry, also in a multi-line array', () => {
    const text = ['[tool.normlint]', 'select = [', '  "group-divisibility",', '  "group-divisability",', ']', 'ignore = ["NL999"]'].join('\n');
    const errors = errorsOf(text);
    assert.equal(errors.length, 2);
    assert.match(errors[0]!, /^4: \[tool\.normlint\] select: unknown rule `group-divisability`; the rules are group-divisibility \(NL101\)/);
    assert.match(errors[1]!, /^6: \[tool\.normlint\] ignore: unknown rule `NL999`; the rules are /);
    // The valid entries still apply.
    assert.deepEqual(readPyprojectConfig(text).config.select, ['group-divisibility']);
  });

  it('reports wrong types, naming the TOML type that was written', () => {
    const text = [
      '[tool.normlint]', // 1
      'select = "group-divisibility"', // 2
      'ignore = [101]', // 3
      '[tool.normlint.severity]', // 4
      'group-divisibility = "fatal"', // 5
      'NL101 = true', // 6
      'unknown-rule = "error"', // 7
      '[tool.normlint.thresholds]', // 8
      'small-batch-warning = 0', // 9
      'small-batch-information = "16"', // 10
    ].join('\n');
    const errors = errorsOf(text);
    assert.equal(errors[0], '2: [tool.normlint] select must be an array of rule names or codes, not a string ("group-divisibility")');
    assert.equal(errors[1], '3: [tool.normlint] ignore: entries must be rule names or codes (strings), not an integer (101)');
    assert.equal(errors[2], '5: [tool.normlint.severity] group-divisibility: `fatal` is not a severity; use error, warning, information, hint, off');
    assert.equal(errors[3], '6: [tool.normlint.severity] NL101: a boolean (true) is not a severity; use error, warning, information, hint, off');
    assert.match(errors[4]!, /^7: \[tool\.normlint\.severity\]: unknown rule `unknown-rule`; the rules are /);
    assert.equal(errors[5], '9: [tool.normlint.thresholds] small-batch-warning must be a positive whole number of samples per device, not 0');
    assert.equal(errors[6], '10: [tool.normlint.thresholds] small-batch-information must be a positive whole number of samples per device, not a string ("16")');
    assert.equal(errors.length, 7);
  });

  it('reports a rule given two severities, by name and by code', () => {
    assert.deepEqual(errorsOf('[tool.normlint.severity]\ngroup-divisibility = "warning"\nNL101 = "error"\n'), [
      '3: [tool.normlint.severity]: `group-divisibility` and `NL101` both set group-divisibility (NL101)',
    ]);
  });

  it('reports a warning threshold above the information threshold and keeps the defaults', () => {
    const read = readPyprojectConfig('[tool.normlint.thresholds]\nsmall-batch-warning = 32\n');
    assert.deepEqual(
      read.errors.map((error) => `${error.line}: ${error.message}`),
      ['1: [tool.normlint.thresholds]: small-batch-warning (32) is above small-batch-information (16); warnings must start at a smaller batch than information'],
    );
    assert.deepEqual(read.config.thresholds, { smallBatchWarning: 8, smallBatchInformation: 16 });
  });

  it('reports `tool.normlint` that is not a table', () => {
    assert.deepEqual(errorsOf('[tool]\nnormlint = "strict"\n'), ['2: `tool.normlint` must be a table, not a string ("strict")']);
  });

  it('ignores look-alike lines inside multi-line strings when finding lines', () => {
    const text = ['[project]', 'description = """', 'select = 1', '"""', '[tool.normlint]', 'select = 1'].join('\n');
    assert.deepEqual(errorsOf(text), ['6: [tool.normlint] select must be an array of rule names or codes, not an integer (1)']);
  });
});
