/**
 * What the compute worker does with each message: keeps the current sample data and its
 * PreviewSession, and answers compute requests in two replies. The worker entry (worker.ts) wraps this in
 * `onmessage`; the page falls back to running it in place if a worker cannot be started.
 */
import { PreviewSession } from './model/computePreview';
import { syntheticSample, tensorSample } from './model/sampleData';
import type { SampleSource, WorkerRequest, WorkerResponse } from './workerProtocol';

export class ComputeService {
  private source?: SampleSource;
  private session?: PreviewSession | string;

  /** Handles one request; a compute replies twice, so the page can draw the current method before the comparison is ready. */
  handle(message: WorkerRequest, reply: (response: WorkerResponse) => void): void {
    if (message.type === 'setSample') {
      this.source = message.source;
      this.session = undefined;
      return;
    }
    const { id, request } = message;
    try {
      const session = this.currentSession();
      if (typeof session === 'string') {
        reply({ type: 'failure', id, message: session });
        return;
      }
      reply({ type: 'result', id, result: session.compute(request) });
      reply({ type: 'comparison', id, comparison: session.compareMethods(request) });
    } catch (error) {
      reply({ type: 'failure', id, message: error instanceof Error ? error.message : String(error) });
    }
  }

  private currentSession(): PreviewSession | string {
    if (this.session === undefined) {
      const source = this.source;
      if (!source) return 'no sample data yet';
      const sample = source.kind === 'synthetic' ? syntheticSample(source.spec) : tensorSample(source.name, source.shape, source.data);
      this.session = typeof sample === 'string' ? sample : new PreviewSession(sample);
    }
    return this.session;
  }
}
