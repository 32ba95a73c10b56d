/**
 * The page's side of the compute worker. It keeps at most one computation in flight (until its
 * comparison or a failure arrives): meanwhile newer requests replace each other and only the
 * latest is sent next, so typing into a control never queues up stale work. The worker script is fetched and started from a blob, the one
 * way a VS Code webview may start a worker; if that fails, the same code runs in the page instead.
 */
import type { MethodComparison, PreviewRequest, PreviewResult } from './model/computePreview';
import { ComputeService } from './computeService';
import { isWorkerResponse, type SampleSource, type WorkerRequest, type WorkerResponse } from './workerProtocol';

export interface ComputeJob {
  /** Identifies the sample data: a new key sends `source` to the worker again. */
  sourceKey: string;
  source: SampleSource;
  request: PreviewRequest;
}

export type ComputeOutcome = { job: ComputeJob; result: PreviewResult } | { job: ComputeJob; comparison: MethodComparison } | { job: ComputeJob; failure: string };

interface Transport {
  post(message: WorkerRequest): void;
  inWorker: boolean;
}

export class ComputeClient {
  private nextId = 1;
  private inFlight?: { id: number; job: ComputeJob };
  private pending?: ComputeJob;
  private sentSourceKey?: string;

  private constructor(
    private readonly transport: Transport,
    private readonly onOutcome: (outcome: ComputeOutcome) => void,
  ) {}

  /** Starts the worker from `workerUri`, or computes in the page when there is none or it cannot start. */
  static async create(workerUri: string | undefined, onOutcome: (outcome: ComputeOutcome) => void, log: (message: string) => void): Promise<ComputeClient> {
    let client: ComputeClient | undefined;
    const receive = (data: unknown): void => client?.receive(data);
    const fail = (message: string): void => client?.failInFlight(message);
    const transport = (workerUri && (await startWorker(workerUri, receive, fail, log))) || inPageTransport(receive);
    client = new ComputeClient(transport, onOutcome);
    return client;
  }

  /** Whether a worker computes (true) or the page itself, after the worker failed to start. */
  get inWorker(): boolean {
    return this.transport.inWorker;
  }

  submit(job: ComputeJob): void {
    if (this.inFlight) {
      this.pending = job;
      return;
    }
    this.send(job);
  }

  private send(job: ComputeJob): void {
    if (job.sourceKey !== this.sentSourceKey) {
      this.transport.post({ type: 'setSample', source: job.source });
      this.sentSourceKey = job.sourceKey;
    }
    const id = this.nextId++;
    this.inFlight = { id, job };
    this.transport.post({ type: 'compute', id, request: job.request });
  }

  private receive(data: unknown): void {
    if (!isWorkerResponse(data) || data.id !== this.inFlight?.id) return;
    const { job } = this.inFlight;
    if (data.type !== 'result') {
      // The comparison (or a failure) ends the job; the next request goes out before this one is
      // drawn, so the worker computes while the page renders.
      this.inFlight = undefined;
      const pending = this.pending;
      this.pending = undefined;
      if (pending) this.send(pending);
    }
    this.onOutcome(responseOutcome(data, job));
  }

  /** A worker that died mid-computation fails the job in flight instead of leaving the panel waiting. */
  private failInFlight(message: string): void {
    if (this.inFlight) this.receive({ type: 'failure', id: this.inFlight.id, message });
  }
}

function responseOutcome(response: WorkerResponse, job: ComputeJob): ComputeOutcome {
  switch (response.type) {
    case 'result':
      return { job, result: response.result };
    case 'comparison':
      return { job, comparison: response.comparison };
    case 'failure':
      return { job, failure: response.message };
  }
}

async function startWorker(
  workerUri: string,
  receive: (data: unknown) => void,
  fail: (message: string) => void,
  log: (message: string) => void,
): Promise<Transport | undefined> {
  try {
    const response = await fetch(workerUri);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const blobUrl = URL.createObjectURL(new Blob([await response.text()], { type: 'text/javascript' }));
    const worker = new Worker(blobUrl);
    worker.onmessage = (event) => receive(event.data);
    worker.onerror = (event) => {
      log(`normlint preview: the compute worker failed: ${event.message}`);
      fail(`the compute worker failed: ${event.message}`);
    };
    return { post: (message) => worker.postMessage(message), inWorker: true };
  } catch (error) {
    log(`normlint preview: could not start the compute worker (${error instanceof Error ? error.message : String(error)}); computing in the page instead`);
    return undefined;
  }
}

/** The fallback: the worker's code on the page's thread, answering asynchronously like a worker would. */
function inPageTransport(receive: (data: unknown) => void): Transport {
  const service = new ComputeService();
  return {
    inWorker: false,
    post(message) {
      setTimeout(() => service.handle(message, receive), 0);
    },
  };
}
