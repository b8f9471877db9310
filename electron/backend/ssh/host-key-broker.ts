import { randomUUID } from 'node:crypto';
import type { HostKeyAnswerChoice, HostKeyQuestionView, StreamEvent } from '../../../shared/contract/index.js';
import type { HostKeyAnswer, HostKeyQuestion } from '../../../shared/ssh/types.js';

type PromptEvent = StreamEvent<'ssh.hostKeyPrompts'>;

const ANSWERS: Record<HostKeyAnswerChoice, HostKeyAnswer> = { 'trust-once': 'trust-once', 'trust-always': 'trust', reject: 'reject' };

/**
 * Carries host key questions from a connection attempt to whichever window is listening, and the answer back.
 * With nobody listening nothing can be confirmed, so the key is rejected: never silently accepted.
 */
export class HostKeyBroker {
  private readonly listeners = new Set<(event: PromptEvent) => void>();
  private readonly pending = new Map<string, { question: HostKeyQuestionView; resolve(answer: HostKeyAnswer): void }>();

  get listening(): boolean {
    return this.listeners.size > 0;
  }

  /** Adds a window; it is told at once about questions already waiting. */
  listen(listener: (event: PromptEvent) => void): () => void {
    this.listeners.add(listener);
    for (const { question } of this.pending.values()) listener({ type: 'ask', ...question });
    return () => {
      this.listeners.delete(listener);
      if (!this.listening) this.rejectAll();
    };
  }

  readonly ask = (q: HostKeyQuestion): Promise<HostKeyAnswer> => {
    if (!this.listening) return Promise.resolve('reject');
    const question: HostKeyQuestionView = { promptId: randomUUID(), host: q.host, port: q.port, keyType: q.keyType, fingerprint: q.fingerprint, knownTypes: q.knownTypes };
    return new Promise((resolve) => {
      this.pending.set(question.promptId, { question, resolve });
      this.broadcast({ type: 'ask', ...question });
    });
  };

  /** false when the prompt is unknown (already answered, or its connection attempt gave up). */
  answer(promptId: string, choice: HostKeyAnswerChoice): boolean {
    const entry = this.pending.get(promptId);
    if (!entry) return false;
    this.pending.delete(promptId);
    entry.resolve(ANSWERS[choice]);
    this.broadcast({ type: 'settled', promptId });
    return true;
  }

  rejectAll(): void {
    for (const promptId of [...this.pending.keys()]) this.answer(promptId, 'reject');
  }

  private broadcast(event: PromptEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
