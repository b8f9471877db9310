import { z } from 'zod';
import { method, stream } from './define.js';

/** Bytes cross the wire as base64 strings. */
const base64 = z.string().max(1 << 22).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const id = z.string().min(1).max(200);
const path = z.string().min(1).max(4096);
const connectionId = id;
const empty = z.object({}).strict();
const done = z.object({});

export const sshAuthSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('agent'), socket: z.string().max(4096).optional() }),
  z.object({ kind: z.literal('key'), identityFile: path, hasPassphrase: z.boolean().optional() }),
  z.object({ kind: z.literal('password') }),
  z.object({ kind: z.literal('keyboard-interactive') }),
]);
export type SshAuthSetting = z.infer<typeof sshAuthSchema>;

const profileFields = {
  name: z.string().trim().min(1).max(200),
  host: z.string().trim().min(1).max(255),
  port: z.number().int().min(1).max(65535),
  user: z.string().trim().min(1).max(200),
  auth: sshAuthSchema,
  /** ProxyJump chain as profile ids, first hop first. */
  jumpProfileIds: z.array(id).max(8),
  site: z.string().max(200).optional(),
  /** Label for collected logs; defaults to the name. */
  device: z.string().max(200).optional(),
};

/** A saved gateway. Never carries a secret: `secretSaved` only says whether one is kept. */
export const sshProfileSchema = z.object({ id, ...profileFields, secretSaved: z.boolean() });
export type SshProfileView = z.infer<typeof sshProfileSchema>;

export const sshProfileInput = z.object({ id: id.optional(), ...profileFields }).strict();
export type SshProfileInput = z.infer<typeof sshProfileInput>;

export const reachabilitySchema = z.object({
  profileId: id,
  reachable: z.boolean(),
  latencyMs: z.number().nullable(),
  /** The server's identification line, e.g. `SSH-2.0-OpenSSH_9.2p1`. */
  banner: z.string().nullable(),
  error: z.string().nullable(),
  /** The first jump host when the gateway is reached through one: that is what was probed. */
  via: z.string().nullable(),
});
export type Reachability = z.infer<typeof reachabilitySchema>;

export const hostKeyAnswerSchema = z.enum(['trust-once', 'trust-always', 'reject']);
export type HostKeyAnswerChoice = z.infer<typeof hostKeyAnswerSchema>;

export const hostKeyQuestionSchema = z.object({
  promptId: id,
  host: z.string(),
  port: z.number(),
  keyType: z.string(),
  /** OpenSSH's form: `SHA256:` + unpadded base64, as `ssh-keygen -lf` prints it. */
  fingerprint: z.string(),
  /** Key types already trusted for this host (a new type is not a changed key, but worth showing). */
  knownTypes: z.array(z.string()),
});
export type HostKeyQuestionView = z.infer<typeof hostKeyQuestionSchema>;

const storedKeySchema = z.object({ keyType: z.string(), fingerprint: z.string(), file: z.string(), line: z.number() });

export const hostKeyChangedSchema = z.object({
  status: z.literal('host-key-changed'),
  host: z.string(),
  port: z.number(),
  keyType: z.string(),
  fingerprint: z.string(),
  expected: z.array(storedKeySchema),
  message: z.string(),
});
export type HostKeyChanged = z.infer<typeof hostKeyChangedSchema>;

export const connectionStateSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('connecting'), attempt: z.number() }),
  z.object({ state: z.literal('ready') }),
  z.object({ state: z.literal('reconnecting'), attempt: z.number(), delayMs: z.number(), cause: z.string() }),
  z.object({ state: z.literal('closed'), cause: z.string().optional() }),
]);

export const sshConnectionSchema = z.object({ connectionId, profileId: id, name: z.string(), state: connectionStateSchema });
export type SshConnectionView = z.infer<typeof sshConnectionSchema>;

export const remoteEntrySchema = z.object({
  name: z.string(),
  kind: z.enum(['file', 'directory', 'symlink', 'other']),
  size: z.number(),
  mtimeMs: z.number(),
  mode: z.number(),
});
export type RemoteEntryView = z.infer<typeof remoteEntrySchema>;

export const transferEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('progress'),
    bytesDone: z.number(),
    bytesTotal: z.number(),
    /** > 0 when an interrupted transfer was resumed. */
    startOffset: z.number(),
    bytesPerSecond: z.number(),
    etaSeconds: z.number().nullable(),
  }),
  z.object({ type: z.literal('done'), bytesTotal: z.number(), startOffset: z.number() }),
]);
export type TransferEvent = z.infer<typeof transferEventSchema>;

const transferInput = z.object({ connectionId, localPath: path, remotePath: path, resume: z.boolean().default(false) }).strict();
const exitEvent = z.object({ type: z.literal('exit'), code: z.number().nullable(), signal: z.string().optional() });
const size = { cols: z.number().int().min(2).max(1000), rows: z.number().int().min(1).max(500) };

