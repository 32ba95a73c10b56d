/**
 * Entry of the panel's compute worker (bundled to dist/webviewWorker.js): runs the engine and the
 * statistics off the page's thread, so the panel stays responsive while a large tensor is computed.
 */
import { ComputeService } from './computeService';
import type { WorkerRequest } from './workerProtocol';

const service = new ComputeService();

self.onmessage = (event: MessageEvent<WorkerRequest>) => service.handle(event.data, (response) => self.postMessage(response));
