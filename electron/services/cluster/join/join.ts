import type { KubeConfig } from '@kubernetes/client-node';
import { stat } from 'node:fs/promises';
import { join as joinPath } from 'node:path';
import type { Diagnosis, JoinEvent, JoinPlan } from '../../../../shared/contract/cluster.js';
import { renderAgentConfig } from '../../../../shared/cluster/join/agent-config.js';
import { diagnoseJournalLine, isAgentAccepted, isFatal } from '../../../../shared/cluster/join/diagnose.js';
import { preflightPassed } from '../../../../shared/cluster/join/preflight.js';
import { blankDeep } from '../../../../shared/cluster/join/blank-deep.js';
import { tokenSecrets } from '../../../../shared/cluster/join/token.js';
import { redactSecrets } from '../../../../shared/ssh/redact.js';
import type { LogSink } from '../../../../shared/logs/record.js';
import type { SshSession } from '../../ssh/session.js';
import type { BundleStore, CachedBundle } from './bundles.js';
import { followAgentJournal, GATEWAY_CLOCK_COMMAND, journalSince, type JournalFollow } from './journal.js';
import { listNodes, waitForReadyNode } from './kube.js';
import { runPreflight } from './preflight.js';
import { RemoteShell } from './remote.js';
import { resolveToken, verifyServerCa } from './token.js';

export const AGENT_CONFIG_PATH = '/etc/rancher/k3s/config.yaml';
export const K3S_BINARY_PATH = '/usr/local/bin/k3s';
export const IMAGES_DIR = '/var/lib/rancher/k3s/agent/images';
export const INSTALL_SCRIPT_PATH = '/usr/local/bin/k3s-install.sh';
export const ONLINE_INSTALLER = 'https://get.k3s.io';

export interface JoinDeps {
  sessionOf(connectionId: string): Promise<SshSession>;
  kubeConfigOf(contextId: string): Promise<KubeConfig>;
  sink: LogSink;
  bundles: BundleStore;
  /** How long the node may take to turn Ready after the agent started. */
  readyTimeoutMs: number;
}

type Step = Extract<JoinEvent, { type: 'step' }>['step'];

/** A failure the join explains: the step it stopped at, the message and the next step for the technician. */
export class JoinError extends Error {
  constructor(
    readonly step: Step,
    message: string,
    readonly hint?: string,
    readonly diagnosis?: Diagnosis,
  ) {
    super(message);
  }
}

/** A one-shot event as a promise. */
function signalled<T>(): { fired: Promise<T>; fire(value: T): void } {
  let fire: (value: T) => void = () => undefined;
  const fired = new Promise<T>((resolve) => (fire = resolve));
  return { fired, fire: (value) => fire(value) };
}

/**
 * Joins a gateway as a K3s agent: preflight, token (CA checked before it is sent), upload, config.yaml, installer,
 * agent start with its journal followed and diagnosed, then the wait for Ready. Emits each step in order.
 */
