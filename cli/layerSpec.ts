// Turns the layer a `normlint run` expression constructs into the engine's LayerSpec. Each argument
// the analyzer bound is read as the type the constructor takes; one the expression leaves unknown
// (`nn.GroupNorm(G, 8)`), a wrong type, or a parameter the engine cannot apply stops the run with
// a message naming it, rather than running a different layer than the one written.
import type { BoundArgument, NormLayerFact } from '../src/analysis/normLayers';
import type { LayerSpec } from '../src/engine';
import type { Value } from '../src/python/evaluate';
import { CommandError } from './commandError';

type SpecBuilder = (layer: LayerArguments) => LayerSpec;

/** Parameters that do not change what a forward pass computes on the CPU in float32. */
const parametersWithoutEffect = new Set(['device', 'process_group', 'synchronized', 'beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint']);

/** `dtype` values that are what the engine computes in anyway (`None`, the default, is float32 too). */
const float32Sources = new Set(['torch.float32', 'torch.float']);

/** BatchNorm and InstanceNorm share PyTorch's running-statistics constructor. */
const torchRunningStatisticsNorm =
  (kind: 'BatchNorm' | 'InstanceNorm', rank?: 1 | 2 | 3): SpecBuilder =>
  (layer) => ({
    kind,
    numFeatures: layer.requiredInt('num_features'),
    eps: layer.number('eps'),
    momentum: layer.numberOrNone('momentum'),
    affine: layer.bool('affine'),
    trackRunningStats: layer.bool('track_running_stats'),
    rank,
  });

const torchBatchNorm = (rank?: 1 | 2 | 3): SpecBuilder => torchRunningStatisticsNorm('BatchNorm', rank);
const torchInstanceNorm = (rank: 1 | 2 | 3): SpecBuilder => torchRunningStatisticsNorm('InstanceNorm', rank);

/** How each layer the analyzer knows (by its display name, unique across frameworks) becomes a LayerSpec. */
const specBuilders: Readonly<Record<string, SpecBuilder>> = {
  BatchNorm1d: torchBatchNorm(1),
  BatchNorm2d: torchBatchNorm(2),
  BatchNorm3d: torchBatchNorm(3),
  // SyncBatchNorm accepts any rank; on one process it is BatchNorm of the input's rank.
  SyncBatchNorm: torchBatchNorm(),
  InstanceNorm1d: torchInstanceNorm(1),
  InstanceNorm2d: torchInstanceNorm(2),
  InstanceNorm3d: torchInstanceNorm(3),
  GroupNorm: (layer) => ({
    kind: 'GroupNorm',
    numGroups: layer.requiredInt('num_groups'),
    numChannels: layer.requiredInt('num_channels'),
    eps: layer.number('eps'),
    affine: layer.bool('affine'),
  }),
  LayerNorm: (layer) => ({
    kind: 'LayerNorm',
    normalizedShape: layer.shape('normalized_shape'),
    eps: layer.number('eps'),
    elementwiseAffine: layer.bool('elementwise_affine'),
    bias: layer.bool('bias'),
  }),
  RMSNorm: (layer) => ({
    kind: 'RMSNorm',
    normalizedShape: layer.shape('normalized_shape'),
    eps: layer.numberOrNone('eps'),
    elementwiseAffine: layer.bool('elementwise_affine'),
  }),
  BatchNormalization: (layer) => ({
    kind: 'KerasBatchNormalization',
    axis: layer.int('axis'),
    momentum: layer.number('momentum'),
    epsilon: layer.number('epsilon'),
    center: layer.bool('center'),
    scale: layer.bool('scale'),
  }),
  LayerNormalization: (layer) => {
    if (layer.bool('rms_scaling')) layer.unsupported('rms_scaling', 'the engine has no RMS scaling for Keras layers');
    return {
      kind: 'KerasLayerNormalization',
      axis: layer.axes('axis'),
      epsilon: layer.number('epsilon'),
      center: layer.bool('center'),
      scale: layer.bool('scale'),
    };
  },
  GroupNormalization: (layer) => ({
    kind: 'KerasGroupNormalization',
    groups: layer.int('groups') ?? layer.integerDefault('groups'),
    axis: layer.int('axis'),
    epsilon: layer.number('epsilon'),
    center: layer.bool('center'),
    scale: layer.bool('scale'),
  }),
};

export function layerSpecFor(fact: NormLayerFact): LayerSpec {
  const layer = new LayerArguments(fact);
  const build = specBuilders[fact.signature.displayName];
  if (!build) throw layer.failure(`\`normlint run\` cannot run ${fact.signature.displayName} yet`);
  // Parameters hidden in `*args`/`**kwargs` could change the layer in ways nobody can see.
  if (fact.hasUnpackedArguments) throw layer.failure('`*args`/`**kwargs` hide which parameters are set; write them out');
  const spec = build(layer);
  layer.rejectUnread();
  return spec;
}

