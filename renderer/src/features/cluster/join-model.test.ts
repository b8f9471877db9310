import { describe, expect, it } from 'vitest';
import { applyJoinEvent, emptyJoinForm, endJoinRun, JOURNAL_LINES, joinPlanOf, joinProblems, recoveryNodeName, startJoinRun } from './join-model.js';

describe('join run', () => {
  it('tracks step states, progress, diagnoses (one per code) and the joined node', () => {
    let run = startJoinRun();
    expect(Object.values(run.steps).every((s) => s.state === 'pending')).toBe(true);
    run = applyJoinEvent(run, { type: 'step', step: 'upload', state: 'running' });
    run = applyJoinEvent(run, { type: 'progress', step: 'upload', bytesDone: 10, bytesTotal: 100, bytesPerSecond: 5, etaSeconds: 18 });
    const diagnosis = { code: 'node-password-rejected' as const, title: 'Node password rejected', evidence: 'line', fix: 'delete it', action: 'delete-node-password' as const };
    run = applyJoinEvent(run, { type: 'diagnosis', diagnosis });
    run = applyJoinEvent(run, { type: 'diagnosis', diagnosis: { ...diagnosis, evidence: 'again' } });
    expect(run.steps.upload).toEqual({ state: 'running', detail: undefined });
    expect(run.progress?.bytesDone).toBe(10);
    expect(run.diagnoses.map((d) => d.evidence)).toEqual(['again']);
    run = applyJoinEvent(run, { type: 'done', nodeName: 'gw-7' });
    expect(run).toMatchObject({ joined: 'gw-7', running: false });
    expect(endJoinRun(run, null).error).toBeNull();
  });

  it('keeps the newest journal lines only', () => {
    let run = startJoinRun();
    for (let i = 0; i < JOURNAL_LINES + 5; i++) run = applyJoinEvent(run, { type: 'journal', line: `line ${i}` });
    expect(run.journal).toHaveLength(JOURNAL_LINES);
    expect(run.journal.at(-1)).toBe(`line ${JOURNAL_LINES + 4}`);
    expect(run.journal[0]).toBe('line 5');
  });

  it('marks the running step failed when the stream ends with an error', () => {
    const run = applyJoinEvent(startJoinRun(), { type: 'step', step: 'start', state: 'running' });
    const ended = endJoinRun(run, 'server unreachable');
    expect(ended.steps.start.state).toBe('failed');
    expect(ended).toMatchObject({ running: false, error: 'server unreachable' });
  });
});

describe('the node a recovery acts on', () => {
  it('is the name asked for, else the preflight hostname, else the one the node-password message names', () => {
    const failed = endJoinRun(startJoinRun(), 'Node password rejected: the node did not join. Delete kube-system/gw-rf.node-password.k3s first.');
    expect(recoveryNodeName(failed, 'gw-7', 'host')).toBe('gw-7');
    expect(recoveryNodeName(failed, '', 'host')).toBe('host');
    expect(recoveryNodeName(failed, '', null)).toBe('gw-rf');
    expect(recoveryNodeName(startJoinRun(), '', null)).toBe('');
  });
});

describe('join form', () => {
  const filled = { ...emptyJoinForm('https://10.0.0.5:6443'), gatewayConnectionId: 'c1', token: 'K10abc::server:secret' };

  it('says what is missing, by part of the wizard', () => {
    expect(joinProblems(emptyJoinForm()).map((p) => p.part)).toEqual(['gateway', 'server', 'server']);
    expect(joinProblems(filled)).toEqual([]);
    expect(joinProblems({ ...filled, tokenKind: 'server-ttl', ttl: '1 hour' }).map((p) => p.message)).toEqual([
      'Pick the SSH connection to the K3s server to read the token from.',
      'The token lifetime is a number with s, m or h (e.g. 1h).',
    ]);
    expect(joinProblems({ ...filled, nodeName: 'GW_1', labels: 'site=a\nbad', taints: 'edge=true:Sometimes' }).map((p) => p.part)).toEqual(['node', 'node', 'node']);
  });

  it('builds the plan the contract accepts', () => {
    const plan = joinPlanOf({ ...filled, server: 'https://10.0.0.5:6443/', labels: 'site=plant-3, role=edge', taints: 'edge=true:NoSchedule', nodeName: 'gw-7', bundle: 'v1.31.4+k3s1/arm64' }, 'ctx');
    expect(plan).toEqual({
      gatewayConnectionId: 'c1',
      server: 'https://10.0.0.5:6443',
      token: { kind: 'pasted', token: 'K10abc::server:secret' },
      contextId: 'ctx',
      mode: 'airgap',
      bundle: 'v1.31.4+k3s1/arm64',
      nodeName: 'gw-7',
      withNodeId: false,
      labels: ['site=plant-3', 'role=edge'],
      taints: ['edge=true:NoSchedule'],
    });
    expect(joinPlanOf({ ...filled, mode: 'online', bundle: 'x', tokenKind: 'server-ttl', tokenConnectionId: 's1', ttl: '30m' }, 'ctx')).toMatchObject({
      mode: 'online',
      token: { kind: 'server-ttl', connectionId: 's1', ttl: '30m' },
    });
    expect(joinPlanOf({ ...filled, mode: 'online', bundle: 'x' }, 'ctx').bundle).toBeUndefined();
  });
});
