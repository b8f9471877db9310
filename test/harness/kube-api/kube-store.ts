/** The store with typed helpers for tests: add nodes, pods, events and workloads, write container logs, restart containers. */
import { eventObject, namespaceObject, nodeObject, podObject, readyCondition, timestamp, type EventInput, type NodeInput, type PodInput } from './objects.js';
import { ObjectStore } from './store.js';
import { badRequest } from './status.js';
import type { KubeObject, Node, Pod } from './types.js';
import { nodeIp, schedulableNodes, WorkloadController, type WorkloadInput } from './workloads.js';

export class KubeStore extends ObjectStore {
  readonly workloads = new WorkloadController(this);
  private admitted = 0;

  addNamespace(name: string): KubeObject {
    return this.create('namespaces', namespaceObject(name));
  }

  addNode(input: NodeInput): Node {
    return this.create('nodes', nodeObject(input)) as Node;
  }

  addPod(input: PodInput): Pod {
    return this.create('pods', podObject(input)) as Pod;
  }

  addEvent(input: EventInput): KubeObject {
    return this.create('events', eventObject(input));
  }

  addWorkload(input: WorkloadInput): { workload: KubeObject; pods: Pod[] } {
    return this.workloads.add(input);
  }

  /**
   * A pod created through the API, as the scheduler and kubelet would take it: bound to a node at once (round-robin
   * over schedulable nodes unless `spec.nodeName` is set), ContainerCreating, then Running after `startDelayMs`.
   */
  admitPod(body: Pod, startDelayMs: number): Pod {
    const nodes = schedulableNodes(this);
    const node = body.spec.nodeName ?? (nodes.length ? nodes[this.admitted++ % nodes.length] : undefined);
    const input = {
      namespace: body.metadata.namespace,
      name: body.metadata.name,
      node,
      hostIp: node ? nodeIp(this, node) : undefined,
      containers: body.spec.containers.map((c) => ({ name: c.name, image: c.image })),
      ageSeconds: 0,
    };
    const shaped = (state: 'pending' | 'running') => {
      const made = podObject({ ...input, state });
      return { spec: { ...made.spec, ...body.spec, nodeName: node }, status: made.status };
    };
    const created = this.create('pods', { ...body, ...shaped('pending') }) as Pod;
    if (!node) return created;
    const uid = created.metadata.uid;
    setTimeout(() => {
      const current = this.find('pods', created.metadata.namespace, created.metadata.name);
      if (current && current.metadata.uid === uid && !current.metadata.deletionTimestamp) this.mutate('pods', created.metadata.namespace, created.metadata.name, (o) => void (o.status = shaped('running').status));
    }, startDelayMs).unref();
    return created;
  }

  node(name: string): Node {
    return this.get('nodes', undefined, name) as Node;
  }

  pod(namespace: string, name: string): Pod {
    return this.get('pods', namespace, name) as Pod;
  }

  setNodeReady(name: string, ready: boolean): Node {
    return this.mutate('nodes', undefined, name, (o) => {
      const node = o as Node;
      const since = node.metadata.creationTimestamp ?? timestamp();
      node.status.conditions = [...(node.status.conditions ?? []).filter((c) => c.type !== 'Ready'), readyCondition(ready, since)];
    }) as Node;
  }

  /** The container a log or exec request means: the one named, else the default (annotation or first). */
  containerOf(namespace: string, podName: string, container?: string | null): string {
    const pod = this.pod(namespace, podName);
    const names = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => c.name);
    if (container) {
      if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${podName}`);
      return container;
    }
    const preferred = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
    if (preferred && names.includes(preferred)) return preferred;
    if (pod.spec.containers.length === 1) return pod.spec.containers[0].name;
    throw badRequest(`a container name must be specified for pod ${podName}, choose one of: [${pod.spec.containers.map((c) => c.name).join(' ')}]`);
  }

  /** Append lines to a container's current log (followers see them at once). */
  appendLog(namespace: string, pod: string, lines: string | string[], opts: { container?: string } = {}): void {
    const container = this.containerOf(namespace, pod, opts.container);
    const list = typeof lines === 'string' ? [lines] : lines;
    this.logs.append(`${namespace}/${pod}/${container}`, list.map((text) => ({ ts: this.logs.now(), text })));
  }

  /** The container exited and the kubelet restarted it: restartCount+1, lastState terminated, log moves to `previous`. */
  restartContainer(namespace: string, podName: string, opts: { container?: string; exitCode?: number; reason?: string; crashLoop?: boolean } = {}): Pod {
    const container = this.containerOf(namespace, podName, opts.container);
    this.logs.restart(`${namespace}/${podName}/${container}`);
    return this.mutate('pods', namespace, podName, (o) => {
      const pod = o as Pod;
      const now = timestamp();
      for (const s of pod.status.containerStatuses ?? []) {
        if (s.name !== container) continue;
        s.restartCount++;
        s.lastState = { terminated: { exitCode: opts.exitCode ?? 1, reason: opts.reason ?? 'Error', startedAt: s.state.running?.startedAt ?? now, finishedAt: now } };
        s.state = opts.crashLoop ? { waiting: { reason: 'CrashLoopBackOff', message: `back-off 10s restarting failed container=${container} pod=${podName}_${namespace}(${pod.metadata.uid})` } } : { running: { startedAt: now } };
        s.ready = !opts.crashLoop;
        s.started = !opts.crashLoop;
      }
    }) as Pod;
  }
}
