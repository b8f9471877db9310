import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useClient } from '../../app/client-context.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { boxesIcon } from '../../ui/icons.js';
import { formatInstant, workloadOf } from './cluster-model.js';
import { clusterActions, useCluster, type ClusterActions, type ClusterView } from './cluster-store.js';
import { AddContextForms, ContextBar } from './ContextBar.js';
import { JoinWizard } from './JoinWizard.js';
import { NodeDrawer } from './NodeDrawer.js';
import { NodesTable } from './NodesTable.js';
import { PodDrawer } from './PodDrawer.js';
import { PodsTable } from './PodsTable.js';
import './cluster.css';

/** How long a confirmation ("Deleted pod …") stays before it fades away; errors stay until the next action. */
const NOTICE_MS = 8_000;

const VIEWS: { id: ClusterView; label: string }[] = [
  { id: 'pods', label: 'Pods' },
  { id: 'nodes', label: 'Nodes' },
  { id: 'join', label: 'Join a gateway' },
];

/** The snapshot banner, the connecting notice, or why the watch stopped. */
function LinkBanner({ onRetry }: { onRetry(): void }) {
  const link = useCluster((s) => s.link);
  const loaded = useCluster((s) => s.loaded);
  const watchError = useCluster((s) => s.watchError);
  const server = useCluster((s) => s.contexts?.find((c) => c.contextId === s.contextId)?.server);
  if (link.state === 'live') return null;
  if (link.state === 'connecting')
    return (
      <div className="banner notice cluster-banner" role="status" data-testid="cluster-connecting">
        <span className="spinner" aria-hidden />
        {loaded && link.asOf ? `Connecting to ${server}… showing the snapshot as of ${formatInstant(link.asOf)} meanwhile (read-only).` : `Connecting to ${server}…`}
      </div>
    );
  return (
    <div className="banner offline cluster-banner" role="alert" data-testid="cluster-offline">
      <div className="banner-body">
        <b>{link.asOf ? `Offline — showing the snapshot as of ${formatInstant(link.asOf)}` : 'Offline — no snapshot of this cluster yet'}</b>
        <span> · read-only: delete, restart, shell and port-forward need the live cluster.</span>
        {(watchError ?? link.message) && <div className="banner-detail">{watchError ?? `${link.message}${link.hint ? ` ${link.hint}` : ''}`}</div>}
      </div>
      {watchError && (
        <button className="button" onClick={onRetry}>
          Reconnect
        </button>
      )}
    </div>
  );
}

function ConfirmDialog({ actions }: { actions: ClusterActions }) {
  const confirm = useCluster((s) => s.confirm);
  const pod = useCluster((s) => (s.confirm ? s.objects.pods.get(s.confirm.key) : undefined));
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), [confirm]);
  if (!confirm || !pod) return null;
  const workload = workloadOf(pod);
  const close = () => useCluster.setState({ confirm: null });
  const isDelete = confirm.action === 'delete';
  const title = isDelete ? `Delete pod ${pod.name}?` : `Restart ${workload?.kind} ${workload?.name}?`;
  return (
    <div className="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), close())}>
      <div className="modal danger" role="dialog" aria-modal="true" aria-label={isDelete ? 'Delete pod' : 'Rollout restart'}>
        <h2>{title}</h2>
        <p>
          {isDelete
            ? `${pod.namespace}/${pod.name} is deleted${pod.owner ? `; its ${pod.owner.kind} starts a replacement.` : '. It has no controller: nothing replaces it.'}`
            : `Every pod of ${pod.namespace}/${workload?.name} is replaced, as kubectl rollout restart does.`}
        </p>
        <div className="form-actions">
          <button className="button danger" onClick={() => void (isDelete ? actions.deletePod(confirm.key) : actions.rolloutRestart(confirm.key))}>
            {isDelete ? 'Delete' : 'Restart'}
          </button>
          <button className="button" ref={cancel} onClick={close}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}

const typing = (target: EventTarget) => target instanceof HTMLElement && (target.closest('input, textarea, select, .xterm') !== null || target.isContentEditable);

