import { describe, expect, it } from 'vitest';
import { isTrustedSender, windowOptions } from '../../src/main/electron/window-options';

describe('Electron window hardening', () => {
  it('isolates and sandboxes the renderer', () => {
    const prefs = windowOptions('/app/out/preload/index.cjs').webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('trusts only its own renderer page as an IPC sender', () => {
    const own = 'file:///app/out/renderer/index.html';
    expect(isTrustedSender(own, own)).toBe(true);
    expect(isTrustedSender(`${own}#/stage/2`, own)).toBe(true);
    expect(isTrustedSender('file:///tmp/evil.html', own)).toBe(false);
    expect(isTrustedSender('https://evil.example/index.html', own)).toBe(false);
    expect(isTrustedSender(undefined, own)).toBe(false);
    expect(isTrustedSender('not a url', own)).toBe(false);
  });
});