export const sshContract = {
  'ssh.profiles.list': method('The saved gateways.', empty, z.object({ profiles: z.array(sshProfileSchema), secretsPersistent: z.boolean() })),
  'ssh.profiles.save': method('Add or change a gateway (no secret here: it is given when connecting).', sshProfileInput, sshProfileSchema),
  'ssh.profiles.delete': method('Forget a gateway and its saved secret.', z.object({ id }).strict(), done),
  'ssh.profiles.importConfig': method(
    'Import the concrete Host aliases of an OpenSSH config file on this machine (default ~/.ssh/config).',
    z.object({ path: path.optional() }).strict(),
    z.object({ imported: z.array(sshProfileSchema), problems: z.array(z.object({ line: z.number(), reason: z.string() })) }),
  ),
  'ssh.reachability': method(
    'Whether each gateway (or its first jump host) answers with an SSH banner right now.',
    z.object({ profileIds: z.array(id).max(500).optional() }).strict(),
    z.object({ results: z.array(reachabilitySchema) }),
  ),
  'ssh.hostKeyPrompts': stream(
    'Unknown host keys waiting for a decision (before any authentication), and prompts settled elsewhere.',
    empty,
    z.discriminatedUnion('type', [hostKeyQuestionSchema.extend({ type: z.literal('ask') }), z.object({ type: z.literal('settled'), promptId: id })]),
  ),
  'ssh.answerHostKey': method('Answer a host key prompt.', z.object({ promptId: id, answer: hostKeyAnswerSchema }).strict(), done),
  'ssh.connect': method(
    'Connect a saved gateway and keep it connected. The secret (password or key passphrase) is used, never echoed; ' +
      '`rememberSecret` keeps it in the secret store (the OS keychain in the desktop app, this process only in browser mode). ' +
      'A changed host key is a hard stop, answered with its fingerprints.',
    z.object({ profileId: id, secret: z.string().max(4096).optional(), rememberSecret: z.boolean().default(false) }).strict(),
    z.discriminatedUnion('status', [z.object({ status: z.literal('connected'), connectionId }), hostKeyChangedSchema]),
  ),
  'ssh.replaceHostKey': method(
    'The deliberate action after a changed host key: store the key the gateway presented (named by its fingerprint) instead of the old one.',
    z.object({ profileId: id, fingerprint: z.string().min(1).max(200) }).strict(),
    done,
  ),
  'ssh.disconnect': method('Close a connection.', z.object({ connectionId }).strict(), done),
  'ssh.connections': stream('The open connections and their state, now and after every change.', empty, z.object({ connections: z.array(sshConnectionSchema) })),
  'ssh.terminal': stream(
    'An interactive shell on a PTY: `opened` names it for write/resize, then its output as base64. Unsubscribe to close it.',
    z.object({ connectionId, ...size }).strict(),
    z.discriminatedUnion('type', [z.object({ type: z.literal('opened'), terminalId: id }), z.object({ type: z.literal('data'), data: base64 }), exitEvent]),
  ),
  'ssh.terminalWrite': method('Keystrokes or pasted text for a terminal, as base64.', z.object({ terminalId: id, data: base64 }).strict(), done),
  'ssh.terminalResize': method('The terminal was resized.', z.object({ terminalId: id, ...size }).strict(), done),
  'ssh.exec': stream(
    'Run one command: its output as it comes, then the exit code. Unsubscribe to stop it.',
    z.object({ connectionId, command: z.string().min(1).max(65536) }).strict(),
    z.discriminatedUnion('type', [z.object({ type: z.enum(['stdout', 'stderr']), data: base64 }), exitEvent]),
  ),
  'ssh.files.list': method(
    'A remote folder (`.` is the home folder); answers with its absolute path.',
    z.object({ connectionId, path }).strict(),
    z.object({ path: z.string(), entries: z.array(remoteEntrySchema) }),
  ),
  'ssh.files.rename': method('Rename or move a remote file or folder.', z.object({ connectionId, from: path, to: path }).strict(), done),
  'ssh.files.delete': method('Delete a remote file or empty folder.', z.object({ connectionId, path }).strict(), done),
  'ssh.files.mkdir': method('Create a remote folder.', z.object({ connectionId, path }).strict(), done),
  'ssh.files.upload': stream('Copy a file from this machine to the gateway: progress, then done. Unsubscribe to cancel (resumable).', transferInput, transferEventSchema),
  'ssh.files.download': stream('Copy a file from the gateway to this machine: progress, then done. Unsubscribe to cancel (resumable).', transferInput, transferEventSchema),
  'ssh.collectLogs': stream(
    "Collect the gateway's journal (and optionally a diagnostic bundle) into the log index, labelled with its device name.",
    z.object({ connectionId, since: z.string().max(100).optional(), bundle: z.boolean().default(false) }).strict(),
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('progress'), phase: z.enum(['journal', 'bundle']), records: z.number() }),
      z.object({ type: z.literal('done'), device: z.string(), records: z.number(), bundleRecords: z.number().nullable() }),
    ]),
  ),
} as const;
