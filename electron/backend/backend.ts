import { SettingsStore } from '../services/settings/settings-store.js';
import type { SecretStore } from '../services/ssh/secrets.js';
import type { LaunchIndexProcess } from '../services/index/index-process-launch.js';
import type { LogSink } from '../../shared/logs/record.js';
import { createClusterHandlers } from './cluster-handlers.js';
import { createClusterJoinHandlers } from './cluster-join-handlers.js';
import { ConnectionRegistry } from './connections.js';
import type { Handlers } from './handlers.js';
import { createLogsHandlers } from './logs-handlers.js';
import { createRouter, type Router } from './router.js';
import { createSerialHandlers } from './serial-handlers.js';
import { createSshHandlers } from './ssh-handlers.js';
import { watchStatus } from './status.js';
import { createTelemetryHandlers } from './telemetry-handlers.js';

export interface BackendOptions {
  dataDir: string;
  version: string;
  /** Where unexpected handler failures are reported (never with secrets). */
  onUnexpected?: (error: unknown) => void;
  /** Where saved passwords and passphrases live: the OS keychain in Electron; none by default (kept in memory). */
  secrets?: SecretStore;
  /** How the log index's process starts: a utility process in Electron; Node's fork by default. */
  launchIndex?: LaunchIndexProcess;
}

/** The services behind the contract, wired once per process and shared by every window or socket. */
export interface Backend {
  router: Router;
  connections: ConnectionRegistry;
  close(): Promise<void>;
}

export async function createBackend(options: BackendOptions): Promise<Backend> {
  const { dataDir, version } = options;
  const settings = await SettingsStore.open(dataDir);
  const connections = new ConnectionRegistry();
  const logs = createLogsHandlers(dataDir, options.launchIndex);
  // Everything any service sees goes into the one log index, opened on first use.
  const logSink: LogSink = { append: async (records) => (await logs.index()).append(records) };
  const serial = createSerialHandlers({ dataDir, connections, sink: logSink });
  const ssh = createSshHandlers({ dataDir, connections, logIndex: logs.index, secrets: options.secrets });
  const telemetry = createTelemetryHandlers(dataDir, connections, logSink, serial.session);
  const cluster = createClusterHandlers({ dataDir, sink: logSink, ssh, connections });
  const join = createClusterJoinHandlers({ dataDir, sink: logSink, ssh, kubeConfigOf: cluster.kubeConfigOf });

  const handlers: Handlers = {
    'app.info': () => ({ name: 'FieldKit', version, dataDir, platform: process.platform }),
    'app.status': (_input, emit) => watchStatus(dataDir, connections, emit),
    'settings.get': () => settings.get(),
    'settings.update': (change) => settings.update(change),
    'settings.changes': (_input, emit) => {
      emit(settings.get());
      return settings.watch(emit);
    },
    ...logs.handlers,
    ...serial.handlers,
    ...telemetry.handlers,
    ...ssh.handlers,
    ...cluster.handlers,
    ...join.handlers,
  };

  return {
    router: createRouter(handlers, options.onUnexpected),
    connections,
    async close() {
      await join.close();
      await cluster.close();
      await ssh.close();
      await telemetry.close();
      await serial.close();
      await logs.close();
    },
  };
}
