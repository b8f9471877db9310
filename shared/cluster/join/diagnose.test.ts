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
