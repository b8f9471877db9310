/** `pods/<name>/log`: the lines of the current or previous container, tailed, with timestamps, optionally followed. */
import type { ServerResponse } from 'node:http';
import type { KubeStore } from './kube-store.js';
import type { LogLine } from './pod-logs.js';
import { badRequest } from './status.js';

export interface LogRequest {
  namespace: string;
  pod: string;
  container?: string | null;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
}

export function serveLogs(store: KubeStore, res: ServerResponse, r: LogRequest): void {
  const pod = store.pod(r.namespace, r.pod);
  const container = store.containerOf(r.namespace, r.pod, r.container);
  const status = pod.status.containerStatuses?.find((c) => c.name === container);
  const key = `${r.namespace}/${r.pod}/${container}`;
  const waiting = status?.state.waiting?.reason;
  if (!r.previous && waiting && ['ContainerCreating', 'PodInitializing', 'ImagePullBackOff', 'ErrImagePull'].includes(waiting)) {
    throw badRequest(`container "${container}" in pod "${r.pod}" is waiting to start: ${waiting}`);
  }
  const stored = store.logs.lines(key, r.previous);
  if (stored === null) throw badRequest(`previous terminated container "${container}" in pod "${r.pod}" not found`);
  let lines: LogLine[] = stored;
  if (r.sinceSeconds !== undefined) {
    const cutoff = Date.now() - r.sinceSeconds * 1000;
    lines = lines.filter((l) => Date.parse(l.ts) >= cutoff);
  }
  if (r.tailLines !== undefined) lines = r.tailLines === 0 ? [] : lines.slice(-r.tailLines);
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  let budget = r.limitBytes ?? Infinity;
  const format = (l: LogLine) => (r.timestamps ? `${l.ts} ${l.text}\n` : `${l.text}\n`);
  const send = (l: LogLine): boolean => {
    const text = format(l);
    const bytes = Buffer.byteLength(text);
    if (bytes > budget) {
      res.end(Buffer.from(text).subarray(0, budget));
      return false;
    }
    budget -= bytes;
    res.write(text);
    return true;
  };
  for (const l of lines) if (!send(l)) return;
  if (!r.follow || r.previous || status?.state.terminated) {
    res.end();
    return;
  }
  const stop = store.logs.follow(key, {
    line: (l) => {
      if (!send(l)) stop();
    },
    end: () => res.end(),
  });
  res.once('close', stop);
}
