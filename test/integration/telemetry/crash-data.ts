import type { SeriesKey } from '../../../shared/telemetry/series.js';

export const crashKey: SeriesKey = { device: 'crash', sensor: 'loop', field: 'v', unit: '' };
export const CRASH_T0 = Date.UTC(2026, 0, 1);
export const crashValue = (i: number): number => (i % 97 === 0 ? NaN : Math.round(Math.sin(i / 50) * 1e4) / 100);
