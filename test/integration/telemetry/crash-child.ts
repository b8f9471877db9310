/** Child for the SIGKILL test: appends deterministic samples forever, printing the count acknowledged so far. */
import { TelemetryStore } from '../../../electron/services/telemetry/store.js';
import { crashKey, crashValue, CRASH_T0 } from './crash-data.js';

const store = await TelemetryStore.open(process.argv[2]!, { checkpointBytes: 48 * 1024 });
let next = store.listSeries()[0]?.count ?? 0;
for (;;) {
  const n = 1 + Math.floor(Math.random() * 700);
  const ts = Float64Array.from({ length: n }, (_, i) => CRASH_T0 + next + i);
  const values = Float64Array.from({ length: n }, (_, i) => crashValue(next + i));
  await store.appendColumns(crashKey, ts, values);
  next += n;
  process.stdout.write(`${next}\n`);
}
