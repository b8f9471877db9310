import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldkitClient } from '../../../shared/contract/client.js';
import type { HostKeyQuestionView, StreamEvent, StreamInput, StreamName } from '../../../shared/contract/index.js';
import { overWebSocket } from '../../contract/transports.js';
import { ensurePasswordUser, generateKey, startSshd, type Sshd, installJournalctlStandin } from '../../harness/sshd.js';

const run = promisify(execFile);
let sshd: Sshd;
let harness: Awaited<ReturnType<typeof overWebSocket>>;
let local: string;
let client: FieldkitClient;

beforeAll(async () => {
  sshd = await startSshd();
  harness = await overWebSocket();
  client = harness.client;
  local = await mkdtemp(join(tmpdir(), 'fk-devices-'));
  await installJournalctlStandin(sshd);
}, 30_000);
afterAll(async () => {
  await harness?.close();
  await sshd?.stop();
  await rm(local, { recursive: true, force: true });
});

/** Every event of a stream until the backend ends it. */
function collect<S extends StreamName>(name: S, input: StreamInput<S>, onEvent?: (event: StreamEvent<S>) => void): Promise<StreamEvent<S>[]> {
  return new Promise((resolve, reject) => {
    const events: StreamEvent<S>[] = [];
    client.subscribe(name, input, {
      next: (event) => {
        events.push(event);
        onEvent?.(event);
      },
      end: (error) => (error ? reject(error) : resolve(events)),
    });
  });
}

const text = (events: { type: string; data?: string }[], type: string) =>
  Buffer.concat(events.filter((e) => e.type === type).map((e) => Buffer.from(e.data!, 'base64'))).toString('utf8');

async function hostFingerprints(): Promise<string[]> {
  return Promise.all(sshd.hostKeys.map(async (k) => (await run('ssh-keygen', ['-lf', `${k.privatePath}.pub`])).stdout.split(' ')[1]));
}

