/**
 * lrzsz receivers (`rx`, `rb`) on one end of a pty pair, as the independent peer for transfer tests.
 * They talk through a socat bridge over pipes: given the pty directly, lrzsz ends with tcflush(TCIOFLUSH), which on a
 * pty can discard its final ACK before socat has read it (a real UART would have sent it after tcdrain).
 */
import { spawn } from 'node:child_process';

export interface ReceiverRun {
  /** Resolves with the exit code and stderr (lrzsz's messages included) once the receiver exits. */
  done: Promise<{ code: number | null; stderr: string }>;
  kill(): void;
}

/** `args` example: ['rx', '-c', '-b', 'out.bin'] or ['rb', '-b']. Files land in `cwd`. Arguments must not need quoting. */
export function startReceiver(ptyPath: string, cwd: string, args: [string, ...string[]]): ReceiverRun {
  if (args.some((a) => !/^[\w./-]+$/.test(a))) throw new Error(`argument needs quoting: ${args.join(' ')}`);
  const child = spawn('socat', [`OPEN:${ptyPath}`, `EXEC:${args.join(' ')},pipes`], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    child.on('error', (err) => resolve({ code: -1, stderr: err.message }));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
  return { done, kill: () => child.kill('SIGTERM') };
}
