import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { GuardedContents } from '../../src/main/electron/guards';
import { denyPermission, externalUrl, hardenContents } from '../../src/main/electron/guards';

const OWN = 'file:///app/out/renderer/index.html';

/** Stands in for WebContents: the guards' listeners are real, the events are emitted here. */
function contents() {
  const emitter = new EventEmitter();
  let openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
  const wc: GuardedContents = {
    on: ((event: string, listener: (...args: unknown[]) => void) =>
      emitter.on(event, listener)) as GuardedContents['on'],
    setWindowOpenHandler: (h) => {
      openHandler = h;
    },
  };
  const opened: string[] = [];
  hardenContents(wc, OWN, (url) => opened.push(url));
  const fire = (event: string, url?: string) => {
    let prevented = false;
    emitter.emit(event, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  const open = (url: string) => openHandler?.({ url });
  return { fire, open, opened };
}

describe('Electron window guards', () => {
  it('keeps the window on its own page', () => {
    const c = contents();
    expect(c.fire('will-navigate', `${OWN}#/stage/3`)).toBe(false);
    expect(c.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(c.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(c.fire('will-redirect', 'http://127.0.0.1:8080/')).toBe(true);
    expect(c.fire('will-navigate', 'not a url')).toBe(true);
    expect(c.fire('will-attach-webview')).toBe(true);
  });

  it('never opens a window, and hands only safe https links to the system browser', () => {
    const c = contents();
    expect(c.open('https://developers.cloudflare.com/ssl/')).toEqual({ action: 'deny' });
    for (const bad of [
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'https://user:pw@example.com/',
      'https://127.0.0.1/',
      'https://[::1]/',
      'https://localhost/',
      `https://example.com/${'a'.repeat(2100)}`,
      'smb://share/x',
    ]) {
      expect(c.open(bad), bad).toEqual({ action: 'deny' });
    }
    expect(c.opened).toEqual(['https://developers.cloudflare.com/ssl/']);
  });

  it('normalizes the link it lets through', () => {
    expect(externalUrl('https://Example.COM/a b')).toBe('https://example.com/a%20b');
    expect(externalUrl('')).toBeNull();
  });

  it('refuses every permission request', () => {
    const answers: boolean[] = [];
    for (const p of ['media', 'notifications', 'clipboard-read', 'geolocation'])
      denyPermission(null, p, (granted) => answers.push(granted));
    expect(answers).toEqual([false, false, false, false]);
  });
});