export function ClusterSection() {
  const client = useClient();
  const actions = useMemo(() => clusterActions(client), [client]);
  const contexts = useCluster((s) => s.contexts);
  const contextId = useCluster((s) => s.contextId);
  const view = useCluster((s) => s.view);
  const drawer = useCluster((s) => s.drawer);
  const error = useCluster((s) => s.error);
  const notice = useCluster((s) => s.notice);
  const [generation, setGeneration] = useState(0);
  const [adding, setAdding] = useState<'file' | 'server' | null>(null);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const stop = actions.watchConnections();
    void actions.loadContexts();
    return stop;
  }, [actions]);

  useEffect(() => {
    if (contextId) return actions.watch(contextId);
  }, [actions, contextId, generation]);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => useCluster.getState().notice === notice && useCluster.setState({ notice: null }), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape' && !(event.target instanceof HTMLElement && event.target.closest('.xterm'))) {
      if (useCluster.getState().drawer) useCluster.setState({ drawer: null });
      else if (!typing(event.target)) return;
      root.current?.querySelector<HTMLElement>('[role=grid]')?.focus();
      event.preventDefault();
    } else if (event.key === '/' && !typing(event.target)) {
      root.current?.querySelector<HTMLInputElement>('[data-filter]')?.focus();
      event.preventDefault();
    }
  };

  const banners = (
    <>
      {error && (
        <div className="banner error cluster-banner" role="alert">
          {error}
        </div>
      )}
      {notice && (
        <div className="cluster-notice" role="status">
          {notice}
          <button className="link-button" onClick={() => useCluster.setState({ notice: null })} aria-label="Dismiss">
            ✕
          </button>
        </div>
      )}
    </>
  );

  if (contexts === null) return <p className="muted">Loading cluster contexts…</p>;
  if (contexts.length === 0)
    return (
      <div className="cluster cluster-empty">
        {banners}
        <EmptyState
          icon={boxesIcon}
          title="No cluster connected"
          steps={[
            <>Reach the K3s server over SSH (connect to it in Devices first), or use a kubeconfig already on this laptop.</>,
            <>Check nodes, pods, events and container logs; the last state seen stays readable offline.</>,
            <>Joining a new gateway? The join wizard runs the preflight checks first, then installs the agent.</>,
          ]}
          actions={
            <>
              <button className="button primary" onClick={() => setAdding('file')}>
                Add kubeconfig…
              </button>
              <button className="button" onClick={() => setAdding('server')}>
                Add K3s server over SSH…
              </button>
            </>
          }
        >
          Nodes and pods of the site's K3s cluster, and a guided join for new gateways.
        </EmptyState>
        <AddContextForms actions={actions} adding={adding} onDone={() => setAdding(null)} />
      </div>
    );

  const podDrawer = view === 'pods' && drawer?.kind === 'pod' ? drawer : null;
  const nodeDrawer = view === 'nodes' && drawer?.kind === 'node' ? drawer : null;
  return (
    <div className="cluster" ref={root} onKeyDown={onKeyDown}>
      <ContextBar actions={actions} />
      {banners}
      <LinkBanner onRetry={() => setGeneration((g) => g + 1)} />
      <div className="cluster-views" role="tablist" aria-label="Cluster views">
        {VIEWS.map((v) => (
          <button key={v.id} role="tab" aria-selected={view === v.id} className={`cluster-tab${view === v.id ? ' active' : ''}`} onClick={() => useCluster.setState({ view: v.id, drawer: null })}>
            {v.label}
          </button>
        ))}
        <span className="status-spacer" />
        {view !== 'join' && (
          <span className="muted key-help">
            <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open · <kbd>/</kbd> filter · <kbd>l</kbd> logs · <kbd>s</kbd> shell · <kbd>y</kbd> YAML · <kbd>Ctrl</kbd>+<kbd>D</kbd> delete · <kbd>Esc</kbd> close
          </span>
        )}
      </div>
      <div className={`cluster-body${podDrawer || nodeDrawer ? ' with-drawer' : ''}`}>
        {view === 'pods' && <PodsTable />}
        {view === 'nodes' && <NodesTable />}
        {view === 'join' && <JoinWizard />}
        {podDrawer && <PodDrawer key={podDrawer.key} podId={podDrawer.key} tab={podDrawer.tab} actions={actions} />}
        {nodeDrawer && <NodeDrawer key={nodeDrawer.key} name={nodeDrawer.key} tab={nodeDrawer.tab} actions={actions} />}
      </div>
      <ConfirmDialog actions={actions} />
    </div>
  );
}
