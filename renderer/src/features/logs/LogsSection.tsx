import { logsIcon } from '../../ui/icons.js';
import { EmptyState } from '../../ui/EmptyState.js';

export function LogsSection() {
  return (
    <EmptyState
      icon={logsIcon}
      title="The log index is empty"
      steps={[
        <>Open a serial console or an SSH session: what the gateway prints lands here automatically.</>,
        <>Have a diagnostic bundle? Import a <code>.tar.gz</code>, <code>.zip</code>, a folder or a single log file.</>,
        <>Search works offline: words, <code>"phrases"</code>, <code>device:gw-17</code>, <code>level&gt;=warn</code>, <code>last 15m</code>.</>,
      ]}
    >
      Every byte FieldKit sees is kept in a local index on this laptop, searchable in milliseconds.
    </EmptyState>
  );
}
