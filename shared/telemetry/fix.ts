/**
 * Position fix from a stream of NMEA messages, the way gpsd forms its TPV reports: one running state that every
 * sentence updates (position from GGA/GLL/RMC, fix mode from GGA quality, RMC/GLL status and GSA, date from RMC/ZDA,
 * time of day from any timed sentence). `time` is only known once a date has been seen.
 */
import type { NmeaMessage } from './nmea.js';

export interface Fix {
  /** 0 unknown, 1 no fix, 2 2D, 3 3D (gpsd's numbering). */
  mode: number;
  /** ISO 8601 UTC, e.g. 2026-08-05T05:52:34.200Z. */
  time?: string;
  lat?: number;
  lon?: number;
  altitude?: number;
}

export class FixTracker {
  private mode = 0;
  private date?: string;
  private timeOfDay?: string;
  private lat?: number;
  private lon?: number;
  private altitude?: number;

  /** Applies one message. */
  update(m: NmeaMessage): void {
    if (typeof m.date === 'string') this.date = m.date;
    if (typeof m.time === 'string') this.timeOfDay = m.time;
    switch (m.type) {
      case 'GGA':
        if (m.quality === 0) this.noFix();
        else if (typeof m.lat === 'number' && typeof m.lon === 'number') {
          this.lat = m.lat;
          this.lon = m.lon;
          this.altitude = typeof m.altitude === 'number' ? m.altitude : undefined;
          this.mode = this.altitude === undefined ? 2 : 3;
        }
        return;
      case 'RMC':
      case 'GLL':
        if (m.status === 'V') this.noFix();
        else if (m.status === 'A' && typeof m.lat === 'number' && typeof m.lon === 'number') {
          this.lat = m.lat;
          this.lon = m.lon;
          if (this.mode < 2) this.mode = 2;
        }
        return;
      case 'GSA':
        if (typeof m.mode === 'number' && m.mode >= 1 && m.mode <= 3) this.mode = m.mode;
    }
  }

  current(): Fix {
    const fix: Fix = { mode: this.mode };
    if (this.date !== undefined && this.timeOfDay !== undefined) fix.time = `${this.date}T${this.timeOfDay}Z`;
    if (this.mode >= 2 && this.lat !== undefined && this.lon !== undefined) {
      fix.lat = this.lat;
      fix.lon = this.lon;
      if (this.mode === 3 && this.altitude !== undefined) fix.altitude = this.altitude;
    }
    return fix;
  }

  /** Milliseconds since the epoch of the current time, when the date is known. */
  currentTimeMs(): number | undefined {
    const t = this.current().time;
    return t === undefined ? undefined : Date.parse(t);
  }

  private noFix(): void {
    this.mode = 1;
    this.lat = undefined;
    this.lon = undefined;
    this.altitude = undefined;
  }
}
