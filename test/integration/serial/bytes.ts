export { recordBytes } from '../../../shared/serial/lines.js';
export { concat } from '../../../shared/serial/capture-format.js';
