/**
 * Worker-thread block encoder: gathers and compresses the blocks a ThreadedBlockEncoder posts (block-encoder-pool.ts),
 * and builds segments' filter areas.
 */
import { parentPort } from 'node:worker_threads';
import { LocalBlockEncoder, type BlockInput, type EncodedBlock } from './block-encoder.js';
import type { EncoderReply, EncoderRequest } from './block-encoder-pool.js';
import { encodeFilterArea, type BlockFilterParts, type FilterArea } from './filter-area.js';

const port = parentPort;
if (!port) throw new Error('block-encoder-worker must run in a worker thread');
const encoder = new LocalBlockEncoder();

/** The array itself when it owns its whole buffer, else a copy that does: only those can be transferred. */
function owned<T extends Uint8Array | Uint32Array>(array: T): T {
  return array.byteOffset === 0 && array.byteLength === array.buffer.byteLength ? array : (array.slice() as T);
}

/** A block, its arrays each in a buffer of its own, and those buffers. */
function encodedBlock(input: BlockInput): { result: EncodedBlock; transfer: ArrayBuffer[] } {
  const block = encoder.encodeInput(input);
  const result: EncodedBlock = {
    ...block,
    meta: owned(block.meta),
    messages: owned(block.messages),
    fields: owned(block.fields),
    bloomKeys: owned(block.bloomKeys),
    groups: owned(block.groups),
    postingH1: owned(block.postingH1),
    postingH2: owned(block.postingH2),
    bitmaps: owned(block.bitmaps),
  };
  const arrays = [result.meta, result.messages, result.fields, result.bloomKeys, result.groups, result.postingH1, result.postingH2, result.bitmaps];
  return { result, transfer: [...new Set(arrays.map((array) => array.buffer as ArrayBuffer))] };
}

function filterArea(filters: readonly BlockFilterParts[]): { result: FilterArea; transfer: ArrayBuffer[] } {
  const result = encodeFilterArea(filters);
  return { result, transfer: [result.bytes.buffer as ArrayBuffer] };
}

port.on('message', (request: EncoderRequest) => {
  let reply: { result: EncodedBlock | FilterArea; transfer: ArrayBuffer[] };
  try {
    reply = request.block ? encodedBlock(request.block) : filterArea(request.filters);
  } catch (error) {
    port.postMessage({ id: request.id, error: String(error) } satisfies EncoderReply);
    return;
  }
  port.postMessage({ id: request.id, result: reply.result } satisfies EncoderReply, reply.transfer);
});
