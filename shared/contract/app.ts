import { z } from 'zod';
import { method, stream } from './define.js';

export const themeSetting = z.enum(['system', 'light', 'dark']);
export type ThemeSetting = z.infer<typeof themeSetting>;

export const settingsSchema = z.object({ theme: themeSetting });
export type Settings = z.infer<typeof settingsSchema>;

export const appStatusSchema = z.object({
  /** Device connections open right now (serial sessions, SSH sessions, cluster watches). */
  connections: z.number().int().nonnegative(),
  /** Bytes the local log and telemetry index take on disk. */
  indexBytes: z.number().int().nonnegative(),
});
export type AppStatus = z.infer<typeof appStatusSchema>;

const empty = z.object({}).strict();

export const appContract = {
  'app.info': method(
    'Name, version and where FieldKit keeps its data.',
    empty,
    z.object({ name: z.string(), version: z.string(), dataDir: z.string(), platform: z.string() }),
  ),
  'app.status': stream('Connection count and index size, now and whenever they change.', empty, appStatusSchema),
  'settings.get': method('The saved preferences.', empty, settingsSchema),
  'settings.update': method('Change some preferences; returns them all.', settingsSchema.partial().strict(), settingsSchema),
  'settings.changes': stream('The preferences, now and after every change from any window.', empty, settingsSchema),
} as const;
