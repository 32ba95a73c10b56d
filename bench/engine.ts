/**
 * Benchmarks the engine's forward passes against (1) the plain-JavaScript floor — two read passes
 * and one write pass over the same bytes — (2) PyTorch on one thread and (3) onnxruntime-web's
 * wasm backend on one thread, all measured in this run, and prints a table. This is a script, not
 * a test: the budget (within 1.3× of the floor, faster than ORT) is read off the table.
 *
 *   node out/bench/engine.js [--runs 15] [--warmup 5]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createSyntheticTensor, elementCount, runNormalization, type LayerSpec, type Tensor } from '../src/engine';
import { encodeSingleNodeModel, type OnnxAttribute, type OnnxValue } from '../test/engine/onnxProtobuf';

interface BenchmarkCase {
  label: string;
  /** The PyTorch class name, also what bench/torchNormalization.py builds. */
  op: 'BatchNorm2d' | 'GroupNorm' | 'InstanceNorm2d' | 'LayerNorm';
  shape: number[];
  spec: LayerSpec;
}

const shapesNchw = [
  [8, 64, 56, 56],
  [32, 256, 14, 14],
];

const benchmarkCases: BenchmarkCase[] = [
  ...shapesNchw.map((shape): BenchmarkCase => ({ label: 'BatchNorm2d train', op: 'BatchNorm2d', shape, spec: { kind: 'BatchNorm', numFeatures: shape[1], rank: 2 } })),
  ...shapesNchw.map((shape): BenchmarkCase => ({ label: 'GroupNorm(32)', op: 'GroupNorm', shape, spec: { kind: 'GroupNorm', numGroups: 32, numChannels: shape[1] } })),
  ...shapesNchw.map((shape): BenchmarkCase => ({ label: 'InstanceNorm2d', op: 'InstanceNorm2d', shape, spec: { kind: 'InstanceNorm', numFeatures: shape[1], rank: 2 } })),
  { label: 'LayerNorm(768)', op: 'LayerNorm', shape: [64, 197, 768], spec: { kind: 'LayerNorm', normalizedShape: [768] } },
];

function numericArgument(name: string, fallback: number): number {
  const position = process.argv.indexOf(name);
  return position < 0 ? fallback : Number(process.argv[position + 1]);
}

const warmupRuns = numericArgument('--warmup', 5);
const timedRuns = numericArgument('--runs', 15);

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function medianMilliseconds(run: () => unknown): Promise<number> {
  const [milliseconds] = await interleavedMedianMilliseconds([run]);
  return milliseconds;
}

/**
 * Median time of each function, timing them in turn within every round so that load from other
 * processes on the machine falls on all of them alike and their ratios stay meaningful.
 */
async function interleavedMedianMilliseconds(runs: Array<() => unknown>): Promise<number[]> {
  for (let round = 0; round < warmupRuns; round++) {
    for (const run of runs) await run();
  }
  const durations = runs.map((): number[] => []);
  for (let round = 0; round < timedRuns; round++) {
    for (let index = 0; index < runs.length; index++) {
      const start = performance.now();
      await runs[index]();
      durations[index].push(performance.now() - start);
    }
  }
  return durations.map(median);
}

/**
 * The cheapest conceivable normalization of the same bytes: one set, a summing pass and a
 * squared-deviation pass with four accumulators each, and one write pass, into a preallocated output.
 */
function plainJavaScriptFloor(input: Float32Array, output: Float32Array): number {
  const length = input.length;
  let sum0 = 0, sum1 = 0, sum2 = 0, sum3 = 0;
  let index = 0;
  for (; index + 3 < length; index += 4) {
    sum0 += input[index];
    sum1 += input[index + 1];
    sum2 += input[index + 2];
    sum3 += input[index + 3];
  }
  for (; index < length; index++) sum0 += input[index];
  const mean = (sum0 + sum1 + sum2 + sum3) / length;
  let squares0 = 0, squares1 = 0, squares2 = 0, squares3 = 0;
  for (index = 0; index + 3 < length; index += 4) {
    const deviation0 = input[index] - mean;
    const deviation1 = input[index + 1] - mean;
    const deviation2 = input[index + 2] - mean;
    const deviation3 = input[index + 3] - mean;
    squares0 += deviation0 * deviation0;
    squares1 += deviation1 * deviation1;
    squares2 += deviation2 * deviation2;
    squares3 += deviation3 * deviation3;
  }
  for (; index < length; index++) squares0 += (input[index] - mean) ** 2;
  const scale = 1 / Math.sqrt((squares0 + squares1 + squares2 + squares3) / length + 1e-5);
  for (index = 0; index + 3 < length; index += 4) {
    output[index] = (input[index] - mean) * scale;
    output[index + 1] = (input[index + 1] - mean) * scale;
    output[index + 2] = (input[index + 2] - mean) * scale;
    output[index + 3] = (input[index + 3] - mean) * scale;
  }
  for (; index < length; index++) output[index] = (input[index] - mean) * scale;
  return mean + scale;
}

