// PyTorch's normalization layers (torch.nn), as their constructors are declared in
// torch/nn/modules/batchnorm.py, instancenorm.py and normalization.py.
import type { LayerSignature, ModuleSignature, ParameterSpec } from './layerSignature';

const factoryParameters: ParameterSpec[] = [
  { name: 'device', defaultSource: 'None' },
  { name: 'dtype', defaultSource: 'None' },
];

function batchStatisticsParameters(affineDefault: 'True' | 'False', trackDefault: 'True' | 'False'): ParameterSpec[] {
  return [
    { name: 'num_features' },
    { name: 'eps', defaultSource: '1e-05' },
    { name: 'momentum', defaultSource: '0.1' },
    { name: 'affine', defaultSource: affineDefault },
    { name: 'track_running_stats', defaultSource: trackDefault },
    ...factoryParameters,
  ];
}

function inTorchNn(className: string, moduleFile: string): string[] {
  return [`torch.nn.${className}`, `torch.nn.modules.${className}`, `torch.nn.modules.${moduleFile}.${className}`];
}

const batchNorms: LayerSignature[] = [1, 2, 3].map((rank) => ({
  displayName: `BatchNorm${rank}d`,
  family: 'BatchNorm',
  // BatchNorm1d takes (N, C) or (N, C, L).
  inputRanks: rank === 1 ? [2, 3] : [rank + 2],
  qualifiedNames: inTorchNn(`BatchNorm${rank}d`, 'batchnorm'),
  parameters: batchStatisticsParameters('True', 'True'),
}));

const instanceNorms: LayerSignature[] = [1, 2, 3].map((rank) => ({
  displayName: `InstanceNorm${rank}d`,
  family: 'InstanceNorm',
  // Without a batch axis InstanceNorm takes one rank less.
  inputRanks: [rank + 1, rank + 2],
  qualifiedNames: inTorchNn(`InstanceNorm${rank}d`, 'instancenorm'),
  parameters: batchStatisticsParameters('False', 'False'),
}));

export const torchNormLayers: LayerSignature[] = [
  ...batchNorms,
  {
    displayName: 'SyncBatchNorm',
    family: 'BatchNorm',
    qualifiedNames: inTorchNn('SyncBatchNorm', 'batchnorm'),
    parameters: [...batchStatisticsParameters('True', 'True').slice(0, 5), { name: 'process_group', defaultSource: 'None' }, ...factoryParameters],
  },
  ...instanceNorms,
  {
    displayName: 'GroupNorm',
    family: 'GroupNorm',
    qualifiedNames: inTorchNn('GroupNorm', 'normalization'),
    parameters: [
      { name: 'num_groups' },
      { name: 'num_channels' },
      { name: 'eps', defaultSource: '1e-05' },
      { name: 'affine', defaultSource: 'True' },
      ...factoryParameters,
    ],
  },
  {
    displayName: 'LayerNorm',
    family: 'LayerNorm',
    qualifiedNames: inTorchNn('LayerNorm', 'normalization'),
    parameters: [
      { name: 'normalized_shape' },
      { name: 'eps', defaultSource: '1e-05' },
      { name: 'elementwise_affine', defaultSource: 'True' },
      { name: 'bias', defaultSource: 'True' },
      ...factoryParameters,
    ],
  },
  {
    displayName: 'RMSNorm',
    family: 'RMSNorm',
    qualifiedNames: inTorchNn('RMSNorm', 'normalization'),
    parameters: [
      { name: 'normalized_shape' },
      { name: 'eps', defaultSource: 'None' },
      { name: 'elementwise_affine', defaultSource: 'True' },
      ...factoryParameters,
    ],
  },
];

/** A deprecated function and what replaces it. */
export interface Deprecation {
  replacement: string;
  /** The replacement's path below `torch.nn.utils`, for rewriting `nn.utils.weight_norm` in place. */
  pathBelowUtils: string;
  /** Since which PyTorch release the old name warns. */
  since: string;
}

const weightNormReplacement: Deprecation = {
  replacement: 'torch.nn.utils.parametrizations.weight_norm',
  pathBelowUtils: 'parametrizations.weight_norm',
  since: '2.1',
};
const removeWeightNormReplacement: Deprecation = {
  replacement: 'torch.nn.utils.parametrize.remove_parametrizations',
  pathBelowUtils: 'parametrize.remove_parametrizations',
  since: '2.1',
};

/** torch.nn.utils' weight-norm functions, replaced by parametrizations (a `FutureWarning` since 2.1). */
export const deprecatedWeightNormFunctions: ReadonlyMap<string, Deprecation> = new Map([
  ['torch.nn.utils.weight_norm', weightNormReplacement],
  ['torch.nn.utils.weight_norm.weight_norm', weightNormReplacement],
  ['torch.nn.utils.remove_weight_norm', removeWeightNormReplacement],
  ['torch.nn.utils.weight_norm.remove_weight_norm', removeWeightNormReplacement],
]);

function convolutions(transposed: boolean): ModuleSignature[] {
  return [1, 2, 3].map((rank) => {
    const className = `${transposed ? 'ConvTranspose' : 'Conv'}${rank}d`;
    return {
      displayName: className,
      qualifiedNames: inTorchNn(className, 'conv'),
      parameters: [
        { name: 'in_channels' },
        { name: 'out_channels' },
        { name: 'kernel_size' },
        { name: 'stride', defaultSource: '1' },
        { name: 'padding', defaultSource: '0' },
        ...(transposed ? [{ name: 'output_padding', defaultSource: '0' }, { name: 'groups', defaultSource: '1' }, { name: 'bias', defaultSource: 'True' }, { name: 'dilation', defaultSource: '1' }] : [{ name: 'dilation', defaultSource: '1' }, { name: 'groups', defaultSource: '1' }, { name: 'bias', defaultSource: 'True' }]),
        { name: 'padding_mode', defaultSource: "'zeros'" },
        ...factoryParameters,
      ],
      effect: { kind: 'produce', channelsParameter: 'out_channels', outputRank: rank + 2, channelAxis: 'first', biasParameter: 'bias' },
    };
  });
}

