/** Container log lines per pod: the current and the previous instance, with followers for `follow=true`. */

export interface LogLine {
  /** RFC 3339 with nanoseconds, as the kubelet writes it. */
  ts: string;
  text: string;
}

export interface LogFollower {
  line(line: LogLine): void;
  /** The container instance ended (restart, pod deleted): a following `kubectl logs -f` returns. */
  end(): void;
}

interface ContainerLog {
  current: LogLine[];
  previous: LogLine[] | null;
  followers: Set<LogFollower>;
}

/** `2026-11-28T15:15:30.1234Z`: RFC3339Nano, trailing zeros of the fraction trimmed as Go does. */
export function rfc3339Nano(ms: number, extraNs = 0): string {
  const iso = new Date(ms).toISOString();
  const nanos = (ms % 1000) * 1_000_000 + extraNs;
  const fraction = String(nanos).padStart(9, '0').replace(/0+$/, '');
  return `${iso.slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
}

export class PodLogs {
  private readonly logs = new Map<string, ContainerLog>();
  private seq = 0;

  private entry(key: string): ContainerLog {
    let log = this.logs.get(key);
    if (!log) {
      log = { current: [], previous: null, followers: new Set() };
      this.logs.set(key, log);
    }
    return log;
  }

  /** A strictly increasing timestamp, so lines appended in one millisecond keep their order in `--timestamps`. */
  now(): string {
    this.seq = (this.seq + 1) % 1_000_000;
    return rfc3339Nano(Date.now(), this.seq);
  }

  append(key: string, lines: LogLine[]): void {
    const log = this.entry(key);
    log.current.push(...lines);
    for (const line of lines) for (const f of log.followers) f.line(line);
  }

  lines(key: string, previous: boolean): LogLine[] | null {
    const log = this.logs.get(key);
    if (previous) return log?.previous ?? null;
    return log?.current ?? [];
  }

  follow(key: string, follower: LogFollower): () => void {
    const log = this.entry(key);
    log.followers.add(follower);
    return () => log.followers.delete(follower);
  }

  /** The container restarted: its lines become the previous instance's. */
  restart(key: string): void {
    const log = this.entry(key);
    log.previous = log.current;
    log.current = [];
    this.endFollowers(log);
  }

  forget(keyPrefix: string): void {
    for (const [key, log] of this.logs) {
      if (!key.startsWith(keyPrefix)) continue;
      this.endFollowers(log);
      this.logs.delete(key);
    }
  }

  private endFollowers(log: ContainerLog): void {
    for (const f of [...log.followers]) f.end();
    log.followers.clear();
  }
}
