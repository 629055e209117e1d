/** Electron entry: one hardened window on the renderer, the contract on IPC. */
import { BrowserWindow, Notification, app, dialog, session, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCoreApi } from '../core/api';
import { denyPermission, hardenContents } from './guards';
import { registerIpc } from './ipc';
import { windowOptions } from './window-options';

const rendererFile = join(import.meta.dirname, '../renderer/index.html');
const rendererUrl = pathToFileURL(rendererFile).href;
const preloadPath = join(import.meta.dirname, '../preload/index.cjs');

app.enableSandbox();

app.on('web-contents-created', (_e, contents) => {
  hardenContents(contents, rendererUrl, (url) => void shell.openExternal(url));
});

void app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler(denyPermission);
  session.defaultSession.setPermissionCheckHandler(() => false);
  const api = createCoreApi({
    // LAUNCH_READY_DATA_DIR, as for the CLI, lets tests and portable installs pick the folder.
    dataDir: process.env.LAUNCH_READY_DATA_DIR || app.getPath('userData'),
    transport: 'electron',
    version: app.getVersion(),
    // Background re-checks that find something worse say so even when the window is hidden.
    notify: ({ title, body }) => {
      if (Notification.isSupported()) new Notification({ title, body }).show();
    },
    pickFolder: async () => {
      const picked = await dialog.showOpenDialog(win, {
        title: 'Choose your code’s folder',
        properties: ['openDirectory', 'dontAddToRecent'],
      });
      return picked.canceled ? null : (picked.filePaths[0] ?? null);
    },
  });
  const win = new BrowserWindow(windowOptions(preloadPath));
  const unregister = registerIpc(api, rendererUrl, () =>
    win.isDestroyed() ? null : win.webContents,
  );
  win.once('ready-to-show', () => win.show());
  await win.loadURL(rendererUrl);
  app.on('window-all-closed', () => {
    unregister();
    void api.dispose().finally(() => app.quit());
  });
});
