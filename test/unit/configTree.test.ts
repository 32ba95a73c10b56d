// YAML and JSON configs read with positions, and the diffusers check on both formats.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { findBatchSizes, parseConfigTree } from '../../src/configs/configTree';
import type { ConfigValue } from '../../src/configs/configTree';
import { lintDiffusersConfig } from '../../src/configs/diffusersConfig';
import { isConfigPath, lintConfigFile } from '../../src/configs';
import { fixturePath } from '../helpers/repository';

const readFixture = (name: string): string => readFileSync(fixturePath('configs', name), 'utf8');
const noFiles = (): undefined => undefined;

/** `kind value @line:character`, to compare a value and where it is written in one string. */
function describeValue(value: ConfigValue | undefined): string {
  if (!value) return 'absent';
  const at = `@${value.range.start.line}:${value.range.start.character}`;
  if (value.kind === 'sequence') return `sequence of ${value.items.length} ${at}`;
  if (value.kind === 'mapping') return `mapping of ${value.entries.size} ${at}`;
  return `${value.kind} ${JSON.stringify(value.value)} ${at}`;
}

describe('parseConfigTree', () => {
  it('reads YAML scalars with their kind, as Python would load them, and where each is written', () => {
    const tree = parseConfigTree('groups: 32\nscale: 32.0\nrate: 1e-4\nname: "32"\nflag: true\nunset:\nhex: 0x20\n', 'yaml');
    assert.deepEqual(
      ['groups', 'scale', 'rate', 'name', 'flag', 'unset', 'hex'].map((key) => describeValue(tree.lookup([key]))),
      ['int 32 @0:8', 'float 32 @1:7', 'float 0.0001 @2:6', 'str "32" @3:6', 'bool true @4:6', 'none null @5:6', 'int 32 @6:5'],
    );
    assert.deepEqual(tree.lookup(['groups'])?.keyRange, { start: { line: 0, character: 0 }, end: { line: 0, character: 6 } });
    assert.deepEqual(tree.errors, []);
  });

  it('looks up through mappings and sequences, with sequence indexes written as numbers', () => {
    const tree = parseConfigTree('unet:\n  blocks:\n    - channels: 128\n    - channels: 200\n', 'yaml');
    assert.equal(describeValue(tree.lookup(['unet', 'blocks', '1', 'channels'])), 'int 200 @3:16');
    assert.equal(tree.lookup(['unet', 'blocks', '2']), undefined);
    assert.equal(tree.lookup(['unet', 'blocks', 'x']), undefined);
    assert.equal(describeValue(tree.root), 'mapping of 1 @0:0');
  });

  it('reads JSON with the same kinds, ranges and key ranges', () => {
    const tree = parseConfigTree('{\n  "norm_num_groups": 32,\n  "scale": 32.0,\n  "block_out_channels": [128, 200]\n}\n', 'json');
    assert.equal(describeValue(tree.lookup(['norm_num_groups'])), 'int 32 @1:21');
    assert.equal(describeValue(tree.lookup(['scale'])), 'float 32 @2:11');
    assert.equal(describeValue(tree.lookup(['block_out_channels', '1'])), 'int 200 @3:30');
    assert.deepEqual(tree.lookup(['scale'])?.keyRange, { start: { line: 2, character: 2 }, end: { line: 2, character: 9 } });
  });

  it('expands aliases and merge keys, with explicit keys winning over merged ones', () => {
    const tree = parseConfigTree('defaults: &defaults\n  batch_size: 8\n  lr: 0.1\ntrain:\n  <<: *defaults\n  batch_size: 2\neval: *defaults\n', 'yaml');
    assert.equal(describeValue(tree.lookup(['train', 'batch_size'])), 'int 2 @5:14');
    assert.equal(describeValue(tree.lookup(['train', 'lr'])), 'float 0.1 @2:6');
    assert.equal(describeValue(tree.lookup(['eval', 'batch_size'])), 'int 8 @1:14');
    assert.equal(tree.lookup(['train', '<<']), undefined);
  });

  it('keeps what parsed from malformed YAML, with each syntax error on its line', () => {
    const tree = parseConfigTree(readFixture('malformed.yaml'), 'yaml');
    assert.deepEqual(
      tree.errors.map((error) => [error.range.start.line, error.message]),
      [[2, 'Flow sequence in block collection must be sufficiently indented and end with a ]']],
    );
    assert.equal(describeValue(tree.lookup(['training', 'train_batch_size'])), 'int 4 @4:20');
  });

  it('keeps what parsed from malformed JSON, with each syntax error where it is', () => {
    const tree = parseConfigTree('{"norm_num_groups": 32, "block_out_channels": [128, 200, ', 'json');
    assert.deepEqual(
      tree.errors.map((error) => [error.range.start, error.message]),
      [
        [{ line: 0, character: 57 }, 'Value expected'],
        [{ line: 0, character: 57 }, 'Close bracket expected'],
        [{ line: 0, character: 57 }, 'Close brace expected'],
      ],
    );
    assert.equal(describeValue(tree.lookup(['block_out_channels', '1'])), 'int 200 @0:52');
  });

  it('refuses an alias inside its own anchor instead of recursing', () => {
    const tree = parseConfigTree('loop: &loop [1, *loop]\nmissing: *nowhere\n', 'yaml');
    assert.equal(describeValue(tree.lookup(['loop'])), 'sequence of 1 @0:12');
    assert.deepEqual(
      tree.errors.map((error) => error.message),
      ['Alias `*loop` refers to the value that contains it', 'Unknown alias `*nowhere`'],
    );
  });

  it('stops expanding aliases that would multiply without bound', () => {
    const lines = ['a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]'];
    for (let level = 1; level < 12; level++) lines.push(`a${level}: &a${level} [${Array(10).fill(`*a${level - 1}`).join(', ')}]`);
    const tree = parseConfigTree(lines.join('\n'), 'yaml');
    assert.deepEqual(
      tree.errors.map((error) => error.message),
      ['More than 100000 values after expanding aliases; the rest is not read'],
    );
  });

  it('never throws, whatever the bytes', () => {
    let state = 11;
    for (let round = 0; round < 50; round++) {
      const text = String.fromCharCode(...Array.from({ length: 400 }, () => ((state = (state * 1103515245 + 12345) & 0x7fffffff) % 96) + 32).map((code) => (code === 127 ? 10 : code)));
      for (const format of ['yaml', 'json'] as const) assert.doesNotThrow(() => findBatchSizes(parseConfigTree(text, format)));
    }
    assert.equal(parseConfigTree('', 'yaml').root, undefined);
    assert.equal(parseConfigTree('', 'json').root, undefined);
  });
});

