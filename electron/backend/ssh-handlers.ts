import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { FieldkitError } from '../../shared/contract/errors.js';
import type { SshConnectionView, SshProfileView, TransferEvent } from '../../shared/contract/ssh.js';
import type { LogRecord, LogSink } from '../../shared/logs/record.js';
import { redactSecrets } from '../../shared/ssh/redact.js';
import type { HostKeyFailure, SshProfile, TransferProgress } from '../../shared/ssh/types.js';
import type { IndexClient } from '../services/index/index-client.js';
import { HostKeyError } from '../services/ssh/errors.js';
import { collectJournal, pullDiagnosticBundle } from '../services/ssh/log-collector.js';
import type { ManagedConnection } from '../services/ssh/managed-connection.js';
import { expandHome, secretRef } from '../services/ssh/profiles.js';
import { MemorySecretStore, type SecretStore } from '../services/ssh/secrets.js';
import type { SshSession, TerminalChannel } from '../services/ssh/session.js';
import type { TransferOptions } from '../services/ssh/sftp-transfer.js';
import { SshService, sshPaths } from '../services/ssh/ssh-service.js';
import type { ConnectionRegistry } from './connections.js';
import type { Handlers } from './handlers.js';
import { HostKeyBroker } from './ssh/host-key-broker.js';
import { probeSsh } from './ssh/reachability.js';
import { SessionSecrets } from './ssh/session-secrets.js';

type SshHandlers = Pick<Handlers, Extract<keyof Handlers, `ssh.${string}`>>;

export interface SshHandlerOptions {
  dataDir: string;
  connections: ConnectionRegistry;
  /** The log index collected logs go into (the Logs section's, opened on first use). */
  logIndex: () => Promise<IndexClient>;
  /** Where saved secrets live: the OS keychain in Electron; this process only by default. */
  secrets?: SecretStore;
  /** OpenSSH known_hosts files read (never written); default ~/.ssh/known_hosts. */
  userKnownHostsFiles?: string[];
}

interface OpenConnection {
  id: string;
  profile: SshProfile;
  managed: ManagedConnection;
  close(): void;
}

