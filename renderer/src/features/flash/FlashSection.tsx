import { flashIcon } from '../../ui/icons.js';
import { EmptyState } from '../../ui/EmptyState.js';

export function FlashSection() {
  return (
    <EmptyState
      icon={flashIcon}
      title="Nothing to flash yet"
      steps={[
        <>Choose an OS image (<code>.img</code>, <code>.img.xz</code>, <code>.zip</code>) saved on this laptop.</>,
        <>Insert the gateway's SD card or eMMC over USB; system disks are never offered as targets.</>,
        <>Every write is read back and verified before FieldKit calls it done.</>,
      ]}
    >
      Write an OS image to a gateway's storage, with customisation and verification.
    </EmptyState>
  );
}
