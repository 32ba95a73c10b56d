/**
 * What the preview computes: the method, mode and sizes the user controls, and how a layer found
 * by the analyzer (its display name and resolved arguments) turns into them. The panel always works
 * on an N×C×H×W tensor, the shape of the classic normalization figure; layers of other ranks are
 * mapped onto it (a LayerNorm over [768] becomes C = 768, H = W = 1).
 */
import type { NormalizationMode } from '../../src/engine';
import { float32MachineEpsilon } from '../../src/engine';
import type { PreviewLayer } from '../messages';

export const normMethods = ['BatchNorm', 'LayerNorm', 'InstanceNorm', 'GroupNorm', 'RMSNorm'] as const;
export type NormMethod = (typeof normMethods)[number];

/** Everything the panel's controls set. */
export interface PreviewControls {
  method: NormMethod;
  mode: NormalizationMode;
  batchSize: number;
  channels: number;
  height: number;
  width: number;
  groups: number;
  eps: number;
  seed: number;
}

/** What the layer fixes beyond the controls; it applies only while the controls' method is the layer's own. */
export interface LayerOptions {
  method: NormMethod;
  /** 1 for BatchNorm1d and InstanceNorm1d, whose inputs are [N, C] or [N, C, L] rather than N×C×H×W. */
  spatialRank?: 1 | 2 | 3;
  affine?: boolean;
  trackRunningStats?: boolean;
  momentum?: number | null;
}

/** The set of one element, (sample, channel), whose normalization set the views highlight. */
export interface Selection {
  sample: number;
  channel: number;
}

/** A layer read into the panel's vocabulary, with the arguments it could not use. */
export interface LayerConfig {
  options: LayerOptions;
  controls: Partial<PreviewControls>;
  /** Parameters whose value the analyzer could not resolve, so a default stands in, e.g. `num_channels`. */
  unresolved: string[];
}

export const defaultControls: PreviewControls = {
  method: 'GroupNorm',
  mode: 'train',
  batchSize: 8,
  channels: 16,
  height: 8,
  width: 8,
  groups: 4,
  eps: 1e-5,
  seed: 1,
};

/** The largest size the panel accepts for one axis; the element limit bounds the product. */
export const maxAxisSize = 65_536;

function methodOfLayer(displayName: string): NormMethod | undefined {
  if (/BatchNorm/.test(displayName)) return 'BatchNorm';
  return normMethods.find((method) => displayName.includes(method));
}

type ArgumentValue = PreviewLayer['arguments'][string];

function positiveInteger(value: ArgumentValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= maxAxisSize ? value : undefined;
}

function positiveNumber(value: ArgumentValue | undefined): number | undefined {
  return typeof value === 'number' && value > 0 && Number.isFinite(value) ? value : undefined;
}

function booleanArgument(value: ArgumentValue | undefined): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/**
 * `normalized_shape` as the trailing axes of N×C×H×W: one size is the channels (a transformer's
 * features), two are C×W, three are C×H×W. Longer shapes do not fit the figure.
 */
function trailingShape(value: ArgumentValue | undefined): Partial<PreviewControls> | undefined {
  const sizes = typeof value === 'number' ? [value] : Array.isArray(value) ? value : undefined;
  if (!sizes || sizes.length === 0 || sizes.length > 3 || sizes.some((size) => positiveInteger(size) === undefined)) return undefined;
  const [channels, height, width] = sizes.length === 3 ? sizes : sizes.length === 2 ? [sizes[0], 1, sizes[1]] : [sizes[0], 1, 1];
  return { channels, height, width };
}

/** The largest divisor of `channels` not above `preferred` (GroupNorm's usual 32 groups when it divides). */
function dividingGroupCount(channels: number, preferred = 32): number {
  for (let groups = Math.min(preferred, channels); groups > 1; groups--) if (channels % groups === 0) return groups;
  return 1;
}

export function readLayer(layer: PreviewLayer): LayerConfig | undefined {
  const method = methodOfLayer(layer.displayName);
  if (!method) return undefined;
  const args = layer.arguments;
  const unresolved: string[] = [];
  const controls: Partial<PreviewControls> = { method };
  const options: LayerOptions = { method };
  const rankMatch = /([123])d$/.exec(layer.displayName);
  if (rankMatch) options.spatialRank = Number(rankMatch[1]) as 1 | 2 | 3;
  const eps = args.eps === null && method === 'RMSNorm' ? float32MachineEpsilon : positiveNumber(args.eps ?? args.epsilon);
  if (eps !== undefined) controls.eps = eps;
  else if (method === 'RMSNorm') controls.eps = float32MachineEpsilon;

  if (layer.batchSize !== undefined) controls.batchSize = layer.batchSize;
  const resolved = <T>(name: string, value: T | undefined): T | undefined => {
    if (value === undefined) unresolved.push(name);
    return value;
  };
  switch (method) {
    case 'BatchNorm':
    case 'InstanceNorm': {
      const channels = resolved('num_features', positiveInteger(args.num_features));
      if (channels !== undefined) controls.channels = channels;
      // BatchNorm1d usually follows a Linear layer ([N, C]); InstanceNorm1d needs a length to normalize over.
      if (options.spatialRank === 1) Object.assign(controls, { height: 1, width: method === 'BatchNorm' ? 1 : 16 });
      options.affine = booleanArgument(args.affine);
      options.trackRunningStats = booleanArgument(args.track_running_stats);
      const momentum = args.momentum;
      if (momentum === null || typeof momentum === 'number') options.momentum = momentum;
      break;
    }
    case 'GroupNorm': {
      const groups = resolved('num_groups', positiveInteger(args.num_groups));
      const channels = resolved('num_channels', positiveInteger(args.num_channels));
      if (groups !== undefined) controls.groups = groups;
      if (channels !== undefined) controls.channels = channels;
      options.affine = booleanArgument(args.affine);
      break;
    }
    case 'LayerNorm':
    case 'RMSNorm': {
      const shape = resolved('normalized_shape', trailingShape(args.normalized_shape));
      if (shape) Object.assign(controls, shape);
      options.affine = booleanArgument(args.elementwise_affine);
      break;
    }
  }
  return { options, controls, unresolved };
}

/**
 * The controls after a layer arrives: the layer's own values replace the previous ones, sizes it
 * does not decide (the batch, usually the spatial size) stay as the user left them, and the
 * group count is kept dividing the channels when the layer is not a GroupNorm.
 */
export function controlsForLayer(layer: LayerConfig, previous: PreviewControls): PreviewControls {
  const controls = { ...previous, ...layer.controls };
  if (layer.controls.groups === undefined && controls.channels % controls.groups !== 0) controls.groups = dividingGroupCount(controls.channels);
  if (layer.controls.eps === undefined) controls.eps = defaultControls.eps;
  return controls;
}

/** The layer's options when the controls still run the layer's own method, else the method's defaults. */
export function optionsFor(method: NormMethod, layer: LayerOptions | undefined): LayerOptions {
  return layer?.method === method ? layer : { method };
}

/** The element at `selection`, clamped into the current shape (after the user shrinks N or C). */
export function clampSelection(selection: Selection, controls: PreviewControls): Selection {
  return {
    sample: Math.min(Math.max(0, selection.sample), controls.batchSize - 1),
    channel: Math.min(Math.max(0, selection.channel), controls.channels - 1),
  };
}
