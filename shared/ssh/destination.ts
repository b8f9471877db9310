export interface Destination {
  user?: string;
  host: string;
  port?: number;
}

/** `[user@]host[:port]`, `[user@][v6addr]:port` or `ssh://[user@]host[:port]`. Throws a message naming the input. */
export function parseDestination(text: string): Destination {
  const body = text.startsWith('ssh://') ? text.slice('ssh://'.length).replace(/\/$/, '') : text;
  const at = body.lastIndexOf('@');
  const user = at >= 0 ? body.slice(0, at) : undefined;
  const hostPort = at >= 0 ? body.slice(at + 1) : body;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort);
  const plain = /^([^:[\]\s@/]+)(?::(\d+))?$/.exec(hostPort);
  const m = bracketed ?? plain;
  if (!m || user === '' || (user !== undefined && /[\s/]/.test(user))) {
    throw new Error(`not a destination of the form user@host[:port]: "${text}"`);
  }
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && (port < 1 || port > 65535)) throw new Error(`port out of range in "${text}"`);
  return { host: m[1], ...(user !== undefined ? { user } : {}), ...(port !== undefined ? { port } : {}) };
}

/** ProxyJump: a comma-separated chain, first hop first; `none` means no jump. */
export function parseProxyJump(text: string): Destination[] {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'none') return [];
  return trimmed.split(',').map((hop) => parseDestination(hop.trim()));
}

export function formatDestination(d: Destination): string {
  const host = d.host.includes(':') ? `[${d.host}]` : d.host;
  return `${d.user ? `${d.user}@` : ''}${host}${d.port !== undefined ? `:${d.port}` : ''}`;
}

/** scp-style `[user@]host:path` (`[v6addr]:path` for IPv6). */
export function parseRemotePath(spec: string): { destination: Destination; path: string } {
  const at = spec.lastIndexOf('@', spec.startsWith('[') ? -1 : spec.indexOf(':'));
  const hostStart = at + 1;
  const colon = spec.startsWith('[', hostStart) ? spec.indexOf(']:', hostStart) + 1 : spec.indexOf(':', hostStart);
  if (colon <= hostStart || colon === spec.length - 1) throw new Error(`not a remote path of the form user@host:path: "${spec}"`);
  return { destination: parseDestination(spec.slice(0, colon)), path: spec.slice(colon + 1) };
}
