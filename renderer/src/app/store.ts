import { create } from 'zustand';
import type { AppStatus, ThemeSetting } from '../../../shared/contract/app.js';
import type { SectionId } from './sections.js';

export type LinkState = { state: 'connecting' } | { state: 'online' } | { state: 'lost'; reason: string };

interface ShellState {
  section: SectionId;
  paletteOpen: boolean;
  theme: ThemeSetting;
  status: AppStatus | null;
  link: LinkState;
  go(section: SectionId): void;
  setPaletteOpen(open: boolean): void;
  setTheme(theme: ThemeSetting): void;
  setStatus(status: AppStatus): void;
  setLink(link: LinkState): void;
}

export const useShell = create<ShellState>()((set) => ({
  section: 'devices',
  paletteOpen: false,
  theme: 'system',
  status: null,
  link: { state: 'connecting' },
  go: (section) => set({ section, paletteOpen: false }),
  setPaletteOpen: (paletteOpen) => set({ paletteOpen }),
  setTheme: (theme) => set({ theme }),
  setStatus: (status) => set({ status }),
  setLink: (link) => set({ link }),
}));
