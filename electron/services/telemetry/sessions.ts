/** Recorded sessions: named time ranges of chosen series, kept in one JSON file for replay. */
import { randomUUID } from 'node:crypto';
import { readJson, writeJsonAtomic } from '../settings/atomic-json.js';

export interface Session {
  id: string;
  name: string;
  from: number;
  to: number;
  series: string[];
  createdAt: number;
}

export class SessionStore {
  private writing: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {}

  async list(): Promise<Session[]> {
    const doc = (await readJson(this.file)) as { sessions?: Session[] } | undefined;
    return [...(doc?.sessions ?? [])].sort((a, b) => b.createdAt - a.createdAt);
  }

  save(session: Omit<Session, 'id' | 'createdAt'>): Promise<Session> {
    const saved: Session = { id: randomUUID(), createdAt: Date.now(), ...session };
    return this.change((sessions) => [...sessions, saved]).then(() => saved);
  }

  async delete(id: string): Promise<boolean> {
    let found = false;
    await this.change((sessions) => sessions.filter((s) => (s.id === id ? !(found = true) : true)));
    return found;
  }

  /** Read-modify-write, one at a time, so concurrent saves do not lose each other. */
  private change(edit: (sessions: Session[]) => Session[]): Promise<void> {
    const run = this.writing.then(async () => writeJsonAtomic(this.file, { sessions: edit(await this.list()) }));
    this.writing = run.catch(() => undefined);
    return run;
  }
}
