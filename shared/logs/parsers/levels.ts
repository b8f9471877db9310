import type { Level } from '../record.js';

const SYSLOG_SEVERITY_LEVELS: readonly Level[] = ['critical', 'critical', 'critical', 'error', 'warn', 'notice', 'info', 'debug'];

/** Syslog/journald severity 0 (emerg) .. 7 (debug). */
export function levelFromSeverity(severity: number): Level | undefined {
  return Number.isInteger(severity) && severity >= 0 && severity <= 7 ? SYSLOG_SEVERITY_LEVELS[severity] : undefined;
}

const NAME_PREFIXES: readonly [string, Level][] = [
  ['trace', 'trace'], ['debug', 'debug'], ['dbg', 'debug'], ['verbose', 'debug'], ['info', 'info'], ['inf', 'info'],
  ['notice', 'notice'], ['warn', 'warn'], ['wrn', 'warn'], ['error', 'error'], ['err', 'error'], ['severe', 'error'],
  ['crit', 'critical'], ['fatal', 'critical'], ['panic', 'critical'], ['emerg', 'critical'], ['alert', 'critical'],
];

/** Maps a level name as loggers write it (`WARNING`, `err`, `DEBUG5`, `Fatal`...) onto a Level. */
export function levelFromName(name: string): Level | undefined {
  const lower = name.trim().toLowerCase();
  if (lower.length === 0) return undefined;
  for (const [prefix, level] of NAME_PREFIXES) if (lower.startsWith(prefix)) return level;
  if (lower.length === 1) return LETTER_LEVELS[lower];
  return undefined;
}

const LETTER_LEVELS: Record<string, Level> = { t: 'trace', d: 'debug', i: 'info', n: 'notice', w: 'warn', e: 'error', f: 'critical', c: 'critical' };

/** Numeric levels: 0-7 are syslog severities, 10-60 are pino/bunyan levels. */
export function levelFromNumber(value: number): Level | undefined {
  if (value >= 0 && value <= 7) return levelFromSeverity(value);
  if (value >= 60) return 'critical';
  if (value >= 50) return 'error';
  if (value >= 40) return 'warn';
  if (value >= 30) return 'info';
  if (value >= 20) return 'debug';
  if (value >= 10) return 'trace';
  return undefined;
}

const LEVEL_WORD = /(?:^|[^A-Za-z0-9_])(TRACE|DEBUG\d?|INFO|NOTICE|WARN(?:ING)?|ERROR|ERR|CRIT(?:ICAL)?|FATAL|PANIC|EMERG|ALERT|SEVERE)(?![A-Za-z0-9_])|level=["']?([A-Za-z]+)|(?:^|[^A-Za-z0-9_])\[?(Trace|Debug|Info|Warn(?:ing)?|Error|Fatal|Critical)\]?:/;
const LEVEL_WINDOW = 96;

/** A level named in the first characters of free text: `ERROR`, `[WARN]`, `level=info`, `Warning:`. */
export function detectLevel(text: string): Level | undefined {
  const match = LEVEL_WORD.exec(text.length > LEVEL_WINDOW ? text.slice(0, LEVEL_WINDOW) : text);
  if (!match) return undefined;
  return levelFromName(match[1] ?? match[2] ?? match[3] ?? '');
}
