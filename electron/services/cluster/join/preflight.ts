import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeNode } from '../../../../shared/cluster/kube-objects.js';
import type { PreflightCheck } from '../../../../shared/contract/cluster.js';
import {
  evaluatePreflight,
  factsScript,
  k3sArch,
  nodeNameFor,
  parseFacts,
  serverAddress,
  type ExistingNode,
  type GatewayFacts,
  type PreflightContext,
} from '../../../../shared/cluster/join/preflight.js';
import type { SshSession } from '../../ssh/session.js';
import { listNodes } from './kube.js';

export interface PreflightInput {
  server: string;
  nodeName?: string;
  withNodeId?: boolean;
}

export interface PreflightResult {
  checks: PreflightCheck[];
  facts: GatewayFacts;
  arch: 'amd64' | 'arm64' | 'arm' | null;
  hostname: string | null;
  nodeName: string;
}

const addresses = (n: KubeNode) => (n.status?.addresses ?? []).filter((a) => a.type === 'InternalIP' || a.type === 'ExternalIP').map((a) => a.address ?? '').filter(Boolean);

interface ClusterView {
  nodes: ExistingNode[] | { error: string };
  /** Server clock minus this machine's clock, seconds. */
  serverOffset?: number;
  clockError?: string;
}

async function clusterView(kubeConfig: () => Promise<KubeConfig>): Promise<ClusterView> {
  try {
    const sent = Date.now();
    const { nodes, date } = await listNodes(await kubeConfig());
    const received = Date.now();
    const serverMs = date ? Date.parse(date) : NaN;
    const existing = nodes.map((n) => ({ name: n.metadata?.name ?? '', addresses: addresses(n) }));
    // The Date header has whole seconds: it was stamped somewhere in [sent, received], and rounds down.
    if (Number.isNaN(serverMs)) return { nodes: existing, clockError: 'the API server sent no Date header' };
    return { nodes: existing, serverOffset: (serverMs + 500 - (sent + received) / 2) / 1000 };
  } catch (error) {
    const message = (error as Error).message;
    return { nodes: { error: message }, clockError: message };
  }
}

/** Reads the gateway's facts (one read-only script) and the cluster's nodes and clock, then judges them. */
export async function runPreflight(session: SshSession, kubeConfig: () => Promise<KubeConfig>, input: PreflightInput): Promise<PreflightResult> {
  const server = serverAddress(input.server);
  const [gateway, cluster] = await Promise.all([
    (async () => {
      const started = Date.now();
      const r = await session.execText(factsScript(server));
      return { facts: parseFactsOrThrow(r.stdout, r.stderr), started };
    })(),
    clusterView(kubeConfig),
  ]);
  const { facts, started } = gateway;
  const gatewayOffset = facts.now === undefined ? undefined : facts.now + 0.5 - started / 1000;
  const skew = gatewayOffset === undefined || cluster.serverOffset === undefined ? undefined : gatewayOffset - cluster.serverOffset;
  const nodeName = nodeNameFor(facts.hostname, input.nodeName);
  const context: PreflightContext = {
    server,
    nodeName,
    withNodeId: input.withNodeId ?? false,
    nodes: cluster.nodes,
    clockSkewSeconds: skew,
    ...(skew === undefined ? { clockError: facts.now === undefined ? 'the gateway clock could not be read' : cluster.clockError } : {}),
  };
  return { checks: evaluatePreflight(facts, context), facts, arch: k3sArch(facts.machine) ?? null, hostname: facts.hostname || null, nodeName };
}

function parseFactsOrThrow(stdout: string, stderr: string): GatewayFacts {
  if (!stdout.includes('machine=')) throw new Error(`the preflight script did not run on the gateway: ${stderr.trim().slice(0, 300) || 'no output'}`);
  return parseFacts(stdout);
}