describe('findBatchSizes', () => {
  it('finds every integer under a batch-size key, at any depth and in sweeps', () => {
    const tree = parseConfigTree(
      'SOLVER:\n  IMS_PER_BATCH: 16\ntraining:\n  per_device_train_batch_size: 4\n  eval_batch_size: 64\nsweep:\n  batch_size: [8, 32]\ndata:\n  samples_per_gpu: "2"\n',
      'yaml',
    );
    assert.deepEqual(
      findBatchSizes(tree).map(({ path, key, value, range }) => [path.join('.'), key, value, range.start.line]),
      [
        ['SOLVER.IMS_PER_BATCH', 'IMS_PER_BATCH', 16, 1],
        ['training.per_device_train_batch_size', 'per_device_train_batch_size', 4, 3],
        ['sweep.batch_size.0', 'batch_size', 8, 6],
        ['sweep.batch_size.1', 'batch_size', 32, 6],
      ],
    );
  });

  it('reads the batch size of the diffusers-style training YAML', () => {
    const tree = parseConfigTree(readFixture('unet.yaml'), 'yaml');
    assert.deepEqual(
      findBatchSizes(tree).map(({ path, value, range }) => [path, value, range.start.line]),
      [[['training', 'train_batch_size'], 4, 14]],
    );
  });
});

