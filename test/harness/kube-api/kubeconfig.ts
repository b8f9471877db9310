/** Kubeconfig files shaped like K3s's /etc/rancher/k3s/k3s.yaml (everything named `default`). */

const b64 = (s: string) => Buffer.from(s).toString('base64');

function kubeconfig(server: string, caPem: string, user: string[]): string {
  return [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${b64(caPem)}`,
    `    server: ${server}`,
    '  name: default',
    'contexts:',
    '- context:',
    '    cluster: default',
    '    user: default',
    '  name: default',
    'current-context: default',
    'kind: Config',
    'preferences: {}',
    'users:',
    '- name: default',
    '  user:',
    ...user.map((line) => `    ${line}`),
    '',
  ].join('\n');
}

export function certKubeconfig(server: string, caPem: string, certPem: string, keyPem: string): string {
  return kubeconfig(server, caPem, [`client-certificate-data: ${b64(certPem)}`, `client-key-data: ${b64(keyPem)}`]);
}

export function tokenKubeconfig(server: string, caPem: string, token: string): string {
  return kubeconfig(server, caPem, [`token: ${token}`]);
}
