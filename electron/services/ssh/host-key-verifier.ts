import type { HostKeyFailure, HostKeyPrompt, StrictHostKeys } from '../../../shared/ssh/types.js';
import { keyTypeOf, sha256Fingerprint, type HostTrustStore } from './trust-store.js';

export interface HostKeyCheckOptions {
  store: HostTrustStore;
  host: string;
  port: number;
  strict: StrictHostKeys;
  prompt?: HostKeyPrompt;
}

/**
 * ssh2 `hostVerifier` (async form): runs during key exchange, before any authentication is attempted.
 * `failure()` tells afterwards why a connection was refused, because ssh2 only reports "Host denied".
 */
export function createHostVerifier(opts: HostKeyCheckOptions): {
  hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => void;
  failure: () => HostKeyFailure | undefined;
} {
  let failure: HostKeyFailure | undefined;
  const hostVerifier = (key: Buffer, verify: (ok: boolean) => void): void => {
    decide(opts, key).then(
      (f) => {
        failure = f;
        verify(f === undefined);
      },
      (e: unknown) => {
        failure = {
          reason: 'rejected',
          host: opts.host,
          port: opts.port,
          keyType: keyTypeOf(key),
          fingerprint: `${sha256Fingerprint(key)} (check failed: ${(e as Error).message})`,
          expected: [],
          presentedKey: key.toString('base64'),
        };
        verify(false);
      },
    );
  };
  return { hostVerifier, failure: () => failure };
}

async function decide(opts: HostKeyCheckOptions, key: Buffer): Promise<HostKeyFailure | undefined> {
  const { store, host, port, strict, prompt } = opts;
  const judgement = await store.judge(host, port, key);
  const keyType = keyTypeOf(key);
  const fingerprint = sha256Fingerprint(key);
  const fail = (reason: HostKeyFailure['reason']): HostKeyFailure => ({
    reason,
    host,
    port,
    keyType,
    fingerprint,
    expected: judgement.expected,
    presentedKey: key.toString('base64'),
  });
  const { verdict } = judgement;
  if (verdict.status === 'trusted') return undefined;
  if (verdict.status === 'revoked') return fail('revoked');
  if (verdict.status === 'changed') return fail('changed');
  if (strict === 'accept-new') {
    await store.trust(host, port, key);
    return undefined;
  }
  if (strict === 'yes' || !prompt) return fail('unknown');
  const answer = await prompt({ host, port, keyType, fingerprint, knownTypes: verdict.knownTypes });
  if (answer === 'trust') await store.trust(host, port, key);
  return answer === 'reject' ? fail('rejected') : undefined;
}
