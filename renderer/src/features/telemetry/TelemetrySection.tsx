import { activityIcon } from '../../ui/icons.js';
import { EmptyState } from '../../ui/EmptyState.js';

export function TelemetrySection() {
  return (
    <EmptyState
      icon={activityIcon}
      title="No sensor streams"
      steps={[
        <>GPS on a serial line? Open its port in the Console; NMEA 0183 sentences are decoded as they arrive.</>,
        <>Modbus RTU on RS-485: describe the registers once and FieldKit polls them.</>,
        <>An MQTT broker on the gateway: subscribe to its topics and map payload fields to series.</>,
      ]}
    >
      Live values are plotted, recorded and kept for replay when you are back at the office.
    </EmptyState>
  );
}
