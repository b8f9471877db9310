import type { SshConnectionView, SshProfileView } from '../../../../shared/contract/index.js';
import { formatBytes } from '../../app/format.js';
import { formatDuration } from '../../app/format.js';

export const destination = (p: Pick<SshProfileView, 'user' | 'host' | 'port'>) => `${p.user}@${p.host}${p.port === 22 ? '' : `:${p.port}`}`;

export function describeState(state: SshConnectionView['state']): string {
  switch (state.state) {
    case 'connecting':
      return 'connecting…';
    case 'ready':
      return 'connected';
    case 'reconnecting':
      return `reconnecting (attempt ${state.attempt}): ${state.cause}`;
    case 'closed':
      return state.cause ? `closed: ${state.cause}` : 'closed';
  }
}

/** "12.5 MB of 40.0 MB · 8.1 MB/s · 4 s left" */
export function describeTransfer(p: { bytesDone: number; bytesTotal: number; bytesPerSecond: number; etaSeconds: number | null }): string {
  const eta = p.etaSeconds === null ? 'estimating…' : `${formatDuration(p.etaSeconds)} left`;
  return `${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)} · ${formatBytes(Math.round(p.bytesPerSecond))}/s · ${eta}`;
}

/** The Logs query that shows one device, quoted when the name needs it. */
export function deviceQuery(device: string): string {
  return /[\s"]/.test(device) ? `device:"${device.replace(/"/g, '\\"')}"` : `device:${device}`;
}
