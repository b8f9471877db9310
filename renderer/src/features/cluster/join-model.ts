import {
  JOIN_STEPS,
  LEAVE_STEPS,
  joinPlanSchema,
  type Diagnosis,
  type JoinEvent,
  type JoinPlan,
  type PreflightCheck,
} from '../../../../shared/contract/cluster.js';

export type JoinStep = (typeof JOIN_STEPS)[number];
export type LeaveStep = (typeof LEAVE_STEPS)[number];
export type StepState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';
export interface StepStatus {
  state: StepState;
  detail?: string;
}
export type Progress = Extract<JoinEvent, { type: 'progress' }>;

export interface JoinRun {
  steps: Record<JoinStep, StepStatus>;
  checks: PreflightCheck[];
  progress: Progress | null;
  journal: string[];
  diagnoses: Diagnosis[];
  /** The node that turned Ready. */
  joined: string | null;
  /** The stream ended with this error (or the technician cancelled). */
  error: string | null;
  running: boolean;
}

/** Lines of the agent's journal kept on screen (all of them also go to the log index). */
export const JOURNAL_LINES = 400;

const pendingSteps = <S extends string>(steps: readonly S[]) => Object.fromEntries(steps.map((s) => [s, { state: 'pending' }])) as Record<S, StepStatus>;

export const startJoinRun = (): JoinRun => ({
  steps: pendingSteps(JOIN_STEPS),
  checks: [],
  progress: null,
  journal: [],
  diagnoses: [],
  joined: null,
  error: null,
  running: true,
});

export function applyJoinEvent(run: JoinRun, event: JoinEvent): JoinRun {
  switch (event.type) {
    case 'step':
      return { ...run, steps: { ...run.steps, [event.step]: { state: event.state, detail: event.detail } } };
    case 'preflight':
      return { ...run, checks: event.checks };
    case 'progress':
      return { ...run, progress: event };
    case 'journal': {
      const journal = run.journal.length >= JOURNAL_LINES ? run.journal.slice(run.journal.length - JOURNAL_LINES + 1) : run.journal.slice();
      journal.push(event.line);
      return { ...run, journal };
    }
    case 'diagnosis':
      return { ...run, diagnoses: [...run.diagnoses.filter((d) => d.code !== event.diagnosis.code), event.diagnosis] };
    case 'done':
      return { ...run, joined: event.nodeName, running: false };
  }
}

/** The stream ended: a step still running did not finish. */
export function endJoinRun(run: JoinRun, error: string | null): JoinRun {
  const steps = { ...run.steps };
  if (error) for (const step of JOIN_STEPS) if (steps[step].state === 'running') steps[step] = { ...steps[step], state: 'failed' };
  return { ...run, steps, running: false, error: run.joined ? null : error };
}

/**
 * The node a recovery acts on: the name asked for, else the gateway's hostname from the preflight, else the one the
 * node-password message names (`kube-system/<node>.node-password.k3s`).
 */
export function recoveryNodeName(run: JoinRun, nodeName: string, hostname: string | null | undefined): string {
  if (nodeName) return nodeName;
  if (hostname) return hostname;
  const texts = [run.error ?? '', ...run.diagnoses.flatMap((d) => [d.fix, d.evidence])];
  for (const text of texts) {
    const named = /kube-system\/([a-z0-9][-a-z0-9.]*?)\.node-password\.k3s/.exec(text);
    if (named) return named[1];
  }
  return '';
}

export interface LeaveRun {
  steps: Record<LeaveStep, StepStatus>;
  done: boolean;
  error: string | null;
  running: boolean;
}

export const startLeaveRun = (): LeaveRun => ({ steps: pendingSteps(LEAVE_STEPS), done: false, error: null, running: true });

// ---- The wizard's form --------------------------------------------------------------------------------------

