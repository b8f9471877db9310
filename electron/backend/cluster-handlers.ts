import type { KubeConfig } from '@kubernetes/client-node';
import { FieldkitError } from '../../shared/contract/errors.js';
import type { LogSink } from '../../shared/logs/record.js';
import type { Handlers } from './handlers.js';
import type { SshBackend } from './ssh-handlers.js';

type ClusterInspectName = Exclude<Extract<keyof Handlers, `cluster.${string}`>, `cluster.join${string}` | 'cluster.leave' | `cluster.bundles${string}`>;
export type ClusterHandlers = Pick<Handlers, ClusterInspectName>;

export interface ClusterHandlerOptions {
  dataDir: string;
  sink: LogSink;
  ssh: Pick<SshBackend, 'managed' | 'session'>;
}

const notYet = (): never => {
  throw new FieldkitError('unavailable', 'Not built yet.');
};

export interface ClusterBackend {
  handlers: ClusterHandlers;
  /** The client configuration of a known context (tunnel opened when it goes through SSH), for the join's Ready wait. */
  kubeConfigOf(contextId: string): Promise<KubeConfig>;
  close(): Promise<void>;
}

export function createClusterHandlers(_opts: ClusterHandlerOptions): ClusterBackend {
  const handlers: ClusterHandlers = {
    'cluster.contexts': notYet,
    'cluster.contexts.addFile': notYet,
    'cluster.contexts.addFromServer': notYet,
    'cluster.contexts.remove': notYet,
    'cluster.watch': notYet,
    'cluster.yaml': notYet,
    'cluster.logs': notYet,
    'cluster.pods.delete': notYet,
    'cluster.rolloutRestart': notYet,
    'cluster.exec': notYet,
    'cluster.execWrite': notYet,
    'cluster.execResize': notYet,
    'cluster.portForward': notYet,
  };
  return { handlers, kubeConfigOf: async () => notYet(), close: async () => {} };
}
