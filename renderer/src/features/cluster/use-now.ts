import { useEffect, useState } from 'react';

/** The clock, ticking every `ms`: ages and "time since" columns follow it without a timer per row. */
export function useNow(ms = 5_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
