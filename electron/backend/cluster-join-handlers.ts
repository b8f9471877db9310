import type { KubeConfig } from '@kubernetes/client-node';
import type { AirgapBundle } from '../../shared/contract/cluster.js';
import { FieldkitError } from '../../shared/contract/errors.js';
import type { LogSink } from '../../shared/logs/record.js';
import type { CachedBundle } from '../services/cluster/join/bundles.js';
import { JoinError } from '../services/cluster/join/join.js';
import { ClusterJoinService } from '../services/cluster/join/service.js';
import { CaMismatchError } from '../services/cluster/join/token.js';
import type { Handlers } from './handlers.js';
import type { SshBackend } from './ssh-handlers.js';

type JoinName = Extract<keyof Handlers, `cluster.join${string}` | 'cluster.leave' | `cluster.bundles${string}`>;
export type ClusterJoinHandlers = Pick<Handlers, JoinName>;

export interface ClusterJoinHandlerOptions {
  dataDir: string;
  sink: LogSink;
  ssh: Pick<SshBackend, 'managed' | 'session'>;
  kubeConfigOf(contextId: string): Promise<KubeConfig>;
  /** How long a join waits for the node to turn Ready; default 5 minutes. */
  readyTimeoutMs?: number;
}

/** What the technician reads: the service's message and, where there is one, the next step. */
function told(error: unknown): FieldkitError {
  if (error instanceof FieldkitError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof JoinError) return new FieldkitError(message === 'The join was cancelled.' ? 'cancelled' : 'failed', message, error.hint);
  if (error instanceof CaMismatchError) return new FieldkitError('conflict', message, error.hint);
  return new FieldkitError('failed', message);
}

const view = ({ dir: _dir, ...bundle }: CachedBundle): AirgapBundle => bundle;

export function createClusterJoinHandlers(opts: ClusterJoinHandlerOptions): { handlers: ClusterJoinHandlers; close(): Promise<void> } {
  const service = new ClusterJoinService({
    dataDir: opts.dataDir,
    sink: opts.sink,
    sessionOf: (id) => opts.ssh.session(id),
    kubeConfigOf: opts.kubeConfigOf,
    ...(opts.readyTimeoutMs !== undefined ? { readyTimeoutMs: opts.readyTimeoutMs } : {}),
  });
  const running = new Set<AbortController>();

  /** Runs a stream's work until it ends or is cancelled; a failure ends the stream with a told error. */
  function streamed(work: (signal: AbortSignal) => Promise<void>, end: (error?: unknown) => void): () => void {
    const cancel = new AbortController();
    running.add(cancel);
    void work(cancel.signal).then(
      () => end(),
      (error) => end(told(error)),
    ).finally(() => running.delete(cancel));
    return () => cancel.abort();
  }

  const handlers: ClusterJoinHandlers = {
    'cluster.bundles': async () => ({ bundles: (await service.listBundles()).map(view) }),
    'cluster.bundles.import': (input, emit, ctx) =>
      streamed(async (signal) => {
        const bundles = await service.importBundles(input.dir, (p) => emit({ type: 'progress', ...p }), signal).catch((e: unknown) => {
          throw signal.aborted ? new FieldkitError('cancelled', 'The import was cancelled.') : new FieldkitError('bad_request', (e as Error).message, 'Pick the folder with the K3s release files and its sha256sum-<arch>.txt.');
        });
        for (const bundle of bundles) emit({ type: 'done', bundle: view(bundle) });
      }, ctx.end),
    'cluster.join.preflight': async (input) => {
      try {
        const r = await service.preflight(input.gatewayConnectionId, input.contextId, { server: input.server, ...(input.nodeName ? { nodeName: input.nodeName } : {}) });
        return { checks: r.checks, arch: r.arch, hostname: r.hostname };
      } catch (error) {
        throw told(error);
      }
    },
    'cluster.join': (input, emit, ctx) => streamed(async (signal) => void (await service.join(input, emit, signal)), ctx.end),
    'cluster.join.recoverNodePassword': async (input) => {
      try {
        await service.recoverNodePassword(input.contextId, input.nodeName);
        return {};
      } catch (error) {
        throw told(error);
      }
    },
    'cluster.leave': (input, emit, ctx) => streamed((signal) => service.leave(input, emit, signal), ctx.end),
  };
  return {
    handlers,
    close: async () => {
      for (const c of running) c.abort();
    },
  };
}
