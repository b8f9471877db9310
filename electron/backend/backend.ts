import { SettingsStore } from '../services/settings/settings-store.js';
import { ConnectionRegistry } from './connections.js';
import type { Handlers } from './handlers.js';
import { createRouter, type Router } from './router.js';
import { watchStatus } from './status.js';

export interface BackendOptions {
  dataDir: string;
  version: string;
  /** Where unexpected handler failures are reported (never with secrets). */
  onUnexpected?: (error: unknown) => void;
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

  const handlers: Handlers = {
    'app.info': () => ({ name: 'FieldKit', version, dataDir, platform: process.platform }),
    'app.status': (_input, emit) => watchStatus(dataDir, connections, emit),
    'settings.get': () => settings.get(),
    'settings.update': (change) => settings.update(change),
    'settings.changes': (_input, emit) => {
      emit(settings.get());
      return settings.watch(emit);
    },
  };

  return {
    router: createRouter(handlers, options.onUnexpected),
    connections,
    async close() {},
  };
}
