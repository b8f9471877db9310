import type { Diagnosis } from '../../contract/cluster.js';

interface Rule {
  code: Exclude<Diagnosis['code'], 'unknown'>;
  pattern: RegExp;
  title: string;
  fix: (node: string) => string;
  action?: Diagnosis['action'];
}

/** Ordered: the first matching rule names the failure. Patterns follow the messages K3s agents actually log. */
const RULES: Rule[] = [
  {
    code: 'node-password-rejected',
    pattern: /node password rejected|node-passwd entry|password.*node-password\.k3s/i,
    title: 'Node password rejected',
    fix: (node) =>
      `The cluster remembers an earlier gateway named ${node} (usually this one before it was re-flashed). Delete the old node and its kube-system/${node}.node-password.k3s secret, then join again; or join under another name (--node-name / --with-node-id).`,
    action: 'delete-node-password',
  },
  {
    // `…/v1-k3s/config: 401 Unauthorized` (retried as "Waiting to retrieve agent configuration; server is not ready: …"),
    // `…/v1-k3s/serving-kubelet.crt: 401 Unauthorized`, `failed to get CA certs: …/cacerts: 401 Unauthorized`.
    code: 'token-ca-mismatch',
    pattern: /\b401 Unauthorized\b/i,
    title: 'The server rejected the join token',
    fix: () =>
      'The server does not accept this token: it is mistyped, was revoked, or (a k3s token create token) has expired. Get a fresh one on the server with k3s token create (e.g. --ttl 1h) or read /var/lib/rancher/k3s/server/token there, then join again.',
  },
  {
    code: 'token-ca-mismatch',
    pattern: /token CA hash does not match|failed to validate token|invalid token|token is not valid|x509: certificate signed by unknown authority/i,
    title: 'Token or CA mismatch',
    fix: () =>
      'The token does not belong to this server, or its CA changed. Take a fresh token from the server (/var/lib/rancher/k3s/server/token or k3s token create) and check the server URL.',
  },
  {
    code: 'clock-skew',
    pattern: /certificate has expired or is not yet valid|clock skew|not yet valid/i,
    title: 'Clock skew',
    fix: () => 'The gateway clock differs from the server: enable NTP (timedatectl set-ntp true) or set the time with date -s, then restart the agent (systemctl restart k3s-agent).',
  },
  {
    code: 'server-unreachable',
    pattern: /connection refused|no route to host|i\/o timeout|network is unreachable|dial tcp|Failed to validate connection to cluster|context deadline exceeded|server is not ready/i,
    title: 'Server unreachable',
    fix: () => 'The gateway cannot reach the server on 6443: check the server URL, the network and firewall between them, and that K3s runs on the server.',
  },
];

/** A named failure in one `journalctl -u k3s-agent` line, or undefined when the line names none. */
export function diagnoseJournalLine(line: string, nodeName: string): Diagnosis | undefined {
  const rule = RULES.find((r) => r.pattern.test(line));
  if (!rule) return undefined;
  return { code: rule.code, title: rule.title, evidence: line.trim().slice(0, 2000), fix: rule.fix(nodeName), ...(rule.action ? { action: rule.action } : {}) };
}

/** Failures that retrying will not cure: the join stops on them instead of waiting for Ready. */
export const isFatal = (d: Diagnosis) => d.code === 'node-password-rejected' || d.code === 'token-ca-mismatch';

/** Lines a K3s agent logs once the server accepted it (past the token and node-password checks). */
export const isAgentAccepted = (line: string) => /Successfully registered node|Connecting to proxy|Remotedialer connected to proxy/i.test(line);
