/** `/etc/rancher/k3s/config.yaml` for an agent: the same keys as the k3s agent flags. */
export interface AgentConfig {
  server: string;
  token: string;
  nodeName?: string;
  withNodeId?: boolean;
  nodeIp?: string;
  labels?: readonly string[];
  taints?: readonly string[];
}

/** JSON strings are valid YAML double-quoted scalars: safe for any value. */
const scalar = (value: string) => JSON.stringify(value);

export function renderAgentConfig(c: AgentConfig): string {
  const lines = [`server: ${scalar(c.server)}`, `token: ${scalar(c.token)}`];
  if (c.nodeName) lines.push(`node-name: ${scalar(c.nodeName)}`);
  if (c.withNodeId) lines.push('with-node-id: true');
  if (c.nodeIp) lines.push(`node-ip: ${scalar(c.nodeIp)}`);
  for (const [key, values] of [
    ['node-label', c.labels ?? []],
    ['node-taint', c.taints ?? []],
  ] as const) {
    if (values.length) lines.push(`${key}:`, ...values.map((v) => `  - ${scalar(v)}`));
  }
  return `${lines.join('\n')}\n`;
}
