/**
 * A stand-in for Electron's `utilityProcess` (no Electron binary runs here): a Node fork whose child sees
 * `process.parentPort` and no `process.send`, as a utility process does.
 */
import { fork } from 'node:child_process';
import type { UtilityProcessLike } from '../../electron/services/index/index-process-launch.js';

const SHIM = new URL('./parent-port-shim.mjs', import.meta.url).href;

export const utilityProcessStandIn: UtilityProcessLike = {
  fork(modulePath, args, { env, execArgv }) {
    const child = fork(modulePath, args, { env, execArgv: [...execArgv, '--import', SHIM], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return {
      pid: child.pid,
      postMessage: (message) => void child.send(message as object),
      on: (event, listener) => child.on(event, listener),
      once: (event, listener) => child.once(event, (code: number | null) => listener(code ?? -1)),
      kill: () => child.kill(),
    };
  },
};
