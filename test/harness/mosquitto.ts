/** A real Mosquitto broker on loopback ports with its own config, password file and (optionally) TLS certificates. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Mosquitto {
  /** mqtt://127.0.0.1:PORT (needs the credentials). */
  url: string;
  /** mqtts://127.0.0.1:PORT when started with `tls: true`. */
  tlsUrl?: string;
  /** PEM of the CA that signed the broker certificate (SAN 127.0.0.1, localhost). */
  caPem?: string;
  stop(): Promise<void>;
}

export interface MosquittoOptions {
  users: Record<string, string>;
  tls?: boolean;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function makeCertificates(dir: string): Promise<void> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', ['req', '-x509', ...ec, '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt'), '-days', '2', '-subj', '/CN=fieldkit-test-ca']);
  await run('openssl', ['req', ...ec, '-keyout', join(dir, 'server.key'), '-out', join(dir, 'server.csr'), '-subj', '/CN=localhost']);
  await writeFile(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await run('openssl', ['x509', '-req', '-in', join(dir, 'server.csr'), '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key'), '-CAcreateserial', '-out', join(dir, 'server.crt'), '-days', '2', '-extfile', join(dir, 'san.ext')]);
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export async function startMosquitto(opts: MosquittoOptions): Promise<Mosquitto> {
  const dir = await mkdtemp(join(tmpdir(), 'fk-mosquitto-'));
  const passwd = join(dir, 'passwd');
  await writeFile(passwd, '', { mode: 0o600 });
  for (const [user, password] of Object.entries(opts.users)) await run('mosquitto_passwd', ['-b', passwd, user, password]);
  const port = await freePort();
  const lines = ['per_listener_settings false', 'allow_anonymous false', `password_file ${passwd}`, 'persistence false', 'log_dest stderr', `user ${userInfo().username}`, `listener ${port} 127.0.0.1`];
  let tlsPort: number | undefined;
  if (opts.tls) {
    await makeCertificates(dir);
    tlsPort = await freePort();
    lines.push(`listener ${tlsPort} 127.0.0.1`, `cafile ${join(dir, 'ca.crt')}`, `certfile ${join(dir, 'server.crt')}`, `keyfile ${join(dir, 'server.key')}`);
  }
  const config = join(dir, 'mosquitto.conf');
  await writeFile(config, `${lines.join('\n')}\n`);

  // The broker lives as long as this shell's stdin: if the test process dies without stop(), the pipe closes and the
  // shell stops mosquitto instead of leaving it running.
  const proc: ChildProcess = spawn('sh', ['-c', 'mosquitto -c "$1" & broker=$!; read -r _; kill $broker; wait $broker', 'sh', config], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.stdin?.end();
        setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
      });
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (!(await portOpen(port)) || (tlsPort !== undefined && !(await portOpen(tlsPort)))) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`mosquitto did not start: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    tlsUrl: tlsPort === undefined ? undefined : `mqtts://127.0.0.1:${tlsPort}`,
    caPem: opts.tls ? await readFile(join(dir, 'ca.crt'), 'utf8') : undefined,
    stop,
  };
}
