import { FieldkitError } from '../../../shared/contract/errors.js';
import { KubeApiError } from './kube-http.js';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);
const UNTRUSTED_CERT_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
]);

const codeOf = (error: unknown): string | undefined => (error as { code?: unknown })?.code as string | undefined;

const UNREACHABLE_HINT =
  'Check the network to the server (cable, Wi-Fi, VPN); for a K3s server reached over SSH, check that the SSH connection is up. FieldKit keeps retrying and shows the last snapshot meanwhile.';

/** A connection that could not be made or broke: worth retrying, and the snapshot is what can be shown meanwhile. */
export function isUnreachable(error: unknown): boolean {
  const code = codeOf(error);
  if (code && NETWORK_CODES.has(code)) return true;
  return error instanceof Error && /socket hang up|connection closed|stopped answering/.test(error.message);
}

export function isGone(error: unknown): boolean {
  return error instanceof KubeApiError && error.statusCode === 410;
}

/**
 * What went wrong talking to the API, in words a technician can act on. `what` names the object for a 404
 * (`pod shop/web-1`).
 */
export function clusterError(error: unknown, server: string, what = 'The object'): FieldkitError {
  if (error instanceof FieldkitError) return error;
  const code = codeOf(error);
  if (error instanceof KubeApiError) {
    const detail = error.status?.message ? `: ${error.status.message}` : '';
    switch (error.statusCode) {
      case 401:
        return new FieldkitError(
          'failed',
          `The API server at ${server} rejected the client certificate/token (401 Unauthorized).`,
          'The kubeconfig is expired or belongs to another cluster: fetch a fresh one (on a K3s server: /etc/rancher/k3s/k3s.yaml, or add the server again over SSH).',
        );
      case 403:
        return new FieldkitError('failed', `The API server refused this (403 Forbidden)${detail}.`, "The kubeconfig's user lacks the permission; use an admin kubeconfig (on K3s: /etc/rancher/k3s/k3s.yaml).");
      case 404:
        return new FieldkitError('not_found', `${what} was not found${detail}.`, 'It may have been deleted or renamed: refresh the list.');
      case 409:
        return new FieldkitError('conflict', `The API server reported a conflict${detail}.`, 'Someone changed the object at the same time: try again.');
      case 400:
      case 422:
        return new FieldkitError('bad_request', `The API server refused the request${detail}.`);
      default:
        if (error.statusCode >= 500) {
          return new FieldkitError('unavailable', `The API server at ${server} answered ${error.statusCode}${detail}.`, 'The control plane may be starting or overloaded: try again in a moment.');
        }
        return new FieldkitError('failed', `The API server answered ${error.statusCode}${detail}.`);
    }
  }
  if (code && UNTRUSTED_CERT_CODES.has(code)) {
    return new FieldkitError(
      'failed',
      `The certificate of the API server at ${server} is not trusted (${code}).`,
      "The kubeconfig's certificate-authority data does not match this server: fetch a fresh kubeconfig for it.",
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/certificate required|bad certificate|unknown ca/i.test(message)) {
    return new FieldkitError('failed', `The API server at ${server} rejected the client certificate (${message}).`, 'Fetch a fresh kubeconfig for this cluster.');
  }
  if (isUnreachable(error)) return new FieldkitError('unavailable', `The Kubernetes API at ${server} cannot be reached (${code ?? message}).`, UNREACHABLE_HINT);
  return new FieldkitError('failed', `Talking to the API server at ${server} failed: ${message}`);
}
