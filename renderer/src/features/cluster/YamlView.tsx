import { useCallback, useEffect, useState } from 'react';
import type { ClusterObjectKind } from '../../../../shared/contract/cluster.js';
import { useClient } from '../../app/client-context.js';
import { messageOf } from '../../app/format.js';
import { useCluster } from './cluster-store.js';

/** The object's YAML as the API serves it. */
export function YamlView({ kind, namespace, name }: { kind: ClusterObjectKind; namespace?: string; name: string }) {
  const client = useClient();
  const contextId = useCluster((s) => s.contextId)!;
  const [yaml, setYaml] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  const load = useCallback(() => {
    let current = true;
    setError(null);
    client
      .call('cluster.yaml', { contextId, kind, name, ...(namespace && { namespace }) })
      .then((r) => current && setYaml(r.yaml))
      .catch((e) => current && setError(messageOf(e)));
    return () => void (current = false);
  }, [client, contextId, kind, namespace, name]);
  useEffect(load, [load]);

  return (
    <div className="yaml-view">
      <div className="drawer-toolbar">
        <button className="button" onClick={load}>
          Reload
        </button>
        <button
          className="button"
          disabled={!yaml}
          onClick={() => yaml && void navigator.clipboard?.writeText(yaml).then(() => setCopied(true), () => setError('The browser refused the clipboard.'))}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      {error && (
        <div className="banner error cluster-inline-banner" role="alert">
          {error}
        </div>
      )}
      <pre className="yaml" tabIndex={0} aria-label={`YAML of ${name}`}>
        {yaml ?? (error ? '' : 'Loading…')}
      </pre>
    </div>
  );
}
