import { expect, it } from 'vitest';
import { startActivity } from './activity.js';
import { KubeStore } from './kube-store.js';
import { seedStore } from './seed.js';

it('keeps the simulator moving: pods log, crash loops restart and count their BackOff events', async () => {
  const store = new KubeStore();
  seedStore(store, 'demo');
  const crashing = store.list('pods', { namespace: 'iot-edge', filter: (p) => p.metadata.labels?.app === 'opcua-gateway' }).items[0];
  const restarts = () => store.pod('iot-edge', crashing.metadata.name).status.containerStatuses?.[0].restartCount;
  const backOff = () => store.list('events', { namespace: 'iot-edge', filter: (e) => e.reason === 'BackOff' && (e.involvedObject as { uid?: string }).uid === crashing.metadata.uid }).items[0]?.count;
  const totalLines = () => store.list('pods').items.reduce((n, p) => n + (store.logs.lines(`${p.metadata.namespace}/${p.metadata.name}/${(p.spec as { containers: { name: string }[] }).containers[0].name}`, false)?.length ?? 0), 0);
  const linesBefore = totalLines();
  const stop = startActivity(store, { logEveryMs: 10, crashEveryMs: 50 });
  try {
    await expect.poll(restarts, { timeout: 5000 }).toBeGreaterThanOrEqual(8);
    expect(backOff()).toBeGreaterThanOrEqual(32);
    expect(store.logs.lines(`iot-edge/${crashing.metadata.name}/opcua-gateway`, true)?.at(-1)?.text).toBe('panic: cannot open secure channel');
    await expect.poll(totalLines, { timeout: 5000 }).toBeGreaterThan(linesBefore);
  } finally {
    stop();
  }
});
