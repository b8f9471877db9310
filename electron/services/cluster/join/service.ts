import type { KubeConfig } from '@kubernetes/client-node';
import type { JoinEvent, JoinPlan, LEAVE_STEPS } from '../../../../shared/contract/cluster.js';
import type { LogSink } from '../../../../shared/logs/record.js';
import type { SshSession } from '../../ssh/session.js';
import { BundleStore, type CachedBundle, type ImportProgress } from './bundles.js';
import { deleteNodeAndPassword, drainNode } from './cluster-ops.js';
import { runJoin } from './join.js';
import { runPreflight, type PreflightInput, type PreflightResult } from './preflight.js';
import { RemoteShell } from './remote.js';

export const AGENT_UNINSTALL_SCRIPT = '/usr/local/bin/k3s-agent-uninstall.sh';

export interface JoinServiceOptions {
  dataDir: string;
  sink: LogSink;
  sessionOf(connectionId: string): Promise<SshSession>;
  kubeConfigOf(contextId: string): Promise<KubeConfig>;
  /** Default 5 minutes. */
  readyTimeoutMs?: number;
  /** How long a drain waits for evicted pods to go; default 2 minutes. */
  drainTimeoutMs?: number;
}

export type LeaveEvent =
  | { type: 'step'; step: (typeof LEAVE_STEPS)[number]; state: 'running' | 'done' | 'failed' | 'skipped'; detail?: string }
  | { type: 'done' };

/** Everything the join side of the Cluster section does; no Electron, no contract plumbing. */
export class ClusterJoinService {
  readonly bundles: BundleStore;

  constructor(private readonly opts: JoinServiceOptions) {
    this.bundles = new BundleStore(opts.dataDir);
  }

  listBundles(): Promise<CachedBundle[]> {
    return this.bundles.list();
  }

  importBundles(dir: string, onProgress: (p: ImportProgress) => void, signal?: AbortSignal): Promise<CachedBundle[]> {
    return this.bundles.import(dir, { onProgress, ...(signal ? { signal } : {}) });
  }

  async preflight(gatewayConnectionId: string, contextId: string, input: PreflightInput): Promise<PreflightResult> {
    return runPreflight(await this.opts.sessionOf(gatewayConnectionId), () => this.opts.kubeConfigOf(contextId), input);
  }

  join(plan: JoinPlan, emit: (e: JoinEvent) => void, signal: AbortSignal): Promise<string> {
    return runJoin(
      plan,
      { sessionOf: this.opts.sessionOf, kubeConfigOf: this.opts.kubeConfigOf, sink: this.opts.sink, bundles: this.bundles, readyTimeoutMs: this.opts.readyTimeoutMs ?? 300_000 },
      emit,
      signal,
    );
  }

  /** After "Node password rejected": the old node and its password secret go, so the gateway can register again. */
  async recoverNodePassword(contextId: string, nodeName: string): Promise<{ node: boolean; secret: boolean }> {
    return deleteNodeAndPassword(await this.opts.kubeConfigOf(contextId), nodeName);
  }

  /** Drain, delete the node (and its password secret), run the agent uninstall script. */
  async leave(input: { gatewayConnectionId: string; contextId: string; nodeName: string }, emit: (e: LeaveEvent) => void, signal: AbortSignal): Promise<void> {
    let current: (typeof LEAVE_STEPS)[number] = 'drain';
    try {
      const kc = await this.opts.kubeConfigOf(input.contextId);
      emit({ type: 'step', step: 'drain', state: 'running' });
      const moved = await drainNode(kc, input.nodeName, { timeoutMs: this.opts.drainTimeoutMs ?? 120_000, signal });
      emit(
        moved === undefined
          ? { type: 'step', step: 'drain', state: 'skipped', detail: `${input.nodeName} is not in the cluster` }
          : { type: 'step', step: 'drain', state: 'done', detail: `cordoned, ${moved} pod(s) evicted` },
      );

      current = 'delete';
      emit({ type: 'step', step: 'delete', state: 'running' });
      const deleted = await deleteNodeAndPassword(kc, input.nodeName);
      emit(
        deleted.node
          ? { type: 'step', step: 'delete', state: 'done', detail: `node ${input.nodeName} deleted` }
          : { type: 'step', step: 'delete', state: 'skipped', detail: `${input.nodeName} is not in the cluster` },
      );

      current = 'uninstall';
      emit({ type: 'step', step: 'uninstall', state: 'running' });
      const shell = await RemoteShell.open(await this.opts.sessionOf(input.gatewayConnectionId));
      const ran = await shell.run(`if [ -x ${AGENT_UNINSTALL_SCRIPT} ]; then ${AGENT_UNINSTALL_SCRIPT} >&2 && echo ran; else echo absent; fi`, AGENT_UNINSTALL_SCRIPT, { signal });
      emit(
        ran.trim() === 'ran'
          ? { type: 'step', step: 'uninstall', state: 'done', detail: `${AGENT_UNINSTALL_SCRIPT} removed K3s from the gateway` }
          : { type: 'step', step: 'uninstall', state: 'skipped', detail: `no ${AGENT_UNINSTALL_SCRIPT} on the gateway` },
      );
      emit({ type: 'done' });
    } catch (error) {
      const message = signal.aborted ? 'cancelled' : (error as Error).message;
      emit({ type: 'step', step: current, state: 'failed', detail: message });
      throw error;
    }
  }
}