describe('diffusers configs in YAML', () => {
  it('flags a block_out_channels entry that norm_num_groups does not divide, on its line, in a nested model', () => {
    const findings = lintDiffusersConfig(readFixture('unet.yaml'), {}, 'yaml');
    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.severity, finding.range.start, finding.message]),
      [
        [
          'NL101',
          'error',
          { line: 9, character: 6 },
          "`unet.block_out_channels[1]` = 200 is not divisible by `unet.norm_num_groups` = 32: the model's GroupNorm layers get 200 channels in 32 groups, which PyTorch refuses; 25 or 40 groups would divide it",
        ],
      ],
    );
    assert.deepEqual(findings[0]!.related?.map((related) => [related.range.start, related.message]), [[{ line: 11, character: 19 }, '`norm_num_groups` sets the group count']]);
  });

  it('says nothing when every entry divides, or when no group count is written', () => {
    assert.deepEqual(lintDiffusersConfig('block_out_channels: [320, 640, 1280]\nnorm_num_groups: 32\n', {}, 'yaml'), []);
    assert.deepEqual(lintDiffusersConfig('block_out_channels: [200]\n', {}, 'yaml'), []);
    assert.deepEqual(lintDiffusersConfig('block_out_channels: [200]\nnorm_num_groups: 32.0\n', {}, 'yaml'), []);
  });
});

describe('lintConfigFile', () => {
  it('picks the check from the file name', () => {
    const yaml = lintConfigFile({ path: 'configs/unet.yml', text: readFixture('unet.yaml'), readFile: noFiles });
    assert.deepEqual(yaml.findings.map((finding) => [finding.code, finding.range.start.line]), [['NL101', 9]]);
    const json = lintConfigFile({ path: 'unet/config.json', text: '{"block_out_channels": [200], "norm_num_groups": 32}', readFile: noFiles });
    assert.deepEqual(json.findings.map((finding) => finding.code), ['NL101']);
    const off = lintConfigFile({ path: 'unet/config.json', text: '{"block_out_channels": [200], "norm_num_groups": 32}', severities: { 'group-divisibility': 'off' }, readFile: noFiles });
    assert.deepEqual(off.findings, []);
    const warning = lintConfigFile({ path: 'unet/config.json', text: '{"block_out_channels": [200], "norm_num_groups": 32}', severities: { 'group-divisibility': 'warning' }, readFile: noFiles });
    assert.deepEqual(warning.findings.map((finding) => finding.severity), ['warning']);
  });

  it('reports the syntax errors of a model config with its path, and says nothing about other files', () => {
    const malformed = lintConfigFile({ path: 'configs/malformed.yaml', text: readFixture('malformed.yaml'), readFile: noFiles });
    assert.deepEqual(
      malformed.errors.map((error) => [error.path, error.range.start.line]),
      [['configs/malformed.yaml', 2]],
    );
    assert.deepEqual(lintConfigFile({ path: '.github/workflows/ci.yml', text: 'on: [push\n', readFile: noFiles }), { findings: [], errors: [] });
    assert.deepEqual(lintConfigFile({ path: 'train.py', text: 'norm_cfg = dict(type="GN")\n', readFile: noFiles }), { findings: [], errors: [] });
    assert.deepEqual(lintConfigFile({ path: 'notes.txt', text: 'block_out_channels', readFile: noFiles }), { findings: [], errors: [] });
  });

  it('accepts JSON, YAML and Python paths', () => {
    assert.deepEqual(
      ['unet/config.json', 'train.yaml', 'train.YML', 'configs/retinanet.py', 'weights.safetensors', 'README.md'].map(isConfigPath),
      [true, true, true, true, false, false],
    );
  });
});
