/**
 * The messages between the "Preview normalization" panel's host (client/previewPanel.ts) and its
 * webview (webview/main.ts), and the state the webview persists, as discriminated unions that both
 * sides import. Each side reads what it receives through `parse…` below: a malformed message is
 * dropped and logged, never acted on. No DOM or Node APIs: both bundles include this file.
 */
import { maxAxisSize, normMethods } from './model/previewConfig';
import type { PreviewControls, Selection } from './model/previewConfig';
import {
  InvalidMessage,
  readArray,
  readBoolean,
  readEither,
  readFloat32Array,
  readLiteral,
  readNullable,
  readNumber,
  readObject,
  readOptional,
  readRecord,
  readString,
  readTagged,
  type Reader,
} from './validation';

/** The element limit used until the host sends the `normlint.preview.maxInputElements` setting; package.json has the same default. */
export const defaultMaxInputElements = 16_777_216;

/** A normalization layer as the analyzer resolved it (see LayerSummary in server/protocol.ts), plus where it is. */
export interface PreviewLayer {
  displayName: string;
  qualifiedName: string;
  /** One line, e.g. "GroupNorm(num_groups=32, num_channels=100)". */
  description: string;
  /** Resolved argument values by parameter name; unresolved ones are absent. */
  arguments: Record<string, number | boolean | number[] | null>;
  /** The file's base name, for the panel's heading. */
  documentName: string;
  /** 0-based line of the layer's call. */
  line: number;
  /** The batch size the analyzer found reaching the layer, which the panel starts with. */
  batchSize?: number;
}

/** Where the layer is, so the host can find it again after edits and after a reload. */
export interface LayerTarget {
  uri: string;
  line: number;
  character: number;
}

/** What the panel last drew, reported to the host after every complete render (for tests and the command's result). */
export interface RenderedPreview {
  description: string;
  method: PreviewControls['method'];
  mode: PreviewControls['mode'];
  shape: number[];
  groups: number;
  eps: number;
  /** `synthetic` or the .npy file's name. */
  input: string;
  /** The engine's message when the current method rejects this configuration. */
  error?: string;
  /** Time the worker spent computing every view. */
  computeMs: number;
  /** False when the worker could not start and the page computed in place (slower, and it stalls the page). */
  inWorker: boolean;
}

export type HostMessage =
  | { type: 'settings'; maxInputElements: number }
  | { type: 'layer'; layer: PreviewLayer; target: LayerTarget }
  /** The tracked line no longer holds a normalization layer (the user is editing it). */
  | { type: 'layerMissing'; line: number }
  | { type: 'npyInput'; name: string; uri: string; shape: number[]; data: Float32Array }
  | { type: 'inputError'; message: string };

export type PanelMessage =
  | { type: 'ready' }
  | { type: 'pickNpy' }
  | { type: 'useSynthetic' }
  | { type: 'rendered'; preview: RenderedPreview };

/** What the webview keeps with getState/setState; the host's WebviewPanelSerializer reads it after a reload. */
export interface PanelState {
  controls: PreviewControls;
  selection: Selection;
  layer?: PreviewLayer;
  target?: LayerTarget;
  /** The .npy file in use; the host reads it again when the panel is restored. */
  npy?: { name: string; uri: string };
}

const readName = readString(500);
const readUri = readString(4_000);
const readLine = readNumber({ integer: true, min: 0 });
const readAxisSize = readNumber({ integer: true, min: 1, max: maxAxisSize });

const readArgumentValue = readNullable(
  readEither<number | boolean, number[]>(readEither(readNumber(), readBoolean, 'a number or boolean'), readArray(readNumber(), 8), 'a number, boolean or list of numbers'),
);

const readLayer: Reader<PreviewLayer> = readObject<PreviewLayer>({
  displayName: readName,
  qualifiedName: readName,
  description: readString(2_000),
  arguments: readRecord(readArgumentValue, 32),
  documentName: readName,
  line: readLine,
  batchSize: readOptional(readAxisSize),
});

const readTarget: Reader<LayerTarget> = readObject<LayerTarget>({ uri: readUri, line: readLine, character: readLine });

const readControls: Reader<PreviewControls> = readObject<PreviewControls>({
  method: readLiteral(...normMethods),
  mode: readLiteral('train', 'eval'),
  batchSize: readAxisSize,
  channels: readAxisSize,
  height: readAxisSize,
  width: readAxisSize,
  groups: readAxisSize,
  eps: readNumber({ min: 0, max: 1 }),
  seed: readNumber({ integer: true, min: 0, max: 2 ** 32 - 1 }),
});

const readRendered: Reader<RenderedPreview> = readObject<RenderedPreview>({
  description: readString(2_000),
  method: readLiteral(...normMethods),
  mode: readLiteral('train', 'eval'),
  shape: readArray(readAxisSize, 4),
  groups: readAxisSize,
  eps: readNumber({ min: 0 }),
  input: readName,
  error: readOptional(readString(2_000)),
  computeMs: readNumber({ min: 0 }),
  inWorker: readBoolean,
});

const readHostMessage: Reader<HostMessage> = readTagged<HostMessage>({
  settings: readObject({ type: readLiteral('settings'), maxInputElements: readNumber({ integer: true, min: 1 }) }),
  layer: readObject({ type: readLiteral('layer'), layer: readLayer, target: readTarget }),
  layerMissing: readObject({ type: readLiteral('layerMissing'), line: readLine }),
  npyInput: readObject({
    type: readLiteral('npyInput'),
    name: readName,
    uri: readUri,
    shape: readArray(readNumber({ integer: true, min: 0 }), 8),
    data: readFloat32Array,
  }),
  inputError: readObject({ type: readLiteral('inputError'), message: readString(2_000) }),
});

const readPanelMessage: Reader<PanelMessage> = readTagged<PanelMessage>({
  ready: readObject({ type: readLiteral('ready') }),
  pickNpy: readObject({ type: readLiteral('pickNpy') }),
  useSynthetic: readObject({ type: readLiteral('useSynthetic') }),
  rendered: readObject({ type: readLiteral('rendered'), preview: readRendered }),
});

const readPanelState: Reader<PanelState> = readObject<PanelState>({
  controls: readControls,
  selection: readObject<Selection>({ sample: readLine, channel: readLine }),
  layer: readOptional(readLayer),
  target: readOptional(readTarget),
  npy: readOptional(readObject({ name: readName, uri: readUri })),
});

/** Reads `value` with `reader`; on a mismatch logs why with `log` and returns undefined. */
function parseOrDrop<T>(reader: Reader<T>, value: unknown, what: string, log: (message: string) => void): T | undefined {
  try {
    return reader(value, what);
  } catch (error) {
    if (!(error instanceof InvalidMessage)) throw error;
    log(`normlint preview: dropped a malformed ${what}: ${error.message}`);
    return undefined;
  }
}

export function parseHostMessage(value: unknown, log: (message: string) => void): HostMessage | undefined {
  return parseOrDrop(readHostMessage, value, 'message', log);
}

export function parsePanelMessage(value: unknown, log: (message: string) => void): PanelMessage | undefined {
  return parseOrDrop(readPanelMessage, value, 'message', log);
}

export function parsePanelState(value: unknown, log: (message: string) => void): PanelState | undefined {
  return parseOrDrop(readPanelState, value, 'state', log);
}
