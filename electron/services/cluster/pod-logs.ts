import type { ContainerStatus } from '../../../shared/cluster/kube-objects.js';
import { parseContainerLogLine } from '../../../shared/cluster/log-line.js';
import { detectLevel } from '../../../shared/logs/parsers/levels.js';
import type { LogRecord, LogSink } from '../../../shared/logs/record.js';
import { clusterError } from './api-errors.js';
import type { KubeHttp } from './kube-http.js';
import type { LogMarks } from './log-marks.js';
import { podPath, resolvePodTarget } from './pod-target.js';

export interface PodLogRequest {
  namespace: string;
  pod: string;
  container?: string;
  follow: boolean;
  previous: boolean;
  /** Show the kubelet's time with each line (the index always gets it). */
  timestamps: boolean;
  tailLines?: number;
}

export interface PodLogLine {
  ts?: string;
  text: string;
}

export interface PodLogOptions {
  client: KubeHttp;
  sink: LogSink;
  marks: LogMarks;
  /** Labels a line by its node; this names the device when the pod has none (not scheduled). */
  clusterName: string;
  onLines: (lines: PodLogLine[]) => void;
  signal: AbortSignal;
  /** Lines are handed on (and indexed) in batches at least this often. */
  flushMs?: number;
}

const MAX_BATCH = 1000;

/** Which container instance the lines come from: its container ID, so marks survive a pod's restarts correctly. */
function instanceKey(statuses: ContainerStatus[], container: string, previous: boolean, podUid: string): string {
  const status = statuses.find((s) => s.name === container);
  const id = previous ? status?.lastState?.terminated?.containerID : status?.containerID;
  return id || `${podUid}/${container}/${previous ? 'previous' : 'current'}`;
}

/**
 * A container's log, streamed: every line goes to `onLines` and, once, into the log index (source `pod`, device =
 * the pod's node, pod and container labels, the namespace as a field). Resolves with the number of lines indexed
 * when the log ends (the container stopped, or not following) or the signal aborts.
 */
export async function streamPodLogs(request: PodLogRequest, opts: PodLogOptions): Promise<{ indexed: number }> {
  const { client, sink, marks, signal } = opts;
  const { pod, container } = await resolvePodTarget(client, request.namespace, request.pod, request.container);
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const key = instanceKey(statuses, container, request.previous, pod.metadata?.uid ?? request.pod);
  let mark = await marks.get(key);
  const labels = { device: pod.spec?.nodeName || opts.clusterName, source: 'pod' as const, pod: request.pod, container };
  const fields = { namespace: request.namespace };

  let shown: PodLogLine[] = [];
  let records: LogRecord[] = [];
  let indexed = 0;
  let lastNs = 0n;
  let appending: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (shown.length > 0) opts.onLines(shown);
    shown = [];
    if (records.length === 0) return;
    const batch = records;
    records = [];
    appending = appending.then(async () => {
      await sink.append(batch);
      indexed += batch.length;
      await marks.advance(key, batch.at(-1)!.tsNs);
    });
  };

  const onLine = (raw: string) => {
    const line = parseContainerLogLine(raw);
    shown.push(request.timestamps && line.ts ? { ts: line.ts, text: line.text } : { text: line.text });
    const tsNs = line.tsNs ?? (lastNs > 0n ? lastNs : BigInt(Date.now()) * 1_000_000n);
    lastNs = tsNs;
    if (tsNs > mark && line.text.trim()) {
      records.push({ tsNs, labels, level: detectLevel(line.text) ?? 'info', message: line.text, fields });
      mark = tsNs;
    }
    if (shown.length >= MAX_BATCH) flush();
    else timer ??= setTimeout(flush, opts.flushMs ?? 100);
  };

  const query = new URLSearchParams({ container, timestamps: 'true', follow: String(request.follow), previous: String(request.previous) });
  if (request.tailLines !== undefined) query.set('tailLines', String(request.tailLines));
  try {
    await client.lines(`${podPath(request.namespace, request.pod)}/log?${query}`, onLine, { signal, idleTimeoutMs: request.follow ? 0 : 60_000 });
  } catch (error) {
    if (!signal.aborted) throw clusterError(error, client.server, `Pod ${request.namespace}/${request.pod}`);
  } finally {
    flush();
    await appending;
  }
  return { indexed };
}
