import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diagnoseJournalLine, isAgentAccepted, isFatal } from './diagnose.js';

describe('journal diagnosis', () => {
  it('names the failures K3s agents log', () => {
    const cases: [string, string][] = [
      [
        'level=error msg="Failed to retrieve agent configuration: Node password rejected, duplicate hostname or contents of \'/etc/rancher/node/password\' may not match server node-passwd entry, try enabling a unique node name with the --with-node-id flag"',
        'node-password-rejected',
      ],
      ['level=fatal msg="Error: token CA hash does not match the Cluster CA certificate hash: 1234 != 5678"', 'token-ca-mismatch'],
      ['level=error msg="Failed to validate connection to cluster at https://10.0.0.1:6443: dial tcp 10.0.0.1:6443: connect: connection refused"', 'server-unreachable'],
      ['level=error msg="... x509: certificate has expired or is not yet valid: current time 2019-01-01T00:00:00Z is before ..."', 'clock-skew'],
    ];
    for (const [line, code] of cases) expect(diagnoseJournalLine(line, 'gw-1')?.code).toBe(code);
    const d = diagnoseJournalLine(cases[0][0], 'gw-1')!;
    expect(d).toMatchObject({ title: 'Node password rejected', action: 'delete-node-password', evidence: cases[0][0] });
    expect(d.fix).toContain('kube-system/gw-1.node-password.k3s');
    expect(isFatal(d)).toBe(true);
    expect(isFatal(diagnoseJournalLine(cases[2][0], 'gw-1')!)).toBe(false);
    expect(diagnoseJournalLine('level=info msg="Starting k3s agent v1.31.4+k3s1"', 'gw-1')).toBeUndefined();
  });

  it('names a token the server refuses (401) in the wordings K3s agents log, and stops the join on it', () => {
    const lines = [
      // v1.2x+: retried by the agent's config loop (k3s-io/k3s pkg/agent/config: Get).
      'time="2024-05-02T10:11:12Z" level=info msg="Waiting to retrieve agent configuration; server is not ready: failed to retrieve configuration from server: https://127.0.0.1:6444/v1-k3s/config: 401 Unauthorized"',
      // v1.21 (k3s-io/k3s#4220).
      'level=fatal msg="Failed to configure agent: failed to retrieve configuration from server: https://127.0.0.1:6444/v1-k3s/config: 401 Unauthorized"',
      // k3s-io/k3s#8381, #3119.
      'level=fatal msg="Error: failed to get CA certs: https://127.0.0.1:6444/cacerts: 401 Unauthorized"',
      // The node-certificate request (getNodeNamedCrt: `<url>: <status>`), as the stand-in agent logs it.
      'level=fatal msg="Error: failed to retrieve configuration from server: https://10.0.0.1:6443/v1-k3s/serving-kubelet.crt: 401 Unauthorized"',
    ];
    for (const line of lines) {
      const d = diagnoseJournalLine(line, 'gw-1')!;
      expect(d).toMatchObject({ code: 'token-ca-mismatch', title: 'The server rejected the join token', evidence: line });
      expect(d.fix).toContain('k3s token create');
      expect(d.fix).toContain('/var/lib/rancher/k3s/server/token');
      expect(isFatal(d)).toBe(true);
    }
    // Not a 401: the CA check keeps its own title; a server still starting is only waited for.
    expect(diagnoseJournalLine('level=fatal msg="Error: token CA hash does not match the Cluster CA certificate hash: 12 != 34"', 'gw-1')?.title).toBe('Token or CA mismatch');
    const starting = diagnoseJournalLine('level=info msg="Waiting to retrieve agent configuration; server is not ready: https://127.0.0.1:6444/v1-k3s/serving-kubelet.crt: 503 Service Unavailable"', 'gw-1')!;
    expect(starting.code).toBe('server-unreachable');
    expect(isFatal(starting)).toBe(false);
  });

  it('recognises the lines of an accepted agent', () => {
    expect(isAgentAccepted('level=info msg="Connecting to proxy" url="wss://10.0.0.1:6443/v1-k3s/connect"')).toBe(true);
    expect(isAgentAccepted('I1128 kubelet_node_status.go:76] "Successfully registered node" node="gw-1"')).toBe(true);
    expect(isAgentAccepted('level=error msg="Node password rejected"')).toBe(false);
  });

  it('never throws and keeps the evidence short', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 5000 }), (line) => {
        const d = diagnoseJournalLine(line, 'n');
        if (d) expect(d.evidence.length).toBeLessThanOrEqual(2000);
      }),
    );
  });
});