export async function runJoin(plan: JoinPlan, deps: JoinDeps, emitRaw: (e: JoinEvent) => void, signal: AbortSignal): Promise<string> {
  // A pasted token is secret even before it parses.
  const secrets: string[] = plan.token.kind === 'pasted' ? [plan.token.token, plan.token.token.trim()] : [];
  const emit = (e: JoinEvent) => {
    if (!signal.aborted) emitRaw(blankDeep(e, secrets));
  };
  const blank = (text: string) => redactSecrets(text, secrets);
  let current: Step = 'preflight';
  const step = async <T>(name: Step, work: () => Promise<T>, detail?: (r: T) => string | undefined): Promise<T> => {
    current = name;
    emit({ type: 'step', step: name, state: 'running' });
    const result = await work();
    const d = detail?.(result);
    emit({ type: 'step', step: name, state: 'done', ...(d ? { detail: d } : {}) });
    return result;
  };
  const skip = (name: Step, detail: string) => emit({ type: 'step', step: name, state: 'skipped', detail });
  const cancelled = () => {
    if (signal.aborted) throw new JoinError(current, 'The join was cancelled.');
  };

  let follow: JournalFollow | undefined;
  try {
    const session = await deps.sessionOf(plan.gatewayConnectionId);
    const shell = await RemoteShell.open(session, () => secrets);
    const kubeConfig = () => deps.kubeConfigOf(plan.contextId);

    const pre = await step('preflight', async () => {
      const r = await runPreflight(session, kubeConfig, { server: plan.server, nodeName: plan.nodeName, withNodeId: plan.withNodeId });
      emit({ type: 'preflight', checks: r.checks });
      const failed = r.checks.filter((c) => c.status === 'fail');
      if (!preflightPassed(r.checks)) {
        throw new JoinError('preflight', `Preflight failed: ${failed.map((c) => `${c.label}: ${c.detail}`).join('; ')}.`, failed[0]?.fix);
      }
      return r;
    });
    cancelled();

    const token = await step(
      'token',
      async () => {
        const t = await resolveToken(plan.token, deps.sessionOf);
        secrets.push(...tokenSecrets(t));
        return { token: t, ca: await verifyServerCa(session, plan.server, t) };
      },
      ({ ca }) => (ca.checked ? `server CA verified (sha256 ${ca.sha256.slice(0, 16)}…)` : 'short token: the server CA cannot be checked; prefer the K10… token'),
    );
    cancelled();

    if (plan.mode === 'airgap') {
      await step(
        'upload',
        async () => {
          const b = await deps.bundles.find(pre.arch!, plan.bundle);
          await uploadBundle(shell, b, emit, signal);
          return b;
        },
        (b) => `K3s ${b.version} (${b.arch})`,
      );
    } else skip('upload', `online: the installer downloads K3s from ${ONLINE_INSTALLER}`);
    cancelled();

    await step(
      'config',
      async () => {
        const config = renderAgentConfig({
          server: plan.server,
          token: token.token.raw,
          nodeName: plan.nodeName ?? pre.nodeName,
          withNodeId: plan.withNodeId,
          nodeIp: plan.nodeIp,
          labels: plan.labels,
          taints: plan.taints,
        });
        const tmp = `${AGENT_CONFIG_PATH}.fieldkit`;
        await shell.run(`umask 077 && mkdir -p /etc/rancher/k3s && cat > ${tmp} && chmod 0600 ${tmp} && mv -f ${tmp} ${AGENT_CONFIG_PATH}`, `writing ${AGENT_CONFIG_PATH}`, {
          stdin: config,
        });
      },
      () => `${AGENT_CONFIG_PATH} (mode 0600)`,
    );
    cancelled();

    await step('install', async () => {
      const installer =
        plan.mode === 'airgap'
          ? `INSTALL_K3S_SKIP_DOWNLOAD=true INSTALL_K3S_SKIP_START=true INSTALL_K3S_EXEC=agent sh ${INSTALL_SCRIPT_PATH}`
          : `curl -sfL ${ONLINE_INSTALLER} | INSTALL_K3S_SKIP_START=true sh -s - agent`;
      await shell.run(installer, plan.mode === 'airgap' ? 'the K3s installer' : `the online installer (${ONLINE_INSTALLER}; without internet use an air-gap bundle)`, {
        signal,
      });
    });
    cancelled();

    const baseName = plan.nodeName ?? pre.nodeName;
    const isOurName = plan.withNodeId ? (n: string) => n.startsWith(`${baseName}-`) : (n: string) => n === baseName;
    const diagnoses: Diagnosis[] = [];
    const fatal = signalled<Diagnosis>();
    const accepted = signalled<void>();
    // A node of that name may be left from before (a re-flash): it only counts once the agent was accepted again.
    const earlier = await step('start', async () => {
      const uids = new Set((await listNodes(await kubeConfig())).nodes.filter((n) => isOurName(n.metadata?.name ?? '')).map((n) => n.metadata?.uid));
      // An agent left running by an attempt before (it retries a rejected password every few seconds) must not speak
      // into this join's journal: it is stopped (systemd returns once it is gone) before the clock is read.
      await shell.run('systemctl stop k3s-agent', 'stopping an earlier k3s-agent');
      const since = journalSince(await shell.run(GATEWAY_CLOCK_COMMAND, 'reading the gateway clock'));
      follow = followAgentJournal(shell, deps.sink, {
        device: baseName,
        since,
        secrets: () => secrets,
        onLine: (line) => {
          emit({ type: 'journal', line });
          if (isAgentAccepted(line)) accepted.fire();
          const d = diagnoseJournalLine(line, baseName);
          if (!d || diagnoses.some((x) => x.code === d.code)) return;
          diagnoses.push(d);
          emit({ type: 'diagnosis', diagnosis: d });
          if (isFatal(d)) fatal.fire(d);
        },
      });
      await shell.run('systemctl start k3s-agent', 'starting k3s-agent');
      return uids;
    });

    const nodeName = await step(
      'ready',
      async () => {
        const waiting = new AbortController();
        const stopWaiting = () => waiting.abort();
        signal.addEventListener('abort', stopWaiting, { once: true });
        let timer: NodeJS.Timeout | undefined;
        try {
          const kc = await kubeConfig();
          const outcome = await Promise.race([
            waitForReadyNode(kc, (n) => isOurName(n.name) && !earlier.has(n.uid), waiting.signal).then((name) => ({ name })),
            accepted.fired.then(() => waitForReadyNode(kc, (n) => isOurName(n.name), waiting.signal)).then((name) => ({ name })),
            fatal.fired.then((diagnosis) => ({ diagnosis })),
            new Promise<{ timeout: true }>((resolve) => (timer = setTimeout(() => resolve({ timeout: true }), deps.readyTimeoutMs))),
          ]);
          cancelled();
          if ('name' in outcome) return outcome.name;
          const d = 'diagnosis' in outcome ? outcome.diagnosis : diagnoses.at(-1);
          if (d) throw new JoinError('ready', `${d.title}: the node did not join.`, d.fix, d);
          throw new JoinError('ready', `The node did not turn Ready within ${Math.round(deps.readyTimeoutMs / 1000)} s.`, 'Read the k3s-agent journal above (also in the Logs section) for the reason.');
        } finally {
          clearTimeout(timer);
          waiting.abort();
          signal.removeEventListener('abort', stopWaiting);
        }
      },
      (name) => `node ${name} is Ready`,
    );
    follow?.stop();
    await follow?.stopped;
    emit({ type: 'done', nodeName });
    return nodeName;
  } catch (error) {
    const failure =
      error instanceof JoinError
        ? new JoinError(error.step, blank(error.message), error.hint && blank(error.hint), error.diagnosis)
        : new JoinError(current, blank(signal.aborted ? 'The join was cancelled.' : (error as Error).message), (error as { hint?: string }).hint);
    emit({ type: 'step', step: failure.step, state: 'failed', detail: failure.message });
    throw failure;
  } finally {
    follow?.stop();
    await follow?.stopped;
  }
}

