/**
 * Deployments (with their ReplicaSets), DaemonSets and StatefulSets, and the little controller behaviour kubectl
 * and FieldKit rely on: a deleted pod is replaced, and a changed pod template (rollout restart) replaces every pod.
 */
import { createHash } from 'node:crypto';
import { ago, ownerRef, podObject, timestamp, type PodState } from './objects.js';
import { randomSuffix, type ObjectStore } from './store.js';
import type { KubeObject, Node, Pod, StoreEvent } from './types.js';

export type WorkloadKind = 'Deployment' | 'DaemonSet' | 'StatefulSet';

export interface WorkloadInput {
  kind: WorkloadKind;
  namespace: string;
  name: string;
  image: string;
  /** Deployments and StatefulSets; DaemonSets run one pod on every node. */
  replicas?: number;
  ports?: number[];
  /** The state of each pod the workload starts with, by index (default running). */
  podStates?: PodState[];
  ageSeconds?: number;
}

const PLURAL: Record<WorkloadKind, string> = { Deployment: 'deployments', DaemonSet: 'daemonsets', StatefulSet: 'statefulsets' };

interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { containers: { name: string; image: string; ports?: { containerPort: number }[] }[] };
}

function templateOf(w: KubeObject): PodTemplate {
  return (w.spec as { template: PodTemplate }).template;
}

const SAFE_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** Like pod-template-hash: a hash of the template spelled with apimachinery's SafeEncodeString alphabet. */
function templateHash(template: PodTemplate): string {
  const digest = createHash('sha256').update(JSON.stringify(template)).digest();
  return Array.from(digest.subarray(0, 10), (b) => SAFE_CHARS[b % SAFE_CHARS.length]).join('');
}

export function workloadObject(input: WorkloadInput): KubeObject {
  const labels = { app: input.name };
  const template: PodTemplate = {
    metadata: { labels },
    spec: { containers: [{ name: input.name, image: input.image, ...(input.ports ? { ports: input.ports.map((p) => ({ containerPort: p })) } : {}) }] },
  };
  const spec: Record<string, unknown> = { selector: { matchLabels: labels }, template, revisionHistoryLimit: 10 };
  if (input.kind !== 'DaemonSet') spec.replicas = input.replicas ?? 1;
  if (input.kind === 'Deployment') spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
  if (input.kind === 'DaemonSet') spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } };
  if (input.kind === 'StatefulSet') Object.assign(spec, { serviceName: input.name, podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'RollingUpdate' } });
  return {
    apiVersion: 'apps/v1',
    kind: input.kind,
    metadata: { name: input.name, namespace: input.namespace, creationTimestamp: ago(input.ageSeconds ?? 86_400 * 3), labels, annotations: {} },
    spec,
    status: {},
  };
}

function podTemplateCopy(template: PodTemplate, hashLabel: Record<string, string>): { labels: Record<string, string>; annotations?: Record<string, string> } {
  const annotations = template.metadata?.annotations;
  return { labels: { ...template.metadata?.labels, ...hashLabel }, ...(annotations && Object.keys(annotations).length ? { annotations } : {}) };
}

/** Pods per node name for a DaemonSet; names for the rest. */
function desiredPods(store: ObjectStore, w: KubeObject): { name: string; node?: string }[] {
  if (w.kind === 'DaemonSet') {
    const nodes = [...store.peek('nodes')] as Node[];
    return nodes.filter((n) => !n.spec.unschedulable).map((n) => ({ name: `${w.metadata.name}-${randomSuffix()}`, node: n.metadata.name }));
  }
  const replicas = Number((w.spec as { replicas?: number }).replicas ?? 1);
  return Array.from({ length: replicas }, (_, i) => ({ name: w.kind === 'StatefulSet' ? `${w.metadata.name}-${i}` : '' }));
}

export function nodeIp(store: ObjectStore, name: string): string | undefined {
  const node = store.find('nodes', undefined, name) as Node | undefined;
  return node?.status.addresses?.find((a) => a.type === 'InternalIP')?.address;
}

/** Nodes a scheduler would place new pods on: Ready and not cordoned. */
export function schedulableNodes(store: ObjectStore): string[] {
  const ready = (n: Node) => n.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  return ([...store.peek('nodes')] as Node[]).filter((n) => !n.spec.unschedulable && ready(n)).map((n) => n.metadata.name).sort();
}

/** What the controller last acted on: the template and the replica count. */
function observedKey(w: KubeObject): string {
  return `${templateHash(templateOf(w))}/${String((w.spec as { replicas?: number }).replicas ?? '')}`;
}

export class WorkloadController {
  private spread = 0;
  private stopWatching: (() => void)[] = [];
  /** observedKey() of each workload's last rollout, by workload uid. */
  private readonly observed = new Map<string, string>();
  /** Pods this controller deletes itself (rollouts), which it must not replace. */
  private readonly retiring = new Set<string>();

  constructor(private readonly store: ObjectStore) {}

