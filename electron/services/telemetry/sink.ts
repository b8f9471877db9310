import type { Sample } from '../../../shared/telemetry/series.js';

/** Where sources put decoded samples; `TelemetryStore` is one. Resolves once they are durable. */
export interface SampleSink {
  append(samples: readonly Sample[]): Promise<unknown>;
}
