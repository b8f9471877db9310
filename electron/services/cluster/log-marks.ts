import { readFile } from 'node:fs/promises';
import { writePrivateFile } from '../ssh/private-file.js';

const MAX_ENTRIES = 2000;
const SAVE_DELAY_MS = 500;

/**
 * The time of the newest log line already indexed, per container instance, so reading a pod's logs again (or
 * following them after a reconnect) does not index the same lines twice. Kept across launches.
 */
export class LogMarks {
  private marks: Map<string, bigint> | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  async get(key: string): Promise<bigint> {
    return (await this.load()).get(key) ?? -1n;
  }

  async advance(key: string, tsNs: bigint): Promise<void> {
    const marks = await this.load();
    if ((marks.get(key) ?? -1n) >= tsNs) return;
    marks.delete(key);
    marks.set(key, tsNs);
    while (marks.size > MAX_ENTRIES) marks.delete(marks.keys().next().value!);
    this.saveTimer ??= setTimeout(() => this.save(), SAVE_DELAY_MS);
  }

  async close(): Promise<void> {
    if (this.saveTimer) this.save();
    await this.saving;
  }

  private save(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    const body = JSON.stringify(Object.fromEntries([...(this.marks ?? new Map<string, bigint>())].map(([k, v]) => [k, v.toString()])));
    this.saving = this.saving.then(() => writePrivateFile(this.file, body)).catch(() => undefined);
  }

  private async load(): Promise<Map<string, bigint>> {
    if (this.marks) return this.marks;
    let loaded = new Map<string, bigint>();
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as Record<string, string>;
      loaded = new Map(Object.entries(parsed).flatMap(([k, v]) => (/^\d+$/.test(v) ? [[k, BigInt(v)] as const] : [])));
    } catch {
      // none yet or damaged: at worst some lines are indexed again
    }
    this.marks ??= loaded;
    return this.marks;
  }
}
