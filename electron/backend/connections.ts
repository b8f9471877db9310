/** Counts the device connections open right now, for the status bar. Sessions register on open. */
export class ConnectionRegistry {
  private readonly open = new Set<symbol>();
  private readonly listeners = new Set<(count: number) => void>();

  get count(): number {
    return this.open.size;
  }

  /** Registers one open connection; call the returned function when it closes. */
  register(label: string): () => void {
    const token = Symbol(label);
    this.open.add(token);
    this.notify();
    return () => {
      if (this.open.delete(token)) this.notify();
    };
  }

  watch(listener: (count: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener(this.open.size);
  }
}
