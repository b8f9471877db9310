import { app, BrowserWindow, ipcMain, Menu, protocol, safeStorage, session, utilityProcess } from 'electron';
import { appVersion, packageRoot, rendererDir } from '../backend/app-paths.js';
import { createBackend } from '../backend/backend.js';
import { resolveDataDir } from '../backend/data-dir.js';
import { APP_ORIGIN, registerAppProtocol, APP_SCHEME } from './app-protocol.js';
import { wireIpc } from './ipc-bridge.js';
import { buildMenu } from './menu.js';
import { hardenWebContents } from './hardening.js';
import { join } from 'node:path';
import { EncryptedFileSecretStore, safeStorageCipher } from '../services/ssh/secrets.js';
import { utilityProcessLauncher } from '../services/index/index-process-launch.js';

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

const dataDirFlag = process.argv.find((arg) => arg.startsWith('--data-dir='))?.slice('--data-dir='.length);
app.setPath('userData', resolveDataDir(dataDirFlag));

if (!app.requestSingleInstanceLock()) app.quit();
else void start();

async function start(): Promise<void> {
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, decide) => decide(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  registerAppProtocol(rendererDir());

  const dataDir = app.getPath('userData');
  // Secrets go to disk only sealed by the OS keychain; where it is unavailable they live for this run only.
  const secrets = safeStorage.isEncryptionAvailable() ? new EncryptedFileSecretStore(join(dataDir, 'ssh', 'secrets.json'), safeStorageCipher(safeStorage)) : undefined;
  const launchIndex = utilityProcessLauncher(utilityProcess);
  const backend = await createBackend({ dataDir, version: appVersion(), secrets, launchIndex, onUnexpected: (error) => console.error(error) });
  const ipc = wireIpc(ipcMain, backend.router, (url) => url.startsWith(`${APP_ORIGIN}/`));
  Menu.setApplicationMenu(buildMenu());

  const open = (): void => {
    const window = new BrowserWindow({
      width: 1280,
      height: 820,
      minWidth: 900,
      minHeight: 560,
      title: 'FieldKit',
      icon: join(packageRoot(), 'resources', 'icons', 'fieldkit.png'),
      show: false,
      webPreferences: {
        // Reviewed: the preload exposes one frozen message-passing object and nothing else (docs/SECURITY.md).
        preload: join(packageRoot(), 'dist', 'preload', 'preload.cjs'), // eng-disable PRELOAD_JS_CHECK
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        spellcheck: false,
        disableBlinkFeatures: 'Auxclick',
      },
    });
    hardenWebContents(window.webContents, APP_ORIGIN);
    window.webContents.on('did-start-navigation', ({ isMainFrame, isSameDocument }) => {
      if (isMainFrame && !isSameDocument) ipc.reset(window.webContents.id);
    });
    window.once('ready-to-show', () => window.show());
    void window.loadURL(`${APP_ORIGIN}/index.html`);
  };

  open();
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && open());
  app.on('window-all-closed', () => process.platform !== 'darwin' && app.quit());
  app.on('will-quit', () => void backend.close());
}
