import { matchIso8601 } from '../logs/parsers/timestamps.js';

export interface ContainerLogLine {
  /** The RFC 3339 time the kubelet put in front of the line (`timestamps=true`). */
  ts?: string;
  tsNs?: bigint;
  text: string;
}

/** A line of `pods/<name>/log?timestamps=true`: `2026-11-28T15:00:00.123456789Z message`. */
export function parseContainerLogLine(line: string): ContainerLogLine {
  const space = line.indexOf(' ');
  const stamp = space > 0 ? line.slice(0, space) : line;
  const match = matchIso8601(stamp);
  if (!match || match.length !== stamp.length) return { text: line };
  return { ts: stamp, tsNs: match.tsNs, text: space > 0 ? line.slice(space + 1) : '' };
}
