import { describe, expect, it } from 'vitest';
import { filterCommands, type PaletteCommand } from './palette-commands.js';

const command = (title: string): PaletteCommand => ({ id: title, title, run: () => {} });
const all = ['Go to Devices', 'Go to Logs', 'Use dark theme', 'Toggle theme'].map(command);

describe('filterCommands', () => {
  it('keeps every command for an empty query', () => {
    expect(filterCommands(all, '  ').map((c) => c.title)).toEqual(all.map((c) => c.title));
  });

  it('matches all words in any order and case', () => {
    expect(filterCommands(all, 'THEME dark').map((c) => c.title)).toEqual(['Use dark theme']);
    expect(filterCommands(all, 'go').map((c) => c.title)).toEqual(['Go to Devices', 'Go to Logs']);
  });

  it('ranks titles that start with the first word ahead of the rest', () => {
    expect(filterCommands(all, 'theme').map((c) => c.title)).toEqual(['Use dark theme', 'Toggle theme']);
    expect(filterCommands(all, 'to').map((c) => c.title)).toEqual(['Toggle theme', 'Go to Devices', 'Go to Logs']);
  });

  it('returns nothing when a word is missing', () => {
    expect(filterCommands(all, 'flash')).toEqual([]);
  });
});
