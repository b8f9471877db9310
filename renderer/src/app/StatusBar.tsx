import { useShell } from './store.js';
import { formatBytes } from './format.js';
import { databaseIcon, plugIcon } from '../ui/icons.js';
import { Icon } from '../ui/Icon.js';

export function StatusBar() {
  const status = useShell((s) => s.status);
  const link = useShell((s) => s.link);
  const connections = status?.connections ?? 0;
  return (
    <footer className="status-bar" aria-label="Status">
      <span className="status-item" data-testid="status-connections" title="Device connections open now">
        <Icon src={plugIcon} size={14} />
        {status ? `${connections} ${connections === 1 ? 'connection' : 'connections'}` : '…'}
      </span>
      <span className="status-item" data-testid="status-index" title="Size of the local log and telemetry index">
        <Icon src={databaseIcon} size={14} />
        {status ? `Index ${formatBytes(status.indexBytes)}` : '…'}
      </span>
      <span className="status-spacer" />
      <span className={`status-item link-${link.state}`}>{link.state === 'online' ? 'Backend connected' : link.state === 'connecting' ? 'Connecting…' : 'Backend lost'}</span>
      <span className="status-item">
        <kbd>Ctrl</kbd>+<kbd>K</kbd> commands
      </span>
    </footer>
  );
}
