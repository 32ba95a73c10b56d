// PyTorch's normalization layers (torch.nn), as their constructors are declared in
// torch/nn/modules/batchnorm.py, instancenorm.py and normalization.py.
import type { LayerSignature, ParameterSpec } from './layerSignature';

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
  spatialRank: rank - 1,
  qualifiedNames: inTorchNn(`BatchNorm${rank}d`, 'batchnorm'),
  parameters: batchStatisticsParameters('True', 'True'),
}));

const instanceNorms: LayerSignature[] = [1, 2, 3].map((rank) => ({
  displayName: `InstanceNorm${rank}d`,
  family: 'InstanceNorm',
  spatialRank: rank,
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
