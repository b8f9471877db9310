import type { SecretStore } from '../../services/ssh/secrets.js';

/**
 * The secret store the SSH service reads, plus secrets typed for one connection only: held in memory while it
 * connects, and checked before the saved ones (a typed password wins over a stale saved one).
 */
export class SessionSecrets implements SecretStore {
  private readonly held = new Map<string, string>();

  constructor(private readonly saved: SecretStore) {}

  get persistent(): boolean {
    return this.saved.persistent;
  }

  async get(ref: string): Promise<string | undefined> {
    return this.held.get(ref) ?? this.saved.get(ref);
  }

  set(ref: string, value: string): Promise<void> {
    return this.saved.set(ref, value);
  }

  delete(ref: string): Promise<void> {
    return this.saved.delete(ref);
  }

  async has(ref: string): Promise<boolean> {
    return (await this.saved.get(ref)) !== undefined;
  }

  /** Holds `value` under `ref` until the returned function is called. */
  hold(ref: string, value: string): () => void {
    this.held.set(ref, value);
    return () => {
      if (this.held.get(ref) === value) this.held.delete(ref);
    };
  }
}
