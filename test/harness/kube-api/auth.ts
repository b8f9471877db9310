/**
 * Who is asking: a client certificate signed by the cluster CA, a bearer token, K3s's basic `node:<password>`, or a
 * bootstrap token (`k3s token create`) while its Secret says it is valid.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { checkBootstrapToken, tokenPassword } from './k3s.js';
import { KubeError } from './status.js';
import type { ObjectStore } from './store.js';

export interface Identity {
  user: string;
  groups: string[];
  /** `agent`: a join or bootstrap token, allowed only what a joining K3s agent needs (nodes, its node-password secret). */
  role: 'admin' | 'agent';
}

export interface Credentials {
  adminToken: string;
  joinToken: string;
  /** Where bootstrap-token Secrets are looked up; without it bootstrap tokens are refused. */
  store?: ObjectStore;
}

export function authenticate(req: IncomingMessage, creds: Credentials): Identity | null {
  const socket = req.socket as TLSSocket;
  if (socket.authorized) {
    const cert = socket.getPeerCertificate();
    const subject = cert.subject as unknown as Record<string, string | string[]> | undefined;
    const org = subject?.O;
    return { user: String(subject?.CN ?? ''), groups: Array.isArray(org) ? org : org ? [org] : [], role: 'admin' };
  }
  const header = req.headers.authorization ?? '';
  const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
  if (bearer === creds.adminToken) return { user: 'system:admin', groups: ['system:masters'], role: 'admin' };
  const joinPassword = tokenPassword(creds.joinToken);
  if (bearer && (bearer === creds.joinToken || tokenPassword(bearer) === joinPassword)) return agent();
  if (bearer) return bootstrap(creds, tokenPassword(bearer));
  const basic = /^Basic\s+(.+)$/i.exec(header)?.[1];
  if (basic) {
    const [user, ...rest] = Buffer.from(basic, 'base64').toString('utf8').split(':');
    const password = rest.join(':');
    if ((user === 'node' || user === 'server') && (password === joinPassword || password === creds.joinToken)) return agent();
    if (user === 'node') return bootstrap(creds, password);
  }
  return null;
}

function agent(): Identity {
  return { user: 'system:k3s-agent', groups: ['system:nodes'], role: 'agent' };
}

function bootstrap(creds: Credentials, credentials: string): Identity | null {
  const token = creds.store && checkBootstrapToken(creds.store, credentials);
  return token ? { user: `system:bootstrap:${token.id}`, groups: token.groups, role: 'agent' } : null;
}

const AGENT_RESOURCES = new Set(['nodes', 'secrets']);

/** Agents may manage nodes and read/write node-password secrets in kube-system; everything else is Forbidden. */
export function authorize(id: Identity, verb: string, plural: string, group: string, namespace: string | undefined, name: string | undefined): void {
  if (id.role === 'admin') return;
  const secretOk = plural !== 'secrets' || (namespace === 'kube-system' && (!name || name.endsWith('.node-password.k3s')) && verb !== 'list' && verb !== 'watch');
  if (AGENT_RESOURCES.has(plural) && secretOk) return;
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  const target = name ? `${plural} "${name}"` : plural;
  throw new KubeError(403, 'Forbidden', `${target} is forbidden: User "${id.user}" cannot ${verb} resource "${plural}" in API group "${group}" ${scope}`, { name, group: group || undefined, kind: plural });
}
