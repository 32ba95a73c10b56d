/**
 * Compares the engine with every golden case that scripts/golden/generate.py computed with real
 * PyTorch in float64 (see test/fixtures/engine/golden/index.json for what each case is).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runNormalization, weightNorm, type LayerSpec, type NormalizationMode, type Tensor } from '../../src/engine';
import { assertAllClose, readNpyFile, repositoryRoot, type Tolerance } from './testSupport';

const goldenTolerance: Tolerance = { absolute: 1e-5, relative: 1e-4 };

interface GoldenCase {
  name: string;
  layer?: LayerSpec;
  weightNorm?: { dim: number | null };
  mode: NormalizationMode;
  numBatchesTracked?: number | null;
  reference: string;
  inputs: Record<string, string>;
  expected: Record<string, string | number>;
}

const goldenFolder = join(repositoryRoot(), 'test', 'fixtures', 'engine', 'golden');
const goldenCases: GoldenCase[] = JSON.parse(readFileSync(join(goldenFolder, 'index.json'), 'utf8')).cases;

function given(goldenCase: GoldenCase, key: string): Tensor | undefined {
  const path = goldenCase.inputs[key];
  return path === undefined ? undefined : readNpyFile(join(goldenFolder, path));
}

function expected(goldenCase: GoldenCase, key: string): Tensor {
  const path = goldenCase.expected[key];
  assert.equal(typeof path, 'string', `${goldenCase.name} has no expected ${key}`);
  return readNpyFile(join(goldenFolder, path as string));
}

function runGoldenLayer(goldenCase: GoldenCase, layer: LayerSpec): void {
  const result = runNormalization(layer, given(goldenCase, 'input')!, {
    mode: goldenCase.mode,
    weight: given(goldenCase, 'weight'),
    bias: given(goldenCase, 'bias'),
    runningMean: given(goldenCase, 'runningMean')?.data,
    runningVar: given(goldenCase, 'runningVar')?.data,
    numBatchesTracked: goldenCase.numBatchesTracked ?? undefined,
  });
  const expectedOutput = expected(goldenCase, 'output');
  assert.deepEqual(result.output.shape, expectedOutput.shape);
  assertAllClose(result.output.data, expectedOutput.data, goldenTolerance, 'output');
  const expectedMean = expected(goldenCase, 'mean');
  assert.deepEqual(result.statistics.setShape, expectedMean.shape, 'statistics.setShape');
  assertAllClose(result.statistics.mean, expectedMean.data, goldenTolerance, 'statistics.mean');
  assertAllClose(result.statistics.variance, expected(goldenCase, 'variance').data, goldenTolerance, 'statistics.variance');
  if ('runningMean' in goldenCase.expected) {
    assertAllClose(result.runningMean!, expected(goldenCase, 'runningMean').data, goldenTolerance, 'runningMean');
    assertAllClose(result.runningVar!, expected(goldenCase, 'runningVar').data, goldenTolerance, 'runningVar');
  } else {
    assert.equal(result.runningMean, undefined, 'a layer without running statistics returned some');
  }
  if ('numBatchesTracked' in goldenCase.expected) {
    assert.equal(result.numBatchesTracked, goldenCase.expected.numBatchesTracked);
  }
}

describe('golden cases computed with PyTorch', () => {
  it('cover every PyTorch layer kind and weight norm', () => {
    const kinds = new Set(goldenCases.map((goldenCase) => goldenCase.layer?.kind ?? 'weightNorm'));
    assert.deepEqual([...kinds].sort(), ['BatchNorm', 'GroupNorm', 'InstanceNorm', 'LayerNorm', 'RMSNorm', 'weightNorm']);
  });

  for (const goldenCase of goldenCases) {
    it(`matches ${goldenCase.name} (${goldenCase.reference})`, () => {
      if (goldenCase.layer !== undefined) return runGoldenLayer(goldenCase, goldenCase.layer);
      const output = weightNorm(given(goldenCase, 'v')!, given(goldenCase, 'g')!, goldenCase.weightNorm!.dim);
      assertAllClose(output.data, expected(goldenCase, 'output').data, goldenTolerance, 'output');
    });
  }
});
