import { join } from 'node:path';
import { settingsSchema, type Settings } from '../../../shared/contract/app.js';
import { readJson, writeJsonAtomic } from './atomic-json.js';

const DEFAULTS: Settings = { theme: 'system' };

/** The technician's preferences, kept in `<dataDir>/settings.json`. */
export class SettingsStore {
  private current: Settings = DEFAULTS;
  private readonly listeners = new Set<(settings: Settings) => void>();
  private writes: Promise<void> = Promise.resolve();

  private constructor(private readonly path: string) {}

  static async open(dataDir: string): Promise<SettingsStore> {
    const store = new SettingsStore(join(dataDir, 'settings.json'));
    const saved = settingsSchema.partial().safeParse(await readJson(store.path));
    // A damaged or foreign file falls back to the defaults rather than keeping the app from starting.
    if (saved.success) store.current = { ...DEFAULTS, ...saved.data };
    return store;
  }

  get(): Settings {
    return this.current;
  }

  async update(change: Partial<Settings>): Promise<Settings> {
    const next = { ...this.current, ...change };
    this.current = next;
    this.writes = this.writes.then(() => writeJsonAtomic(this.path, next));
    await this.writes;
    for (const listener of this.listeners) listener(next);
    return next;
  }

  watch(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