/** Anything that is not already a FieldKit error is told as a failure, with every secret involved blanked out. */
function told(error: unknown, secrets: (string | undefined)[] = []): FieldkitError {
  if (error instanceof FieldkitError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const clean = redactSecrets(message, secrets.filter((s): s is string => s !== undefined));
  if (/^not connected/.test(clean)) return new FieldkitError('unavailable', clean, 'Connect the gateway again.');
  return new FieldkitError('failed', clean);
}

const base64 = (data: Buffer) => data.toString('base64');
const fromBase64 = (data: string) => Buffer.from(data, 'base64');

function progressEvent(p: TransferProgress): TransferEvent {
  return { type: 'progress', bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, startOffset: p.startOffset, bytesPerSecond: p.bytesPerSecond, etaSeconds: p.etaSeconds ?? null };
}

export interface SshBackend {
  handlers: SshHandlers;
  /** An open gateway connection, for other domains (cluster join, API tunnels); throws a told error when it is closed. */
  managed(connectionId: string): ManagedConnection;
  /** The live session of an open connection, waiting through a reconnect. */
  session(connectionId: string): Promise<SshSession>;
  close(): Promise<void>;
}

export function createSshHandlers(opts: SshHandlerOptions): SshBackend {
  const secrets = new SessionSecrets(opts.secrets ?? new MemorySecretStore());
  const service = new SshService({ dataDir: opts.dataDir, secrets, ...(opts.userKnownHostsFiles && { userKnownHostsFiles: opts.userKnownHostsFiles }) });
  const broker = new HostKeyBroker();
  const open = new Map<string, OpenConnection>();
  const terminals = new Map<string, TerminalChannel>();
  const changedKeys = new Map<string, HostKeyFailure>();
  const watchers = new Set<(list: SshConnectionView[]) => void>();

  const list = (): SshConnectionView[] =>
    [...open.values()].map((c) => ({ connectionId: c.id, profileId: c.profile.id, name: c.profile.name, state: c.managed.state }));
  const changed = () => {
    const now = list();
    for (const watcher of watchers) watcher(now);
  };

  const view = async (profile: SshProfile): Promise<SshProfileView> => ({ ...profile, secretSaved: await secrets.has(secretRef(profile.id)) });

  function connection(id: string): OpenConnection {
    const c = open.get(id);
    if (!c) throw new FieldkitError('not_found', 'That connection is closed.', 'Connect the gateway again.');
    return c;
  }
  const sessionOf = async (id: string): Promise<SshSession> => {
    try {
      return await connection(id).managed.session();
    } catch (error) {
      throw told(error);
    }
  };
  const filesOf = async (id: string) => (await sessionOf(id)).files();

  function adopt(profile: SshProfile, managed: ManagedConnection): string {
    const id = randomUUID();
    const unregister = opts.connections.register(`ssh ${profile.name}`);
    const entry: OpenConnection = {
      id,
      profile,
      managed,
      close: () => {
        if (!open.delete(id)) return;
        managed.close();
        unregister();
        changed();
      },
    };
    open.set(id, entry);
    managed.on('state', (state) => (state.state === 'closed' ? entry.close() : changed()));
    changed();
    return id;
  }

  /** Runs a stream's work; its failure ends the stream, told without secrets. */
  const streamWork = (work: Promise<void>, end: (error?: unknown) => void) => void work.then(() => end(), (error) => end(told(error)));

  function transfer(direction: 'upload' | 'download'): SshHandlers['ssh.files.upload'] {
    return (input, emit, ctx) => {
      const cancel = new AbortController();
      const options: TransferOptions = { resume: input.resume, signal: cancel.signal, onProgress: (p) => emit(progressEvent(p)) };
      streamWork(
        (async () => {
          const session = await sessionOf(input.connectionId);
          const localPath = expandHome(input.localPath);
          const result = direction === 'upload' ? await session.upload(localPath, input.remotePath, options) : await session.download(input.remotePath, localPath, options);
          emit({ type: 'done', bytesTotal: result.bytesTotal, startOffset: result.startOffset });
        })(),
        ctx.end,
      );
      return () => cancel.abort();
    };
  }

  const handlers: SshHandlers = {
    'ssh.profiles.list': async () => ({
      profiles: await Promise.all((await service.profiles.list()).map(view)),
      secretsPersistent: secrets.persistent,
    }),
    'ssh.profiles.save': async (input) => {
      const auth = input.auth.kind === 'key' ? { ...input.auth, identityFile: expandHome(input.auth.identityFile) } : input.auth;
      return view(await service.profiles.save({ ...input, auth }));
    },
    'ssh.profiles.delete': async ({ id }) => {
      for (const c of open.values()) if (c.profile.id === id) c.close();
      await service.profiles.remove(id);
      return {};
    },
    'ssh.profiles.importConfig': async ({ path }) => {
      const file = path ? expandHome(path) : join(homedir(), '.ssh', 'config');
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw new FieldkitError('not_found', `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 'Give the path of an OpenSSH config file on this machine.');
      }
      const result = await service.profiles.importSshConfig(text);
      return { imported: await Promise.all(result.imported.map(view)), problems: result.problems };
    },
    'ssh.reachability': async ({ profileIds }) => {
      const all = await service.profiles.list();
      const byId = new Map(all.map((p) => [p.id, p]));
      const firstHop = (p: SshProfile, seen = new Set<string>()): SshProfile => {
        const jump = byId.get(p.jumpProfileIds[0] ?? '');
        return jump && !seen.has(jump.id) ? firstHop(jump, seen.add(p.id)) : p;
      };
      const wanted = profileIds ? all.filter((p) => profileIds.includes(p.id)) : all;
      const results = await Promise.all(
        wanted.map(async (profile) => {
          const probed = firstHop(profile);
          return { profileId: profile.id, ...(await probeSsh(probed.host, probed.port)), via: probed === profile ? null : probed.name };
        }),
      );
      return { results };
    },
    'ssh.hostKeyPrompts': (_input, emit) => broker.listen(emit),
    'ssh.answerHostKey': ({ promptId, answer }) => {
      if (!broker.answer(promptId, answer)) throw new FieldkitError('not_found', 'That host key question is no longer open.', 'Connect again to be asked again.');
      return {};
    },
    'ssh.connect': async ({ profileId, secret, rememberSecret }) => {
      const profile = await service.profiles.get(profileId);
      if (secret !== undefined && rememberSecret) await service.profiles.save(profile, secret);
      // The service resolves the hops' auth once per connection and reuses it for reconnects: a typed secret
      // needs to be held only while connecting.
      const releaseSecret = secret !== undefined && !rememberSecret ? secrets.hold(secretRef(profileId), secret) : () => {};
      try {
        const managed = await service.connect(profileId, { strict: broker.listening ? 'ask' : 'yes', prompt: broker.ask });
        changedKeys.delete(profileId);
        return { status: 'connected' as const, connectionId: adopt(profile, managed) };
      } catch (error) {
        if (error instanceof HostKeyError && error.failure.reason === 'changed') {
          const f = error.failure;
          changedKeys.set(profileId, f);
          return { status: 'host-key-changed' as const, host: f.host, port: f.port, keyType: f.keyType, fingerprint: f.fingerprint, expected: f.expected, message: error.message };
        }
        throw told(error, [secret]);
      } finally {
        releaseSecret();
      }
    },
    'ssh.replaceHostKey': async ({ profileId, fingerprint }) => {
      const failure = changedKeys.get(profileId);
      if (!failure || failure.fingerprint !== fingerprint) {
        throw new FieldkitError('conflict', `No changed host key with fingerprint ${fingerprint} is waiting for this gateway.`, 'Connect again: the stop screen shows the key that can replace the stored one.');
      }
      await service.replaceHostKey(failure.host, failure.port, failure.presentedKey);
      changedKeys.delete(profileId);
      return {};
    },
    'ssh.disconnect': ({ connectionId }) => {
      open.get(connectionId)?.close();
      return {};
    },
    'ssh.connections': (_input, emit) => {
      emit({ connections: list() });
      const watcher = (connections: SshConnectionView[]) => emit({ connections });
      watchers.add(watcher);
      return () => watchers.delete(watcher);
    },
    'ssh.terminal': ({ connectionId, cols, rows }, emit, ctx) => {
      const terminalId = randomUUID();
      let stopped = false;
      streamWork(
        (async () => {
          const channel = await (await sessionOf(connectionId)).terminal({ cols, rows });
          if (stopped) return channel.close();
          terminals.set(terminalId, channel);
          emit({ type: 'opened', terminalId });
          channel.on('data', (data) => emit({ type: 'data', data: base64(data) }));
          const result = await new Promise<{ code: number | null; signal?: string }>((resolve) => channel.once('exit', resolve));
          terminals.delete(terminalId);
          emit({ type: 'exit', code: result.code, ...(result.signal && { signal: result.signal }) });
        })(),
        ctx.end,
      );
      return () => {
        stopped = true;
        terminals.get(terminalId)?.close();
        terminals.delete(terminalId);
      };
    },
    'ssh.terminalWrite': ({ terminalId, data }) => {
      const channel = terminals.get(terminalId);
      if (!channel) throw new FieldkitError('not_found', 'That terminal is closed.', 'Open a new terminal.');
      channel.write(fromBase64(data));
      return {};
    },
    'ssh.terminalResize': ({ terminalId, cols, rows }) => {
      terminals.get(terminalId)?.resize(cols, rows);
      return {};
    },
    'ssh.exec': ({ connectionId, command }, emit, ctx) => {
      const cancel = new AbortController();
      streamWork(
        (async () => {
          const session = await sessionOf(connectionId);
          const result = await session.exec(command, {
            signal: cancel.signal,
            onStdout: (data) => emit({ type: 'stdout', data: base64(data) }),
            onStderr: (data) => emit({ type: 'stderr', data: base64(data) }),
          });
          emit({ type: 'exit', code: result.code, ...(result.signal && { signal: result.signal }) });
        })(),
        ctx.end,
      );
      return () => cancel.abort();
    },
    'ssh.files.list': async ({ connectionId, path }) => {
      try {
        const files = await filesOf(connectionId);
        const absolute = await files.realpath(path);
        return { path: absolute, entries: await files.list(absolute) };
      } catch (error) {
        throw told(error);
      }
    },
    'ssh.files.rename': async ({ connectionId, from, to }) => {
      await (await filesOf(connectionId)).rename(from, to).catch((error) => Promise.reject(told(error)));
      return {};
    },
    'ssh.files.delete': async ({ connectionId, path }) => {
      await (await filesOf(connectionId)).remove(path).catch((error) => Promise.reject(told(error)));
      return {};
    },
    'ssh.files.mkdir': async ({ connectionId, path }) => {
      await (await filesOf(connectionId)).mkdir(path).catch((error) => Promise.reject(told(error)));
      return {};
    },
    'ssh.files.upload': transfer('upload'),
    'ssh.files.download': transfer('download'),
    'ssh.collectLogs': ({ connectionId, since, bundle }, emit, ctx) => {
      const cancel = new AbortController();
      streamWork(
        (async () => {
          const { profile } = connection(connectionId);
          const labels = { device: profile.device ?? profile.name, ...(profile.site && { site: profile.site }) };
          const session = await sessionOf(connectionId);
          const index = await opts.logIndex();
          let records = 0;
          const counting: LogSink = {
            append: async (batch: readonly LogRecord[]) => {
              await index.append(batch);
              records += batch.length;
              emit({ type: 'progress', phase: 'journal', records });
            },
          };
          await collectJournal(session, counting, { labels, ...(since && { since }), signal: cancel.signal });
          let bundleRecords: number | null = null;
          if (bundle) {
            emit({ type: 'progress', phase: 'bundle', records });
            const pulled = await pullDiagnosticBundle(session, sshPaths(opts.dataDir).bundles, { labels, signal: cancel.signal });
            const report = await index.importPaths([pulled.path], { device: labels.device, signal: cancel.signal });
            bundleRecords = report.totals.records;
          }
          emit({ type: 'done', device: labels.device, records, bundleRecords });
        })(),
        ctx.end,
      );
      return () => cancel.abort();
    },
  };

  return {
    handlers,
    managed: (connectionId) => connection(connectionId).managed,
    session: sessionOf,
    async close() {
      broker.rejectAll();
      for (const c of [...open.values()]) c.close();
    },
  };
}
