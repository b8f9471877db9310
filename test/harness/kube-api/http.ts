/** Small HTTP helpers shared by the handlers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, KubeError, statusObject } from './status.js';

const MAX_BODY = 8 << 20;

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof KubeError) sendJson(res, err.code, err.toStatus());
  else sendJson(res, 500, statusObject('Failure', err instanceof Error ? err.message : String(err), 'InternalError', 500));
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new KubeError(413, 'BadRequest', 'the request body is too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req);
  if (!body.length) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw badRequest(`the body of the request was not valid JSON: ${(err as Error).message}`);
  }
}

export function isTrue(value: string | null): boolean {
  return value === 'true' || value === '1';
}

export function intParam(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid value for ${name}: ${raw}`);
  return n;
}
