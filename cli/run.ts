// `normlint run "<layer constructor>" --input X.npy --output Y.npy`: runs one layer, written as in
// user code (`nn.GroupNorm(4, 8)`, `layers.GroupNormalization(groups=4)`), on a tensor with the
// bundled engine, as a freshly built module would in train (default) or eval mode. It is how the
// engine's numbers can be compared with PyTorch's from a shell, and how a layer's statistics are
// inspected without writing Python.
import { readFile, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { formatShape, NormalizationError, NpyFormatError, readNpy, runNormalization, writeNpy } from '../src/engine';
import type { LayerSpec, NormalizationMode, NormalizationOptions, NormalizationResult, Tensor } from '../src/engine';
import { CommandError } from './commandError';
import { describeFileError } from './files';
import { analyzeLayerExpression } from './layerExpression';
import { layerSpecFor } from './layerSpec';
import { formatFindingLine } from './report';
import { UsageError } from './usageError';

export async function runLayer(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      input: { type: 'string' },
      output: { type: 'string' },
      mode: { type: 'string', default: 'train' },
      weight: { type: 'string' },
      bias: { type: 'string' },
      stats: { type: 'string' },
      repeat: { type: 'string' },
    },
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('run needs one layer constructor in quotes, e.g. "nn.GroupNorm(4, 8)"');
  if (values.input === undefined) throw new UsageError('run needs --input X.npy');
  if (values.output === undefined) throw new UsageError('run needs --output Y.npy');
  if (values.mode !== 'train' && values.mode !== 'eval') throw new UsageError(`--mode must be train or eval, not '${values.mode}'`);
  const mode: NormalizationMode = values.mode;
  const repeat = values.repeat === undefined ? undefined : Number(values.repeat);
  if (repeat !== undefined && !(Number.isInteger(repeat) && repeat >= 1)) throw new UsageError(`--repeat must be a positive whole number, not '${values.repeat}'`);

  const expression = positionals[0]!.trim();
  const { layer, findings } = await analyzeLayerExpression(expression);
  for (const finding of findings) process.stdout.write(`${formatFindingLine('<expression>', finding)}\n`);
  // PyTorch would refuse to build this layer; the findings above say why.
  if (findings.some((finding) => finding.severity === 'error')) return 1;
  const spec = layerSpecFor(layer);

  const input = await readTensor(values.input);
  const options: NormalizationOptions = {
    mode,
    ...(values.weight !== undefined ? { weight: await readTensor(values.weight) } : {}),
    ...(values.bias !== undefined ? { bias: await readTensor(values.bias) } : {}),
  };
  const { result, timesMs } = timedRuns(spec, input, options, repeat ?? 1);
  await writeOutput(values.output, writeNpy(result.output));
  // Microseconds are as fine as a timer shared with the rest of the process can tell.
  const timing = repeat === undefined ? undefined : { median: roundToMicroseconds(median(timesMs)), min: roundToMicroseconds(Math.min(...timesMs)) };
  if (values.stats !== undefined) {
    await writeOutput(values.stats, new TextEncoder().encode(`${JSON.stringify(statisticsJson(expression, mode, result, timing), null, 2)}\n`));
  }

  const { setShape, count } = result.statistics;
  process.stdout.write(
    `Wrote ${values.output}: ${layer.signature.displayName} on ${formatShape(input.shape)} in ${mode} mode, ` +
      `${setShape.reduce((product, size) => product * size, 1)} sets of ${count} values normalized with ${result.normalizedWith === 'batchStatistics' ? 'their own' : 'running'} statistics\n`,
  );
  if (timing) process.stdout.write(`Forward pass over ${repeat} runs: median ${timing.median.toFixed(3)} ms, min ${timing.min.toFixed(3)} ms\n`);
  return 0;
}

async function readTensor(path: string): Promise<Tensor> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new CommandError(`cannot read '${path}': ${describeFileError(error)}`);
  }
  try {
    return readNpy(bytes).tensor;
  } catch (error) {
    if (error instanceof NpyFormatError) throw new CommandError(`'${path}' is not a readable .npy file: ${error.message}`);
    throw error;
  }
}

async function writeOutput(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFile(path, bytes);
  } catch (error) {
    throw new CommandError(`cannot write '${path}': ${describeFileError(error)}`);
  }
}

/** Runs the forward pass `runs` times, timing only the engine call (no file I/O); every run starts from the same fresh state. */
function timedRuns(spec: LayerSpec, input: Tensor, options: NormalizationOptions, runs: number): { result: NormalizationResult; timesMs: number[] } {
  const timesMs: number[] = [];
  let result: NormalizationResult | undefined;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    try {
      result = runNormalization(spec, input, options);
    } catch (error) {
      if (error instanceof NormalizationError) throw new CommandError(error.message);
      throw error;
    }
    timesMs.push(performance.now() - started);
  }
  return { result: result!, timesMs };
}

/** STATS.json, in Python's vocabulary (snake_case, nested lists that numpy reads back with the set shape). */
function statisticsJson(expression: string, mode: NormalizationMode, result: NormalizationResult, timing?: { median: number; min: number }) {
  const { setShape, count, mean, variance } = result.statistics;
  return {
    layer: expression,
    mode,
    normalized_with: result.normalizedWith === 'batchStatistics' ? 'batch_statistics' : 'running_statistics',
    set_shape: setShape,
    count,
    mean: nested(mean, setShape),
    // Biased (divided by count), the variance the layer normalizes with.
    variance: nested(variance, setShape),
    ...(result.runningMean ? { running_mean: Array.from(result.runningMean) } : {}),
    ...(result.runningVar ? { running_var: Array.from(result.runningVar) } : {}),
    ...(result.numBatchesTracked !== undefined ? { num_batches_tracked: result.numBatchesTracked } : {}),
    ...(timing ? { timing_ms: timing } : {}),
  };
}

/** Row-major values as nested lists of `shape` (a scalar for shape []). */
function nested(values: Float64Array, shape: readonly number[]): unknown {
  if (shape.length === 0) return values[0];
  const [size, ...inner] = shape;
  const stride = inner.reduce((product, length) => product * length, 1);
  return Array.from({ length: size! }, (_, index) => nested(values.subarray(index * stride, (index + 1) * stride), inner));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((first, second) => first - second);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function roundToMicroseconds(milliseconds: number): number {
  return Math.round(milliseconds * 1000) / 1000;
}
