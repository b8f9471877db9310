import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContainerStatus, KubePod } from './kube-objects.js';
import { podStatus, podView } from './pod-view.js';

const running = (name: string, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name,
  ready: true,
  started: true,
  restartCount: 0,
  state: { running: { startedAt: '2026-11-28T10:00:00Z' } },
  ...extra,
});

function pod(status: NonNullable<KubePod['status']>, spec: Partial<NonNullable<KubePod['spec']>> = {}, meta: KubePod['metadata'] = {}): KubePod {
  return {
    metadata: { name: 'web-1', namespace: 'default', uid: 'u1', creationTimestamp: '2026-11-28T09:00:00Z', ...meta },
    spec: { nodeName: 'gw-1', containers: [{ name: 'app', image: 'app:1' }], ...spec },
    status,
  };
}

describe('podStatus (kubectl STATUS/READY/RESTARTS)', () => {
  it('running and ready', () => {
    expect(podStatus(pod({ phase: 'Running', containerStatuses: [running('app')] }))).toEqual({ status: 'Running', ready: 1, total: 1, restarts: 0 });
  });

  it('CrashLoopBackOff with restarts and the time of the last restart', () => {
    const p = pod({
      phase: 'Running',
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 7,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-11-28T11:58:00Z' } },
        },
      ],
    });
    expect(podStatus(p)).toEqual({ status: 'CrashLoopBackOff', ready: 0, total: 1, restarts: 7, lastRestartAt: '2026-11-28T11:58:00Z' });
  });

  it('the latest restart across containers wins', () => {
    const p = pod(
      {
        phase: 'Running',
        containerStatuses: [
          running('a', { restartCount: 1, lastState: { terminated: { exitCode: 2, finishedAt: '2026-11-28T10:00:00Z' } } }),
          running('b', { restartCount: 2, lastState: { terminated: { exitCode: 2, finishedAt: '2026-11-28T11:00:00Z' } } }),
        ],
      },
      { containers: [{ name: 'a' }, { name: 'b' }] },
    );
    expect(podStatus(p)).toMatchObject({ status: 'Running', ready: 2, total: 2, restarts: 3, lastRestartAt: '2026-11-28T11:00:00Z' });
  });

  it('Completed for a finished job, ExitCode/Signal when the runtime gave no reason', () => {
    expect(podStatus(pod({ phase: 'Succeeded', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] })).status).toBe('Completed');
    expect(podStatus(pod({ phase: 'Failed', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 3 } } }] })).status).toBe('ExitCode:3');
    expect(podStatus(pod({ phase: 'Failed', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 137, signal: 9 } } }] })).status).toBe('Signal:9');
  });

  it('a Completed container beside a running one reads Running or NotReady by the Ready condition', () => {
    const statuses = [{ name: 'job', state: { terminated: { exitCode: 0, reason: 'Completed' } } }, running('app')];
    const spec = { containers: [{ name: 'job' }, { name: 'app' }] };
    expect(podStatus(pod({ phase: 'Running', containerStatuses: statuses, conditions: [{ type: 'Ready', status: 'True' }] }, spec)).status).toBe('Running');
    expect(podStatus(pod({ phase: 'Running', containerStatuses: statuses, conditions: [{ type: 'Ready', status: 'False' }] }, spec)).status).toBe('NotReady');
  });

  it('Init:x/y while init containers run, Init:<reason> when one fails', () => {
    const spec = { initContainers: [{ name: 'migrate' }, { name: 'seed' }] };
    const first = { name: 'migrate', state: { terminated: { exitCode: 0, reason: 'Completed' } } };
    expect(podStatus(pod({ phase: 'Pending', initContainerStatuses: [first, { name: 'seed', state: { running: {} } }] }, spec)).status).toBe('Init:1/2');
    const crashing = { name: 'seed', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: '2026-11-28T11:00:00Z' } } };
    expect(podStatus(pod({ phase: 'Pending', initContainerStatuses: [first, crashing] }, spec))).toEqual({
      status: 'Init:CrashLoopBackOff',
      ready: 0,
      total: 1,
      restarts: 4,
      lastRestartAt: '2026-11-28T11:00:00Z',
    });
    expect(podStatus(pod({ phase: 'Pending', initContainerStatuses: [{ name: 'migrate', state: { terminated: { exitCode: 2 } } }] }, spec)).status).toBe('Init:ExitCode:2');
    expect(podStatus(pod({ phase: 'Pending', initContainerStatuses: [{ name: 'migrate', state: { waiting: { reason: 'PodInitializing' } } }] }, spec)).status).toBe('Init:0/2');
  });

  it('a started sidecar (restartable init container) counts toward READY and total', () => {
    const p = pod(
      { phase: 'Running', initContainerStatuses: [running('proxy')], containerStatuses: [running('app')], conditions: [{ type: 'Initialized', status: 'True' }] },
      { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] },
    );
    expect(podStatus(p)).toMatchObject({ status: 'Running', ready: 2, total: 2 });
  });

  it('Terminating once deleted, Unknown when its node was lost, SchedulingGated', () => {
    const deleted = { deletionTimestamp: '2026-11-28T12:00:00Z' };
    expect(podStatus(pod({ phase: 'Running', containerStatuses: [running('app')] }, {}, deleted)).status).toBe('Terminating');
    expect(podStatus(pod({ phase: 'Succeeded', containerStatuses: [] }, {}, deleted)).status).toBe('Succeeded');
    expect(podStatus(pod({ phase: 'Running', reason: 'NodeLost' }, {}, deleted)).status).toBe('Unknown');
    expect(podStatus(pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] })).status).toBe('SchedulingGated');
  });

  it('pending pods show the pod reason or phase', () => {
    expect(podStatus(pod({ phase: 'Pending' })).status).toBe('Pending');
    expect(podStatus(pod({ phase: 'Failed', reason: 'Evicted' })).status).toBe('Evicted');
    expect(podStatus(pod({ phase: 'Pending', containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ImagePullBackOff' } } }] })).status).toBe('ImagePullBackOff');
  });
});

describe('podView', () => {
  it('maps containers (init first), owner, node and IP', () => {
    const view = podView({
      metadata: {
        name: 'web-7d4b9c-x2x',
        namespace: 'shop',
        uid: 'u2',
        creationTimestamp: '2026-11-28T09:00:00Z',
        labels: { app: 'web', 'pod-template-hash': '7d4b9c' },
        ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7d4b9c', controller: true }],
      },
      spec: { nodeName: 'gw-2', initContainers: [{ name: 'init', image: 'busybox' }], containers: [{ name: 'app', image: 'web:2' }] },
      status: {
        phase: 'Running',
        podIP: '10.42.0.7',
        initContainerStatuses: [{ name: 'init', state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
        containerStatuses: [running('app', { restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: '2026-11-28T09:30:00Z' } } })],
      },
    });
    expect(view).toMatchObject({ namespace: 'shop', node: 'gw-2', ip: '10.42.0.7', owner: { kind: 'Deployment', name: 'web' }, status: 'Running', ready: 1, total: 1 });
    expect(view.containers).toEqual([
      { name: 'init', image: 'busybox', ready: false, restarts: 0, state: 'terminated', reason: 'Completed', init: true },
      { name: 'app', image: 'web:2', ready: true, restarts: 1, state: 'running', lastRestartAt: '2026-11-28T09:30:00Z', init: false },
    ]);
  });

  it('keeps other owners as they are', () => {
    expect(podView({ metadata: { ownerReferences: [{ kind: 'DaemonSet', name: 'svclb' }] } }).owner).toEqual({ kind: 'DaemonSet', name: 'svclb' });
    expect(podView({ metadata: { labels: { 'pod-template-hash': 'zz' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'orphan-rs' }] } }).owner).toEqual({ kind: 'ReplicaSet', name: 'orphan-rs' });
  });

  it('never throws on odd or partial objects', () => {
    const anyJson = fc.jsonValue({ maxDepth: 4 });
    const partialPod = fc.record(
      {
        metadata: fc.record({ name: fc.string(), deletionTimestamp: fc.string(), ownerReferences: fc.array(fc.record({ kind: fc.string(), name: fc.string() })) }, { requiredKeys: [] }),
        spec: fc.record({ containers: fc.array(fc.record({ name: fc.string() })), initContainers: fc.array(fc.record({ name: fc.string(), restartPolicy: fc.constantFrom('Always', 'Never') })) }, { requiredKeys: [] }),
        status: fc.record(
          {
            phase: fc.string(),
            conditions: fc.array(fc.record({ type: fc.string(), status: fc.string(), reason: fc.string() })),
            containerStatuses: fc.array(fc.record({ name: fc.string(), ready: fc.boolean(), restartCount: fc.nat(), state: anyJson, lastState: anyJson }, { requiredKeys: [] })),
            initContainerStatuses: fc.array(fc.record({ name: fc.string(), started: fc.boolean(), state: anyJson }, { requiredKeys: [] })),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(partialPod, (p) => {
        const view = podView(p as KubePod);
        expect(typeof view.status).toBe('string');
        expect(Number.isInteger(view.ready) && Number.isInteger(view.restarts)).toBe(true);
        expect(view.containers.every((c) => ['running', 'waiting', 'terminated', 'unknown'].includes(c.state))).toBe(true);
      }),
    );
  });
});
