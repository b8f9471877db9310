import { randomUUID } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { FieldkitError } from '../../shared/contract/errors.js';
import type { LogSink } from '../../shared/logs/record.js';
import { ClusterService } from '../services/cluster/cluster-service.js';
import { ExecSession } from '../services/cluster/exec-session.js';
import { KubeHttp } from '../services/cluster/kube-http.js';
import { deletePod, objectYaml, rolloutRestart } from '../services/cluster/object-actions.js';
import { streamPodLogs } from '../services/cluster/pod-logs.js';
import { resolvePodTarget } from '../services/cluster/pod-target.js';
import { forwardPodPort, type PodPortForward } from '../services/cluster/port-forward.js';
import type { ConnectionRegistry } from './connections.js';
import type { Handlers } from './handlers.js';
import type { SshBackend } from './ssh-handlers.js';

type ClusterInspectName = Exclude<Extract<keyof Handlers, `cluster.${string}`>, `cluster.join${string}` | 'cluster.leave' | `cluster.bundles${string}`>;
export type ClusterHandlers = Pick<Handlers, ClusterInspectName>;

export interface ClusterHandlerOptions {
  dataDir: string;
  sink: LogSink;
  ssh: Pick<SshBackend, 'managed' | 'session'>;
  /** Open shells and port-forwards count as device connections in the status bar. */
  connections?: Pick<ConnectionRegistry, 'register'>;
  /** The user's kubeconfig files; default $KUBECONFIG's list or ~/.kube/config. */
  kubeconfigFiles?: () => string[];
  /** Where a K3s server keeps its kubeconfig; default /etc/rancher/k3s/k3s.yaml. */
  k3sKubeconfigPath?: string;
}

export interface ClusterBackend {
  handlers: ClusterHandlers;
  /** The client configuration of a known context (tunnel opened when it goes through SSH), for the join's Ready wait. */
  kubeConfigOf(contextId: string): Promise<KubeConfig>;
  close(): Promise<void>;
}

const told = (error: unknown, server = 'the cluster'): FieldkitError =>
  error instanceof FieldkitError ? error : new FieldkitError('failed', `${server}: ${error instanceof Error ? error.message : String(error)}`);

/** Runs a stream's work; its failure ends the stream with a told error. */
const streamWork = (work: Promise<void>, end: (error?: unknown) => void) => void work.then(() => end(), (error: unknown) => end(told(error)));

export function createClusterHandlers(opts: ClusterHandlerOptions): ClusterBackend {
  const service = new ClusterService(opts);
  const execs = new Map<string, ExecSession>();
  const forwards = new Set<PodPortForward>();

  const execSession = (execId: string): ExecSession => {
    const session = execs.get(execId);
    if (!session) throw new FieldkitError('not_found', 'That shell is closed.', 'Open a new shell.');
    return session;
  };

  const handlers: ClusterHandlers = {
    'cluster.contexts': async () => ({ contexts: await service.contexts() }),
    'cluster.contexts.addFile': async ({ path }) => ({ contexts: await Promise.all((await service.catalog.addFile(path)).map((r) => service.view(r))) }),
    'cluster.contexts.addFromServer': ({ connectionId, remotePort, name }) => service.addFromServer(connectionId, remotePort, name),
    'cluster.contexts.remove': async ({ contextId }) => {
      await service.remove(contextId);
      return {};
    },
    'cluster.watch': ({ contextId, namespace }, emit, ctx) => {
      let unsubscribe: (() => void) | undefined;
      let stopped = false;
      service.watch(contextId, namespace, emit, ctx.end).then(
        (stop) => (stopped ? stop() : (unsubscribe = stop)),
        (error: unknown) => ctx.end(told(error)),
      );
      return () => {
        stopped = true;
        unsubscribe?.();
      };
    },
    'cluster.yaml': async ({ contextId, kind, namespace, name }) => ({ yaml: await objectYaml(await service.client(contextId), { kind, namespace, name }) }),
    'cluster.logs': (input, emit, ctx) => {
      const abort = new AbortController();
      streamWork(
        (async () => {
          const record = await service.catalog.get(input.contextId);
          const { indexed } = await streamPodLogs(input, {
            client: await service.client(input.contextId),
            sink: service.sink,
            marks: service.marks,
            clusterName: record.name,
            onLines: (lines) => emit({ type: 'lines', lines }),
            signal: abort.signal,
          });
          if (!abort.signal.aborted) emit({ type: 'end', indexed });
        })(),
        ctx.end,
      );
      return () => abort.abort();
    },
    'cluster.pods.delete': async ({ contextId, namespace, pod }) => {
      await deletePod(await service.client(contextId), namespace, pod);
      return {};
    },
    'cluster.rolloutRestart': async ({ contextId, kind, namespace, name }) => {
      await rolloutRestart(await service.client(contextId), { kind, namespace, name });
      return {};
    },
    'cluster.exec': (input, emit, ctx) => {
      const execId = randomUUID();
      let stopped = false;
      streamWork(
        (async () => {
          const kc = await service.kubeConfigOf(input.contextId);
          const { container } = await resolvePodTarget(new KubeHttp(kc), input.namespace, input.pod, input.container);
          const session = await ExecSession.open(kc, { namespace: input.namespace, pod: input.pod, container, command: input.command, cols: input.cols, rows: input.rows });
          if (stopped) return session.close();
          execs.set(execId, session);
          const unregister = opts.connections?.register(`exec ${input.namespace}/${input.pod}`);
          session.once('exit', () => unregister?.());
          session.on('data', (data) => emit({ type: 'data', data: data.toString('base64') }));
          emit({ type: 'opened', execId });
          const exit = await new Promise<{ code: number | null; message?: string }>((resolve) => session.once('exit', resolve));
          execs.delete(execId);
          if (!stopped) emit({ type: 'exit', code: exit.code, ...(exit.message && { message: exit.message }) });
        })(),
        ctx.end,
      );
      return () => {
        stopped = true;
        execs.get(execId)?.close();
        execs.delete(execId);
      };
    },
    'cluster.execWrite': ({ execId, data }) => {
      execSession(execId).write(Buffer.from(data, 'base64'));
      return {};
    },
    'cluster.execResize': ({ execId, cols, rows }) => {
      execSession(execId).resize(cols, rows);
      return {};
    },
    'cluster.portForward': (input, emit, ctx) => {
      let stop!: () => void;
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      streamWork(
        (async () => {
          const kc = await service.kubeConfigOf(input.contextId);
          await resolvePodTarget(new KubeHttp(kc), input.namespace, input.pod);
          const forward = await forwardPodPort(kc, { ...input, onConnections: (count) => emit({ type: 'connection', open: count }) });
          forwards.add(forward);
          const unregister = opts.connections?.register(`port-forward ${input.namespace}/${input.pod}:${input.remotePort}`);
          emit({ type: 'listening', localPort: forward.localPort });
          await stopped;
          unregister?.();
          forwards.delete(forward);
          await forward.close();
        })(),
        ctx.end,
      );
      return stop;
    },
  };

  return {
    handlers,
    kubeConfigOf: (contextId) => service.kubeConfigOf(contextId),
    async close() {
      for (const session of execs.values()) session.close();
      execs.clear();
      await Promise.all([...forwards].map((forward) => forward.close()));
      await service.close();
    },
  };
}
