import { describe, expect, it } from 'vitest';
import { podObject, nodeObject } from './objects.js';
import { humanDuration } from '../../../shared/cluster/age.js';
import { toTable, wantsTable } from './table.js';

describe('humanDuration (apimachinery duration.HumanDuration)', () => {
  it('formats like kubectl AGE', () => {
    const s = 1000;
    const cases: [number, string][] = [
      [-5 * s, '<invalid>'],
      [0, '0s'],
      [119 * s, '119s'],
      [120 * s, '2m'],
      [125 * s, '2m5s'],
      [10 * 60 * s, '10m'],
      [179 * 60 * s, '179m'],
      [3 * 3600 * s, '3h'],
      [(3 * 3600 + 5 * 60) * s, '3h5m'],
      [47 * 3600 * s, '47h'],
      [(2 * 24 + 5) * 3600 * s, '2d5h'],
      [8 * 24 * 3600 * s, '8d'],
      [(2 * 365 + 10) * 24 * 3600 * s, '2y10d'],
      [9 * 365 * 24 * 3600 * s, '9y'],
    ];
    for (const [ms, text] of cases) expect([ms, humanDuration(ms)]).toEqual([ms, text]);
  });
});

describe('Table rows', () => {
  it('print pod status as kubectl does: crash loops, completed, image pulls, terminating', () => {
    const rows = (p: ReturnType<typeof podObject>) => (toTable('Pod', [p], {}, 'None').rows as { cells: unknown[] }[])[0].cells;
    expect(rows(podObject({ name: 'a', node: 'n', state: 'crashloop', restarts: 3, lastRestartSecondsAgo: 30 })).slice(1, 4)).toEqual(['0/1', 'CrashLoopBackOff', '3 (30s ago)']);
    expect(rows(podObject({ name: 'b', node: 'n', state: 'completed' })).slice(1, 4)).toEqual(['0/1', 'Completed', '0']);
    expect(rows(podObject({ name: 'c', node: 'n', state: 'imagepull' })).slice(1, 6)).toEqual(['0/1', 'ImagePullBackOff', '0', '3d', '<none>']);
    const terminating = podObject({ name: 'd', node: 'n' });
    terminating.metadata.deletionTimestamp = new Date().toISOString();
    expect(rows(terminating)[2]).toBe('Terminating');
  });

  it('print node status with SchedulingDisabled and sorted roles', () => {
    const table = toTable('Node', [nodeObject({ name: 'n', roles: ['master', 'control-plane'], unschedulable: true, ready: false })], {}, 'Metadata');
    expect((table.rows as { cells: unknown[] }[])[0].cells.slice(0, 3)).toEqual(['n', 'NotReady,SchedulingDisabled', 'control-plane,master']);
  });

  it('are asked for by the first Accept entry only', () => {
    expect(wantsTable('application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json')).toBe(true);
    expect(wantsTable('application/json, */*')).toBe(false);
    expect(wantsTable(undefined)).toBe(false);
  });
});
