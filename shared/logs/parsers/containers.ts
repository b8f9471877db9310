import type { LineFormat, ParseContext, ParsedEntry } from './entry.js';
import { parseAnyText } from './plain.js';
import { matchIso8601, parseIso8601 } from './timestamps.js';
import { stripAnsi, trimTrailingNewlines } from './text.js';

const CRI = /^(\S+) (stdout|stderr) ([PF])(?:\S*)? ?/;

/** CRI (containerd, CRI-O, K3s) container log line: `<RFC3339Nano> stdout|stderr P|F <message>`; P lines are partial. */
export function parseCri(line: string): ParsedEntry | null {
  const m = CRI.exec(line);
  if (!m) return null;
  const tsNs = parseIso8601(m[1]!);
  if (tsNs === undefined) return null;
  return { tsNs, message: line.slice(m[0].length), fields: { stream: m[2]! }, partial: m[3] === 'P' };
}

export const criFormat: LineFormat = { id: 'cri', source: 'pod', parse: parseCri, continuation: false };

/** Docker's json-file driver: `{"log":"text\n","stream":"stdout","time":"..."}`; a log without `\n` is a 16 KiB chunk. */
export function parseDockerJson(line: string): ParsedEntry | null {
  if (!line.startsWith('{')) return null;
  let object: unknown;
  try {
    object = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof object !== 'object' || object === null) return null;
  const { log, stream, time, attrs } = object as Record<string, unknown>;
  if (typeof log !== 'string' || typeof time !== 'string') return null;
  const fields: Record<string, string> = {};
  if (typeof stream === 'string') fields.stream = stream;
  if (typeof attrs === 'object' && attrs !== null) {
    for (const [name, value] of Object.entries(attrs)) if (typeof value === 'string') fields[name] = value;
  }
  return { tsNs: parseIso8601(time), message: trimTrailingNewlines(log), fields, partial: !log.endsWith('\n') };
}

export const dockerJsonFormat: LineFormat = { id: 'docker-json', source: 'pod', parse: parseDockerJson, continuation: false };

const COMPOSE = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s+\| ?/;

/** `docker compose logs` output: `<service>  | [RFC3339 ]message`, often behind an ANSI erase-line sequence. */
export function parseCompose(line: string, context: ParseContext): ParsedEntry | null {
  const text = stripAnsi(line);
  const m = COMPOSE.exec(text);
  if (!m) return null;
  const rest = text.slice(m[0].length);
  const iso = matchIso8601(rest);
  const entry = iso && rest[iso.length] === ' ' ? { tsNs: iso.tsNs, message: rest.slice(iso.length + 1) } : parseAnyText(rest, context);
  return { ...entry, container: m[1] };
}

export const composeFormat: LineFormat = { id: 'compose', source: 'pod', parse: parseCompose, continuation: false };
