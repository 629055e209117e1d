/** Electron entry: one hardened window on the renderer, the contract on IPC. */
import { BrowserWindow, app, session, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCoreApi } from '../core/api';
import { registerIpc } from './ipc';
import { windowOptions } from './window-options';

const rendererFile = join(import.meta.dirname, '../renderer/index.html');
const rendererUrl = pathToFileURL(rendererFile).href;
const preloadPath = join(import.meta.dirname, '../preload/index.cjs');

app.enableSandbox();

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (url !== rendererUrl) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the real browser, and only over https.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

void app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
  const api = createCoreApi({
    // LAUNCH_READY_DATA_DIR, as for the CLI, lets tests and portable installs pick the folder.
    dataDir: process.env.LAUNCH_READY_DATA_DIR || app.getPath('userData'),
    transport: 'electron',
    version: app.getVersion(),
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
