import { parseArgs } from 'node:util';
import type { KubeConfig } from '@kubernetes/client-node';
import { viewOf, type ResourceKind, type ResourceView } from '../../../shared/cluster/cluster-state.js';
import type { KubeEvent, KubeNode, KubePod } from '../../../shared/cluster/kube-objects.js';
import { eventsTable, nodesTable, podsTable, type TableOptions } from '../../../shared/cluster/kubectl-table.js';
import type { LogSink } from '../../../shared/logs/record.js';
import { IndexClient, indexDirOf } from '../../services/index/index-client.js';
import { clusterError } from '../../services/cluster/api-errors.js';
import { ContextCatalog, clusterPaths, defaultKubeconfigFiles, kubeConfigFor, loadKubeconfigFile } from '../../services/cluster/contexts.js';
import { KubeHttp } from '../../services/cluster/kube-http.js';
import { LogMarks } from '../../services/cluster/log-marks.js';
import { streamPodLogs } from '../../services/cluster/pod-logs.js';
import { listAll } from '../../services/cluster/resource-watch.js';
import { UsageError, type CliContext, type Command } from '../command.js';

const TARGET_OPTIONS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
} as const;
const TARGET_USAGE = '[--kubeconfig FILE] [--context NAME]';

export interface Target {
  kc: KubeConfig;
  /** The context's name, which labels log lines of pods not on a node. */
  name: string;
  /** The namespace meant: -n, else the context's, else `default` (as kubectl). */
  namespace: string;
}

