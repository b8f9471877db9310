import type { PodView } from '../contract/cluster.js';
import type { ContainerSpec, ContainerState, ContainerStatus, KubePod } from './kube-objects.js';

type ContainerView = PodView['containers'][number];

const isSidecar = (spec: ContainerSpec | undefined) => spec?.restartPolicy === 'Always';
const later = (a: string | undefined, b: string | undefined) => (a === undefined || (b !== undefined && Date.parse(b) > Date.parse(a)) ? b : a);
const hasTrueCondition = (pod: KubePod, type: string) => (pod.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
const isTerminalPhase = (phase: string | undefined) => phase === 'Succeeded' || phase === 'Failed';

function terminatedReason(t: NonNullable<ContainerState['terminated']>): string {
  if (t.reason) return t.reason;
  return t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode ?? 0}`;
}

/**
 * kubectl's STATUS, READY and RESTARTS columns (printPod in k8s.io/kubernetes/pkg/printers/internalversion), so
 * FieldKit and kubectl never disagree about a pod: Init:x/y, Init:CrashLoopBackOff, CrashLoopBackOff, Completed,
 * ExitCode:n, NotReady, Terminating, Unknown (node lost), SchedulingGated.
 */
export function podStatus(pod: KubePod): { status: string; ready: number; total: number; restarts: number; lastRestartAt?: string } {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const initSpecs = new Map((spec.initContainers ?? []).map((c) => [c.name, c]));
  let total = (spec.containers ?? []).length + [...initSpecs.values()].filter(isSidecar).length;
  if (total === 0) total = (status.containerStatuses ?? []).length;
  let ready = 0;
  let restarts = 0;
  let lastRestartAt: string | undefined;
  let sidecarRestarts = 0;
  let sidecarLastRestartAt: string | undefined;
  let reason = status.reason || status.phase || 'Unknown';
  if ((status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  const initStatuses = status.initContainerStatuses ?? [];
  let initializing = false;
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    const sidecar = isSidecar(initSpecs.get(c.name));
    const finishedAt = c.lastState?.terminated?.finishedAt;
    restarts += c.restartCount ?? 0;
    lastRestartAt = later(lastRestartAt, finishedAt);
    if (sidecar) {
      sidecarRestarts += c.restartCount ?? 0;
      sidecarLastRestartAt = later(sidecarLastRestartAt, finishedAt);
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (sidecar && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (terminated) reason = `Init:${terminatedReason(terminated)}`;
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${initSpecs.size || initStatuses.length}`;
    initializing = true;
    break;
  }

  if (!initializing || hasTrueCondition(pod, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestartAt = sidecarLastRestartAt;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount ?? 0;
      lastRestartAt = later(lastRestartAt, c.lastState?.terminated?.finishedAt);
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated) reason = terminatedReason(c.state.terminated);
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = hasTrueCondition(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata?.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && !isTerminalPhase(status.phase)) reason = 'Terminating';

  return { status: reason, ready, total, restarts, ...(restarts > 0 && lastRestartAt && { lastRestartAt }) };
}

function stateOf(state: ContainerState | undefined): Pick<ContainerView, 'state' | 'reason'> {
  if (state?.running) return { state: 'running' };
  if (state?.waiting) return { state: 'waiting', ...(state.waiting.reason && { reason: state.waiting.reason }) };
  if (state?.terminated) return { state: 'terminated', reason: terminatedReason(state.terminated) };
  return { state: 'unknown' };
}

function containerViews(specs: ContainerSpec[], statuses: ContainerStatus[], init: boolean): ContainerView[] {
  const byName = new Map(statuses.map((s) => [s.name, s]));
  const named = specs.length > 0 ? specs : statuses;
  return named.map((spec) => {
    const s = byName.get(spec.name) ?? {};
    const lastRestartAt = s.lastState?.terminated?.finishedAt;
    return {
      name: spec.name ?? '',
      image: spec.image ?? s.image ?? '',
      ready: s.ready === true,
      restarts: s.restartCount ?? 0,
      ...stateOf(s.state),
      ...(lastRestartAt && { lastRestartAt }),
      init,
    };
  });
}

/** The workload behind a pod; a ReplicaSet made by a Deployment is named by its Deployment (what a restart acts on). */
function ownerOf(pod: KubePod): PodView['owner'] {
  const refs = pod.metadata?.ownerReferences ?? [];
  const ref = refs.find((r) => r.controller) ?? refs[0];
  if (!ref?.kind || !ref.name) return undefined;
  const hash = pod.metadata?.labels?.['pod-template-hash'];
  if (ref.kind === 'ReplicaSet' && hash && ref.name.endsWith(`-${hash}`)) return { kind: 'Deployment', name: ref.name.slice(0, -hash.length - 1) };
  return { kind: ref.kind, name: ref.name };
}

export function podView(pod: KubePod): PodView {
  const meta = pod.metadata ?? {};
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const owner = ownerOf(pod);
  return {
    namespace: meta.namespace ?? '',
    name: meta.name ?? '',
    uid: meta.uid ?? '',
    phase: status.phase ?? 'Unknown',
    ...podStatus(pod),
    ...(spec.nodeName && { node: spec.nodeName }),
    ...(status.podIP && { ip: status.podIP }),
    ...(owner && { owner }),
    containers: [
      ...containerViews(spec.initContainers ?? [], status.initContainerStatuses ?? [], true),
      ...containerViews(spec.containers ?? [], status.containerStatuses ?? [], false),
    ],
    labels: meta.labels ?? {},
    createdAt: meta.creationTimestamp ?? '',
  };
}
