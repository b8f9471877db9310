import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { TelemetrySeries } from '../../../../shared/contract/telemetry.js';
import { formatValue, seriesLabel } from './format.js';
import { Binner, type Segment } from './plot-data.js';
import { activeBuffers, LOCAL_SPAN, rightEdge, useTelemetry, type TelemetryActions } from './telemetry-store.js';

const HEIGHT = 300;
/** Redraws for new data or a sliding window: at most once per bucket (pixel) width, within these bounds. */
const MIN_REDRAW_MS = 33;
const MAX_REDRAW_MS = 1000;
export const PALETTE = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
  '#0b6bcb', '#f0a30a', '#60a917', '#a20025', '#6a00ff', '#825a2c', '#d80073', '#647687', '#aa9f00', '#00aba9',
];
export const colorOf = (index: number) => PALETTE[index % PALETTE.length]!;

interface Props {
  series: TelemetrySeries[];
  actions: TelemetryActions;
}

interface View {
  from: number;
  to: number;
  /** Draw from the samples held here, or from a window fetched from the store. */
  local: boolean;
}

/** Where the plot looks now, and whether the samples held here cover it exactly. */
function currentView(ids: readonly string[]): View {
  const { follow, span, window, replay } = useTelemetry.getState();
  const buffers = activeBuffers();
  if (!follow && window) return { ...window, local: replay !== null || buffers.exactFrom(ids, window.from) };
  const to = rightEdge(buffers, ids);
  if (replay !== null || span <= LOCAL_SPAN) return { from: to - span, to, local: true };
  // Long live windows come from the rollups; the edge moves in steps so a refetch is needed only now and then.
  const step = Math.max(1000, span / 200);
  const edge = Math.ceil(to / step) * step;
  return { from: edge - span, to: edge, local: false };
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

function buildOptions(series: TelemetrySeries[], width: number, xRange: () => [number, number], onSelect: (from: number, to: number) => void): uPlot.Options {
  const units = [...new Set(series.map((s) => s.unit))];
  const text = cssVar('--text-muted');
  const grid = cssVar('--border');
  const scale = (unit: string) => `u:${unit}`;
  const axes: uPlot.Axis[] = [{ stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } }];
  units.slice(0, 4).forEach((unit, i) =>
    axes.push({ scale: scale(unit), side: i % 2 === 0 ? 3 : 1, label: unit || undefined, stroke: text, size: 56, grid: { show: i === 0, stroke: grid, width: 1 }, ticks: { stroke: grid } }),
  );
  return {
    width,
    height: HEIGHT,
    ms: 1,
    scales: { x: { time: true, range: () => xRange() }, ...Object.fromEntries(units.map((u) => [scale(u), { auto: true }])) },
    series: [
      { label: 'Time' },
      ...series.map((s, i) => ({
        label: seriesLabel(s),
        scale: scale(s.unit),
        stroke: colorOf(i),
        width: 1,
        spanGaps: true,
        points: { show: false },
        value: (_u: uPlot, v: number | null) => (v == null ? '—' : `${formatValue(v)} ${s.unit}`.trim()),
      })),
    ],
    axes,
    legend: { show: true, live: true },
    cursor: { drag: { x: true, y: false, setScale: false } },
    hooks: {
      setSelect: [
        (u) => {
          if (u.select.width > 4) onSelect(u.posToVal(u.select.left, 'x'), u.posToVal(u.select.left + u.select.width, 'x'));
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        },
      ],
    },
  };
}

/**
 * The live plot: uPlot redrawn at most once per animation frame, only when data or the view changed (or the clock
 * moved a following window), from per-pixel buckets of the series' typed-array rings.
 */
export function LivePlot({ series, actions }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const key = series.map((s) => s.id).join('\n');

  useEffect(() => {
    const el = host.current;
    if (!el || series.length === 0) return;
    const ids = series.map((s) => s.id);
    const binner = new Binner();
    let view = currentView(ids);
    let fetched: { key: string; data: Map<string, Segment> } | null = null;
    let inFlight = '';
    let dirty = true;
    let drawn = { version: -1, at: 0, viewKey: '' };

    const plot = new uPlot(buildOptions(series, el.clientWidth, () => [view.from, view.to], (from, to) => actions.showWindow(from, to)), [[]], el);
    const resize = new ResizeObserver(() => {
      plot.setSize({ width: el.clientWidth, height: HEIGHT });
      dirty = true;
    });
    resize.observe(el);

    const buckets = () => Math.max(32, Math.round(plot.bbox.width / uPlot.pxRatio));
    const redrawGap = ({ from, to }: View) => Math.min(MAX_REDRAW_MS, Math.max(MIN_REDRAW_MS, (to - from) / buckets()));
    const draw = () => {
      const n = buckets();
      let segmentsOf: (id: string) => Segment[];
      if (view.local) {
        const buffers = activeBuffers();
        segmentsOf = (id) => buffers.rings.get(id)?.segments() ?? [];
      } else {
        const wanted = `${view.from}|${view.to}|${n}`;
        if (fetched?.key !== wanted && inFlight !== wanted) {
          inFlight = wanted;
          actions
            .fetchWindow(ids, view.from, view.to, n)
            .then((data) => {
              fetched = { key: wanted, data };
              dirty = true;
            })
            .catch((error: Error) => useTelemetry.setState({ error: `Could not load the plotted range: ${error.message}` }))
            .finally(() => inFlight === wanted && (inFlight = ''));
        }
        const data = fetched?.data;
        segmentsOf = (id) => {
          const segment = data?.get(id);
          return segment ? [segment] : [];
        };
      }
      plot.setData([Binner.xs(view.from, view.to, n), ...ids.map((id) => binner.bin(segmentsOf(id), view.from, view.to, n))] as uPlot.AlignedData);
    };

    let raf = requestAnimationFrame(function frame(now) {
      raf = requestAnimationFrame(frame);
      view = currentView(ids);
      const viewKey = `${view.from}|${view.to}|${view.local}`;
      const version = activeBuffers().version;
      const moved = viewKey !== drawn.viewKey;
      // New samples or a sliding edge change the picture by at most a pixel column per bucket: redraw once a bucket.
      const due = dirty || (moved && !useTelemetry.getState().follow) || ((moved || version !== drawn.version) && now - drawn.at >= redrawGap(view));
      if (!due) return;
      dirty = false;
      drawn = { version, at: now, viewKey };
      draw();
    });

    return () => {
      cancelAnimationFrame(raf);
      resize.disconnect();
      plot.destroy();
    };
    // Rebuilt only when the set of series (or their order) changes: `key` stands for `series`.
  }, [key, actions]);

  return <div className="telemetry-plot" ref={host} role="img" aria-label={`Plot of ${series.length} series`} data-testid="telemetry-plot" data-series={series.length} />;
}
