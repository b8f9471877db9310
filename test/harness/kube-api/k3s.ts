/** K3s specifics: the secure join token over the /cacerts body, bootstrap tokens, and the node-password secret check. */
import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { secretObject, timestamp } from './objects.js';
import type { ObjectStore } from './store.js';
import type { KubeObject } from './types.js';

/** `K10<sha256 hex of the /cacerts body>::server:<password>`, as `/var/lib/rancher/k3s/server/token` holds. */
export function secureJoinToken(caBundlePem: string, password: string): string {
  return `K10${createHash('sha256').update(caBundlePem).digest('hex')}::server:${password}`;
}

/** The password part of a token in any of its forms (secure, `server:pw`, or bare). */
export function tokenPassword(token: string): string {
  const afterCa = token.startsWith('K10') && token.includes('::') ? token.slice(token.indexOf('::') + 2) : token;
  return afterCa.includes(':') ? afterCa.slice(afterCa.indexOf(':') + 1) : afterCa;
}

const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 << 20 };

/** K3s's scrypt hash format: `$1:<salt hex>:15:8:1:<key hex>`. */
export function nodePasswordHash(password: string): string {
  const salt = randomBytes(8);
  const key = scryptSync(password, salt, 64, SCRYPT);
  return `$1:${salt.toString('hex')}:15:8:1:${key.toString('hex')}`;
}

export function verifyNodePasswordHash(hash: string, password: string): boolean {
  const m = /^\$1:([0-9a-f]+):(\d+):(\d+):(\d+):([0-9a-f]+)$/.exec(hash);
  if (!m) return false;
  const key = scryptSync(password, Buffer.from(m[1], 'hex'), m[5].length / 2, { N: 1 << Number(m[2]), r: Number(m[3]), p: Number(m[4]), maxmem: SCRYPT.maxmem });
  return timingSafeEqual(key, Buffer.from(m[5], 'hex'));
}

export function nodePasswordSecretName(node: string): string {
  return `${node}.node-password.k3s`;
}

/** Writes (or replaces) the `<node>.node-password.k3s` secret in kube-system, as the server does on first join. */
export function setNodePassword(store: ObjectStore, node: string, password: string): void {
  const name = nodePasswordSecretName(node);
  if (store.find('secrets', 'kube-system', name)) store.delete('secrets', 'kube-system', name);
  const secret = secretObject('kube-system', name, { hash: nodePasswordHash(password) }, 'k3s.cattle.io/node-password');
  secret.immutable = true;
  store.create('secrets', secret);
}

export const NODE_PASSWORD_REJECTED =
  "Node password rejected, duplicate hostname or contents of '/etc/rancher/node/password' may not match server node-password secret entry, try enabling a unique node name with the --with-node-id flag";

/**
 * The server's check when an agent asks for its kubelet certificates: the first time, the secret is created; after
 * that the password must match (a re-flashed gateway has a new one and is refused).
 */
export function checkNodePassword(store: ObjectStore, node: string, password: string): { ok: true } | { ok: false; message: string } {
  const secret = store.find('secrets', 'kube-system', nodePasswordSecretName(node));
  if (!secret) {
    setNodePassword(store, node, password);
    return { ok: true };
  }
  const hash = Buffer.from(String((secret.data as Record<string, string> | undefined)?.hash ?? ''), 'base64').toString('utf8');
  return verifyNodePasswordHash(hash, password) ? { ok: true } : { ok: false, message: NODE_PASSWORD_REJECTED };
}

const BOOTSTRAP_TOKEN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;

/**
 * A bootstrap token `<id>.<secret>` (what `k3s token create` makes) checked as the API server's bootstrap authenticator
 * does: the `kube-system/bootstrap-token-<id>` Secret of type `bootstrap.kubernetes.io/token` with that `token-secret`,
 * `usage-bootstrap-authentication: "true"`, and an `expiration` (RFC 3339) still ahead, if it has one.
 * Returns the token's extra groups when valid.
 */
export function checkBootstrapToken(store: ObjectStore, credentials: string, now = Date.now()): { id: string; groups: string[] } | undefined {
  const m = BOOTSTRAP_TOKEN.exec(credentials);
  if (!m) return undefined;
  const secret = store.find('secrets', 'kube-system', `bootstrap-token-${m[1]}`);
  if (!secret || secret.type !== 'bootstrap.kubernetes.io/token') return undefined;
  const data = Object.fromEntries(Object.entries((secret.data ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  if (data['token-id'] !== m[1] || data['usage-bootstrap-authentication'] !== 'true') return undefined;
  const given = Buffer.from(m[2]);
  const kept = Buffer.from(data['token-secret'] ?? '');
  if (kept.length !== given.length || !timingSafeEqual(kept, given)) return undefined;
  if (data.expiration !== undefined && !(Date.parse(data.expiration) > now)) return undefined;
  const extra = (data['auth-extra-groups'] ?? '').split(',').filter(Boolean);
  return { id: m[1], groups: ['system:bootstrappers', ...extra] };
}

/** The Secret `k3s token create` (and `kubeadm token create`) writes; `ttlSeconds` 0 means it never expires. */
export function bootstrapTokenSecret(id: string, secret: string, opts: { ttlSeconds: number; now?: number; description?: string }): KubeObject {
  const data: Record<string, string> = {
    'token-id': id,
    'token-secret': secret,
    'usage-bootstrap-authentication': 'true',
    'usage-bootstrap-signing': 'true',
    'auth-extra-groups': 'system:bootstrappers:k3s:default-node-token',
    ...(opts.description ? { description: opts.description } : {}),
    ...(opts.ttlSeconds > 0 ? { expiration: timestamp(new Date((opts.now ?? Date.now()) + opts.ttlSeconds * 1000)) } : {}),
  };
  return secretObject('kube-system', `bootstrap-token-${id}`, data, 'bootstrap.kubernetes.io/token');
}
