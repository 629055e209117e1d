/**
 * The window's safety handlers (Electron's security checklist: no navigation away, no new
 * windows, no webviews, no permissions, external links only through a checked openExternal).
 * Typed against the few WebContents members they use, so they are tested without the binary.
 */

/** The parts of WebContents the guards attach to. */
export interface GuardedContents {
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (event: Preventable, url: string) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: Preventable) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface Preventable {
  preventDefault(): void;
}

/**
 * A link the app may hand to the system browser: https only, a real host name (no IP literal,
 * no user:password@), at most 2048 characters. Anything else stays closed.
 */
export function externalUrl(raw: string): string | null {
  if (raw.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return null;
  const host = url.hostname;
  if (!host.includes('.') || /^[\d.]+$/.test(host) || host.startsWith('[')) return null;
  return url.href;
}

/** Only the renderer's own page (any #fragment) may be shown in the window. */
export function isOwnPage(url: string, rendererUrl: string): boolean {
  try {
    const a = new URL(url);
    const b = new URL(rendererUrl);
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
  } catch {
    return false;
  }
}

export function hardenContents(
  contents: GuardedContents,
  rendererUrl: string,
  openExternal: (url: string) => void,
): void {
  const stayHome = (event: Preventable, url: string) => {
    if (!isOwnPage(url, rendererUrl)) event.preventDefault();
  };
  contents.on('will-navigate', stayHome);
  contents.on('will-redirect', stayHome);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const safe = externalUrl(url);
    if (safe) openExternal(safe);
    return { action: 'deny' };
  });
}

/** Every permission request (camera, notifications, clipboard…) is refused. */
export function denyPermission(
  _contents: unknown,
  _permission: string,
  callback: (granted: boolean) => void,
): void {
  callback(false);
}
