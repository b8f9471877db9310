import { FieldkitError } from '../../../shared/contract/errors.js';
import type { HostKeyFailure } from '../../../shared/ssh/types.js';

function describe(f: HostKeyFailure): string {
  const where = `${f.host}:${f.port}`;
  switch (f.reason) {
    case 'unknown':
      return `host key of ${where} is not known (${f.keyType} ${f.fingerprint}); refusing to connect without confirmation`;
    case 'rejected':
      return `host key of ${where} (${f.keyType} ${f.fingerprint}) was not accepted`;
    case 'revoked':
      return `host key of ${where} (${f.keyType} ${f.fingerprint}) is marked @revoked; refusing to connect`;
    case 'changed':
      return [
        `HOST KEY OF ${where} HAS CHANGED: it now presents ${f.keyType} ${f.fingerprint}, but the stored key is`,
        ...f.expected.map((e) => `  ${e.keyType} ${e.fingerprint} (${e.file} line ${e.line})`),
        'Someone could be intercepting the connection, or the gateway was reinstalled.',
        'Nothing was sent. If you know the gateway was reinstalled, replace the stored key deliberately.',
      ].join('\n');
  }
}

/** Connection stopped at host key verification, before any authentication data was sent. */
export class HostKeyError extends FieldkitError {
  override readonly name = 'HostKeyError';
  constructor(readonly failure: HostKeyFailure) {
    super(failure.reason === 'changed' ? 'conflict' : 'failed', describe(failure), HINTS[failure.reason]);
  }
}

const HINTS: Record<HostKeyFailure['reason'], string> = {
  unknown: 'Compare the fingerprint with the gateway (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub) and trust it.',
  rejected: 'Connect again and accept the key only if the fingerprint matches the gateway.',
  revoked: 'Ask whoever manages the gateway why its key was revoked.',
  changed: 'Check the fingerprint on the gateway itself before choosing "replace the stored key".',
};

/** A failure that retrying cannot fix (host key, authentication, bad configuration): no reconnect. */
export class PermanentSshError extends FieldkitError {
  override readonly name = 'PermanentSshError';
  constructor(message: string, hint?: string) {
    super('failed', message, hint);
  }
}

export class TransferCancelledError extends FieldkitError {
  override readonly name = 'TransferCancelledError';
  constructor() {
    super('cancelled', 'transfer cancelled; the partial file is kept so the transfer can resume');
  }
}
