import type { EventView } from '../contract/cluster.js';
import type { KubeEvent } from './kube-objects.js';

/** kubectl's LAST SEEN and COUNT: a series wins, then lastTimestamp, then the first time the event was seen. */
export function eventView(event: KubeEvent): EventView {
  const meta = event.metadata ?? {};
  const first = event.firstTimestamp || event.eventTime || meta.creationTimestamp || '';
  const lastSeen = event.series?.lastObservedTime || event.lastTimestamp || first;
  const count = event.series ? (event.series.count ?? 1) : event.count || 1;
  const involved = event.involvedObject ?? {};
  return {
    namespace: meta.namespace ?? '',
    name: meta.name ?? '',
    uid: meta.uid ?? '',
    type: event.type ?? '',
    reason: event.reason ?? '',
    message: event.message ?? '',
    object: { kind: involved.kind ?? '', name: involved.name ?? '', ...(involved.namespace && { namespace: involved.namespace }) },
    count,
    ...(first && { firstSeen: first }),
    lastSeen,
  };
}

/** kubectl's OBJECT column: `pod/web-1`, or just the kind. */
export function eventTarget(event: EventView): string {
  const kind = event.object.kind.toLowerCase();
  return event.object.name ? `${kind}/${event.object.name}` : kind;
}
