/** Errors as the API server sends them: a `Status` object with reason and code. */

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'InternalError';

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
}

export class KubeError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    return statusObject('Failure', this.message, this.reason, this.code, this.details);
  }
}

export function statusObject(status: 'Success' | 'Failure', message: string, reason: string | undefined, code: number, details?: StatusDetails): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status,
    ...(message ? { message } : {}),
    ...(reason ? { reason } : {}),
    ...(details ? { details } : {}),
    code,
  };
}

export function notFound(resource: string, name: string, group = ''): KubeError {
  const qualified = group ? `${resource}.${group}` : resource;
  return new KubeError(404, 'NotFound', `${qualified} "${name}" not found`, { name, group: group || undefined, kind: resource });
}

export function alreadyExists(resource: string, name: string, group = ''): KubeError {
  const qualified = group ? `${resource}.${group}` : resource;
  return new KubeError(409, 'AlreadyExists', `${qualified} "${name}" already exists`, { name, group: group || undefined, kind: resource });
}

export function badRequest(message: string): KubeError {
  return new KubeError(400, 'BadRequest', message);
}

export function expired(requested: string, oldest: number): KubeError {
  return new KubeError(410, 'Expired', `too old resource version: ${requested} (${oldest})`);
}
