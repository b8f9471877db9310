/** One log line as the index stores it. Pure types: shared by every producer (serial, ssh, cluster, import) and the index. */
export const SOURCE_KINDS = ['serial', 'journald', 'syslog', 'k3s', 'pod', 'mqtt', 'file'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const LEVELS = ['trace', 'debug', 'info', 'notice', 'warn', 'error', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

export interface LogLabels {
  site?: string;
  /** The gateway or adapter the bytes came from, e.g. `gw-17` or `usb-FTDI-A50285BI`. */
  device: string;
  source: SourceKind;
  unit?: string;
  pod?: string;
  container?: string;
}

export interface LogRecord {
  /** Nanoseconds since the Unix epoch. */
  tsNs: bigint;
  labels: LogLabels;
  level: Level;
  message: string;
  fields?: Record<string, string>;
}

/** Where producers put records. `append` resolves only once the records are durable. */
export interface LogSink {
  append(records: readonly LogRecord[]): Promise<void>;
}
