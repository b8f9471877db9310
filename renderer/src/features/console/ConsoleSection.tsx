import { usbIcon } from '../../ui/icons.js';
import { EmptyState } from '../../ui/EmptyState.js';

export function ConsoleSection() {
  return (
    <EmptyState
      icon={usbIcon}
      title="No console open"
      steps={[
        <>Plug the gateway's USB-serial adapter into this laptop (FTDI, CP210x, CH340, PL2303 or a CDC-ACM device).</>,
        <>Pick the port and a baud rate; 115200 8N1 suits most gateways, and auto-detect finds the rest.</>,
        <>Every byte received is captured into the local log index, even after you close the tab.</>,
      ]}
    >
      A serial console talks to the gateway's bootloader and shell before it has a network.
    </EmptyState>
  );
}
