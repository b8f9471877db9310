import { describe, expect, it } from 'vitest';
import { eventTarget, eventView } from './event-view.js';

describe('eventView', () => {
  it('maps a core/v1 event with a count', () => {
    const view = eventView({
      metadata: { name: 'web-1.17a', namespace: 'shop', uid: 'e1' },
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
      involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'shop' },
      count: 12,
      firstTimestamp: '2026-11-28T10:00:00Z',
      lastTimestamp: '2026-11-28T11:00:00Z',
    });
    expect(view).toEqual({
      namespace: 'shop',
      name: 'web-1.17a',
      uid: 'e1',
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
      object: { kind: 'Pod', name: 'web-1', namespace: 'shop' },
      count: 12,
      firstSeen: '2026-11-28T10:00:00Z',
      lastSeen: '2026-11-28T11:00:00Z',
    });
    expect(eventTarget(view)).toBe('pod/web-1');
  });

  it('uses the series, else eventTime, and counts a singleton as 1', () => {
    expect(eventView({ eventTime: '2026-11-28T10:00:00.123456Z', series: { count: 5, lastObservedTime: '2026-11-28T10:05:00.000001Z' } })).toMatchObject({
      lastSeen: '2026-11-28T10:05:00.000001Z',
      count: 5,
    });
    expect(eventView({ eventTime: '2026-11-28T10:00:00.123456Z' })).toMatchObject({ lastSeen: '2026-11-28T10:00:00.123456Z', count: 1 });
    expect(eventTarget(eventView({ involvedObject: { kind: 'Node' } }))).toBe('node');
  });
});
