import { dumpYaml, KubeConfig, type Cluster } from '@kubernetes/client-node';
import { FieldkitError } from '../../../shared/contract/errors.js';
import { shellQuote } from '../../../shared/ssh/shell-quote.js';
import type { SshSession } from '../ssh/session.js';

export const K3S_KUBECONFIG = '/etc/rancher/k3s/k3s.yaml';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** The server's kubeconfig, read as root (`sudo -n` when the SSH user is not root: it must not ask for a password). */
export async function readK3sKubeconfig(session: Pick<SshSession, 'execText'>, path = K3S_KUBECONFIG): Promise<string> {
  const root = (await session.execText('id -u')).stdout.trim() === '0';
  const result = await session.execText(`${root ? '' : 'sudo -n '}cat ${shellQuote(path)}`);
  if (result.code === 0 && result.stdout.trim()) return result.stdout;
  const said = result.stderr.trim().split('\n')[0] ?? '';
  if (/no such file/i.test(said)) {
    throw new FieldkitError('not_found', `There is no ${path} on this machine (${said}).`, 'Connect to the K3s server itself (an agent has no kubeconfig), and check that k3s is installed and has started once.');
  }
  if (!root && /sudo: (command )?not found/i.test(said)) {
    throw new FieldkitError('failed', `Reading ${path} needs root, and this user is not root and the server has no sudo.`, 'Connect as root, or start k3s with --write-kubeconfig-mode 644.');
  }
  if (/password is required|a terminal is required|not in the sudoers|may not run sudo/i.test(said)) {
    throw new FieldkitError(
      'failed',
      `Reading ${path} needs root, and sudo on the server asks for a password (${said}).`,
      'Connect as root, allow this user passwordless sudo, or start k3s with --write-kubeconfig-mode 644.',
    );
  }
  throw new FieldkitError('failed', `Reading ${path} failed${said ? `: ${said}` : ` (exit code ${result.code})`}.`, 'Check the file on the server with "sudo cat".');
}

/**
 * K3s's kubeconfig with every cluster's server pointed at the local end of an SSH tunnel. The host stays 127.0.0.1
 * (the K3s certificate names it); a server named otherwise keeps its name for the TLS check as tls-server-name.
 */
export function pointAtTunnel(kubeconfigYaml: string, localPort: number): string {
  const kc = new KubeConfig();
  try {
    kc.loadFromString(kubeconfigYaml);
  } catch (error) {
    throw new FieldkitError('bad_request', `The server's k3s.yaml is not a kubeconfig: ${(error as Error).message.split('\n')[0]}`, 'Check /etc/rancher/k3s/k3s.yaml on the server.');
  }
  if (kc.getClusters().length === 0 || kc.getContexts().length === 0) {
    throw new FieldkitError('bad_request', "The server's k3s.yaml names no cluster or context.", 'Check /etc/rancher/k3s/k3s.yaml on the server.');
  }
  const clusters: Cluster[] = kc.getClusters().map((cluster) => {
    let host = '127.0.0.1';
    try {
      host = new URL(cluster.server).hostname;
    } catch {
      // keep 127.0.0.1: the K3s default
    }
    const tlsServerName = cluster.tlsServerName ?? (LOOPBACK.has(host) ? undefined : host);
    return { ...cluster, server: `https://127.0.0.1:${localPort}`, ...(tlsServerName && { tlsServerName }) };
  });
  kc.loadFromOptions({ clusters, contexts: kc.getContexts(), users: kc.getUsers(), currentContext: kc.getCurrentContext() });
  return dumpYaml(JSON.parse(kc.exportConfig()));
}