function repositoryRoot(): string {
  let folder = __dirname;
  while (!existsSync(join(folder, 'package.json'))) folder = dirname(folder);
  return folder;
}

/** PyTorch timings from a child /usr/bin/python3 (Debian's python3-torch), or a reason they are missing. */
function measurePyTorch(): Map<string, number> | string {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return `${python} not found`;
  const cases = benchmarkCases.map((benchmarkCase) => ({ label: caseKey(benchmarkCase), op: benchmarkCase.op, shape: benchmarkCase.shape }));
  const script = join(repositoryRoot(), 'bench', 'torchNormalization.py');
  const child = spawnSync(python, [script, JSON.stringify(cases), String(warmupRuns), String(timedRuns)], { encoding: 'utf8' });
  if (child.status !== 0) return `python failed: ${(child.stderr || child.error?.message || '').trim().split('\n').pop()}`;
  return new Map(Object.entries(JSON.parse(child.stdout) as Record<string, number>));
}

interface OnnxRuntimeSession {
  run(feeds: Record<string, unknown>): Promise<unknown>;
}

interface OnnxRuntime {
  env: { wasm: { numThreads: number }; logLevel: string };
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => unknown;
  InferenceSession: { create(model: Uint8Array, options: { executionProviders: string[] }): Promise<OnnxRuntimeSession> };
}

/** The one-node ONNX model for a case, in the opset where ORT implements each operator as specified. */
function onnxModelFor(benchmarkCase: BenchmarkCase): { model: Uint8Array; inputs: OnnxValue[] } {
  const { op, shape } = benchmarkCase;
  const input: OnnxValue = { name: 'X', shape };
  const perChannel = (name: string, size = shape[1]): OnnxValue => ({ name, shape: [size] });
  const epsilon: OnnxAttribute = { name: 'epsilon', f: 1e-5 };
  const output: OnnxValue = { name: 'Y', shape };
  if (op === 'BatchNorm2d') {
    const inputs = [input, perChannel('scale'), perChannel('B'), perChannel('input_mean'), perChannel('input_var')];
    // training_mode=1 makes ORT compute batch statistics and the running-stat update, like PyTorch's train().
    const outputs = [output, perChannel('running_mean'), perChannel('running_var')];
    const attributes = [epsilon, { name: 'momentum', f: 0.9 }, { name: 'training_mode', i: 1 }];
    return { model: encodeSingleNodeModel({ opType: 'BatchNormalization', opsetVersion: 15, inputs, outputs, attributes }), inputs };
  }
  if (op === 'GroupNorm') {
    const inputs = [input, perChannel('scale'), perChannel('bias')];
    const attributes = [epsilon, { name: 'num_groups', i: 32 }];
    return { model: encodeSingleNodeModel({ opType: 'GroupNormalization', opsetVersion: 21, inputs, outputs: [output], attributes }), inputs };
  }
  if (op === 'InstanceNorm2d') {
    const inputs = [input, perChannel('scale'), perChannel('B')];
    return { model: encodeSingleNodeModel({ opType: 'InstanceNormalization', opsetVersion: 17, inputs, outputs: [output], attributes: [epsilon] }), inputs };
  }
  const inputs = [input, perChannel('Scale', shape[shape.length - 1]), perChannel('B', shape[shape.length - 1])];
  return { model: encodeSingleNodeModel({ opType: 'LayerNormalization', opsetVersion: 17, inputs, outputs: [output], attributes: [epsilon, { name: 'axis', i: -1 }] }), inputs };
}

/** ORT's median time on the case, and the largest difference between its output and the engine's (a check that both ran the same op). */
async function measureOnnxRuntime(
  benchmarkCase: BenchmarkCase,
  input: Tensor,
  engineOutput: Float32Array,
  runtime: OnnxRuntime,
): Promise<{ milliseconds: number; largestDifference: number }> {
  const { model, inputs } = onnxModelFor(benchmarkCase);
  const session = await runtime.InferenceSession.create(model, { executionProviders: ['wasm'] });
  const feeds: Record<string, unknown> = {};
  for (const value of inputs) {
    // Scale and variance inputs are ones, shifts and means zeros: a freshly built layer.
    const data = value.name === 'X' ? input.data : new Float32Array(elementCount(value.shape)).fill(/scale|var/i.test(value.name) ? 1 : 0);
    feeds[value.name] = new runtime.Tensor('float32', data, value.shape);
  }
  const milliseconds = await medianMilliseconds(() => session.run(feeds));
  const outputs = (await session.run(feeds)) as Record<string, { data: Float32Array }>;
  let largestDifference = 0;
  outputs.Y.data.forEach((value, index) => {
    largestDifference = Math.max(largestDifference, Math.abs(value - engineOutput[index]));
  });
  return { milliseconds, largestDifference };
}

