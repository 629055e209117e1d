/** The hardened BrowserWindow options (Electron's security checklist), kept pure for testing. */
import type { BrowserWindowConstructorOptions } from 'electron';
import { isOwnPage } from './guards';

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 820,
    minWidth: 800,
    minHeight: 600,
    show: false,
    title: 'Launch Ready',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/** Only our own renderer page may call the API. */
export function isTrustedSender(frameUrl: string | undefined, rendererUrl: string): boolean {
  return frameUrl !== undefined && isOwnPage(frameUrl, rendererUrl);
}
