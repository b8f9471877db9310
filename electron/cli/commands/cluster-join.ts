import { parseArgs } from 'node:util';
import { joinPlanSchema, type JoinEvent, type JoinPlan } from '../../../shared/contract/cluster.js';
import { parseDestination } from '../../../shared/ssh/destination.js';
import { ClusterJoinService } from '../../services/cluster/join/service.js';
import { IndexClient, indexDirOf } from '../../services/index/index-client.js';
import type { SshSession } from '../../services/ssh/session.js';
import { UsageError, type CliContext, type Command } from '../command.js';
import { target } from './cluster.js';
import { asUsage, connect, CONNECTION_OPTIONS, CONNECTION_USAGE, type ConnectionValues } from './ssh.js';

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  ssh: { type: 'string' },
  server: { type: 'string' },
  token: { type: 'string' },
  'token-from': { type: 'string' },
  'token-ttl': { type: 'string' },
  bundle: { type: 'string' },
  online: { type: 'boolean' },
  label: { type: 'string', multiple: true },
  taint: { type: 'string', multiple: true },
  'node-name': { type: 'string' },
  'with-node-id': { type: 'boolean' },
  'node-ip': { type: 'string' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
} as const;

export const TOKEN_ENV = 'FIELDKIT_K3S_TOKEN';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

function printer(ctx: CliContext) {
  const tty = (ctx.stderr as NodeJS.WriteStream).isTTY === true;
  const mark = { running: '…', done: '✓', failed: '✗', skipped: '-' } as const;
  return (e: JoinEvent) => {
    if (e.type === 'step') ctx.stdout.write(`${mark[e.state]} ${e.step}${e.detail ? `: ${e.detail}` : ''}\n`);
    else if (e.type === 'preflight') {
      for (const c of e.checks) ctx.stdout.write(`    ${c.status.padEnd(4)} ${c.label}: ${c.detail}${c.fix && c.status !== 'ok' ? `\n         fix: ${c.fix}` : ''}\n`);
    } else if (e.type === 'progress' && tty) {
      const eta = e.etaSeconds === null ? '' : `, ETA ${Math.ceil(e.etaSeconds)} s`;
      ctx.stderr.write(`\r    ${((100 * e.bytesDone) / Math.max(e.bytesTotal, 1)).toFixed(0)}% of ${(e.bytesTotal / 1e6).toFixed(1)} MB, ${(e.bytesPerSecond / 1e6).toFixed(1)} MB/s${eta}`.padEnd(60));
      if (e.bytesDone === e.bytesTotal) ctx.stderr.write('\n');
    } else if (e.type === 'journal') ctx.stdout.write(`    journal: ${e.line}\n`);
    else if (e.type === 'diagnosis') {
      const action = e.diagnosis.action === 'delete-node-password' ? '\n    (FieldKit can do this: the Cluster section offers "Delete old node and password")' : '';
      ctx.stdout.write(`!   ${e.diagnosis.title}\n    fix: ${e.diagnosis.fix}${action}\n`);
    } else if (e.type === 'done') ctx.stdout.write(`node ${e.nodeName} is Ready\n`);
  };
}

export const clusterJoinCommand: Command = {
  name: 'cluster join',
  summary: `Join a gateway to a K3s cluster as an agent over SSH (air-gap bundle or --online); the token comes from $${TOKEN_ENV}, stdin (--token -) or the server.`,
  usage:
    `fieldkit cluster join --ssh USER@HOST --server URL (--token T|- | --token-from USER@SERVER[:PORT] [--token-ttl 1h]) [--bundle DIR | --online] ` +
    `[--label k=v…] [--taint k=v:Effect…] [--node-name N | --with-node-id] [--node-ip IP] [--kubeconfig F] [--context C] ${CONNECTION_USAGE}`,
  async run(ctx) {
    const { values, positionals } = parseArgs({ args: ctx.argv, allowPositionals: true, options: OPTIONS });
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (!values.ssh || !values.server) throw new UsageError('give the gateway (--ssh USER@HOST) and the server (--server https://SERVER:6443).');
    if (values.token !== undefined && values['token-from']) throw new UsageError('give either --token or --token-from, not both.');
    if (values.bundle && values.online) throw new UsageError('give either --bundle DIR or --online, not both.');
    const gateway = asUsage(() => parseDestination(values.ssh!));
    const tokenServer = values['token-from'] ? asUsage(() => parseDestination(values['token-from']!)) : undefined;
    const pasted = values.token === '-' ? await readStdin() : (values.token ?? (tokenServer ? undefined : process.env[TOKEN_ENV]));
    if (!tokenServer && !pasted) throw new UsageError(`no token: set ${TOKEN_ENV}, pipe it in with --token -, or read it from the server with --token-from USER@SERVER.`);
    const { kc } = await target(ctx, values);
    const connection: ConnectionValues = values;

    const sessions = new Map<string, SshSession>();
    const index = await IndexClient.open(indexDirOf(ctx.dataDir));
    try {
      sessions.set('gateway', await connect(ctx, connection, gateway));
      if (tokenServer) sessions.set('server', await connect(ctx, { ...connection, port: undefined }, tokenServer));
      const service = new ClusterJoinService({
        dataDir: ctx.dataDir,
        sink: index,
        sessionOf: async (id) => sessions.get(id)!,
        kubeConfigOf: async () => kc,
      });
      if (values.bundle) {
        // Verified and cached first; the join then takes the newest cached bundle for the gateway's architecture.
        const imported = await service.importBundles(values.bundle, () => undefined, ctx.signal);
        ctx.stdout.write(`bundle: ${imported.map((b) => `${b.version}/${b.arch}`).join(', ')} verified and cached\n`);
      }
      const plan: JoinPlan = asUsage(() =>
        joinPlanSchema.parse({
          gatewayConnectionId: 'gateway',
          server: values.server,
          token: tokenServer
            ? values['token-ttl']
              ? { kind: 'server-ttl', connectionId: 'server', ttl: values['token-ttl'] }
              : { kind: 'server', connectionId: 'server' }
            : { kind: 'pasted', token: pasted },
          contextId: 'cli',
          mode: values.online ? 'online' : 'airgap',
          ...(values['node-name'] ? { nodeName: values['node-name'] } : {}),
          withNodeId: values['with-node-id'] === true,
          ...(values['node-ip'] ? { nodeIp: values['node-ip'] } : {}),
          labels: values.label ?? [],
          taints: values.taint ?? [],
        }),
      );
      try {
        await service.join(plan, printer(ctx), ctx.signal);
        return 0;
      } catch (error) {
        const hint = (error as { hint?: string }).hint;
        ctx.stderr.write(`fieldkit cluster join: ${(error as Error).message}${hint ? `\n${hint}` : ''}\n`);
        return 1;
      }
    } finally {
      for (const s of sessions.values()) s.close();
      await index.close();
    }
  },
};