const passThroughClassNames = [
  'ReLU', 'ReLU6', 'LeakyReLU', 'PReLU', 'ELU', 'SELU', 'CELU', 'GELU', 'SiLU', 'Mish', 'Sigmoid', 'Tanh', 'Hardswish', 'Hardsigmoid',
  'Hardtanh', 'Softplus', 'Dropout', 'Dropout1d', 'Dropout2d', 'Dropout3d', 'AlphaDropout', 'Identity',
  'MaxPool1d', 'MaxPool2d', 'MaxPool3d', 'AvgPool1d', 'AvgPool2d', 'AvgPool3d', 'Upsample', 'UpsamplingNearest2d', 'UpsamplingBilinear2d',
];

/** Functions applied in `forward` that leave the tensor's shape as it is (`F.relu(x)`). */
export const shapePreservingFunctions: ReadonlySet<string> = new Set(
  ['relu', 'relu6', 'gelu', 'silu', 'mish', 'elu', 'selu', 'leaky_relu', 'sigmoid', 'tanh', 'hardswish', 'dropout', 'dropout2d'].flatMap((name) => [
    `torch.nn.functional.${name}`,
    `torch.${name}`,
  ]),
);

/** The layers around normalizations that decide what reaches them: producers of channels, pass-throughs, rank changes. */
export const torchModules: ModuleSignature[] = [
  ...convolutions(false),
  ...convolutions(true),
  {
    displayName: 'Linear',
    qualifiedNames: inTorchNn('Linear', 'linear'),
    parameters: [{ name: 'in_features' }, { name: 'out_features' }, { name: 'bias', defaultSource: 'True' }, ...factoryParameters],
    effect: { kind: 'produce', channelsParameter: 'out_features', outputRank: 2, channelAxis: 'both', biasParameter: 'bias' },
  },
  {
    displayName: 'Embedding',
    qualifiedNames: inTorchNn('Embedding', 'sparse'),
    parameters: [{ name: 'num_embeddings' }, { name: 'embedding_dim' }, { name: 'padding_idx', defaultSource: 'None' }],
    // (N, L) indices become (N, L, embedding_dim): features on the last axis, rank 3.
    effect: { kind: 'produce', channelsParameter: 'embedding_dim', outputRank: 3, channelAxis: 'last' },
  },
  {
    displayName: 'Flatten',
    qualifiedNames: inTorchNn('Flatten', 'flatten'),
    parameters: [{ name: 'start_dim', defaultSource: '1' }, { name: 'end_dim', defaultSource: '-1' }],
    effect: { kind: 'flatten' },
  },
  ...[1, 2, 3].flatMap((rank) =>
    ['AdaptiveAvgPool', 'AdaptiveMaxPool'].map((prefix): ModuleSignature => ({
      displayName: `${prefix}${rank}d`,
      qualifiedNames: inTorchNn(`${prefix}${rank}d`, 'pooling'),
      parameters: [{ name: 'output_size' }],
      effect: { kind: 'adaptivePool', outputSizeParameter: 'output_size' },
    })),
  ),
  ...passThroughClassNames.map((className): ModuleSignature => ({
    displayName: className,
    qualifiedNames: [`torch.nn.${className}`, `torch.nn.modules.${className}`],
    parameters: [],
    effect: { kind: 'passThrough' },
  })),
];

/** `torch.utils.data.DataLoader`'s parameters in positional order (batch_size defaults to 1). */
export const dataLoaderParameters: ParameterSpec[] = [
  { name: 'dataset' },
  { name: 'batch_size', defaultSource: '1' },
  { name: 'shuffle', defaultSource: 'None' },
  { name: 'sampler', defaultSource: 'None' },
  { name: 'batch_sampler', defaultSource: 'None' },
  { name: 'num_workers', defaultSource: '0' },
  { name: 'collate_fn', defaultSource: 'None' },
  { name: 'pin_memory', defaultSource: 'False' },
  { name: 'drop_last', defaultSource: 'False' },
];

export const dataLoaderNames: ReadonlyMap<string, true> = new Map([
  ['torch.utils.data.DataLoader', true],
  ['torch.utils.data.dataloader.DataLoader', true],
]);

export const randomSplitNames: ReadonlyMap<string, true> = new Map([
  ['torch.utils.data.random_split', true],
  ['torch.utils.data.dataset.random_split', true],
]);

export const tensorDatasetNames: ReadonlyMap<string, true> = new Map([
  ['torch.utils.data.TensorDataset', true],
  ['torch.utils.data.dataset.TensorDataset', true],
]);

/** `nn.SyncBatchNorm.convert_sync_batchnorm(model)`: BatchNorm statistics are then pooled across devices. */
export const syncBatchNormConversionNames: ReadonlyMap<string, true> = new Map([
  ['torch.nn.SyncBatchNorm.convert_sync_batchnorm', true],
  ['torch.nn.modules.SyncBatchNorm.convert_sync_batchnorm', true],
  ['torch.nn.modules.batchnorm.SyncBatchNorm.convert_sync_batchnorm', true],
]);

/** Functions whose positional integers (or one tuple of them) are the new tensor's shape. */
export const tensorFactoryNames: ReadonlyMap<string, true> = new Map(
  ['randn', 'rand', 'zeros', 'ones', 'empty'].map((name) => [`torch.${name}`, true] as const),
);
