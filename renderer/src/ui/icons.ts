// Icons are bundled files from resources/icons (Lucide, ISC licence): nothing is fetched at run time.
export { default as activityIcon } from '../../../resources/icons/activity.svg';
export { default as alertIcon } from '../../../resources/icons/circle-alert.svg';
export { default as boxesIcon } from '../../../resources/icons/boxes.svg';
export { default as commandIcon } from '../../../resources/icons/command.svg';
export { default as databaseIcon } from '../../../resources/icons/database.svg';
export { default as flashIcon } from '../../../resources/icons/hard-drive-download.svg';
export { default as checklistIcon } from '../../../resources/icons/list-checks.svg';
export { default as monitorIcon } from '../../../resources/icons/monitor.svg';
export { default as moonIcon } from '../../../resources/icons/moon.svg';
export { default as plugIcon } from '../../../resources/icons/plug-zap.svg';
export { default as routerIcon } from '../../../resources/icons/router.svg';
export { default as logsIcon } from '../../../resources/icons/scroll-text.svg';
export { default as searchIcon } from '../../../resources/icons/search.svg';
export { default as sunIcon } from '../../../resources/icons/sun.svg';
export { default as terminalIcon } from '../../../resources/icons/terminal.svg';
export { default as usbIcon } from '../../../resources/icons/usb.svg';
