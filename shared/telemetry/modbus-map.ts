/** Modbus register maps: value types with word order, scaling, and grouping of entries into block reads. */

export type RegisterType = 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32';
/** `high-first`: first register holds the high word (ABCD); `low-first`: word-swapped (CDAB). */
export type WordOrder = 'high-first' | 'low-first';

export interface RegisterEntry {
  /** Series field name. */
  field: string;
  address: number;
  /** 3 = holding registers, 4 = input registers. */
  function: 3 | 4;
  type: RegisterType;
  wordOrder?: WordOrder;
  /** value = raw * scale + offset */
  scale?: number;
  offset?: number;
  unit?: string;
  pollIntervalMs: number;
}

export const MAX_REGISTERS_PER_READ = 125;

export function registerCount(type: RegisterType): number {
  return type === 'int16' || type === 'uint16' ? 1 : 2;
}

/** Decodes `words` (16-bit register values, in address order) into the scaled engineering value. */
export function decodeRegisters(words: ArrayLike<number>, entry: Pick<RegisterEntry, 'type' | 'wordOrder' | 'scale' | 'offset'>): number {
  const view = new DataView(new ArrayBuffer(4));
  let raw: number;
  if (entry.type === 'int16' || entry.type === 'uint16') {
    view.setUint16(0, words[0]! & 0xffff);
    raw = entry.type === 'int16' ? view.getInt16(0) : view.getUint16(0);
  } else {
    const [a, b] = entry.wordOrder === 'low-first' ? [words[1]!, words[0]!] : [words[0]!, words[1]!];
    view.setUint16(0, a & 0xffff);
    view.setUint16(2, b & 0xffff);
    raw = entry.type === 'int32' ? view.getInt32(0) : entry.type === 'uint32' ? view.getUint32(0) : view.getFloat32(0);
  }
  return raw * (entry.scale ?? 1) + (entry.offset ?? 0);
}

export interface BlockRead<E extends RegisterEntry = RegisterEntry> {
  function: 3 | 4;
  address: number;
  count: number;
  entries: E[];
}

/** Groups entries of one device into as few reads as possible (same function, contiguous or small gaps, ≤125 registers). */
export function planReads<E extends RegisterEntry>(entries: readonly E[], maxGap = 8): BlockRead<E>[] {
  const sorted = [...entries].sort((a, b) => a.function - b.function || a.address - b.address);
  const blocks: BlockRead<E>[] = [];
  for (const e of sorted) {
    const end = e.address + registerCount(e.type);
    const last = blocks.at(-1);
    if (last && last.function === e.function && e.address <= last.address + last.count + maxGap && end - last.address <= MAX_REGISTERS_PER_READ) {
      last.count = Math.max(last.count, end - last.address);
      last.entries.push(e);
    } else blocks.push({ function: e.function, address: e.address, count: end - e.address, entries: [e] });
  }
  return blocks;
}

/** Checks a map the technician edited; returns the problems found (empty when fine). */
export function validateRegisterMap(entries: readonly RegisterEntry[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    const at = `register ${i + 1} (${e.field || 'unnamed'})`;
    if (!e.field) problems.push(`${at}: field name missing`);
    else if (seen.has(e.field)) problems.push(`${at}: field name used twice`);
    seen.add(e.field);
    if (!Number.isFinite(e.scale ?? 1) || !Number.isFinite(e.offset ?? 0)) problems.push(`${at}: scale and offset must be numbers`);
    if (!Number.isInteger(e.address) || e.address < 0 || e.address + registerCount(e.type) > 65536) problems.push(`${at}: address must be 0-65535`);
    if (e.function !== 3 && e.function !== 4) problems.push(`${at}: function must be 3 (holding) or 4 (input)`);
    if (!['int16', 'uint16', 'int32', 'uint32', 'float32'].includes(e.type)) problems.push(`${at}: unknown type "${e.type}"`);
    if (!(e.pollIntervalMs >= 10)) problems.push(`${at}: poll interval must be at least 10 ms`);
  });
  return problems;
}