/** Reads a layer's bound arguments as typed values, remembering which ones were read. */
class LayerArguments {
  private readonly read = new Set<string>();

  constructor(private readonly fact: NormLayerFact) {}

  requiredInt(name: string): number {
    const value = this.int(name);
    if (value === undefined) throw this.failure(`\`${name}\` is required`);
    return value;
  }

  int(name: string): number | undefined {
    return this.typed(name, 'an integer', (value) => (value.kind === 'int' ? value.value : undefined));
  }

  number(name: string): number | undefined {
    return this.typed(name, 'a number', numberOf);
  }

  /** A number, or null for `None` (PyTorch's cumulative momentum, RMSNorm's machine-epsilon eps). */
  numberOrNone(name: string): number | null | undefined {
    return this.typed(name, 'a number or None', (value) => (value.kind === 'none' ? null : numberOf(value)));
  }

  bool(name: string): boolean | undefined {
    return this.typed(name, 'True or False', (value) => (value.kind === 'bool' ? value.value : undefined));
  }

  /** A shape written as one size or a list/tuple of sizes, as LayerNorm's `normalized_shape`. */
  shape(name: string): number[] {
    const shape = this.typed(name, 'an integer or a list of integers', integerList);
    if (shape === undefined) throw this.failure(`\`${name}\` is required`);
    return shape;
  }

  /** One axis or a list of axes, as Keras LayerNormalization's `axis`. */
  axes(name: string): number | number[] | undefined {
    return this.typed(name, 'an integer or a list of integers', (value) => (value.kind === 'int' ? value.value : integerList(value)));
  }

  /** The parameter's default as the signature declares it, for engine specs that need the number. */
  integerDefault(name: string): number {
    const source = this.fact.signature.parameters.find((parameter) => parameter.name === name)?.defaultSource;
    const value = Number(source);
    if (source === undefined || !Number.isInteger(value)) throw this.failure(`\`${name}\` is required`);
    return value;
  }

  unsupported(name: string, why: string): never {
    throw this.failure(`\`${name}\` is not supported by \`normlint run\`: ${why}`);
  }

  /** Stops on a written argument that no builder read and that would change the computation. */
  rejectUnread(): void {
    for (const [name, argument] of this.fact.arguments) {
      if (this.read.has(name) || parametersWithoutEffect.has(name)) continue;
      if (isDefault(argument, this.fact.signature.parameters.find((parameter) => parameter.name === name)?.defaultSource)) continue;
      if (name === 'dtype' && float32Sources.has(argument.source)) continue;
      this.unsupported(
        `${name}=${argument.source}`,
        name === 'dtype'
          ? 'the engine computes in float32'
          : 'it runs a freshly built layer (weight 1, bias 0, running mean 0, running variance 1); give --weight and --bias to set the affine parameters',
      );
    }
  }

  failure(message: string): CommandError {
    return new CommandError(`cannot run ${this.fact.signature.displayName}: ${message}`);
  }

  private typed<T>(name: string, expected: string, convert: (value: Value) => T | undefined): T | undefined {
    this.read.add(name);
    const argument = this.fact.arguments.get(name);
    if (!argument) return undefined;
    const unknown = unknownReason(argument.value);
    if (unknown !== undefined) throw this.failure(`\`${name}=${argument.source}\` is not a value normlint can resolve (${unknown})`);
    const converted = convert(argument.value);
    if (converted === undefined) throw this.failure(`\`${name}\` must be ${expected}, not \`${argument.source}\``);
    return converted;
  }
}

function numberOf(value: Value): number | undefined {
  return value.kind === 'int' || value.kind === 'float' ? value.value : undefined;
}

function integerList(value: Value): number[] | undefined {
  if (value.kind === 'int') return [value.value];
  if (value.kind !== 'sequence') return undefined;
  const sizes = value.items.map((item) => (item.kind === 'int' ? item.value : undefined));
  return sizes.every((size) => size !== undefined) ? (sizes as number[]) : undefined;
}

/** Why a value, or an entry of a list value, is unknown. */
function unknownReason(value: Value): string | undefined {
  if (value.kind === 'unknown') return value.reason;
  return value.kind === 'sequence' ? value.items.map(unknownReason).find((reason) => reason !== undefined) : undefined;
}

/** Whether an argument repeats the parameter's default (`gamma_initializer="ones"`), which changes nothing. */
function isDefault(argument: BoundArgument, defaultSource: string | undefined): boolean {
  return defaultSource !== undefined && argument.source.replace(/"/g, "'") === defaultSource;
}
