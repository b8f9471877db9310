/** Sealing: acknowledged WAL batches (their encoded payloads) become one segment file. */
import { messageByteLengths, readBatch } from './record-codec.js';
import type { BlockEncoder } from './block-encoder.js';
import { addMessageSource, allocateColumns, sortColumns, writeSegment, type SealColumns, type SegmentHeader } from './segment-format.js';

/**
 * The rows of the batches as columns sorted by time, with the segment's stream list. Messages stay the batches'
 * UTF-8 bytes: blocks are cut from them as they are.
 */
function columnsOfBatches(payloads: readonly Buffer[]): { columns: SealColumns; streams: string[] } {
  const batches = payloads.map(readBatch);
  const streams = new Map<string, number>();
  const columns = allocateColumns(batches.reduce((sum, batch) => sum + batch.ts.length, 0));
  let row = 0;
  for (const batch of batches) {
    const remap = batch.streamKeys.map((key) => {
      let stream = streams.get(key);
      if (stream === undefined) streams.set(key, (stream = streams.size));
      return stream;
    });
    columns.ts.set(batch.ts, row);
    columns.level.set(batch.levels, row);
    const { lengths, ascii } = messageByteLengths(batch);
    addMessageSource(columns, row, { bytes: batch.messageBytes, ascii }, lengths);
    for (let i = 0; i < batch.ts.length; i++, row++) {
      columns.stream[row] = remap[batch.streamOf[i]];
      columns.fields[row] = batch.fields[i];
    }
  }
  return { columns: sortColumns(columns), streams: [...streams.keys()] };
}

export async function sealBatches(path: string, header: Omit<SegmentHeader, 'streams'>, payloads: readonly Buffer[], options: { blockRows?: number; encoder: BlockEncoder }): Promise<void> {
  const { columns, streams } = columnsOfBatches(payloads);
  await writeSegment(path, { ...header, streams }, columns, options);
}
