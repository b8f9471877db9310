/** Writes series as one CSV table: a row per distinct timestamp, a column per series, empty where a series has no sample. */
import { open } from 'node:fs/promises';

export interface ExportColumn {
  /** Column header, e.g. the series id `gw-7/env/temp[degC]`. */
  name: string;
  ts: Float64Array;
  values: Float64Array;
}

const FLUSH_BYTES = 1 << 20;

export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Creates `path` (refusing to replace it unless `overwrite`) and writes the merged table; returns rows and bytes. */
export async function writeCsv(path: string, columns: readonly ExportColumn[], overwrite: boolean): Promise<{ rows: number; bytes: number }> {
  const file = await open(path, overwrite ? 'w' : 'wx');
  let rows = 0;
  let bytes = 0;
  let buffer = '';
  const write = async (force = false) => {
    if (!force && buffer.length < FLUSH_BYTES) return;
    const chunk = Buffer.from(buffer, 'utf8');
    buffer = '';
    bytes += chunk.length;
    await file.write(chunk);
  };
  try {
    buffer += `time,ts_ms,${columns.map((c) => csvCell(c.name)).join(',')}\n`;
    const at = columns.map(() => 0);
    const cells: string[] = new Array(columns.length);
    for (;;) {
      let t = Infinity;
      columns.forEach((c, i) => {
        if (at[i]! < c.ts.length && c.ts[at[i]!]! < t) t = c.ts[at[i]!]!;
      });
      if (t === Infinity) break;
      columns.forEach((c, i) => {
        cells[i] = '';
        if (at[i]! < c.ts.length && c.ts[at[i]!] === t) cells[i] = String(c.values[at[i]++]!);
      });
      buffer += `${new Date(t).toISOString()},${t},${cells.join(',')}\n`;
      rows++;
      await write();
    }
    await write(true);
    await file.sync();
  } finally {
    await file.close();
  }
  return { rows, bytes };
}
