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
  /** Number of spatial axes after N and C the layer expects (BatchNorm2d: 2), when fixed. */
  spatialRank?: number;
  /** Fully qualified names under which the layer is importable. */
  qualifiedNames: string[];
  parameters: ParameterSpec[];
}
