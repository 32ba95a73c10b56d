// Custom requests between the VS Code client and the language server. Both sides import these.
import { RequestType } from 'vscode-languageserver-protocol';
import type { Position } from 'vscode-languageserver-protocol';

export interface LayerAtParams {
  uri: string;
  position: Position;
}

/** A normalization layer as the preview needs it: its type and the arguments the analyzer resolved. */
export interface LayerSummary {
  displayName: string;
  qualifiedName: string;
  /** Resolved argument values by parameter name; unresolved ones are absent. */
  arguments: Record<string, number | boolean | number[] | null>;
  /** One line, e.g. "GroupNorm(num_groups=32, num_channels=100)". */
  description: string;
  /** The batch size the analyzer found reaching the layer (a literal input tensor or a training DataLoader), if any. */
  batchSize?: number;
  range: { start: Position; end: Position };
}

/** Sent by the client's "Preview normalization" command: which layer is under the cursor? */
export const layerAtRequest = new RequestType<LayerAtParams, LayerSummary | null, void>('normlint/layerAt');

export interface LayersParams {
  uri: string;
}

/** Sent by the client's "Preview normalization" command when no layer is under the cursor: every layer of the document, in order, for a quick pick. */
export const layersRequest = new RequestType<LayersParams, LayerSummary[], void>('normlint/layers');
