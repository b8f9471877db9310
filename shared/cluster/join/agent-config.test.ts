import fc from 'fast-check';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { renderAgentConfig } from './agent-config.js';

describe('agent config.yaml', () => {
  it('writes the k3s agent keys', () => {
    expect(
      renderAgentConfig({ server: 'https://10.0.0.1:6443', token: 'K10x::server:p', nodeName: 'gw-1', nodeIp: '10.0.0.7', labels: ['site=north'], taints: ['edge=true:NoSchedule'] }),
    ).toBe(
      [
        'server: "https://10.0.0.1:6443"',
        'token: "K10x::server:p"',
        'node-name: "gw-1"',
        'node-ip: "10.0.0.7"',
        'node-label:',
        '  - "site=north"',
        'node-taint:',
        '  - "edge=true:NoSchedule"',
        '',
      ].join('\n'),
    );
    expect(renderAgentConfig({ server: 's', token: 't', withNodeId: true })).toBe('server: "s"\ntoken: "t"\nwith-node-id: true\n');
  });

  it('any values read back unchanged by a YAML parser', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.option(fc.string({ minLength: 1 }), { nil: undefined }), fc.array(fc.string()), (server, token, nodeName, labels) => {
        const parsed = load(renderAgentConfig({ server, token, nodeName, labels })) as Record<string, unknown>;
        expect(parsed.server).toBe(server);
        expect(parsed.token).toBe(token);
        expect(parsed['node-name']).toBe(nodeName);
        expect(parsed['node-label']).toEqual(labels.length ? labels : undefined);
      }),
    );
  });
});
