import { z } from 'zod';
import { method, stream } from './define.js';

/** Milliseconds since the Unix epoch (with a fraction for series kept at nanosecond resolution). */
const ms = z.number().min(-8.64e15).max(8.64e15);
/** Sample values: plain JSON numbers; NaN and ±Infinity (which JSON cannot carry) travel as null. */
const value = z.number().nullable();
const seriesId = z.string().min(1).max(1000);
const seriesIds = z.array(seriesId).min(1).max(200);
const name = z.string().min(1).max(200);
const path = z.string().min(1).max(4096);

export const telemetrySeriesSchema = z.object({
  /** `device/sensor/field[unit]`, the store's canonical id. */
  id: seriesId,
  device: z.string(),
  sensor: z.string(),
  field: z.string(),
  unit: z.string(),
  count: z.number(),
  firstTs: ms.nullable(),
  /** Last-seen sample time. */
  lastTs: ms.nullable(),
  lastValue: value,
});
export type TelemetrySeries = z.infer<typeof telemetrySeriesSchema>;

/** Samples of one series, columnar: `ts[i]` goes with `values[i]`. */
export const seriesSamplesSchema = z.object({ id: seriesId, ts: z.array(ms), values: z.array(value) });
export type SeriesSamples = z.infer<typeof seriesSamplesSchema>;

export const downsampledSchema = z.object({
  id: seriesId,
  from: ms,
  to: ms,
  buckets: z.number(),
  /** Bucket i covers [from + i*bucketWidth, from + (i+1)*bucketWidth). */
  bucketWidth: z.number(),
  count: z.array(z.number()),
  /** null where a bucket is empty. */
  min: z.array(value),
  max: z.array(value),
  avg: z.array(value),
  last: z.array(value),
  /** M4: per bucket the first, min, max and last samples in time order; drawing these is pixel-exact. */
  m4: z.object({ ts: z.array(ms), values: z.array(value) }),
});
export type Downsampled = z.infer<typeof downsampledSchema>;

const jsonField = z.object({ path: z.string().min(1).max(500), field: z.string().min(1).max(200).optional(), unit: z.string().max(50).optional() }).strict();

