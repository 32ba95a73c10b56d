import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTensor, readNpy, runNormalization, writeNpy } from '../../src/engine';
import type { LayerSpec, NormalizationMode, Tensor } from '../../src/engine';
import { fixturePath } from '../helpers/repository';
import { normlint } from './normlintProcess';

/** The comparison the engine's golden tests use against PyTorch. */
const absoluteTolerance = 1e-5;
const relativeTolerance = 1e-4;

const referenceFolder = fixturePath('cli', 'run');
const references = JSON.parse(readFileSync(join(referenceFolder, 'cases.json'), 'utf8')) as {
  cases: { name: string; expression: string; mode: NormalizationMode; files: Record<string, string> }[];
};

/** The spec each reference expression means, written out by hand so the CLI's reading of the expression is checked too. */
const specsByCase: Record<string, LayerSpec> = {
  groupNorm: { kind: 'GroupNorm', numGroups: 4, numChannels: 8 },
  batchNorm2dTrain: { kind: 'BatchNorm', numFeatures: 16, momentum: 0.01, eps: 1e-3, rank: 2 },
  batchNorm2dEval: { kind: 'BatchNorm', numFeatures: 3, rank: 2 },
  instanceNorm2d: { kind: 'InstanceNorm', numFeatures: 3, affine: true, rank: 2 },
  layerNorm: { kind: 'LayerNorm', normalizedShape: [4, 4], elementwiseAffine: false },
};

const scratch = mkdtempSync(join(tmpdir(), 'normlint-run-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function readTensor(path: string): Tensor {
  return readNpy(new Uint8Array(readFileSync(path))).tensor;
}

function writeTensor(name: string, shape: number[], values: (index: number) => number): string {
  const path = join(scratch, name);
  const tensor = createTensor(shape);
  tensor.data.forEach((_, index) => (tensor.data[index] = values(index)));
  writeFileSync(path, writeNpy(tensor));
  return path;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let index = 0; index < expected.length; index++) {
    const difference = Math.abs(actual[index]! - expected[index]!);
    assert.ok(difference <= absoluteTolerance + relativeTolerance * Math.abs(expected[index]!), `${what}[${index}]: ${actual[index]} vs ${expected[index]}`);
  }
}

interface StatsJson {
  layer: string;
  mode: string;
  normalized_with: string;
  set_shape: number[];
  count: number;
  mean: unknown;
  variance: unknown;
  running_mean?: number[];
  running_var?: number[];
  timing_ms?: { median: number; min: number };
}

/** Runs `normlint run` into fresh output files and reads them back. */
function runLayer(expression: string, input: string, ...options: string[]) {
  const output = join(scratch, `output-${Math.random().toString(36).slice(2)}.npy`);
  const statsPath = `${output}.stats.json`;
  const result = normlint('run', expression, '--input', input, '--output', output, '--stats', statsPath, ...options);
  return {
    ...result,
    output: () => readTensor(output),
    stats: () => JSON.parse(readFileSync(statsPath, 'utf8')) as StatsJson,
    wroteOutput: () => existsSync(output),
  };
}

