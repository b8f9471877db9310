/**
 * `npm run kube-sim [-- --nodes N --pods M] [--port P] [--dir D]`: the API test server on its own, until Ctrl+C.
 * Seeded with `demo` unless --nodes/--pods ask for a synthetic cluster of that size.
 */
import { parseArgs } from 'node:util';
import { startActivity } from './activity.js';
import { startKubeApiServer } from './index.js';
import type { Seed } from './seed.js';

function positive(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got "${raw}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { nodes: { type: 'string' }, pods: { type: 'string' }, port: { type: 'string' }, dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write('usage: npm run kube-sim [-- --nodes N --pods M] [--port P] [--dir D]\n');
    return;
  }
  const nodes = positive('nodes', values.nodes);
  const pods = positive('pods', values.pods);
  const seed: Seed = nodes !== undefined || pods !== undefined ? { nodes: nodes ?? 3, pods: pods ?? 0 } : 'demo';
  const api = await startKubeApiServer({ seed, port: positive('port', values.port), dir: values.dir, bookmarkIntervalMs: 60_000, podTerminationMs: 3000, nodeReadyDelayMs: 3000 });
  const stopActivity = startActivity(api.store, { logEveryMs: 1000, crashEveryMs: 30_000 });
  const counts = `${api.store.list('nodes').items.length} nodes, ${api.store.list('pods').items.length} pods`;
  process.stdout.write(
    [
      `Kubernetes API test server on ${api.url} (${seed === 'demo' ? 'demo seed' : 'scale seed'}: ${counts})`,
      '',
      `kubeconfig (client certificate, like k3s.yaml): ${api.kubeconfigPath}`,
      `kubeconfig (bearer token):                      ${api.tokenKubeconfigPath}`,
      `K3s join token:                                 ${api.joinToken}`,
      '',
      'Try:',
      `  export KUBECONFIG=${api.kubeconfigPath}`,
      '  kubectl get nodes,pods -A',
      ...(seed === 'demo' ? ['  kubectl logs -n iot-edge -l app=opcua-gateway --previous   # a crash-looping pod'] : []),
      '  kubectl get pods -A -w',
      '',
      'Running pods log a line every second; crash-looping containers restart every 30 s; deleted pods stay',
      'Terminating for 3 s; a node registered with the join token turns Ready after 3 s.',
      'Ctrl+C stops it and removes its files.',
      '',
    ].join('\n'),
  );
  const stop = () => {
    stopActivity();
    void api.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`kube-sim: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
