import type { ComponentType } from 'react';
import { ClusterSection } from '../features/cluster/ClusterSection.js';
import { ConsoleSection } from '../features/console/ConsoleSection.js';
import { DevicesSection } from '../features/devices/DevicesSection.js';
import { FlashSection } from '../features/flash/FlashSection.js';
import { LogsSection } from '../features/logs/LogsSection.js';
import { OnboardingSection } from '../features/onboarding/OnboardingSection.js';
import { TelemetrySection } from '../features/telemetry/TelemetrySection.js';
import { activityIcon, boxesIcon, checklistIcon, flashIcon, logsIcon, routerIcon, terminalIcon } from '../ui/icons.js';

export type SectionId = 'devices' | 'console' | 'logs' | 'telemetry' | 'cluster' | 'flash' | 'onboarding';

export interface Section {
  id: SectionId;
  label: string;
  icon: string;
  component: ComponentType;
}

/** The sidebar, in order; Ctrl/Cmd+1…7 jumps to each. */
export const SECTIONS: readonly Section[] = [
  { id: 'devices', label: 'Devices', icon: routerIcon, component: DevicesSection },
  { id: 'console', label: 'Console', icon: terminalIcon, component: ConsoleSection },
  { id: 'logs', label: 'Logs', icon: logsIcon, component: LogsSection },
  { id: 'telemetry', label: 'Telemetry', icon: activityIcon, component: TelemetrySection },
  { id: 'cluster', label: 'Cluster', icon: boxesIcon, component: ClusterSection },
  { id: 'flash', label: 'Flash', icon: flashIcon, component: FlashSection },
  { id: 'onboarding', label: 'Onboarding', icon: checklistIcon, component: OnboardingSection },
];
