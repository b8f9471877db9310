import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const PRODUCT_NAME = 'FieldKit';

/**
 * Where FieldKit keeps its data: `--data-dir`, else FIELDKIT_DATA_DIR, else the per-user folder Electron
 * calls `userData` for this app, so the CLI, browser mode and the desktop app share one index.
 */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (flag) return resolve(flag);
  if (env.FIELDKIT_DATA_DIR) return resolve(env.FIELDKIT_DATA_DIR);
  const home = homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), PRODUCT_NAME);
}
