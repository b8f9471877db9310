import { z } from 'zod';
import { method, stream } from './define.js';
import { LINE_ENDING_MODES, PARITIES, TRANSFER_PROTOCOLS } from './serial-options.js';

export * from './serial-options.js';

/** Bytes cross the wire as base64; nanosecond timestamps as decimal strings. */
const base64 = z.string().max(1_400_000).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const nanos = z.string().regex(/^\d{1,20}$/, 'a whole number of nanoseconds');
const sessionId = z.string().min(1).max(200);
const hexId = z.string().max(16);

export const portInfoSchema = z.object({
  path: z.string(),
  /** Friendly chip name, e.g. `FTDI FT232R`, `Silicon Labs CP210x`. */
  name: z.string(),
  manufacturer: z.string().optional(),
  serialNumber: z.string().optional(),
  vendorId: hexId.optional(),
  productId: hexId.optional(),
  /** Stable across replug: serial-number based when the adapter has one, else the path. */
  identity: z.string(),
});
export type PortInfo = z.infer<typeof portInfoSchema>;


export const serialSettingsSchema = z.object({
  /** Standard or custom; non-standard rates use the OS's custom-rate call. */
  baudRate: z.number().int().min(1).max(20_000_000),
  dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]),
  parity: z.enum(PARITIES),
  stopBits: z.union([z.literal(1), z.literal(1.5), z.literal(2)]),
  rtscts: z.boolean(),
  xonxoff: z.boolean(),
  lineEnding: z.enum(LINE_ENDING_MODES),
});
export type SerialLineSettings = z.infer<typeof serialSettingsSchema>;

export const sessionStatusSchema = z.object({
  id: sessionId,
  path: z.string(),
  name: z.string(),
  /** The adapter's identity: the `device` label of its records in the log index. */
  device: z.string(),
  state: z.enum(['open', 'reconnecting', 'closed']),
  settings: serialSettingsSchema,
  signals: z.object({ dtr: z.boolean(), rts: z.boolean() }),
  bytesIn: z.number(),
  bytesOut: z.number(),
  /** Receive rate, bytes/s. */
  rateIn: z.number(),
  reconnects: z.number(),
  capturePath: z.string(),
  openedAtNs: nanos,
  lastError: z.string().optional(),
  /** A file transfer owns the line; typed input is refused meanwhile. */
  transferring: z.boolean(),
});
export type SerialSessionStatus = z.infer<typeof sessionStatusSchema>;

export const transferProgressSchema = z.object({
  protocol: z.enum(TRANSFER_PROTOCOLS),
  fileName: z.string(),
  fileIndex: z.number(),
  fileCount: z.number(),
  totalSent: z.number(),
  totalSize: z.number(),
  retries: z.number(),
  elapsedMs: z.number(),
  bytesPerSec: z.number(),
  etaSec: z.number().nullable(),
});
export type TransferProgressEvent = z.infer<typeof transferProgressSchema>;

const session = z.object({ sessionId }).strict();

export const serialContract = {
  'serial.ports': method(
    'Serial ports on this machine with friendly names and USB ids.',
    z.object({}).strict(),
    z.object({ ports: z.array(portInfoSchema) }),
  ),
  'serial.watchPorts': stream(
    'The port list now, then again whenever an adapter is plugged in or removed.',
    z.object({}).strict(),
    z.object({ ports: z.array(portInfoSchema) }),
  ),
  'serial.open': method(
    'Opens a console session on a port (listed or any path such as a pty); capture into the log index starts at once.',
    z.object({ path: z.string().min(1).max(4096), settings: serialSettingsSchema.partial().default({}) }).strict(),
    sessionStatusSchema,
  ),
  'serial.sessions': method('Sessions open in the backend (they keep capturing with no console attached).', z.object({}).strict(), z.object({ sessions: z.array(sessionStatusSchema) })),
  'serial.attach': stream(
    "A session's received bytes (optionally the recent scrollback first) and its status; unsubscribing detaches, the session stays open.",
    z.object({ sessionId, replay: z.boolean().default(true) }).strict(),
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('data'), tsNs: nanos, data: base64, replay: z.boolean() }),
      z.object({ type: z.literal('status'), status: sessionStatusSchema }),
    ]),
  ),
  'serial.write': method('Sends bytes as they are.', z.object({ sessionId, data: base64 }).strict(), z.object({ bytes: z.number() })),
  'serial.configure': method(
    'Changes line settings of an open session (baud in place; others reopen the port, capture continues).',
    z.object({ sessionId, settings: serialSettingsSchema.partial() }).strict(),
    sessionStatusSchema,
  ),
  'serial.setSignals': method('Sets DTR and/or RTS.', z.object({ sessionId, dtr: z.boolean().optional(), rts: z.boolean().optional() }).strict(), sessionStatusSchema),
  'serial.sendBreak': method('Holds the line in BREAK.', z.object({ sessionId, ms: z.number().int().min(10).max(5000).default(250) }).strict(), z.object({})),
  'serial.detectBaud': method(
    'Tries baud rates and keeps the one whose input looks most like text (the current rate when none does).',
    z.object({ sessionId, probe: z.string().max(16).optional(), sampleMs: z.number().int().min(50).max(5000).optional() }).strict(),
    z.object({ baudRate: z.number().nullable(), scores: z.array(z.object({ baudRate: z.number(), ratio: z.number(), bytes: z.number() })), status: sessionStatusSchema }),
  ),
  'serial.close': method('Closes the session; everything captured is durable when this returns.', session, z.object({})),
  'serial.sendFile': stream(
    'Sends files from this machine with XMODEM, XMODEM-1K or YMODEM; progress, then the outcome. Unsubscribe to cancel.',
    z.object({ sessionId, protocol: z.enum(TRANSFER_PROTOCOLS), paths: z.array(z.string().min(1).max(4096)).min(1).max(100) }).strict(),
    z.discriminatedUnion('type', [
      transferProgressSchema.extend({ type: z.literal('progress') }),
      transferProgressSchema.extend({ type: z.literal('done'), ok: z.boolean(), reason: z.string().optional(), detail: z.string().optional() }),
    ]),
  ),
  'serial.export': method(
    "Writes a session's capture to a file on this machine: raw received bytes, or text with a timestamp per line.",
    z.object({ sessionId, format: z.enum(['raw', 'text']), path: z.string().min(1).max(4096) }).strict(),
    z.object({ path: z.string(), bytes: z.number() }),
  ),
} as const;
