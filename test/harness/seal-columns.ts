import { sharedCopy } from '../../electron/services/index/record-codec.js';
import { addMessageSource, type SealColumns } from '../../electron/services/index/segment-format.js';

/**
 * Points the rows of `columns`, from the first, at `texts`, encoded as one message source (in shared memory, as WAL
 * batches are, when `shared`).
 */
export function addTextMessages(columns: SealColumns, texts: readonly string[], shared = false): void {
  const utf8 = Buffer.from(texts.join(''), 'utf8');
  const bytes = shared ? sharedCopy(utf8) : utf8;
  const lengths = texts.map((text) => Buffer.byteLength(text, 'utf8'));
  addMessageSource(columns, 0, { bytes, ascii: bytes.every((byte) => byte < 0x80) }, lengths);
}
