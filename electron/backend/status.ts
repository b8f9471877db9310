import type { AppStatus } from '../../shared/contract/app.js';
import type { ConnectionRegistry } from './connections.js';
import { diskUsage } from './disk-usage.js';
import { indexDirOf } from '../services/index/index-client.js';
import { telemetryDirOf } from '../services/telemetry/store.js';

const INDEX_FOLDERS = [indexDirOf, telemetryDirOf];
const POLL_MS = 5000;

/** Watches what the status bar shows: connection changes at once, the index size every few seconds. */
export function watchStatus(dataDir: string, connections: ConnectionRegistry, emit: (status: AppStatus) => void): () => void {
  let indexBytes: number | undefined;
  let stopped = false;

  const measure = async (): Promise<void> => {
    const sizes = await Promise.all(INDEX_FOLDERS.map((folderOf) => diskUsage(folderOf(dataDir))));
    const total = sizes.reduce((a, b) => a + b, 0);
    if (stopped || total === indexBytes) return;
    indexBytes = total;
    emit({ connections: connections.count, indexBytes });
  };
  const measureQuietly = (): void => void measure().catch(() => {});

  measureQuietly();
  const timer = setInterval(measureQuietly, POLL_MS);
  const unwatch = connections.watch((count) => {
    if (indexBytes !== undefined) emit({ connections: count, indexBytes });
  });
  return () => {
    stopped = true;
    clearInterval(timer);
    unwatch();
  };
}