/** `--kubeconfig` alone, else $KUBECONFIG / ~/.kube/config plus the contexts added in FieldKit; `--context` picks one. */
/** The cluster a command means: --kubeconfig [--context], else --context or the current one of every context FieldKit knows. */
export async function target(ctx: CliContext, values: { kubeconfig?: string; context?: string; namespace?: string }): Promise<Target> {
  const pick = (kc: KubeConfig, name: string): Target => ({ kc, name, namespace: values.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default' });
  if (values.kubeconfig) {
    const contextName = values.context ?? loadKubeconfigFile(values.kubeconfig).getCurrentContext();
    if (!contextName) throw new UsageError(`${values.kubeconfig} names no current context: pass --context NAME.`);
    return pick(kubeConfigFor(values.kubeconfig, contextName), contextName);
  }
  const contexts = await new ContextCatalog(ctx.dataDir, () => defaultKubeconfigFiles()).list();
  const chosen = values.context ? contexts.find((c) => [c.contextId, c.name, c.contextName].includes(values.context!)) : contexts.find((c) => c.current);
  if (!chosen) {
    const known = contexts.map((c) => c.name).join(', ');
    throw new UsageError(values.context ? `no context "${values.context}"${known ? ` (known: ${known})` : ''}.` : 'no kubeconfig: pass --kubeconfig FILE, set KUBECONFIG, or add one in FieldKit.');
  }
  return pick(kubeConfigFor(chosen.file, chosen.contextName), chosen.name);
}

const PATHS: Record<ResourceKind, (namespace?: string) => string> = {
  node: () => '/api/v1/nodes',
  pod: (ns) => (ns ? `/api/v1/namespaces/${encodeURIComponent(ns)}/pods` : '/api/v1/pods'),
  event: (ns) => (ns ? `/api/v1/namespaces/${encodeURIComponent(ns)}/events` : '/api/v1/events'),
};

const TABLES: { [K in ResourceKind]: (views: ResourceView<K>[], options: TableOptions) => string } = { node: nodesTable, pod: podsTable, event: eventsTable };

async function list<K extends ResourceKind>(client: KubeHttp, kind: K, namespace?: string): Promise<ResourceView<K>[]> {
  try {
    const { items } = await listAll(client, PATHS[kind](namespace), 500);
    return items.map((item) => viewOf(kind, item as KubeNode & KubePod & KubeEvent));
  } catch (error) {
    throw clusterError(error, client.server);
  }
}

function listCommand<K extends ResourceKind>(kind: K, word: string, summary: string): Command {
  const namespaced = kind !== 'node';
  return {
    name: `cluster ${word}`,
    summary,
    usage: `fieldkit cluster ${word} ${TARGET_USAGE}${namespaced ? ' [-n NAMESPACE | -A]' : ''} [-o wide] [--json]`,
    async run(ctx) {
      const { values, positionals } = parseArgs({
        args: ctx.argv,
        allowPositionals: true,
        options: { ...TARGET_OPTIONS, 'all-namespaces': { type: 'boolean', short: 'A', default: false }, output: { type: 'string', short: 'o' }, json: { type: 'boolean', default: false } },
      });
      if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}".`);
      if (values.output !== undefined && values.output !== 'wide') throw new UsageError(`-o takes only "wide" (or use --json), not "${values.output}".`);
      if (!namespaced && (values.namespace || values['all-namespaces'])) throw new UsageError('nodes belong to no namespace: drop -n/-A.');
      if (values.namespace && values['all-namespaces']) throw new UsageError('give -n NAMESPACE or -A, not both.');
      const { kc, namespace } = await target(ctx, values);
      const allNamespaces = values['all-namespaces'];
      const views = await list(new KubeHttp(kc), kind, namespaced && !allNamespaces ? namespace : undefined);
      if (values.json) {
        ctx.stdout.write(`${JSON.stringify(views, null, 2)}\n`);
        return 0;
      }
      if (views.length === 0) {
        ctx.stderr.write(namespaced && !allNamespaces ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n');
        return 0;
      }
      const options = { nowMs: Date.now(), allNamespaces, wide: values.output === 'wide' };
      ctx.stdout.write((TABLES[kind] as (views: ResourceView<K>[], options: TableOptions) => string)(views, options));
      return 0;
    },
  };
}

/** The log index of this data dir, when it can be opened (the app may hold it); else the lines are only printed. */
async function openIndex(ctx: CliContext): Promise<IndexClient | undefined> {
  try {
    return await IndexClient.open(indexDirOf(ctx.dataDir));
  } catch (error) {
    ctx.stderr.write(`fieldkit cluster logs: not indexing the lines (${(error as Error).message})\n`);
    return undefined;
  }
}

const logsCommand: Command = {
  name: 'cluster logs',
  summary: "Print a container's log (and put its lines into the log index).",
  usage: `fieldkit cluster logs POD ${TARGET_USAGE} [-n NAMESPACE] [-c CONTAINER] [-f] [-p|--previous] [--timestamps] [--tail N]`,
  async run(ctx) {
    const { values, positionals } = parseArgs({
      args: ctx.argv,
      allowPositionals: true,
      options: {
        ...TARGET_OPTIONS,
        container: { type: 'string', short: 'c' },
        follow: { type: 'boolean', short: 'f', default: false },
        previous: { type: 'boolean', short: 'p', default: false },
        timestamps: { type: 'boolean', default: false },
        tail: { type: 'string' },
      },
    });
    if (positionals.length !== 1) throw new UsageError('name one pod.');
    const tailLines = values.tail === undefined ? undefined : Number(values.tail);
    if (tailLines !== undefined && !(Number.isInteger(tailLines) && tailLines > 0)) throw new UsageError(`--tail must be a positive whole number, not "${values.tail}".`);
    const { kc, name, namespace } = await target(ctx, values);
    const index = await openIndex(ctx);
    const marks = new LogMarks(clusterPaths(ctx.dataDir).logMarks);
    const sink: LogSink = { append: async (records) => index?.append(records) };
    try {
      const { indexed } = await streamPodLogs(
        { namespace, pod: positionals[0], container: values.container, follow: values.follow, previous: values.previous, timestamps: values.timestamps, tailLines },
        {
          client: new KubeHttp(kc),
          sink,
          marks,
          clusterName: name,
          signal: ctx.signal,
          onLines: (lines) => ctx.stdout.write(lines.map((l) => (l.ts ? `${l.ts} ${l.text}\n` : `${l.text}\n`)).join('')),
        },
      );
      if (index && indexed > 0) ctx.stderr.write(`${indexed} new lines indexed\n`);
    } finally {
      await marks.close();
      await index?.close();
    }
    return 0;
  },
};

export const clusterCommands: Command[] = [
  listCommand('node', 'nodes', 'List the nodes of a cluster like kubectl get nodes.'),
  listCommand('pod', 'pods', 'List pods like kubectl get pods (status, ready, restarts as kubectl shows them).'),
  listCommand('event', 'events', 'List events like kubectl get events, oldest first.'),
  logsCommand,
];
