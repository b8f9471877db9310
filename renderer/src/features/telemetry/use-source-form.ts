import { useState, type FormEvent } from 'react';

/**
 * The busy flag and submit handler every source form shares. `start` reads the form and returns the backend call
 * (resolving to something truthy when the source runs), or nothing when the form itself is not valid.
 */
export function useSourceForm(start: (form: FormData) => Promise<unknown> | undefined, onDone?: () => void) {
  const [busy, setBusy] = useState(false);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const started = start(new FormData(event.currentTarget));
    if (!started) return;
    setBusy(true);
    void started.then((ok) => {
      setBusy(false);
      if (ok) onDone?.();
    });
  };
  return { busy, onSubmit };
}