export interface JoinForm {
  gatewayConnectionId: string;
  server: string;
  tokenKind: 'pasted' | 'server' | 'server-ttl';
  token: string;
  tokenConnectionId: string;
  ttl: string;
  mode: 'airgap' | 'online';
  /** `<version>/<arch>`; empty lets the gateway's architecture pick. */
  bundle: string;
  nodeName: string;
  withNodeId: boolean;
  nodeIp: string;
  /** One per line (or separated by commas). */
  labels: string;
  taints: string;
}

export const emptyJoinForm = (server = ''): JoinForm => ({
  gatewayConnectionId: '',
  server,
  tokenKind: 'pasted',
  token: '',
  tokenConnectionId: '',
  ttl: '1h',
  mode: 'airgap',
  bundle: '',
  nodeName: '',
  withNodeId: false,
  nodeIp: '',
  labels: '',
  taints: '',
});

const items = (text: string) => text.split(/[\n,]+/).map((s) => s.trim()).filter(Boolean);
const LABEL = /^[^=\s]+=[^\s]*$/;
const TAINT = /^[^=\s]+(=[^:\s]*)?:(NoSchedule|PreferNoSchedule|NoExecute)$/;
const NODE_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export interface FormProblem {
  /** The part of the form (the wizard's step) it is about. */
  part: 'gateway' | 'server' | 'node';
  message: string;
}

/** What the preflight needs: the gateway, the server URL and a valid node name (if one is given). */
export function preflightProblems(form: JoinForm): FormProblem[] {
  const problems: FormProblem[] = [];
  if (!form.gatewayConnectionId) problems.push({ part: 'gateway', message: 'Pick the gateway: connect to it over SSH in Devices first.' });
  if (!/^https:\/\/[^\s/]+(:\d+)?\/?$/.test(form.server.trim())) problems.push({ part: 'server', message: 'The server URL looks like https://<server>:6443, as the gateway reaches it.' });
  if (form.nodeName && !NODE_NAME.test(form.nodeName))
    problems.push({ part: 'node', message: 'A node name is lower-case letters, digits, "-" and ".", starting and ending with a letter or digit.' });
  return problems;
}

/** What is still missing or wrong in the form, in the technician's words; empty when the plan can run. */
export function joinProblems(form: JoinForm): FormProblem[] {
  const problems = preflightProblems(form);
  const add = (part: FormProblem['part'], message: string) => problems.push({ part, message });
  if (form.tokenKind === 'pasted' && !form.token) add('server', 'Paste the join token (K10…::server:…).');
  if (form.tokenKind !== 'pasted' && !form.tokenConnectionId) add('server', 'Pick the SSH connection to the K3s server to read the token from.');
  if (form.tokenKind === 'server-ttl' && !/^\d+[smh]$/.test(form.ttl)) add('server', 'The token lifetime is a number with s, m or h (e.g. 1h).');
  for (const label of items(form.labels)) if (!LABEL.test(label)) add('node', `Label "${label}" is not key=value.`);
  for (const taint of items(form.taints)) if (!TAINT.test(taint)) add('node', `Taint "${taint}" is not key[=value]:NoSchedule|PreferNoSchedule|NoExecute.`);
  return problems;
}

/** The plan the backend runs, once `joinProblems` is empty. */
export function joinPlanOf(form: JoinForm, contextId: string): JoinPlan {
  const token: JoinPlan['token'] =
    form.tokenKind === 'pasted'
      ? { kind: 'pasted', token: form.token.trim() }
      : form.tokenKind === 'server'
        ? { kind: 'server', connectionId: form.tokenConnectionId }
        : { kind: 'server-ttl', connectionId: form.tokenConnectionId, ttl: form.ttl };
  return joinPlanSchema.parse({
    gatewayConnectionId: form.gatewayConnectionId,
    server: form.server.trim().replace(/\/$/, ''),
    token,
    contextId,
    mode: form.mode,
    ...(form.mode === 'airgap' && form.bundle && { bundle: form.bundle }),
    ...(form.nodeName && { nodeName: form.nodeName }),
    withNodeId: form.withNodeId,
    ...(form.nodeIp.trim() && { nodeIp: form.nodeIp.trim() }),
    labels: items(form.labels),
    taints: items(form.taints),
  });
}
