/**
 * Background life for `kube-sim`: running pods keep logging, crash-looping containers keep restarting (their
 * previous log and BackOff event count grow), so a UI pointed at the simulator sees watches and follows move.
 */
import type { KubeStore } from './kube-store.js';
import { timestamp } from './objects.js';
import { linesFor } from './seed.js';
import type { Pod } from './types.js';

const waitingReason = (p: Pod) => p.status.containerStatuses?.[0]?.state.waiting?.reason;

export function startActivity(store: KubeStore, opts: { logEveryMs: number; crashEveryMs: number }): () => void {
  let tick = 0;
  const log = setInterval(() => {
    const running = ([...store.peek('pods')] as Pod[]).filter((p) => p.status.containerStatuses?.[0]?.state.running && !p.metadata.deletionTimestamp);
    if (!running.length) return;
    const pod = running[tick++ % running.length];
    const lines = linesFor(pod.metadata.labels?.app ?? pod.metadata.name);
    store.appendLog(pod.metadata.namespace ?? 'default', pod.metadata.name, lines[tick % lines.length], { container: pod.spec.containers[0].name });
  }, opts.logEveryMs);
  const crash = setInterval(() => {
    for (const pod of ([...store.peek('pods')] as Pod[]).filter((p) => waitingReason(p) === 'CrashLoopBackOff')) {
      const ns = pod.metadata.namespace ?? 'default';
      const container = pod.spec.containers[0].name;
      store.appendLog(ns, pod.metadata.name, linesFor(pod.metadata.labels?.app ?? pod.metadata.name), { container });
      store.restartContainer(ns, pod.metadata.name, { container, crashLoop: true });
      for (const e of [...store.peek('events')]) {
        const involved = e.involvedObject as { uid?: string };
        if (involved.uid !== pod.metadata.uid || e.reason !== 'BackOff') continue;
        store.mutate('events', e.metadata.namespace, e.metadata.name, (o) => {
          o.count = Number(o.count ?? 1) + 1;
          o.lastTimestamp = timestamp();
        });
      }
    }
  }, opts.crashEveryMs);
  return () => {
    clearInterval(log);
    clearInterval(crash);
  };
}
