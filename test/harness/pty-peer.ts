/**
 * The far end of a pty pair, driven by a test through a `socat` child (closing it really lets go of the pty, which
 * a tty stream in the test process does not do reliably). `startEchoShell` makes it behave like a gateway's shell.
 */
import { spawn } from 'node:child_process';

export interface PtyPeer {
  /** Everything received so far, as latin1 text (one char per byte). */
  received(): string;
  write(data: string | Uint8Array): Promise<void>;
  /** Resolves once `received()` matches, rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

export function openPtyPeer(path: string, onBytes?: (bytes: Buffer, peer: PtyPeer) => void): PtyPeer {
  const child = spawn('socat', ['-', `${path},raw,echo=0`], { stdio: ['pipe', 'pipe', 'ignore'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let text = '';
  const waiters = new Set<() => void>();
  const peer: PtyPeer = {
    received: () => text,
    write: (data) => new Promise((resolve, reject) => child.stdin.write(data, (error) => (error ? reject(error) : resolve()))),
    waitFor(pattern, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(text)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(text);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timeout waiting for ${pattern} on ${path}; received ${JSON.stringify(text.slice(-200))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  child.stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
    onBytes?.(chunk, peer);
    for (const waiter of [...waiters]) waiter();
  });
  child.stdin.on('error', () => undefined);
  return peer;
}

/** A pretend device shell on `path`: echoes typed characters; on Enter answers `you said: <line>` and a `# ` prompt. */
export function startEchoShell(path: string): PtyPeer {
  let line = '';
  return openPtyPeer(path, (bytes, peer) => {
    let out = '';
    for (const byte of bytes) {
      if (byte === 0x0d || byte === 0x0a) {
        if (byte === 0x0a && line === '') continue;
        out += `\r\nyou said: ${line}\r\n# `;
        line = '';
      } else {
        line += String.fromCharCode(byte);
        out += String.fromCharCode(byte);
      }
    }
    void peer.write(Buffer.from(out, 'latin1'));
  });
}
