import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey, startAgent, startSshd, ensurePasswordUser, type Sshd } from '../../harness/sshd.js';
import { connectChain, type KeyboardInteractiveQuestion } from '../../../electron/services/ssh/connect.js';
import { HostKeyError, PermanentSshError } from '../../../electron/services/ssh/errors.js';
import { SshSession } from '../../../electron/services/ssh/session.js';
import { sha256Fingerprint } from '../../../electron/services/ssh/trust-store.js';
import type { HostKeyQuestion } from '../../../shared/ssh/types.js';
import { keyTarget, startPeer, stopPeer, testEnv, type TestEnv } from './env.js';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
let sshd: Sshd;
let env: TestEnv;

beforeAll(async () => void ({ sshd, env } = await startPeer()), 30_000);
afterAll(() => stopPeer(sshd, env));

async function keyFingerprints(): Promise<string[]> {
  return Promise.all(
    sshd.hostKeys.map(async (k) => (await run('ssh-keygen', ['-lf', `${k.privatePath}.pub`])).stdout.split(' ')[1]),
  );
}

describe('host key verification', () => {
  it('asks about an unknown key with the OpenSSH SHA256 fingerprint, and stores it on "trust"', async () => {
    const questions: HostKeyQuestion[] = [];
    const link = await connectChain([await keyTarget(sshd)], {
      trust: env.trust,
      strict: 'ask',
      prompt: async (q) => {
        questions.push(q);
        return 'trust';
      },
    });
    link.close();
    expect(questions).toHaveLength(1);
    expect(await keyFingerprints()).toContain(questions[0].fingerprint);
    expect(questions[0].fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    const stored = await readFile(env.trust.storeFile, 'utf8');
    expect(stored).toContain(`[127.0.0.1]:${sshd.port} ${questions[0].keyType} `);

    const again = await connectChain([await keyTarget(sshd)], {
      trust: env.trust,
      strict: 'ask',
      prompt: async () => {
        throw new Error('must not ask for a stored key');
      },
    });
    again.close();
  });

  it('asks before any authentication request is sent', async () => {
    const other = await testEnv();
    const events: string[] = [];
    const link = await connectChain([await keyTarget(sshd)], {
      trust: other.trust,
      strict: 'ask',
      log: (line) => /USERAUTH_REQUEST/.test(line) && events.push('auth'),
      prompt: async () => (events.push('prompt'), 'trust-once'),
    });
    link.close();
    expect(events[0]).toBe('prompt');
    expect(events).toContain('auth');
    await other.cleanup();
  });

  it('refuses an unknown key under strict "yes", naming the fingerprint, before authenticating', async () => {
    const other = await testEnv();
    const target = await keyTarget(sshd);
    const authLines: string[] = [];
    const err = await connectChain([target], {
      trust: other.trust,
      strict: 'yes',
      log: (line) => /USERAUTH/.test(line) && authLines.push(line),
    }).catch((e: unknown) => e);
    expect(authLines).toEqual([]);
    expect(err).toBeInstanceOf(HostKeyError);
    const he = err as HostKeyError;
    expect(he.failure.reason).toBe('unknown');
    expect(he.message).toContain(he.failure.fingerprint);
    await other.cleanup();
  });

  it('refuses when the user rejects the prompt', async () => {
    const other = await testEnv();
    const err = await connectChain([await keyTarget(sshd)], {
      trust: other.trust,
      strict: 'ask',
      prompt: async () => 'reject',
    }).catch((e: unknown) => e);
    expect((err as HostKeyError).failure.reason).toBe('rejected');
    expect(await readFile(other.trust.storeFile, 'utf8').catch(() => '')).toBe('');
    await other.cleanup();
  });

  it('hard-stops on a changed key without prompting, and connects only after a deliberate replace', async () => {
    const other = await testEnv();
    const impostor = await generateKey(join(other.dir, 'impostor'), { type: 'ed25519' });
    const impostorBlob = Buffer.from(impostor.publicLine.split(' ')[1], 'base64');
    const ecdsaImpostor = await generateKey(join(other.dir, 'impostor-ecdsa'), { type: 'ecdsa' });
    const ecdsaBlob = Buffer.from(ecdsaImpostor.publicLine.split(' ')[1], 'base64');
    await other.trust.trust('127.0.0.1', sshd.port, impostorBlob);
    await other.trust.trust('127.0.0.1', sshd.port, ecdsaBlob);
    let asked = false;
    const err = await connectChain([await keyTarget(sshd)], {
      trust: other.trust,
      strict: 'accept-new',
      prompt: async () => {
        asked = true;
        return 'trust';
      },
    }).catch((e: unknown) => e);
    expect(asked).toBe(false);
    expect(err).toBeInstanceOf(HostKeyError);
    const { failure } = err as HostKeyError;
    expect(failure.reason).toBe('changed');
    expect(failure.expected.map((e) => e.fingerprint)).toContain(sha256Fingerprint(impostorBlob));
    expect((err as Error).message).toMatch(/HAS CHANGED/);
    expect((err as Error).message).toContain(failure.fingerprint);

    const presented = sshd.hostKeys.find((k) => k.publicLine.startsWith(failure.keyType))!;
    await other.trust.replace('127.0.0.1', sshd.port, Buffer.from(presented.publicLine.split(' ')[1], 'base64'));
    const link = await connectChain([await keyTarget(sshd)], { trust: other.trust, strict: 'yes' });
    link.close();
    await other.cleanup();
  });

  it('accepts a key from a hashed ~/.ssh/known_hosts entry (ssh-keygen -H)', async () => {
    const other = await testEnv();
    const lines = sshd.hostKeys.map((k) => `[127.0.0.1]:${sshd.port} ${k.publicLine.split(' ').slice(0, 2).join(' ')}`);
    const userFile = other.trust.userKnownHostsFiles[0];
    await writeFile(userFile, `${lines.join('\n')}\n`);
    await run('ssh-keygen', ['-H', '-f', userFile]);
    expect(await readFile(userFile, 'utf8')).toMatch(/^\|1\|/);
    const link = await connectChain([await keyTarget(sshd)], { trust: other.trust, strict: 'yes' });
    link.close();
    await other.cleanup();
  });
});

describe('authentication', () => {
  it('authenticates with a key and runs a command with its exit code and streamed output', async () => {
    const link = await connectChain([await keyTarget(sshd)], { trust: env.trust, strict: 'accept-new' });
    const session = new SshSession(link);
    const out: Buffer[] = [];
    const r = await session.exec('echo hello; echo oops >&2; exit 7', { onStdout: (d) => out.push(d) });
    expect(r.code).toBe(7);
    expect(Buffer.concat(out).toString()).toBe('hello\n');
    session.close();
  });

  it.each([
    ['OpenSSH', 'openssh' as const, 'ed25519' as const],
    ['PEM', 'pem' as const, 'rsa' as const],
  ])('authenticates with an encrypted %s key', async (_label, format, type) => {
    const key = await generateKey(join(env.dir, `enc-${format}`), { type, format, passphrase: 'pass phrase 42' });
    expect(await readFile(key.privatePath, 'utf8')).toMatch(format === 'pem' ? /ENCRYPTED/ : /OPENSSH PRIVATE KEY/);
    await sshd.authorize(key.publicLine);
    const privateKey = await readFile(key.privatePath);
    const target = { ...(await keyTarget(sshd)), auth: { kind: 'key' as const, privateKey, source: key.privatePath } };
    const withPass = { ...target, auth: { ...target.auth, passphrase: 'pass phrase 42' } };
    const session = new SshSession(await connectChain([withPass], { trust: env.trust, strict: 'yes' }));
    expect((await session.execText('whoami')).stdout.trim()).toBe('root');
    session.close();

    const wrong = { ...target, auth: { ...target.auth, passphrase: 'not it' } };
    const err = await connectChain([wrong], { trust: env.trust, strict: 'yes' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentSshError);
    expect((err as Error).message).toContain(key.privatePath);
  });

  it('authenticates with a password', async () => {
    const { user, password } = await ensurePasswordUser();
    const target = { host: '127.0.0.1', port: sshd.port, user, auth: { kind: 'password' as const, password } };
    const session = new SshSession(await connectChain([target], { trust: env.trust, strict: 'yes' }));
    expect((await session.execText('id -un')).stdout.trim()).toBe(user);
    session.close();
    const bad = { ...target, auth: { kind: 'password' as const, password: 'wrong' } };
    const err = await connectChain([bad], { trust: env.trust, strict: 'yes' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentSshError);
  }, 30_000);

  it('authenticates with keyboard-interactive (PAM server), showing the server prompts to a responder', async () => {
    const { user, password } = await ensurePasswordUser();
    const pamSshd = await startSshd({ pam: true });
    try {
      const prompts: string[] = [];
      const auth = {
        kind: 'keyboard-interactive' as const,
        respond: async (q: KeyboardInteractiveQuestion) => {
          prompts.push(...q.prompts.map((p) => p.prompt));
          return q.prompts.map(() => password);
        },
      };
      const target = { host: '127.0.0.1', port: pamSshd.port, user, auth };
      const session = new SshSession(await connectChain([target], { trust: env.trust, strict: 'accept-new' }));
      expect((await session.execText('id -un')).stdout.trim()).toBe(user);
      expect(prompts.join()).toMatch(/password/i);
      session.close();
    } finally {
      await pamSshd.stop();
    }
  }, 30_000);

  it('authenticates through ssh-agent', async () => {
    const agent = await startAgent();
    try {
      const key = await generateKey(join(env.dir, 'agent-key'), { type: 'ed25519' });
      await sshd.authorize(key.publicLine);
      await agent.add(key.privatePath);
      const target = { host: '127.0.0.1', port: sshd.port, user: 'root', auth: { kind: 'agent' as const, socket: agent.socket } };
      const session = new SshSession(await connectChain([target], { trust: env.trust, strict: 'yes' }));
      expect((await session.execText('echo via-agent')).stdout).toBe('via-agent\n');
      session.close();
    } finally {
      await agent.stop();
    }
  });
});

describe('ProxyJump', () => {
  it('reaches a second sshd through the first, verifying both host keys', async () => {
    const inner = await startSshd();
    try {
      const jump = await keyTarget(sshd);
      const target = { ...(await keyTarget(inner)) };
      const asked: number[] = [];
      const session = new SshSession(
        await connectChain([jump, target], {
          trust: env.trust,
          strict: 'ask',
          prompt: async (q) => {
            asked.push(q.port);
            return 'trust-once';
          },
        }),
      );
      expect(asked).toEqual([inner.port]);
      const r = await session.execText('echo $SSH_CONNECTION');
      expect(r.stdout.split(' ')[2]).toBe('127.0.0.1');
      expect(r.stdout.trim().endsWith(String(inner.port))).toBe(true);
      session.close();
    } finally {
      await inner.stop();
    }
  });
});
