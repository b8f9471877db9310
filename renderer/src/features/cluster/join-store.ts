import { create } from 'zustand';
import type { AirgapBundle, MethodOutput } from '../../../../shared/contract/index.js';
import type { FieldkitClient } from '../../../../shared/contract/client.js';
import { messageOf, withHint } from '../../app/format.js';
import { applyJoinEvent, emptyJoinForm, endJoinRun, joinPlanOf, startJoinRun, type JoinForm, type JoinRun } from './join-model.js';

export const WIZARD_STEPS = [
  { id: 'gateway', label: 'Gateway' },
  { id: 'server', label: 'Server and token' },
  { id: 'install', label: 'K3s install' },
  { id: 'node', label: 'Node' },
  { id: 'preflight', label: 'Preflight' },
  { id: 'join', label: 'Join' },
] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number]['id'];

export interface BundleImport {
  dir: string;
  file: string;
  bytesDone: number;
  bytesTotal: number;
  error: string | null;
  done: AirgapBundle | null;
}

interface JoinState {
  step: WizardStep;
  form: JoinForm;
  bundles: AirgapBundle[];
  bundleImport: BundleImport | null;
  preflight: (MethodOutput<'cluster.join.preflight'> & { forServer: string }) | null;
  preflighting: boolean;
  run: JoinRun | null;
  recovering: boolean;
  error: string | null;
}

export const useJoin = create<JoinState>()(() => ({
  step: 'gateway',
  form: emptyJoinForm(),
  bundles: [],
  bundleImport: null,
  preflight: null,
  preflighting: false,
  run: null,
  recovering: false,
  error: null,
}));

let stopJoin: (() => void) | undefined;
let stopImport: (() => void) | undefined;

/** The backend calls behind the join wizard. */
export function joinActions(client: FieldkitClient) {
  const { setState: set, getState: get } = useJoin;

  const actions = {
    edit: (patch: Partial<JoinForm>) => set((s) => ({ form: { ...s.form, ...patch } })),
    go: (step: WizardStep) => set({ step, error: null }),

    loadBundles: async () => {
      try {
        set({ bundles: (await client.call('cluster.bundles', {})).bundles });
      } catch (error) {
        set({ error: `Could not list the air-gap bundles: ${messageOf(error)}` });
      }
    },

    importBundle(dir: string) {
      stopImport?.();
      set({ bundleImport: { dir, file: '', bytesDone: 0, bytesTotal: 0, error: null, done: null } });
      const update = (patch: Partial<BundleImport>) => set((s) => ({ bundleImport: s.bundleImport && { ...s.bundleImport, ...patch } }));
      stopImport = client.subscribe('cluster.bundles.import', { dir }, {
        next(event) {
          if (event.type === 'progress') update({ file: event.file, bytesDone: event.bytesDone, bytesTotal: event.bytesTotal });
          else {
            update({ done: event.bundle });
            actions.edit({ bundle: `${event.bundle.version}/${event.bundle.arch}` });
            void actions.loadBundles();
          }
        },
        end(error) {
          stopImport = undefined;
          if (error) update({ error: withHint(error) });
        },
      });
    },

    async runPreflight(contextId: string) {
      const { form } = get();
      set({ preflighting: true, error: null });
      try {
        const result = await client.call('cluster.join.preflight', {
          gatewayConnectionId: form.gatewayConnectionId,
          server: form.server.trim().replace(/\/$/, ''),
          contextId,
          ...(form.nodeName && { nodeName: form.nodeName }),
        });
        set({ preflight: { ...result, forServer: form.server } });
      } catch (error) {
        set({ error: messageOf(error), preflight: null });
      } finally {
        set({ preflighting: false });
      }
    },

    join(contextId: string) {
      stopJoin?.();
      let plan;
      try {
        plan = joinPlanOf(get().form, contextId);
      } catch (error) {
        return set({ error: messageOf(error) });
      }
      set({ run: startJoinRun(), error: null, step: 'join' });
      stopJoin = client.subscribe('cluster.join', plan, {
        next: (event) => set((s) => ({ run: s.run && applyJoinEvent(s.run, event) })),
        end(error) {
          stopJoin = undefined;
          set((s) => ({ run: s.run && endJoinRun(s.run, error ? withHint(error) : null) }));
        },
      });
    },

    cancel() {
      stopJoin?.();
      stopJoin = undefined;
      set((s) => ({ run: s.run && endJoinRun(s.run, 'Cancelled. Steps already done on the gateway stay done; run the join again to continue.') }));
    },

    async recoverNodePassword(contextId: string, nodeName: string) {
      set({ recovering: true, error: null });
      try {
        await client.call('cluster.join.recoverNodePassword', { contextId, nodeName });
        set((s) => ({ run: s.run && { ...s.run, diagnoses: s.run.diagnoses.filter((d) => d.action !== 'delete-node-password') } }));
        // A join still waiting for Ready sees the agent retry on its own; a finished one runs again.
        if (!get().run?.running) actions.join(contextId);
      } catch (error) {
        set({ error: messageOf(error) });
      } finally {
        set({ recovering: false });
      }
    },

    /** A new join: the form keeps the server and the token source, the token itself is forgotten. */
    reset: () =>
      set((s) => ({ step: 'gateway', run: null, preflight: null, error: null, form: { ...s.form, gatewayConnectionId: '', token: '', nodeName: '', nodeIp: '' } })),
  };
  return actions;
}

export type JoinActions = ReturnType<typeof joinActions>;
