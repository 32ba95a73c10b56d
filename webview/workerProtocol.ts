/**
 * The messages between the panel's page and its compute worker. Both ends are this bundle's own
 * code, so the page checks only their tag and id (a stale or unknown reply is dropped); the
 * messages from the extension host are the ones validated in depth (see messages.ts).
 */
import type { MethodComparison, PreviewRequest, PreviewResult } from './model/computePreview';
import type { SyntheticSpec } from './model/sampleData';

export type SampleSource =
  | { kind: 'synthetic'; spec: SyntheticSpec }
  | { kind: 'tensor'; name: string; shape: number[]; data: Float32Array };

export type WorkerRequest =
  /** Replaces the sample data; the next compute builds it (a synthetic pool is generated then). */
  | { type: 'setSample'; source: SampleSource }
  | { type: 'compute'; id: number; request: PreviewRequest };

/** Each compute is answered by a `result` (the current method) and then a `comparison` (every method), or by a `failure`. */
export type WorkerResponse =
  | { type: 'result'; id: number; result: PreviewResult }
  | { type: 'comparison'; id: number; comparison: MethodComparison }
  | { type: 'failure'; id: number; message: string };

export function isWorkerResponse(value: unknown): value is WorkerResponse {
  if (typeof value !== 'object' || value === null) return false;
  const { type, id } = value as { type?: unknown; id?: unknown };
  return (type === 'result' || type === 'comparison' || type === 'failure') && typeof id === 'number';
}
