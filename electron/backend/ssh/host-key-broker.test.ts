import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../shared/contract/index.js';
import { HostKeyBroker } from './host-key-broker.js';

const question = { host: 'gw-17', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:abc', knownTypes: [] };

describe('HostKeyBroker', () => {
  it('rejects at once when no window listens: an unconfirmed key is never accepted', async () => {
    expect(await new HostKeyBroker().ask(question)).toBe('reject');
  });

  it('asks every listener, maps the answer, and tells the others it is settled', async () => {
    const broker = new HostKeyBroker();
    const a: StreamEvent<'ssh.hostKeyPrompts'>[] = [];
    const b: StreamEvent<'ssh.hostKeyPrompts'>[] = [];
    broker.listen((e) => a.push(e));
    broker.listen((e) => b.push(e));
    const answer = broker.ask(question);
    expect(a).toEqual([{ type: 'ask', promptId: expect.any(String), ...question }]);
    const promptId = (a[0] as { promptId: string }).promptId;
    expect(broker.answer(promptId, 'trust-always')).toBe(true);
    expect(await answer).toBe('trust');
    expect(b.at(-1)).toEqual({ type: 'settled', promptId });
    expect(broker.answer(promptId, 'reject')).toBe(false);
  });

  it('shows waiting questions to a window that opens later, and rejects them when the last window goes', async () => {
    const broker = new HostKeyBroker();
    const stopFirst = broker.listen(() => {});
    const answer = broker.ask(question);
    const late: StreamEvent<'ssh.hostKeyPrompts'>[] = [];
    const stopLate = broker.listen((e) => late.push(e));
    expect(late).toEqual([expect.objectContaining({ type: 'ask', fingerprint: 'SHA256:abc' })]);
    stopFirst();
    stopLate();
    expect(await answer).toBe('reject');
  });

  it('answers trust-once as a one-connection trust', async () => {
    const broker = new HostKeyBroker();
    let promptId = '';
    broker.listen((e) => e.type === 'ask' && (promptId = e.promptId));
    const answer = broker.ask(question);
    broker.answer(promptId, 'trust-once');
    expect(await answer).toBe('trust-once');
  });
});
