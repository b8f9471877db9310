import { useEffect, useState } from 'react';
import type { ThemeSetting } from '../../../shared/contract/app.js';

const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');

/** The theme actually shown: the setting, or the system's when the setting is "system". */
export function useResolvedTheme(setting: ThemeSetting): 'light' | 'dark' {
  const [systemDark, setSystemDark] = useState(() => darkQuery().matches);
  useEffect(() => {
    const query = darkQuery();
    const onChange = () => setSystemDark(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return setting === 'system' ? (systemDark ? 'dark' : 'light') : setting;
}
