import { messageOf } from '../../app/format.js';
import { create } from 'zustand';
import type { FieldkitClient } from '../../../../shared/contract/client.js';
import type {
  HostKeyAnswerChoice,
  HostKeyChanged,
  HostKeyQuestionView,
  Reachability,
  SshConnectionView,
  SshProfileInput,
  SshProfileView,
} from '../../../../shared/contract/index.js';

export type DevicesView = { page: 'list' } | { page: 'add' } | { page: 'edit'; profileId: string } | { page: 'device'; profileId: string };

interface DevicesState {
  profiles: SshProfileView[] | null;
  secretsPersistent: boolean;
  reachability: Record<string, Reachability>;
  checking: boolean;
  connections: SshConnectionView[];
  view: DevicesView;
  /** Unknown host keys waiting for the technician, oldest first: the modal shows the first. */
  prompts: HostKeyQuestionView[];
  /** A changed host key stopped a connection: the hard-stop dialog. */
  changedKey: (HostKeyChanged & { profileId: string }) | null;
  connecting: string | null;
  error: string | null;
  notice: string | null;
}

export const useDevices = create<DevicesState>()(() => ({
  profiles: null,
  secretsPersistent: false,
  reachability: {},
  checking: false,
  connections: [],
  view: { page: 'list' },
  prompts: [],
  changedKey: null,
  connecting: null,
  error: null,
  notice: null,
}));


/** The live connection of a gateway, if any. */
export const connectionOf = (connections: SshConnectionView[], profileId: string) => connections.find((c) => c.profileId === profileId);

/** The backend calls behind the Devices section. */
export function devicesActions(client: FieldkitClient) {
  const { setState: set, getState: get } = useDevices;

  const guarded = async (work: () => Promise<void>) => {
    set({ error: null });
    try {
      await work();
    } catch (error) {
      set({ error: messageOf(error) });
    }
  };

  const actions = {
    show: (view: DevicesView) => set({ view, error: null, notice: null }),

    load: () =>
      guarded(async () => {
        const { profiles, secretsPersistent } = await client.call('ssh.profiles.list', {});
        set({ profiles, secretsPersistent });
      }),

    /** Runs in the background too, so it leaves other messages alone. */
    async checkReachability() {
      set({ checking: true });
      try {
        const { results } = await client.call('ssh.reachability', {});
        set({ reachability: Object.fromEntries(results.map((r) => [r.profileId, r])) });
      } catch (error) {
        set({ error: `Could not check reachability: ${messageOf(error)}` });
      } finally {
        set({ checking: false });
      }
    },

    save: (input: SshProfileInput) =>
      guarded(async () => {
        const saved = await client.call('ssh.profiles.save', input);
        await actions.load();
        set({ view: { page: 'device', profileId: saved.id } });
        void actions.checkReachability();
      }),

    remove: (profileId: string) =>
      guarded(async () => {
        await client.call('ssh.profiles.delete', { id: profileId });
        set({ view: { page: 'list' } });
        await actions.load();
      }),

    importConfig: (path?: string) =>
      guarded(async () => {
        const { imported, problems } = await client.call('ssh.profiles.importConfig', path ? { path } : {});
        await actions.load();
        const skipped = problems.length ? ` ${problems.length} lines skipped: ${problems.map((p) => `line ${p.line}: ${p.reason}`).join('; ')}` : '';
        set({ notice: `Imported ${imported.length} ${imported.length === 1 ? 'gateway' : 'gateways'} from the SSH config.${skipped}` });
        void actions.checkReachability();
      }),

    connect: (profileId: string, secret?: string, rememberSecret = false) =>
      guarded(async () => {
        set({ connecting: profileId });
        try {
          const result = await client.call('ssh.connect', { profileId, ...(secret ? { secret, rememberSecret } : {}) });
          if (result.status === 'host-key-changed') set({ changedKey: { ...result, profileId } });
          if (rememberSecret) await actions.load();
        } finally {
          set({ connecting: null });
        }
      }),

    disconnect: (connectionId: string) => guarded(async () => void (await client.call('ssh.disconnect', { connectionId }))),

    answer: (promptId: string, answer: HostKeyAnswerChoice) =>
      guarded(async () => {
        set((s) => ({ prompts: s.prompts.filter((p) => p.promptId !== promptId) }));
        await client.call('ssh.answerHostKey', { promptId, answer });
      }),

    /** The deliberate action after a changed-key stop; then connects again. */
    replaceKey: () =>
      guarded(async () => {
        const changed = get().changedKey;
        if (!changed) return;
        await client.call('ssh.replaceHostKey', { profileId: changed.profileId, fingerprint: changed.fingerprint });
        set({ changedKey: null });
        await actions.connect(changed.profileId);
      }),

    dismissChangedKey: () => set({ changedKey: null }),

    /** Host key questions and connection states, while the section is open. */
    watch(): () => void {
      const stops = [
        client.subscribe('ssh.hostKeyPrompts', {}, {
          next: (event) =>
            set((s) => ({
              prompts: event.type === 'ask' ? [...s.prompts.filter((p) => p.promptId !== event.promptId), event] : s.prompts.filter((p) => p.promptId !== event.promptId),
            })),
        }),
        client.subscribe('ssh.connections', {}, { next: ({ connections }) => set({ connections }) }),
      ];
      return () => stops.forEach((stop) => stop());
    },
  };
  return actions;
}

export type DevicesActions = ReturnType<typeof devicesActions>;
