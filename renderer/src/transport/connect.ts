import { bridgePort, type FieldkitBridge } from '../../../shared/contract/bridge.js';
import { createClient, type FieldkitClient } from '../../../shared/contract/client.js';
import { webSocketPort } from '../../../shared/contract/ws-port.js';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    fieldkit?: FieldkitBridge;
  }
}

const TOKEN_KEY = 'fieldkit.token';

/** The token arrives once in the URL; keep it for reloads of this tab and take it out of the address bar. */
function browserToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(null, '', url);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export type Connection = { client: FieldkitClient } | { error: string };

export function connect(): Connection {
  if (window.fieldkit) return { client: createClient(bridgePort(window.fieldkit)) };
  const token = browserToken();
  if (!token) return { error: 'This page needs the access token. Open the full address that "fieldkit serve" printed.' };
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${window.location.host}/ws?token=${encodeURIComponent(token)}`);
  return { client: createClient(webSocketPort(socket)) };
}