interface UploadItem {
  local: string;
  remote: string;
  mode: number;
  bytes: number;
}

async function uploadBundle(shell: RemoteShell, b: CachedBundle, emit: (e: JoinEvent) => void, signal: AbortSignal): Promise<void> {
  const items: UploadItem[] = [
    { local: joinPath(b.dir, b.binary), remote: K3S_BINARY_PATH, mode: 0o755 },
    { local: joinPath(b.dir, b.images), remote: `${IMAGES_DIR}/${b.images}`, mode: 0o644 },
    { local: joinPath(b.dir, b.installScript), remote: INSTALL_SCRIPT_PATH, mode: 0o755 },
  ].map((i) => ({ ...i, bytes: 0 }));
  for (const item of items) item.bytes = (await stat(item.local)).size;
  const bytesTotal = items.reduce((sum, i) => sum + i.bytes, 0);
  // Without root, files go to a staging folder first and are installed with sudo.
  const stage = shell.root ? undefined : (await shell.session.execText('mktemp -d /tmp/fieldkit-k3s.XXXXXX')).stdout.trim();
  await shell.run(`mkdir -p /usr/local/bin ${IMAGES_DIR}`, 'creating the K3s folders');
  let before = 0;
  for (const item of items) {
    const target = stage ? `${stage}/${item.remote.split('/').pop()}` : `${item.remote}.fieldkit-part`;
    await shell.session.upload(item.local, target, {
      signal,
      onProgress: (p) => {
        const done = before + p.bytesDone;
        const eta = p.bytesPerSecond > 0 ? (bytesTotal - done) / p.bytesPerSecond : null;
        emit({ type: 'progress', step: 'upload', bytesDone: done, bytesTotal, bytesPerSecond: p.bytesPerSecond, etaSeconds: eta });
      },
    });
    const mode = item.mode.toString(8).padStart(4, '0');
    // Renamed into place: a running k3s binary cannot be overwritten (text file busy), only replaced.
    await shell.run(stage ? `install -m ${mode} ${target} ${item.remote}` : `chmod ${mode} ${target} && mv -f ${target} ${item.remote}`, `installing ${item.remote}`);
    before += item.bytes;
  }
  if (stage) await shell.session.execText(`rm -rf ${stage}`);
}
