// What a framework's normalization layer constructor looks like: its parameters in positional
// order and their defaults. Analysis binds call arguments against these; hover reads the defaults.

export type NormFamily = 'BatchNorm' | 'InstanceNorm' | 'LayerNorm' | 'GroupNorm' | 'RMSNorm';

export interface ParameterSpec {
  name: string;
  /** The default as Python source, shown in hover; absent for required parameters. */
  defaultSource?: string;
  /** Keyword-only parameters cannot be passed by position. */
  keywordOnly?: boolean;
}

export interface LayerSignature {
  /** The name users know, e.g. `GroupNorm`, `BatchNorm2d`. */
  displayName: string;
  family: NormFamily;
  /** The input ranks, batch and channel axes included, the layer accepts (BatchNorm2d: [4]); absent when any is fine. */
  inputRanks?: number[];
  /** Fully qualified names under which the layer is importable. */
  qualifiedNames: string[];
  parameters: ParameterSpec[];
}

/** What a layer that is not a normalization does to the tensor flowing through it. */
export type ModuleEffect =
  /** Sets the channel (or feature) count from an argument and the rank of its output. */
  | {
      kind: 'produce';
      channelsParameter: string;
      outputRank: number;
      /** Axis 1 (convolutions: N, C, …) or the last axis (embeddings: N, L, D); Linear's (N, F) is both. */
      channelAxis: 'first' | 'last' | 'both';
      biasParameter?: string;
    }
  /** Leaves channels, rank and spatial size as they are (activations, dropout, most pooling). */
  | { kind: 'passThrough' }
  /** Flattens everything after the batch axis. */
  | { kind: 'flatten' }
  /** Pools to an output size given by an argument; size 1 collapses every spatial axis. */
  | { kind: 'adaptivePool'; outputSizeParameter: string };

export interface ModuleSignature {
  displayName: string;
  qualifiedNames: string[];
  parameters: ParameterSpec[];
  effect: ModuleEffect;
}