  /** Create a workload and its pods at once (seeding), in the states asked for. */
  add(input: WorkloadInput): { workload: KubeObject; pods: Pod[] } {
    const workload = this.store.create(PLURAL[input.kind], workloadObject(input));
    const pods = this.rollOut(workload, input.podStates ?? [], input.ageSeconds);
    return { workload, pods };
  }

  /** From now on, replace deleted pods and roll out changed templates. */
  start(): void {
    const from = this.store.revision;
    this.stopWatching = [
      this.store.watch('pods', { fromRevision: from }, (e) => this.onPodEvent(e)),
      ...(['deployments', 'daemonsets', 'statefulsets'] as const).map((r) => this.store.watch(r, { fromRevision: from }, (e) => this.onWorkloadEvent(e))),
    ];
  }

  stop(): void {
    for (const s of this.stopWatching) s();
    this.stopWatching = [];
  }

  private ownerOf(pod: KubeObject): KubeObject | undefined {
    const ref = pod.metadata.ownerReferences?.find((o) => o.controller);
    if (!ref || !pod.metadata.namespace) return undefined;
    const plural = ref.kind === 'ReplicaSet' ? 'replicasets' : PLURAL[ref.kind as WorkloadKind];
    if (!plural) return undefined;
    const owner = this.store.find(plural, pod.metadata.namespace, ref.name);
    return owner && owner.metadata.uid === ref.uid ? owner : undefined;
  }

  private onPodEvent(e: StoreEvent): void {
    if (e.type !== 'DELETED' || this.retiring.delete(e.object.metadata.uid ?? '')) return;
    const owner = this.ownerOf(e.object);
    if (!owner) return;
    // Pods of a ReplicaSet that a rollout has scaled to zero are not replaced.
    if (owner.kind === 'ReplicaSet' && Number((owner.spec as { replicas?: number }).replicas) === 0) return;
    const pod = e.object as Pod;
    const name = owner.kind === 'StatefulSet' ? pod.metadata.name : `${owner.metadata.name}-${randomSuffix()}`;
    // Only a DaemonSet's pod belongs on the same node; the others go wherever the scheduler finds room.
    const node = owner.kind === 'DaemonSet' ? pod.spec.nodeName : undefined;
    setTimeout(() => {
      if (!this.store.find('pods', pod.metadata.namespace, name)) this.createPod(owner, name, node, 'running');
    }, 50);
  }

  private onWorkloadEvent(e: StoreEvent): void {
    const w = e.object;
    if (e.type === 'DELETED') {
      this.deleteOwned(w.metadata.namespace, (p) => this.ownedBy(p, w));
      for (const rs of [...this.store.peek('replicasets')]) {
        if (rs.metadata.namespace === w.metadata.namespace && rs.metadata.ownerReferences?.some((o) => o.uid === w.metadata.uid)) this.store.delete('replicasets', rs.metadata.namespace, rs.metadata.name);
      }
      this.observed.delete(w.metadata.uid ?? '');
      return;
    }
    // Deferred: add() rolls out its own workloads synchronously, with the pod states it was asked for.
    setTimeout(() => {
      const current = this.store.find(PLURAL[w.kind as WorkloadKind], w.metadata.namespace, w.metadata.name);
      if (current && current.metadata.uid === w.metadata.uid && this.observed.get(current.metadata.uid ?? '') !== observedKey(current)) this.rollOut(current, [], 0);
    }, 0);
  }

  private ownedBy(pod: KubeObject, w: KubeObject): boolean {
    const ref = pod.metadata.ownerReferences?.find((o) => o.controller);
    if (!ref) return false;
    if (ref.uid === w.metadata.uid) return true;
    if (ref.kind !== 'ReplicaSet') return false;
    const rs = this.store.find('replicasets', w.metadata.namespace, ref.name);
    return rs?.metadata.ownerReferences?.some((o) => o.uid === w.metadata.uid) ?? false;
  }

  private deleteOwned(namespace: string | undefined, owned: (pod: KubeObject) => boolean): void {
    for (const pod of [...this.store.peek('pods')]) {
      if (pod.metadata.namespace !== namespace || !owned(pod)) continue;
      this.retiring.add(pod.metadata.uid ?? '');
      this.store.delete('pods', namespace, pod.metadata.name);
    }
  }

  /** Replace every pod of the workload with pods of its current template. */
  private rollOut(workload: KubeObject, states: PodState[], ageSeconds: number | undefined): Pod[] {
    const ns = workload.metadata.namespace;
    const template = templateOf(workload);
    const hash = templateHash(template);
    let owner = workload;
    if (workload.kind === 'Deployment') {
      for (const rs of [...this.store.peek('replicasets')]) {
        if (rs.metadata.namespace === ns && rs.metadata.ownerReferences?.some((o) => o.uid === workload.metadata.uid)) {
          this.store.mutate('replicasets', ns, rs.metadata.name, (o) => {
            (o.spec as { replicas: number }).replicas = 0;
            o.status = { replicas: 0, observedGeneration: o.metadata.generation };
          });
        }
      }
      owner = this.replicaSet(workload, template, hash, ageSeconds ?? 0);
    }
    this.deleteOwned(ns, (p) => this.ownedBy(p, workload));
    const pods = desiredPods(this.store, workload).map((d, i) =>
      this.createPod(owner, d.name || `${owner.metadata.name}-${randomSuffix()}`, d.node, states[i] ?? 'running', ageSeconds),
    );
    this.recordStatus(workload, hash, pods, owner.metadata.annotations?.['deployment.kubernetes.io/revision']);
    return pods;
  }

