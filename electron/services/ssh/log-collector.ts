import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { LogRecord, LogSink } from '../../../shared/logs/record.js';
import { JournalExportParser, journalEntryToRecord } from '../../../shared/ssh/journal-export.js';
import { shellQuote } from '../../../shared/ssh/shell-quote.js';
import type { SshSession } from './session.js';

export interface CollectLabels {
  device: string;
  site?: string;
}

export interface JournalCollectOptions {
  labels: CollectLabels;
  /** journalctl `--since` syntax: `2026-11-28 10:00`, `-1h`, `today`. */
  since?: string;
  /** Continue after the last collected entry (the `__CURSOR` field of a previous record). */
  afterCursor?: string;
  follow?: boolean;
  units?: string[];
  /** Remote command, e.g. `sudo journalctl`; default `journalctl`. */
  journalctl?: string;
  signal?: AbortSignal;
  batchRecords?: number;
}

export interface JournalCollectResult {
  records: number;
  lastCursor?: string;
}

export function journalCommand(opts: JournalCollectOptions): string {
  const args = ['-o', 'export', '--no-pager'];
  if (opts.since) args.push('--since', opts.since);
  if (opts.afterCursor) args.push('--after-cursor', opts.afterCursor);
  for (const unit of opts.units ?? []) args.push('-u', unit);
  if (opts.follow) args.push('-f');
  return [opts.journalctl ?? 'journalctl', ...args.map(shellQuote)].join(' ');
}

/** Streams `journalctl -o export` into the sink in batches; with `follow`, until the signal aborts. */
export async function collectJournal(
  session: SshSession,
  sink: LogSink,
  opts: JournalCollectOptions,
): Promise<JournalCollectResult> {
  const parser = new JournalExportParser();
  const batchSize = opts.batchRecords ?? 1000;
  let pending: LogRecord[] = [];
  let appended = Promise.resolve();
  let records = 0;
  let lastCursor: string | undefined;
  let parseError: Error | undefined;
  const flush = (force: boolean) => {
    if (pending.length === 0 || (!force && pending.length < batchSize)) return;
    const batch = pending;
    pending = [];
    records += batch.length;
    appended = appended.then(() => sink.append(batch));
  };
  const take = (entries: ReturnType<JournalExportParser['push']>) => {
    for (const entry of entries) {
      pending.push(journalEntryToRecord(entry, opts.labels));
      lastCursor = entry.get('__CURSOR') ?? lastCursor;
    }
    flush(opts.follow === true);
  };
  const stderr: Buffer[] = [];
  const result = await session.exec(journalCommand(opts), {
    signal: opts.signal,
    onStdout: (chunk) => {
      if (parseError) return;
      try {
        take(parser.push(chunk));
      } catch (e) {
        parseError = e as Error;
      }
    },
    onStderr: (chunk) => stderr.push(chunk),
  });
  if (!parseError) take(parser.end());
  flush(true);
  await appended;
  if (parseError) throw new Error(`journal output from ${opts.labels.device} is damaged: ${parseError.message}`);
  const stopped = opts.signal?.aborted === true;
  if (!stopped && result.code !== 0) {
    const why = Buffer.concat(stderr).toString('utf8').trim() || `exit code ${result.code ?? result.signal}`;
    throw new Error(`journalctl on ${opts.labels.device} failed after ${records} records: ${why}`);
  }
  return { records, ...(lastCursor ? { lastCursor } : {}) };
}

export interface BundleOptions {
  labels: CollectLabels;
  journalctl?: string;
  /** Leave the journal out when it was already streamed into the index (avoids importing it twice). */
  withoutJournal?: boolean;
  signal?: AbortSignal;
}

/** Collected on the gateway into a temp dir, streamed back as one tar.gz, removed on the gateway afterwards. */
export function bundleScript(journalctl: string | undefined): string {
  return [
    'd=$(mktemp -d /tmp/fieldkit-diag.XXXXXX) || exit 70',
    `trap 'rm -rf "$d"' EXIT`,
    'dmesg > "$d/dmesg.txt" 2>&1',
    ...(journalctl ? [`${journalctl} -o export --no-pager > "$d/journal.export" 2> "$d/journal.stderr.txt"`] : []),
    'uname -a > "$d/uname.txt" 2>&1',
    'cat /etc/os-release > "$d/os-release.txt" 2>&1',
    'if command -v k3s >/dev/null 2>&1; then k3s kubectl get pods -A -o wide > "$d/k3s-pods.txt" 2>&1; fi',
    'extra=""; for f in /var/lib/rancher/k3s/agent/containerd/containerd.log; do [ -r "$f" ] && extra="$extra ${f#/}"; done',
    'tar czf - -C "$d" . -C / var/log $extra 2> "$d/tar.stderr.txt"',
    'rc=$?; [ $rc -le 1 ] || { cat "$d/tar.stderr.txt" >&2; exit $rc; }',
  ].join('\n');
}

/** Pulls a diagnostic bundle to `<destDir>/<device>-<time>.tar.gz` and returns its path for the index importer. */
export async function pullDiagnosticBundle(
  session: SshSession,
  destDir: string,
  opts: BundleOptions,
): Promise<{ path: string; bytes: number }> {
  await mkdir(destDir, { recursive: true });
  const safeDevice = opts.labels.device.replace(/[^A-Za-z0-9._-]/g, '_');
  const path = join(destDir, `${safeDevice}-${new Date().toISOString().replace(/[:.]/g, '-')}.tar.gz`);
  const part = `${path}.part`;
  const out = createWriteStream(part);
  const stderr: Buffer[] = [];
  let bytes = 0;
  try {
    const result = await session.exec(`sh -c ${shellQuote(bundleScript(opts.withoutJournal ? undefined : (opts.journalctl ?? 'journalctl')))}`, {
      signal: opts.signal,
      onStdout: (chunk) => {
        bytes += chunk.length;
        out.write(chunk);
      },
      onStderr: (chunk) => stderr.push(chunk),
    });
    out.end();
    await finished(out);
    if (opts.signal?.aborted) throw new Error('diagnostic bundle cancelled');
    if (result.code !== 0 || bytes === 0) {
      const why = Buffer.concat(stderr).toString('utf8').trim() || `exit code ${result.code ?? result.signal}`;
      throw new Error(`diagnostic bundle from ${opts.labels.device} failed: ${why}`);
    }
    await rename(part, path);
    return { path, bytes };
  } catch (e) {
    out.destroy();
    await rm(part, { force: true });
    throw e;
  }
}
