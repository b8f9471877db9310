/** What the SSH service exposes to the UI and CLI. Pure types only. */

export type SshAuth =
  | { kind: 'agent'; socket?: string }
  | { kind: 'key'; identityFile: string; hasPassphrase?: boolean }
  | { kind: 'password' }
  | { kind: 'keyboard-interactive' };

export interface SshProfile {
  id: string;
  name: string;
  host: string;
  port: number;
  user: string;
  auth: SshAuth;
  /** ProxyJump chain as profile ids, first hop first. */
  jumpProfileIds: string[];
  site?: string;
  /** Label for collected logs; defaults to the profile name. */
  device?: string;
}

/** `yes`: unknown or changed keys fail. `accept-new`: unknown keys are stored, changed fail. `ask`: prompt on unknown. */
export type StrictHostKeys = 'yes' | 'accept-new' | 'ask';

export interface HostKeyQuestion {
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
  /** Key types already trusted for this host (a new type is not a changed key, but worth showing). */
  knownTypes: string[];
}

/** `trust`: store in FieldKit's trust store; `trust-once`: this connection only. */
export type HostKeyAnswer = 'trust' | 'trust-once' | 'reject';
export type HostKeyPrompt = (question: HostKeyQuestion) => Promise<HostKeyAnswer>;

export interface StoredKeyRef {
  keyType: string;
  fingerprint: string;
  file: string;
  line: number;
}

export interface HostKeyFailure {
  reason: 'unknown' | 'changed' | 'revoked' | 'rejected';
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
  /** For `changed`: the stored keys the presented key does not match. */
  expected: StoredKeyRef[];
  /** The presented public key blob, base64: what "replace the stored key" stores after the user confirms. */
  presentedKey: string;
}

export type ConnectionState =
  | { state: 'connecting'; attempt: number }
  | { state: 'ready' }
  | { state: 'reconnecting'; attempt: number; delayMs: number; cause: string }
  | { state: 'closed'; cause?: string };

export interface TransferProgress {
  bytesDone: number;
  bytesTotal: number;
  /** Where the transfer started: > 0 when it resumed an interrupted one. */
  startOffset: number;
  bytesPerSecond: number;
  etaSeconds: number | undefined;
}

export interface RemoteEntry {
  name: string;
  kind: 'file' | 'directory' | 'symlink' | 'other';
  size: number;
  mtimeMs: number;
  mode: number;
}
