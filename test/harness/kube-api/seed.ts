/** Seeds: `demo` (a small K3s edge cluster with some trouble in it) and a synthetic scale cluster. */
import type { KubeStore } from './kube-store.js';
import type { PodState } from './objects.js';
import type { Pod } from './types.js';
import type { WorkloadInput } from './workloads.js';

export type Seed = 'empty' | 'demo' | { nodes: number; pods: number };

export const DEMO = {
  nodes: ['gw-server-01', 'gw-agent-01', 'gw-agent-02', 'gw-agent-03'],
  notReadyNode: 'gw-agent-03',
  namespaces: ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'iot-edge', 'monitoring'],
  /** Deployments whose pods crash-loop, and the DaemonSet with one crash-looping pod (on gw-agent-01). */
  crashLooping: { deployment: 'iot-edge/opcua-gateway', daemonSetPodOn: 'gw-agent-01', daemonSet: 'iot-edge/modbus-poller' },
  imagePullBackOff: 'iot-edge/firmware-updater',
};

const LOG_LINES: Record<string, string[]> = {
  coredns: ['[INFO] plugin/reload: Running configuration SHA512 = 6ec0b5a2', 'CoreDNS-1.11.3', 'linux/arm64, go1.22.8, a6338e9', '[INFO] 127.0.0.1:41839 - 5215 "HINFO IN 8361473452.local. udp 56 false 512" NXDOMAIN qr,rd,ra 56 0.00123s'],
  traefik: ['time="2026-11-28T08:00:01Z" level=info msg="Configuration loaded from flags."', 'time="2026-11-28T08:00:02Z" level=info msg="Starting provider *crd.Provider"'],
  'mqtt-bridge': ['connected to mqtt://mosquitto.iot-edge:1883', 'subscribed to sensors/#', 'forwarded 512 messages in 60s', 'forwarded 498 messages in 60s'],
  'opcua-gateway': ['starting OPC UA gateway v2.4.1', 'connecting to opc.tcp://plc-01.local:4840', 'error: BadCertificateUntrusted: server certificate is not trusted', 'panic: cannot open secure channel'],
  'modbus-poller': ['polling 12 registers from 10.10.1.20:502 every 5s', 'read holding registers 40001-40012: ok', 'read holding registers 40001-40012: ok'],
  'sensor-ingest': ['opened WAL at /data/wal', 'ingest rate 1840 samples/s', 'compacted segment 000042'],
};

export function linesFor(app: string): string[] {
  return LOG_LINES[app] ?? [`${app} started`, `${app}: listening on :8080`, `${app}: healthy`];
}

function seedLogs(store: KubeStore, pods: Pod[]): void {
  for (const pod of pods) {
    const ns = pod.metadata.namespace ?? 'default';
    const app = pod.metadata.labels?.app ?? pod.metadata.name;
    const waiting = pod.status.containerStatuses?.[0]?.state.waiting?.reason;
    if (waiting === 'ContainerCreating' || waiting === 'ImagePullBackOff') continue;
    if (waiting === 'CrashLoopBackOff') {
      store.appendLog(ns, pod.metadata.name, linesFor(app));
      store.logs.restart(`${ns}/${pod.metadata.name}/${pod.spec.containers[0].name}`);
      store.appendLog(ns, pod.metadata.name, linesFor(app).slice(0, 2));
    } else store.appendLog(ns, pod.metadata.name, linesFor(app));
  }
}