export const mqttSourceInputSchema = z
  .object({
    /** `mqtt://host:port` or `mqtts://host:port`. */
    url: z.string().regex(/^mqtts?:\/\/[^\s/]+/, 'an mqtt:// or mqtts:// address'),
    /** Device name the series are filed under. */
    device: name,
    username: z.string().max(500).optional(),
    password: z.string().max(500).optional(),
    clientId: z.string().max(200).optional(),
    tls: z.object({ ca: z.string().max(100_000).optional(), rejectUnauthorized: z.boolean().optional() }).strict().optional(),
    topics: z
      .array(
        z
          .object({
            /** Topic filter; `+` and `#` allowed. */
            filter: z.string().min(1).max(500),
            /** Series sensor; default: the topic the message arrived on. */
            sensor: z.string().min(1).max(200).optional(),
            /** JSON path of the sample time; default ts/time/timestamp, else the time it arrived. */
            timePath: z.string().min(1).max(500).optional(),
            /** JSON paths to series fields; default: every numeric leaf. */
            fields: z.array(jsonField).max(200).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(50),
  })
  .strict();
export type MqttSourceInput = z.infer<typeof mqttSourceInputSchema>;

export const REGISTER_TYPES = ['int16', 'uint16', 'int32', 'uint32', 'float32'] as const;
export const WORD_ORDERS = ['high-first', 'low-first'] as const;

export const modbusRegisterSchema = z
  .object({
    /** Series field name. */
    field: z.string().min(1, 'a field name').max(200),
    address: z.number().int().min(0).max(65535),
    /** 3 = holding registers, 4 = input registers. */
    function: z.union([z.literal(3), z.literal(4)]),
    type: z.enum(REGISTER_TYPES),
    /** For 32-bit types: `high-first` (ABCD) or `low-first` (CDAB); default high-first. */
    wordOrder: z.enum(WORD_ORDERS).optional(),
    /** value = raw * scale + offset */
    scale: z.number().finite().optional(),
    offset: z.number().finite().optional(),
    unit: z.string().max(50).optional(),
    pollIntervalMs: z.number().int().min(10).max(86_400_000),
  })
  .strict();
export type ModbusRegister = z.infer<typeof modbusRegisterSchema>;

export const modbusSourceInputSchema = z
  .object({
    /** Serial port of the RS-485 adapter, e.g. /dev/ttyUSB0. */
    path,
    baudRate: z.number().int().min(50).max(4_000_000),
    parity: z.enum(['none', 'even', 'odd']).default('none'),
    dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
    stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
    /** Reply timeout per request. */
    timeoutMs: z.number().int().min(10).max(60_000).default(500),
    /** Series sensor name; default `modbus`. */
    sensor: name.optional(),
    devices: z
      .array(z.object({ /** Series device name. */ name, unitId: z.number().int().min(1).max(247), registers: z.array(modbusRegisterSchema).min(1).max(500) }).strict())
      .min(1)
      .max(32),
  })
  .strict();
export type ModbusSourceInput = z.input<typeof modbusSourceInputSchema>;

export const serialSourceInputSchema = z
  .object({
    /** An open serial session (`serial.open`). */
    sessionId: z.string().min(1).max(200),
    /** Series device name; default: the device behind the port. */
    device: name.optional(),
    format: z.literal('nmea'),
  })
  .strict();
export type SerialSourceInput = z.infer<typeof serialSourceInputSchema>;

export const modbusDeviceCountersSchema = z.object({
  name: z.string(),
  unitId: z.number(),
  /** Read requests sent. */
  polls: z.number(),
  ok: z.number(),
  timeouts: z.number(),
  crcErrors: z.number(),
  /** Modbus exception replies (illegal address, device busy, ...). */
  exceptions: z.number(),
  otherErrors: z.number(),
  lastError: z.string().nullable(),
});
export type ModbusDeviceCounters = z.infer<typeof modbusDeviceCountersSchema>;

export const telemetrySourceSchema = z.object({
  id: z.string(),
  kind: z.enum(['mqtt', 'modbus', 'serial']),
  /** What the technician reads in the list, e.g. `gw-7 ← mqtt://10.0.0.2:1883 plant/#`. */
  label: z.string(),
  device: z.string(),
  startedAt: ms,
  /** MQTT: messages received; Modbus: good replies; serial: valid sentences. */
  messages: z.number(),
  samples: z.number(),
  /** MQTT: undecodable payloads; Modbus: CRC errors and exception replies; serial: bad sentences. */
  badPayloads: z.number(),
  /** The last connection problem, if the source is retrying. */
  lastError: z.string().nullable(),
  /** Modbus: counters per device on the line. */
  devices: z.array(modbusDeviceCountersSchema).optional(),
});
export type TelemetrySource = z.infer<typeof telemetrySourceSchema>;

export const IMPORT_FORMATS = ['nmea', 'csv', 'jsonl', 'kv'] as const;

export const telemetryImportSummarySchema = z.object({
  lines: z.number(),
  badLines: z.number(),
  /** Samples stored. */
  samples: z.number(),
  /** Samples refused because they were older than the series' last sample. */
  outOfOrder: z.number(),
  series: z.array(z.string()),
  /** The first few bad lines, with why. */
  notes: z.array(z.string()),
});
export type TelemetryImportSummary = z.infer<typeof telemetryImportSummarySchema>;

export const telemetrySessionSchema = z.object({ id: z.string(), name, from: ms, to: ms, series: z.array(seriesId), createdAt: ms });
export type TelemetrySession = z.infer<typeof telemetrySessionSchema>;

const range = { from: ms, to: ms };
const empty = z.object({}).strict();

export const telemetryContract = {
  'telemetry.series': method('Every series (device > sensor > field) with unit, sample count and last-seen time.', empty, z.object({ series: z.array(telemetrySeriesSchema) })),
  'telemetry.latest': method(
    'The latest sample of each series asked for (every series when none are named).',
    z.object({ ids: z.array(seriesId).max(10_000).optional() }).strict(),
    z.object({ values: z.array(z.object({ id: seriesId, ts: ms, value })) }),
  ),
  'telemetry.range': method(
    'Raw samples with from <= ts < to, oldest first, at most `limit`.',
    z.object({ id: seriesId, ...range, limit: z.number().int().min(1).max(1_000_000).default(100_000) }).strict(),
    seriesSamplesSchema.extend({ truncated: z.boolean() }),
  ),
  'telemetry.query': method(
    '[from, to) split into `buckets` equal buckets: min/max/avg/last per bucket and the M4 selection, answered from the rollups.',
    z.object({ id: seriesId, ...range, buckets: z.number().int().min(1).max(10_000) }).strict(),
    downsampledSchema,
  ),
  'telemetry.live': stream(
    'New samples of the chosen series as they are stored, batched (about 20 batches a second at most).',
    z.object({ ids: seriesIds }).strict(),
    z.object({ samples: z.array(seriesSamplesSchema) }),
  ),
  'telemetry.replay': stream(
    'Plays back the stored samples of [from, to) at `speed` times real time: sample batches, then ends.',
    z.object({ ids: seriesIds, ...range, speed: z.number().min(0.1).max(1000).default(1) }).strict(),
    z.object({ samples: z.array(seriesSamplesSchema), /** Replay clock: the recorded time played up to. */ at: ms }),
  ),
  'telemetry.sources': method('The live sources feeding the store, with their counters.', empty, z.object({ sources: z.array(telemetrySourceSchema) })),
  'telemetry.mqtt.start': method(
    'Connects to an MQTT broker, subscribes to the topic filters and stores what arrives; fails if the broker refuses.',
    mqttSourceInputSchema,
    telemetrySourceSchema,
  ),
  'telemetry.modbus.start': method(
    'Opens a serial port and polls Modbus RTU devices by their register maps, storing the scaled values; fails if the port cannot be opened.',
    modbusSourceInputSchema,
    telemetrySourceSchema,
  ),
  'telemetry.serial.start': method(
    'Decodes the lines an open serial session receives (NMEA 0183) into series, stamped on arrival; ends when the session closes.',
    serialSourceInputSchema,
    telemetrySourceSchema,
  ),
  'telemetry.source.stop': method('Stops a live source.', z.object({ id: z.string().min(1).max(100) }).strict(), z.object({ stopped: z.boolean() })),
  'telemetry.import': method(
    'Imports a recorded file on this machine (NMEA 0183, CSV with a header row, JSON lines, key=value lines).',
    z.object({ path, format: z.enum(IMPORT_FORMATS), device: name, sensor: name.optional() }).strict(),
    telemetryImportSummarySchema,
  ),
  'telemetry.export': method(
    'Writes the raw samples of [from, to) as CSV (one row per timestamp, one column per series) to a file on this machine.',
    z.object({ ids: seriesIds, ...range, path, overwrite: z.boolean().default(false) }).strict(),
    z.object({ path: z.string(), rows: z.number(), bytes: z.number() }),
  ),
  'telemetry.sessions': method('Recorded sessions (named time ranges of chosen series), newest first.', empty, z.object({ sessions: z.array(telemetrySessionSchema) })),
  'telemetry.session.save': method(
    'Records a session: a name for a time range of chosen series, kept for replay.',
    z.object({ name, ...range, series: seriesIds }).strict(),
    telemetrySessionSchema,
  ),
  'telemetry.session.delete': method('Forgets a recorded session (the samples stay in the store).', z.object({ id: z.string().min(1).max(100) }).strict(), z.object({ deleted: z.boolean() })),
} as const;
