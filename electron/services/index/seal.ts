/** Sealing: acknowledged WAL batches (their encoded payloads) become the bytes of one segment file. */
import { messageByteLengths, readBatch } from './record-codec.js';
import { addMessageSource, allocateColumns, encodeSegment, sortColumns, type EncodedSegment, type SealColumns, type SegmentEncodeOptions, type SegmentHeader } from './segment-format.js';

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

/** The segment file of the batches' rows. */
export function encodeBatches(header: Omit<SegmentHeader, 'streams'>, payloads: readonly Buffer[], options: SegmentEncodeOptions): Promise<EncodedSegment> {
  const { columns, streams } = columnsOfBatches(payloads);
  return encodeSegment({ ...header, streams }, columns, options);
}