describe('normlint run', () => {
  for (const reference of references.cases) {
    const files = Object.fromEntries(Object.entries(reference.files).map(([key, file]) => [key, join(referenceFolder, file)]));
    const affine = files.weight ? ['--weight', files.weight, '--bias', files.bias!] : [];

    it(`runs ${reference.expression} in ${reference.mode} mode like PyTorch and exactly like the engine (${reference.name})`, () => {
      const run = runLayer(reference.expression, files.input!, '--mode', reference.mode, ...affine);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stderr, '');
      const output = run.output();
      const input = readTensor(files.input!);
      assert.deepEqual(output.shape, input.shape);
      assertClose(output.data, readTensor(files.output!).data, 'output vs PyTorch');

      const engine = runNormalization(specsByCase[reference.name]!, input, {
        mode: reference.mode,
        ...(files.weight ? { weight: readTensor(files.weight), bias: readTensor(files.bias!) } : {}),
      });
      assert.deepEqual(output.data, engine.output.data, 'output vs the engine');

      const stats = run.stats();
      const expectedMean = readTensor(files.mean!);
      assert.equal(stats.layer, reference.expression);
      assert.equal(stats.mode, reference.mode);
      assert.deepEqual(stats.set_shape, expectedMean.shape);
      assert.equal(stats.count, input.data.length / expectedMean.data.length);
      assertClose([stats.mean].flat(Infinity) as number[], expectedMean.data, 'mean');
      assertClose([stats.variance].flat(Infinity) as number[], readTensor(files.variance!).data, 'variance');
      if (files.running_mean) {
        assertClose(stats.running_mean!, readTensor(files.running_mean).data, 'running_mean');
        assertClose(stats.running_var!, readTensor(files.running_var!).data, 'running_var');
      } else {
        assert.equal(stats.running_mean, undefined);
      }
      assert.equal(stats.timing_ms, undefined);
    });
  }

  it('says what it wrote, and uses running statistics in eval mode', () => {
    const input = join(referenceFolder, 'batchNorm2dEval.input.npy');
    const run = runLayer('nn.BatchNorm2d(3)', input, '--mode', 'eval');
    assert.match(run.stdout, /^Wrote .+\.npy: BatchNorm2d on \[2, 3, 4, 4\] in eval mode, 3 sets of 32 values normalized with running statistics\n$/);
    assert.equal(run.stats().normalized_with, 'running_statistics');
  });

  it('times the forward pass with --repeat', () => {
    const input = writeTensor('timed.npy', [2, 8, 4, 4], (index) => Math.sin(index));
    const run = runLayer('nn.GroupNorm(2, 8)', input, '--repeat', '5');
    assert.equal(run.status, 0, run.stderr);
    const timing = run.stats().timing_ms!;
    assert.deepEqual(Object.keys(timing), ['median', 'min']);
    assert.ok(timing.min >= 0 && timing.min <= timing.median, JSON.stringify(timing));
    assert.match(run.stdout, /Forward pass over 5 runs: median \d+\.\d{3} ms, min \d+\.\d{3} ms\n$/);
  });

  // Debian's PyTorch 1.13 has no RMSNorm and no Keras: these are checked against the engine, whose
  // own tests compare it with the documented formulas.
  it('runs RMSNorm and Keras layers, with their conventions, exactly like the engine and with no findings', () => {
    const input = writeTensor('nchw.npy', [2, 4, 3, 3], (index) => Math.cos(index * 0.7) * 3);
    const tensor = readTensor(input);
    const cases: [string, LayerSpec][] = [
      ['nn.RMSNorm([3, 3], eps=None)', { kind: 'RMSNorm', normalizedShape: [3, 3], eps: null }],
      ['layers.GroupNormalization(groups=2, axis=1)', { kind: 'KerasGroupNormalization', groups: 2, axis: 1 }],
      ['keras.layers.BatchNormalization(axis=1, momentum=0.9)', { kind: 'KerasBatchNormalization', axis: 1, momentum: 0.9 }],
      ['tf.keras.layers.LayerNormalization(axis=[1, 2, 3], epsilon=1e-5)', { kind: 'KerasLayerNormalization', axis: [1, 2, 3], epsilon: 1e-5 }],
    ];
    for (const [expression, spec] of cases) {
      const run = runLayer(expression, input);
      assert.equal(run.status, 0, `${expression}: ${run.stderr}`);
      assert.match(run.stdout, /^Wrote /, expression);
      const engine = runNormalization(spec, tensor, { mode: 'train' });
      assert.deepEqual(run.output().data, engine.output.data, expression);
      if (engine.runningMean) assert.deepEqual(run.stats().running_mean, Array.from(engine.runningMean), expression);
    }
  });

  it('prints the findings of an expression PyTorch would reject and exits 1 without running it', () => {
    const input = writeTensor('eight.npy', [2, 8, 2, 2], (index) => index);
    const run = runLayer('nn.GroupNorm(3, 8)', input);
    assert.equal(run.status, 1);
    assert.equal(run.stdout, '<expression>:1:1: NL101 [group-divisibility] 8 channels are not divisible by 3 groups; 2 or 4 would be\n');
    assert.equal(run.wroteOutput(), false);
  });

  it('exits 2 with one line on stderr for what it cannot run', () => {
    const input = writeTensor('small.npy', [2, 8, 2, 2], (index) => index % 5);
    const truncated = join(scratch, 'truncated.npy');
    writeFileSync(truncated, readFileSync(input).subarray(0, 100));
    const cases: [string[], RegExp][] = [
      [['nn.GroupNorm(G, 8)', '--input', input], /^normlint: cannot run GroupNorm: `num_groups=G` is not a value normlint can resolve \(`G` is not a module-level constant\)$/],
      [['nn.BatchNorm2d(4)', '--input', input], /^normlint: BatchNorm2d\(4\): expected 4 channels \(num_features\) at dim 1, got input size \[2, 8, 2, 2\]$/],
      [['nn.GroupNorm(2, 8)', '--input', truncated], /^normlint: '.+truncated\.npy' is not a readable \.npy file: truncated: .*\d+ bytes/],
      [['nn.GroupNorm(2, 8)', '--input', join(scratch, 'missing.npy')], /^normlint: cannot read '.+missing\.npy': no such file or folder$/],
      [['nn.GroupNorm(2, 8)', '--input', input, '--weight', input], /^normlint: GroupNorm\(2, 8\): weight should contain 8 elements, got 64$/],
      [['nn.Conv2d(3, 8, 3)', '--input', input], /^normlint: `nn\.Conv2d\(3, 8, 3\)` constructs no normalization layer normlint knows/],
      [['nn.GroupNorm(2, 8).half()', '--input', input], /^normlint: `nn\.GroupNorm\(2, 8\)\.half\(\)` is more than a layer constructor; give only `nn\.GroupNorm\(2, 8\)`$/],
      [['nn.BatchNorm2d(8, dtype=torch.float16)', '--input', input], /^normlint: cannot run BatchNorm2d: `dtype=torch\.float16` is not supported by `normlint run`: the engine computes in float32$/],
      [['layers.BatchNormalization(gamma_initializer="zeros")', '--input', input], /^normlint: cannot run BatchNormalization: `gamma_initializer="zeros"` is not supported/],
      [['nn.LayerNorm(2.5)', '--input', input], /^normlint: cannot run LayerNorm: `normalized_shape` must be an integer or a list of integers, not `2\.5`$/],
    ];
    for (const [args, message] of cases) {
      const output = join(scratch, 'never.npy');
      const { status, stdout, stderr } = normlint('run', ...args, '--output', output);
      assert.equal(status, 2, args.join(' '));
      assert.equal(stdout, '', args.join(' '));
      assert.equal(stderr.split('\n').length, 2, `one line: ${stderr}`);
      assert.match(stderr.trimEnd(), message);
      assert.equal(existsSync(output), false, args.join(' '));
    }
  });

  it('exits 2 with the usage for a wrong call', () => {
    const input = writeTensor('usage.npy', [2, 2], (index) => index);
    for (const args of [
      ['nn.GroupNorm(1, 2)', '--input', input],
      ['--input', input, '--output', 'y.npy'],
      ['nn.GroupNorm(1, 2)', '--input', input, '--output', 'y.npy', '--mode', 'inference'],
      ['nn.GroupNorm(1, 2)', '--input', input, '--output', 'y.npy', '--repeat', '0'],
    ]) {
      const { status, stderr } = normlint('run', ...args);
      assert.equal(status, 2, args.join(' '));
      assert.match(stderr, /^normlint: .+\n\nUsage:/, args.join(' '));
    }
  });
});
