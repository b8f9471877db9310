import { useState } from 'react';
import type { PodView } from '../../../../shared/contract/cluster.js';
import { restartsText } from '../../../../shared/cluster/kubectl-table.js';
import { podKey, podTone, since, workloadOf } from './cluster-model.js';
import { isReadOnly, useCluster, type ClusterActions, type PodTab } from './cluster-store.js';
import { DrawerFrame } from './DrawerFrame.js';
import { ObjectEvents } from './ObjectEvents.js';
import { PodLogs } from './PodLogs.js';
import { PodShell } from './PodShell.js';
import { PortForwards } from './PortForwards.js';
import { useNow } from './use-now.js';
import { YamlView } from './YamlView.js';

const TABS: { id: PodTab; label: string; key: string }[] = [
  { id: 'logs', label: 'Logs', key: 'l' },
  { id: 'events', label: 'Events', key: 'e' },
  { id: 'yaml', label: 'YAML', key: 'y' },
  { id: 'shell', label: 'Shell', key: 's' },
];

function ContainerPicker({ pod, value, onChange }: { pod: PodView; value: string; onChange(name: string): void }) {
  if (pod.containers.length < 2) return null;
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} aria-label="Container">
      {pod.containers.map((c) => (
        <option key={c.name} value={c.name}>
          {c.init ? `${c.name} (init)` : c.name}
        </option>
      ))}
    </select>
  );
}

/** The first regular container: what kubectl picks when none is named. */
const defaultContainer = (pod: PodView) => (pod.containers.find((c) => !c.init) ?? pod.containers[0])?.name ?? '';

export function PodDrawer({ podId, tab, actions }: { podId: string; tab: PodTab; actions: ClusterActions }) {
  const pod = useCluster((s) => s.objects.pods.get(podId));
  const readOnly = useCluster(isReadOnly);
  const busy = useCluster((s) => s.busy);
  const [chosen, setChosen] = useState<string | null>(null);
  const now = useNow();
  if (!pod) {
    return (
      <DrawerFrame title={podId.slice(podId.indexOf('/') + 1)} subtitle={`Pod in ${podId.slice(0, podId.indexOf('/'))}`} tabs={[]} tab="" onTab={() => {}}>
        <p className="muted drawer-empty">This pod is gone (deleted or replaced). Its controller may have started a new one: look for it in the table.</p>
      </DrawerFrame>
    );
  }
  const container = chosen && pod.containers.some((c) => c.name === chosen) ? chosen : defaultContainer(pod);
  const picker = <ContainerPicker pod={pod} value={container} onChange={setChosen} />;
  const workload = workloadOf(pod);
  const set = useCluster.setState;
  const lockedTitle = readOnly ? 'Needs the live cluster: the snapshot is read-only' : undefined;

  return (
    <DrawerFrame
      title={pod.name}
      subtitle={
        <>
          <span className={`status-chip tone-${podTone(pod)}`}>{pod.status}</span> {pod.namespace} · {pod.ready}/{pod.total} ready · restarts {restartsText(pod, now)} · age{' '}
          {since(pod.createdAt, now)}
          {pod.node && ` · on ${pod.node}`}
          {pod.ip && ` · ${pod.ip}`}
        </>
      }
      tabs={TABS.map((t) => ({ ...t, disabled: t.id === 'shell' && readOnly }))}
      tab={tab}
      onTab={(next) => set({ drawer: { kind: 'pod', key: podId, tab: next as PodTab } })}
      actions={
        <>
          <button className="button" disabled={readOnly || !!busy} title={lockedTitle} onClick={() => set({ confirm: { action: 'delete', key: podKey(pod) } })}>
            Delete pod
          </button>
          <button
            className="button"
            disabled={readOnly || !workload || !!busy}
            title={lockedTitle ?? (workload ? `kubectl rollout restart ${workload.kind.toLowerCase()}/${workload.name}` : 'This pod has no Deployment, DaemonSet or StatefulSet')}
            onClick={() => set({ confirm: { action: 'restart', key: podKey(pod) } })}
          >
            {workload ? `Restart ${workload.kind}` : 'Rollout restart'}
          </button>
        </>
      }
      extra={<PortForwards pod={pod} readOnly={readOnly} actions={actions} />}
    >
      {tab === 'logs' && <PodLogs pod={pod} container={container} picker={picker} />}
      {tab === 'events' && <ObjectEvents kind="Pod" namespace={pod.namespace} name={pod.name} />}
      {tab === 'yaml' && <YamlView kind="Pod" namespace={pod.namespace} name={pod.name} />}
      {tab === 'shell' && (readOnly ? <p className="muted drawer-empty">A shell needs the live cluster; the snapshot is read-only.</p> : <PodShell pod={pod} container={container} picker={picker} />)}
    </DrawerFrame>
  );
}
