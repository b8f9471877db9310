import { useEffect, useRef, useState, type ReactNode } from 'react';
import { decodeBase64, encodeBase64 } from '../../../../shared/ssh/base64.js';
import type { PodView } from '../../../../shared/contract/cluster.js';
import { useClient } from '../../app/client-context.js';
import { XtermView, type TerminalSize, type XtermHandle } from '../devices/XtermView.js';
import { messageOf } from '../../app/format.js';
import { useCluster } from './cluster-store.js';

/** `/bin/sh` in the container on a TTY. Typing before the shell is open is kept and sent once it is. */
export function PodShell({ pod, container, picker }: { pod: PodView; container: string; picker: ReactNode }) {
  const client = useClient();
  const contextId = useCluster((s) => s.contextId)!;
  const [generation, setGeneration] = useState(0);
  const [ended, setEnded] = useState<string | null>(null);
  const view = useRef<XtermHandle>(undefined);
  const execId = useRef<string>(undefined);
  const early = useRef<Uint8Array[]>([]);

  const send = (data: Uint8Array) => {
    if (!execId.current) return void early.current.push(data);
    client.call('cluster.execWrite', { execId: execId.current, data: encodeBase64(data) }).catch((error) => setEnded(messageOf(error)));
  };
  const resize = ({ cols, rows }: TerminalSize) => {
    if (execId.current) void client.call('cluster.execResize', { execId: execId.current, cols, rows }).catch(() => {});
  };

  useEffect(() => {
    const term = view.current!;
    setEnded(null);
    const stop = client.subscribe('cluster.exec', { contextId, namespace: pod.namespace, pod: pod.name, container, command: ['/bin/sh'], ...term.size() }, {
      next(event) {
        if (event.type === 'opened') {
          execId.current = event.execId;
          for (const data of early.current.splice(0)) send(data);
        } else if (event.type === 'data') term.write(decodeBase64(event.data) ?? new Uint8Array());
        else setEnded(`The shell ended${event.code === null ? '' : ` with exit code ${event.code}`}${event.message ? `: ${event.message}` : ''}.`);
      },
      end(error) {
        execId.current = undefined;
        if (error) setEnded(`${error.message}${error.hint ? ` ${error.hint}` : ''}`);
      },
    });
    return () => {
      stop();
      execId.current = undefined;
    };
    // `send` only reads refs; the shell is reopened for another pod or container, or on request.
  }, [client, contextId, pod.namespace, pod.name, container, generation]);

  return (
    <div className="pod-shell">
      <div className="drawer-toolbar">
        {picker}
        {ended && (
          <>
            <span role="status">{ended}</span>
            <button className="button" onClick={() => setGeneration((g) => g + 1)}>
              Open a new shell
            </button>
          </>
        )}
      </div>
      <XtermView key={`${container}/${generation}`} label="Container shell input" onReady={(handle) => (view.current = handle)} onInput={send} onResize={resize} />
    </div>
  );
}
