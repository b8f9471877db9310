/** Worker-thread host of sealing (see seal-thread.ts). */
import { parentPort } from 'node:worker_threads';
import { sealBatches } from './seal.js';
import type { SealReply, SealRequest } from './seal-thread.js';

const port = parentPort;
if (!port) throw new Error('seal-worker must run in a worker thread');
port.on('message', (request: SealRequest) => {
  sealBatches(request.path, request.header, request.payloads, request.blockRows).then(
    () => port.postMessage({ id: request.id } satisfies SealReply),
    (error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies SealReply),
  );
});