describe('Devices over the contract, against a real sshd', () => {
  let profileId: string;
  let connectionId: string;
  let question: HostKeyQuestionView;

  it('saves a gateway and finds it reachable', async () => {
    const saved = await client.call('ssh.profiles.save', {
      name: 'gw-contract',
      host: '127.0.0.1',
      port: sshd.port,
      user: 'root',
      auth: { kind: 'key', identityFile: sshd.clientKey.privatePath },
      jumpProfileIds: [],
    });
    profileId = saved.id;
    expect(saved.secretSaved).toBe(false);
    expect((await client.call('ssh.profiles.list', {})).profiles.map((p) => p.name)).toEqual(['gw-contract']);
    const { results } = await client.call('ssh.reachability', {});
    expect(results).toEqual([expect.objectContaining({ profileId, reachable: true, via: null, banner: expect.stringMatching(/^SSH-2\.0-OpenSSH/) })]);
  });

  it('imports ~/.ssh/config-style aliases with their jump host, and probes the jump host for them', async () => {
    const config = join(local, 'ssh_config');
    await writeFile(config, [
      'Host bastion',
      '  HostName 127.0.0.1',
      `  Port ${sshd.port}`,
      '  User root',
      'Host gw-behind',
      '  HostName 10.255.255.1',
      '  User admin',
      `  IdentityFile ${sshd.clientKey.privatePath}`,
      '  ProxyJump bastion',
      'Match all',
      '  User nobody',
      '',
    ].join('\n'));
    const { imported, problems } = await client.call('ssh.profiles.importConfig', { path: config });
    const byName = new Map(imported.map((p) => [p.name, p]));
    expect([...byName.keys()].sort()).toEqual(['bastion', 'gw-behind']);
    expect(byName.get('gw-behind')).toMatchObject({ host: '10.255.255.1', port: 22, user: 'admin', auth: { kind: 'key', identityFile: sshd.clientKey.privatePath }, jumpProfileIds: [byName.get('bastion')!.id] });
    expect(problems).toEqual([expect.objectContaining({ line: 10 })]);
    const { results } = await client.call('ssh.reachability', { profileIds: [byName.get('gw-behind')!.id] });
    expect(results).toEqual([expect.objectContaining({ reachable: true, via: 'bastion', banner: expect.stringMatching(/^SSH-2\.0-/) })]);
    for (const name of ['gw-behind', 'bastion']) await client.call('ssh.profiles.delete', { id: byName.get(name)!.id });
  });

  it('refuses an unknown host key when no window can be asked', async () => {
    await expect(client.call('ssh.connect', { profileId })).rejects.toThrow(/is not known \(ssh-\S+ SHA256:/);
  });

  it('asks about the unknown host key with its OpenSSH fingerprint, then connects once trusted', async () => {
    const prompts: StreamEvent<'ssh.hostKeyPrompts'>[] = [];
    const stop = client.subscribe('ssh.hostKeyPrompts', {}, {
      next: (event) => {
        prompts.push(event);
        if (event.type === 'ask') void client.call('ssh.answerHostKey', { promptId: event.promptId, answer: 'trust-always' });
      },
    });
    const result = await client.call('ssh.connect', { profileId });
    stop();
    expect(result.status).toBe('connected');
    connectionId = (result as { connectionId: string }).connectionId;
    expect(prompts.map((p) => p.type)).toEqual(['ask', 'settled']);
    question = prompts[0] as HostKeyQuestionView;
    expect(question).toMatchObject({ host: '127.0.0.1', port: sshd.port, fingerprint: expect.stringMatching(/^SHA256:[A-Za-z0-9+/]{43}$/) });
    expect(await hostFingerprints()).toContain(question.fingerprint);
    expect(harness.backend.connections.count).toBe(1);
    const states = await new Promise<StreamEvent<'ssh.connections'>>((resolve) => {
      const stopWatch = client.subscribe('ssh.connections', {}, { next: (e) => (stopWatch(), resolve(e)) });
    });
    expect(states.connections).toEqual([{ connectionId, profileId, name: 'gw-contract', state: { state: 'ready' } }]);
  });

  it('runs a command with streamed output and its exit code', async () => {
    const events = await collect('ssh.exec', { connectionId, command: 'echo hello from $(hostname -s >/dev/null && echo sshd); echo oops >&2; exit 3' });
    expect(text(events, 'stdout')).toBe('hello from sshd\n');
    expect(text(events, 'stderr')).toBe('oops\n');
    expect(events.at(-1)).toEqual({ type: 'exit', code: 3 });
  });

  it('uploads a file with progress and lists it', async () => {
    const source = join(local, 'payload.bin');
    const payload = Buffer.alloc(3 * 1024 * 1024 + 17, 'fieldkit');
    await writeFile(source, payload);
    const remoteDir = join(sshd.dir, 'upload');
    await client.call('ssh.files.mkdir', { connectionId, path: remoteDir });
    const events = await collect('ssh.files.upload', { connectionId, localPath: source, remotePath: `${remoteDir}/payload.bin` });
    expect(events.at(-1)).toEqual({ type: 'done', bytesTotal: payload.length, startOffset: 0 });
    const last = events.filter((e) => e.type === 'progress').at(-1);
    expect(last).toMatchObject({ bytesDone: payload.length, bytesTotal: payload.length, etaSeconds: 0 });

    const listing = await client.call('ssh.files.list', { connectionId, path: remoteDir });
    expect(listing.path).toBe(remoteDir);
    expect(listing.entries).toEqual([expect.objectContaining({ name: 'payload.bin', kind: 'file', size: payload.length })]);
    expect((await readFile(`${remoteDir}/payload.bin`)).equals(payload)).toBe(true);

    await client.call('ssh.files.rename', { connectionId, from: `${remoteDir}/payload.bin`, to: `${remoteDir}/renamed.bin` });
    const back = join(local, 'back.bin');
    await collect('ssh.files.download', { connectionId, remotePath: `${remoteDir}/renamed.bin`, localPath: back });
    expect((await readFile(back)).equals(payload)).toBe(true);
    await client.call('ssh.files.delete', { connectionId, path: `${remoteDir}/renamed.bin` });
    expect((await client.call('ssh.files.list', { connectionId, path: remoteDir })).entries).toEqual([]);
  });

  it('opens a PTY shell that echoes what is typed and follows resizes', async () => {
    let output = '';
    let terminalId = '';
    const exited = collect('ssh.terminal', { connectionId, cols: 100, rows: 30 }, (event) => {
      if (event.type === 'opened') {
        terminalId = event.terminalId;
        void client
          .call('ssh.terminalResize', { terminalId, cols: 120, rows: 40 })
          .then(() => client.call('ssh.terminalWrite', { terminalId, data: Buffer.from('stty size; echo $((6*7))x; exit\n').toString('base64') }));
      } else if (event.type === 'data') output += Buffer.from(event.data, 'base64').toString('utf8');
    });
    const events = await exited;
    expect(output).toContain('40 120');
    expect(output).toContain('42x');
    expect(events.at(-1)).toMatchObject({ type: 'exit', code: 0 });
    await expect(client.call('ssh.terminalWrite', { terminalId, data: '' })).rejects.toThrow('That terminal is closed.');
  });

  it('collects the journal into the log index under the device name', async () => {
    const events = await collect('ssh.collectLogs', { connectionId, since: '2026-11-28 10:00' });
    expect(events.at(-1)).toEqual({ type: 'done', device: 'gw-contract', records: 5, bundleRecords: null });
    const { count } = await client.call('logs.count', { query: 'device:gw-contract' });
    expect(count).toBe(5);
  });

  it('disconnects and releases the status bar count', async () => {
    await client.call('ssh.disconnect', { connectionId });
    expect(harness.backend.connections.count).toBe(0);
    await expect(client.call('ssh.files.list', { connectionId, path: '.' })).rejects.toThrow('That connection is closed.');
  });

  it('stops hard at a changed host key until the new key is deliberately stored', async () => {
    const trustFile = join(harness.dataDir, 'ssh', 'known_hosts');
    const impostor = await generateKey(join(local, 'impostor'), { type: 'ed25519' });
    const stored = await readFile(trustFile, 'utf8');
    await writeFile(trustFile, stored.replace(/ssh-ed25519 \S+/, impostor.publicLine.split(' ').slice(0, 2).join(' ')));

    const stopped = await client.call('ssh.connect', { profileId });
    expect(stopped).toMatchObject({ status: 'host-key-changed', host: '127.0.0.1', port: sshd.port, keyType: 'ssh-ed25519' });
    if (stopped.status !== 'host-key-changed') throw new Error('expected a stop');
    expect(await hostFingerprints()).toContain(stopped.fingerprint);
    expect(stopped.expected[0].fingerprint).toBe((await run('ssh-keygen', ['-lf', `${impostor.privatePath}.pub`])).stdout.split(' ')[1]);
    expect(harness.backend.connections.count).toBe(0);

    await expect(client.call('ssh.replaceHostKey', { profileId, fingerprint: 'SHA256:somethingelse' })).rejects.toThrow(/No changed host key/);
    await client.call('ssh.replaceHostKey', { profileId, fingerprint: stopped.fingerprint });
    const again = await client.call('ssh.connect', { profileId });
    expect(again.status).toBe('connected');
    await client.call('ssh.disconnect', { connectionId: (again as { connectionId: string }).connectionId });
  });

  it('trusts a key once without storing it, and refuses it when rejected', async () => {
    const other = await startSshd();
    try {
      const saved = await client.call('ssh.profiles.save', { name: 'gw-other', host: '127.0.0.1', port: other.port, user: 'root', auth: { kind: 'key', identityFile: other.clientKey.privatePath }, jumpProfileIds: [] });
      let answer: 'trust-once' | 'reject' = 'trust-once';
      const stop = client.subscribe('ssh.hostKeyPrompts', {}, {
        next: (event) => event.type === 'ask' && void client.call('ssh.answerHostKey', { promptId: event.promptId, answer }),
      });
      const once = await client.call('ssh.connect', { profileId: saved.id });
      if (once.status !== 'connected') throw new Error('expected a connection');
      await client.call('ssh.disconnect', { connectionId: once.connectionId });
      expect(await readFile(join(harness.dataDir, 'ssh', 'known_hosts'), 'utf8')).not.toContain(`:${other.port}]`);
      answer = 'reject';
      await expect(client.call('ssh.connect', { profileId: saved.id })).rejects.toThrow(/was not accepted/);
      stop();
      await client.call('ssh.profiles.delete', { id: saved.id });
    } finally {
      await other.stop();
    }
  });

  it('uses a typed password for the connection only and never echoes it', async () => {
    const secret = 'not-the-password-5f1e';
    const saved = await client.call('ssh.profiles.save', { name: 'gw-password', host: '127.0.0.1', port: sshd.port, user: 'nobody-here', auth: { kind: 'password' }, jumpProfileIds: [] });
    const failure = await client.call('ssh.connect', { profileId: saved.id, secret }).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure?.message).toMatch(/authentication failed for nobody-here@127\.0\.0\.1/);
    expect(JSON.stringify(harness.received)).not.toContain(secret);
    expect((await client.call('ssh.profiles.list', {})).profiles.find((p) => p.id === saved.id)?.secretSaved).toBe(false);
    expect(await readFile(join(harness.dataDir, 'ssh', 'profiles.json'), 'utf8')).not.toContain(secret);
  });

  it('signs in with a typed password, keeps it only when asked to, and never sends it back', async () => {
    const { user, password } = await ensurePasswordUser();
    const saved = await client.call('ssh.profiles.save', { name: 'gw-pw', host: '127.0.0.1', port: sshd.port, user, auth: { kind: 'password' }, jumpProfileIds: [] });
    await expect(client.call('ssh.connect', { profileId: saved.id })).rejects.toThrow(/no password for gw-pw/);

    const once = await client.call('ssh.connect', { profileId: saved.id, secret: password });
    if (once.status !== 'connected') throw new Error('expected a connection');
    expect(text(await collect('ssh.exec', { connectionId: once.connectionId, command: 'id -un' }), 'stdout')).toBe(`${user}\n`);
    await client.call('ssh.disconnect', { connectionId: once.connectionId });
    expect((await client.call('ssh.profiles.list', {})).profiles.find((p) => p.id === saved.id)?.secretSaved).toBe(false);

    const remembered = await client.call('ssh.connect', { profileId: saved.id, secret: password, rememberSecret: true });
    if (remembered.status !== 'connected') throw new Error('expected a connection');
    await client.call('ssh.disconnect', { connectionId: remembered.connectionId });
    const { profiles, secretsPersistent } = await client.call('ssh.profiles.list', {});
    expect(profiles.find((p) => p.id === saved.id)?.secretSaved).toBe(true);
    expect(secretsPersistent).toBe(false);
    const again = await client.call('ssh.connect', { profileId: saved.id });
    expect(again.status).toBe('connected');

    expect(JSON.stringify(harness.received)).not.toContain(password);
    for (const file of ['profiles.json', 'known_hosts']) expect(await readFile(join(harness.dataDir, 'ssh', file), 'utf8')).not.toContain(password);
  });
});