function seedDemo(store: KubeStore): void {
  for (const ns of DEMO.namespaces) store.addNamespace(ns);
  store.addNode({ name: 'gw-server-01', roles: ['control-plane', 'master'], internalIp: '10.10.0.10', arch: 'arm64', cpu: '4', memory: '7998096Ki' });
  store.addNode({ name: 'gw-agent-01', internalIp: '10.10.0.11', arch: 'arm64' });
  store.addNode({ name: 'gw-agent-02', internalIp: '10.10.0.12', arch: 'arm64', pressure: ['MemoryPressure'] });
  store.addNode({ name: 'gw-agent-03', internalIp: '10.10.0.13', arch: 'arm', ready: false, kernel: '6.6.62+rpt-rpi-v7', ageSeconds: 86_400 * 2 });
  const workloads: WorkloadInput[] = [
    { kind: 'Deployment', namespace: 'kube-system', name: 'coredns', image: 'rancher/mirrored-coredns-coredns:1.11.3', ports: [53] },
    { kind: 'Deployment', namespace: 'kube-system', name: 'local-path-provisioner', image: 'rancher/local-path-provisioner:v0.0.30' },
    { kind: 'Deployment', namespace: 'kube-system', name: 'metrics-server', image: 'rancher/mirrored-metrics-server:v0.7.2', ports: [10250] },
    { kind: 'Deployment', namespace: 'kube-system', name: 'traefik', image: 'rancher/mirrored-library-traefik:2.11.10', ports: [8000, 8443] },
    { kind: 'DaemonSet', namespace: 'kube-system', name: 'svclb-traefik', image: 'rancher/klipper-lb:v0.4.9', ports: [80, 443] },
    { kind: 'Deployment', namespace: 'iot-edge', name: 'mqtt-bridge', image: 'registry.local/mqtt-bridge:1.8.2', replicas: 2, ports: [1883] },
    { kind: 'Deployment', namespace: 'iot-edge', name: 'opcua-gateway', image: 'registry.local/opcua-gateway:2.4.1', podStates: ['crashloop'], ports: [4840] },
    { kind: 'Deployment', namespace: 'iot-edge', name: 'firmware-updater', image: 'registry.local/firmware-updater:0.9.0-rc1', podStates: ['imagepull'] },
    { kind: 'Deployment', namespace: 'iot-edge', name: 'telemetry-forwarder', image: 'registry.local/telemetry-forwarder:3.1.0', replicas: 3, ports: [9090] },
    { kind: 'DaemonSet', namespace: 'iot-edge', name: 'modbus-poller', image: 'registry.local/modbus-poller:1.2.0', podStates: DEMO.nodes.map((n) => (n === DEMO.crashLooping.daemonSetPodOn ? 'crashloop' : 'running')) },
    { kind: 'StatefulSet', namespace: 'iot-edge', name: 'sensor-ingest', image: 'registry.local/sensor-ingest:5.0.3', replicas: 2, ports: [7070] },
    { kind: 'DaemonSet', namespace: 'monitoring', name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.8.2', ports: [9100] },
    { kind: 'Deployment', namespace: 'monitoring', name: 'prometheus', image: 'quay.io/prometheus/prometheus:v2.55.1', ports: [9090] },
    { kind: 'Deployment', namespace: 'monitoring', name: 'grafana', image: 'grafana/grafana:11.3.1', ports: [3000] },
    { kind: 'StatefulSet', namespace: 'monitoring', name: 'loki', image: 'grafana/loki:3.2.1', ports: [3100] },
  ];
  const pods: Pod[] = [];
  for (const w of workloads) pods.push(...store.addWorkload({ ageSeconds: 86_400 * 5, ...w }).pods);
  for (const name of ['helm-install-traefik-crd-x7k2p', 'helm-install-traefik-9vqzd']) {
    pods.push(store.addPod({ namespace: 'kube-system', name, node: 'gw-server-01', state: 'completed', containers: [{ name: 'helm', image: 'rancher/klipper-helm:v0.9.3-build20241008' }], labels: { 'batch.kubernetes.io/job-name': name.slice(0, -6) }, ageSeconds: 86_400 * 12 }));
  }
  pods.push(store.addPod({ namespace: 'default', name: 'debug-shell', node: 'gw-agent-01', containers: [{ name: 'shell', image: 'busybox:1.36' }], ageSeconds: 3600 }));
  seedLogs(store, pods);
  for (const pod of pods) {
    const ns = pod.metadata.namespace ?? 'default';
    const involved = { kind: 'Pod', name: pod.metadata.name, namespace: ns, uid: pod.metadata.uid, fieldPath: `spec.containers{${pod.spec.containers[0].name}}` };
    const waiting = pod.status.containerStatuses?.[0]?.state.waiting?.reason;
    if (waiting === 'CrashLoopBackOff') {
      store.addEvent({ involved, type: 'Warning', reason: 'BackOff', message: `Back-off restarting failed container ${pod.spec.containers[0].name} in pod ${pod.metadata.name}_${ns}(${pod.metadata.uid})`, count: 31, firstSeenSecondsAgo: 3000, lastSeenSecondsAgo: 20, host: pod.spec.nodeName });
      store.addEvent({ involved, reason: 'Pulled', message: `Container image "${pod.spec.containers[0].image}" already present on machine`, count: 8, firstSeenSecondsAgo: 3000, lastSeenSecondsAgo: 95, host: pod.spec.nodeName });
    } else if (waiting === 'ImagePullBackOff') {
      store.addEvent({ involved, type: 'Warning', reason: 'Failed', message: `Failed to pull image "${pod.spec.containers[0].image}": rpc error: code = NotFound desc = failed to pull and unpack image: not found`, count: 12, firstSeenSecondsAgo: 1800, lastSeenSecondsAgo: 40, host: pod.spec.nodeName });
      store.addEvent({ involved, reason: 'BackOff', message: `Back-off pulling image "${pod.spec.containers[0].image}"`, count: 40, firstSeenSecondsAgo: 1800, lastSeenSecondsAgo: 10, host: pod.spec.nodeName });
    }
  }
  store.addEvent({ namespace: 'default', involved: { kind: 'Node', name: DEMO.notReadyNode, uid: store.node(DEMO.notReadyNode).metadata.uid }, reason: 'NodeNotReady', message: `Node ${DEMO.notReadyNode} status is now: NodeNotReady`, component: 'node-controller', lastSeenSecondsAgo: 600 });
  store.addEvent({ namespace: 'default', involved: { kind: 'Node', name: 'gw-agent-02', uid: store.node('gw-agent-02').metadata.uid }, type: 'Warning', reason: 'EvictionThresholdMet', message: 'Attempting to reclaim memory', host: 'gw-agent-02', lastSeenSecondsAgo: 300 });
}

/** `nodes` Ready nodes and `pods` pods in Deployments of up to 10 replicas across 10 namespaces; every 25th crash-loops. */
function seedScale(store: KubeStore, size: { nodes: number; pods: number }): void {
  const namespaces = Array.from({ length: 10 }, (_, i) => `team-${String(i).padStart(2, '0')}`);
  for (const ns of ['default', 'kube-system', ...namespaces]) store.addNamespace(ns);
  const width = String(size.nodes).length;
  for (let i = 1; i <= size.nodes; i++) {
    store.addNode({ name: `node-${String(i).padStart(Math.max(3, width), '0')}`, roles: i === 1 ? ['control-plane', 'master'] : [], internalIp: `10.20.${Math.floor(i / 250)}.${i % 250}`, arch: i % 3 === 0 ? 'amd64' : 'arm64' });
  }
  let made = 0;
  let n = 0;
  while (made < size.pods) {
    const replicas = Math.min(10, size.pods - made);
    const states: PodState[] = Array.from({ length: replicas }, (_, i) => ((made + i) % 25 === 24 ? 'crashloop' : 'running'));
    store.addWorkload({ kind: 'Deployment', namespace: namespaces[n % namespaces.length], name: `app-${String(n).padStart(4, '0')}`, image: `registry.local/app:${n % 7}.0`, replicas, podStates: states });
    made += replicas;
    n++;
  }
}

export function seedStore(store: KubeStore, seed: Seed): void {
  if (seed === 'empty') {
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) store.addNamespace(ns);
  } else if (seed === 'demo') seedDemo(store);
  else seedScale(store, seed);
}
