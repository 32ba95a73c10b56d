// Keras' normalization layers (Keras 3's `keras.layers`, also reached as `tf.keras.layers` after
// `import tensorflow as tf`), as their constructors are declared in keras/src/layers/normalization/.
// Their parameters differ from PyTorch's: no channel count (the layer reads it from its input),
// `axis` for the channel axis, `epsilon` 1e-3 and a momentum that weights the old average.
import type { LayerSignature, ParameterSpec } from './layerSignature';

function inKerasLayers(className: string): string[] {
  return [`keras.layers.${className}`, `tensorflow.keras.layers.${className}`];
}

const betaGammaInitializers: ParameterSpec[] = [
  { name: 'beta_initializer', defaultSource: "'zeros'" },
  { name: 'gamma_initializer', defaultSource: "'ones'" },
];

const betaGammaRegularizersAndConstraints: ParameterSpec[] = [
  { name: 'beta_regularizer', defaultSource: 'None' },
  { name: 'gamma_regularizer', defaultSource: 'None' },
  { name: 'beta_constraint', defaultSource: 'None' },
  { name: 'gamma_constraint', defaultSource: 'None' },
];

export const kerasNormLayers: LayerSignature[] = [
  {
    displayName: 'BatchNormalization',
    family: 'BatchNorm',
    qualifiedNames: inKerasLayers('BatchNormalization'),
    parameters: [
      { name: 'axis', defaultSource: '-1' },
      { name: 'momentum', defaultSource: '0.99' },
      { name: 'epsilon', defaultSource: '0.001' },
      { name: 'center', defaultSource: 'True' },
      { name: 'scale', defaultSource: 'True' },
      ...betaGammaInitializers,
      { name: 'moving_mean_initializer', defaultSource: "'zeros'" },
      { name: 'moving_variance_initializer', defaultSource: "'ones'" },
      ...betaGammaRegularizersAndConstraints,
      { name: 'synchronized', defaultSource: 'False' },
    ],
  },
  {
    displayName: 'LayerNormalization',
    family: 'LayerNorm',
    qualifiedNames: inKerasLayers('LayerNormalization'),
    parameters: [
      { name: 'axis', defaultSource: '-1' },
      { name: 'epsilon', defaultSource: '0.001' },
      { name: 'center', defaultSource: 'True' },
      { name: 'scale', defaultSource: 'True' },
      // Some Keras 3 releases declare `rms_scaling` here and others do not, so nothing after
      // `scale` binds by position: a positional argument there would be bound to a guess.
      ...[{ name: 'rms_scaling', defaultSource: 'False' }, ...betaGammaInitializers, ...betaGammaRegularizersAndConstraints].map(
        (parameter) => ({ ...parameter, keywordOnly: true }),
      ),
    ],
  },
  {
    displayName: 'GroupNormalization',
    family: 'GroupNorm',
    qualifiedNames: inKerasLayers('GroupNormalization'),
    parameters: [
      { name: 'groups', defaultSource: '32' },
      { name: 'axis', defaultSource: '-1' },
      { name: 'epsilon', defaultSource: '0.001' },
      { name: 'center', defaultSource: 'True' },
      { name: 'scale', defaultSource: 'True' },
      ...betaGammaInitializers,
      ...betaGammaRegularizersAndConstraints,
    ],
  },
];
