import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeStatus } from '../../../shared/cluster/kube-objects.js';

/** An answer other than 2xx, with the API's own Status when it sent one. */
export class KubeApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly status: KubeStatus | undefined,
  ) {
    super(status?.message || `HTTP ${statusCode}`);
    this.name = 'KubeApiError';
  }
}

export interface RequestOptions {
  body?: string;
  contentType?: string;
  signal?: AbortSignal;
  /** Fail when the connection stays silent this long (0: never, for followed logs). */
  idleTimeoutMs?: number;
}

export interface LineStreamOptions extends RequestOptions {
  /** The server answered 200 and the stream is open. */
  onOpen?: () => void;
}

const DEFAULT_IDLE_MS = 30_000;

export function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (text += chunk));
    res.once('end', () => resolve(text));
    res.once('error', reject);
    res.once('aborted', () => reject(new Error('connection closed by the server')));
  });
}

function statusOf(text: string): KubeStatus | undefined {
  try {
    const parsed = JSON.parse(text) as KubeStatus;
    return parsed && typeof parsed === 'object' && parsed.kind === 'Status' ? parsed : undefined;
  } catch {
    return text.trim() ? { message: text.trim().slice(0, 500) } : undefined;
  }
}

/**
 * Requests to one cluster's API with the credentials and TLS settings of a client-node KubeConfig (client
 * certificates, bearer tokens, exec plugins, CA data, tls-server-name), JSON in and out, and line streams for
 * watches and logs.
 */
export class KubeHttp {
  constructor(readonly kc: KubeConfig) {}

  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? '';
  }

  async open(method: string, path: string, opts: RequestOptions = {}): Promise<IncomingMessage> {
    const server = this.server;
    if (!server) throw new Error('the kubeconfig context names no cluster server');
    const url = new URL(server.replace(/\/+$/, '') + path);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (opts.contentType) headers['Content-Type'] = opts.contentType;
    const options: https.RequestOptions = { method, headers };
    await this.kc.applyToHTTPSOptions(options);
    const transport = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const req = transport.request(url, { ...options, signal: opts.signal }, resolve);
      req.once('error', reject);
      const idleMs = opts.idleTimeoutMs ?? DEFAULT_IDLE_MS;
      if (idleMs > 0) req.setTimeout(idleMs, () => req.destroy(Object.assign(new Error('the API server stopped answering'), { code: 'ETIMEDOUT' })));
      req.end(opts.body);
    });
  }

  /** A request answered with JSON; any other status than 2xx throws a KubeApiError. */
  async json<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.open(method, path, opts);
    const text = await readBody(res);
    const code = res.statusCode ?? 0;
    if (code < 200 || code > 299) throw new KubeApiError(code, statusOf(text));
    return JSON.parse(text) as T;
  }

  /**
   * A streamed GET (a watch, a followed log), one callback per line. Resolves when the server ends the response;
   * rejects when the connection breaks, the signal aborts, or `onLine` throws (which also closes the stream).
   */
  async lines(path: string, onLine: (line: string) => void, opts: LineStreamOptions = {}): Promise<void> {
    const res = await this.open('GET', path, opts);
    const code = res.statusCode ?? 0;
    if (code !== 200) throw new KubeApiError(code, statusOf(await readBody(res)));
    opts.onOpen?.();
    res.setEncoding('utf8');
    return new Promise((resolve, reject) => {
      let partial = '';
      let settled = false;
      const finish = (error?: unknown) => {
        if (settled) return;
        settled = true;
        if (error === undefined) resolve();
        else {
          res.destroy();
          reject(error);
        }
      };
      res.on('data', (chunk: string) => {
        if (settled) return;
        const parts = (partial + chunk).split('\n');
        partial = parts.pop() ?? '';
        try {
          for (const line of parts) if (!settled) onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
        } catch (error) {
          finish(error);
        }
      });
      res.once('end', () => {
        try {
          if (partial && !settled) onLine(partial);
          finish();
        } catch (error) {
          finish(error);
        }
      });
      res.once('error', finish);
      res.once('aborted', () => finish(Object.assign(new Error('connection closed by the server'), { code: 'ECONNRESET' })));
      res.once('close', () => finish(res.complete ? undefined : Object.assign(new Error('connection closed'), { code: 'ECONNRESET' })));
    });
  }
}
