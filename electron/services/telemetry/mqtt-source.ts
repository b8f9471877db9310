/** MQTT subscriber: topic filters and JSON payload paths mapped to series; bad payloads go to the log as text. */
import mqtt, { type MqttClient } from 'mqtt';
import { jsonSamples, type JsonFieldMapping } from '../../../shared/telemetry/text-formats.js';
import type { LogSink } from '../../../shared/logs/record.js';
import type { Sample } from '../../../shared/telemetry/series.js';
import type { SampleSink } from './sink.js';

export interface MqttTopicMapping {
  /** Topic filter, `+` and `#` allowed. */
  filter: string;
  /** Series sensor; default: the topic the message arrived on. */
  sensor?: string;
  timePath?: string;
  /** JSON payload paths; default: every numeric leaf. A bare number payload becomes field `value`. */
  fields?: JsonFieldMapping[];
}

export interface MqttSourceConfig {
  /** `mqtt://host:port` or `mqtts://host:port`. */
  url: string;
  device: string;
  username?: string;
  password?: string;
  clientId?: string;
  tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean; servername?: string };
  topics: MqttTopicMapping[];
  connectTimeoutMs?: number;
}

export interface MqttSourceStats {
  messages: number;
  samples: number;
  badPayloads: number;
}

/** MQTT topic filter matching (`+` one level, `#` the rest). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}

export class MqttSource {
  readonly stats: MqttSourceStats = { messages: 0, samples: 0, badPayloads: 0 };
  private client?: MqttClient;

  constructor(
    private readonly config: MqttSourceConfig,
    private readonly sink: SampleSink,
    private readonly log?: LogSink,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  /** Connects and subscribes; rejects on a refused connection (bad credentials, TLS failure) or timeout. */
  async start(): Promise<void> {
    const { config } = this;
    const client = mqtt.connect(config.url, {
      username: config.username,
      password: config.password,
      clientId: config.clientId,
      ca: config.tls?.ca,
      cert: config.tls?.cert,
      key: config.tls?.key,
      rejectUnauthorized: config.tls?.rejectUnauthorized ?? true,
      servername: config.tls?.servername,
      connectTimeout: config.connectTimeoutMs ?? 10_000,
      reconnectPeriod: 1000,
    });
    this.client = client;
    try {
      await new Promise<void>((resolve, reject) => {
        client.once('connect', () => resolve());
        client.once('error', reject);
      });
      await client.subscribeAsync(config.topics.map((t) => t.filter));
    } catch (error) {
      await client.endAsync(true);
      throw error;
    }
    client.on('error', (error) => this.onError(error));
    client.on('message', (topic, payload) => this.handle(topic, payload));
  }

  private handle(topic: string, payload: Buffer): void {
    this.stats.messages++;
    const receivedAt = Date.now();
    const text = payload.toString('utf8');
    const samples: Sample[] = [];
    const errors: string[] = [];
    for (const mapping of this.config.topics) {
      if (!topicMatches(mapping.filter, topic)) continue;
      const outcome = decodePayload(text, topic, mapping, this.config.device, receivedAt);
      if (outcome.error) errors.push(outcome.error);
      samples.push(...outcome.samples);
    }
    if (samples.length === 0 && errors.length > 0) {
      this.stats.badPayloads++;
      this.log
        ?.append([{ tsNs: BigInt(receivedAt) * 1_000_000n, labels: { device: this.config.device, source: 'mqtt', unit: topic }, level: 'warn', message: text, fields: { error: errors[0]! } }])
        .catch((error: Error) => this.onError(error));
    }
    if (samples.length === 0) return;
    this.stats.samples += samples.length;
    this.sink.append(samples).catch((error: Error) => this.onError(error));
  }

  async stop(): Promise<void> {
    await this.client?.endAsync();
  }
}

function decodePayload(text: string, topic: string, mapping: MqttTopicMapping, device: string, receivedAt: number): { samples: Sample[]; error?: string } {
  const sensor = mapping.sensor ?? topic;
  const trimmed = text.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return { samples: [{ key: { device, sensor, field: 'value', unit: '' }, ts: receivedAt, value: Number(trimmed) }] };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { samples: [], error: 'payload is neither a number nor JSON' };
  }
  return jsonSamples(doc, { device, sensor, timePath: mapping.timePath, fields: mapping.fields }, receivedAt);
}
