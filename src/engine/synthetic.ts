/**
 * Seeded synthetic tensors for the preview panel: normal values with a per-channel offset and
 * scale, reproducible from the seed alone (mulberry32 uniform numbers through Box–Muller).
 */
import { NormalizationError } from './errors';
import { createTensor, elementCount, formatShape, normalizeAxis, productOfSizes, type Tensor } from './tensor';

/** mulberry32: a tiny 32-bit generator whose whole state is one integer; returns uniform numbers in [0, 1). */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticTensorOptions {
  shape: number[];
  seed: number;
  /** Axis that holds the channels; defaults to 1 (NC…), or 0 for a 1-D shape. */
  channelAxis?: number;
  /** Mean of each channel; defaults to `mean` for every channel. */
  channelMeans?: number[];
  /** Standard deviation of each channel; defaults to `std` for every channel. */
  channelStds?: number[];
  /** Defaults to 0. */
  mean?: number;
  /** Defaults to 1. */
  std?: number;
}

export function createSyntheticTensor(options: SyntheticTensorOptions): Tensor {
  const { shape, seed } = options;
  const tensor = createTensor(shape);
  const count = elementCount(shape);
  if (count === 0) return tensor;
  const channelAxis = shape.length === 0 ? -1 : normalizeAxis(options.channelAxis ?? (shape.length > 1 ? 1 : 0), shape.length);
  const channelCount = channelAxis < 0 ? 1 : shape[channelAxis];
  const innerCount = channelAxis < 0 ? 1 : productOfSizes(shape, channelAxis + 1, shape.length);
  const channelMeans = options.channelMeans ?? new Array<number>(channelCount).fill(options.mean ?? 0);
  const channelStds = options.channelStds ?? new Array<number>(channelCount).fill(options.std ?? 1);
  for (const [name, list] of [['channelMeans', channelMeans], ['channelStds', channelStds]] as const) {
    if (list.length !== channelCount) {
      throw new NormalizationError(`${name} should hold ${channelCount} values (axis ${channelAxis} of ${formatShape(shape)}), got ${list.length}`);
    }
  }
  const random = createSeededRandom(seed);
  const data = tensor.data;
  // Box–Muller yields two independent normals per pair of uniforms; 1 − u keeps the log away from 0.
  for (let index = 0; index < count; index += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    for (let pair = 0; pair < 2 && index + pair < count; pair++) {
      const normal = radius * (pair === 0 ? Math.cos(angle) : Math.sin(angle));
      const channel = Math.floor((index + pair) / innerCount) % channelCount;
      data[index + pair] = channelMeans[channel] + channelStds[channel] * normal;
    }
  }
  return tensor;
}
