import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { pointAtTunnel } from './k3s-kubeconfig.js';

const k3sYaml = (server: string) => `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: Q0EtREFUQQ==
    server: ${server}
  name: default
contexts:
- context:
    cluster: default
    user: default
  name: default
current-context: default
kind: Config
preferences: {}
users:
- name: default
  user:
    client-certificate-data: Q0VSVA==
    client-key-data: S0VZ
`;

const load = (yaml: string) => {
  const kc = new KubeConfig();
  kc.loadFromString(yaml);
  return kc;
};

describe('pointAtTunnel', () => {
  it("points K3s's 127.0.0.1:6443 at the tunnel's local port and keeps the credentials", () => {
    const kc = load(pointAtTunnel(k3sYaml('https://127.0.0.1:6443'), 41234));
    expect(kc.getCurrentCluster()).toMatchObject({ server: 'https://127.0.0.1:41234', caData: 'Q0EtREFUQQ==', skipTLSVerify: false });
    expect(kc.getCurrentCluster()?.tlsServerName).toBeUndefined();
    expect(kc.getCurrentUser()).toMatchObject({ certData: 'Q0VSVA==', keyData: 'S0VZ' });
    expect(kc.getCurrentContext()).toBe('default');
  });

  it('keeps a server name other than loopback for the TLS check', () => {
    const kc = load(pointAtTunnel(k3sYaml('https://k3s.plant-3.local:6443'), 41234));
    expect(kc.getCurrentCluster()).toMatchObject({ server: 'https://127.0.0.1:41234', tlsServerName: 'k3s.plant-3.local' });
  });

  it('refuses text that is not a kubeconfig', () => {
    expect(() => pointAtTunnel('clusters: [unclosed', 1)).toThrow(/k3s.yaml is not a kubeconfig/);
    expect(() => pointAtTunnel('apiVersion: v1\nkind: Config\n', 1)).toThrow(/names no cluster or context/);
  });
});
