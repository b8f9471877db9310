import { protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../shared/contract/csp.js';
import { readStatic } from '../server/static-files.js';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://fieldkit`;

/** Serves the built renderer from `app://fieldkit/`, with the same CSP as browser mode. */
export function registerAppProtocol(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'fieldkit' ? await readStatic(root, url.pathname) : undefined;
    if (!file) return new Response('Not found', { status: 404 });
    return new Response(new Uint8Array(file.body), {
      headers: { 'Content-Type': file.type, 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' },
    });
  });
}
