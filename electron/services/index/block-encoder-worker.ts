/** Worker-thread block encoder: gathers and compresses the blocks a ThreadedBlockEncoder posts (block-encoder-pool.ts). */
import { parentPort } from 'node:worker_threads';
import { LocalBlockEncoder, type BlockInput, type EncodedBlock } from './block-encoder.js';
import type { EncoderReply } from './block-encoder-pool.js';

const port = parentPort;
if (!port) throw new Error('block-encoder-worker must run in a worker thread');
const encoder = new LocalBlockEncoder();

/** The array itself when it owns its whole buffer, else a copy that does: only those can be transferred. */
function owned<T extends Uint8Array | Uint32Array>(array: T): T {
  return array.byteOffset === 0 && array.byteLength === array.buffer.byteLength ? array : (array.slice() as T);
}

port.on('message', ({ id, input }: { id: number; input: BlockInput }) => {
  let block: EncodedBlock;
  try {
    block = encoder.encodeInput(input);
  } catch (error) {
    port.postMessage({ id, error: String(error) } satisfies EncoderReply);
    return;
  }
  const encoded: EncodedBlock = {
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
  const arrays = [encoded.meta, encoded.messages, encoded.fields, encoded.bloomKeys, encoded.groups, encoded.postingH1, encoded.postingH2, encoded.bitmaps];
  port.postMessage({ id, encoded } satisfies EncoderReply, [...new Set(arrays.map((array) => array.buffer as ArrayBuffer))]);
});
