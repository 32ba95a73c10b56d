/**
 * Helpers shared by the engine tests: finding fixtures from the bundled test files, reading .npy
 * fixtures, and comparing arrays within a named tolerance with a message that shows the worst entry.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readNpy, type Tensor } from '../../src/engine';

export interface Tolerance {
  absolute: number;
  relative: number;
}

/** The repository root, found by walking up from this file (the bundles live in out/test/…). */
export function repositoryRoot(): string {
  let folder = __dirname;
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`no package.json above ${__dirname}`);
    folder = parent;
  }
  return folder;
}

export function readNpyFile(path: string): Tensor {
  return readNpy(new Uint8Array(readFileSync(path))).tensor;
}

/** Asserts |actual − expected| ≤ absolute + relative·|expected| everywhere (NaN only matches NaN). */
export function assertAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: Tolerance, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length ${actual.length}, expected ${expected.length}`);
  let worstIndex = -1;
  let worstExcess = 0;
  for (let index = 0; index < expected.length; index++) {
    const difference = Math.abs(actual[index] - expected[index]);
    const allowed = tolerance.absolute + tolerance.relative * Math.abs(expected[index]);
    const bothNaN = Number.isNaN(actual[index]) && Number.isNaN(expected[index]);
    const excess = bothNaN ? 0 : Number.isNaN(difference) ? Infinity : difference - allowed;
    if (excess > worstExcess) {
      worstExcess = excess;
      worstIndex = index;
    }
  }
  if (worstIndex >= 0) {
    assert.fail(
      `${label}: entry ${worstIndex} is ${actual[worstIndex]}, expected ${expected[worstIndex]} ` +
        `(tolerance ${tolerance.absolute} + ${tolerance.relative}·|expected|)`,
    );
  }
}

/** Mean and biased variance by the textbook two-pass formula in float64, the tests' independent reference. */
export function referenceMoments(values: ArrayLike<number>): { mean: number; variance: number } {
  let sum = 0;
  for (let index = 0; index < values.length; index++) sum += values[index];
  const mean = sum / values.length;
  let squares = 0;
  for (let index = 0; index < values.length; index++) squares += (values[index] - mean) ** 2;
  return { mean, variance: squares / values.length };
}

/** Asserts that `action` throws a NormalizationError (or NpyFormatError) whose message contains `expectedText`. */
export function assertThrowsWithMessage(action: () => unknown, errorName: 'NormalizationError' | 'NpyFormatError', expectedText: string): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof Error, 'expected an Error');
    assert.equal(error.name, errorName, `expected a ${errorName}, got ${error.name}: ${error.message}`);
    assert.ok(error.message.includes(expectedText), `message ${JSON.stringify(error.message)} should contain ${JSON.stringify(expectedText)}`);
    return true;
  });
}
