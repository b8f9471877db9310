export interface PaletteCommand {
  id: string;
  title: string;
  /** Shown at the right, e.g. "Ctrl+1". */
  shortcut?: string;
  run(): void;
}

/** Commands whose title contains every word of the query (any order, any case), best matches first. */
export function filterCommands(commands: readonly PaletteCommand[], query: string): PaletteCommand[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...commands];
  return commands
    .map((command) => ({ command, title: command.title.toLowerCase() }))
    .filter(({ title }) => words.every((word) => title.includes(word)))
    .sort((a, b) => Number(!a.title.startsWith(words[0])) - Number(!b.title.startsWith(words[0])))
    .map(({ command }) => command);
}
