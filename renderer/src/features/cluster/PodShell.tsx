import type { ReactNode } from 'react';
import type { PodView } from '../../../../shared/contract/cluster.js';
import { useClient } from '../../app/client-context.js';
import { withHint } from '../../app/format.js';
import { useRemoteShell } from '../devices/use-remote-shell.js';
import { XtermView } from '../devices/XtermView.js';
import { useCluster } from './cluster-store.js';

/** `/bin/sh` in the container on a TTY. Typing before the shell is open is kept and sent once it is. */
export function PodShell({ pod, container, picker }: { pod: PodView; container: string; picker: ReactNode }) {
  const client = useClient();
  const contextId = useCluster((s) => s.contextId)!;
  const { ended, generation, reopen, xterm } = useRemoteShell(
    {
      open: (size, stream) =>
        client.subscribe('cluster.exec', { contextId, namespace: pod.namespace, pod: pod.name, container, command: ['/bin/sh'], ...size }, {
          next(event) {
            if (event.type === 'opened') stream.opened(event.execId);
            else if (event.type === 'data') stream.output(event.data);
            else stream.exited(`The shell ended${event.code === null ? '' : ` with exit code ${event.code}`}${event.message ? `: ${event.message}` : ''}.`);
          },
          end: (error) => stream.closed(error && withHint(error)),
        }),
      write: (execId, data) => client.call('cluster.execWrite', { execId, data }),
      resize: (execId, { cols, rows }) => client.call('cluster.execResize', { execId, cols, rows }),
    },
    [client, contextId, pod.namespace, pod.name, container],
  );

  return (
    <div className="pod-shell">
      <div className="drawer-toolbar">
        {picker}
        {ended && (
          <>
            <span role="status">{ended}</span>
            <button className="button" onClick={reopen}>
              Open a new shell
            </button>
          </>
        )}
      </div>
      <XtermView key={`${container}/${generation}`} label="Container shell input" {...xterm} />
    </div>
  );
}