  private replicaSet(deployment: KubeObject, template: PodTemplate, hash: string, ageSeconds: number): KubeObject {
    const name = `${deployment.metadata.name}-${hash}`;
    const replicas = Number((deployment.spec as { replicas?: number }).replicas ?? 1);
    const owned = [...this.store.peek('replicasets')].filter((rs) => rs.metadata.namespace === deployment.metadata.namespace && rs.metadata.ownerReferences?.some((o) => o.uid === deployment.metadata.uid));
    const revision = String(Math.max(0, ...owned.map((rs) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0))) + 1);
    const existing = this.store.find('replicasets', deployment.metadata.namespace, name);
    if (existing) {
      return this.store.mutate('replicasets', deployment.metadata.namespace, name, (o) => {
        (o.spec as { replicas: number }).replicas = replicas;
        o.metadata.annotations = { ...o.metadata.annotations, 'deployment.kubernetes.io/revision': revision };
      });
    }
    const copy = podTemplateCopy(template, { 'pod-template-hash': hash });
    return this.store.create('replicasets', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: deployment.metadata.namespace,
        labels: copy.labels,
        annotations: { 'deployment.kubernetes.io/desired-replicas': String(replicas), 'deployment.kubernetes.io/revision': revision },
        ownerReferences: [ownerRef(deployment)],
        creationTimestamp: ago(ageSeconds),
      },
      spec: { replicas, selector: { matchLabels: copy.labels }, template: { ...template, metadata: copy } },
      status: { replicas, readyReplicas: replicas, availableReplicas: replicas, fullyLabeledReplicas: replicas, observedGeneration: 1 },
    });
  }

  private createPod(owner: KubeObject, name: string, node: string | undefined, state: PodState, ageSeconds?: number): Pod {
    const template = templateOf(owner);
    const hashLabel: Record<string, string> =
      owner.kind === 'ReplicaSet' ? { 'pod-template-hash': owner.metadata.labels?.['pod-template-hash'] ?? '' } : { 'controller-revision-hash': `${owner.metadata.name}-${templateHash(template)}` };
    if (owner.kind === 'StatefulSet') hashLabel['statefulset.kubernetes.io/pod-name'] = name;
    const copy = podTemplateCopy(template, hashLabel);
    const nodes = schedulableNodes(this.store);
    const nodeName = node ?? (nodes.length ? nodes[this.spread++ % nodes.length] : undefined);
    const pod = podObject({
      namespace: owner.metadata.namespace,
      name,
      node: nodeName,
      hostIp: nodeName ? nodeIp(this.store, nodeName) : undefined,
      containers: template.spec.containers.map((c) => ({ name: c.name, image: c.image, ports: c.ports?.map((p) => p.containerPort) })),
      labels: copy.labels,
      owner: ownerRef(owner),
      state: nodes.length || node ? state : 'pending',
      ageSeconds: ageSeconds ?? 0,
    });
    if (copy.annotations) pod.metadata.annotations = copy.annotations;
    return this.store.create('pods', pod) as Pod;
  }

  private recordStatus(workload: KubeObject, hash: string, pods: Pod[], revision: string | undefined): void {
    const ready = pods.filter((p) => p.status.containerStatuses?.every((c) => c.ready)).length;
    const status: Record<string, unknown> =
      workload.kind === 'DaemonSet'
        ? { currentNumberScheduled: pods.length, desiredNumberScheduled: pods.length, numberAvailable: ready, numberMisscheduled: 0, numberReady: ready, updatedNumberScheduled: pods.length, observedGeneration: workload.metadata.generation }
        : {
            replicas: pods.length,
            readyReplicas: ready,
            availableReplicas: ready,
            updatedReplicas: pods.length,
            observedGeneration: workload.metadata.generation,
            ...(workload.kind === 'StatefulSet' ? { currentReplicas: pods.length, currentRevision: `${workload.metadata.name}-${hash}`, updateRevision: `${workload.metadata.name}-${hash}` } : {}),
            ...(workload.kind === 'Deployment'
              ? {
                  conditions: [
                    { type: 'Available', status: ready === pods.length ? 'True' : 'False', reason: ready === pods.length ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', lastUpdateTime: timestamp(), lastTransitionTime: timestamp() },
                    { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${workload.metadata.name}-${hash}" has successfully progressed.`, lastUpdateTime: timestamp(), lastTransitionTime: timestamp() },
                  ],
                }
              : {}),
          };
    this.observed.set(workload.metadata.uid ?? '', observedKey(workload));
    this.store.mutate(PLURAL[workload.kind as WorkloadKind], workload.metadata.namespace, workload.metadata.name, (o) => {
      if (revision) o.metadata.annotations = { ...o.metadata.annotations, 'deployment.kubernetes.io/revision': revision };
      o.status = status;
    });
  }
}
