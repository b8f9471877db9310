const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Nanoseconds since the epoch as local `YYYY-MM-DD HH:MM:SS.mmm`. */
export function formatNs(ns: string | bigint): string {
  const ms = Number(BigInt(ns) / 1_000_000n);
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export const formatCount = (n: number) => n.toLocaleString('en-US');
