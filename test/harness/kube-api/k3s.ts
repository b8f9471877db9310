/** K3s specifics: the secure join token over the /cacerts body, and the node-password secret check. */
import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { secretObject } from './objects.js';
import type { ObjectStore } from './store.js';

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
