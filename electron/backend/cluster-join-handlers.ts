import type { KubeConfig } from '@kubernetes/client-node';
import { FieldkitError } from '../../shared/contract/errors.js';
import type { LogSink } from '../../shared/logs/record.js';
import type { Handlers } from './handlers.js';
import type { SshBackend } from './ssh-handlers.js';

type JoinName = Extract<keyof Handlers, `cluster.join${string}` | 'cluster.leave' | `cluster.bundles${string}`>;
export type ClusterJoinHandlers = Pick<Handlers, JoinName>;

export interface ClusterJoinHandlerOptions {
  dataDir: string;
  sink: LogSink;
  ssh: Pick<SshBackend, 'managed' | 'session'>;
  kubeConfigOf(contextId: string): Promise<KubeConfig>;
}

const notYet = (): never => {
  throw new FieldkitError('unavailable', 'Not built yet.');
};

export function createClusterJoinHandlers(_opts: ClusterJoinHandlerOptions): { handlers: ClusterJoinHandlers; close(): Promise<void> } {
  const handlers: ClusterJoinHandlers = {
    'cluster.bundles': notYet,
    'cluster.bundles.import': notYet,
    'cluster.join.preflight': notYet,
    'cluster.join': notYet,
    'cluster.join.recoverNodePassword': notYet,
    'cluster.leave': notYet,
  };
  return { handlers, close: async () => {} };
}