function loadOnnxRuntime(): OnnxRuntime | string {
  try {
    // Loaded from node_modules at run time so the bundle does not inline it and ORT finds its .wasm files.
    const runtime = createRequire(join(repositoryRoot(), 'package.json'))('onnxruntime-web') as OnnxRuntime;
    runtime.env.wasm.numThreads = 1;
    runtime.env.logLevel = 'error';
    return runtime;
  } catch (error) {
    return `onnxruntime-web failed to load: ${String(error)}`;
  }
}

function caseKey(benchmarkCase: BenchmarkCase): string {
  return `${benchmarkCase.label} ${benchmarkCase.shape.join('×')}`;
}

function formatNumber(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);
}

async function main(): Promise<void> {
  console.log(`normlint engine benchmark: median of ${timedRuns} runs after ${warmupRuns} warm-up runs, one thread, node ${process.version}`);
  console.log('GB/s counts one read of the input and one write of the output (8 bytes per element).');
  console.log('"engine ms" writes into a reused output buffer like the floor does; "new-output ms" allocates one per call.');
  const pytorch = measurePyTorch();
  const onnxRuntime = loadOnnxRuntime();
  if (typeof pytorch === 'string') console.log(`PyTorch: not available (${pytorch})`);
  if (typeof onnxRuntime === 'string') console.log(`onnxruntime-web: not available (${onnxRuntime})`);

  const header = ['op', 'shape', 'engine ms', 'GB/s', 'new-output ms', 'floor ms', '×floor', 'torch ms', '×torch', 'ORT ms', '×ORT'];
  const rows: string[][] = [];
  // V8 optimizes a function after enough calls; warming the floor up here keeps the first row from timing its unoptimized code.
  const warmupInput = createSyntheticTensor({ shape: [1 << 20], seed: 2 }).data;
  for (let call = 0; call < 50; call++) plainJavaScriptFloor(warmupInput, new Float32Array(warmupInput.length));
  for (const benchmarkCase of benchmarkCases) {
    const input = createSyntheticTensor({ shape: benchmarkCase.shape, seed: 1 });
    const reusedOutput = new Float32Array(input.data.length);
    const floorOutput = new Float32Array(input.data.length);
    const [engineMilliseconds, floorMilliseconds] = await interleavedMedianMilliseconds([
      () => runNormalization(benchmarkCase.spec, input, { mode: 'train', output: reusedOutput }),
      () => plainJavaScriptFloor(input.data, floorOutput),
    ]);
    // Timed on its own: the garbage it leaves would otherwise be collected during the other timings.
    const newOutputMilliseconds = await medianMilliseconds(() => runNormalization(benchmarkCase.spec, input, { mode: 'train' }));
    const torchMilliseconds = typeof pytorch === 'string' ? undefined : pytorch.get(caseKey(benchmarkCase));
    const onnx = typeof onnxRuntime === 'string' ? undefined : await measureOnnxRuntime(benchmarkCase, input, reusedOutput, onnxRuntime);
    const onnxMilliseconds = onnx?.milliseconds;
    if (onnx !== undefined && !(onnx.largestDifference < 1e-3)) {
      console.log(`warning: ${caseKey(benchmarkCase)}: ORT's output differs from the engine's by up to ${onnx.largestDifference}`);
    }
    const gigabytesPerSecond = (input.data.length * 8) / (engineMilliseconds * 1e6);
    rows.push([
      benchmarkCase.label,
      benchmarkCase.shape.join('×'),
      formatNumber(engineMilliseconds, 2),
      formatNumber(gigabytesPerSecond, 2),
      formatNumber(newOutputMilliseconds, 2),
      formatNumber(floorMilliseconds, 2),
      formatNumber(engineMilliseconds / floorMilliseconds, 2),
      torchMilliseconds === undefined ? 'not available' : formatNumber(torchMilliseconds, 2),
      torchMilliseconds === undefined ? '-' : formatNumber(engineMilliseconds / torchMilliseconds, 2),
      onnxMilliseconds === undefined ? 'not available' : formatNumber(onnxMilliseconds, 2),
      onnxMilliseconds === undefined ? '-' : formatNumber(engineMilliseconds / onnxMilliseconds, 2),
    ]);
  }
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const formatRow = (cells: string[]) => cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  console.log(formatRow(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(formatRow(row));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
