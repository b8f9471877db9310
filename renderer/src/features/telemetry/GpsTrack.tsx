import { useEffect, useRef } from 'react';
import type { TelemetrySeries } from '../../../../shared/contract/telemetry.js';
import type { SeriesRing } from './plot-data.js';
import { activeBuffers } from './telemetry-store.js';

const REDRAW_MS = 500;
const STEPS = [1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 45];

export interface GpsPair {
  label: string;
  lat: TelemetrySeries;
  lon: TelemetrySeries;
}

/** lat/lon series of one device and sensor (e.g. an NMEA GGA or RMC stream). */
export function gpsPairs(series: readonly TelemetrySeries[]): GpsPair[] {
  const pairs: GpsPair[] = [];
  for (const lat of series) {
    if (lat.field !== 'lat') continue;
    const lon = series.find((s) => s.field === 'lon' && s.device === lat.device && s.sensor === lat.sensor);
    if (lon) pairs.push({ label: `${lat.device} ${lat.sensor}`, lat, lon });
  }
  return pairs;
}

/** Positions where both rings have a sample at the same time (one sentence gives both). */
function track(lat: SeriesRing, lon: SeriesRing): [number, number][] {
  const out: [number, number][] = [];
  let j = 0;
  for (let i = 0; i < lat.length; i++) {
    const t = lat.tsAt(i);
    while (j < lon.length && lon.tsAt(j) < t) j++;
    if (j < lon.length && lon.tsAt(j) === t && Number.isFinite(lat.valueAt(i)) && Number.isFinite(lon.valueAt(j))) out.push([lat.valueAt(i), lon.valueAt(j)]);
  }
  return out;
}

function draw(canvas: HTMLCanvasElement, points: [number, number][]): void {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(ratio, ratio);
  const css = getComputedStyle(canvas);
  const muted = css.getPropertyValue('--text-muted').trim() || '#888';
  const grid = css.getPropertyValue('--border').trim() || '#ccc';
  const accent = css.getPropertyValue('--accent').trim() || '#0b6bcb';
  ctx.clearRect(0, 0, width, height);
  ctx.font = '10px sans-serif';
  if (points.length === 0) {
    ctx.fillStyle = muted;
    ctx.fillText('No position fixes in view yet', 12, 20);
    return;
  }
  let [minLat, maxLat, minLon, maxLon] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const [la, lo] of points) {
    minLat = Math.min(minLat, la);
    maxLat = Math.max(maxLat, la);
    minLon = Math.min(minLon, lo);
    maxLon = Math.max(maxLon, lo);
  }
  // Equirectangular: a degree of longitude is cos(lat) of a degree of latitude.
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxLon - minLon) * kx, 1e-5);
  const spanY = Math.max(maxLat - minLat, 1e-5);
  const pad = 24;
  const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
  const cx = (minLon + maxLon) / 2;
  const cy = (minLat + maxLat) / 2;
  const x = (lon: number) => width / 2 + (lon - cx) * kx * scale;
  const y = (lat: number) => height / 2 - (lat - cy) * scale;

  const step = STEPS.find((s) => s * scale >= 60) ?? 90;
  ctx.strokeStyle = grid;
  ctx.fillStyle = muted;
  ctx.lineWidth = 1;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  for (let lat = Math.floor((cy - height / 2 / scale) / step) * step; y(lat) >= 0; lat += step) {
    ctx.beginPath();
    ctx.moveTo(0, y(lat));
    ctx.lineTo(width, y(lat));
    ctx.stroke();
    ctx.fillText(`${lat.toFixed(decimals)}°`, 4, y(lat) - 3);
  }
  const lonStep = step / Math.max(kx, 0.01);
  for (let lon = Math.floor((cx - width / 2 / scale / kx) / lonStep) * lonStep; x(lon) <= width; lon += lonStep) {
    ctx.beginPath();
    ctx.moveTo(x(lon), 0);
    ctx.lineTo(x(lon), height);
    ctx.stroke();
    ctx.fillText(`${lon.toFixed(decimals)}°`, x(lon) + 3, height - 4);
  }
  ctx.strokeStyle = accent;
  ctx.lineWidth = 2;
  ctx.beginPath();
  points.forEach(([la, lo], i) => (i === 0 ? ctx.moveTo(x(lo), y(la)) : ctx.lineTo(x(lo), y(la))));
  ctx.stroke();
  const [la, lo] = points[points.length - 1]!;
  ctx.fillStyle = accent;
  ctx.beginPath();
  ctx.arc(x(lo), y(la), 4, 0, 2 * Math.PI);
  ctx.fill();
}

/** The GPS track of the plotted lat/lon series on a plain lat/lon grid: offline, no map tiles. */
export function GpsTrack({ pair }: { pair: GpsPair }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let drawn = -1;
    const redraw = () => {
      const buffers = activeBuffers();
      if (!canvas.current || buffers.version === drawn) return;
      drawn = buffers.version;
      const lat = buffers.rings.get(pair.lat.id);
      const lon = buffers.rings.get(pair.lon.id);
      draw(canvas.current, lat && lon ? track(lat, lon) : []);
    };
    redraw();
    const timer = setInterval(redraw, REDRAW_MS);
    return () => clearInterval(timer);
  }, [pair.lat.id, pair.lon.id]);
  return (
    <figure className="gps-track">
      <figcaption>GPS track · {pair.label}</figcaption>
      <canvas ref={canvas} role="img" aria-label={`GPS track of ${pair.label}`} />
    </figure>
  );
}
