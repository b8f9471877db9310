export { importPaths, type ImportOptions } from './importer.js';
export type { ImportProgress } from './progress.js';
export type { FileReport, ImportReport, ImportTotals } from './report.js';
